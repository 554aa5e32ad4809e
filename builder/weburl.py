"""Web addresses in a site's files: the one rule for a valid one, and how one is written in a page.

Valid: what the HTML checker and the W3C's URI format accept once the characters browsers repair
(non-ASCII letters, quotes, `|`, "[" after the host…) are percent-encoded, as `as_uri` and
`for_attribute` do.
Not repaired, so invalid: spaces and control characters, a "%" that starts no escape, a second "#",
no host, a host that is not a name (`a..b`) or an IPv6 address, a bad port, a user name or password.
"""
from __future__ import annotations

import ipaddress
import re
from urllib.parse import quote, urlsplit

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_LABEL = re.compile(r"[\w-]+\Z")  # a part of a host name: letters of any script, digits, "-", "_"
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
# Valid by every rule below, known at once (most URLs): an ASCII host name, and a path with no space,
# control character, "%" or "#".
_PLAIN = re.compile(r"[hH][tT][tT][pP][sS]?://[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*(?:/[^\s\x00-\x1f\x7f%#]*)?\Z")


def url_problem(url: str, absolute: bool = True) -> str | None:
    """Why `url` is not a valid http(s) URL, or None; worded to follow it (`"…" has no host`).
    `absolute=False`: a path, query or fragment (no scheme, no host) is valid too."""
    if _PLAIN.match(url):
        return None
    if re.search(r"[\s\x00-\x1f\x7f]", url):
        return "has a space or a control character in it (write a space as %20)"
    if _BAD_ESCAPE.search(url):
        return 'has a "%" that starts no escape of two hex digits (write "%" itself as %25)'
    if url.count("#") > 1:
        return 'has more than one "#" (write a "#" after the first as %23)'
    if not absolute and not url.startswith("//") and not _SCHEME.match(url):
        return None
    if not re.match(r"https?://", url, re.I):
        return "is not an http(s) URL"
    try:
        parts = urlsplit(url)
        parts.port  # raises ValueError when it is not a number from 0 to 65535
        host = parts.hostname
        if host and "[" in parts.netloc:
            ipaddress.IPv6Address(host)
    except ValueError:
        return "has a host or port that is not valid"
    if not host:
        return "has no host"
    if "@" in parts.netloc:
        return "has a user name or password in it"
    if "[" not in parts.netloc and not all(_LABEL.match(label) for label in host.removesuffix(".").split(".")):
        return f'has a host, "{host}", that is not a valid host name'
    return None


_AUTHORITY = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*")


def _split(url: str) -> tuple[str, str]:
    """(scheme and host, the rest): "[" and "]" are valid in the host (an IPv6 address) only."""
    m = _AUTHORITY.match(url)
    return (m.group(), url[m.end():]) if m else ("", url)


def as_uri(url: str) -> str:
    """A URL from the user's files as a valid URI: characters URIs forbid but browsers repair (space,
    quotes, angle brackets, non-ASCII…) percent-encoded; what is already encoded stays as it is."""
    head, rest = _split(url)
    return quote(head, safe=":/[]@!$&'()*+,;=%~") + quote(rest, safe=":/?#@!$&'()*+,;=%~")


# Characters the URL standard forbids in a URL but browsers repair: percent-encoded for an attribute.
_ATTRIBUTE = {" ": "%20", '"': "%22", "<": "%3C", ">": "%3E", "\\": "%5C", "^": "%5E", "`": "%60", "{": "%7B",
              "|": "%7C", "}": "%7D"}
_IN_HOST, _AFTER_HOST = str.maketrans(_ATTRIBUTE), str.maketrans({**_ATTRIBUTE, "[": "%5B", "]": "%5D"})
_REPAIRED = re.compile(r'[ "<>\\^`{|}\[\]]')  # any of them: most URLs have none, and stay as they are


def for_attribute(url: str) -> str:
    """A URL with the characters browsers repair percent-encoded, for an `href` (not yet HTML-escaped)."""
    if not _REPAIRED.search(url):  # (1 us, where translating it takes 5)
        return url
    head, rest = _split(url)
    return head.translate(_IN_HOST) + rest.translate(_AFTER_HOST)
