"""Fill the library with a few books, so the pages have something to show.

A data migration: RunPython receives the models as they were at this point
of the history (``apps.get_model``), not the current classes, and knows how
to take its rows out again when the migration is unapplied.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from manouche.db import migrations

BOOKS = [
    ("Ursula K. Le Guin", "1929-10-21", "The Dispossessed", "1974-05-01", 387,
     "9.99", ["fiction", "science-fiction"]),
    ("Ursula K. Le Guin", "1929-10-21", "A Wizard of Earthsea", "1968-11-01", 183,
     "8.50", ["fiction", "fantasy"]),
    ("Italo Calvino", "1923-10-15", "Invisible Cities", "1972-11-01", 165,
     "11.00", ["fiction"]),
    ("Italo Calvino", "1923-10-15", "If on a Winter's Night a Traveler",
     "1979-06-01", 260, "12.50", ["fiction"]),
    ("Donald Knuth", "1938-01-10", "Literate Programming", "1992-01-01", 368,
     "35.00", ["programming"]),
    ("Jane Jacobs", "1916-05-04", "The Death and Life of Great American Cities",
     "1961-01-01", 458, "18.00", ["cities"]),
    ("Christopher Alexander", "1936-10-04", "A Pattern Language", "1977-01-01",
     1171, "60.00", ["cities", "architecture"]),
    ("Christopher Alexander", "1936-10-04", "The Timeless Way of Building",
     "1979-01-01", 552, "45.00", ["architecture"]),
]  # fmt: skip


def add_books(apps: Any, schema_editor: Any) -> None:
    author_model = apps.get_model("library", "Author")
    tag_model = apps.get_model("library", "Tag")
    book_model = apps.get_model("library", "Book")
    alias = schema_editor.connection.alias
    for author_name, born, title, published, pages, price, tag_names in BOOKS:
        author, _ = author_model.objects.using(alias).get_or_create(
            name=author_name, defaults={"born": datetime.date.fromisoformat(born)}
        )
        book = book_model.objects.using(alias).create(
            title=title,
            author=author,
            published=datetime.date.fromisoformat(published),
            pages=pages,
            price=Decimal(price),
        )
        tags = [
            tag_model.objects.using(alias).get_or_create(name=name)[0]
            for name in tag_names
        ]
        book.tags.add(*tags)


def remove_books(apps: Any, schema_editor: Any) -> None:
    alias = schema_editor.connection.alias
    titles = [row[2] for row in BOOKS]
    apps.get_model("library", "Book").objects.using(alias).filter(
        title__in=titles
    ).delete()
    apps.get_model("library", "Author").objects.using(alias).filter(
        books__isnull=True
    ).delete()
    apps.get_model("library", "Tag").objects.using(alias).filter(
        books__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [migrations.RunPython(add_books, remove_books)]
