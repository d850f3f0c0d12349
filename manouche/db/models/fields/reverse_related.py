"""Reverse relation objects (``field.remote_field``): the other end of a relation."""

from __future__ import annotations

from typing import Any

from manouche.utils.functional import cached_property

__all__ = ["ForeignObjectRel", "ManyToManyRel", "ManyToOneRel", "OneToOneRel"]


class ForeignObjectRel:
    """The reverse side of a relation, listed in the target's ``_meta``."""

    auto_created = True
    concrete = False
    editable = False
    is_relation = True
    null = True
    empty_strings_allowed = False

    def __init__(
        self,
        field: Any,
        to: Any,
        related_name: str | None = None,
        related_query_name: str | None = None,
        limit_choices_to: Any = None,
        parent_link: bool = False,
        on_delete: Any = None,
    ) -> None:
        self.field = field
        self.model = to
        self.related_name = related_name
        self._related_query_name = related_query_name
        self.limit_choices_to = limit_choices_to or {}
        self.parent_link = parent_link
        self.on_delete = on_delete
        self.symmetrical = False
        self.multiple = True

    def __repr__(self) -> str:
        label = self.related_model._meta.label
        return f"<{type(self).__name__}: {label}.{self.field.name}>"

    @cached_property
    def hidden(self) -> bool:
        """Tell whether the relation has no reverse accessor (name ends in '+')."""
        return bool(self.related_name) and self.related_name[-1] == "+"  # type: ignore[index]

    @property
    def name(self) -> str:
        """Return the query name of this relation."""
        return self.related_query_name()

    @property
    def remote_field(self) -> Any:
        """Return the forward field."""
        return self.field

    @property
    def target_field(self) -> Any:
        """Return the field the relation points to."""
        return self.field.target_field

    @property
    def related_model(self) -> Any:
        """Return the model holding the forward field."""
        return self.field.model

    @property
    def many_to_many(self) -> bool:
        return bool(self.field.many_to_many)

    @property
    def many_to_one(self) -> bool:
        return bool(self.field.one_to_many)

    @property
    def one_to_many(self) -> bool:
        return bool(self.field.many_to_one)

    @property
    def one_to_one(self) -> bool:
        return bool(self.field.one_to_one)

    @property
    def sa_join(self) -> Any:
        """Join back from the target through a column-less ForeignObject.

        Relations with a column (ForeignKey) take the compiler's regular
        reverse path, which AttributeError ("no custom join") selects.
        """
        if not getattr(self.field, "_plain_foreign_object", False):
            raise AttributeError("sa_join")
        return self._join_back

    def _join_back(self, compiler: Any, current: Any) -> tuple[Any, Any]:
        source = self.field.local_related_fields[0]
        target = self.field.target_field

        def on(alias: Any) -> Any:
            return alias.c[source.attname] == current.c[target.attname]

        return self.field.model._meta.concrete_model, on

    def get_choices(
        self,
        include_blank: bool = True,
        blank_choice: Any = None,
        limit_choices_to: Any = None,
        ordering: Any = (),
    ) -> list[tuple[Any, Any]]:
        """Return ``(pk, str(row))`` of the rows holding the forward field."""
        if limit_choices_to is None:
            limit_choices_to = self.limit_choices_to
            if callable(limit_choices_to):
                limit_choices_to = limit_choices_to()
        model = self.related_model
        rows = model._default_manager.complex_filter(limit_choices_to)
        ordering = ordering or model._meta.ordering
        if ordering:
            rows = rows.order_by(*ordering)
        choices = [(row.pk, str(row)) for row in rows]
        if not include_blank:
            return choices
        from manouche.db.models.fields._base import BLANK_CHOICE_DASH

        return list(blank_choice or BLANK_CHOICE_DASH) + choices

    def get_lookup(self, lookup_name: str) -> Any:
        """Return the lookup of the target field."""
        return self.field.get_lookup(lookup_name)

    def get_transform(self, name: str) -> Any:
        """Return the transform of the target field."""
        return self.field.get_transform(name)

    def get_internal_type(self) -> str:
        """Return the forward field's internal type."""
        return str(self.field.get_internal_type())

    def related_query_name(self) -> str:
        """Return the name used in lookups from the target model."""
        return str(
            self._related_query_name
            or self.related_name
            or self.field.model._meta.default_related_name
            or self.field.model._meta.model_name
        )

    def get_accessor_name(self, model: Any = None) -> str | None:
        """Return the attribute name on the target model (``book_set``)."""
        opts = model._meta if model else self.related_model._meta
        model = model or self.related_model
        if self.multiple and self.symmetrical and model == self.model:
            return None
        if self.related_name:
            return self.related_name
        default = opts.default_related_name
        if default:
            return str(
                default
                % {
                    "class": opts.model_name,
                    "model_name": opts.model_name,
                    "app_label": opts.app_label,
                }
            )
        return str(opts.model_name) + ("_set" if self.multiple else "")

    @property
    def accessor_name(self) -> str | None:
        """The attribute name on the target model (``get_accessor_name()``)."""
        return self.get_accessor_name()

    def get_cache_name(self) -> str:
        """Return the key caching the related object on an instance."""
        return self.get_accessor_name() or self.field.name

    def get_path_info(self) -> list[Any]:
        """Path infos are not used by this ORM (joins live in the compiler)."""
        return []

    def set_field_name(self) -> None:
        """Hook for subclasses."""

    def get_joining_fields(self) -> tuple[tuple[Any, Any], ...]:
        """Return (local, remote) field pairs."""
        return ((self.field.target_field, self.field),)


class ManyToOneRel(ForeignObjectRel):
    """The reverse of a ForeignKey: ``author.book_set``."""

    def __init__(
        self,
        field: Any,
        to: Any,
        field_name: str | None,
        related_name: str | None = None,
        related_query_name: str | None = None,
        limit_choices_to: Any = None,
        parent_link: bool = False,
        on_delete: Any = None,
    ) -> None:
        super().__init__(
            field,
            to,
            related_name=related_name,
            related_query_name=related_query_name,
            limit_choices_to=limit_choices_to,
            parent_link=parent_link,
            on_delete=on_delete,
        )
        self.field_name = field_name

    def get_related_field(self) -> Any:
        """Return the target field of the foreign key."""
        return self.field.target_field


class OneToOneRel(ManyToOneRel):
    """The reverse of a OneToOneField: ``place.restaurant``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.multiple = False


class ManyToManyRel(ForeignObjectRel):
    """The reverse of a ManyToManyField: ``tag.article_set``."""

    def __init__(
        self,
        field: Any,
        to: Any,
        related_name: str | None = None,
        related_query_name: str | None = None,
        limit_choices_to: Any = None,
        symmetrical: bool = True,
        through: Any = None,
        through_fields: Any = None,
        db_constraint: bool = True,
    ) -> None:
        super().__init__(
            field,
            to,
            related_name=related_name,
            related_query_name=related_query_name,
            limit_choices_to=limit_choices_to,
        )
        self.through = through
        self.through_fields = through_fields
        self.symmetrical = symmetrical
        self.db_constraint = db_constraint

    def get_related_field(self) -> Any:
        """Return the target model's field the through table's key refers to.

        The primary key, unless the through model's foreign key names another
        field with ``to_field``.
        """
        through = self.through
        if through is None or isinstance(through, str):
            return self.model._meta.pk
        key = through._meta.get_field(self.field.m2m_reverse_field_name())
        return key.target_field
