"""Relation fields: ForeignKey, OneToOneField and ManyToManyField.

Targets may be classes, ``"app_label.Model"``, ``"Model"`` (same app) or
``"self"``; they are resolved through the app registry once the target exists.
"""

from __future__ import annotations

from typing import Any, ClassVar

import sqlalchemy as sa

from manouche.core.exceptions import FieldError, ValidationError
from manouche.db.models import fields
from manouche.db.models.fields import NOT_PROVIDED, Field
from manouche.db.models.fields._foreign_object import (
    ForeignObjectDescriptor,
    check_field_pairs,
    resolve_field,
)
from manouche.db.models.fields.related_descriptors import (
    ForeignKeyDeferredAttribute,
    ForwardManyToOneDescriptor,
    ForwardOneToOneDescriptor,
    ManyToManyDescriptor,
    ReverseManyToOneDescriptor,
    ReverseOneToOneDescriptor,
)
from manouche.db.models.fields.reverse_related import (
    ForeignObjectRel,
    ManyToManyRel,
    ManyToOneRel,
    OneToOneRel,
)

__all__ = [
    "RECURSIVE_RELATIONSHIP_CONSTANT",
    "ForeignKey",
    "ForeignObject",
    "ForeignObjectRel",
    "ManyToManyField",
    "ManyToManyRel",
    "ManyToOneRel",
    "OneToOneField",
    "OneToOneRel",
    "RelatedField",
    "lazy_related_operation",
    "resolve_relation",
]

RECURSIVE_RELATIONSHIP_CONSTANT = "self"


def resolve_relation(scope_model: Any, relation: Any) -> Any:
    """Normalise a relation target to a model class or ``"app_label.Model"``."""
    if relation == RECURSIVE_RELATIONSHIP_CONSTANT:
        relation = scope_model
    if isinstance(relation, str) and "." not in relation:
        relation = f"{scope_model._meta.app_label}.{relation}"
    return relation


def lazy_related_operation(
    function: Any, model: Any, *related: Any, **kwargs: Any
) -> None:
    """Call ``function(model, *related_models)`` once every model is registered."""
    models = [model] + [resolve_relation(model, rel) for rel in related]
    keys = []
    for item in models:
        if isinstance(item, str):
            app_label, model_name = item.split(".")
            keys.append((app_label, model_name.lower()))
        else:
            keys.append((item._meta.app_label, item._meta.model_name))

    def call(*resolved: Any) -> None:
        function(*resolved, **kwargs)

    model._meta.apps.lazy_model_operation(call, *keys)


def _relation_label(model: Any) -> str:
    """Return a relation target as deconstruct() writes it."""
    if not isinstance(model, str):
        return str(model._meta.label_lower)
    if "." in model:
        app_label, model_name = model.split(".", 1)
        return f"{app_label}.{model_name.lower()}"
    return model if model == RECURSIVE_RELATIONSHIP_CONSTANT else model.lower()


def _related_names(field: Any) -> dict[str, Any]:
    """Return the related_name/related_query_name the field was declared with."""
    found = {}
    for keyword in ("related_name", "related_query_name"):
        value = getattr(field, f"_declared_{keyword}", None)
        if value is not None:
            found[keyword] = value
    return found


def _on_delete(value: Any) -> Any:
    if isinstance(value, str):
        from manouche.db.models import deletion

        return getattr(deletion, value)
    return value


class RelatedField(Field):
    """Base class for relation fields."""

    one_to_many = False
    one_to_one = False
    many_to_many = False
    many_to_one = False
    rel_class: type[Any] = ForeignObjectRel

    @property
    def related_model(self) -> Any:
        """Return the target model (a string until resolved)."""
        return self.remote_field.model

    def contribute_to_class(
        self, cls: Any, name: str, private_only: bool = False, **kwargs: Any
    ) -> None:
        super().contribute_to_class(cls, name, private_only=private_only)
        self.opts = cls._meta
        if not cls._meta.abstract:
            related_name = self.remote_field.related_name
            if related_name:
                self.remote_field.related_name = related_name % {
                    "class": cls.__name__.lower(),
                    "model_name": cls._meta.model_name,
                    "app_label": cls._meta.app_label.lower(),
                }
            related_query_name = self.remote_field._related_query_name
            if related_query_name:
                self.remote_field._related_query_name = related_query_name % {
                    "class": cls.__name__.lower(),
                    "app_label": cls._meta.app_label.lower(),
                }

            def resolve(model: Any, related: Any, field: Any) -> None:
                field.remote_field.model = related
                field.do_related_class(related, model)

            lazy_related_operation(resolve, cls, self.remote_field.model, field=self)

    def do_related_class(self, other: Any, cls: Any) -> None:
        """Finish set-up once the target model exists."""
        self.set_attributes_from_rel()
        self.contribute_to_related_class(other, self.remote_field)

    def set_attributes_from_rel(self) -> None:
        """Default the verbose name from the target."""
        if self.verbose_name is None:
            self.verbose_name = self.remote_field.model._meta.verbose_name

    def contribute_to_related_class(self, cls: Any, related: Any) -> None:
        """Register the reverse relation on the target model."""
        cls._meta.add_relation(related)

    def related_query_name(self) -> str:
        """Return the name used to query from the target model."""
        return str(self.remote_field.related_query_name())

    def get_limit_choices_to(self) -> Any:
        """Return limit_choices_to (calling it if callable)."""
        limit = self.remote_field.limit_choices_to
        return limit() if callable(limit) else limit

    @property
    def target_field(self) -> Any:
        """Return the field this relation points to."""
        raise NotImplementedError


class ForeignObject(RelatedField):
    """A relation keyed by existing fields (``from_fields`` -> ``to_fields``).

    Used directly, it adds no column: see ``_foreign_object``. ForeignKey
    specialises it with a column of its own (``<name>_id``).
    """

    many_to_one = True
    requires_unique_target = True
    # Only lookups registered on ForeignObject and its subclasses apply.
    own_lookup_registry = True
    related_accessor_class: type = ReverseManyToOneDescriptor
    forward_related_accessor_class: type = ForwardManyToOneDescriptor
    rel_class: type[Any] = ForeignObjectRel
    # Set by ForeignObject.__init__ only: subclasses keep their own behaviour.
    _plain_foreign_object = False

    def __init__(
        self,
        to: Any,
        on_delete: Any,
        from_fields: Any,
        to_fields: Any,
        rel: Any = None,
        related_name: str | None = None,
        related_query_name: str | None = None,
        limit_choices_to: Any = None,
        parent_link: bool = False,
        **kwargs: Any,
    ) -> None:
        if not callable(_on_delete(on_delete)):
            raise TypeError("on_delete must be callable.")
        sources, targets = check_field_pairs(from_fields, to_fields)
        if rel is None:
            rel = self.rel_class(
                self,
                to,
                related_name=related_name,
                related_query_name=related_query_name,
                limit_choices_to=limit_choices_to,
                parent_link=parent_link,
                on_delete=_on_delete(on_delete),
            )
        super().__init__(rel=rel, **kwargs)
        self.from_fields = sources
        self.to_fields = targets
        self._declared_related_name = related_name
        self._declared_related_query_name = related_query_name
        self._plain_foreign_object = True

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        if self._plain_foreign_object:
            rel = self.remote_field
            kwargs["to"] = _relation_label(rel.model)
            kwargs["on_delete"] = rel.on_delete
            kwargs["from_fields"] = list(self.from_fields)
            kwargs["to_fields"] = list(self.to_fields)
            kwargs.update(_related_names(self))
        return name, path, args, kwargs

    def get_attname_column(self) -> tuple[str, str | None]:
        # No column: the key lives in the from_fields.
        return self.get_attname(), None

    @property
    def related_fields(self) -> list[tuple[Any, Any]]:
        """Return ``(local field, target field)`` pairs of the key.

        A target field inherited from a parent lives in the parent's table,
        so the key cannot reference it on the child.
        """
        model = self.remote_field.model
        pairs = list(
            zip(self.local_related_fields, self.foreign_related_fields, strict=True)
        )
        for _local, target in pairs:
            owner = target.model._meta.concrete_model
            if owner is not model._meta.concrete_model:
                raise FieldError(
                    f"'{self.model._meta.label}.{self.name}' refers to field "
                    f"'{target.name}' which is not local to model "
                    f"'{model._meta.concrete_model._meta.label}'."
                )
        return pairs

    @property
    def local_related_fields(self) -> tuple[Any, ...]:
        """Return this model's fields holding the key."""
        return tuple(resolve_field(self.model._meta, n) for n in self.from_fields)

    @property
    def foreign_related_fields(self) -> tuple[Any, ...]:
        """Return the target model's fields the key matches."""
        model = self.remote_field.model
        if isinstance(model, str):
            raise FieldError(f"Related model {model!r} cannot be resolved")
        return tuple(resolve_field(model._meta, n) for n in self.to_fields)

    @property
    def target_field(self) -> Any:
        """Return the target model's field the key refers to."""
        return self.foreign_related_fields[0]

    def contribute_to_class(
        self, cls: Any, name: str, private_only: bool = False, **kwargs: Any
    ) -> None:
        super().contribute_to_class(cls, name, private_only=private_only)
        if self._plain_foreign_object:
            setattr(cls, self.name, ForeignObjectDescriptor(self))

    def contribute_to_related_class(self, cls: Any, related: Any) -> None:
        super().contribute_to_related_class(cls, related)
        if not self._plain_foreign_object:
            return
        if not self.remote_field.hidden and not related.related_model._meta.swapped:
            accessor = related.get_accessor_name()
            if accessor:
                setattr(
                    cls._meta.concrete_model,
                    accessor,
                    self.related_accessor_class(related),
                )

    @property
    def sa_join(self) -> Any:
        """Return how the compiler joins through a column-less ForeignObject.

        Only plain ForeignObjects join this way; a ForeignKey's own column
        takes the compiler's regular path (AttributeError means "none").
        """
        if not self._plain_foreign_object:
            raise AttributeError("sa_join")
        return self._join_on_key_pair

    def _join_on_key_pair(self, compiler: Any, current: Any) -> tuple[Any, Any]:
        source = self.local_related_fields[0]
        target = self.target_field
        model = self.remote_field.model._meta.concrete_model

        def on(alias: Any) -> Any:
            return current.c[source.attname] == alias.c[target.attname]

        return model, on

    def sa_type(self) -> Any:
        raise NotImplementedError("A ForeignObject has no column of its own")


class ForeignKey(ForeignObject):
    """A many-to-one relation stored as the target's key in ``<name>_id``."""

    descriptor_class = ForeignKeyDeferredAttribute
    rel_class = ManyToOneRel

    empty_strings_allowed = False
    default_error_messages = {
        "invalid": (
            "%(model)s instance with %(field)s %(value)r is not a valid choice."
        )
    }

    def __class_getitem__(cls, *args: Any, **kwargs: Any) -> type[ForeignKey]:
        """Allow ``ForeignKey["Model"]`` in annotations; it is the class itself."""
        return cls

    def __init__(
        self,
        to: Any,
        on_delete: Any,
        related_name: str | None = None,
        related_query_name: str | None = None,
        limit_choices_to: Any = None,
        parent_link: bool = False,
        to_field: str | None = None,
        db_constraint: bool = True,
        **kwargs: Any,
    ) -> None:
        if not callable(_on_delete(on_delete)):
            raise TypeError("on_delete must be callable.")
        if not isinstance(to, str) and not hasattr(to, "_meta"):
            raise TypeError(
                f"{self.__class__.__name__}({to!r}) is invalid. First parameter to "
                f"{self.__class__.__name__} must be either a model, a model name, "
                f"or the string {RECURSIVE_RELATIONSHIP_CONSTANT!r}"
            )
        kwargs["rel"] = self.rel_class(
            self,
            to,
            to_field,
            related_name=related_name,
            related_query_name=related_query_name,
            limit_choices_to=limit_choices_to,
            parent_link=parent_link,
            on_delete=_on_delete(on_delete),
        )
        kwargs.setdefault("db_index", True)
        RelatedField.__init__(self, **kwargs)
        self._declared_related_name = related_name
        self._declared_related_query_name = related_query_name
        self.db_constraint = db_constraint
        self.to_fields = [to_field]
        self.from_fields = ["self"]

    _deconstruct_defaults: ClassVar[dict[str, Any]] = {"db_index": True}

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        rel = self.remote_field
        kwargs["to"] = _relation_label(rel.model)
        kwargs["on_delete"] = rel.on_delete
        kwargs.update(_related_names(self))
        if rel.limit_choices_to:
            kwargs["limit_choices_to"] = rel.limit_choices_to
        if rel.parent_link:
            kwargs["parent_link"] = True
        if self.to_fields[0] is not None:
            kwargs["to_field"] = self.to_fields[0]
        if not self.db_constraint:
            kwargs["db_constraint"] = False
        return name, path, args, kwargs

    def get_attname(self) -> str:
        return f"{self.name}_id"

    def get_attname_column(self) -> tuple[str, str | None]:
        attname = self.get_attname()
        return attname, self.db_column or attname

    @property
    def target_field(self) -> Any:
        """Return the target model's field the key refers to."""
        model = self.remote_field.model
        if isinstance(model, str):
            raise FieldError(f"Related model {model!r} cannot be resolved")
        name = self.remote_field.field_name
        if name is None:
            return model._meta.pk
        return model._meta.get_field(name)

    @property
    def foreign_related_fields(self) -> tuple[Any, ...]:
        return (self.target_field,)

    @property
    def local_related_fields(self) -> tuple[Any, ...]:
        return (self,)

    def contribute_to_class(
        self, cls: Any, name: str, private_only: bool = False, **kwargs: Any
    ) -> None:
        super().contribute_to_class(cls, name, private_only=private_only)
        setattr(cls, self.name, self.forward_related_accessor_class(self))

    def contribute_to_related_class(self, cls: Any, related: Any) -> None:
        super().contribute_to_related_class(cls, related)
        if self.remote_field.field_name is None:
            self.remote_field.field_name = cls._meta.pk.name
        if not self.remote_field.hidden and not related.related_model._meta.swapped:
            accessor = related.get_accessor_name()
            if accessor:
                setattr(
                    cls._meta.concrete_model,
                    accessor,
                    self.related_accessor_class(related),
                )

    def get_default(self) -> Any:
        value = super().get_default()
        if hasattr(value, "_meta"):
            return getattr(value, self.target_field.attname)
        return value

    def get_prep_value(self, value: Any) -> Any:
        if hasattr(value, "_meta"):
            return getattr(value, self.target_field.attname)
        return self.target_field.get_prep_value(value)

    def get_db_prep_save(self, value: Any, connection: Any = None) -> Any:
        if value is None or (
            value == "" and not self.target_field.empty_strings_allowed
        ):
            return None
        return self.get_prep_value(value)

    def to_python(self, value: Any) -> Any:
        return self.target_field.to_python(value)

    def validate(self, value: Any, model_instance: Any) -> None:
        """Check null/blank, then that the target row exists and is allowed.

        The row is looked up through the base manager (a default manager's
        filtering must not hide a valid target), narrowed by
        ``limit_choices_to``. A parent link is the instance's own row: skipped.
        """
        if self.remote_field.parent_link:
            return
        super().validate(value, model_instance)
        if value is None:
            return
        from manouche.db import router

        target_model = self.remote_field.model
        using = router.db_for_read(target_model, instance=model_instance)
        rows = target_model._base_manager.using(using).filter(
            **{self.remote_field.field_name: value}
        )
        rows = rows.complex_filter(self.get_limit_choices_to())
        if not rows.exists():
            raise ValidationError(
                self.error_messages["invalid"],
                code="invalid",
                params={
                    "model": target_model._meta.verbose_name,
                    "pk": value,
                    "field": self.remote_field.field_name,
                    "value": value,
                },
            )

    def get_lookup(self, lookup_name: str) -> Any:
        return super().get_lookup(lookup_name)

    def sa_type(self) -> Any:
        return self.target_field.rel_sa_type()

    def sa_column_kwargs(self) -> dict[str, Any]:
        kwargs = super().sa_column_kwargs()
        return kwargs

    @property
    def empty_values(self) -> list[Any]:  # type: ignore[override]
        return [None, ""]


def _rel_sa_type(field: Any) -> Any:
    if isinstance(field, fields.BigAutoField):
        return sa.BigInteger()
    if isinstance(field, fields.SmallAutoField):
        return sa.SmallInteger()
    if isinstance(field, fields.AutoField):
        return sa.Integer()
    if isinstance(field, ForeignKey):
        return field.target_field.rel_sa_type()
    return field.sa_type()


Field.rel_sa_type = _rel_sa_type  # type: ignore[attr-defined]


class OneToOneField(ForeignKey):
    """A one-to-one relation (a unique ForeignKey); reverse access is one object."""

    many_to_one = False
    one_to_one = True
    _deconstruct_defaults: ClassVar[dict[str, Any]] = {"unique": True}
    related_accessor_class = ReverseOneToOneDescriptor
    forward_related_accessor_class = ForwardOneToOneDescriptor
    rel_class = OneToOneRel

    def __init__(
        self, to: Any, on_delete: Any, to_field: str | None = None, **kwargs: Any
    ) -> None:
        kwargs["unique"] = True
        super().__init__(to, on_delete, to_field=to_field, **kwargs)

    def sa_column_kwargs(self) -> dict[str, Any]:
        kwargs = super().sa_column_kwargs()
        kwargs.pop("index", None)
        if self.primary_key:
            kwargs.pop("unique", None)
        return kwargs


def create_many_to_many_intermediary_model(field: Any, klass: Any) -> Any:
    """Build the auto-created ``through`` model of a ManyToManyField."""
    from manouche.db.models.base import Model, ModelBase

    to_model = resolve_relation(klass, field.remote_field.model)
    name = f"{klass._meta.object_name}_{field.name}"
    to = to_model if isinstance(to_model, str) else to_model._meta.object_name
    if isinstance(to_model, str):
        to = to_model.split(".")[-1]
    to_lower = to.lower()
    from_lower = klass._meta.model_name
    if to_lower == from_lower:
        to_name, from_name = f"to_{to_lower}", f"from_{from_lower}"
    else:
        to_name, from_name = to_lower, from_lower
    meta = type(
        "Meta",
        (),
        {
            "db_table": field._get_m2m_db_table(klass._meta),
            "auto_created": klass,
            "app_label": klass._meta.app_label,
            "db_tablespace": klass._meta.db_tablespace,
            "unique_together": (from_name, to_name),
            "verbose_name": f"{from_lower}-{to_lower} relationship",
            "verbose_name_plural": f"{from_lower}-{to_lower} relationships",
            "apps": field.model._meta.apps,
        },
    )
    return ModelBase(
        name,
        (Model,),
        {
            "Meta": meta,
            "__module__": klass.__module__,
            from_name: ForeignKey(
                klass,
                related_name=f"{name}+",
                db_tablespace=field.db_tablespace,
                db_constraint=field.remote_field.db_constraint,
                on_delete="CASCADE",
            ),
            to_name: ForeignKey(
                to_model,
                related_name=f"{name}+",
                db_tablespace=field.db_tablespace,
                db_constraint=field.remote_field.db_constraint,
                on_delete="CASCADE",
            ),
        },
    )


class ManyToManyField(RelatedField):
    """A many-to-many relation through an auto-created or custom join table."""

    many_to_many = True
    rel_class = ManyToManyRel

    def __init__(
        self,
        to: Any,
        related_name: str | None = None,
        related_query_name: str | None = None,
        limit_choices_to: Any = None,
        symmetrical: bool | None = None,
        through: Any = None,
        through_fields: tuple[str, str] | None = None,
        db_constraint: bool = True,
        db_table: str | None = None,
        swappable: bool = True,
        **kwargs: Any,
    ) -> None:
        if not isinstance(to, str) and not hasattr(to, "_meta"):
            raise TypeError(
                f"{self.__class__.__name__}({to!r}) is invalid. First parameter to "
                f"{self.__class__.__name__} must be either a model, a model name, "
                f"or the string {RECURSIVE_RELATIONSHIP_CONSTANT!r}"
            )
        if symmetrical is None:
            symmetrical = to == RECURSIVE_RELATIONSHIP_CONSTANT
        if through is not None and db_table is not None:
            raise ValueError(
                "Cannot specify a db_table if an intermediary model is used."
            )
        kwargs["rel"] = self.rel_class(
            self,
            to,
            related_name=related_name,
            related_query_name=related_query_name,
            limit_choices_to=limit_choices_to,
            symmetrical=symmetrical,
            through=through,
            through_fields=through_fields,
            db_constraint=db_constraint,
        )
        self.has_null_arg = "null" in kwargs
        super().__init__(**kwargs)
        self._declared_related_name = related_name
        self._declared_related_query_name = related_query_name
        self.db_table = db_table

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        rel = self.remote_field
        kwargs["to"] = _relation_label(rel.model)
        kwargs.update(_related_names(self))
        if rel.limit_choices_to:
            kwargs["limit_choices_to"] = rel.limit_choices_to
        # __init__ defaults symmetrical to (to == "self").
        if bool(rel.symmetrical) != (kwargs["to"] == RECURSIVE_RELATIONSHIP_CONSTANT):
            kwargs["symmetrical"] = rel.symmetrical
        through = rel.through
        if isinstance(through, str):
            kwargs["through"] = _relation_label(through)
        elif through is not None and not through._meta.auto_created:
            kwargs["through"] = through._meta.label
        if rel.through_fields:
            kwargs["through_fields"] = rel.through_fields
        if not rel.db_constraint:
            kwargs["db_constraint"] = False
        if self.db_table is not None:
            kwargs["db_table"] = self.db_table
        return name, path, args, kwargs

    def set_attributes_from_name(self, name: str) -> None:
        super().set_attributes_from_name(name)
        self.column = None
        self.concrete = False

    def get_attname_column(self) -> tuple[str, str | None]:
        return self.get_attname(), None

    def _get_m2m_db_table(self, opts: Any) -> str:
        if self.remote_field.through is not None and not isinstance(
            self.remote_field.through, str
        ):
            return str(self.remote_field.through._meta.db_table)
        if self.db_table:
            return self.db_table
        return f"{opts.db_table}_{self.name}"[:63]

    def contribute_to_class(
        self, cls: Any, name: str, private_only: bool = False, **kwargs: Any
    ) -> None:
        if self.remote_field.symmetrical and (
            self.remote_field.model == RECURSIVE_RELATIONSHIP_CONSTANT
            or self.remote_field.model == cls._meta.object_name
        ):
            self.remote_field.related_name = f"{name}_rel_+"
        elif self.remote_field.hidden:
            # A reverse side switched off ("+") still exists internally: give
            # each one a distinct name so several of them do not clash.
            label = f"{cls._meta.app_label}_{cls.__name__.lower()}_{name}"
            self.remote_field.related_name = f"_{label}_+"
        super().contribute_to_class(cls, name, private_only=private_only)
        if not cls._meta.abstract:
            if self.remote_field.through:

                def resolve(model: Any, related: Any, field: Any) -> None:
                    field.remote_field.through = related

                lazy_related_operation(
                    resolve, cls, self.remote_field.through, field=self
                )
            elif not cls._meta.swapped:
                self.remote_field.through = create_many_to_many_intermediary_model(
                    self, cls
                )
        setattr(cls, self.name, ManyToManyDescriptor(self.remote_field, reverse=False))

    def contribute_to_related_class(self, cls: Any, related: Any) -> None:
        super().contribute_to_related_class(cls, related)
        if not self.remote_field.hidden and not related.related_model._meta.swapped:
            accessor = related.get_accessor_name()
            if accessor:
                setattr(
                    cls, accessor, ManyToManyDescriptor(self.remote_field, reverse=True)
                )

    def _through_fk(self, to_source: bool) -> Any:
        through = self.remote_field.through
        source = self.model
        target = self.remote_field.model
        through_fields = self.remote_field.through_fields
        if through_fields:
            name = through_fields[0] if to_source else through_fields[1]
            return through._meta.get_field(name)
        candidates = [
            f
            for f in through._meta.fields
            if f.is_relation and (f.many_to_one or f.one_to_one)
        ]
        wanted = source if to_source else target
        matches = [f for f in candidates if f.related_model == wanted]
        if source == target and len(matches) >= 2:
            names = sorted(f.name for f in matches)
            from_names = [n for n in names if n.startswith("from_")]
            to_names = [n for n in names if n.startswith("to_")]
            if from_names and to_names:
                name = from_names[0] if to_source else to_names[0]
                return through._meta.get_field(name)
            return matches[0] if to_source else matches[1]
        if not matches:
            raise FieldError(
                f"The intermediary model {through._meta.label} has no foreign key to "
                f"{wanted._meta.label}."
            )
        return matches[0]

    def m2m_field_name(self) -> str:
        """Return the through-model FK name pointing at the source model."""
        return str(self._through_fk(to_source=True).name)

    def m2m_reverse_field_name(self) -> str:
        """Return the through-model FK name pointing at the target model."""
        return str(self._through_fk(to_source=False).name)

    def m2m_column_name(self) -> str:
        """Return the through-table column pointing at the source."""
        return str(self._through_fk(to_source=True).column)

    def m2m_reverse_name(self) -> str:
        """Return the through-table column pointing at the target."""
        return str(self._through_fk(to_source=False).column)

    def m2m_db_table(self) -> str:
        """Return the join table name."""
        return str(self.remote_field.through._meta.db_table)

    @property
    def target_field(self) -> Any:
        """Return the target model's primary key."""
        return self.remote_field.model._meta.pk

    def get_prep_value(self, value: Any) -> Any:
        if hasattr(value, "_meta"):
            return value.pk
        return value

    def value_from_object(self, obj: Any) -> list[Any]:
        """Return the related objects (a list)."""
        return [] if obj.pk is None else list(getattr(obj, self.attname).all())

    def save_form_data(self, instance: Any, data: Any) -> None:
        """Set the related objects from form data."""
        getattr(instance, self.attname).set(data)

    def sa_type(self) -> Any:
        raise NotImplementedError("Many-to-many fields have no column")

    def has_default(self) -> bool:
        return False

    def get_default(self) -> Any:
        return NOT_PROVIDED


# Relations compare by their stored key: register the instance-aware lookups.
from manouche.db.models.fields import _uuid_lookups as _uuid_lookups  # noqa: E402
from manouche.db.models.fields import related_lookups as _related_lookups  # noqa: E402,F401
