"""Where ``sfnlocal serve`` listens by default, which clients are on this machine, and which URLs name the server.

Kept apart from the server itself so that the command line can read them without importing it (the server's
imports, moto's and botocore's among them, cost every other ``sfnlocal`` command ~280 ms at start).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8083  # Step Functions Local's

# Host names that reach a server listening on any of them from this machine.
_LOOPBACK = {"localhost", "127.0.0.1", "::1", "0.0.0.0", "::"}


def loopback(host: str) -> bool:
    """Whether ``host`` (an address, with an IPv6 scope or not, or ``localhost``) is reachable from this machine only:
    the clients the admin call and the live view answer, and the addresses ``sfnlocal serve`` binds without a warning.

    >>> loopback("127.0.0.1"), loopback("localhost"), loopback("::1"), loopback("fe80::1%eth0"), loopback("0.0.0.0")
    (True, True, True, False, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def names_this_server(url: str, host: str, port: int) -> bool:
    """Whether ``url`` names the server listening on ``host``:``port`` (a loopback name for a loopback server).

    >>> names_this_server("http://localhost:8083", "127.0.0.1", 8083), names_this_server("http://h:8083", "0.0.0.0", 80)
    (True, False)
    """
    parts = urlsplit(url)
    if parts.port != port:
        return False
    hostname = parts.hostname or ""
    return hostname == host or (hostname in _LOOPBACK and host in _LOOPBACK)
