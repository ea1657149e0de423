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


@pytest.fixture(scope="module")
def layout_only() -> Pipeline:
    return Pipeline(stages=["layout"])


@pytest.fixture(scope="module")
def full() -> Pipeline:
    return Pipeline()


@pytest.fixture(scope="module", params=sorted(EXPECTED))
def case(request: pytest.FixtureRequest, layout_only: Pipeline) -> tuple[Any, dict[str, Any]]:
    name: str = request.param
    source = read(CORPORA / name)
    return layout_only(source.text), EXPECTED[name] | {"encoding_found": source.encoding}


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


@pytest.fixture(scope="module", params=sorted(EXPECTED))
def annotated(request: pytest.FixtureRequest, full: Pipeline) -> tuple[Any, dict[str, Any]]:
    name: str = request.param
    return full(read(CORPORA / name).text), EXPECTED[name]


def test_slogans(annotated: tuple[Any, dict[str, Any]]) -> None:
    doc, expected = annotated
    found = {s.get("text") or doc.text_of(s) for s in doc.slogans}
    assert found == set(expected["slogans"])
    for note in expected["not_slogans"]:  # "青山红 (quoted product/brand name)"
        assert note.split(" (")[0] not in found


def test_figures(annotated: tuple[Any, dict[str, Any]]) -> None:
    doc, expected = annotated
    found = {
        f.start: (f["value"], f.label, bool(f["approximate"]), f["noun"] and doc.text_of(f["noun"]))
        for f in doc.figures
    }
    for figure in expected["figures"]:
        want = (figure["value"], figure["unit"], figure["approximate"], figure["noun"])
        assert found.get(figure["start"]) == want, figure["surface"]


def test_citations(annotated: tuple[Any, dict[str, Any]]) -> None:
    doc, expected = annotated
    found = {
        doc.text_of(c): c.get("issuer") and doc.text_of(c["issuer"]) for c in doc.layer("citations")
    }
    assert found == {c["title"]: c["issuer"] for c in expected["citations"]}
