"""Language views, as ``django.views.i18n``.

``set_language`` stores the chosen language in the language cookie and sends
the user back where they came from, but only to this site: the ``next``
target and the Referer both go through the safe-redirect check.

``JavaScriptCatalog`` and ``JSONCatalog`` hand the active language's
``manouchejs`` messages, plural rule and format settings to the browser. Every
string from a catalog is embedded as JSON with ``<``, ``>`` and ``&`` escaped,
so a hostile translation cannot close a ``<script>`` element, and the plural
rule is only emitted when it is a plain arithmetic expression in ``n``.
"""

from __future__ import annotations

import functools
import gettext as gettext_module
import json
import os
import re
from typing import TYPE_CHECKING, Any

from manouche.apps import apps
from manouche.conf import settings
from manouche.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from manouche.urls import translate_url
from manouche.utils.formats import get_format
from manouche.utils.http import url_has_allowed_host_and_scheme
from manouche.utils.translation import check_for_language, get_language
from manouche.views.generic.base import View

if TYPE_CHECKING:
    from manouche.http import HttpRequest
    from manouche.template import Template

__all__ = [
    "LANGUAGE_QUERY_PARAMETER",
    "JSONCatalog",
    "JavaScriptCatalog",
    "get_formats",
    "set_language",
]

LANGUAGE_QUERY_PARAMETER = "language"


def _safe_next_url(request: HttpRequest) -> str | None:
    """Return ``next``, else the Referer, else ``/``: whichever is on-site."""
    next_url: str | None = request.POST.get("next", request.GET.get("next"))
    if not next_url and not request.accepts("text/html"):
        return None
    allowed_hosts = {request.get_host()}
    require_https = request.is_secure()
    for candidate in (next_url, request.META.get("HTTP_REFERER")):
        if url_has_allowed_host_and_scheme(
            candidate, allowed_hosts=allowed_hosts, require_https=require_https
        ):
            return str(candidate)
    return "/"


def set_language(request: HttpRequest) -> HttpResponse:
    """Set the language from the POSTed ``language`` and redirect to ``next``.

    Without a usable ``next`` the Referer is used, then ``/``; a client that
    does not want HTML and gave no ``next`` gets a 204. The language must be
    one of ``LANGUAGES``; the redirect target is translated to it when its
    URL has a language prefix.
    """
    next_url = _safe_next_url(request)
    response: HttpResponse = (
        HttpResponseRedirect(next_url) if next_url else HttpResponse(status=204)
    )
    if request.method != "POST":
        return response
    lang_code = request.POST.get(LANGUAGE_QUERY_PARAMETER)
    if not lang_code or not check_for_language(lang_code):
        return response
    if next_url:
        next_trans = translate_url(next_url, lang_code)
        if next_trans != next_url:
            response = HttpResponseRedirect(next_trans)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        lang_code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


# The settings a catalog exposes to JavaScript, in Django's order.
_CATALOG_FORMATS = (
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "TIME_FORMAT",
    "YEAR_MONTH_FORMAT",
    "MONTH_DAY_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "FIRST_DAY_OF_WEEK",
    "DECIMAL_SEPARATOR",
    "THOUSAND_SEPARATOR",
    "NUMBER_GROUPING",
    "DATE_INPUT_FORMATS",
    "TIME_INPUT_FORMATS",
    "DATETIME_INPUT_FORMATS",
)


def get_formats() -> dict[str, Any]:
    """Return the format settings a JavaScript catalog carries (active locale)."""
    formats: dict[str, Any] = {}
    for name in _CATALOG_FORMATS:
        value = get_format(name)
        formats[name] = list(value) if isinstance(value, tuple) else value
    return formats


# A plural rule is emitted as JavaScript source. gettext already refuses rules
# that are not C expressions over ``n``; as a second fence only those
# characters may pass (no letters, quotes, brackets or dots, hence no calls or
# strings), and no comment or HTML-comment openers.
_SAFE_PLURAL_RE = re.compile(r"[\sn0-9()!=<>%&|?:+\-*/]+")
_UNSAFE_PLURAL_PARTS = ("//", "/*", "*/", "<!--", "-->", "--")
_NPLURALS_RE = re.compile(r"nplurals\s*=\s*(\d+)")
# nplurals comes from a file; real languages need at most 6 forms.
_MAX_PLURALS = 20

# Characters that JSON leaves alone but an HTML parser does not.
_JSON_SCRIPT_ESCAPES = {
    ord("<"): "\\u003C",
    ord(">"): "\\u003E",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}

_JS_CATALOG_TEMPLATE = r"""{% autoescape off %}(function(globals) {
  'use strict';
  const manouche = globals.manouche || (globals.manouche = {});

  {% if plural %}manouche.pluralidx = function(n) {
    const v = {{ plural }};
    if (typeof v === 'boolean') {
      return v ? 1 : 0;
    }
    return v;
  };
  {% else %}manouche.pluralidx = function(count) { return (count == 1) ? 0 : 1; };
  {% endif %}
  manouche.catalog = manouche.catalog || {};
  {% if catalog_str %}const newcatalog = {{ catalog_str }};
  for (const key in newcatalog) {
    manouche.catalog[key] = newcatalog[key];
  }
  {% endif %}
  if (!manouche.jsi18n_initialized) {
    manouche.gettext = function(msgid) {
      const value = manouche.catalog[msgid];
      if (typeof value === 'undefined') {
        return msgid;
      }
      return (typeof value === 'string') ? value : value[0];
    };

    manouche.ngettext = function(singular, plural, count) {
      const value = manouche.catalog[singular];
      if (typeof value === 'undefined') {
        return (count == 1) ? singular : plural;
      }
      if (Array.isArray(value)) {
        const form = value[manouche.pluralidx(count)];
        return (typeof form === 'undefined') ? singular : form;
      }
      return value;
    };

    manouche.gettext_noop = function(msgid) { return msgid; };

    manouche.pgettext = function(context, msgid) {
      const value = manouche.gettext(context + '\x04' + msgid);
      return value.includes('\x04') ? msgid : value;
    };

    manouche.npgettext = function(context, singular, plural, count) {
      const value = manouche.ngettext(
        context + '\x04' + singular, context + '\x04' + plural, count
      );
      return value.includes('\x04') ? manouche.ngettext(singular, plural, count)
                                    : value;
    };

    manouche.interpolate = function(fmt, obj, named) {
      if (named) {
        return fmt.replace(/%\(\w+\)s/g, function(match) {
          return String(obj[match.slice(2, -2)]);
        });
      }
      return fmt.replace(/%s/g, function() { return String(obj.shift()); });
    };

    manouche.formats = {{ formats_str }};

    manouche.get_format = function(format_type) {
      const value = manouche.formats[format_type];
      return (typeof value === 'undefined') ? format_type : value;
    };

    globals.pluralidx = manouche.pluralidx;
    globals.gettext = manouche.gettext;
    globals.ngettext = manouche.ngettext;
    globals.gettext_noop = manouche.gettext_noop;
    globals.pgettext = manouche.pgettext;
    globals.npgettext = manouche.npgettext;
    globals.interpolate = manouche.interpolate;
    globals.get_format = manouche.get_format;

    manouche.jsi18n_initialized = true;
  }
}(this));
{% endautoescape %}"""


@functools.cache
def _js_catalog_template() -> Template:
    """Compile the catalog script once per process."""
    from manouche.template import Engine

    return Engine().from_string(_JS_CATALOG_TEMPLATE)


def _script_safe_json(value: Any) -> str:
    """Dump ``value`` as indented JSON that is inert inside ``<script>``."""
    text = json.dumps(value, sort_keys=True, indent=2)
    return text.translate(_JSON_SCRIPT_ESCAPES).replace("\n", "\n  ")


class _InvalidPackages(ValueError, Http404):
    """Unknown packages: a ValueError as in Django, answered as a 404."""


class JavaScriptCatalog(View):
    """Serve the active language's JavaScript translations as a script.

    ``domain`` and ``packages`` (a list, or a ``+``-separated string from the
    URL) choose the catalogs; packages must be installed apps. Without
    packages every installed app and ``LOCALE_PATHS`` are searched.
    """

    domain = "manouchejs"
    packages: list[str] | None = None
    translation: gettext_module.NullTranslations

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Load the catalogs for the active language and render them."""
        domain = kwargs.get("domain", self.domain)
        requested = kwargs.get("packages", "")
        packages = requested.split("+") if requested else self.packages
        if settings.USE_I18N:
            from manouche.utils.translation.trans_real import DjangoTranslation

            localedirs = None
            if packages:
                local = [str(path) for path in settings.LOCALE_PATHS]
                localedirs = [*local, *self.get_paths(packages)]
            language = get_language() or settings.LANGUAGE_CODE
            self.translation = DjangoTranslation(
                language, domain=domain, localedirs=localedirs
            )
        else:
            if packages:
                self.get_paths(packages)
            self.translation = gettext_module.NullTranslations()
        context = self.get_context_data(**kwargs)
        return self.render_to_response(context)

    def get_paths(self, packages: list[str]) -> list[str]:
        """Return the ``locale`` folders of ``packages``, all installed apps."""
        installed = {config.name: config for config in apps.get_app_configs()}
        unknown = [name for name in packages if name not in installed]
        if unknown:
            raise _InvalidPackages(
                "Invalid package(s) provided to JavaScriptCatalog: " + ",".join(unknown)
            )
        return [os.path.join(installed[name].path, "locale") for name in packages]

    def _translation_chain(self) -> list[gettext_module.NullTranslations]:
        """Return the translation and its fallbacks, highest priority first."""
        chain: list[gettext_module.NullTranslations] = []
        current: gettext_module.NullTranslations | None = self.translation
        while current is not None and current not in chain:
            chain.append(current)
            current = getattr(current, "_fallback", None)
        return chain

    @property
    def _plural_string(self) -> str | None:
        """The active language's ``Plural-Forms`` header, if it has one."""
        from manouche.utils.translation.trans_real import DjangoTranslation

        for index, catalog in enumerate(self._translation_chain()):
            if index and isinstance(catalog, DjangoTranslation):
                # A fallback language begins: its rule is not ours.
                return None
            if isinstance(catalog, gettext_module.GNUTranslations):
                header = catalog.info().get("plural-forms")
                return str(header).strip() if header else None
        return None

    @property
    def _num_plurals(self) -> int:
        match = _NPLURALS_RE.search(self._plural_string or "")
        if match is None:
            return 2
        return max(1, min(int(match[1]), _MAX_PLURALS))

    def get_plural(self) -> str | None:
        """Return the ``plural=`` expression of the active language, or None."""
        header = self._plural_string
        if header is None:
            return None
        for part in header.split(";"):
            name, sep, expression = part.partition("=")
            if sep and name.strip() == "plural":
                expression = expression.strip()
                if _SAFE_PLURAL_RE.fullmatch(expression) and not any(
                    part in expression for part in _UNSAFE_PLURAL_PARTS
                ):
                    return expression
                return None
        return None

    def get_catalog(self) -> dict[str, Any]:
        """Return msgid -> translation, plural msgids mapping to lists."""
        catalog: dict[str, Any] = {}
        plurals: dict[str, dict[int, str]] = {}
        for translation in self._translation_chain():
            messages = getattr(translation, "_catalog", None)
            if not messages:
                continue
            for key, value in messages.items():
                if isinstance(key, str):
                    if key and key not in catalog:
                        catalog[key] = value
                elif isinstance(key, tuple):
                    msgid, index = key
                    plurals.setdefault(msgid, {}).setdefault(index, value)
                else:
                    raise TypeError(key)
        count = self._num_plurals
        for msgid, forms in plurals.items():
            catalog[msgid] = [forms.get(index, "") for index in range(count)]
        return catalog

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """Return the catalog, the formats and the plural rule."""
        return {
            "catalog": self.get_catalog(),
            "formats": get_formats(),
            "plural": self.get_plural(),
        }

    def render_to_response(
        self, context: dict[str, Any], **response_kwargs: Any
    ) -> HttpResponse:
        """Render the catalog script, every embedded string escaped."""
        from manouche.template import Context

        catalog = context["catalog"]
        context["catalog_str"] = _script_safe_json(catalog) if catalog else None
        context["formats_str"] = _script_safe_json(context["formats"])
        script = _js_catalog_template().render(Context(context))
        return HttpResponse(script, 'text/javascript; charset="utf-8"')


class JSONCatalog(JavaScriptCatalog):
    """The same catalog as JSON: ``{"catalog", "formats", "plural"}``."""

    def render_to_response(
        self, context: dict[str, Any], **response_kwargs: Any
    ) -> HttpResponse:
        """Answer the context as a JSON object."""
        return JsonResponse(context)
