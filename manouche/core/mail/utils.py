"""The host name put in Message-ID headers and sent in SMTP's EHLO.

``socket.getfqdn()`` can block on a DNS lookup, so the name is looked up on
first use only and then kept for the life of the process.
"""

from __future__ import annotations

import socket

from manouche.utils.encoding import punycode

__all__ = ["DNS_NAME", "CachedDnsName"]


class CachedDnsName:
    """The machine's fully qualified domain name, looked up lazily once."""

    _fqdn: str

    def __str__(self) -> str:
        return self.get_fqdn()

    def get_fqdn(self) -> str:
        """Return the IDNA (punycode) form of ``socket.getfqdn()``, cached."""
        if not hasattr(self, "_fqdn"):
            self._fqdn = punycode(socket.getfqdn())
        return self._fqdn


DNS_NAME = CachedDnsName()
