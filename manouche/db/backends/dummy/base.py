"""The backend used when DATABASES is empty: every use says so clearly."""

from __future__ import annotations

from typing import Any, ClassVar, NoReturn

from sqlalchemy.engine import URL

from manouche.core.exceptions import ImproperlyConfigured
from manouche.db.backends.base.base import BaseDatabaseWrapper
from manouche.db.backends.base.creation import BaseDatabaseCreation

__all__ = ["DatabaseWrapper"]


def complain(*args: Any, **kwargs: Any) -> NoReturn:
    """Raise: no database is configured."""
    raise ImproperlyConfigured(
        "settings.DATABASES is improperly configured. Please supply the ENGINE "
        "value. Check settings documentation for more details."
    )


class DatabaseCreation(BaseDatabaseCreation):
    """No test database to create or destroy."""

    def create_test_db(self, *args: Any, **kwargs: Any) -> str:
        """Nothing to create."""
        return ""

    def destroy_test_db(self, *args: Any, **kwargs: Any) -> None:
        """Nothing to destroy."""


class DatabaseWrapper(BaseDatabaseWrapper):
    """Stands in for a database until one is configured."""

    vendor: ClassVar[str] = "dummy"
    display_name: ClassVar[str] = "dummy"
    creation_class = DatabaseCreation

    def get_engine_url(self) -> URL:
        """There is no database."""
        complain()

    def ensure_connection(self) -> None:
        """There is no database."""
        complain()

    def close(self) -> None:
        """Nothing to close."""

    def is_usable(self) -> bool:
        """Never usable."""
        return False

    async def aexecute(self, statement: Any, parameters: Any = None) -> Any:
        """There is no database."""
        complain()
