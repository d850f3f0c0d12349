"""Form and widget assets (CSS and JS) and the metaclass that collects them.

Media lists from several widgets are merged keeping every list's relative
order (a stable topological sort); a genuine conflict only warns.
"""

from __future__ import annotations

import warnings
from itertools import chain
from typing import Any

from manouche.utils.html import format_html, html_safe
from manouche.utils.safestring import SafeString, mark_safe

__all__ = ["MEDIA_TYPES", "Media", "MediaDefiningClass", "MediaOrderConflictWarning"]

MEDIA_TYPES = ("css", "js")


class MediaOrderConflictWarning(RuntimeWarning):
    """Two media lists ask for the same files in opposite orders."""


@html_safe
class Media:
    """A set of CSS (by medium) and JS paths that renders as HTML tags."""

    def __init__(self, media: Any = None, css: Any = None, js: Any = None) -> None:
        if media is not None:
            css = getattr(media, "css", {})
            js = getattr(media, "js", [])
        else:
            if css is None:
                css = {}
            if js is None:
                js = []
        self._css_lists = [css]
        self._js_lists = [js]

    def __repr__(self) -> str:
        return f"Media(css={self._css!r}, js={self._js!r})"

    def __str__(self) -> str:
        return self.render()

    @property
    def _css(self) -> dict[str, list[Any]]:
        css: dict[str, list[list[Any]]] = {}
        for css_list in self._css_lists:
            for medium, sublist in css_list.items():
                css.setdefault(medium, []).append(sublist)
        return {medium: self.merge(*lists) for medium, lists in css.items()}

    @property
    def _js(self) -> list[Any]:
        return self.merge(*self._js_lists)

    def render(self) -> SafeString:
        """Render every ``<link>`` then every ``<script>``."""
        return mark_safe(  # type: ignore[no-any-return]
            "\n".join(
                chain.from_iterable(
                    getattr(self, "render_" + name)() for name in MEDIA_TYPES
                )
            )
        )

    def render_js(self) -> list[str]:
        """Return one ``<script>`` tag per JS path."""
        return [
            path.__html__()
            if hasattr(path, "__html__")
            else format_html('<script src="{}"></script>', self.absolute_path(path))
            for path in self._js
        ]

    def render_css(self) -> list[str]:
        """Return one ``<link>`` tag per CSS path, media sorted by name."""
        media = self._css
        return [
            path.__html__()
            if hasattr(path, "__html__")
            else format_html(
                '<link href="{}" media="{}" rel="stylesheet">',
                self.absolute_path(path),
                medium,
            )
            for medium in sorted(media)
            for path in media[medium]
        ]

    def absolute_path(self, path: str) -> str:
        """Prefix relative paths with STATIC_URL (through ``static()``)."""
        if path.startswith(("http://", "https://", "/")):
            return path
        from manouche.templatetags.static import static

        return static(path)

    def __getitem__(self, name: str) -> Media:
        """Return a Media with only the ``css`` or ``js`` part."""
        if name in MEDIA_TYPES:
            return Media(**{str(name): getattr(self, "_" + name)})
        raise KeyError(f'Unknown media type "{name}"')

    @staticmethod
    def merge(*lists: Any) -> list[Any]:
        """Merge lists keeping each one's order; warn on a real conflict."""
        lists = tuple(lst for lst in lists if lst)
        if len(lists) == 1:
            return list(lists[0])
        order: list[Any] = []
        after: dict[Any, set[Any]] = {}
        for lst in lists:
            previous = None
            for item in dict.fromkeys(lst):
                if item not in after:
                    after[item] = set()
                    order.append(item)
                if previous is not None:
                    after[item].add(previous)
                previous = item
        return _stable_topological_sort(order, after)

    def __add__(self, other: Media) -> Media:
        combined = Media()
        combined._css_lists = list(self._css_lists)
        for css in other._css_lists:
            if css not in combined._css_lists:
                combined._css_lists.append(css)
        combined._js_lists = list(self._js_lists)
        for js in other._js_lists:
            if js not in combined._js_lists:
                combined._js_lists.append(js)
        return combined


def _stable_topological_sort(order: list[Any], after: dict[Any, set[Any]]) -> list[Any]:
    result: list[Any] = []
    placed: set[Any] = set()
    remaining = list(order)
    while remaining:
        index = next(
            (i for i, item in enumerate(remaining) if after[item] <= placed), None
        )
        if index is None:
            index = 0
            item = remaining[0]
            warnings.warn(
                "Detected duplicate Media files in an opposite order: "
                f"{sorted(map(str, after[item] - placed))} and {item}",
                MediaOrderConflictWarning,
                stacklevel=4,
            )
        item = remaining.pop(index)
        result.append(item)
        placed.add(item)
    return result


def media_property(cls: type) -> property:
    """Build the ``media`` property combining a class's Media with its bases'."""

    def _media(self: Any) -> Media:
        sup_cls = super(cls, self)
        try:
            base = sup_cls.media  # type: ignore[attr-defined]
        except AttributeError:
            base = Media()
        definition = getattr(cls, "Media", None)
        if definition:
            extend = getattr(definition, "extend", True)
            if extend:
                if extend is True:
                    m = base
                else:
                    m = Media()
                    for medium in extend:
                        m = m + base[medium]
                return m + Media(definition)  # type: ignore[no-any-return]
            return Media(definition)
        return base  # type: ignore[no-any-return]

    return property(_media)


class MediaDefiningClass(type):
    """Give each class a ``media`` property built from its inner ``Media``."""

    def __new__(
        mcs, name: str, bases: tuple[type, ...], attrs: dict[str, Any], **kwargs: Any
    ) -> MediaDefiningClass:
        new_class = super().__new__(mcs, name, bases, attrs, **kwargs)
        if "media" not in attrs:
            new_class.media = media_property(new_class)  # type: ignore[attr-defined]
        return new_class
