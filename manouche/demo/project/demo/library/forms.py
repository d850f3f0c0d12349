"""The book form: a ModelForm with one rule of its own."""

from __future__ import annotations

from typing import Any

from manouche import forms

from .models import Book

__all__ = ["BookForm"]


class BookForm(forms.ModelForm):
    """Create or edit a book; its errors are shown next to each field."""

    class Meta:
        model = Book
        fields = ["title", "author", "tags", "published", "pages", "price", "summary"]
        widgets = {
            "published": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def clean_title(self) -> Any:
        title = str(self.cleaned_data["title"]).strip()
        if title.lower() == "untitled":
            raise forms.ValidationError("Give the book a real title.")
        return title
