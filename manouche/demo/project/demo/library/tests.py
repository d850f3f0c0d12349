"""The library's own tests: ``python manage.py test`` runs them.

The test database is built by the migrations, so the sample books of the
data migration are there to test against.
"""

from __future__ import annotations

from manouche.contrib.contenttypes.models import ContentType
from manouche.test import TestCase
from manouche.urls import reverse

from .models import Author, Book, Tag


class LibraryPagesTests(TestCase):
    def test_the_list_is_paginated_five_books_a_page(self) -> None:
        response = self.client.get(reverse("library:book-list"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(response.context["book_list"]), 5)
        self.assertContains(response, "Page 1 of 2")
        second = self.client.get(reverse("library:book-list"), {"page": 2})
        self.assertEqual(len(second.context["book_list"]), Book.objects.count() - 5)

    def test_search_matches_titles_and_authors(self) -> None:
        response = self.client.get(reverse("library:book-list"), {"q": "calvino"})
        titles = sorted(book.title for book in response.context["book_list"])
        self.assertEqual(
            titles, ["If on a Winter's Night a Traveler", "Invisible Cities"]
        )
        empty = self.client.get(reverse("library:book-list"), {"q": "<b>zzz</b>"})
        self.assertContains(empty, "No books match “&lt;b&gt;zzz&lt;/b&gt;”.")

    def test_detail_shows_the_author_and_their_other_books(self) -> None:
        book = Book.objects.get(title="The Dispossessed")
        response = self.client.get(book.get_absolute_url())
        self.assertContains(response, "Ursula K. Le Guin")
        self.assertContains(response, "A Wizard of Earthsea")
        self.assertEqual(self.client.get("/library/999999/").status_code, 404)

    def test_the_permalink_redirects_to_the_book_on_the_current_site(self) -> None:
        book = Book.objects.get(title="The Dispossessed")
        response = self.client.get(book.get_absolute_url())
        book_type = ContentType.objects.get_for_model(Book)
        permalink = reverse("view-on-site", args=[book_type.pk, book.pk])
        self.assertContains(response, f'href="{permalink}"')
        redirect = self.client.get(permalink)
        self.assertEqual(redirect.status_code, 302)
        self.assertEqual(
            redirect["Location"], f"http://example.com{book.get_absolute_url()}"
        )

    def test_invalid_form_shows_its_errors_and_saves_nothing(self) -> None:
        count = Book.objects.count()
        response = self.client.post(
            reverse("library:book-create"),
            {"title": "Untitled", "pages": "-3", "price": "abc"},
        )
        self.assertEqual(response.status_code, 200)
        form = response.context["form"]
        self.assertEqual(form.errors["title"], ["Give the book a real title."])
        self.assertIn("author", form.errors)
        self.assertIn("price", form.errors)
        self.assertEqual(Book.objects.count(), count)

    def test_create_edit_and_delete_a_book(self) -> None:
        author = Author.objects.create(name="Octavia E. Butler")
        tag = Tag.objects.get(name="science-fiction")
        response = self.client.post(
            reverse("library:book-create"),
            {
                "title": "Kindred",
                "author": author.pk,
                "tags": [tag.pk],
                "published": "1979-06-01",
                "pages": "264",
                "price": "14.00",
            },
        )
        book = Book.objects.get(title="Kindred")
        self.assertRedirects(response, book.get_absolute_url())
        self.assertEqual(book.tag_names(), ["science-fiction"])
        self.client.post(
            reverse("library:book-update", args=[book.pk]),
            {
                "title": "Kindred",
                "author": author.pk,
                "published": "1979-06-01",
                "pages": "287",
                "price": "15.00",
            },
        )
        book.refresh_from_db()
        self.assertEqual(book.pages, 287)
        self.assertEqual(book.tag_names(), [])
        response = self.client.post(reverse("library:book-delete", args=[book.pk]))
        self.assertRedirects(response, reverse("library:book-list"))
        self.assertFalse(Book.objects.filter(pk=book.pk).exists())

    def test_the_same_title_twice_for_one_author_is_refused(self) -> None:
        book = Book.objects.select_related("author").first()
        assert book is not None
        response = self.client.post(
            reverse("library:book-create"),
            {
                "title": book.title,
                "author": book.author.pk,
                "published": "2000-01-01",
                "pages": "10",
                "price": "1.00",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].non_field_errors())

    def test_author_page_counts_their_books(self) -> None:
        author = Author.objects.get(name="Christopher Alexander")
        response = self.client.get(reverse("library:author-detail", args=[author.pk]))
        self.assertContains(response, "2 books in the library")

    def test_stats_come_from_the_async_orm(self) -> None:
        data = self.client.get(reverse("library:stats")).json()
        self.assertEqual(data["books"], Book.objects.count())
        self.assertEqual(len(data["authors"]), Author.objects.count())
