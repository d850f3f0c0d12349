"""Model checks for ``manage.py check``: every model, then across models.

Runs ``Model.check()`` on each installed model (or those of the given app
configs), then the checks one model cannot make alone: a ``db_table``, index
or constraint name used twice, and lazy references (``"app.Model"`` strings)
that never resolved. Nothing here is imported by the ORM itself.
"""

from __future__ import annotations

import functools
import inspect
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from itertools import chain
from typing import Any

from manouche.core.checks.messages import CheckMessage, Error, Warning
from manouche.core.checks.registry import Tags, register

__all__ = ["check_all_models", "check_lazy_references"]


@register(Tags.models)
def check_all_models(
    app_configs: Sequence[Any] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """Check every model, then names that must be unique across models."""
    from manouche.apps import apps

    if app_configs is None:
        models = apps.get_models()
    else:
        models = list(chain.from_iterable(c.get_models() for c in app_configs))
    errors: list[CheckMessage] = []
    tables: defaultdict[str, list[str]] = defaultdict(list)
    indexes: defaultdict[str, list[str]] = defaultdict(list)
    constraints: defaultdict[str, list[str]] = defaultdict(list)
    for model in models:
        opts = model._meta
        if opts.managed and not opts.proxy:
            tables[opts.db_table].append(opts.label)
        if not inspect.ismethod(model.check):
            errors.append(
                Error(
                    f"The '{model.__name__}.check()' class method is currently "
                    f"overridden by {model.check!r}.",
                    obj=model,
                    id="models.E020",
                )
            )
        else:
            errors.extend(model.check(**kwargs))
        for index in opts.indexes:
            indexes[index.name].append(opts.label)
        for constraint in opts.constraints:
            constraints[constraint.name].append(opts.label)
    errors.extend(_shared_tables(tables))
    errors.extend(_shared_names(indexes, "index", ("models.E029", "models.E030")))
    errors.extend(
        _shared_names(constraints, "constraint", ("models.E031", "models.E032"))
    )
    return errors


def _shared_tables(tables: dict[str, list[str]]) -> list[CheckMessage]:
    from manouche.conf import settings

    errors: list[CheckMessage] = []
    for table, labels in tables.items():
        if len(labels) == 1:
            continue
        listed = ", ".join(labels)
        message = f"db_table '{table}' is used by multiple models: {listed}."
        if settings.DATABASE_ROUTERS:
            hint = (
                "You have configured settings.DATABASE_ROUTERS. Verify that "
                f"{listed} are correctly routed to separate databases."
            )
            errors.append(Warning(message, hint=hint, obj=table, id="models.W035"))
        else:
            errors.append(Error(message, obj=table, id="models.E028"))
    return errors


def _shared_names(
    names: dict[str, list[str]], kind: str, ids: tuple[str, str]
) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    for name, labels in names.items():
        if len(labels) < 2:
            continue
        models = sorted(set(labels))
        where = "for model" if len(models) == 1 else "among models:"
        errors.append(
            Error(
                f"{kind} name '{name}' is not unique {where} {', '.join(models)}.",
                id=ids[0] if len(models) == 1 else ids[1],
            )
        )
    return errors


@register(Tags.models)
def check_lazy_references(
    app_configs: Sequence[Any] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """Report references to models that were never registered."""
    from manouche.apps import apps

    return lazy_reference_errors(apps)


def lazy_reference_errors(
    apps: Any, ignore: Iterable[tuple[str, str]] = ()
) -> list[CheckMessage]:
    """Return an error for each operation still waiting for a model in ``apps``."""
    pending = set(apps._pending_operations) - set(ignore)
    errors: list[CheckMessage] = []
    for model_key in pending:
        for operation in apps._pending_operations[model_key]:
            error = _lazy_error(apps, model_key, operation)
            if error is not None:
                errors.append(error)
    return sorted(errors, key=lambda error: error.msg)


# The name Django's own tests import.
_check_lazy_references = lazy_reference_errors


def _unwrap(operation: Any) -> tuple[Any, list[Any], dict[str, Any]]:
    """Peel ``func`` wrappers and partials, gathering their arguments."""
    args: list[Any] = []
    keywords: dict[str, Any] = {}
    while True:
        if isinstance(operation, functools.partial):
            args.extend(operation.args)
            keywords.update(operation.keywords)
            operation = operation.func
        elif hasattr(operation, "func"):
            operation = operation.func
        else:
            break
    if inspect.isfunction(operation) and operation.__closure__:
        # lazy_related_operation() wraps its callback in a closure holding the
        # callback and its keyword arguments (``field=``).
        captured = inspect.getclosurevars(operation).nonlocals
        if isinstance(captured.get("kwargs"), dict):
            keywords.update(captured["kwargs"])
        if callable(captured.get("function")):
            operation = captured["function"]
    return operation, args, keywords


def _model_error(apps: Any, model_key: tuple[str, str]) -> str:
    app_label, model_name = model_key
    try:
        apps.get_app_config(app_label)
    except LookupError:
        return f"app '{app_label}' isn't installed"
    return f"app '{app_label}' doesn't provide model '{model_name}'"


def _lazy_error(
    apps: Any, model_key: tuple[str, str], operation: Callable[..., Any]
) -> CheckMessage | None:
    function, args, keywords = _unwrap(operation)
    model = ".".join(model_key)
    problem = _model_error(apps, model_key)
    field = keywords.get("field")
    if field is not None:
        return Error(
            f"The field {field} was declared with a lazy reference to '{model}', "
            f"but {problem}.",
            obj=field,
            id="fields.E307",
        )
    if getattr(function, "__name__", "") == "connect" and args:
        receiver = args[0]
        signal = getattr(function, "__self__", None)
        return Error(
            f"{_describe(receiver)} was connected to the "
            f"'{_signal_name(signal)}' signal with a lazy reference to the sender "
            f"'{model}', but {problem}.",
            obj=receiver.__module__ if hasattr(receiver, "__module__") else receiver,
            id="signals.E001",
        )
    return Error(
        f"{function} contains a lazy reference to {model}, but {problem}.",
        obj=function,
        id="models.E022",
    )


def _describe(receiver: Any) -> str:
    if inspect.isfunction(receiver):
        return f"The function '{receiver.__name__}'"
    if inspect.ismethod(receiver):
        return f"Bound method '{type(receiver.__self__).__name__}.{receiver.__name__}'"
    return f"An instance of class '{type(receiver).__name__}'"


def _signal_name(signal: Any) -> str:
    from manouche.db.models import signals

    for name, value in vars(signals).items():
        if value is signal:
            return name
    return repr(signal)
