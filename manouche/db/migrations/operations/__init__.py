"""Migration operations, importable as ``migrations.<Operation>``."""

from manouche.db.migrations.operations.base import Operation, OperationCategory
from manouche.db.migrations.operations.fields import (
    AddField,
    AlterField,
    RemoveField,
    RenameField,
)
from manouche.db.migrations.operations.models import (
    AddConstraint,
    AddIndex,
    AlterIndexTogether,
    AlterModelManagers,
    AlterModelOptions,
    AlterModelTable,
    AlterModelTableComment,
    AlterOrderWithRespectTo,
    AlterUniqueTogether,
    CreateModel,
    DeleteModel,
    RemoveConstraint,
    RemoveIndex,
    RenameIndex,
    RenameModel,
)
from manouche.db.migrations.operations.special import (
    RunPython,
    RunSQL,
    SeparateDatabaseAndState,
)

__all__ = [
    "AddConstraint",
    "AddField",
    "AddIndex",
    "AlterField",
    "AlterIndexTogether",
    "AlterModelManagers",
    "AlterModelOptions",
    "AlterModelTable",
    "AlterModelTableComment",
    "AlterOrderWithRespectTo",
    "AlterUniqueTogether",
    "CreateModel",
    "DeleteModel",
    "Operation",
    "OperationCategory",
    "RemoveConstraint",
    "RemoveField",
    "RemoveIndex",
    "RenameField",
    "RenameIndex",
    "RenameModel",
    "RunPython",
    "RunSQL",
    "SeparateDatabaseAndState",
]
