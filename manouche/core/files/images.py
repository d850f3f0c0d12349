"""Image files whose width and height are read lazily with Pillow."""

from __future__ import annotations

import struct
import zlib
from typing import Any

from manouche.core.files.base import File

__all__ = ["ImageFile", "get_image_dimensions"]


class ImageFile(File):
    """A File with ``width`` and ``height``, read once from the image header."""

    @property
    def width(self) -> int | None:
        """Width in pixels, or None when the image cannot be parsed."""
        return self._get_image_dimensions()[0]

    @property
    def height(self) -> int | None:
        """Height in pixels, or None when the image cannot be parsed."""
        return self._get_image_dimensions()[1]

    def _get_image_dimensions(self) -> tuple[int | None, int | None]:
        if not hasattr(self, "_dimensions_cache"):
            close = self.closed
            self.open()
            self._dimensions_cache = get_image_dimensions(self, close=close)
        return self._dimensions_cache


def _feed_parser(parser: Any, file: Any) -> tuple[int | None, int | None]:
    # Feed growing chunks until Pillow has read the header: most formats need
    # only the first few hundred bytes, so the whole image is rarely read.
    chunk_size = 1024
    while True:
        data = file.read(chunk_size)
        if not data:
            return None, None
        try:
            parser.feed(data)
        except zlib.error as exc:
            # Truncated PNG data streams raise "Error -5"; keep feeding.
            if exc.args[0].startswith("Error -5"):
                pass
            else:
                raise
        except struct.error:
            pass
        except RuntimeError:
            # e.g. "could not create decoder object" for some WEBP files.
            pass
        if parser.image:
            size: tuple[int, int] = parser.image.size
            return size
        chunk_size *= 2


def get_image_dimensions(
    file_or_path: Any, close: bool = False
) -> tuple[int | None, int | None]:
    """Return (width, height) of an image file or path; (None, None) if unknown."""
    from PIL import ImageFile as PillowImageFile  # type: ignore[import-not-found, unused-ignore]

    parser = PillowImageFile.Parser()
    if hasattr(file_or_path, "read"):
        file = file_or_path
        file_pos = file.tell()
        file.seek(0)
    else:
        try:
            file = open(file_or_path, "rb")  # noqa: SIM115 - closed below
        except OSError:
            return None, None
        close = True
    try:
        return _feed_parser(parser, file)
    finally:
        if close:
            file.close()
        else:
            file.seek(file_pos)
