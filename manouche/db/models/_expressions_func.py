"""Func, the base of SQL function calls: split out of expressions.py by concept."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from manouche.db.models.expressions import Expression, _parse_expression


class Func(Expression):
    """A SQL function call: ``function(arg, ...)``."""

    function: str | None = None
    arity: int | None = None
    template = "%(function)s(%(expressions)s)"
    arg_joiner = ", "

    def __init__(self, *expressions: Any, output_field: Any = None, **extra: Any):
        if self.arity is not None and len(expressions) != self.arity:
            raise TypeError(
                f"'{self.__class__.__name__}' takes exactly {self.arity} argument"
                f"{'' if self.arity == 1 else 's'} ({len(expressions)} given)"
            )
        super().__init__(output_field=output_field)
        self.source_expressions = [_parse_expression(e) for e in expressions]
        self.extra = extra
        if "function" in extra:
            self.function = extra.pop("function")

    def __repr__(self) -> str:
        args = ", ".join(str(arg) for arg in self.source_expressions)
        options = {**self.extra, **self.repr_options()}
        if not options:
            return f"{self.__class__.__name__}({args})"
        shown = ", ".join(f"{key}={value}" for key, value in sorted(options.items()))
        return f"{self.__class__.__name__}({args}, {shown})"

    def repr_options(self) -> dict[str, Any]:
        """Return the arguments repr() shows after the expressions."""
        if "function" in self.__dict__:
            return {"function": self.function}  # Func(..., function="X")
        return {}

    def get_source_expressions(self) -> list[Any]:
        return self.source_expressions

    def set_source_expressions(self, exprs: list[Any]) -> None:
        self.source_expressions = exprs

    @property
    def contains_aggregate(self) -> bool:
        stated = self.__dict__.get("_stated_contains_aggregate")
        if stated is not None:
            return bool(stated)
        return any(
            getattr(source, "contains_aggregate", False)
            for source in self.source_expressions
        )

    @contains_aggregate.setter
    def contains_aggregate(self, value: bool) -> None:
        # A raw aggregate (Func(function="COUNT")) is declared as such.
        self._stated_contains_aggregate = value

    def compile_arguments(self, compiler: Any) -> list[Any]:
        """Return the compiled arguments."""
        return [compiler.compile_expression(e) for e in self.source_expressions]

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, list[Any]]:
        """Render ``template`` with the function name and compiled arguments."""
        arguments: list[str] = []
        params: list[Any] = []
        for expression in self.source_expressions:
            sql, expression_params = compiler.compile(expression)
            arguments.append(sql)
            params.extend(expression_params)
        data = {**self.extra, **extra_context}
        data["function"] = function or data.get("function") or self.function
        joiner = arg_joiner or data.get("arg_joiner") or self.arg_joiner
        data["expressions"] = data["field"] = joiner.join(arguments)
        chosen = template or data.get("template") or self.template
        return chosen % data, params

    as_sql.native_sql = True  # type: ignore[attr-defined]

    def _custom_template(self) -> bool:
        return (
            "template" in self.extra
            or "arg_joiner" in self.extra
            or type(self).template != Func.template
            or type(self).arg_joiner != Func.arg_joiner
        )

    def as_sa(self, compiler: Any) -> Any:
        if self._custom_template():
            from manouche.db.models._as_sql import AsSQLCompiler

            bridge = AsSQLCompiler(compiler)
            sql, params = self.as_sql(bridge, bridge.connection)
            return bridge.fragment(sql, params, self.sa_type())
        if not self.function:
            raise ValueError(f"{type(self).__name__} has no function name")
        name = self.function
        if not name.replace("_", "").isalnum():
            raise ValueError(f"Invalid SQL function name {name!r}")
        type_ = self.sa_type()
        args = self.compile_arguments(compiler)
        function = getattr(sa.func, name.lower())
        if type_ is not None:
            return function(*args, type_=type_)
        return function(*args)
