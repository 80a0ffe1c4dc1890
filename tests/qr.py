"""Read QR codes back, as a phone camera would: zxing-cpp on a raster image."""

from __future__ import annotations

import io

import zxingcpp
from PIL import Image


def decode_png(png: bytes) -> list[str]:
    image = Image.open(io.BytesIO(png)).convert("L")
    return [result.text for result in zxingcpp.read_barcodes(image)
            if result.format == zxingcpp.BarcodeFormat.QRCode]


def decode_qr(qr) -> list[str]:
    """Decode a segno QR code rendered as PNG (segno writes PNG without Pillow)."""
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=6, border=4)
    return decode_png(buffer.getvalue())
