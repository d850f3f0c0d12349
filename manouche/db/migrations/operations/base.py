"""``Operation``: one step of a migration, on the state and on the database.

An operation changes the project state (``state_forwards``), applies that
change to a database through a schema editor (``database_forwards`` /
``database_backwards``), describes itself, deconstructs to its constructor
arguments (for the writer) and tells the optimizer how it folds with others.
"""

from __future__ import annotations

import enum
from typing import Any

from manouche.db import router

__all__ = ["Operation", "OperationCategory"]


class OperationCategory(enum.StrEnum):
    """The symbol ``makemigrations`` prints before each operation."""

    ADDITION = "+"
    REMOVAL = "-"
    ALTERATION = "~"
    PYTHON = "p"
    SQL = "s"
    MIXED = "?"


class Operation:
    """Base class of every migration operation.

    Subclasses set the class flags and override the methods below; the
    constructor arguments are captured in ``__new__`` for ``deconstruct()``.
    """

    #: Can this operation be run backwards?
    reversible = True
    #: Can ``sqlmigrate`` show this operation as SQL?
    reduces_to_sql = True
    #: None: follow the migration; True/False: force a transaction or not.
    atomic: bool | None = False
    #: May a squash drop this operation?
    elidable = False
    serialization_expand_args: list[str] = []
    category: OperationCategory | None = None

    _constructor_args: tuple[tuple[Any, ...], dict[str, Any]]

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        self = object.__new__(cls)
        self._constructor_args = (args, kwargs)
        return self

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        """Return ``(class name, args, kwargs)`` re-creating the operation."""
        args, kwargs = self._constructor_args
        return self.__class__.__name__, args, kwargs

    def __repr__(self) -> str:
        args, kwargs = self._constructor_args
        parts = [repr(arg) for arg in args]
        parts += [f"{key}={value!r}" for key, value in kwargs.items()]
        return f"<{self.__class__.__name__} {', '.join(parts)}>"

    # -- the three ways an operation acts ---------------------------------
    def state_forwards(self, app_label: str, state: Any) -> None:
        """Change ``state`` (a ProjectState) as this operation does."""
        raise NotImplementedError(
            "subclasses of Operation must provide a state_forwards() method"
        )

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        """Apply the change to the database going forwards."""
        raise NotImplementedError(
            "subclasses of Operation must provide a database_forwards() method"
        )

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        """Undo the change on the database (``from_state`` is the later state)."""
        raise NotImplementedError(
            "subclasses of Operation must provide a database_backwards() method"
        )

    # -- descriptions ---------------------------------------------------------
    def describe(self) -> str:
        """Return a one-line human description."""
        return f"{self.__class__.__name__}: {self._constructor_args}"

    def formatted_description(self) -> str:
        """Return the description prefixed by the category symbol."""
        symbol = self.category.value if self.category else OperationCategory.MIXED
        return f"{symbol} {self.describe()}"

    @property
    def migration_name_fragment(self) -> str | None:
        """Return a fragment for naming the migration, or None if none fits."""
        return None

    # -- what the operation touches -----------------------------------------
    def references_model(self, name: str, app_label: str) -> bool:
        """Tell whether the operation may touch model ``name`` (lower-cased).

        The default is True so that the optimizer never moves an operation it
        does not understand across another one.
        """
        return True

    def references_field(self, model_name: str, name: str, app_label: str) -> bool:
        """Tell whether the operation may touch field ``name`` of a model."""
        return self.references_model(model_name, app_label)

    def allow_migrate_model(self, connection_alias: str, model: Any) -> bool:
        """Tell whether ``model`` should be migrated on ``connection_alias``."""
        if not model._meta.can_migrate(connection_alias):
            return False
        return bool(router.allow_migrate_model(connection_alias, model))

    def reduce(self, operation: Operation, app_label: str) -> list[Operation] | bool:
        """Fold ``operation`` (coming later) into this one for the optimizer.

        Return a list of operations replacing both, True if ``operation``
        may be moved across this one, or False if it may not.
        """
        if self.elidable:
            return [operation]
        if operation.elidable:
            return [self]
        return False
