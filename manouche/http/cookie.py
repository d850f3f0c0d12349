"""Cookie parsing that tolerates what real browsers and hostile clients send."""

from __future__ import annotations

from http import cookies

__all__ = ["SimpleCookie", "parse_cookie"]

SimpleCookie = cookies.SimpleCookie


def _unquote(value: str) -> str:
    """Undo RFC 2109 quoting ("...", with \\" and \\ooo escapes)."""
    if len(value) < 2 or value[0] != '"' or value[-1] != '"':
        return value
    value = value[1:-1]
    if "\\" not in value:
        return value
    out = []
    i = 0
    length = len(value)
    while i < length:
        ch = value[i]
        if ch == "\\" and i + 1 < length:
            octal = value[i + 1 : i + 4]
            if len(octal) == 3 and all(c in "01234567" for c in octal):
                out.append(chr(int(octal, 8)))
                i += 4
                continue
            out.append(value[i + 1])
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def parse_cookie(cookie: str | bytes) -> dict[str, str]:
    """Parse a Cookie header into a dict; never raises.

    Pieces without '=' are kept under the empty name (as browsers do), empty
    pieces are skipped, and undecodable bytes become U+FFFD.
    """
    if not cookie:
        return {}
    if isinstance(cookie, bytes):
        cookie = cookie.decode("utf-8", "replace")
    cookiedict: dict[str, str] = {}
    for chunk in cookie.split(";"):
        if "=" in chunk:
            key, val = chunk.split("=", 1)
        else:
            # Assume an empty name per https://bugzilla.mozilla.org/169091.
            key, val = "", chunk
        key, val = key.strip(), val.strip()
        if key or val:
            cookiedict[key] = _unquote(val)
    return cookiedict
