"""Connection-handler names at their Django path (``manouche.utils.connection``).

The database layer owns the implementations; this module re-exports them so
code written against the public path keeps working.
"""

from __future__ import annotations

from manouche.db import ConnectionProxy
from manouche.db.utils import ConnectionDoesNotExist, ConnectionHandler

BaseConnectionHandler = ConnectionHandler

__all__ = ["BaseConnectionHandler", "ConnectionDoesNotExist", "ConnectionProxy"]
