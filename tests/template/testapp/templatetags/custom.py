from __future__ import annotations

from typing import Any

from manouche import template

register = template.Library()


@register.filter(is_safe=True)
def shout(value: Any) -> str:
    return f"{value}!"


@register.simple_tag
def add_up(a: int, b: int = 1) -> int:
    return a + b


@register.simple_tag(takes_context=True)
def greet(context: Any, who: str) -> str:
    return f"<hi {who} from {context['site']}>"


@register.inclusion_tag("testapp/item.html")
def show_item(name: str) -> dict[str, Any]:
    return {"name": name}


@register.simple_block_tag
def box(content: str, kind: str = "plain") -> str:
    return f"[{kind}:{content}]"


class UpperNode(template.Node):
    def __init__(self, nodelist: Any) -> None:
        self.nodelist = nodelist

    def render(self, context: Any) -> str:
        return str(self.nodelist.render(context)).upper()


@register.tag
def upper_block(parser: Any, token: Any) -> template.Node:
    nodelist = parser.parse(("endupper_block",))
    parser.delete_first_token()
    return UpperNode(nodelist)


@register.simple_tag(takes_context=True)
def rebind(context: Any, name: str, value: Any) -> str:
    context[name] = value
    return ""


@register.simple_tag
def explode() -> str:
    raise ZeroDivisionError("exploded")
