"""Driver errors map onto manouche's exceptions, including MariaDB's codes."""

from __future__ import annotations

import pymysql
import pytest

from manouche.db import IntegrityError, OperationalError
from manouche.db.utils import translate_exception


@pytest.mark.parametrize("code", [4025, 3819])
def test_mysql_check_violation_codes_are_integrity_errors(code: int) -> None:
    source = pymysql.err.OperationalError(code, "CONSTRAINT `positive` failed")
    error = translate_exception(source)
    assert isinstance(error, IntegrityError)
    assert error.args == (code, "CONSTRAINT `positive` failed")
    assert error.__cause__ is source


def test_other_mysql_operational_errors_stay_operational() -> None:
    source = pymysql.err.OperationalError(2003, "Can't connect")
    error = translate_exception(source)
    assert type(error) is OperationalError


def test_code_4025_from_another_driver_is_not_remapped() -> None:
    class OtherDriverError(Exception):
        pass

    class OperationalError(OtherDriverError):
        pass

    error = translate_exception(OperationalError(4025, "x"))
    assert type(error).__name__ == "OperationalError"
    assert not isinstance(error, IntegrityError)
