from __future__ import annotations

import json

import pytest

from policytext import Document, SchemaError, Span, annotate
from policytext.schema import validate


def test_span_text_and_attrs() -> None:
    doc = Document(
        "一是强化组织领导。", {"slogans": (Span(2, 8, "term", "test", {"text": "强化组织领导"}),)}
    )
    span = doc.slogans[0]
    assert doc.text_of(span) == "强化组织领导"
    assert span["text"] == "强化组织领导"
    assert span.get("missing", 7) == 7


@pytest.mark.parametrize(("start", "end"), [(-1, 2), (3, 2), (0, 10)])
def test_out_of_range_spans_are_refused(start: int, end: int) -> None:
    with pytest.raises(SchemaError, match="outside the text"):
        Document("一是强化组织领导。", {"sentences": (Span(start, end),)})


def test_nested_offsets_are_checked() -> None:
    enum = Span(0, 2, "ordinal_verb", attrs={"items": [{"marker": {"start": 0, "end": 99}}]})
    with pytest.raises(SchemaError, match="nested span"):
        Document("一是", {"enumerations": (enum,)})


def test_contract_layers_always_present() -> None:
    out = json.loads(Document("文").to_json())
    assert out["schema"] == "policytext/1"
    assert out["paragraphs"] == out["enumerations"] == out["slogans"] == []


def test_with_layers_returns_a_new_document() -> None:
    doc = Document("一是。二是。")
    doc2 = doc.with_layers({"sentences": "test 1"}, sentences=(Span(0, 3), Span(3, 6)))
    assert doc.sentences == ()
    assert len(doc2.sentences) == 2
    assert doc2.provenance == {"sentences": "test 1"}


def test_compact_layers_are_arrays() -> None:
    doc = Document("一是。", {"tokens": (Span(0, 2, "m"), Span(2, 3))})
    out = doc.to_dict()
    assert out["tokens"] == [[0, 2, "m"], [2, 3]]
    assert Document.from_dict(out) == doc


def test_json_bytes_are_the_json_in_utf8() -> None:
    doc = annotate("基本做法\n一是强化“三亮三比三创”，参与7.5万人次。")
    data = doc.to_json_bytes()
    assert data == doc.to_json().encode("utf-8")
    assert "三亮三比三创".encode() in data  # characters, not \\u escapes
    assert Document.from_json(data.decode()) == doc


def test_from_json_validates() -> None:
    bad = json.dumps(
        {
            "schema": "policytext/1",
            "text": "x",
            "paragraphs": [{"start": "a"}],
            "enumerations": [],
            "slogans": [],
        }
    )
    with pytest.raises(SchemaError, match="paragraphs/0"):
        Document.from_json(bad)
    with pytest.raises(SchemaError, match="not JSON"):
        Document.from_json("{")


def test_validate_names_the_problem() -> None:
    with pytest.raises(SchemaError, match="schema"):
        validate(
            {"schema": "other/9", "text": "", "paragraphs": [], "enumerations": [], "slogans": []}
        )
