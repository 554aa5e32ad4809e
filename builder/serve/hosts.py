"""Which requests serve answers: those for itself, by a name no one else's DNS can point at it."""
from __future__ import annotations

import functools
import ipaddress
import socket
from urllib.parse import urlsplit


def trusted_host(host_header: str | None, bound: str, port: int) -> bool:
    """A request for the server started on `bound`:`port`, on that port, by: localhost, the host it was
    started with, a loopback address, or (started on a wildcard such as 0.0.0.0) an address of this
    machine. Any other address is no way a browser reaches it; any other name may be someone's DNS
    rebound to this machine, its pages reading the drafts."""
    if not host_header:
        return False
    host, asked = split(host_header)
    if not host or not asked.isdigit() or int(asked) != port:
        return False
    host = host.strip("[]").lower()
    if host in ("localhost", bound.lower()):
        return True
    address = _address(host)
    if address is None:
        return False
    return address.is_loopback or (everywhere(bound) and _is_local(host))


def split(host_header: str) -> tuple[str, str]:
    """A Host header's name ("[::1]" with its brackets) and port ("80" where none is said: a browser leaves
    out the scheme's own, and only that)."""
    host, colon, asked = host_header.rpartition(":") if not host_header.endswith("]") else (host_header, "", "")
    return (host, asked) if colon else (host_header, "80")


def trusted_origin(origin: str | None, bound: str, port: int) -> bool:
    """A websocket opened by one of the server's own pages."""
    parts = urlsplit(origin or "")
    return parts.scheme == "http" and trusted_host(parts.netloc, bound, port)


def loopback_only(bound: str) -> bool:
    """Whether a server started on `bound` is reachable from this machine alone."""
    if bound.lower() == "localhost":
        return True
    address = _address(bound)
    return address is not None and address.is_loopback


def everywhere(bound: str) -> bool:
    """Whether a server started on `bound` listens on every address of this machine (0.0.0.0, ::)."""
    address = _address(bound)
    return address is not None and address.is_unspecified


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return None


@functools.lru_cache(maxsize=64)
def _is_local(address: str) -> bool:
    """Whether `address` is one of this machine's: a socket can be bound to it."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.bind((address, 0))
    except OSError:
        return False
    return True
