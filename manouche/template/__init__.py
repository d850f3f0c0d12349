"""The template layer: engines, the Django template language and loaders.

``engines`` holds one backend per TEMPLATES entry. The DTL itself lives in
``base`` (Template, Node, Variable...), ``context``, ``library`` and
``engine``; it compiles each template to a Python function once.
"""

from __future__ import annotations

from manouche.template.utils import EngineHandler

engines = EngineHandler()

from manouche.template import loader  # noqa: E402
from manouche.template.base import (  # noqa: E402
    Node,
    NodeList,
    Origin,
    Template,
    Variable,
    VariableDoesNotExist,
)
from manouche.template.context import Context, RequestContext  # noqa: E402
from manouche.template.engine import Engine  # noqa: E402
from manouche.template.exceptions import (  # noqa: E402
    TemplateDoesNotExist,
    TemplateSyntaxError,
)
from manouche.template.library import Library  # noqa: E402

__all__ = [
    "Context",
    "Engine",
    "Library",
    "Node",
    "NodeList",
    "Origin",
    "RequestContext",
    "Template",
    "TemplateDoesNotExist",
    "TemplateSyntaxError",
    "Variable",
    "VariableDoesNotExist",
    "engines",
    "loader",
]
