"""A URL fit to show in a message or a log: no user, password, query or fragment."""
from __future__ import annotations

from urllib.parse import urlsplit


def shown_url(url: str) -> str:
    """`url` without its credentials, query and fragment (a bare host gets http://)."""
    try:
        parts = urlsplit(url if "://" in url else "http://" + url)
        host, port = parts.hostname or "", parts.port
    except ValueError:
        return "<invalid URL>"
    netloc = f"[{host}]" if ":" in host else host
    if port:
        netloc += f":{port}"
    return parts._replace(netloc=netloc, query="", fragment="").geturl()
