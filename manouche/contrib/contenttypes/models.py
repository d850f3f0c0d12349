"""The ContentType model and its per-database cached manager.

Content types rarely change, so the manager caches them per database alias
(by natural key and by id); ``clear_cache()`` forgets them, and the app does
so when ``DATABASES`` changes (tests). Lookups are written once as ORM
operations so sync and async callers share them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from manouche.apps import apps
from manouche.db import models
from manouche.db.models._io import Operation, arun, run

__all__ = ["ContentType", "ContentTypeManager"]


class ContentTypeManager(models.Manager):
    """Manager of ContentType rows, caching them per database alias."""

    use_in_migrations = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # {alias: {(app_label, model) or id: ContentType}}; shared by the
        # db_manager() copies (a shallow copy keeps the same dict).
        self._cache: dict[str, dict[Any, ContentType]] = {}

    # -- cache ---------------------------------------------------------------
    def clear_cache(self) -> None:
        """Forget every cached content type (all databases)."""
        self._cache.clear()

    def _add_to_cache(self, using: str, ct: ContentType) -> None:
        bucket = self._cache.setdefault(using, {})
        bucket[(ct.app_label, ct.model)] = ct
        bucket[ct.id] = ct

    def _cached(self, using: str, key: Any) -> ContentType | None:
        return self._cache.get(using, {}).get(key)

    @staticmethod
    def _get_opts(model: Any, for_concrete_model: bool) -> Any:
        if for_concrete_model:
            model = model._meta.concrete_model
        return model._meta

    # -- operations (shared by the sync and async APIs) ------------------------
    def _get_for_model_operation(
        self, model: Any, for_concrete_model: bool = True, using: str | None = None
    ) -> Operation:
        using = using or self.db
        opts = self._get_opts(model, for_concrete_model)
        key = (opts.app_label, opts.model_name)
        ct = self._cached(using, key)
        if ct is not None:
            return ct
        queryset = self.db_manager(using).get_queryset()
        try:
            ct = yield from queryset._get_operation(
                app_label=opts.app_label, model=opts.model_name
            )
        except self.model.DoesNotExist:
            ct, _ = yield from queryset._get_or_create_operation(
                None, {"app_label": opts.app_label, "model": opts.model_name}
            )
        self._add_to_cache(using, ct)
        return ct

    def _get_for_models_operation(
        self, models_: Iterable[Any], for_concrete_models: bool, using: str
    ) -> Operation:
        results: dict[Any, ContentType] = {}
        needed: dict[tuple[str, str], list[Any]] = {}
        for model in models_:
            opts = self._get_opts(model, for_concrete_models)
            key = (opts.app_label, opts.model_name)
            ct = self._cached(using, key)
            if ct is not None:
                results[model] = ct
            else:
                needed.setdefault(key, []).append(model)
        if needed:
            queryset = self.db_manager(using).get_queryset()
            found = yield from queryset.filter(
                app_label__in={label for label, _ in needed},
                model__in={name for _, name in needed},
            )._fetch_operation()
            for ct in found:
                wanted = needed.pop((ct.app_label, ct.model), None)
                if wanted is None:
                    continue
                self._add_to_cache(using, ct)
                for model in wanted:
                    results[model] = ct
            # The query above just showed these rows missing: insert them
            # (one INSERT each, no get_or_create round trips).
            for (app_label, model_name), wanted in needed.items():
                ct = yield from queryset._create_operation(
                    {"app_label": app_label, "model": model_name}
                )
                self._add_to_cache(using, ct)
                for model in wanted:
                    results[model] = ct
        return results

    def _get_for_id_operation(self, id: Any, using: str | None = None) -> Operation:
        using = using or self.db
        ct = self._cached(using, id)
        if ct is None:
            queryset = self.db_manager(using).get_queryset()
            ct = yield from queryset._get_operation(id=id)
            self._add_to_cache(using, ct)
        return ct

    def _get_by_natural_key_operation(self, app_label: str, model: str) -> Operation:
        using = self.db
        ct = self._cached(using, (app_label, model))
        if ct is None:
            queryset = self.db_manager(using).get_queryset()
            ct = yield from queryset._get_operation(app_label=app_label, model=model)
            self._add_to_cache(using, ct)
        return ct

    # -- public API ------------------------------------------------------------
    def get_for_model(self, model: Any, for_concrete_model: bool = True) -> Any:
        """Return the ContentType of ``model`` (a class or instance), creating it.

        Served from the cache without a query once seen, in async code too.
        """
        opts = self._get_opts(model, for_concrete_model)
        ct = self._cached(self.db, (opts.app_label, opts.model_name))
        if ct is not None:
            return ct
        return run(
            self._get_for_model_operation(model, for_concrete_model),
            _uncached_message(f"get_for_model({opts.label})", "aget_for_model"),
        )

    async def aget_for_model(self, model: Any, for_concrete_model: bool = True) -> Any:
        """Return the ContentType of ``model`` (async)."""
        return await arun(self._get_for_model_operation(model, for_concrete_model))

    def get_for_models(
        self, *models_: Any, for_concrete_models: bool = True
    ) -> dict[Any, Any]:
        """Return ``{model: ContentType}`` for ``models_`` in at most one query."""
        return run(  # type: ignore[no-any-return]
            self._get_for_models_operation(models_, for_concrete_models, self.db)
        )

    async def aget_for_models(
        self, *models_: Any, for_concrete_models: bool = True
    ) -> dict[Any, Any]:
        """Return ``{model: ContentType}`` for ``models_`` (async)."""
        return await arun(  # type: ignore[no-any-return]
            self._get_for_models_operation(models_, for_concrete_models, self.db)
        )

    def get_for_id(self, id: Any) -> Any:
        """Return the ContentType with primary key ``id`` (cached)."""
        ct = self._cached(self.db, id)
        if ct is not None:
            return ct
        return run(
            self._get_for_id_operation(id),
            _uncached_message(f"get_for_id({id!r})", "aget_for_id"),
        )

    async def aget_for_id(self, id: Any) -> Any:
        """Return the ContentType with primary key ``id`` (async)."""
        return await arun(self._get_for_id_operation(id))

    def get_by_natural_key(self, app_label: str, model: str) -> Any:
        """Return the ContentType for ``(app_label, model)`` (cached)."""
        return run(self._get_by_natural_key_operation(app_label, model))

    async def aget_by_natural_key(self, app_label: str, model: str) -> Any:
        """Return the ContentType for ``(app_label, model)`` (async)."""
        return await arun(self._get_by_natural_key_operation(app_label, model))

    def cached_id_for_model(
        self, model: Any, for_concrete_model: bool = True, using: str | None = None
    ) -> Any:
        """Return the cached id of ``model``'s content type, or None (no query)."""
        opts = self._get_opts(model, for_concrete_model)
        ct = self._cached(using or self.db, (opts.app_label, opts.model_name))
        return None if ct is None else ct.id


def _uncached_message(call: str, async_name: str) -> str:
    return (
        f"ContentType.objects.{call} would run a database query, which cannot "
        "block the event loop. Use "
        f"`await ContentType.objects.{async_name}(...)` (it fills the cache "
        "the sync method reads)."
    )


class ContentType(models.Model):
    """One row per model: ``app_label`` and lower-case ``model`` name."""

    if TYPE_CHECKING:
        id: int
        app_label: str
        model: str
    else:
        app_label = models.CharField(max_length=100)
        model = models.CharField("python model class name", max_length=100)

    objects = ContentTypeManager()

    class Meta:
        app_label = "contenttypes"
        verbose_name = "content type"
        verbose_name_plural = "content types"
        db_table = "manouche_content_type"
        unique_together = [["app_label", "model"]]

    def __str__(self) -> str:
        return self.app_labeled_name

    @property
    def name(self) -> str:
        """Return the model's verbose name (the stored name if it is gone)."""
        model = self.model_class()
        if model is None:
            return self.model
        return str(model._meta.verbose_name)

    @property
    def app_labeled_name(self) -> str:
        """Return ``"<app verbose name> | <model verbose name>"``."""
        model = self.model_class()
        if model is None:
            return self.model
        app_config = model._meta.app_config
        app_name = app_config.verbose_name if app_config else self.app_label
        return f"{app_name} | {model._meta.verbose_name}"

    def model_class(self) -> Any:
        """Return the model class, or None when it is not installed."""
        try:
            return apps.get_model(self.app_label, self.model)
        except LookupError:
            return None

    def get_object_for_this_type(self, using: str | None = None, **kwargs: Any) -> Any:
        """Return the object of this type matching ``kwargs`` (``get()``)."""
        model = self.model_class()
        return model._base_manager.using(using or self._state.db).get(**kwargs)

    async def aget_object_for_this_type(
        self, using: str | None = None, **kwargs: Any
    ) -> Any:
        """Return the object of this type matching ``kwargs`` (async)."""
        model = self.model_class()
        return await model._base_manager.using(using or self._state.db).aget(**kwargs)

    def get_all_objects_for_this_type(self, **kwargs: Any) -> Any:
        """Return a QuerySet of this type's objects filtered by ``kwargs``."""
        return self.model_class()._base_manager.using(self._state.db).filter(**kwargs)

    def natural_key(self) -> tuple[str, str]:
        """Return ``(app_label, model)``."""
        return (self.app_label, self.model)
