"""The questions the autodetector asks when model changes are ambiguous.

``MigrationQuestioner`` answers from its ``defaults`` (used by tests and
``--dry-run``); the interactive subclass asks on the terminal, and the
non-interactive one (``--noinput``) always takes the safe answer and says so.
"""

from __future__ import annotations

import datetime
import importlib
import os
import sys
from collections.abc import Callable
from typing import IO, Any

from manouche.apps import apps
from manouche.core.management.base import OutputWrapper
from manouche.db.models import NOT_PROVIDED
from manouche.utils import timezone

__all__ = [
    "InteractiveMigrationQuestioner",
    "MigrationQuestioner",
    "NonInteractiveMigrationQuestioner",
]


class MigrationQuestioner:
    """Answer every question from ``defaults`` (safe choices by default)."""

    def __init__(
        self,
        defaults: dict[str, Any] | None = None,
        specified_apps: set[str] | None = None,
        dry_run: bool | None = None,
    ) -> None:
        self.defaults = defaults or {}
        self.specified_apps = specified_apps or set()
        self.dry_run = dry_run

    def ask_initial(self, app_label: str) -> bool:
        """Tell whether an app without migration files should get a 0001."""
        if app_label in self.specified_apps:
            return True
        from manouche.db.migrations.writer import migrations_module

        try:
            apps.get_app_config(app_label)
            module_name, _ = migrations_module(app_label)
        except LookupError:
            return self.defaults.get("ask_initial", False)  # type: ignore[no-any-return]
        if module_name is None:
            return False
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            return self.defaults.get("ask_initial", False)  # type: ignore[no-any-return]
        paths = list(getattr(module, "__path__", []))
        if not paths:
            return False
        filenames = os.listdir(paths[0])
        return not any(
            name.endswith(".py") and name != "__init__.py" for name in filenames
        )

    def ask_not_null_addition(self, field_name: str, model_name: str) -> Any:
        """Return a one-off default for a new non-null field (None: none)."""
        return None

    def ask_not_null_alteration(self, field_name: str, model_name: str) -> Any:
        """Return a default for rows left NULL when a field becomes NOT NULL."""
        return None

    def ask_rename(
        self, model_name: str, old_name: str, new_name: str, field_instance: Any
    ) -> bool:
        """Tell whether a removed and an added field are one renamed field."""
        return self.defaults.get("ask_rename", False)  # type: ignore[no-any-return]

    def ask_rename_model(self, old_model_state: Any, new_model_state: Any) -> bool:
        """Tell whether a removed and an added model are one renamed model."""
        return self.defaults.get("ask_rename_model", False)  # type: ignore[no-any-return]

    def ask_merge(self, app_label: str) -> bool:
        """Tell whether conflicting leaf migrations should be merged."""
        return self.defaults.get("ask_merge", False)  # type: ignore[no-any-return]

    def ask_auto_now_add_addition(self, field_name: str, model_name: str) -> Any:
        """Return a default for existing rows of a new auto_now_add field."""
        return None

    def ask_unique_callable_default_addition(
        self, field_name: str, model_name: str
    ) -> Any:
        """Warn about a unique field with a callable default; None to go on."""
        return None


class InteractiveMigrationQuestioner(MigrationQuestioner):
    """Ask the developer on the terminal."""

    def __init__(
        self,
        defaults: dict[str, Any] | None = None,
        specified_apps: set[str] | None = None,
        dry_run: bool | None = None,
        prompt_output: OutputWrapper | IO[str] | None = None,
        input_function: Callable[[str], str] | None = None,
    ) -> None:
        super().__init__(defaults, specified_apps, dry_run)
        output = prompt_output if prompt_output is not None else sys.stdout
        self.prompt_output = (
            output if isinstance(output, OutputWrapper) else OutputWrapper(output)
        )
        self._input_function = input_function

    def input(self, prompt: str) -> str:
        """Read one answer (``input()`` looked up at call time, so tests patch it).

        CONTROL-C at a prompt cancels the command cleanly, writing nothing.
        """
        read = self._input_function or input
        try:
            return read(prompt)
        except KeyboardInterrupt:
            self.prompt_output.write("Cancelled.")
            sys.exit(1)

    def _boolean_input(self, question: str, default: bool | None = None) -> bool:
        self.prompt_output.write(f"{question} ", ending="")
        result = self.input("")
        if not result and default is not None:
            return default
        while not result or result[0].lower() not in "yn":
            self.prompt_output.write("Please answer yes or no: ", ending="")
            result = self.input("")
        return result[0].lower() == "y"

    def _choice_input(self, question: str, choices: list[str]) -> int:
        self.prompt_output.write(question)
        for number, choice in enumerate(choices, start=1):
            self.prompt_output.write(f" {number}) {choice}")
        self.prompt_output.write("Select an option: ", ending="")
        while True:
            result = self.input("")
            try:
                value = int(result)
            except ValueError:
                pass
            else:
                if 0 < value <= len(choices):
                    return value
            self.prompt_output.write("Please select a valid option: ", ending="")

    def _ask_default(self, default: str = "") -> Any:
        """Read a Python expression for a one-off default and evaluate it."""
        self.prompt_output.write(
            "Please enter the default value as valid Python.\n"
            "The datetime and manouche.utils.timezone modules are available, "
            "so it is possible to provide e.g. timezone.now as a value."
        )
        if default:
            self.prompt_output.write(
                f"Accept the default '{default}' by pressing 'Enter' or provide "
                "another value."
            )
        self.prompt_output.write("Type 'exit' to exit this prompt")
        while True:
            prompt = f"[default: {default}] >>> " if default else ">>> "
            self.prompt_output.write(prompt, ending="")
            code = self.input("").strip()
            if not code and default:
                code = default
            if not code:
                self.prompt_output.write(
                    "Please enter some code, or 'exit' (without quotes) to exit."
                )
                continue
            if code == "exit":
                sys.exit(1)
            try:
                # The developer types this at their own terminal, as Django does.
                return eval(code, {}, {"datetime": datetime, "timezone": timezone})
            except (SyntaxError, NameError, AttributeError, TypeError) as error:
                self.prompt_output.write(f"Invalid input: {error}")

    def ask_not_null_addition(self, field_name: str, model_name: str) -> Any:
        if self.dry_run:
            return None
        choice = self._choice_input(
            f"It is impossible to add a non-nullable field '{field_name}' to "
            f"{model_name} without specifying a default. This is because the "
            "database needs something to populate existing rows.\n"
            "Please select a fix:",
            [
                "Provide a one-off default now (will be set on all existing rows "
                "with a null value for this column)",
                "Quit and manually define a default value in models.py.",
            ],
        )
        if choice == 2:
            sys.exit(3)
        return self._ask_default()

    def ask_not_null_alteration(self, field_name: str, model_name: str) -> Any:
        if self.dry_run:
            return None
        choice = self._choice_input(
            f"It is impossible to change a nullable field '{field_name}' on "
            f"{model_name} to non-nullable without providing a default. This is "
            "because the database needs something to populate existing rows.\n"
            "Please select a fix:",
            [
                "Provide a one-off default now (will be set on all existing rows "
                "with a null value for this column)",
                "Ignore for now. Existing rows that contain NULL values will have "
                "to be handled manually, for example with a RunPython or RunSQL "
                "operation.",
                "Quit and manually define a default value in models.py.",
            ],
        )
        if choice == 2:
            return NOT_PROVIDED
        if choice == 3:
            sys.exit(3)
        return self._ask_default()

    def ask_rename(
        self, model_name: str, old_name: str, new_name: str, field_instance: Any
    ) -> bool:
        kind = field_instance.__class__.__name__
        return self._boolean_input(
            f"Was {model_name}.{old_name} renamed to {model_name}.{new_name} "
            f"(a {kind})? [y/N]",
            False,
        )

    def ask_rename_model(self, old_model_state: Any, new_model_state: Any) -> bool:
        return self._boolean_input(
            f"Was the model {old_model_state.app_label}.{old_model_state.name} "
            f"renamed to {new_model_state.name}? [y/N]",
            False,
        )

    def ask_merge(self, app_label: str) -> bool:
        return self._boolean_input(
            "\nMerging will only work if the operations printed above do not "
            "conflict\nwith each other (working on different fields or models)\n"
            f"Should these migration branches be merged ({app_label})? [y/N]",
            False,
        )

    def ask_auto_now_add_addition(self, field_name: str, model_name: str) -> Any:
        if self.dry_run:
            return None
        choice = self._choice_input(
            f"It is impossible to add the field '{field_name}' with "
            f"'auto_now_add=True' to {model_name} without providing a default. "
            "This is because the database needs something to populate existing "
            "rows.\n",
            [
                "Provide a one-off default now which will be set on all existing rows",
                "Quit and manually define a default value in models.py.",
            ],
        )
        if choice == 2:
            sys.exit(3)
        return self._ask_default(default="timezone.now")

    def ask_unique_callable_default_addition(
        self, field_name: str, model_name: str
    ) -> Any:
        if self.dry_run:
            return None
        choice = self._choice_input(
            f"Callable default on unique field {model_name}.{field_name} will not "
            "generate unique values upon migrating.\nPlease choose how to "
            "proceed:\n",
            [
                "Continue making this migration as the first step in writing a "
                "manual migration to generate unique values.",
                "Quit and edit field options in models.py.",
            ],
        )
        if choice == 2:
            sys.exit(3)
        return None


class NonInteractiveMigrationQuestioner(MigrationQuestioner):
    """Take the safe answer (``--noinput``) and report what was assumed."""

    def __init__(
        self,
        defaults: dict[str, Any] | None = None,
        specified_apps: set[str] | None = None,
        dry_run: bool | None = None,
        verbosity: int = 1,
        log: Callable[[str], Any] | None = None,
    ) -> None:
        super().__init__(defaults, specified_apps, dry_run)
        self.verbosity = verbosity
        self.log = log or (lambda message: sys.stderr.write(message + "\n"))

    def log_lack_of_migration(
        self, field_name: str, model_name: str, reason: str
    ) -> None:
        """Tell the developer why a field could not be migrated."""
        if self.verbosity > 0:
            self.log(
                f"Field '{field_name}' on model '{model_name}' not migrated: {reason}."
            )

    def ask_not_null_addition(self, field_name: str, model_name: str) -> Any:
        self.log_lack_of_migration(
            field_name,
            model_name,
            "it is impossible to add a non-nullable field without specifying a default",
        )
        sys.exit(3)

    def ask_not_null_alteration(self, field_name: str, model_name: str) -> Any:
        self.log(
            f"Field '{field_name}' on model '{model_name}' given a default of "
            "NOT PROVIDED and must be corrected."
        )
        return NOT_PROVIDED

    def ask_rename(
        self, model_name: str, old_name: str, new_name: str, field_instance: Any
    ) -> bool:
        if self.verbosity > 0:
            self.log(
                f"--noinput: not treating {model_name}.{old_name} -> "
                f"{model_name}.{new_name} as a rename; the field is removed and "
                "added (its data is lost). Run interactively to rename it."
            )
        return False

    def ask_rename_model(self, old_model_state: Any, new_model_state: Any) -> bool:
        if self.verbosity > 0:
            self.log(
                f"--noinput: not treating {old_model_state.app_label}."
                f"{old_model_state.name} -> {new_model_state.name} as a rename; "
                "the model is deleted and created (its data is lost). Run "
                "interactively to rename it."
            )
        return False

    def ask_auto_now_add_addition(self, field_name: str, model_name: str) -> Any:
        self.log_lack_of_migration(
            field_name,
            model_name,
            "it is impossible to add a field with 'auto_now_add=True' without "
            "specifying a default",
        )
        sys.exit(3)
