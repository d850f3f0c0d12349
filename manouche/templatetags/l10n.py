"""``{% load l10n %}``: switch localisation of numbers and dates on or off.

The ``localize`` and ``unlocalize`` filters format one value; the
``{% localize on|off %}...{% endlocalize %}`` tag sets the context's
``use_l10n`` for every value output inside it.
"""

from __future__ import annotations

from typing import Any

from manouche.template import Library, Node
from manouche.template.exceptions import TemplateSyntaxError
from manouche.utils import formats

__all__ = ["LocalizeNode", "localize", "localize_tag", "register", "unlocalize"]

register = Library()


@register.filter(is_safe=False)
def localize(value: Any) -> str:
    """Format ``value`` localised, whatever the surrounding setting."""
    return str(formats.localize(value, use_l10n=True))


@register.filter(is_safe=False)
def unlocalize(value: Any) -> str:
    """Format ``value`` without localisation (no thousand separators)."""
    return str(formats.localize(value, use_l10n=False))


class LocalizeNode(Node):
    """Render the body with ``context.use_l10n`` set."""

    def __init__(self, nodelist: Any, use_l10n: bool) -> None:
        self.nodelist = nodelist
        self.use_l10n = use_l10n

    def __repr__(self) -> str:
        return f"<{type(self).__qualname__}>"

    def render(self, context: Any) -> Any:
        """Render the body with localisation switched as asked."""
        saved = context.use_l10n
        context.use_l10n = self.use_l10n
        try:
            return self.nodelist.render(context)
        finally:
            context.use_l10n = saved


@register.tag("localize")
def localize_tag(parser: Any, token: Any) -> Node:
    """``{% localize [on|off] %}...{% endlocalize %}`` (on by default)."""
    bits = token.split_contents()
    if len(bits) == 1:
        use_l10n = True
    elif len(bits) > 2 or bits[1] not in ("on", "off"):
        raise TemplateSyntaxError(f"{bits[0]!r} argument should be 'on' or 'off'")
    else:
        use_l10n = bits[1] == "on"
    nodelist = parser.parse(("endlocalize",))
    parser.delete_first_token()
    return LocalizeNode(nodelist, use_l10n)
