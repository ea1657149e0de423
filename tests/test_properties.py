"""Offset invariants on arbitrary Unicode input, including empty text."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policytext import Document, InputError, Pipeline

# policy-text-like characters: markers, quotes, brackets, terminators, digits, newlines, CJK
_ALPHABET = st.sampled_from(
    list("一二三是要第、，。；！？…“”《》（）()「」‘’——0123456789.%\n\r\u3000 □科学发展创先争优")
) | st.characters(exclude_categories=["Cs"])
TEXTS = st.text(_ALPHABET, max_size=300)


@pytest.fixture(scope="module")
def nlp() -> Pipeline:
    return Pipeline()


@settings(max_examples=150, deadline=None)
@given(TEXTS)
def test_annotation_invariants(nlp: Pipeline, text: str) -> None:
    doc = nlp(text)
    n = len(text)
    for name, spans in doc.layers.items():
        for span in spans:
            assert 0 <= span.start <= span.end <= n, name
    # tokens rebuild the text
    assert "".join(doc.text_of(t) for t in doc.tokens) == text
    # sentences tile each paragraph
    for para in doc.paragraphs:
        inside = [s for s in doc.sentences if para.start <= s.start < para.end]
        assert inside[0].start == para.start
        assert inside[-1].end == para.end
        assert all(a.end == b.start for a, b in itertools.pairwise(inside))
    # paragraphs hold no line break and no edge whitespace
    for para in doc.paragraphs:
        body = doc.text_of(para)
        assert body
        assert "\n" not in body
        assert body == body.strip()
    # JSON round-trips exactly
    assert Document.from_json(doc.to_json()) == doc


def test_lone_surrogates_are_refused(nlp: Pipeline) -> None:
    with pytest.raises(InputError, match="lone surrogate U\\+D800 at offset 2"):
        nlp("一是\ud800")
