"""Named temporary files for uploads, deleted when closed."""

from __future__ import annotations

import tempfile

__all__ = ["NamedTemporaryFile", "gettempdir"]

NamedTemporaryFile = tempfile.NamedTemporaryFile
gettempdir = tempfile.gettempdir
