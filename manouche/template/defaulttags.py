"""The built-in tags of the Django template language: the ``register`` library.

Hot tags (for, if, with, autoescape) emit Python code; the rest are nodes with
a ``render`` method that the generated code calls. Nodes and compile functions
live in ``_tags`` by concept; they are registered here, in one place and order.
"""

from __future__ import annotations

from manouche.template._tags.control import (
    AutoEscapeControlNode as AutoEscapeControlNode,
)
from manouche.template._tags.control import FilterNode as FilterNode
from manouche.template._tags.control import FirstOfNode as FirstOfNode
from manouche.template._tags.control import IfNode as IfNode
from manouche.template._tags.control import SpacelessNode as SpacelessNode
from manouche.template._tags.control import WithNode as WithNode
from manouche.template._tags.control import autoescape as autoescape
from manouche.template._tags.control import do_filter as do_filter
from manouche.template._tags.control import do_if as do_if
from manouche.template._tags.control import do_with as do_with
from manouche.template._tags.control import firstof as firstof
from manouche.template._tags.control import guard_condition as guard_condition
from manouche.template._tags.control import spaceless as spaceless
from manouche.template._tags.loop import CycleNode as CycleNode
from manouche.template._tags.loop import ForNode as ForNode
from manouche.template._tags.loop import IfChangedNode as IfChangedNode
from manouche.template._tags.loop import RegroupNode as RegroupNode
from manouche.template._tags.loop import ResetCycleNode as ResetCycleNode
from manouche.template._tags.loop import cycle as cycle
from manouche.template._tags.loop import do_for as do_for
from manouche.template._tags.loop import ifchanged as ifchanged
from manouche.template._tags.loop import regroup as regroup
from manouche.template._tags.loop import resetcycle as resetcycle
from manouche.template._tags.output import CommentNode as CommentNode
from manouche.template._tags.output import CsrfTokenNode as CsrfTokenNode
from manouche.template._tags.output import DebugNode as DebugNode
from manouche.template._tags.output import LoremNode as LoremNode
from manouche.template._tags.output import NowNode as NowNode
from manouche.template._tags.output import TemplateTagNode as TemplateTagNode
from manouche.template._tags.output import VerbatimNode as VerbatimNode
from manouche.template._tags.output import WidthRatioNode as WidthRatioNode
from manouche.template._tags.output import comment as comment
from manouche.template._tags.output import csrf_token as csrf_token
from manouche.template._tags.output import debug as debug
from manouche.template._tags.output import escape_text as escape_text
from manouche.template._tags.output import lorem as lorem
from manouche.template._tags.output import now as now
from manouche.template._tags.output import templatetag as templatetag
from manouche.template._tags.output import verbatim as verbatim
from manouche.template._tags.output import widthratio as widthratio
from manouche.template._tags.structure import LoadNode as LoadNode
from manouche.template._tags.structure import PartialDefNode as PartialDefNode
from manouche.template._tags.structure import PartialNode as PartialNode
from manouche.template._tags.structure import find_library as find_library
from manouche.template._tags.structure import load as load
from manouche.template._tags.structure import load_from_library as load_from_library
from manouche.template._tags.structure import partial as partial
from manouche.template._tags.structure import partialdef as partialdef
from manouche.template._tags.url import URLNode as URLNode
from manouche.template._tags.url import querystring as querystring
from manouche.template._tags.url import url as url
from manouche.template.library import Library

__all__ = ["register"]

register = Library()

register.tag(autoescape)
register.tag(comment)
register.tag(cycle)
register.tag(csrf_token)
register.tag(debug)
register.tag("filter", do_filter)
register.tag(firstof)
register.tag("for", do_for)
register.tag("if", do_if)
register.tag(ifchanged)
register.tag(load)
register.tag(lorem)
register.tag(now)
register.tag(regroup)
register.tag(resetcycle)
register.tag(spaceless)
register.tag(templatetag)
register.tag(url)
register.tag(verbatim)
register.tag(widthratio)
register.tag("with", do_with)
register.tag(partialdef)
register.tag(partial)
register.simple_tag(name="querystring", takes_context=True)(querystring)
