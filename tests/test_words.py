"""The build's own words: every course language the schema accepts has every word."""

from __future__ import annotations

import typing

from pipeline import schema
from pipeline.words import WORDS, session_label


def test_every_language_the_schema_accepts_has_words() -> None:
    accepted = set(typing.get_args(schema.Course.model_fields["language"].annotation))
    assert accepted == set(WORDS)


def test_every_language_has_the_same_words() -> None:
    keys = {language: set(words) for language, words in WORDS.items()}
    assert all(each == keys["ko"] for each in keys.values()), keys


def test_session_labels() -> None:
    assert session_label("ko", 3) == "3회차"
    assert session_label("en", 3) == "Session 3"
