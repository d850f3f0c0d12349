"""TemplateCommand: copy a project or app template, filling in its placeholders.

Files ending in ``.py-tpl`` become ``.py``. Files with a rendered extension
(``-e``, ``.py`` by default) or named with ``-n`` have ``{{ placeholder }}``
replaced from the context in one pass, so substituted values are never
interpreted again; unknown placeholders render empty, as in templates.
"""

from __future__ import annotations

import keyword
import os
import re
import shutil
import stat
from collections.abc import Sequence
from importlib.util import find_spec
from pathlib import Path
from typing import Any, ClassVar

import manouche
from manouche.core.management.base import BaseCommand, CommandError, CommandParser
from manouche.core.management.utils import handle_extensions

__all__ = ["TemplateCommand", "render_template_string"]

_PLACEHOLDER = re.compile(
    r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}|\{%\s*templatetag\s+(\w+)\s*%\}"
)
_TEMPLATETAGS = {
    "openblock": "{%",
    "closeblock": "%}",
    "openvariable": "{{",
    "closevariable": "}}",
    "openbrace": "{",
    "closebrace": "}",
    "opencomment": "{#",
    "closecomment": "#}",
}


def render_template_string(source: str, context: dict[str, Any]) -> str:
    """Replace ``{{ name }}`` and ``{% templatetag ... %}`` in one pass."""

    def substitute(match: re.Match[str]) -> str:
        name, tag = match.groups()
        if tag is not None:
            return _TEMPLATETAGS.get(tag, "")
        value = context.get(name)
        return "" if value is None else str(value)

    return _PLACEHOLDER.sub(substitute, source)


class TemplateCommand(BaseCommand):
    """Create a project or app layout from a template directory."""

    requires_system_checks: ClassVar[str | Sequence[str]] = []
    rewrite_template_suffixes = ((".py-tpl", ".py"),)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="Name of the application or project.")
        parser.add_argument(
            "directory", nargs="?", help="Optional destination directory"
        )
        parser.add_argument(
            "--template", help="The path to a directory to load the template from."
        )
        parser.add_argument(
            "--extension",
            "-e",
            dest="extensions",
            action="append",
            default=["py"],
            help='The file extension(s) to render (default: "py"). Separate multiple '
            "extensions with commas, or use -e multiple times.",
        )
        parser.add_argument(
            "--name",
            "-n",
            dest="files",
            action="append",
            default=[],
            help="The file name(s) to render. Separate multiple file names with "
            "commas, or use -n multiple times.",
        )
        parser.add_argument(
            "--exclude",
            "-x",
            action="append",
            default=[],
            nargs="?",
            const="",
            help="The directory name(s) to exclude, in addition to .git and "
            "__pycache__. Can be used multiple times.",
        )

    def handle(
        self, app_or_project: str, name: str, target: str | None = None, **options: Any
    ) -> None:
        self.app_or_project = app_or_project
        self.a_or_an = "an" if app_or_project == "app" else "a"
        self.verbosity = options.get("verbosity", 1)
        self.validate_name(name)
        top_dir = self._top_dir(name, target)
        extensions = tuple(handle_extensions(options.get("extensions") or ["py"]))
        extra_files: list[str] = []
        for file in options.get("files") or []:
            extra_files.extend(part.strip() for part in file.split(","))
        excluded = {".git", "__pycache__", *(options.get("exclude") or [])}
        base_name = f"{app_or_project}_name"
        camel_case_value = "".join(part for part in name.title() if part != "_")
        context = {
            **{key: value for key, value in options.items() if isinstance(value, str)},
            base_name: name,
            f"{app_or_project}_directory": str(top_dir),
            f"camel_case_{app_or_project}_name": camel_case_value,
            "manouche_version": manouche.get_version(),
        }
        template_dir = self.handle_template(
            options.get("template"), f"{app_or_project}_template"
        )
        self._copy_tree(
            template_dir,
            top_dir,
            name,
            base_name,
            context,
            extensions,
            extra_files,
            excluded,
        )

    def _top_dir(self, name: str, target: str | None) -> Path:
        if target is None:
            top_dir = Path.cwd() / name
            try:
                top_dir.mkdir(parents=True)
            except FileExistsError:
                raise CommandError(f"'{top_dir}' already exists")
            except OSError as error:
                raise CommandError(error)
            return top_dir
        top_dir = Path(os.path.abspath(os.path.expanduser(target)))
        if self.app_or_project == "app":
            self.validate_name(top_dir.name, "directory")
        if not top_dir.exists():
            raise CommandError(
                f"Destination directory '{top_dir}' does not exist, please create it "
                "first."
            )
        return top_dir

    def _copy_tree(
        self,
        template_dir: Path,
        top_dir: Path,
        name: str,
        base_name: str,
        context: dict[str, Any],
        extensions: tuple[str, ...],
        extra_files: list[str],
        excluded: set[str],
    ) -> None:
        for root, dirs, files in os.walk(template_dir):
            relative_dir = os.path.relpath(root, template_dir)
            relative_dir = (
                "" if relative_dir == "." else relative_dir.replace(base_name, name)
            )
            target_dir = top_dir / relative_dir
            target_dir.mkdir(parents=True, exist_ok=True)
            dirs[:] = [d for d in dirs if not d.startswith(".") and d not in excluded]
            for filename in files:
                if filename.endswith((".pyo", ".pyc", ".py.class")):
                    continue
                old_path = Path(root) / filename
                new_path = target_dir / self._target_name(
                    filename.replace(base_name, name)
                )
                if new_path.exists():
                    raise CommandError(
                        f"{new_path} already exists. Overlaying {self.a_or_an} "
                        f"{self.app_or_project} into an existing directory won't "
                        "replace conflicting files."
                    )
                if str(new_path).endswith(extensions) or filename in extra_files:
                    content = old_path.read_text(encoding="utf-8")
                    new_path.write_text(
                        render_template_string(content, context), encoding="utf-8"
                    )
                else:
                    shutil.copyfile(old_path, new_path)
                if self.verbosity >= 2:
                    self.stdout.write(f"Creating {new_path}")
                self._copy_permissions(old_path, new_path)

    def _target_name(self, filename: str) -> str:
        for old_suffix, new_suffix in self.rewrite_template_suffixes:
            if filename.endswith(old_suffix):
                return filename.removesuffix(old_suffix) + new_suffix
        return filename

    def _copy_permissions(self, old_path: Path, new_path: Path) -> None:
        try:
            shutil.copymode(old_path, new_path)
            mode = new_path.stat().st_mode
            if not mode & stat.S_IWUSR:
                new_path.chmod(mode | stat.S_IWUSR)
        except OSError:
            self.stderr.write(
                f"Notice: Couldn't set permission bits on {new_path}. You're probably "
                "using an uncommon filesystem setup. No problem.",
                self.style.NOTICE,
            )

    def handle_template(self, template: str | None, subdir: str) -> Path:
        """Return the template directory: manouche's own, or ``--template``."""
        if template is None:
            return Path(manouche.__path__[0]) / "conf" / subdir
        if template.startswith("file://"):
            template = template.removeprefix("file://")
        if "://" in template:
            raise CommandError(
                f"couldn't handle {self.app_or_project} template {template}: only "
                "local directories are supported."
            )
        expanded = Path(os.path.normpath(os.path.expanduser(template)))
        if expanded.is_dir():
            return expanded
        raise CommandError(
            f"couldn't handle {self.app_or_project} template {template}."
        )

    def validate_name(self, name: str | None, name_or_dir: str = "name") -> None:
        """Require an identifier that is not already an importable module."""
        if name is None:
            raise CommandError(
                f"you must provide {self.a_or_an} {self.app_or_project} name"
            )
        if not name.isidentifier() or keyword.iskeyword(name):
            raise CommandError(
                f"'{name}' is not a valid {self.app_or_project} {name_or_dir}. Please "
                f"make sure the {name_or_dir} is a valid identifier."
            )
        try:
            spec = find_spec(name)
        except (ImportError, ValueError):
            spec = None
        if spec is not None:
            raise CommandError(
                f"'{name}' conflicts with the name of an existing Python module and "
                f"cannot be used as {self.a_or_an} {self.app_or_project} "
                f"{name_or_dir}. Please try another {name_or_dir}."
            )
