"""Models exercised by the model-layer tests."""

from __future__ import annotations

import uuid
from typing import Any

from manouche.core.validators import MaxValueValidator, MinValueValidator
from manouche.db import models
from manouche.db.models.functions import Lower, Now


class Status(models.TextChoices):
    DRAFT = "d", "Draft"
    PUBLISHED = "p", "Published"


class Priority(models.IntegerChoices):
    LOW = 1, "Low"
    HIGH = 2, "High"


class Author(models.Model):
    name = models.CharField(max_length=100)
    email = models.EmailField(blank=True, default="")
    age = models.IntegerField(null=True, blank=True)
    rating = models.FloatField(default=0.0)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Publisher(models.Model):
    name = models.CharField(max_length=100, unique=True)

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    name = models.SlugField(unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Book(models.Model):
    title = models.CharField(max_length=200)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")
    publisher = models.ForeignKey(
        Publisher, on_delete=models.SET_NULL, null=True, blank=True
    )
    pages = models.PositiveIntegerField(default=100)
    price = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    status = models.CharField(
        max_length=1, choices=Status.choices, default=Status.DRAFT
    )
    priority = models.IntegerField(choices=Priority.choices, default=Priority.LOW)
    published = models.DateField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    tags = models.ManyToManyField(Tag, related_name="books", blank=True)

    class Meta:
        ordering = ["title"]
        get_latest_by = "published"
        indexes = [models.Index(fields=["title", "-pages"], name="book_title_pages")]

    def __str__(self) -> str:
        return self.title


class Everything(models.Model):
    """One of each scalar field."""

    big = models.BigIntegerField(default=0)
    small = models.SmallIntegerField(default=0)
    positive_small = models.PositiveSmallIntegerField(default=0)
    positive_big = models.PositiveBigIntegerField(default=0)
    flag = models.BooleanField(default=False)
    maybe = models.BooleanField(null=True)
    text = models.TextField(blank=True, default="")
    slug = models.SlugField(blank=True, default="")
    url = models.URLField(blank=True, default="")
    uid = models.UUIDField(default=uuid.uuid4)
    ip = models.GenericIPAddressField(null=True, blank=True)
    when = models.DateTimeField(null=True, blank=True)
    day = models.DateField(null=True, blank=True)
    clock = models.TimeField(null=True, blank=True)
    span = models.DurationField(null=True, blank=True)
    blob = models.BinaryField(null=True, blank=True)
    amount = models.DecimalField(max_digits=10, decimal_places=3, null=True, blank=True)
    ratio = models.FloatField(null=True, blank=True)
    data = models.JSONField(null=True, blank=True)
    score = models.IntegerField(
        default=5, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )


class UUIDItem(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    label = models.CharField(max_length=20)


class Protected(models.Model):
    publisher = models.ForeignKey(Publisher, on_delete=models.PROTECT)


class Restricted(models.Model):
    author = models.ForeignKey(Author, on_delete=models.RESTRICT)


class Node(models.Model):
    name = models.CharField(max_length=20)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, related_name="children"
    )
    friends = models.ManyToManyField("self", blank=True)


class Profile(models.Model):
    author = models.OneToOneField(Author, on_delete=models.CASCADE)
    bio = models.TextField(default="")


class Place(models.Model):
    name = models.CharField(max_length=50)
    address = models.CharField(max_length=80, default="")


class Restaurant(Place):
    serves_pizza = models.BooleanField(default=False)


class RestaurantProxy(Restaurant):
    """A proxy of a multi-table child: its parent columns come through a join."""

    class Meta:
        proxy = True


class Timestamped(models.Model):
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-created"]


class Note(Timestamped):
    body = models.CharField(max_length=100)


class PublishedManager(models.Manager):
    def get_queryset(self) -> Any:
        return super().get_queryset().filter(status=Status.PUBLISHED)


class BookQuerySet(models.QuerySet):
    def long(self) -> Any:
        return self.filter(pages__gte=300)


class BookProxy(Book):
    objects = BookQuerySet.as_manager()
    published_books = PublishedManager()

    class Meta:
        proxy = True
        ordering = ["-pages"]

    def shout(self) -> str:
        return self.title.upper()


class Membership(models.Model):
    person = models.ForeignKey("Person", on_delete=models.CASCADE)
    club = models.ForeignKey("Club", on_delete=models.CASCADE)
    role = models.CharField(max_length=20, default="member")


class Person(models.Model):
    name = models.CharField(max_length=50)


class Club(models.Model):
    name = models.CharField(max_length=50)
    members = models.ManyToManyField(Person, through=Membership, related_name="clubs")


class Constrained(models.Model):
    low = models.IntegerField()
    high = models.IntegerField()
    code = models.CharField(max_length=10)
    group = models.CharField(max_length=10, default="a")

    class Meta:
        unique_together = [("code", "group")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(low__lte=models.F("high")), name="low_lte_high"
            ),
        ]


def fallback_publisher() -> int:
    return Publisher.objects.get_or_create(name="fallback")[0].pk


class Edition(models.Model):
    """Other on_delete rules, to_field, related_query_name, indexes."""

    isbn = models.CharField(max_length=13, unique=True)
    publisher = models.ForeignKey(
        Publisher,
        on_delete=models.SET_DEFAULT,
        default=fallback_publisher,
        related_name="editions",
        related_query_name="edition",
    )
    printer = models.ForeignKey(
        Publisher,
        on_delete=models.SET(None),
        null=True,
        related_name="+",
    )
    book = models.ForeignKey(
        Book, on_delete=models.CASCADE, to_field="id", null=True, db_constraint=False
    )
    lead = models.ForeignKey(
        "Edition", on_delete=models.DO_NOTHING, null=True, db_constraint=False
    )
    active = models.BooleanField(default=True)

    class Meta:
        default_related_name = "editions_%(class)s"


class Catalog(models.Model):
    """Partial and expression indexes (where the backend has them)."""

    code = models.CharField(max_length=13)
    shelf = models.CharField(max_length=13, default="")
    active = models.BooleanField(default=True)

    class Meta:
        required_db_features = [
            "supports_partial_indexes",
            "supports_expression_indexes",
        ]
        indexes = [
            models.Index(
                fields=["code"],
                name="catalog_active_code",
                condition=models.Q(active=True),
            ),
            models.Index(Lower("code"), name="catalog_lower_code"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["shelf"],
                condition=models.Q(active=True),
                name="one_active_shelf",
            ),
        ]


class Defaults(models.Model):
    """Database-side defaults and lazy "app_label.Model" references."""

    label = models.CharField(max_length=20, db_default="unnamed")
    count = models.IntegerField(db_default=models.Value(7))
    stamp = models.DateTimeField(db_default=Now())
    owner = models.ForeignKey(
        "modelapp.Author", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["owner__name", "-id"]


ALL_MODELS = [
    Author,
    Publisher,
    Tag,
    Book,
    Everything,
    UUIDItem,
    Protected,
    Restricted,
    Node,
    Profile,
    Place,
    Restaurant,
    Note,
    Person,
    Club,
    Membership,
    Constrained,
    Edition,
    Catalog,
    Defaults,
]
