"""Placeholder text for the ``{% lorem %}`` tag."""

from __future__ import annotations

import random

__all__ = ["COMMON_P", "paragraphs", "words"]

COMMON_P = (
    "Lorem ipsum dolor sit amet, consectetur adipisicing elit, sed do eiusmod "
    "tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, "
    "quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo "
    "consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse "
    "cillum dolore eu fugiat nulla pariatur. Excepteur sint occaecat cupidatat non "
    "proident, sunt in culpa qui officia deserunt mollit anim id est laborum."
)
COMMON_WORDS = (
    "lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipisicing",
    "elit", "sed", "do", "eiusmod", "tempor", "incididunt", "ut", "labore", "et",
    "dolore", "magna", "aliqua",
)  # fmt: skip
WORDS = (
    *COMMON_WORDS,
    "exercitationem", "perferendis", "perspiciatis", "laborum", "eveniet", "sunt",
    "iure", "nam", "nobis", "eum", "cum", "officiis", "excepturi", "odio",
    "consectetur", "quasi", "aut", "quisquam", "vel", "eligendi", "itaque",
)  # fmt: skip


def sentence() -> str:
    """A random sentence."""
    sections = [
        " ".join(random.sample(WORDS, random.randint(3, 12)))
        for _ in range(random.randint(1, 5))
    ]
    s = ", ".join(sections)
    return f"{s[0].upper()}{s[1:]}{random.choice('?.')}"


def paragraph() -> str:
    """A random paragraph."""
    return " ".join(sentence() for _ in range(random.randint(1, 4)))


def paragraphs(count: int, common: bool = True) -> list[str]:
    """``count`` paragraphs, the first the classic one when ``common``."""
    paras = []
    for i in range(count):
        if common and i == 0:
            paras.append(COMMON_P)
        else:
            paras.append(paragraph())
    return paras


def words(count: int, common: bool = True) -> str:
    """``count`` words, starting with the classic ones when ``common``."""
    word_list = list(COMMON_WORDS) if common else []
    c = len(word_list)
    if count > c:
        count -= c
        while count > 0:
            c = min(count, len(WORDS))
            count -= c
            word_list += random.sample(WORDS, c)
    else:
        word_list = word_list[:count]
    return " ".join(word_list)
