"""``{% load i18n %}``: translate, blocktranslate and language tags."""

from __future__ import annotations

import decimal
import re
from collections.abc import Callable
from typing import Any

from manouche.template import Library, Node
from manouche.template.base import render_value_in_context
from manouche.template.exceptions import TemplateSyntaxError
from manouche.utils import translation
from manouche.utils.safestring import SafeString

__all__ = ["register"]

register = Library()
_TRIM_RE = re.compile(r"\s*\n\s*")


class TranslateNode(Node):
    """``{% translate "text" [context "ctx"] [noop] [as var] %}``."""

    child_nodelists = ()

    def __init__(
        self,
        filter_expression: Any,
        noop: bool,
        asvar: str | None,
        message_context: Any,
    ) -> None:
        self.noop = noop
        self.asvar = asvar
        self.message_context = message_context
        self.filter_expression = filter_expression
        if isinstance(self.filter_expression.var, str):
            pass

    def render(self, context: Any) -> str:
        """Translate and output (or store)."""
        var = self.filter_expression.var
        if self.message_context:
            var.message_context = self.message_context.resolve(context)
        if not self.noop and var.lookups is None:
            var.translate = True
        value = self.filter_expression.resolve(context)
        value = render_value_in_context(value, context)
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value


class BlockTranslateNode(Node):
    """``{% blocktranslate [with a=b] [count n=x] %}...{% endblocktranslate %}``."""

    child_nodelists = ()

    def __init__(
        self,
        extra_context: dict[str, Any],
        singular: list[Any],
        plural: list[Any] | None = None,
        countervar: str | None = None,
        counter: Any = None,
        message_context: Any = None,
        trimmed: bool = False,
        asvar: str | None = None,
        tag_name: str = "blocktranslate",
    ) -> None:
        self.extra_context = extra_context
        self.singular = singular
        self.plural = plural
        self.countervar = countervar
        self.counter = counter
        self.message_context = message_context
        self.trimmed = trimmed
        self.asvar = asvar
        self.tag_name = tag_name

    def __repr__(self) -> str:
        return (
            f"<{type(self).__qualname__}: extra_context={self.extra_context!r} "
            f"singular={self.singular!r} plural={self.plural!r}>"
        )

    def _message(self, tokens: list[Any]) -> tuple[str, list[str]]:
        from manouche.template.base import TokenType

        result = []
        names = []
        for token in tokens:
            if token.token_type is TokenType.TEXT:
                result.append(token.contents.replace("%", "%%"))
            elif token.token_type is TokenType.VAR:
                result.append(f"%({token.contents})s")
                names.append(token.contents)
        message = "".join(result)
        if self.trimmed:
            message = _trim_whitespace(message)
        return message, names

    def render(self, context: Any, nested: bool = False) -> str:
        """Translate with the placeholders filled in.

        A translation whose placeholders do not match the source falls back
        to the source text.
        """
        message_context = None
        if self.message_context is not None:
            message_context = self.message_context.resolve(context)
        values = {k: v.resolve(context) for k, v in self.extra_context.items()}
        with context.push(values):
            singular, names = self._message(self.singular)
            if self.plural and self.countervar and self.counter is not None:
                count = self.counter.resolve(context)
                if not isinstance(count, (decimal.Decimal, float, int)):
                    raise TemplateSyntaxError(
                        f"{self.countervar!r} argument to {self.tag_name!r} tag "
                        "must be a number."
                    )
                context[self.countervar] = count
                plural, plural_names = self._message(self.plural)
                names += plural_names
                if message_context:
                    result = translation.npgettext(
                        message_context,
                        singular,
                        plural,
                        count,  # type: ignore[arg-type]
                    )
                else:
                    result = translation.ngettext(singular, plural, count)  # type: ignore[arg-type]
            elif message_context:
                result = translation.pgettext(message_context, singular)
            else:
                result = translation.gettext(singular)
            invalid = _string_if_invalid(context)
            data = {}
            for name in names:
                if name in context:
                    value = context[name]
                elif "%s" in invalid:
                    value = invalid % name
                else:
                    value = invalid
                data[name] = render_value_in_context(value, context)
        try:
            result %= data
        except (KeyError, ValueError):
            if nested:
                raise TemplateSyntaxError(
                    f"{self.tag_name!r} is unable to format string returned by "
                    f"gettext: {result!r} using {data!r}"
                ) from None
            with translation.override(None):
                return self.render(context, nested=True)
        if self.asvar:
            # The placeholders were escaped already: store it safe, so that
            # outputting the variable does not escape it a second time.
            context[self.asvar] = SafeString(result)
            return ""
        return result


def _trim_whitespace(text: str) -> str:
    return _TRIM_RE.sub(" ", text.strip())


def _string_if_invalid(context: Any) -> str:
    engine = getattr(getattr(context, "template", None), "engine", None)
    return str(getattr(engine, "string_if_invalid", ""))


class _StoreNode(Node):
    """``{% tag as var %}``: store a value computed at render time."""

    child_nodelists = ()

    def __init__(self, variable: str, getter: Callable[[], Any]) -> None:
        self.variable = variable
        self.getter = getter

    def render(self, context: Any) -> str:
        """Store the value."""
        context[self.variable] = self.getter()
        return ""


class GetCurrentLanguageNode(_StoreNode):
    """``{% get_current_language as var %}``."""

    def __init__(self, variable: str) -> None:
        super().__init__(variable, translation.get_language)


class LanguageNode(Node):
    """``{% language code %}...{% endlanguage %}``."""

    def __init__(self, nodelist: Any, language: Any) -> None:
        self.nodelist = nodelist
        self.language = language

    def render(self, context: Any) -> Any:
        """Render the body with another language active."""
        with translation.override(self.language.resolve(context)):
            return self.nodelist.render(context)


@register.tag("translate")
@register.tag("trans")
def do_translate(parser: Any, token: Any) -> Node:
    """Translate a string."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise TemplateSyntaxError(f"'{bits[0]}' takes at least one argument")
    message_string = parser.compile_filter(bits[1])
    remaining = bits[2:]
    noop = False
    asvar = None
    message_context = None
    seen: set[str] = set()
    while remaining:
        option = remaining.pop(0)
        if option in seen:
            raise TemplateSyntaxError(
                f"The '{option}' option was specified more than once."
            )
        seen.add(option)
        if option == "noop":
            noop = True
        elif option in ("context", "as"):
            if not remaining:
                raise TemplateSyntaxError(
                    f"No argument provided to the '{bits[0]}' tag for the "
                    f"{option} option."
                )
            value = remaining.pop(0)
            if option == "as":
                asvar = value
            elif value in ("as", "noop"):
                raise TemplateSyntaxError(
                    f"Invalid argument '{value}' provided to the '{bits[0]}' tag "
                    "for the context option"
                )
            else:
                message_context = parser.compile_filter(value)
        else:
            raise TemplateSyntaxError(
                f"Unknown argument for '{bits[0]}' tag: '{option}'. The only "
                "options available are 'noop', 'context' \"xxx\", and 'as VAR'."
            )
    return TranslateNode(message_string, noop, asvar, message_context)


def _block_translate_options(parser: Any, bits: list[str]) -> dict[str, Any]:
    """Parse the options of a blocktranslate tag into a dictionary."""
    from manouche.template.base import token_kwargs

    tag_name = bits[0]
    remaining = bits[1:]
    options: dict[str, Any] = {"with": {}, "trimmed": False}
    seen: set[str] = set()
    while remaining:
        option = remaining.pop(0)
        if option in seen:
            raise TemplateSyntaxError(
                f"The {option!r} option was specified more than once."
            )
        seen.add(option)
        if option in ("with", "count"):
            value = token_kwargs(remaining, parser, support_legacy=True)
            if option == "with" and not value:
                raise TemplateSyntaxError(
                    f'"with" in {tag_name!r} tag needs at least one keyword argument.'
                )
            if option == "count" and len(value) != 1:
                raise TemplateSyntaxError(
                    f'"count" in {tag_name!r} tag expected exactly one keyword '
                    "argument."
                )
            options[option] = value
        elif option == "trimmed":
            options["trimmed"] = True
        elif option in ("context", "asvar", "as"):
            if not remaining:
                if option == "context":
                    raise TemplateSyntaxError(
                        f'"context" in {tag_name!r} tag expected exactly one argument.'
                    )
                raise TemplateSyntaxError(
                    f"No argument provided to the '{tag_name}' tag for the "
                    f"{option} option."
                )
            argument = remaining.pop(0)
            if option == "context":
                options["context"] = parser.compile_filter(argument)
            else:
                options["asvar"] = argument
        else:
            raise TemplateSyntaxError(
                f"Unknown argument for {tag_name!r} tag: {option!r}."
            )
    return options


@register.tag("blocktranslate")
@register.tag("blocktrans")
def do_block_translate(parser: Any, token: Any) -> Node:
    """Translate a block with placeholders (and plural forms)."""
    from manouche.template.base import TokenType

    bits = token.split_contents()
    tag_name = bits[0]
    options = _block_translate_options(parser, bits)
    countervar = counter = None
    if "count" in options:
        ((countervar, counter),) = options["count"].items()
    end_tag_name = f"end{bits[0]}"
    singular: list[Any] = []
    plural: list[Any] = []
    while parser.tokens:
        token = parser.next_token()
        if token.token_type in (TokenType.VAR, TokenType.TEXT):
            singular.append(token)
        else:
            break
    if countervar and counter:
        if token.contents.strip() != "plural":
            raise TemplateSyntaxError(
                f"{bits[0]!r} doesn't allow other block tags inside it"
            )
        while parser.tokens:
            token = parser.next_token()
            if token.token_type in (TokenType.VAR, TokenType.TEXT):
                plural.append(token)
            else:
                break
    if token.contents.strip() != end_tag_name:
        raise TemplateSyntaxError(
            f"{bits[0]!r} doesn't allow other block tags (seen {token.contents!r}) "
            "inside it"
        )
    return BlockTranslateNode(
        options["with"],
        singular,
        plural,
        countervar,
        counter,
        options.get("context"),
        trimmed=options["trimmed"],
        asvar=options.get("asvar"),
        tag_name=tag_name,
    )


@register.tag("get_current_language")
def do_get_current_language(parser: Any, token: Any) -> Node:
    """Store the active language code."""
    args = token.contents.split()
    if len(args) != 3 or args[1] != "as":
        raise TemplateSyntaxError(
            f"'get_current_language' requires 'as variable' (got {args!r})"
        )
    return GetCurrentLanguageNode(args[2])


def _as_variable(token: Any) -> str:
    args = token.contents.split()
    if len(args) != 3 or args[1] != "as":
        raise TemplateSyntaxError(f"'{args[0]}' requires 'as variable' (got {args!r})")
    return str(args[2])


@register.tag("get_current_language_bidi")
def do_get_current_language_bidi(parser: Any, token: Any) -> Node:
    """Store whether the active language is written right to left."""
    return _StoreNode(_as_variable(token), translation.get_language_bidi)


@register.tag("get_available_languages")
def do_get_available_languages(parser: Any, token: Any) -> Node:
    """Store settings.LANGUAGES."""

    def languages() -> list[tuple[str, str]]:
        from manouche.conf import settings

        return [(code, translation.gettext(name)) for code, name in settings.LANGUAGES]

    return _StoreNode(_as_variable(token), languages)


@register.tag("language")
def do_language(parser: Any, token: Any) -> Node:
    """Activate a language for the enclosed block."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise TemplateSyntaxError(f"'{bits[0]}' takes one argument (language)")
    language = parser.compile_filter(bits[1])
    nodelist = parser.parse(("endlanguage",))
    parser.delete_first_token()
    return LanguageNode(nodelist, language)


class GetLanguageInfoNode(Node):
    """``{% get_language_info for code as var %}``."""

    child_nodelists = ()

    def __init__(self, lang_code: Any, variable: str) -> None:
        self.lang_code = lang_code
        self.variable = variable

    def render(self, context: Any) -> str:
        """Store the language's information dictionary."""
        code = self.lang_code.resolve(context)
        context[self.variable] = translation.get_language_info(code)
        return ""


class GetLanguageInfoListNode(Node):
    """``{% get_language_info_list for codes as var %}``."""

    child_nodelists = ()

    def __init__(self, languages: Any, variable: str) -> None:
        self.languages = languages
        self.variable = variable

    def render(self, context: Any) -> str:
        """Store one information dictionary per language.

        Each item is a language code or a sequence starting with one (such as
        the ``(code, name)`` pairs of settings.LANGUAGES).
        """
        context[self.variable] = [
            translation.get_language_info(
                language if isinstance(language, str) else language[0]
            )
            for language in self.languages.resolve(context)
        ]
        return ""


def _for_as(token: Any, what: str) -> tuple[str, str]:
    args = token.split_contents()
    if len(args) != 5 or args[1] != "for" or args[3] != "as":
        raise TemplateSyntaxError(
            f"'{args[0]}' requires 'for {what} as variable' (got {args[1:]!r})"
        )
    return args[2], args[4]


@register.tag("get_language_info")
def do_get_language_info(parser: Any, token: Any) -> Node:
    """Store code, name, name_local, name_translated and bidi of a language."""
    code, variable = _for_as(token, "string")
    return GetLanguageInfoNode(parser.compile_filter(code), variable)


@register.tag("get_language_info_list")
def do_get_language_info_list(parser: Any, token: Any) -> Node:
    """Store the information of each language of a sequence."""
    languages, variable = _for_as(token, "sequence")
    return GetLanguageInfoListNode(parser.compile_filter(languages), variable)


@register.filter
def language_name(lang_code: str) -> str:
    """The language's English name."""
    return str(translation.get_language_info(lang_code)["name"])


@register.filter
def language_name_translated(lang_code: str) -> str:
    """The language's name in the active language."""
    english_name = translation.get_language_info(lang_code)["name"]
    return translation.gettext(english_name)


@register.filter
def language_name_local(lang_code: str) -> str:
    """The language's name in that language."""
    return str(translation.get_language_info(lang_code)["name_local"])


@register.filter
def language_bidi(lang_code: str) -> bool:
    """Whether the language is written right to left."""
    return bool(translation.get_language_info(lang_code)["bidi"])
