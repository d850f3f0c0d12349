"""Render a fortunes table and a blog page: manouche vs plain Jinja2 vs Django.

Run with /work/main/.venv-bench/bin/python benchmarks/micro/templates.py.
Prints microseconds per render and the ratios; Django is skipped if missing.
"""

from __future__ import annotations

import importlib
import os
import sys
import timeit
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
N = 10_000

DTL = {
    "fortunes.html": (
        "<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table>"
        "<tr><th>id</th><th>message</th></tr>{% for f in fortunes %}"
        "<tr><td>{{ f.id }}</td><td>{{ f.message }}</td></tr>{% endfor %}"
        "</table></body></html>"
    ),
    "base.html": (
        "<html><head><title>{% block title %}Blog{% endblock %}</title></head><body>"
        '<nav>{% for link in links %}<a href="{{ link.url }}">{{ link.title }}</a>'
        "{% endfor %}</nav>{% block content %}{% endblock %}</body></html>"
    ),
    "comment.html": (
        '<div class="c"><b>{{ c.author|title }}</b> {{ c.body|truncatewords:20 }}</div>'
    ),
    "blog.html": (
        "{% extends 'base.html' %}{% block title %}{{ post.title }} - "
        "{{ block.super }}{% endblock %}{% block content %}<article>"
        "<h1>{{ post.title|upper }}</h1><p>{{ post.body|linebreaksbr }}</p>"
        "{% if post.tags %}<ul>{% for t in post.tags %}"
        '<li class="{% if forloop.first %}first{% endif %}">{{ t|lower }}</li>'
        "{% endfor %}</ul>"
        "{% endif %}{% for c in comments %}{% include 'comment.html' %}{% endfor %}"
        "</article>{% endblock %}"
    ),
}
JINJA = {
    "fortunes.html": (
        "<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table>"
        "<tr><th>id</th><th>message</th></tr>{% for f in fortunes %}"
        "<tr><td>{{ f.id }}</td><td>{{ f.message }}</td></tr>{% endfor %}"
        "</table></body></html>"
    ),
    "base.html": DTL["base.html"],
    "comment.html": (
        '<div class="c"><b>{{ c.author|title }}</b> {{ c.body|truncate(120) }}</div>'
    ),
    "blog.html": (
        "{% extends 'base.html' %}{% block title %}{{ post.title }} - {{ super() }}"
        "{% endblock %}{% block content %}<article><h1>{{ post.title|upper }}</h1>"
        "<p>{{ post.body|replace('\\n', '<br>'|safe) }}</p>"
        "{% if post.tags %}<ul>{% for t in post.tags %}"
        '<li class="{% if loop.first %}first{% endif %}">{{ t|lower }}</li>'
        "{% endfor %}</ul>"
        "{% endif %}{% for c in comments %}{% include 'comment.html' %}{% endfor %}"
        "</article>{% endblock %}"
    ),
}


class Fortune:
    def __init__(self, id: int, message: str) -> None:
        self.id = id
        self.message = message


def context() -> dict[str, Any]:
    fortunes = [Fortune(i, f"fortune <{i}> & 'quote' number {i}") for i in range(12)]
    return {
        "fortunes": fortunes,
        "links": [{"url": f"/p/{i}", "title": f"Page {i}"} for i in range(5)],
        "post": {
            "title": "Hello <world>",
            "body": "line one\nline two",
            "tags": ["A", "B", "C"],
        },
        "comments": [{"author": "ann", "body": "nice post " * 5} for _ in range(5)],
    }


def bench(label: str, func: Any) -> float:
    func()
    per = min(timeit.repeat(func, number=N // 5, repeat=5)) / (N // 5) * 1e6
    print(f"  {label:<10} {per:8.2f} µs")
    return per


def _django_engine() -> tuple[Any, Any] | None:
    """Django's engine and Context class, or None when Django is missing.

    Imported by name: Django is a competitor here, never a dependency.
    """
    try:
        django = importlib.import_module("django")
    except ImportError:
        return None
    django_settings = importlib.import_module("django.conf").settings
    if not django_settings.configured:
        django_settings.configure(USE_I18N=False)
    django.setup()
    django_template = importlib.import_module("django.template")
    engine = django_template.Engine(
        loaders=[
            (
                "django.template.loaders.cached.Loader",
                [("django.template.loaders.locmem.Loader", DTL)],
            )
        ]
    )
    return engine, django_template.Context


def main() -> None:
    try:
        import jinja2
    except ImportError:  # the bench venv may lack Jinja2: borrow the dev venv's
        import glob

        root = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))
        sys.path.extend(glob.glob(f"{root}/.venv/lib/python3*/site-packages"))
        import jinja2

    import manouche
    from manouche.conf import settings

    os.environ.setdefault("MANOUCHE_SETTINGS_MODULE", "tests.settings")
    manouche.setup()
    from manouche.template import Context, Engine

    engine = Engine(
        loaders=[
            (
                "manouche.template.loaders.cached.Loader",
                [("manouche.template.loaders.locmem.Loader", DTL)],
            )
        ]
    )
    env = jinja2.Environment(loader=jinja2.DictLoader(JINJA), autoescape=True)
    ctx = context()
    django = _django_engine()
    assert settings.configured
    for name in ("fortunes.html", "blog.html"):
        print(name)
        mt = engine.get_template(name)
        jt = env.get_template(name)
        m = bench("manouche", lambda mt=mt: mt.render(Context(ctx)))
        j = bench("jinja2", lambda jt=jt: jt.render(ctx))
        print(f"  manouche/jinja2 = {m / j:.2f}x")
        if django is not None:
            django_engine, django_context = django
            dt = django_engine.get_template(name)
            d = bench(
                "django",
                lambda dt=dt, make=django_context: dt.render(make(ctx)),
            )
            print(f"  django/manouche = {d / m:.2f}x faster")


if __name__ == "__main__":
    main()
