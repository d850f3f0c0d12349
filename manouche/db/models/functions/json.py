"""JSON builders: JSONArray here, JSONObject (kept in comparison) re-exported."""

from __future__ import annotations

from typing import Any

from manouche.db.models.expressions import Func
from manouche.db.models.functions.comparison import JSONObject, _typed_for_postgresql
from manouche.db.models.functions.math import call_function

__all__ = ["JSONArray", "JSONObject"]


class JSONArray(Func):
    """A JSON array of the given values: ``JSONArray(F("name"), Value(1))``.

    Nested JSONArray / JSONObject values stay JSON (not quoted text).
    """

    def _resolve_output_field(self) -> Any:
        from manouche.db.models.fields.json import JSONField

        return JSONField()

    def as_sa(self, compiler: Any) -> Any:
        """Compile ``jsonb_build_array`` (PostgreSQL) or ``JSON_ARRAY``."""
        values = self.compile_arguments(compiler)
        if compiler.vendor == "postgresql":
            values = [_typed_for_postgresql(value) for value in values]
            name = "jsonb_build_array"
        else:
            name = "json_array"
        return call_function(name, values, self.output_field.sa_type())
