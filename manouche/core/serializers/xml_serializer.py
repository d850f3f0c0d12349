"""The "xml" format: ``<manouche-objects>`` documents.

Reading looks only at the ``<object>`` elements, so Django's
``<django-objects>`` fixtures load as well.

Reading never expands entities or DTDs (see ``_safe_xml``); every value is
text and goes through the field's ``to_python``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from io import BytesIO
from typing import Any
from xml.dom import minidom, pulldom
from xml.sax.saxutils import XMLGenerator

from manouche.core.serializers import base
from manouche.core.serializers._safe_xml import parse
from manouche.core.serializers.python import Deserializer as PythonDeserializer
from manouche.core.serializers.python import Serializer as PythonSerializer

__all__ = ["Deserializer", "Serializer"]

#: The document element written around the objects.
ROOT_ELEMENT = "manouche-objects"


def _text(field: Any, obj: Any) -> str | None:
    value = base.field_value(field, obj)
    if value is None:
        return None
    if field.get_internal_type() == "JSONField":
        return json.dumps(value, cls=getattr(field, "encoder", None))
    return str(value)


def _generator(stream: Any) -> Any:
    return XMLGenerator(stream, "utf-8", short_empty_elements=False)


class Serializer(PythonSerializer):
    """Serialize a queryset to XML."""

    internal_use_only = False
    xml: Any

    def _indent(self, level: int) -> None:
        indent = self.options.get("indent")
        if indent is not None:
            self.xml.ignorableWhitespace("\n" + " " * indent * level)

    def start_serialization(self) -> None:
        """Open the document."""
        stream: Any = self.stream
        self.xml = _generator(stream)
        self.xml.startDocument()
        self.xml.startElement(ROOT_ELEMENT, {"version": "1.0"})

    def end_serialization(self) -> None:
        """Close the document."""
        self._indent(0)
        self.xml.endElement(ROOT_ELEMENT)
        self.xml.endDocument()

    def start_object(self, obj: Any) -> None:
        """Open an <object> element."""
        self._indent(1)
        attrs = {"model": obj._meta.concrete_model._meta.label_lower}
        natural = self.use_natural_primary_keys and hasattr(obj, "natural_key")
        if not natural and obj.pk is not None:  # Unsaved objects have no pk.
            attrs["pk"] = str(obj._meta.pk.value_to_string(obj))
        self.xml.startElement("object", attrs)

    def end_object(self, obj: Any) -> None:
        """Close the <object> element."""
        self._indent(1)
        self.xml.endElement("object")

    def handle_field(self, obj: Any, field: Any) -> None:
        """Write a plain field."""
        self._indent(2)
        attrs = {"name": field.name, "type": field.get_internal_type()}
        self.xml.startElement("field", attrs)
        text = _text(field, obj)
        if text is None:
            self._none()
        else:
            self.xml.characters(text)
        self.xml.endElement("field")

    def _none(self) -> None:
        self.xml.startElement("None", {})
        self.xml.endElement("None")

    def _natural(self, key: Any) -> None:
        for value in key:
            self.xml.startElement("natural", {})
            self.xml.characters(str(value))
            self.xml.endElement("natural")

    def _related_attrs(self, field: Any) -> dict[str, str]:
        return {
            "name": field.name,
            "rel": field.remote_field.__class__.__name__,
            "to": field.remote_field.model._meta.label_lower,
        }

    def handle_fk_field(self, obj: Any, field: Any) -> None:
        """Write a key: the value, or <natural> elements, or <None>."""
        self._indent(2)
        self.xml.startElement("field", self._related_attrs(field))
        related_value = getattr(obj, field.attname)
        if related_value is None:
            self._none()
        elif self.use_natural_foreign_keys and hasattr(
            field.remote_field.model, "natural_key"
        ):
            self._natural(getattr(obj, field.name).natural_key())
        else:
            self.xml.characters(str(related_value))
        self.xml.endElement("field")

    def handle_m2m_field(self, obj: Any, field: Any) -> None:
        """Write one <object> per related row."""
        self._indent(2)
        self.xml.startElement("field", self._related_attrs(field))
        target = field.remote_field.model
        natural = self.use_natural_foreign_keys and hasattr(target, "natural_key")
        for related in getattr(obj, field.name).all():
            if natural:
                self.xml.startElement("object", {})
                self._natural(related.natural_key())
            else:
                self.xml.startElement("object", {"pk": str(related.pk)})
            self.xml.endElement("object")
        self.xml.endElement("field")

    def getvalue(self) -> Any:
        """Return the text when the stream can give it back."""
        return base.Serializer.getvalue(self)


def _children(node: minidom.Element, name: str) -> list[minidom.Element]:
    return [
        child
        for child in node.childNodes
        if child.nodeType == child.ELEMENT_NODE and child.nodeName == name
    ]


def _inner_text(node: minidom.Element) -> str:
    parts = []
    for child in node.childNodes:
        if child.nodeType in (child.TEXT_NODE, child.CDATA_SECTION_NODE):
            parts.append(child.data)
        elif child.nodeType == child.ELEMENT_NODE:
            parts.append(_inner_text(child))
    return "".join(parts)


def _field_value(node: minidom.Element) -> Any:
    if _children(node, "None"):
        return None
    if node.getAttribute("rel") == "ManyToManyRel":
        values: list[Any] = []
        for item in _children(node, "object"):
            natural = _children(item, "natural")
            if natural:
                values.append([_inner_text(n) for n in natural])
            else:
                values.append(item.getAttribute("pk"))
        return values
    natural = _children(node, "natural")
    if natural:
        return [_inner_text(n) for n in natural]
    text = _inner_text(node)
    if node.getAttribute("type") == "JSONField":
        return json.loads(text)
    return text


class Deserializer(PythonDeserializer):
    """Deserialize a ``<manouche-objects>`` (or ``<django-objects>``) document."""

    def __init__(self, stream_or_string: Any, **options: Any) -> None:
        super().__init__(_object_dicts(stream_or_string), **options)


def _object_dicts(stream_or_string: Any) -> Iterator[dict[str, Any]]:
    data = stream_or_string
    if isinstance(data, str):
        data = BytesIO(data.encode("utf-8"))
    elif isinstance(data, bytes):
        data = BytesIO(data)
    try:
        events = parse(data)
        node: Any
        for event, node in events:
            if event == pulldom.START_ELEMENT and node.nodeName == "object":
                events.expandNode(node)
                yield _as_dict(node)
    except (base.DeserializationError, GeneratorExit):
        raise
    except Exception as exc:
        raise base.DeserializationError(f"Invalid XML: {exc}") from exc


def _as_dict(node: minidom.Element) -> dict[str, Any]:
    if not node.hasAttribute("model"):
        raise base.DeserializationError(
            "<object> node is missing the 'model' attribute"
        )
    result: dict[str, Any] = {"model": node.getAttribute("model"), "fields": {}}
    if node.hasAttribute("pk"):
        result["pk"] = node.getAttribute("pk")
    for field_node in _children(node, "field"):
        name = field_node.getAttribute("name")
        if not name:
            raise base.DeserializationError(
                "<field> node is missing the 'name' attribute"
            )
        result["fields"][name] = _field_value(field_node)
    return result
