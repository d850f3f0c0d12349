"""Deleting an instance and what cascades from it (``delete``/``adelete``).

Mixed into ``Model``; the deletion is one operation (see ``_io``) driven sync
by ``delete()`` and async by ``adelete()``, the cascade by ``deletion``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from manouche.db.models._io import Operation, arun, run
from manouche.utils.asyncio import run_sync

__all__ = ["ModelDeletion"]


class ModelDeletion:
    """The deletion half of ``Model``."""

    _meta: ClassVar[Any]
    pk: Any

    def delete(
        self, using: str | None = None, keep_parents: bool = False
    ) -> tuple[int, dict[str, int]]:
        """Delete this row and what cascades from it; return the counts."""
        result: tuple[int, dict[str, int]] = run(
            self._delete_operation(using, keep_parents)
        )
        return result

    delete.alters_data = True  # type: ignore[attr-defined]

    async def adelete(
        self, using: str | None = None, keep_parents: bool = False
    ) -> tuple[int, dict[str, int]]:
        """Delete asynchronously; an overridden delete() runs in a worker thread."""
        if type(self).delete is not ModelDeletion.delete:
            result: tuple[int, dict[str, int]] = await run_sync(
                lambda: self.delete(using=using, keep_parents=keep_parents)
            )
            return result
        return await arun(self._delete_operation(using, keep_parents))  # type: ignore[no-any-return]

    adelete.alters_data = True  # type: ignore[attr-defined]

    def _delete_operation(self, using: str | None, keep_parents: bool) -> Operation:
        from manouche.db import router
        from manouche.db.models.deletion import Collector

        if self.pk is None:
            raise ValueError(
                f"{self._meta.object_name} object can't be deleted because its "
                f"{self._meta.pk.attname} attribute is set to None."
            )
        using = using or router.db_for_write(self.__class__, instance=self)
        collector = Collector(using=using, origin=self)
        yield from collector.collect([self], keep_parents=keep_parents)
        result = yield from collector.delete()
        return result
