"""manouche.utils.crypto."""

from __future__ import annotations

import hashlib

import pytest

from manouche.utils.crypto import (
    InvalidAlgorithm,
    constant_time_compare,
    get_random_string,
    pbkdf2,
    salted_hmac,
)


def test_salted_hmac_depends_on_salt_and_secret():
    a = salted_hmac("salt", "value", "secret").hexdigest()
    assert a == salted_hmac("salt", "value", "secret").hexdigest()
    assert a != salted_hmac("other", "value", "secret").hexdigest()
    assert a != salted_hmac("salt", "value", "other").hexdigest()
    assert salted_hmac("s", "v", algorithm="sha256").digest_size == 32
    with pytest.raises(InvalidAlgorithm, match="'nope' is not an algorithm"):
        salted_hmac("s", "v", "k", algorithm="nope")


def test_random_string():
    value = get_random_string(32)
    assert len(value) == 32
    assert value.isalnum()
    assert set(get_random_string(50, "ab")) <= {"a", "b"}


def test_constant_time_compare():
    assert constant_time_compare("abc", b"abc")
    assert not constant_time_compare("abc", "abd")


def test_pbkdf2_matches_rfc6070_vector():
    assert pbkdf2("password", "salt", 1, 20, hashlib.sha1).hex() == (
        "0c60c80f961f0e71f3a9b524af6012062fe037a6"
    )
    assert len(pbkdf2("p", "s", 1)) == 32
