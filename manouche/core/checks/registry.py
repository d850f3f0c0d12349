"""The registry of system checks: registration by tag, deploy-only checks, running."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Sequence
from itertools import chain
from typing import Any, TypeVar, overload

from manouche.core.checks.messages import CheckMessage

__all__ = [
    "CheckRegistry",
    "Tags",
    "register",
    "registry",
    "run_checks",
    "tag_exists",
]

CheckFunction = Callable[..., Iterable[CheckMessage]]
_F = TypeVar("_F", bound=Callable[..., Any])


class Tags:
    """Built-in tags for check functions."""

    admin = "admin"
    async_support = "async_support"
    caches = "caches"
    compatibility = "compatibility"
    database = "database"
    files = "files"
    models = "models"
    security = "security"
    signals = "signals"
    sites = "sites"
    staticfiles = "staticfiles"
    templates = "templates"
    translation = "translation"
    urls = "urls"


def _accepts_kwargs(func: Callable[..., Any]) -> bool:
    return any(
        parameter.kind is inspect.Parameter.VAR_KEYWORD
        for parameter in inspect.signature(func).parameters.values()
    )


class CheckRegistry:
    """Hold check functions; deploy checks run only when asked for."""

    def __init__(self) -> None:
        self.registered_checks: set[CheckFunction] = set()
        self.deployment_checks: set[CheckFunction] = set()

    @overload
    def register(self, check: _F, /, *tags: str, deploy: bool = False) -> _F: ...

    @overload
    def register(
        self, check: str | None = None, /, *tags: str, deploy: bool = False
    ) -> Callable[[_F], _F]: ...

    def register(self, check: Any = None, /, *tags: str, deploy: bool = False) -> Any:
        """Register a check function, directly or as a decorator, with tags.

        ``@register``, ``@register("tag")``, ``@register(Tags.security, deploy=True)``
        and ``register(func, "tag")`` all work.
        """

        def inner(check: _F) -> _F:
            if not _accepts_kwargs(check):
                raise TypeError(
                    "Check functions must accept keyword arguments (**kwargs)."
                )
            check.tags = tags  # type: ignore[attr-defined]
            checks = self.deployment_checks if deploy else self.registered_checks
            checks.add(check)
            return check

        if callable(check):
            return inner(check)
        if check:
            tags += (check,)
        return inner

    def run_checks(
        self,
        app_configs: Sequence[Any] | None = None,
        tags: Iterable[str] | None = None,
        include_deployment_checks: bool = False,
        databases: Sequence[str] | None = None,
    ) -> list[CheckMessage]:
        """Run the checks, only those tagged ``tags`` if given; collect messages."""
        errors: list[CheckMessage] = []
        checks = self.get_checks(include_deployment_checks)
        if tags is not None:
            wanted = set(tags)
            checks = [check for check in checks if not wanted.isdisjoint(_tags(check))]
        for check in checks:
            new_errors = check(app_configs=app_configs, databases=databases)
            if not isinstance(new_errors, Iterable):
                raise TypeError(
                    f"The function {check!r} did not return a list. All functions "
                    "registered with the checks registry must return a list."
                )
            errors.extend(new_errors)
        return errors

    def tag_exists(self, tag: str, include_deployment_checks: bool = False) -> bool:
        """Tell whether some registered check carries ``tag``."""
        return tag in self.tags_available(include_deployment_checks)

    def tags_available(self, deployment_checks: bool = False) -> set[str]:
        """Return every tag used by the registered checks."""
        checks = self.get_checks(deployment_checks)
        return set(chain.from_iterable(_tags(check) for check in checks))

    def get_checks(
        self, include_deployment_checks: bool = False
    ) -> list[CheckFunction]:
        """Return the registered checks, deploy checks included when asked."""
        checks = list(self.registered_checks)
        if include_deployment_checks:
            checks.extend(self.deployment_checks)
        return checks


def _tags(check: CheckFunction) -> tuple[str, ...]:
    return tuple(getattr(check, "tags", ()))


registry = CheckRegistry()
register = registry.register
run_checks = registry.run_checks
tag_exists = registry.tag_exists
