"""Tests of the passage-function classifier (policytext.classify)."""

from __future__ import annotations

import json
import math
import os
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest

from policytext.classify import (
    LABELS,
    VERSION,
    PassageModel,
    classify_many,
    classify_paragraphs,
    split_passages,
)
from policytext.classify.features import (
    CUE_WORDS,
    DENSE,
    HASH_BITS,
    PRIOR_KINDS,
    contexts,
    featurize,
    lead_class,
)
from policytext.classify.model import DEFAULT_MODEL
from policytext.classify.train import Settings, TrainingDoc, fit, train
from policytext.cli import main
from policytext.document import Document, Span
from policytext.errors import InputError, OptionError
from policytext.lexicon import data_path
from policytext.pipeline import Pipeline

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPORA = Path(__file__).resolve().parents[1] / "corpora"

REVIEW_WITH_PLAN = (
    "关于创先争优活动的总结\n"
    "基本做法\n"
    "一是强化组织领导。市委常委会多次召开会议，专题研究推进措施，建立了领导小组。\n"
    "二是突出实践特色。各级党组织开展了“三亮三比三创”活动，组织党员干部深入基层。\n"
    "下一步，我们要继续加强组织领导，力争明年全面完成各项任务，确保活动取得实效。\n"
    "主要成效\n"
    "一是群众满意度明显提高，达到96.3%。二是基层组织建设显著增强，整顿转化软弱涣散党组织47个。\n"
    "（作者系青山市委常委）\n"
)


@pytest.fixture(scope="module")
def nlp() -> Pipeline:
    return Pipeline(stages=["layout"])


@pytest.fixture(scope="module")
def model() -> PassageModel:
    return PassageModel.load()


@pytest.fixture(scope="module")
def shared() -> Path:
    if not (SHARED / "gold").is_dir() or not (SHARED / "corpus").is_dir():
        pytest.skip(f"shared data not found at {SHARED}")
    return SHARED


def labelled(nlp: Pipeline, model: PassageModel, text: str) -> tuple[Document, tuple[Span, ...]]:
    doc = nlp(text)
    return doc, classify_paragraphs(doc, model)["paragraphs"]


# --- the shipped model ----------------------------------------------------------


def test_model_files_load_without_pickle() -> None:
    base = data_path(DEFAULT_MODEL)
    with np.load(base + ".npz", allow_pickle=False) as arrays:
        dense, grams, buckets = arrays["dense"], arrays["grams"], arrays["buckets"]
    assert dense.dtype == grams.dtype == np.float32
    assert dense.shape == (len(DENSE), len(LABELS))
    assert grams.shape == (len(buckets), len(LABELS))
    assert (np.diff(buckets) > 0).all()
    assert buckets.min() >= 0
    assert buckets.max() < 2**HASH_BITS
    with open(base + ".json", encoding="utf-8") as f:
        head = json.load(f)
    assert head["version"] == VERSION
    assert tuple(head["labels"]) == LABELS
    assert head["features"]["dense"] == list(DENSE)
    assert os.path.getsize(base + ".npz") < 1_000_000  # small enough to ship


def test_model_round_trips(tmp_path: Path, model: PassageModel) -> None:
    saved = PassageModel.load(model.save(tmp_path / "m"))
    assert saved.priors == model.priors
    assert saved.temperature == model.temperature
    np.testing.assert_array_equal(saved.buckets, model.buckets)
    np.testing.assert_array_equal(saved.dense, model.dense)
    np.testing.assert_array_equal(saved.grams, model.grams)


def test_model_trained_on_other_features_is_refused(tmp_path: Path, model: PassageModel) -> None:
    base = model.save(tmp_path / "m")
    head = json.loads(Path(base + ".json").read_text(encoding="utf-8"))
    head["features"]["blocks"]["c"] = [1, 3, 4.0]
    Path(base + ".json").write_text(json.dumps(head), encoding="utf-8")
    with pytest.raises(InputError, match="trained on other features"):
        PassageModel.load(base)


@pytest.mark.parametrize("name", ["missing", "not-a-model"])
def test_bad_model_path_is_an_input_error(tmp_path: Path, name: str) -> None:
    if name == "not-a-model":
        (tmp_path / f"{name}.json").write_text("{}", encoding="utf-8")
        np.savez(tmp_path / f"{name}.npz", weights=np.zeros((0, 5)), bias=np.zeros(5))
    with pytest.raises(InputError):
        PassageModel.load(tmp_path / name)


# --- labels and scores ----------------------------------------------------------


def test_scores_sum_to_one_and_labels_are_valid(nlp: Pipeline, model: PassageModel) -> None:
    doc, spans = labelled(nlp, model, REVIEW_WITH_PLAN)
    assert [(s.start, s.end) for s in spans] == [(p.start, p.end) for p in doc.paragraphs]
    for span, para in zip(spans, doc.paragraphs, strict=True):
        assert span.label in LABELS
        assert span["role"] == para["role"]
        scores = span["scores"]
        assert set(scores) == set(LABELS)
        assert all(isinstance(v, float) and 0.0 <= v <= 1.0 for v in scores.values())
        assert math.isclose(sum(scores.values()), 1.0, abs_tol=1e-3)
        assert max(scores, key=scores.__getitem__) == span.label
        assert span.source.endswith(f"({VERSION})")
        assert span["evidence"]
        assert all(isinstance(e, str) for e in span["evidence"])
    Document.from_json(doc.with_layers(paragraphs=spans).to_json())  # schema-valid


def test_predict_proba_rows_sum_to_one(nlp: Pipeline, model: PassageModel) -> None:
    doc = nlp(REVIEW_WITH_PLAN)
    probs = model.predict_proba(featurize(doc, contexts(doc)))
    assert probs.shape == (len(doc.paragraphs), len(LABELS))
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-9)
    assert probs[4].argmax() == LABELS.index("plan")  # 下一步，我们要…
    uniform = PassageModel.uniform().predict_proba(featurize(doc, contexts(doc)))
    np.testing.assert_allclose(uniform, 1 / len(LABELS))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("主要成效\n一是群众满意度明显提高。", ["outcome", "outcome"]),
        ("经验启示\n一是必须坚持以人民为中心，只有这样才能赢得群众信任。", ["lesson", "lesson"]),
        ("下一步打算\n一是要继续推进改革，力争明年完成任务。", ["plan", "plan"]),
        ("基本做法\n一是强化组织领导，建立了工作机制，开展了专题培训。", ["practice", "practice"]),
    ],
)
def test_heading_takes_its_section_label(
    nlp: Pipeline, model: PassageModel, text: str, expected: list[str]
) -> None:
    doc, spans = labelled(nlp, model, text)
    assert [s.label for s in spans] == expected
    assert spans[0].source.startswith("heading")
    assert spans[1]["section"] == 0
    assert f"heading:{doc.text_of(doc.headings[0])}" in spans[0]["evidence"]


def test_front_and_back_matter_are_other(nlp: Pipeline, model: PassageModel) -> None:
    _, spans = labelled(nlp, model, REVIEW_WITH_PLAN)
    title, note = spans[0], spans[-1]
    assert (title.label, title["role"], title.source) == ("other", "front", f"rule ({VERSION})")
    assert "rule:front matter" in title["evidence"]
    assert (note.label, note["role"]) == ("other", "back")


def test_salutation_is_other(nlp: Pipeline, model: PassageModel) -> None:
    _, spans = labelled(nlp, model, "各位代表：\n现在，我代表国务院，向大会报告政府工作。")
    assert spans[0].label == "other"
    assert spans[0]["evidence"] == ["rule:salutation"]


def test_plan_paragraph_in_review_section_is_plan(nlp: Pipeline, model: PassageModel) -> None:
    doc, spans = labelled(nlp, model, REVIEW_WITH_PLAN)
    by_text = {doc.text_of(s)[:4]: s for s in spans}
    assert by_text["下一步，"].label == "plan"
    assert by_text["一是强化"].label == "practice"
    assert by_text["下一步，"]["section"] == by_text["一是强化"]["section"] == 1


def test_plan_paragraph_under_a_numbered_review_heading_is_plan(
    nlp: Pipeline, model: PassageModel
) -> None:
    text = (
        "一、2023年工作回顾\n"
        "过去一年，全市生产总值增长5.2%，城乡居民收入稳步提高。\n"
        "我们着力扩大有效投资，开工建设重点项目120个。\n"
        "下一步，我们将继续深化改革，力争全年投资增长8%。\n"
    )
    _, spans = labelled(nlp, model, text)
    assert [s.label for s in spans[1:]] == ["outcome", "practice", "plan"]


def test_lead_in_announcing_lessons(nlp: Pipeline, model: PassageModel) -> None:
    text = "经验启示\n总结这次活动的经验，带给我们四点启示：\n一是必须坚持思想建设为先导。"
    _, spans = labelled(nlp, model, text)
    assert spans[1].label == "lesson"


def test_empty_document(model: PassageModel) -> None:
    assert classify_paragraphs(Document(""), model) == {"paragraphs": ()}
    features = featurize(Document(""), [])
    assert len(features) == 0
    assert model.predict_proba(features).shape == (0, len(LABELS))


def test_sample_corpus_headings(nlp: Pipeline, model: PassageModel) -> None:
    text = (CORPORA / "qingshan_party_summary.txt").read_text(encoding="utf-8")
    doc, spans = labelled(nlp, model, text)
    heads = {doc.text_of(s): s.label for s in spans if s["role"] == "heading"}
    assert heads == {
        "基本做法": "practice",
        "主要成效": "outcome",
        "经验启示": "lesson",
        "下一步打算": "plan",
    }


# --- passages of one-line texts -------------------------------------------------


def test_split_passages_tiles_long_lines(nlp: Pipeline) -> None:
    text = (CORPORA / "liulin_speech_oneline.txt").read_text(encoding="utf-8").strip()
    long = text * 2  # over 600 characters
    doc = nlp(long)
    passages = split_passages(doc)
    assert len(passages) > 1
    assert passages[0].start == doc.paragraphs[0].start
    assert passages[-1].end == doc.paragraphs[-1].end
    assert all(a.end == b.start for a, b in pairwise(passages))
    assert all(p.end - p.start <= 2 * 600 for p in passages)
    spans = classify_paragraphs(doc, PassageModel.load(), passages)["paragraphs"]
    assert len(spans) == len(passages)
    assert all(s.label in LABELS for s in spans)


def test_split_passages_keeps_short_paragraphs(nlp: Pipeline) -> None:
    doc = nlp("基本做法\n一是强化组织领导。")
    assert split_passages(doc) == doc.paragraphs


def test_split_passages_uses_enumeration_items(nlp: Pipeline) -> None:
    body = "我们做了大量工作。" * 40
    text = body + "一是强化领导。" + body + "二是突出特色。" + body
    doc = nlp(text)
    first, second = text.index("一是"), text.index("二是")
    enum = Span(first, len(text), "ordinal_verb", "test", {
        "items": [
            {"marker": {"start": first, "end": first + 2}, "start": first, "end": second},
            {"marker": {"start": second, "end": second + 2}, "start": second, "end": len(text)},
        ],
        "parent": None,
    })  # fmt: skip
    doc = doc.with_layers(enumerations=(enum,))
    starts = {p.start for p in split_passages(doc)}
    assert {first, second} <= starts


# --- features and training ------------------------------------------------------


def test_features_are_namespaced(nlp: Pipeline) -> None:
    doc = nlp("主要成效\n一是进一步推动了科学发展。")
    f = featurize(doc, contexts(doc))
    assert f.priors[1, PRIOR_KINDS.index("exact"), LABELS.index("outcome")] == 1.0
    assert f.priors.sum() == 2.0  # the heading and the paragraph in its section
    assert f.dense[:, DENSE.index("bias")].tolist() == [1.0, 1.0]
    # each n-gram block is a set with L2 norm BLOCKS[name][1]: 4² + 1² + 1² per paragraph
    norms = np.bincount(f.rows, weights=f.values**2, minlength=len(f))
    np.testing.assert_allclose(norms, 4.0**2 + 1.0 + 1.0)
    assert ((f.buckets >= 0) & (f.buckets < 2**HASH_BITS)).all()


def test_cue_densities_count_every_cue_word(nlp: Pipeline) -> None:
    doc = nlp("我们取得了显著成效，增长7.5%。下一步要继续努力！")
    f = featurize(doc, contexts(doc))
    cue = {name: f.dense[0, DENSE.index(f"cue={name}")] * 3 * 2 for name in CUE_WORDS}
    # two sentences; densities are matches / (3 × sentences)
    assert cue["past"] == 2  # 取得 了
    assert cue["outcome"] == 3  # 显著 成效 增长
    assert cue["future"] == 3  # 下一步 要 继续
    assert cue["figure"] == 2  # 7.5 (one number) and %
    shares = {name: f.dense[0, DENSE.index(f"share={name}")] for name in CUE_WORDS}
    assert (shares["past"], shares["future"], shares["problem"]) == (0.5, 0.5, 0.0)


def test_cue_shares_are_counted_per_paragraph(nlp: Pipeline) -> None:
    # a heading has no final mark: its last "sentence" runs on into the next paragraph's
    doc = nlp("今年工作安排\n我们要推进改革。")
    f = featurize(doc, contexts(doc))
    assert f.dense[1, DENSE.index("share=future")] == 1.0  # 要
    assert f.dense[0, DENSE.index("share=future")] == 1.0  # 今年


def test_closing_quotes_do_not_open_a_sentence(nlp: Pipeline) -> None:
    doc = nlp("他说：“要坚持。”")
    f = featurize(doc, contexts(doc))
    assert f.dense[0, DENSE.index("share=future")] == 1.0  # one sentence, not two


def test_paragraphs_out_of_order_are_refused(nlp: Pipeline, model: PassageModel) -> None:
    doc = nlp("一是强化组织领导。\n二是突出实践特色。")
    backwards = list(reversed(doc.paragraphs))
    with pytest.raises(InputError, match="text order"):
        classify_paragraphs(doc, model, backwards)


def test_odd_paragraphs_are_labelled(model: PassageModel) -> None:
    (empty,) = classify_paragraphs(Document(""), model, [Span(0, 0, "", "", {"role": "body"})])[
        "paragraphs"
    ]
    assert (empty.start, empty.end, empty.label in LABELS) == (0, 0, True)
    caption = Span(0, 8, "", "", {"role": "caption"})  # a role the layout does not make
    (span,) = classify_paragraphs(Document("一是强化组织领导。"), model, [caption])["paragraphs"]
    assert span.label in LABELS
    assert math.isclose(sum(span["scores"].values()), 1.0, abs_tol=1e-3)


def test_n_grams_longer_than_three_characters_are_refused(
    nlp: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    from policytext.classify import features

    monkeypatch.setattr(features, "BLOCKS", {"c": (2, 4, 4.0)})
    doc = nlp("推进改革")
    with pytest.raises(OptionError, match="3 at most"):
        featurize(doc, contexts(doc))


def test_features_in_parts_are_the_rows_of_the_whole(
    nlp: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    from policytext.classify import features

    doc = nlp(REVIEW_WITH_PLAN * 3)
    whole = featurize(doc, contexts(doc))
    monkeypatch.setattr(features, "PART_CHARS", 40)  # a part every paragraph or two
    parts = list(features.feature_parts(doc, contexts(doc)))
    assert len(parts) > 5
    joined = features.Features.concat(parts)
    for name in ("dense", "priors", "rows", "buckets", "values"):
        np.testing.assert_array_equal(getattr(joined, name), getattr(whole, name))


#: Texts whose joins would make a cue word (下|一步), a number (7|.5) or an n-gram if their
#: texts were read as one without a break between them; one without paragraphs.
BATCH = ("青山村下", "一步要完善制度，力争明年实现", "", "增长7", ".5万人次。" + REVIEW_WITH_PLAN)


def test_features_of_a_batch_are_each_documents_own(nlp: Pipeline) -> None:
    from policytext.classify.features import Features, batch_feature_parts

    docs = [nlp(text) for text in BATCH]
    alone = Features.concat([featurize(doc, contexts(doc)) for doc in docs])
    together = Features.concat(
        list(batch_feature_parts([(doc, contexts(doc), doc.paragraphs) for doc in docs]))
    )
    for name in ("dense", "priors", "rows", "buckets", "values"):
        np.testing.assert_array_equal(getattr(together, name), getattr(alone, name))


def test_classify_many_labels_each_document_as_alone(nlp: Pipeline, model: PassageModel) -> None:
    docs = [nlp(text) for text in BATCH]
    together = classify_many([(doc, doc.paragraphs) for doc in docs], model)
    assert together == [classify_paragraphs(doc, model) for doc in docs]
    assert together[2] == {"paragraphs": ()}


@pytest.mark.parametrize(
    ("text", "announced"),
    [
        ("总结这次活动的经验，带给我们四点启示：", "lesson"),
        ("下一步要重点抓好四个方面工作：", "plan"),
        ("一年来，村班子主要做了以下三项工作：", "practice"),  # 主要 is no 要
        ("全年为群众办理的实事主要有：", "other"),
        ("一是强化组织领导。", None),
    ],
)
def test_lead_class(text: str, announced: str | None) -> None:
    assert lead_class(text) == announced


def test_a_lead_in_takes_the_label_of_the_list_it_announces(model: PassageModel) -> None:
    # 主要 holds 要, a cue of plans: alone, the model reads this lead-in as one
    nlp = Pipeline(stages=["layout"])
    doc = nlp(
        "××市的实践，主要有两点启示：\n"
        "一是必须坚持党的领导。只有坚持党的领导，才能凝聚起强大合力。\n"
        "二是必须坚持以人民为中心。实践证明，群众满意是检验工作成效的根本标准。"
    )
    lead, *items = classify_paragraphs(doc, model)["paragraphs"]
    assert [s.label for s in items] == ["lesson", "lesson"]
    assert lead.label == "lesson"
    assert "list:2 items" in lead["evidence"]


def test_items_of_a_list_know_what_its_lead_in_announced(nlp: Pipeline) -> None:
    doc = nlp("带给我们三点启示：\n一是必须坚持。\n二是必须创新。\n这是总结。\n三是无关。")
    assert [c.listed for c in contexts(doc)] == [None, "lesson", "lesson", None, None]


def test_cue_words_belong_to_one_cue() -> None:
    words = [w for ws in CUE_WORDS.values() for w in ws]
    assert len(words) == len(set(words))


def _toy_docs(nlp: Pipeline) -> list[TrainingDoc]:
    texts = {
        "plan": "下一步要继续加强领导，力争明年完成任务。",
        "outcome": "群众满意度明显提高，达到96%，取得显著成效。",
        "practice": "我们开展了专题培训，建立了工作机制。",
    }
    docs = []
    for k in range(3):
        doc = nlp("\n".join(texts.values()))
        features = featurize(doc, contexts(doc))
        docs.append(TrainingDoc(f"toy{k}", f"g{k}", True, doc, features, list(texts)))
    return docs


def test_tiny_fit_is_deterministic_and_learns(nlp: Pipeline) -> None:
    docs = _toy_docs(nlp)
    settings = Settings(min_df=1, max_iter=100)
    first, second = fit(docs, settings), fit(docs, settings)
    np.testing.assert_array_equal(first.grams, second.grams)
    np.testing.assert_array_equal(first.dense, second.dense)
    spans = classify_paragraphs(docs[0].doc, first)["paragraphs"]
    assert [s.label for s in spans] == ["plan", "outcome", "practice"]


def test_train_on_gold_subset(shared: Path, tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    gold.mkdir()
    for name in ("seed.gold.json", "gwr_2024.gold.json"):
        record = json.loads((shared / "gold" / name).read_text(encoding="utf-8"))
        record["text_file"] = str(shared / record["text_file"])  # absolute: read from shared
        (gold / name).write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "model"
    model = train(str(gold), None, str(out), settings=Settings(max_iter=200), calibrate=True)
    assert os.path.exists(f"{out}.json")
    assert os.path.exists(f"{out}.npz")
    assert model.meta["trained_on"] == ["gwr_2024", "seed"]
    assert PassageModel.load(out).temperature == model.temperature > 0


def test_train_command_requires_output(shared: Path) -> None:
    with pytest.raises(SystemExit):
        main(["train", str(shared / "gold")])


def test_evaluate_command_prints_the_scorer_figures(
    shared: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["evaluate", str(shared / "gold")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("paragraph labels: n=1258 accuracy=")
    assert "confusion (rows gold, columns system)" in out
    assert "slogans (distinct per document)" in out
