"""Names Django code imports from module paths that are now split packages."""

from __future__ import annotations

import importlib

import pytest

PUBLIC_NAMES = {
    "manouche.db.models.query": [
        "QuerySet",
        "EmptyQuerySet",
        "RawQuerySet",
        "Prefetch",
        "prefetch_related_objects",
        "ModelIterable",
        "ValuesIterable",
        "ValuesListIterable",
        "FlatValuesListIterable",
        "NamedValuesListIterable",
        "MAX_GET_RESULTS",
        "REPR_OUTPUT_SIZE",
    ],
    "manouche.db.models.base": ["Model", "ModelBase", "ModelState", "DEFERRED"],
    "manouche.db.models.fields": ["Field", "NOT_PROVIDED", "BLANK_CHOICE_DASH"],
    "manouche.db.models.sql.compiler": ["SQLCompiler"],
    "manouche.db.models.expressions": [
        "Case",
        "Exists",
        "ExpressionWrapper",
        "Func",
        "OrderBy",
        "Subquery",
        "When",
        "Window",
    ],
    "manouche.test.testcases": [
        "SimpleTestCase",
        "TransactionTestCase",
        "TestCase",
        "SerializeMixin",
        "skipIfDBFeature",
        "skipUnlessDBFeature",
        "LiveServerTestCase",
        "LiveServerThread",
    ],
    "manouche.template.defaulttags": ["register", "ForNode", "IfNode", "URLNode"],
}


@pytest.mark.parametrize(
    ("module", "name"),
    [(module, name) for module, names in PUBLIC_NAMES.items() for name in names],
)
def test_name_is_importable_from_its_django_path(module, name):
    assert hasattr(importlib.import_module(module), name)
