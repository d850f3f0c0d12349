"""Keep ContentType rows in step with the installed models.

``create_contenttypes`` runs after ``migrate`` (a ``post_migrate`` handler
connected by ``ContentTypesConfig.ready``) and inserts the rows missing for an
app; ``get_contenttypes_and_models`` pairs an app's rows with its models, which
is also what the ``remove_stale_contenttypes`` command uses to find rows whose
model is gone. Nothing here deletes rows: only that command does, on request.

``inject_rename_contenttypes_operations`` (a ``pre_migrate`` handler) follows
each ``RenameModel`` of the plan with a ``RenameContentType``, so a renamed
model keeps its row, and the objects that point at it, instead of getting a
new one.
"""

from __future__ import annotations

from typing import Any

from manouche.apps import AppConfig
from manouche.apps import apps as global_apps
from manouche.db import DEFAULT_DB_ALIAS
from manouche.db.migrations.operations import RenameModel, RunPython

__all__ = [
    "RenameContentType",
    "create_contenttypes",
    "get_contenttypes_and_models",
    "inject_rename_contenttypes_operations",
]


def get_contenttypes_and_models(
    app_config: AppConfig, using: str, ContentType: Any
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Return ``({model_name: row}, {model_name: model})`` for ``app_config``.

    ``ContentType`` may be a historical model (migrations). Both are None
    when the router keeps ContentType out of the ``using`` database.
    """
    from manouche.contrib.contenttypes.models import ContentType as CurrentModel
    from manouche.db import router

    if not router.allow_migrate_model(using, ContentType):
        return None, None
    # Rows may have been added or removed behind the cache's back.
    CurrentModel.objects.clear_cache()
    rows = ContentType.objects.db_manager(using).filter(app_label=app_config.label)
    content_types = {row.model: row for row in rows}
    app_models = {model._meta.model_name: model for model in app_config.get_models()}
    return content_types, app_models


def create_contenttypes(
    app_config: AppConfig,
    verbosity: int = 2,
    interactive: bool = True,
    using: str = DEFAULT_DB_ALIAS,
    apps: Any = global_apps,
    **kwargs: Any,
) -> list[Any]:
    """Create the ContentType rows missing for ``app_config``'s models.

    Returns the created rows. Safe to call again: existing rows are kept.
    ``apps`` is the registry the models come from (historical after
    ``migrate``); without a ContentType model in it nothing is queried.
    """
    if not app_config.models_module:
        return []
    try:
        app_config = apps.get_app_config(app_config.label)
        # After ``migrate``, ``apps`` holds the historical models: the table
        # may be gone (contenttypes migrated to zero) or still have old columns.
        ContentType = apps.get_model("contenttypes", "ContentType")
    except LookupError:
        return []
    content_types, app_models = get_contenttypes_and_models(
        app_config, using, ContentType
    )
    if not app_models or content_types is None:
        return []
    missing = [
        ContentType(app_label=app_config.label, model=model_name)
        for model_name in app_models
        if model_name not in content_types
    ]
    if missing:
        ContentType.objects.db_manager(using).bulk_create(missing)
        if verbosity >= 2:
            for row in missing:
                print(f"Adding content type '{row.app_label} | {row.model}'")
    return missing


class RenameContentType(RunPython):
    """Rename the ContentType row of a model renamed by a migration.

    Nothing happens when the old row does not exist, or when a row with the
    new name already exists (the old row is then left for
    ``remove_stale_contenttypes``).
    """

    def __init__(self, app_label: str, old_model: str, new_model: str) -> None:
        self.app_label = app_label
        self.old_model = old_model
        self.new_model = new_model
        super().__init__(self.rename_forward, self.rename_backward)

    def rename_forward(self, apps: Any, schema_editor: Any) -> None:
        """Rename ``old_model`` to ``new_model`` (migrating forwards)."""
        self._rename(apps, schema_editor, self.old_model, self.new_model)

    def rename_backward(self, apps: Any, schema_editor: Any) -> None:
        """Rename ``new_model`` back to ``old_model`` (unapplying)."""
        self._rename(apps, schema_editor, self.new_model, self.old_model)

    def _rename(self, apps: Any, schema_editor: Any, old: str, new: str) -> None:
        from manouche.contrib.contenttypes.models import ContentType as CurrentModel
        from manouche.db import IntegrityError, router, transaction

        ContentType = apps.get_model("contenttypes", "ContentType")
        using = schema_editor.connection.alias
        if not router.allow_migrate_model(using, ContentType):
            return
        row = (
            ContentType.objects.db_manager(using)
            .filter(app_label=self.app_label, model=old)
            .first()
        )
        if row is None:
            return
        row.model = new
        try:
            # A savepoint, so a name clash leaves the migration usable.
            with transaction.atomic(using=using):
                row.save(using=using, update_fields=["model"])
        except IntegrityError:
            return
        # Both caches could still serve the row under its old name.
        ContentType.objects.clear_cache()
        CurrentModel.objects.clear_cache()


def inject_rename_contenttypes_operations(
    plan: list[tuple[Any, bool]] | None = None,
    apps: Any = global_apps,
    using: str = DEFAULT_DB_ALIAS,
    **kwargs: Any,
) -> None:
    """Insert a ``RenameContentType`` after each ``RenameModel`` of ``plan``.

    Skipped while the ContentType table does not exist at that point of the
    plan (before ``contenttypes.0001_initial``, or once it is unapplied).
    """
    from manouche.db import router

    if plan is None:
        return
    try:
        ContentType = apps.get_model("contenttypes", "ContentType")
    except LookupError:
        table_exists = False
    else:
        if not router.allow_migrate_model(using, ContentType):
            return
        table_exists = True
    for migration, backward in plan:
        if (migration.app_label, migration.name) == ("contenttypes", "0001_initial"):
            if backward:
                return
            table_exists = True
            continue
        if table_exists:
            _inject_renames(migration)


def _inject_renames(migration: Any) -> None:
    operations: list[Any] = []
    for operation in migration.operations:
        operations.append(operation)
        if isinstance(operation, RenameModel):
            operations.append(
                RenameContentType(
                    migration.app_label,
                    operation.old_name_lower,
                    operation.new_name_lower,
                )
            )
    migration.operations = operations
