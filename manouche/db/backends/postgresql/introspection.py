"""PostgreSQL introspection: the inspector plus sequence ownership."""

from __future__ import annotations

from typing import Any

from manouche.db.backends.base.introspection import BaseDatabaseIntrospection

__all__ = ["DatabaseIntrospection"]

_SEQUENCES_SQL = """
SELECT s.relname, a.attname
FROM pg_catalog.pg_class s
JOIN pg_catalog.pg_depend d
  ON d.objid = s.oid
 AND d.classid = 'pg_catalog.pg_class'::regclass
 AND d.refclassid = 'pg_catalog.pg_class'::regclass
JOIN pg_catalog.pg_attribute a
  ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
JOIN pg_catalog.pg_class t ON t.oid = d.refobjid
WHERE s.relkind = 'S'
  AND t.relname = %s
  AND pg_catalog.pg_table_is_visible(t.oid)
ORDER BY a.attnum
"""


class DatabaseIntrospection(BaseDatabaseIntrospection):
    """Sequences are read from ``pg_depend`` (serial and identity columns)."""

    def get_sequences(
        self, cursor: Any, table_name: str, table_fields: Any = ()
    ) -> list[dict[str, Any]]:
        """Return ``[{"name", "table", "column"}]`` for the table's sequences."""
        cursor.execute(_SEQUENCES_SQL, [table_name])
        return [
            {"name": name, "table": table_name, "column": column}
            for name, column in cursor.fetchall()
        ]
