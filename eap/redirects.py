"""Redirect targets taken from user input must stay on this site."""

from urllib.parse import urlsplit


def safe_next(target: str | None) -> str | None:
    """Return ``target`` if it is a local path, else None (never an open redirect)."""
    if not target:
        return None
    target = target.strip()
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    return target
