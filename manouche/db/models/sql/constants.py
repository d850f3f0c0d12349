"""Constants shared by the query layer and code written against it.

The join kinds name the two joins the compiler emits; the chunk size is how
many primary keys one batched ``DELETE ... WHERE pk IN (...)`` carries, so
that deleting many rows issues a predictable number of statements.
"""

from __future__ import annotations

__all__ = ["GET_ITERATOR_CHUNK_SIZE", "INNER", "LOUTER"]

#: Primary keys per batched DELETE statement of the deletion collector.
GET_ITERATOR_CHUNK_SIZE = 100

#: The join used for required relations.
INNER = "INNER JOIN"
#: The join used where the related row may be missing (nullable relations).
LOUTER = "LEFT OUTER JOIN"
