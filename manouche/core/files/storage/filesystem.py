"""FileSystemStorage: files under a directory (MEDIA_ROOT by default).

Every name goes through ``safe_join`` against the location, and the real path
of the target directory is checked too, so neither ``..``, absolute names nor
symlinked directories can put a file outside the location. Content is written
to a temporary file beside the target and published in one step, so readers
never see a partial file and a failed save leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import os
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

from manouche.conf import settings
from manouche.core.exceptions import SuspiciousFileOperation
from manouche.core.files import File
from manouche.core.files.move import file_move_safe
from manouche.core.files.storage.base import Storage, _split_checked
from manouche.core.files.storage.mixins import _MediaSettingsMixin
from manouche.core.files.utils import get_available_overwrite_name, validate_file_name
from manouche.core.signals import setting_changed
from manouche.utils._os import safe_join
from manouche.utils.crypto import get_random_string
from manouche.utils.deconstruct import deconstructible
from manouche.utils.encoding import filepath_to_uri

__all__ = ["FileSystemStorage"]

_BINARY = getattr(os, "O_BINARY", 0)


def _is_within(path: str, base: str) -> bool:
    return path == base or path.startswith(base.rstrip(os.sep) + os.sep)


@deconstructible(path="manouche.core.files.storage.FileSystemStorage")
class FileSystemStorage(Storage, _MediaSettingsMixin):
    """Store files in a directory on the local file system."""

    # Flags for creating a new file that must not exist yet.
    OS_OPEN_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY

    def __init__(
        self,
        location: str | os.PathLike[str] | None = None,
        base_url: str | None = None,
        file_permissions_mode: int | None = None,
        directory_permissions_mode: int | None = None,
        allow_overwrite: bool = False,
    ) -> None:
        self._location = location
        self._base_url = base_url
        self._file_permissions_mode = file_permissions_mode
        self._directory_permissions_mode = directory_permissions_mode
        self._allow_overwrite = allow_overwrite
        setting_changed.connect(self._clear_cached_properties)

    def _open(self, name: str, mode: str = "rb") -> File:
        return File(open(self.path(name), mode))

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        """Return ``name`` itself when overwriting, else a free name."""
        if self._allow_overwrite:
            name = str(name).replace("\\", "/")
            validate_file_name(_split_checked(name)[1])
            return get_available_overwrite_name(name, max_length)
        return super().get_available_name(name, max_length)

    def _save(self, name: str, content: Any) -> str:
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        self._check_real_location(directory)
        self._make_directories(directory)
        if hasattr(content, "temporary_file_path"):
            name, full_path = self._move_upload(name, content.temporary_file_path())
            if self.file_permissions_mode is not None:
                os.chmod(full_path, self.file_permissions_mode)
        else:
            temporary = self._write_temporary(directory, content)
            try:
                name = self._publish(name, temporary)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.remove(temporary)
        # Names use forward slashes whatever the platform.
        return str(name).replace("\\", "/")

    def _check_real_location(self, directory: str) -> None:
        # safe_join is textual; resolve symlinks as well so a link inside the
        # location cannot send the write elsewhere.
        real_location = os.path.realpath(self.location)
        real_directory = os.path.realpath(directory)
        if not _is_within(real_directory, real_location):
            raise SuspiciousFileOperation(
                f"The directory ({directory}) resolves outside of the storage "
                f"location ({self.location})"
            )

    def _make_directories(self, directory: str) -> None:
        """Create missing directories, applying the directory mode to each."""
        missing: list[str] = []
        current = directory
        while not os.path.isdir(current):
            if os.path.lexists(current):
                raise FileExistsError(f"{directory} exists and is not a directory.")
            missing.append(current)
            parent = os.path.dirname(current)
            if parent == current:
                break
            current = parent
        mode = self.directory_permissions_mode
        for path in reversed(missing):
            try:
                os.mkdir(path)
            except FileExistsError:
                if not os.path.isdir(path):
                    raise FileExistsError(
                        f"{directory} exists and is not a directory."
                    ) from None
                continue  # Created concurrently: leave its mode alone.
            if mode is not None:
                # chmod rather than a umask dance: umask is process-wide.
                os.chmod(path, mode)

    def _write_temporary(self, directory: str, content: Any) -> str:
        """Write ``content`` to a new hidden file in ``directory``; return it."""
        while True:
            temporary = os.path.join(directory, f".{get_random_string(12)}.part")
            try:
                fd = os.open(temporary, self.OS_OPEN_FLAGS, 0o666)
            except FileExistsError:
                continue
            break
        try:
            with os.fdopen(fd, "wb") as stream:
                for chunk in content.chunks():
                    stream.write(chunk.encode() if isinstance(chunk, str) else chunk)
                if self.file_permissions_mode is not None:
                    os.fchmod(stream.fileno(), self.file_permissions_mode)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.remove(temporary)
            raise
        return temporary

    def _publish(self, name: str, temporary: str) -> str:
        """Give ``temporary`` its final name, choosing another if it was taken."""
        while True:
            full_path = self.path(name)
            try:
                self._place(temporary, full_path)
            except FileExistsError:
                # Another writer took the name since get_available_name().
                name = self.get_available_name(name)
            else:
                return name

    def _place(self, temporary: str, full_path: str) -> None:
        if self._allow_overwrite:
            os.replace(temporary, full_path)
            return
        try:
            # A hard link fails if the name exists: an atomic, exclusive publish.
            os.link(temporary, full_path)
        except FileExistsError:
            raise
        except OSError:
            # No hard links here: reserve the name, then replace it atomically.
            os.close(os.open(full_path, self.OS_OPEN_FLAGS, 0o666))
            os.replace(temporary, full_path)

    def _move_upload(self, name: str, source: str) -> tuple[str, str]:
        while True:
            full_path = self.path(name)
            try:
                file_move_safe(source, full_path, allow_overwrite=self._allow_overwrite)
            except FileExistsError:
                name = self.get_available_name(name)
            else:
                return name, full_path

    def delete(self, name: str) -> None:
        """Delete the file or empty directory ``name``; missing is fine."""
        if not name:
            raise ValueError("The name must be given to delete().")
        path = self.path(name)
        try:
            if os.path.isdir(path) and not os.path.islink(path):
                os.rmdir(path)
            else:
                os.remove(path)
        except FileNotFoundError:
            pass

    def exists(self, name: str) -> bool:
        """Tell whether ``name`` exists (a dangling symlink counts)."""
        return os.path.lexists(self.path(name))

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        """Return (directories, files) directly inside ``path``."""
        directories: list[str] = []
        files: list[str] = []
        with os.scandir(self.path(path)) as entries:
            for entry in entries:
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                (directories if is_dir else files).append(entry.name)
        return directories, files

    def path(self, name: str) -> str:
        """Return the absolute path of ``name``, refusing paths outside."""
        return safe_join(self.location, name)

    def size(self, name: str) -> int:
        """Return the size of ``name`` in bytes."""
        return os.path.getsize(self.path(name))

    def url(self, name: str | None) -> str:
        """Return ``base_url`` joined with the URL-quoted ``name``."""
        if self.base_url is None:
            raise ValueError("This file is not accessible via a URL.")
        url: str | None = filepath_to_uri(name)
        if url is not None:
            url = url.lstrip("/")
        return urljoin(self.base_url, url or "")

    def _datetime_from_timestamp(self, timestamp: float) -> datetime:
        """Return an aware UTC datetime when USE_TZ, else a naive local one."""
        if settings.USE_TZ:
            return datetime.fromtimestamp(timestamp, UTC)
        return datetime.fromtimestamp(timestamp)

    def get_accessed_time(self, name: str) -> datetime:
        """Return when ``name`` was last read."""
        return self._datetime_from_timestamp(os.path.getatime(self.path(name)))

    def get_created_time(self, name: str) -> datetime:
        """Return when ``name`` was created (metadata change time on Unix)."""
        return self._datetime_from_timestamp(os.path.getctime(self.path(name)))

    def get_modified_time(self, name: str) -> datetime:
        """Return when ``name`` was last written."""
        return self._datetime_from_timestamp(os.path.getmtime(self.path(name)))
