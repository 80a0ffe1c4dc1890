"""CSV downloads of exactly the rows a report page shows."""

from __future__ import annotations

import csv
import io

from flask import Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: object) -> str:
    """A cell a spreadsheet will not run as a formula (labels can come from HR users)."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) and text != "–" else text


def csv_response(rows: list[list], filename: str) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([_safe(cell) for cell in row])
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
