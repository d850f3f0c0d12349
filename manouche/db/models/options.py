"""Model metadata (``Model._meta``): fields, names, managers and the SA table.

Options is built as the model class is created. Field lookups are cached and
the caches are expired whenever a field or a relation is added.
"""

from __future__ import annotations

import bisect
import weakref
from typing import Any

import sqlalchemy as sa

from manouche.apps import apps as global_apps
from manouche.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from manouche.utils.datastructures import ImmutableList
from manouche.utils.functional import cached_property
from manouche.utils.module_loading import import_string
from manouche.utils.text import camel_case_to_spaces

__all__ = [
    "DEFAULT_NAMES",
    "EMPTY_RELATION_TREE",
    "IMMUTABLE_WARNING",
    "Options",
    "metadata_for",
]

#: The message of the error raised on changing a shared, cached field list.
IMMUTABLE_WARNING = (
    "The result of %s is cached and shared by every caller; it must not be "
    "changed. Make a copy (list(...)) to work on it."
)
#: The relation tree of a model that nothing points at.
EMPTY_RELATION_TREE = ImmutableList(warning=IMMUTABLE_WARNING % "_relation_tree")

DEFAULT_NAMES = (
    "verbose_name",
    "verbose_name_plural",
    "db_table",
    "db_table_comment",
    "ordering",
    "unique_together",
    "permissions",
    "get_latest_by",
    "order_with_respect_to",
    "app_label",
    "db_tablespace",
    "abstract",
    "managed",
    "proxy",
    "swappable",
    "auto_created",
    "apps",
    "default_permissions",
    "select_on_save",
    "default_related_name",
    "required_db_features",
    "required_db_vendor",
    "base_manager_name",
    "default_manager_name",
    "indexes",
    "constraints",
)

_METADATA: weakref.WeakKeyDictionary[Any, sa.MetaData] = weakref.WeakKeyDictionary()

_CACHED_PROPERTIES = (
    "fields",
    "concrete_fields",
    "local_concrete_fields",
    "many_to_many",
    "related_objects",
    "fields_map",
    "_forward_fields_map",
    "managers",
    "managers_map",
    "base_manager",
    "default_manager",
    "_attnames",
    "_concrete_attnames",
    "db_returning_fields",
    "_property_names",
    "_non_pk_concrete_field_names",
    "pk_fields",
    "_fast_statements",
    "_fast_get_statements",
    "_rows_builders",
    "_relation_tree",
    "total_unique_constraints",
    "all_parents",
)


def metadata_for(apps: Any) -> sa.MetaData:
    """Return the SQLAlchemy MetaData shared by every model of ``apps``."""
    metadata = _METADATA.get(apps)
    if metadata is None:
        metadata = _METADATA[apps] = sa.MetaData()
    return metadata


def normalize_together(option: Any) -> tuple[tuple[str, ...], ...]:
    """Turn ``unique_together`` into a tuple of tuples."""
    if not option:
        return ()
    if isinstance(option, (set, frozenset)):
        # Migration states (and Django-style migration files) use sets.
        return tuple(sorted(tuple(item) for item in option))
    if not isinstance(option, (tuple, list)):
        raise TypeError("unique_together must be a tuple or a list")
    first = option[0]
    if not isinstance(first, (tuple, list)):
        return (tuple(option),)
    return tuple(tuple(item) for item in option)


class Options:
    """Everything a model knows about itself, as ``Model._meta``."""

    #: The registry new models join (isolate_apps swaps it in tests).
    default_apps: Any = global_apps

    FORWARD_PROPERTIES = frozenset(
        {"fields", "many_to_many", "concrete_fields", "local_concrete_fields"}
    )

    def __init__(self, meta: Any, app_label: str | None = None) -> None:
        self._get_fields_cache: dict[Any, Any] = {}
        self.local_fields: list[Any] = []
        self.local_many_to_many: list[Any] = []
        self.private_fields: list[Any] = []
        self.local_managers: list[Any] = []
        self.base_manager_name: str | None = None
        self.default_manager_name: str | None = None
        self.model_name: str = ""
        self.verbose_name: Any = None
        self.verbose_name_plural: Any = None
        self.db_table = ""
        self.db_table_comment = ""
        self.ordering: list[Any] = []
        self._ordering_clash = False
        self.indexes: list[Any] = []
        self.constraints: list[Any] = []
        self.unique_together: tuple[tuple[str, ...], ...] = ()
        self.select_on_save = False
        self.default_permissions = ("add", "change", "delete", "view")
        self.permissions: list[Any] = []
        self.object_name = ""
        self.app_label = app_label or ""
        self.get_latest_by: Any = None
        self.order_with_respect_to: Any = None
        self.db_tablespace = ""
        self.required_db_features: list[str] = []
        self.required_db_vendor: str | None = None
        self.meta = meta
        self.pk: Any = None
        self.auto_field: Any = None
        self.abstract = False
        self.managed = True
        self.proxy = False
        self.proxy_for_model: Any = None
        self.concrete_model: Any = None
        self.swappable: str | None = None
        self.parents: dict[Any, Any] = {}
        self.auto_created: Any = False
        self.related_fkey_lookups: list[Any] = []
        self.apps = self.default_apps
        self.default_related_name: str | None = None
        self.model: Any = None
        self.original_attrs: dict[str, Any] = {}
        #: Reverse relations (``ForeignObjectRel``) pointing at this model,
        #: recorded as the relations resolve; proxies record on the concrete model.
        self._relations: list[Any] = []

    @property
    def label(self) -> str:
        """Return ``app_label.ObjectName``."""
        return f"{self.app_label}.{self.object_name}"

    @property
    def label_lower(self) -> str:
        """Return ``app_label.model_name``."""
        return f"{self.app_label}.{self.model_name}"

    @property
    def app_config(self) -> Any:
        """Return the AppConfig of this model's app, or None."""
        return self.apps.app_configs.get(self.app_label)

    def contribute_to_class(self, cls: Any, name: str) -> None:
        """Read the inner Meta and set the defaults derived from the class."""
        cls._meta = self
        self.model = cls
        self.object_name = cls.__name__
        self.model_name = self.object_name.lower()
        self.verbose_name = camel_case_to_spaces(self.object_name)
        if self.meta:
            meta_attrs = {
                key: value
                for key, value in self.meta.__dict__.items()
                if not key.startswith("_")
            }
            for attr_name in DEFAULT_NAMES:
                if attr_name in meta_attrs:
                    setattr(self, attr_name, meta_attrs.pop(attr_name))
                    self.original_attrs[attr_name] = getattr(self, attr_name)
                elif hasattr(self.meta, attr_name):
                    setattr(self, attr_name, getattr(self.meta, attr_name))
                    self.original_attrs[attr_name] = getattr(self, attr_name)
            self.unique_together = normalize_together(self.unique_together)
            if not getattr(cls._meta, "abstract", False):
                for attr_name in ("indexes", "constraints"):
                    objects = getattr(self, attr_name, [])
                    setattr(self, attr_name, self._format_names(objects))
            if self.verbose_name_plural is None:
                self.verbose_name_plural = f"{self.verbose_name}s"
            if meta_attrs:
                raise TypeError(
                    "'class Meta' got invalid attribute(s): "
                    + ",".join(sorted(meta_attrs))
                )
        else:
            self.verbose_name_plural = f"{self.verbose_name}s"
        # Told apart now: _prepare() orders an order_with_respect_to model by _order.
        self._ordering_clash = bool(self.ordering and self.order_with_respect_to)
        self.ordering = list(self.ordering)
        del self.meta
        if not self.db_table:
            self.db_table = f"{self.app_label}_{self.model_name}"

    def _format_names(self, objects: list[Any]) -> list[Any]:
        names = []
        for obj in objects:
            obj = obj.clone() if hasattr(obj, "clone") else obj
            name = getattr(obj, "name", None)
            if name and "%(" in name:
                obj.name = name % {
                    "app_label": self.app_label.lower(),
                    "class": self.object_name.lower(),
                }
            names.append(obj)
        return names

    def _get_default_pk_class(self) -> Any:
        app_config = self.app_config
        path = app_config.default_auto_field if app_config is not None else None
        if path is None:
            from manouche.conf import settings

            path = settings.DEFAULT_AUTO_FIELD
        try:
            return import_string(path)
        except ImportError as error:
            raise ImproperlyConfigured(
                f"DEFAULT_AUTO_FIELD refers to the module '{path}' that could not "
                "be imported."
            ) from error

    def _prepare(self, model: Any) -> None:
        """Finish set-up once every field is attached: ``_order``, the primary key."""
        self._prepare_order_with_respect_to(model)
        if self.pk is None:
            if self.parents:
                field = next(iter(self.parents.values()))
                field.primary_key = True
                self.setup_pk(field)
            else:
                pk_class = self._get_default_pk_class()
                auto = pk_class(verbose_name="ID", primary_key=True, auto_created=True)
                model.add_to_class("id", auto)

    def _prepare_order_with_respect_to(self, model: Any) -> None:
        """Swap the option's field name for the field; add ``_order`` and order by it.

        A model ordered with respect to a relation keeps its rows in the order
        the hidden ``_order`` column gives, within each related object.
        """
        name = self.order_with_respect_to
        if not name:
            self.order_with_respect_to = None
            return
        if isinstance(name, str):
            found = [
                field
                for field in self._get_fields(reverse=False)
                if name in (field.name, field.attname)
            ]
            if not found:
                raise FieldDoesNotExist(
                    f"{self.object_name} has no field named '{name}'"
                )
            self.order_with_respect_to = found[0]
        self.ordering = ["_order"]
        from manouche.db.models.fields.proxy import OrderWrt

        if not any(isinstance(field, OrderWrt) for field in self.local_fields):
            model.add_to_class("_order", OrderWrt())

    def add_manager(self, manager: Any) -> None:
        """Record a manager declared on the model."""
        self.local_managers.append(manager)
        self._expire_cache()

    def add_field(self, field: Any, private: bool = False) -> None:
        """Insert a field, keeping creation order."""
        if private:
            self.private_fields.append(field)
        elif field.is_relation and field.many_to_many:
            bisect.insort(self.local_many_to_many, field)
        else:
            bisect.insort(self.local_fields, field)
            self.setup_pk(field)
        self._expire_cache()

    def setup_pk(self, field: Any) -> None:
        """Make ``field`` the primary key if it is one and none is set yet."""
        if not self.pk and field.primary_key:
            self.pk = field
            field.serialize = False

    def setup_proxy(self, target: Any) -> None:
        """Share the concrete model's primary key and table."""
        self.pk = target._meta.pk
        self.proxy_for_model = target
        self.db_table = target._meta.db_table

    def __repr__(self) -> str:
        return f"<Options for {self.object_name}>"

    def __str__(self) -> str:
        return self.label_lower

    def can_migrate(self, connection: Any) -> bool:
        """Tell whether this model's table belongs on ``connection``."""
        if self.proxy or self.swapped or not self.managed:
            return False
        if isinstance(connection, str):
            from manouche.db import connections

            connection = connections[connection]
        if self.required_db_vendor:
            return bool(self.required_db_vendor == connection.vendor)
        features = connection.features
        return all(getattr(features, name, False) for name in self.required_db_features)

    @property
    def swapped(self) -> str | None:
        """Return the setting's value when a swappable model is replaced.

        ``Meta.swappable`` names a setting; when it names another model (or
        anything that is not this model's label) that value is returned.
        """
        if not self.swappable:
            return None
        from manouche.conf import settings

        swapped_for = getattr(settings, self.swappable, None)
        if not swapped_for:
            return None
        try:
            app_label, model_name = swapped_for.split(".")
        except ValueError:
            return str(swapped_for)  # not a label: reported by the checks
        if f"{app_label}.{model_name}".lower() == self.label_lower:
            return None
        return str(swapped_for)

    @property
    def verbose_name_raw(self) -> str:
        """Return the untranslated verbose name."""
        return str(self.verbose_name)

    # -- managers -----------------------------------------------------------
    @cached_property
    def managers(self) -> tuple[Any, ...]:
        """Return every manager, inherited ones included, in declaration order."""
        seen: set[str] = set()
        found = []
        for depth, base in enumerate(self.model.__mro__):
            meta = getattr(base, "_meta", None)
            if meta is None:
                continue
            for manager in meta.local_managers:
                if manager.name in seen:
                    continue
                seen.add(manager.name)
                copy = manager._copy_to_model(self.model)
                found.append((depth, manager.creation_counter, copy))
        return tuple(manager for _, _, manager in sorted(found, key=_manager_key))

    @cached_property
    def managers_map(self) -> dict[str, Any]:
        """Return managers by name."""
        return {manager.name: manager for manager in self.managers}

    @cached_property
    def base_manager(self) -> Any:
        """Return the manager used for related access (never filtered)."""
        from manouche.db.models.manager import Manager

        if self.base_manager_name:
            return self.managers_map[self.base_manager_name]
        manager = Manager()
        manager.name = "_base_manager"
        manager.model = self.model
        manager.auto_created = True
        return manager

    @cached_property
    def default_manager(self) -> Any:
        """Return the first manager, or the named default."""
        if self.default_manager_name:
            try:
                return self.managers_map[self.default_manager_name]
            except KeyError:
                raise ValueError(
                    f"{self.object_name} has no manager named "
                    f"{self.default_manager_name!r}"
                )
        return self.managers[0] if self.managers else None

    # -- fields ---------------------------------------------------------------
    @cached_property
    def fields(self) -> tuple[Any, ...]:
        """Return forward fields (not many-to-many), parents' included.

        Generic relations (GenericForeignKey, GenericRelation: private fields
        without a column) are left out, as Django does.
        """
        return tuple(
            field
            for field in self._get_fields(reverse=False)
            if not (field.is_relation and field.many_to_many)
            and not (field.is_relation and field.one_to_many)
            and not (field.is_relation and field.many_to_one and not field.remote_field)
        )

    @cached_property
    def concrete_fields(self) -> tuple[Any, ...]:
        """Return the fields that have a column."""
        return tuple(field for field in self.fields if field.concrete)

    @cached_property
    def local_concrete_fields(self) -> tuple[Any, ...]:
        """Return this model's own fields that have a column."""
        return tuple(field for field in self.local_fields if field.concrete)

    @cached_property
    def many_to_many(self) -> tuple[Any, ...]:
        """Return the many-to-many fields, parents' included."""
        return tuple(
            field
            for field in self._get_fields(reverse=False)
            if field.is_relation and field.many_to_many
        )

    @cached_property
    def related_objects(self) -> tuple[Any, ...]:
        """Return the relations (``ForeignObjectRel``) pointing at this model."""
        return tuple(
            field
            for field in self._get_fields(forward=False, reverse=True)
            if not field.hidden or field.field.many_to_many
        )

    @cached_property
    def total_unique_constraints(self) -> list[Any]:
        """Return the UniqueConstraints over plain fields that always apply."""
        from manouche.db.models.constraints import UniqueConstraint

        return [
            constraint
            for constraint in self.constraints
            if isinstance(constraint, UniqueConstraint)
            and constraint.condition is None
            and not constraint.expressions
        ]

    @cached_property
    def _forward_fields_map(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for field in self._get_fields(reverse=False):
            found[field.name] = field
            found.setdefault(field.attname, field)
        return found

    @cached_property
    def fields_map(self) -> dict[str, Any]:
        """Return every field and relation by name (reverse ones included)."""
        found: dict[str, Any] = {}
        for field in self._get_fields(forward=False, include_hidden=True):
            found[field.name] = field
            found.setdefault(field.related_query_name(), field)
        return found

    @cached_property
    def pk_fields(self) -> list[Any]:
        """Return the primary key fields (one, in this landing)."""
        return [self.pk]

    @cached_property
    def _attnames(self) -> tuple[str, ...]:
        return tuple(field.attname for field in self.concrete_fields)

    @cached_property
    def _concrete_attnames(self) -> frozenset[str]:
        return frozenset(self._attnames)

    @cached_property
    def _non_pk_concrete_field_names(self) -> frozenset[str]:
        names = set()
        for field in self.concrete_fields:
            if not field.primary_key:
                names.add(field.name)
                names.add(field.attname)
        return frozenset(names)

    @cached_property
    def db_returning_fields(self) -> list[Any]:
        """Return the fields whose value the database computes on insert."""
        return [
            field
            for field in self._get_fields(forward=True, reverse=False)
            if getattr(field, "db_returning", False) and field.concrete
        ]

    @cached_property
    def _property_names(self) -> frozenset[str]:
        names = set()
        for klass in self.model.__mro__:
            for name, value in klass.__dict__.items():
                if isinstance(value, property):
                    names.add(name)
        return frozenset(names)

    def get_field(self, field_name: str) -> Any:
        """Return the field or relation called ``field_name``."""
        try:
            return self._forward_fields_map[field_name]
        except KeyError:
            if not getattr(self.apps, "models_ready", True):
                # Reverse relations appear as the registry loads: not yet.
                raise FieldDoesNotExist(
                    f"{self.object_name} has no field named '{field_name}'. The app "
                    "cache isn't ready yet, so if this is an auto-created related "
                    "field, it won't be available yet."
                )
        try:
            return self.fields_map[field_name]
        except KeyError:
            raise FieldDoesNotExist(
                f"{self.object_name} has no field named '{field_name}'"
            )

    def get_fields(
        self, include_parents: bool = True, include_hidden: bool = False
    ) -> tuple[Any, ...]:
        """Return forward and reverse fields."""
        return self._get_fields(
            include_parents=include_parents, include_hidden=include_hidden
        )

    def _get_fields(
        self,
        forward: bool = True,
        reverse: bool = True,
        include_parents: bool = True,
        include_hidden: bool = False,
    ) -> tuple[Any, ...]:
        key = (forward, reverse, include_parents, include_hidden)
        cached = self._get_fields_cache.get(key)
        if cached is not None:
            return cached  # type: ignore[no-any-return]
        fields: list[Any] = []
        if self.proxy:
            fields = list(
                self.proxy_for_model._meta._get_fields(
                    forward=forward,
                    reverse=reverse,
                    include_parents=include_parents,
                    include_hidden=include_hidden,
                )
            )
            if forward and self.private_fields:
                fields = self._own_private_copies(fields)
        else:
            if include_parents:
                for parent in self.parents:
                    for field in parent._meta._get_fields(
                        forward=forward, reverse=reverse, include_hidden=include_hidden
                    ):
                        if (
                            field not in fields
                            and not (
                                not forward and field.hidden and not include_hidden
                            )
                            and not self._foreign_parent_link(field)
                        ):
                            fields.append(field)
            if reverse:
                fields += [
                    relation
                    for relation in self._relations
                    if (include_hidden or not relation.hidden)
                    and _from_installed_app(relation)
                ]
            if forward:
                fields += self.local_fields
                fields += self.local_many_to_many
                fields += self.private_fields
        result = ImmutableList(fields, warning=IMMUTABLE_WARNING % "get_fields()")
        self._get_fields_cache[key] = result
        return result

    def _own_private_copies(self, fields: list[Any]) -> list[Any]:
        """Put this proxy's copies of private fields in place of the parent's.

        A copy is bound to the proxy (a GenericRelation with
        ``for_concrete_model=False`` matches the proxy's content type).
        """
        own = {field.name: field for field in self.private_fields}
        result: list[Any] = []
        for field in fields:
            model = getattr(field, "model", None)
            if (
                field.name in own
                and model is not None
                and field in model._meta.private_fields
            ):
                field = own[field.name]
            if field not in result:
                result.append(field)
        return result

    def _foreign_parent_link(self, field: Any) -> bool:
        """Tell whether ``field`` is a parent's link to another child model.

        A parent's reverse parent links belong to its children: only the one
        leading to this model is listed among this model's fields.
        """
        return (
            not field.concrete
            and bool(getattr(field, "parent_link", False))
            and field.model is not self.concrete_model
        )

    def add_relation(self, relation: Any) -> None:
        """Record a reverse relation pointing at this model (or its concrete one)."""
        owner = self
        if self.proxy and self.concrete_model is not None:
            owner = self.concrete_model._meta
        if relation not in owner._relations:
            owner._relations.append(relation)
        for model in self.apps.all_models[self.app_label].values():
            model._meta._expire_cache()
        owner._expire_cache()
        self._expire_cache()

    @cached_property
    def _relation_tree(self) -> Any:
        """Return the forward fields pointing at this model.

        The first access fills the cache of every model of the registry at
        once; ``apps.clear_cache()`` drops them.
        """
        for model in self.apps.get_models(include_auto_created=True):
            opts = model._meta
            if opts is not self:
                opts.__dict__["_relation_tree"] = opts._forward_relations()
        return self._forward_relations()

    def _forward_relations(self) -> Any:
        found = [relation.field for relation in self._relations]
        return found or EMPTY_RELATION_TREE

    @cached_property
    def all_parents(self) -> tuple[Any, ...]:
        """Return every ancestor model (concrete and proxied), nearest first."""
        result = dict.fromkeys(self.parents)
        for parent in self.parents:
            result.update(dict.fromkeys(parent._meta.all_parents))
        return tuple(result)

    def get_parent_list(self) -> list[Any]:
        """Return every ancestor model, nearest first."""
        return list(self.all_parents)

    def get_ancestor_link(self, ancestor: Any) -> Any:
        """Return the parent link field leading towards ``ancestor``."""
        if ancestor in self.parents:
            return self.parents[ancestor]
        for parent in self.parents:
            link = parent._meta.get_ancestor_link(ancestor)
            if link:
                return self.parents[parent] or link
        return None

    def get_path_to_parent(self, parent: Any) -> list[Any]:
        """Return the parent link fields from this model up to ``parent``."""
        if self.model is parent:
            return []
        for model, link in self.parents.items():
            if model is parent:
                return [link]
            path = model._meta.get_path_to_parent(parent)
            if path:
                return [link, *path]
        return []

    def _expire_cache(self, forward: bool = True, reverse: bool = True) -> None:
        for name in _CACHED_PROPERTIES:
            self.__dict__.pop(name, None)
        self._get_fields_cache = {}

    # -- SQLAlchemy ----------------------------------------------------------
    @property
    def sa_table(self) -> sa.Table:
        """Return the model's cached SQLAlchemy Table, built on first use."""
        table = self.__dict__.get("_sa_table")
        if table is None:
            from manouche.db.models._schema import build_table

            table = build_table(self.concrete_model or self.model)
            if self.proxy:
                self.__dict__["_sa_table"] = table
        return table

    @property
    def db_metadata(self) -> sa.MetaData:
        """Return the MetaData shared by this model's registry."""
        return metadata_for(self.apps)


def _manager_key(item: tuple[int, int, Any]) -> tuple[int, int]:
    return item[0], item[1]


def _from_installed_app(relation: Any) -> bool:
    """Whether the model holding ``relation``'s field belongs to an app of its registry.

    As in Django, a model imported from an app that is not installed (an
    explicit ``app_label`` makes that possible) adds no reverse relation:
    deleting a row must not cascade into a table that may not exist.
    """
    opts = relation.field.model._meta
    return opts.app_label in opts.apps.app_configs
