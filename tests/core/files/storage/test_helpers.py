"""file_move_safe, locks, safe_join and deconstructible."""

from __future__ import annotations

from pathlib import Path

import pytest

from manouche.core.exceptions import SuspiciousFileOperation
from manouche.core.files import locks
from manouche.core.files.move import file_move_safe
from manouche.utils._os import safe_join
from manouche.utils.deconstruct import deconstructible


def test_file_move_safe_refuses_existing_destination(tmp_path: Path) -> None:
    source, target = tmp_path / "s", tmp_path / "t"
    source.write_bytes(b"new")
    target.write_bytes(b"old")
    with pytest.raises(FileExistsError, match="exists and allow_overwrite is False."):
        file_move_safe(source, target)
    file_move_safe(source, target, allow_overwrite=True)
    assert target.read_bytes() == b"new"
    assert not source.exists()


def test_file_move_safe_copies_when_rename_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, target = tmp_path / "s", tmp_path / "t"
    source.write_bytes(b"data" * 50_000)
    target.write_bytes(b"much longer old content" * 50_000)

    def refuse(*args: object) -> None:
        raise OSError("cross-device link")

    monkeypatch.setattr("manouche.core.files.move.os.rename", refuse)
    file_move_safe(source, target, chunk_size=1000, allow_overwrite=True)
    assert target.read_bytes() == b"data" * 50_000
    assert not source.exists()


def test_file_move_safe_same_file_is_a_no_op(tmp_path: Path) -> None:
    source = tmp_path / "s"
    source.write_bytes(b"x")
    file_move_safe(source, source)
    assert source.read_bytes() == b"x"


def test_locks_exclusive_and_shared(tmp_path: Path) -> None:
    path = tmp_path / "lock"
    path.write_bytes(b"")
    with open(path) as first, open(path) as second:
        assert locks.lock(first, locks.LOCK_EX) is True
        assert locks.lock(second, locks.LOCK_SH | locks.LOCK_NB) is False
        assert locks.unlock(first) is True
        assert locks.lock(second, locks.LOCK_SH | locks.LOCK_NB) is True
        assert locks.unlock(second) is True


def test_safe_join_keeps_paths_inside(tmp_path: Path) -> None:
    assert safe_join(tmp_path, "a", "b") == str(tmp_path / "a" / "b")
    for hostile in ("../x", "/etc/passwd", "a/../../x"):
        with pytest.raises(SuspiciousFileOperation, match="outside of the base path"):
            safe_join(tmp_path, hostile)
    with pytest.raises(SuspiciousFileOperation, match="null byte"):
        safe_join(tmp_path, "a\x00b")


@deconstructible
class Recorded:
    def __init__(self, a: int, b: str = "x") -> None:
        self.a, self.b = a, b


@deconstructible(path="somewhere.Else")
class Renamed:
    pass


def test_deconstructible_records_constructor_arguments() -> None:
    obj = Recorded(1, b="y")
    assert obj.deconstruct() == (  # type: ignore[attr-defined]
        f"{__name__}.Recorded",
        (1,),
        {"b": "y"},
    )
    assert obj.a == 1


def test_deconstructible_inner_class_cannot_be_found() -> None:
    @deconstructible
    class Inner:
        pass

    with pytest.raises(ValueError, match="Could not find object Inner in"):
        Inner().deconstruct()  # type: ignore[attr-defined]
