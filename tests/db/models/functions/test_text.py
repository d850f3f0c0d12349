"""Text functions on every backend: values, NULLs, hostile input, lookups."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from manouche.db import models
from manouche.db.models import F, Value
from manouche.db.models.functions import (
    MD5,
    SHA1,
    SHA224,
    SHA256,
    SHA384,
    SHA512,
    Chr,
    Concat,
    Left,
    Length,
    Lower,
    LPad,
    LTrim,
    Ord,
    Repeat,
    Replace,
    Reverse,
    Right,
    RPad,
    RTrim,
    StrIndex,
    Substr,
    Trim,
    Upper,
)
from manouche.test.utils import register_lookup
from tests.db.conftest import DatabaseFixture
from tests.db.models.functions.conftest import Word

# Quotes, comment markers, placeholders of every paramstyle, backslashes,
# accents and a character outside the Basic Multilingual Plane.
HOSTILE = "a'b\"c`; DROP TABLE x; -- %s %(n)s :n ? $1 \\x00\\ é😀"

NO_TEXT = models.CharField()

HASHES = [MD5, SHA1, SHA224, SHA256, SHA384, SHA512]


@pytest.fixture
def words(fdb: DatabaseFixture) -> Word:
    Word.objects.create(text=None, body=None, code=None)
    row = Word.objects.create(text=HOSTILE, body="  Mixed Case  ", code=8364)
    assert isinstance(row, Word)
    return row


@pytest.fixture
def pgcrypto(fdb: DatabaseFixture) -> None:
    if fdb.vendor == "postgresql":
        with fdb.connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pgcrypto")


@pytest.mark.parametrize("function", HASHES)
def test_hashes_match_hashlib_on_hostile_text(
    words: Word, pgcrypto: None, function: type[Any]
) -> None:
    row = Word.objects.annotate(h=function("text"), n=function("body")).get(pk=words.pk)
    algorithm = function.__name__.lower()
    assert row.h == hashlib.new(algorithm, HOSTILE.encode()).hexdigest()
    assert row.n == hashlib.new(algorithm, b"  Mixed Case  ").hexdigest()
    null = Word.objects.annotate(h=function("text")).get(text__isnull=True)
    assert null.h is None


def test_hash_lookups_filter_by_digest(words: Word, pgcrypto: None) -> None:
    digest = hashlib.sha256(HOSTILE.encode()).hexdigest()
    with register_lookup(models.CharField, SHA256, MD5):
        assert Word.objects.get(text__sha256=digest).pk == words.pk
        assert not Word.objects.filter(text__md5=digest).exists()


def test_chr_and_ord_use_code_points(words: Word) -> None:
    row = Word.objects.annotate(
        c=Chr("code"),
        astral=Chr(Value(128512)),
        o=Ord("text"),
        emoji=Ord(Value("😀x")),
        empty=Ord(Value("")),
    ).get(pk=words.pk)
    assert (row.c, row.astral) == ("€", "😀")
    assert (row.o, row.emoji, row.empty) == (ord("a"), 128512, 0)
    null = Word.objects.annotate(c=Chr("code"), o=Ord("text")).get(code__isnull=True)
    assert (null.c, null.o) == (None, None)


def test_chr_compares_with_text_columns(words: Word) -> None:
    Word.objects.create(text="€", code=8364)
    assert Word.objects.filter(text=Chr("code")).count() == 1


def test_padding_and_repeat(words: Word) -> None:
    row = Word.objects.annotate(
        left=LPad(Value("ab"), 5, Value("xy")),
        right=RPad(Value("ab"), 5),
        cut=LPad(Value("abcdef"), 3),
        hostile=RPad("text", 60, Value("'")),
        rep=Repeat(Value("ab'"), 3),
        zero=Repeat("text", 0),
    ).get(pk=words.pk)
    assert (row.left, row.right, row.cut) == ("xyxab", "ab   ", "abc")
    assert row.hostile == HOSTILE + "'" * (60 - len(HOSTILE))
    assert (row.rep, row.zero) == ("ab'ab'ab'", "")


@pytest.mark.parametrize(
    "make",
    [
        lambda: LPad("text", 3),
        lambda: RPad("text", 3, Value("-")),
        lambda: Repeat("text", 2),
        lambda: Reverse("text"),
        lambda: Left("text", 2),
        lambda: Right("text", 2),
        lambda: Substr("text", 2, 3),
        lambda: Replace("text", Value("a"), Value("b")),
        lambda: Lower("text"),
        lambda: Upper("text"),
        lambda: Trim("text"),
        lambda: LTrim("text"),
        lambda: RTrim("text"),
        lambda: Length("text"),
        lambda: StrIndex("text", Value("a")),
    ],
)
def test_text_functions_give_null_for_null(words: Word, make: Any) -> None:
    assert Word.objects.annotate(v=make()).get(text__isnull=True).v is None


def test_slicing_searching_and_case(words: Word) -> None:
    row = Word.objects.annotate(
        rev=Reverse("text"),
        left=Left("text", 3),
        right=Right("text", 2),
        whole=Right(Value("ab"), 5),
        sub=Substr("text", 3, 4),
        tail=Substr(Value("hello"), 2),
        rep=Replace("text", Value("'"), Value("''")),
        removed=Replace("body", Value(" ")),
        length=Length("text"),
        index=StrIndex("text", Value("DROP")),
        missing=StrIndex("text", Value("zzz")),
        low=Lower("body"),
        up=Upper("body"),
        trim=Trim("body"),
        ltrim=LTrim("body"),
        rtrim=RTrim("body"),
        both=Concat(
            "text", Value("|"), "code", Value(None, output_field=models.CharField())
        ),
    ).get(pk=words.pk)
    assert row.rev == HOSTILE[::-1]
    assert (row.left, row.right, row.whole) == (HOSTILE[:3], HOSTILE[-2:], "ab")
    assert (row.sub, row.tail) == (HOSTILE[2:6], "ello")
    assert row.rep == HOSTILE.replace("'", "''")
    assert row.removed == "MixedCase"
    assert row.length == len(HOSTILE)
    assert (row.index, row.missing) == (HOSTILE.index("DROP") + 1, 0)
    assert (row.low, row.up) == ("  mixed case  ", "  MIXED CASE  ")
    assert (row.trim, row.ltrim, row.rtrim) == (
        "Mixed Case",
        "Mixed Case  ",
        "  Mixed Case",
    )
    assert row.both == f"{HOSTILE}|8364"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Left("text", 0), "'length' must be greater than 0."),
        (lambda: Right("text", -1), "'length' must be greater than 0."),
        (lambda: Substr("text", 0), "'pos' must be greater than 0."),
        (lambda: LPad("text", -1), "'length' must be greater or equal to 0."),
        (lambda: RPad("text", -2), "'length' must be greater or equal to 0."),
        (lambda: Repeat("text", -1), "'number' must be greater or equal to 0."),
    ],
)
def test_bad_counts_are_rejected(make: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make()


def test_a_non_integer_count_is_rejected() -> None:
    with pytest.raises(TypeError, match="'number' must be an integer"):
        Repeat("text", 1.5)


def test_text_transforms_as_lookups(words: Word) -> None:
    with (
        register_lookup(models.CharField, Lower, Reverse, Length),
        register_lookup(models.TextField, Trim),
    ):
        assert Word.objects.get(text__reverse=HOSTILE[::-1]).pk == words.pk
        assert Word.objects.filter(text__lower__contains="drop").count() == 1
        assert Word.objects.get(text__length=len(HOSTILE)).pk == words.pk
        assert Word.objects.get(body__trim="Mixed Case").pk == words.pk


def test_expressions_as_counts(words: Word) -> None:
    row = Word.objects.annotate(
        rep=Repeat(Value("ab"), F("code") - 8362),
        pad=LPad(Value("x"), Length(Value("abc")), Value("-")),
    ).get(pk=words.pk)
    assert (row.rep, row.pad) == ("abab", "--x")


def test_text_functions_order_rows(fdb: DatabaseFixture) -> None:
    for text in ("bb", "a", "ccc"):
        Word.objects.create(text=text)
    ordered = Word.objects.order_by(Length("text").desc())
    assert [w.text for w in ordered] == ["ccc", "bb", "a"]
    assert [w.text for w in Word.objects.order_by(Reverse("text"))] == [
        "a",
        "bb",
        "ccc",
    ]
