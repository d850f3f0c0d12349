"""Signing: Signer, TimestampSigner, dumps/loads and key rotation."""

from __future__ import annotations

import datetime
import time

import pytest

from manouche.core import signing
from manouche.test.utils import override_settings


def test_sign_and_unsign():
    signer = signing.Signer(key="k")
    signed = signer.sign("hello")
    assert signed.startswith("hello:")
    assert signer.unsign(signed) == "hello"


def test_tampered_value_is_refused():
    signer = signing.Signer(key="k")
    signed = signer.sign("hello")
    with pytest.raises(signing.BadSignature, match="does not match"):
        signer.unsign("jello" + signed[5:])
    with pytest.raises(signing.BadSignature, match='No ":" found'):
        signer.unsign("nosep")


def test_salt_and_key_separate_signatures():
    assert signing.Signer(key="k", salt="a").sign("v") != signing.Signer(
        key="k", salt="b"
    ).sign("v")
    with pytest.raises(signing.BadSignature):
        signing.Signer(key="other").unsign(signing.Signer(key="k").sign("v"))


def test_default_key_is_secret_key():
    signed = signing.Signer().sign("v")
    assert signing.Signer(key="manouche-tests-not-secret").unsign(signed) == "v"


def test_fallback_keys_verify_but_do_not_sign():
    old = signing.Signer(key="old").sign("v")
    signer = signing.Signer(key="new", fallback_keys=["old"])
    assert signer.unsign(old) == "v"
    assert signer.sign("v") == signing.Signer(key="new").sign("v")


@override_settings(SECRET_KEY="new", SECRET_KEY_FALLBACKS=["old"])
def test_secret_key_fallbacks_setting_is_used():
    old = signing.Signer(key="old").sign("v")
    assert signing.Signer().unsign(old) == "v"


def test_unsafe_separator_is_refused():
    with pytest.raises(ValueError, match="Unsafe Signer separator"):
        signing.Signer(key="k", sep="a")
    assert signing.Signer(key="k", sep="/").sign("x").startswith("x/")


def test_sign_object_round_trip_and_compression():
    signer = signing.Signer(key="k")
    obj = {"a": ["x" * 100], "b": 1}
    plain = signer.sign_object(obj)
    compressed = signer.sign_object(obj, compress=True)
    assert compressed.startswith(".")
    assert len(compressed) < len(plain)
    assert signer.unsign_object(plain) == obj
    assert signer.unsign_object(compressed) == obj


def test_timestamp_signer_max_age(monkeypatch):
    signer = signing.TimestampSigner(key="k")
    signed = signer.sign("v")
    assert signer.unsign(signed, max_age=10) == "v"
    assert signer.unsign(signed, max_age=datetime.timedelta(seconds=10)) == "v"
    later = time.time() + 20
    monkeypatch.setattr(time, "time", lambda: later)
    with pytest.raises(signing.SignatureExpired, match="Signature age"):
        signer.unsign(signed, max_age=10)
    assert signer.unsign(signed) == "v"


def test_dumps_and_loads():
    value = signing.dumps({"user": 1}, salt="s")
    assert signing.loads(value, salt="s") == {"user": 1}
    with pytest.raises(signing.BadSignature):
        signing.loads(value, salt="other")
    with pytest.raises(signing.SignatureExpired):
        signing.loads(value, salt="s", max_age=-1)


def test_loads_with_fallback_keys():
    value = signing.dumps([1], key="old")
    assert signing.loads(value, key="new", fallback_keys=["old"]) == [1]


def test_b62_round_trip():
    for number in (0, 1, 61, 62, -62, 10**12):
        assert signing.b62_decode(signing.b62_encode(number)) == number
    assert signing.b62_encode(62) == "10"


def test_b64_round_trip():
    assert signing.b64_decode(signing.b64_encode(b"\x00\xff")) == b"\x00\xff"


def test_get_cookie_signer_uses_signing_backend():
    signer = signing.get_cookie_signer(salt="x")
    assert isinstance(signer, signing.TimestampSigner)
    assert signer.salt == "x"


def test_json_serializer_is_used_not_pickle():
    with pytest.raises(TypeError):
        signing.dumps({"a": object()})
