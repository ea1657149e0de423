"""The pipeline: one text at a time, or many together stage by stage, with the same results."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from policytext import InputError, Pipeline, read
from policytext.document import Document
from policytext.errors import OptionError, StageError
from policytext.pipeline import Stage

CORPORA = Path(__file__).resolve().parents[1] / "corpora"


@pytest.fixture(scope="module")
def nlp() -> Pipeline:
    return Pipeline()


@pytest.fixture(scope="module")
def samples() -> list[str]:
    return [read(p).text for p in sorted(CORPORA.glob("*.txt"))]


@pytest.mark.parametrize("batch_size", [1, 2, 64])
def test_pipe_gives_what_one_call_per_text_gives(
    nlp: Pipeline, samples: list[str], batch_size: int
) -> None:
    one_by_one = [nlp(text, {"id": str(k)}).to_json() for k, text in enumerate(samples)]
    items = [(text, {"id": str(k)}) for k, text in enumerate(samples)]
    assert [d.to_json() for d in nlp.pipe(items, batch_size=batch_size)] == one_by_one


def test_a_batch_is_cut_at_batch_chars(nlp: Pipeline, monkeypatch: pytest.MonkeyPatch) -> None:
    sizes: list[int] = []
    annotate_many = nlp.annotate_many

    def counting(items: list[tuple[str, None]]) -> list[object]:
        sizes.append(len(items))
        return annotate_many(items)  # type: ignore[return-value]

    monkeypatch.setattr("policytext.pipeline.BATCH_CHARS", 10)
    monkeypatch.setattr(nlp, "annotate_many", counting)
    docs = list(nlp.pipe(["一是强化组织领导。", "二是突出实践特色。", "三是。"], batch_size=64))
    assert sizes == [2, 1]  # 9 + 9 characters reach 10: the batch closes
    assert [d.text for d in docs] == ["一是强化组织领导。", "二是突出实践特色。", "三是。"]


def test_annotate_many_keeps_each_error_in_its_place(nlp: Pipeline) -> None:
    results = nlp.annotate_many(
        [("一是强化。", None), ("二是\ud800", {"id": "bad"}), ("三是。", None)]
    )
    assert isinstance(results[0], Document)
    assert isinstance(results[2], Document)
    assert isinstance(results[1], InputError)
    assert "bad: has a lone surrogate" in str(results[1])
    assert results[2].paragraphs  # the text after the bad one was annotated in full


def test_pipe_yields_the_documents_before_an_error_then_raises(nlp: Pipeline) -> None:
    docs = nlp.pipe(["一是强化。", "二是\ud800", "三是。"], batch_size=64)
    assert next(docs).text == "一是强化。"
    with pytest.raises(InputError, match="lone surrogate"):
        next(docs)


def test_pipe_can_yield_each_error_in_its_place_and_go_on(nlp: Pipeline) -> None:
    results = list(nlp.pipe(["一是强化。", "二是\ud800", "三是。"], batch_size=2, errors="yield"))
    assert [type(r) for r in results] == [Document, InputError, Document]
    assert isinstance(results[2], Document)
    assert results[2].paragraphs  # the batch after the bad text was annotated in full


def test_pipe_errors_must_be_raise_or_yield(nlp: Pipeline) -> None:
    with pytest.raises(OptionError, match="errors: must be 'raise' or 'yield', not 'skip'"):
        list(nlp.pipe(["一是。"], errors="skip"))  # type: ignore[call-overload]


def broken(doc: Document) -> dict[str, tuple[()]]:
    """A stage with a bug that shows on texts with 坏."""
    if "坏" in doc.text:
        raise ZeroDivisionError("division by zero")
    return {}


def test_a_failing_stage_is_named_with_the_document(nlp: Pipeline) -> None:
    buggy = Pipeline(stages=["layout"])
    buggy.stages = (*buggy.stages, Stage("broken", "v0", (), (), broken))
    good, bad = buggy.annotate_many([("好的。", None), ("坏的。", {"id": "doc-7"})])
    assert isinstance(good, Document)
    assert isinstance(bad, StageError)
    assert str(bad) == "stage 'broken' failed on doc-7: ZeroDivisionError('division by zero')"
    assert isinstance(bad.__cause__, ZeroDivisionError)
    with pytest.raises(StageError, match="stage 'broken' failed on text"):
        buggy("坏")


def test_batch_size_must_be_positive(nlp: Pipeline) -> None:
    with pytest.raises(OptionError, match="batch_size: must be at least 1, not 0"):
        list(nlp.pipe(["一是。"], batch_size=0))


def test_a_stage_that_fails_on_a_batch_is_run_on_each_text_alone() -> None:
    def run_many(docs: Sequence[Document]) -> list[dict[str, tuple[()]]]:
        return [broken(doc) for doc in docs]

    buggy = Pipeline(stages=["layout"])
    buggy.stages = (*buggy.stages, Stage("broken", "v0", (), (), broken, run_many))
    results = buggy.annotate_many([("好的。", None), ("坏的。", {"id": "doc-7"}), ("也好。", None)])
    assert [type(r).__name__ for r in results] == ["Document", "StageError", "Document"]
    assert (
        str(results[1]) == "stage 'broken' failed on doc-7: ZeroDivisionError('division by zero')"
    )
    assert results[2].provenance["paragraphs"] == "layout rules v2"  # type: ignore[union-attr]
