"""InMemoryStorage: a storage held in a dict tree, for tests and caches.

Names are resolved against ``location`` with ``safe_join`` exactly like the
file system storage, so the same hostile names are refused.
"""

from __future__ import annotations

import contextlib
import io
import os
import threading
from datetime import datetime
from typing import Any
from urllib.parse import urljoin

from manouche.core.files.base import ContentFile, File
from manouche.core.files.storage.base import Storage
from manouche.core.files.storage.mixins import _MediaSettingsMixin
from manouche.core.signals import setting_changed
from manouche.utils import timezone
from manouche.utils._os import safe_join
from manouche.utils.deconstruct import deconstructible
from manouche.utils.encoding import filepath_to_uri

__all__ = ["InMemoryStorage"]


class _TimingMixin:
    created_time: datetime
    accessed_time: datetime
    modified_time: datetime

    def _initialize_times(self) -> None:
        self.created_time = self.accessed_time = self.modified_time = timezone.now()

    def _update_accessed_time(self) -> None:
        self.accessed_time = timezone.now()

    def _update_modified_time(self) -> None:
        self.modified_time = self.accessed_time = timezone.now()


class InMemoryFileNode(_TimingMixin, ContentFile):
    """A stored file: its content converts between str and bytes on open."""

    def __init__(self, content: str | bytes = "", name: str | None = None) -> None:
        super().__init__(content, name)
        self._initialize_times()

    def open(self, mode: str | None = None, *args: Any, **kwargs: Any) -> File:
        """Return this node positioned for ``mode`` (truncated for 'w')."""
        mode = mode or "rb"
        binary = "b" in mode
        if "w" in mode:
            self.file = io.BytesIO() if binary else io.StringIO()
            self._update_modified_time()
        else:
            self._convert(binary)
            self._update_accessed_time()
        self.__dict__.pop("size", None)
        self.file.seek(0, os.SEEK_END if "a" in mode else os.SEEK_SET)
        return self

    def _convert(self, binary: bool) -> None:
        content = self.file.getvalue()
        if binary and isinstance(content, str):
            self.file = io.BytesIO(content.encode())
        elif not binary and isinstance(content, bytes):
            self.file = io.StringIO(content.decode())

    def write(self, data: Any) -> Any:
        """Write ``data`` and record the modification."""
        written = super().write(data)
        self._update_modified_time()
        return written


class InMemoryDirNode(_TimingMixin):
    """A stored directory: children by name."""

    def __init__(self) -> None:
        self._children: dict[str, InMemoryFileNode | InMemoryDirNode] = {}
        self._initialize_times()

    def listdir(self) -> tuple[list[str], list[str]]:
        """Return (directories, files) among the children."""
        self._update_accessed_time()
        directories = [
            n for n, c in self._children.items() if isinstance(c, InMemoryDirNode)
        ]
        files = [
            n for n, c in self._children.items() if isinstance(c, InMemoryFileNode)
        ]
        return directories, files


@deconstructible(path="manouche.core.files.storage.InMemoryStorage")
class InMemoryStorage(Storage, _MediaSettingsMixin):
    """Keep files in memory; nothing touches the disk.

    The permission modes are kept for API parity with FileSystemStorage and are
    not applied.
    """

    def __init__(
        self,
        location: str | None = None,
        base_url: str | None = None,
        file_permissions_mode: int | None = None,
        directory_permissions_mode: int | None = None,
    ) -> None:
        self._location = location
        self._base_url = base_url
        self._file_permissions_mode = file_permissions_mode
        self._directory_permissions_mode = directory_permissions_mode
        self._root = InMemoryDirNode()
        self._lock = threading.RLock()
        setting_changed.connect(self._clear_cached_properties)

    def _parts(self, name: str) -> list[str]:
        """Split ``name`` into components below the location (refusing escapes)."""
        relative = os.path.relpath(safe_join(self.location, str(name)), self.location)
        return [] if relative == os.curdir else relative.split(os.sep)

    def _walk(self, parts: list[str], create: bool) -> InMemoryDirNode:
        """Return the directory holding ``parts``' directories, maybe creating them."""
        node = self._root
        for part in parts:
            child = node._children.get(part)
            if child is None:
                if not create:
                    raise FileNotFoundError(f"{'/'.join(parts)} does not exist")
                child = node._children[part] = InMemoryDirNode()
                node._update_modified_time()
            if not isinstance(child, InMemoryDirNode):
                raise FileExistsError(f"{part} exists and is not a directory.")
            node = child
        return node

    def _resolve(self, name: str) -> InMemoryFileNode | InMemoryDirNode:
        parts = self._parts(name)
        if not parts:
            return self._root
        parent = self._walk(parts[:-1], create=False)
        node = parent._children.get(parts[-1])
        if node is None:
            raise FileNotFoundError(f"{name} does not exist")
        return node

    def _open(self, name: str, mode: str = "rb") -> File:
        with self._lock:
            if "w" in mode or "a" in mode:
                parts = self._parts(name)
                parent = self._walk(parts[:-1], create=True)
                node = parent._children.get(parts[-1])
                if node is None:
                    node = parent._children[parts[-1]] = InMemoryFileNode(
                        b"" if "b" in mode else ""
                    )
                    parent._update_modified_time()
            else:
                node = self._resolve(name)
            if isinstance(node, InMemoryDirNode):
                raise IsADirectoryError(f"{name} is a directory.")
            return node.open(mode)

    def _save(self, name: str, content: Any) -> str:
        # Build the node first and attach it in one step: readers never see a
        # half-written file.
        node = InMemoryFileNode()
        chunks = iter(content.chunks())
        first = next(chunks, b"")
        node.open("wb" if isinstance(first, bytes) else "w")
        node.write(first)
        for chunk in chunks:
            node.write(chunk)
        if hasattr(content, "temporary_file_path"):
            with contextlib.suppress(FileNotFoundError):
                os.remove(content.temporary_file_path())
        with self._lock:
            while True:
                parts = self._parts(name)
                if not parts:
                    raise IsADirectoryError(f"{name} is a directory.")
                parent = self._walk(parts[:-1], create=True)
                if parts[-1] not in parent._children:
                    break
                name = self.get_available_name(name)
            node.name = parts[-1]
            parent._children[parts[-1]] = node
            parent._update_modified_time()
        return "/".join(parts)

    def path(self, name: str) -> str:
        """Refuse: in-memory files have no file system path."""
        raise NotImplementedError("This backend doesn't support absolute paths.")

    def delete(self, name: str) -> None:
        """Delete the file or directory tree ``name``; missing is fine."""
        parts = self._parts(name)
        if not parts:
            raise ValueError("The name must be given to delete().")
        with self._lock:
            try:
                parent = self._walk(parts[:-1], create=False)
            except (FileNotFoundError, FileExistsError):
                return
            if parent._children.pop(parts[-1], None) is not None:
                parent._update_modified_time()

    def exists(self, name: str) -> bool:
        """Tell whether ``name`` is a stored file or directory."""
        try:
            self._resolve(name)
        except (FileNotFoundError, FileExistsError):
            return False
        return True

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        """Return (directories, files) directly inside ``path``."""
        node = self._walk(self._parts(path), create=False)
        return node.listdir()

    def size(self, name: str) -> int:
        """Return the size of ``name`` (characters for text content)."""
        node = self._resolve(name)
        if isinstance(node, InMemoryDirNode):
            raise IsADirectoryError(f"{name} is a directory.")
        return node.size

    def url(self, name: str | None) -> str:
        """Return ``base_url`` joined with the URL-quoted ``name``."""
        if self.base_url is None:
            raise ValueError("This file is not accessible via a URL.")
        url: str | None = filepath_to_uri(name)
        if url is not None:
            url = url.lstrip("/")
        return urljoin(self.base_url, url or "")

    def get_accessed_time(self, name: str) -> datetime:
        """Return when ``name`` was last read."""
        return self._resolve(name).accessed_time

    def get_created_time(self, name: str) -> datetime:
        """Return when ``name`` was created."""
        return self._resolve(name).created_time

    def get_modified_time(self, name: str) -> datetime:
        """Return when ``name`` was last written."""
        return self._resolve(name).modified_time
