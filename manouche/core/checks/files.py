"""Checks on file-upload settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from manouche.conf import settings
from manouche.core.checks.messages import CheckMessage, Error
from manouche.core.checks.registry import Tags, register

__all__ = ["check_setting_file_upload_temp_dir"]


@register(Tags.files)
def check_setting_file_upload_temp_dir(**kwargs: Any) -> list[CheckMessage]:
    """Refuse a FILE_UPLOAD_TEMP_DIR that does not exist."""
    setting = getattr(settings, "FILE_UPLOAD_TEMP_DIR", None)
    if setting and not Path(setting).is_dir():
        return [
            Error(
                f"The FILE_UPLOAD_TEMP_DIR setting refers to the nonexistent "
                f"directory '{setting}'.",
                id="files.E001",
            )
        ]
    return []
