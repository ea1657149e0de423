"""Golden facts of the bundled sample corpus, hand-checked in corpora/EXPECTED.md."""

from __future__ import annotations

import json
from typing import Any

import pytest

from policytext import Pipeline, read
from tests.conftest import CORPORA

EXPECTED: dict[str, dict[str, Any]] = json.loads(
    (CORPORA / "expected.json").read_text(encoding="utf-8")
)

nlp = Pipeline(stages=["layout"])


@pytest.fixture(scope="module", params=sorted(EXPECTED))
def case(request: pytest.FixtureRequest) -> tuple[Any, dict[str, Any]]:
    name: str = request.param
    source = read(CORPORA / name)
    return nlp(source.text), EXPECTED[name] | {"encoding_found": source.encoding}


def test_encoding_and_text(case: tuple[Any, dict[str, Any]]) -> None:
    doc, expected = case
    assert expected["encoding_found"] == expected["encoding"]
    assert len(doc.text) == expected["chars"]
    assert "\r" not in doc.text


def test_front_matter(case: tuple[Any, dict[str, Any]]) -> None:
    doc, expected = case
    fields = doc.layer("front_matter")
    assert doc.title == expected["title"]
    assert doc.date == expected["date"]
    assert [f["value"] for f in fields if f.label == "author"] == expected["authors"]
    editor = next((f["value"] for f in fields if f.label == "editor"), None)
    assert editor == expected["editor"]
    source = next((f["value"] for f in fields if f.label == "source"), None)
    assert source == expected["source"]


def test_headings(case: tuple[Any, dict[str, Any]]) -> None:
    doc, expected = case
    found = [doc.text_of(h) for h in doc.headings if h.label != "title"]
    assert found == [h["text"] for h in expected["headings"]]
