"""RunPython code of the library app's data migrations.

It lives in a regular module (not in the migration files) so that a squashed
migration can import it without manual porting.
"""

from __future__ import annotations

from typing import Any

__all__ = ["copy_from_profiles", "copy_to_profiles", "fill_nicknames"]


def fill_nicknames(apps: Any, schema_editor: Any) -> None:
    """Give every author without a nickname the first word of their name."""
    author_model = apps.get_model("library", "Author")
    for author in author_model.objects.filter(nickname__isnull=True):
        author.nickname = author.full_name.split()[0]
        author.save(update_fields=["nickname"])


def copy_to_profiles(apps: Any, schema_editor: Any) -> None:
    """Split: copy each author's contact fields into a new Profile row."""
    author_model = apps.get_model("library", "Author")
    profile_model = apps.get_model("library", "Profile")
    for author in author_model.objects.order_by("pk"):
        profile_model.objects.create(
            author=author,
            email=author.email,
            birth_year=author.birth_year,
            bio=author.bio,
        )


def copy_from_profiles(apps: Any, schema_editor: Any) -> None:
    """Undo the split: copy the profiles back onto their authors."""
    author_model = apps.get_model("library", "Author")
    profile_model = apps.get_model("library", "Profile")
    for profile in profile_model.objects.order_by("pk"):
        author_model.objects.filter(pk=profile.author_id).update(
            email=profile.email, birth_year=profile.birth_year, bio=profile.bio
        )
    profile_model.objects.all().delete()
