"""The HanLP backend: offsets, entities and the offline path.

The tests that run HanLP train tiny models of their own, once per module,
with HanLP's training API — a tokenizer (HanLP's transformer tagging
tokenizer over a one-layer BERT with random weights, made here), an RNN
part-of-speech tagger on jieba's tags and a character-level RNN recogniser on
entities read from jieba's tags, all from randomly initialised weights — save
them to temporary folders and load them through ``hanlp.load(path)`` as a
downloaded model is loaded. They skip
when HanLP is not installed. Nothing is downloaded: ``HANLP_HOME`` is an
empty temporary folder, proxies point nowhere, and any socket connection
fails the test.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policytext.document import Span, SpanArray
from policytext.entities import JIEBA_ENTITY_SOURCE, entity_finder, jieba_entities
from policytext.errors import OptionError, StageError
from policytext.hanlp import HanlpSegmenter, align, resolve_model, sentence_bounds
from policytext.read import read
from policytext.segment import JiebaSegmenter
from tests.conftest import CORPORA, REPO

LABELS = {"person", "place", "organization"}
MTL = "hanlp.components.mtl.multi_task_learning.MultiTaskLearning"


# --- sentences, alignment, tiling: no HanLP needed -------------------------------------------


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("一是强化组织领导。二是突出特色。", ["一是强化组织领导。", "二是突出特色。"]),
        ("他说：“好！”然后走了", ["他说：“好！”然后走了"]),  # not inside quotes (layout)
        ("  第一行\n\n第二行  \n", ["第一行", "第二行"]),
        ("", []),
        (" \n\u3000 ", []),
    ],
)
def test_sentence_bounds(text: str, sentences: list[str]) -> None:
    assert [text[s:e] for s, e in sentence_bounds(text)] == sentences


def test_long_sentences_are_cut_after_a_comma() -> None:
    text = "甲" * 8 + "，" + "乙" * 8 + "。"
    assert [text[s:e] for s, e in sentence_bounds(text, max_len=10)] == [
        "甲" * 8 + "，",
        "乙" * 8 + "。",
    ]


@given(st.text(alphabet="甲乙 \n。！，”a", max_size=80), st.integers(2, 12))
def test_sentence_bounds_cover_every_visible_character(text: str, max_len: int) -> None:
    bounds = sentence_bounds(text, max_len)
    assert all(0 <= s < e <= len(text) and e - s <= max_len for s, e in bounds)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(bounds))
    covered = {i for s, e in bounds for i in range(s, e)}
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())


@pytest.mark.parametrize(
    ("text", "words", "spans"),
    [
        ("通辽市在基层", ["通辽市", "在", "基层"], [(0, 3), (3, 4), (4, 6)]),
        ("  ＡＢ c。", ["AB", "c", "。"], [(2, 4), (5, 6), (6, 7)]),  # HanLP's normalised forms
        ("a\u200bb", ["a", "b"], [(0, 1), (2, 3)]),  # a zero-width space is a blank
        ("通\ufffd辽", ["通", "辽"], [(0, 1), (2, 3)]),  # BERT tokenizers drop U+FFFD
        ("甲 乙", ["甲", "", "乙"], [(0, 1), (1, 1), (2, 3)]),  # one span for each word
        ("讲话\u3000镇党委", ["讲话镇", "党委"], [(0, 4), (4, 6)]),  # a word over a dropped blank
    ],
)
def test_align(text: str, words: list[str], spans: list[tuple[int, int]]) -> None:
    assert align(text, words, 0, len(text)) == spans


@pytest.mark.parametrize(
    ("words", "message"),
    [
        (["通辽", "县"], "token '县' is not at offset 2"),
        (["通辽"], "leave out text at offset 2"),
        (["通辽市在"], "token '通辽市在' is not at offset 0"),  # past the sentence's end
    ],
)
def test_align_raises_where_a_token_is_not_in_the_text(words: list[str], message: str) -> None:
    with pytest.raises(StageError, match=message):
        align("通辽市在基层", words, 0, 3)


# --- entities from jieba's tags --------------------------------------------------------------


def _tokens(*pairs: tuple[str, str]) -> tuple[str, SpanArray]:
    text = "".join(w for w, _ in pairs)
    ends = [sum(len(w) for w, _ in pairs[: k + 1]) for k in range(len(pairs))]
    return text, SpanArray([0, *ends[:-1]], ends, [t for _, t in pairs])


@pytest.mark.parametrize(
    ("pairs", "entities"),
    [
        ([("了", "ul"), ("蒋", "nr"), ("青春", "ns"), ("等", "u")], [("蒋青春", "person")]),
        ([("通辽", "ns"), ("市", "n"), ("在", "p")], [("通辽市", "place")]),
        ([("中央", "nt"), ("组织部", "nt"), ("的", "uj")], [("中央组织部", "organization")]),
        (
            [("杨静波", "nr"), ("\n", "x"), ("通辽市", "ns")],
            [("杨静波", "person"), ("通辽市", "place")],
        ),
        ([("蒋", "nr"), ("说", "v")], []),  # a surname alone is no entity
        ([("开展", "v"), ("活动", "vn")], []),
    ],
)
def test_jieba_entities(pairs: list[tuple[str, str]], entities: list[tuple[str, str]]) -> None:
    text, tokens = _tokens(*pairs)
    found = jieba_entities(text, tokens)
    assert [(text[e.start : e.end], e.label) for e in found] == entities
    assert all(e.source == JIEBA_ENTITY_SOURCE for e in found)


def test_jieba_entities_need_tags() -> None:
    with pytest.raises(StageError, match="pos=True"):
        jieba_entities("通辽市", SpanArray([0], [3]))


def test_jieba_entity_layer_of_the_seed_article(seed_path: Path) -> None:
    text = seed_path.read_text(encoding="utf-8")
    found = entity_finder(JiebaSegmenter())(text)
    surfaces = {text[e.start : e.end] for e in found}
    assert {"通辽市", "蒋青春"} <= surfaces
    assert all(e.label in LABELS and e.source == JIEBA_ENTITY_SOURCE for e in found)
    assert all(text[e.start : e.end].strip() == text[e.start : e.end] for e in found)


# --- finding models: no HanLP needed for folders ---------------------------------------------


def _folder(root: Path, name: str, config: dict[str, Any] | None, meta: bool = False) -> Path:
    folder = root / name
    folder.mkdir()
    if config is not None:
        (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    if meta:
        (folder / "meta.json").write_text("{}", encoding="utf-8")
    return folder


def test_a_missing_folder_says_where(tmp_path: Path) -> None:
    with pytest.raises(OptionError, match=r"no model folder at .*nothing-here"):
        resolve_model(tmp_path / "nothing-here", tmp_path)


@pytest.mark.parametrize(
    ("config", "meta", "message"),
    [
        (None, False, "not a HanLP model folder"),
        (None, True, "TensorFlow model"),
        (
            {"classpath": "hanlp.components.parsers.biaffine.BiaffineDependencyParser"},
            False,
            "not a",
        ),
        ({"classpath": "hanlp.components.taggers.pos_tf.RNNPartOfSpeechTaggerTF"}, False, "not a"),
    ],
)
def test_folders_that_are_not_usable_models(
    tmp_path: Path, config: dict[str, Any] | None, meta: bool, message: str
) -> None:
    with pytest.raises(OptionError, match=message):
        resolve_model(_folder(tmp_path, "model", config, meta), tmp_path)


def test_a_file_is_not_a_model(tmp_path: Path) -> None:
    (tmp_path / "model.pt").write_bytes(b"")
    with pytest.raises(OptionError, match="is a file"):
        resolve_model(tmp_path / "model.pt", tmp_path)


def test_roles_come_from_the_config(tmp_path: Path) -> None:
    tok = _folder(tmp_path, "tok", {"classpath": "hanlp.components.tokenizers.transformer.X"})
    ner = _folder(
        tmp_path, "ner", {"classpath": "hanlp.components.ner.rnn_ner.X", "token_delimiter": ""}
    )
    assert resolve_model(tok, tmp_path).provides == ("tok",)
    assert resolve_model(ner, tmp_path).char_level
    with pytest.raises(OptionError, match="both a 'tok' model"):
        HanlpSegmenter([tok, tok], hanlp_home=tmp_path)
    with pytest.raises(OptionError, match="no"):
        HanlpSegmenter(ner, pos=True, hanlp_home=tmp_path)


class FakeMultiTask:
    """Stands in for a HanLP multi-task model: normalises full-width forms and drops blanks."""

    def __init__(self) -> None:
        self.calls: list[list[str] | None] = []

    def __call__(self, sentences: list[str], tasks: list[str] | None = None) -> dict[str, Any]:
        self.calls.append(tasks)
        tok = [["".join(w.split()) for w in s.replace("ＡＢ", " AB").split()] for s in sentences]
        ner = [
            [(w, "NS", k, k + 1) for k, w in enumerate(ws) if w.endswith("市")]
            + [(w, "DATE", k, k + 1) for k, w in enumerate(ws) if w.endswith("年")]
            for ws in tok
        ]
        return {
            "tok/fine": tok,
            "pos/ctb": [["NN"] * len(ws) for ws in tok],
            "ner/msra": ner,
        }


@pytest.mark.parametrize(
    ("task_names", "tasks"),
    [
        (None, None),
        (["tok/fine", "pos/ctb", "ner/msra", "srl"], ["tok/fine", "pos/ctb", "ner/msra"]),
    ],
)
def test_multi_task_output_is_mapped_to_offsets(
    tmp_path: Path, task_names: list[str] | None, tasks: list[str] | None
) -> None:
    mtl = _folder(tmp_path, "mtl", {"classpath": MTL, "task_names": task_names})
    seg = HanlpSegmenter(mtl, pos=True, hanlp_home=tmp_path)
    fake = FakeMultiTask()
    seg.__dict__["_components"] = dict.fromkeys(("tok", "pos", "ner"), fake)
    text = "  通辽市 在 2010年 开展ＡＢ 活动。\n\n第二 句"
    tokens = seg.segment(text)
    assert "".join(text[t.start : t.end] for t in tokens) == text
    words = [text[t.start : t.end] for t in tokens if t.label]
    assert words == ["通辽市", "在", "2010年", "开展", "ＡＢ", "活动。", "第二", "句"]
    assert [(text[e.start : e.end], e.label, e.source) for e in seg.entities(text)] == [
        ("通辽市", "place", f"hanlp {mtl}")
    ]
    assert fake.calls == [tasks]  # one run for words, tags and entities of the same text


def test_a_multi_task_model_without_a_tagger(tmp_path: Path) -> None:
    mtl = _folder(tmp_path, "mtl", {"classpath": MTL, "task_names": ["tok/fine", "ner/msra"]})
    assert resolve_model(mtl, tmp_path).provides == ("tok", "ner")
    with pytest.raises(OptionError, match="part-of-speech tagger"):
        HanlpSegmenter(mtl, pos=True, hanlp_home=tmp_path)


# --- real HanLP, on a tiny model trained here -----------------------------------------------


@pytest.fixture(scope="module")
def no_network() -> Iterator[list[Any]]:
    """Every attempt to open a connection, refused and recorded; proxies point nowhere."""
    attempts: list[Any] = []

    def refuse(self: socket.socket, address: Any) -> None:
        attempts.append(address)
        raise OSError(f"test: no network ({address})")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket.socket, "connect", refuse)
        mp.setattr(socket.socket, "connect_ex", refuse)
        for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
            mp.setenv(var, "http://127.0.0.1:9")
        yield attempts


@pytest.fixture(scope="module")
def hanlp_home(tmp_path_factory: pytest.TempPathFactory, no_network: list[Any]) -> Iterator[Path]:
    """An empty HANLP_HOME, set before HanLP is imported."""
    if "hanlp" in sys.modules:
        pytest.skip("hanlp was imported before this module could set HANLP_HOME")
    home = tmp_path_factory.mktemp("hanlp_home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HANLP_HOME", str(home))
        for var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
            mp.setenv(var, "1")
        mp.setenv("HANLP_VERBOSE", "0")
        pytest.importorskip(
            "hanlp", reason="HanLP is not installed (pip install policytext[hanlp])"
        )
        yield home


def _training_data(folder: Path) -> dict[str, Path]:
    """Words, POS (word, jieba tag) and character NER (BIO over jieba's entities), from jieba."""
    jieba = JiebaSegmenter(pos=True)
    tok_lines: list[str] = []
    pos_lines: list[str] = []
    ner_lines: list[str] = []
    for path in sorted(CORPORA.glob("*.txt")):
        text = read(path).text
        tokens = jieba.segment(text)
        starts = {e.start: e for e in jieba_entities(text, tokens)}
        for start, end in sentence_bounds(text, 120):
            words = [t for t in tokens if start <= t.start < end and text[t.start : t.end].strip()]
            tok_lines.append(" ".join(text[t.start : t.end] for t in words))
            pos_lines += [f"{text[t.start : t.end]}\t{t.label}" for t in words] + [""]
            entity: Span | None = None
            for i in range(start, end):
                if text[i].isspace():
                    continue
                if i in starts:
                    entity = starts[i]
                    tag = f"B-{entity.label}"
                elif entity is not None and i < entity.end:
                    tag = f"I-{entity.label}"
                else:
                    entity, tag = None, "O"
                ner_lines.append(f"{text[i]}\t{tag}")
            ner_lines.append("")
    lines = {"tok.txt": tok_lines, "pos.tsv": pos_lines, "ner.tsv": ner_lines}
    for name, content in lines.items():
        (folder / name).write_text("\n".join(content) + "\n", encoding="utf-8")
    return {name.split(".")[0]: folder / name for name in lines}


def _tiny_bert(folder: Path, texts: Path) -> Path:
    """A one-layer BERT with random weights and a character vocabulary, saved as a folder."""
    from transformers import BertConfig, BertModel, BertTokenizer

    chars = sorted({ch for ch in texts.read_text(encoding="utf-8") if not ch.isspace()})
    (folder / "vocab.txt").write_text(
        "\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *chars]) + "\n", encoding="utf-8"
    )
    bert = folder / "tiny_bert"
    BertTokenizer(str(folder / "vocab.txt"), do_lower_case=False).save_pretrained(bert)
    config = BertConfig(
        vocab_size=len(chars) + 5, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
        intermediate_size=64, max_position_embeddings=256,
    )  # fmt: skip
    BertModel(config).save_pretrained(bert)
    return bert


def _adamw(params: Any, lr: float, eps: float, weight_decay: float, **_: Any) -> Any:
    """``transformers.optimization.AdamW`` as HanLP calls it, done by torch."""
    import torch

    return torch.optim.AdamW(params, lr=lr, eps=eps, weight_decay=weight_decay)


@pytest.fixture(scope="module")
def tiny_models(
    hanlp_home: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Path]]:
    """A tokenizer, a POS tagger and a character NER model, trained here and saved to folders."""
    import torch
    import transformers.optimization
    from hanlp.components.ner.rnn_ner import RNNNamedEntityRecognizer
    from hanlp.components.taggers.rnn_tagger import RNNTagger
    from hanlp.components.tokenizers.transformer import TransformerTaggingTokenizer

    folder = tmp_path_factory.mktemp("tiny_hanlp")
    data = {name: str(path) for name, path in _training_data(folder).items()}
    bert = _tiny_bert(folder, Path(data["tok"]))
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # several threads make small RNNs many times slower on 2 cores
    rnn = {"embed": 32, "rnn_hidden": 64, "batch_size": 32, "lr": 0.01, "crf": False}
    started = time.perf_counter()
    try:
        with pytest.MonkeyPatch.context() as mp:
            # HanLP 2.1.5 trains transformers with transformers.optimization.AdamW, which
            # transformers has dropped; torch's AdamW does the same. Training only: loading
            # and running the saved model do not use it.
            mp.setattr(transformers.optimization, "AdamW", _adamw, raising=False)
            TransformerTaggingTokenizer().fit(
                data["tok"], data["tok"], str(folder / "tok"), transformer=str(bert), epochs=8,
                lr=0.01, transformer_lr=0.001, batch_size=32, word_dropout=0, warmup_steps=0,
                max_seq_len=200, devices=-1, seed=1,
            )  # fmt: skip
        RNNTagger().fit(
            data["pos"], data["pos"], str(folder / "pos"), epochs=6, devices=-1, seed=1,
            verbose=False, **rnn,
        )  # fmt: skip
        RNNNamedEntityRecognizer().fit(
            data["ner"], data["ner"], str(folder / "ner"), epochs=12, patience=100,
            tagging_scheme="BIO", devices=-1, seed=1, verbose=False, **rnn,
        )  # fmt: skip
        print(f"tiny HanLP models trained in {time.perf_counter() - started:.0f} s")
        yield {name: folder / name for name in ("tok", "pos", "ner")}
    finally:
        torch.set_num_threads(threads)


@pytest.fixture(scope="module", params=["hanlp words", "jieba words"])
def segmenter(
    request: pytest.FixtureRequest, tiny_models: dict[str, Path], hanlp_home: Path
) -> HanlpSegmenter:
    """HanLP's tokenizer, tagger and recogniser; or its tagger and recogniser on jieba's words."""
    roles = ("tok", "pos", "ner") if request.param == "hanlp words" else ("pos", "ner")
    seg = HanlpSegmenter([tiny_models[r] for r in roles], pos=True, hanlp_home=hanlp_home)
    seg.load()
    return seg


@pytest.fixture(autouse=True)
def _offline(request: pytest.FixtureRequest) -> Iterator[None]:
    """The tests that touch HanLP attempt no connection."""
    if "no_network" not in request.fixturenames:
        yield
        return
    attempts: list[Any] = request.getfixturevalue("no_network")
    before = len(attempts)
    yield
    assert attempts[before:] == []


def test_the_network_guard_sees_a_connection(no_network: list[Any]) -> None:
    before = len(no_network)
    with pytest.raises(OSError, match="no network"):
        socket.create_connection(("127.0.0.1", 9), timeout=1)
    assert len(no_network) == before + 1
    del no_network[before:]


def _check_offsets(text: str, tokens: SpanArray, entities: tuple[Span, ...]) -> None:
    assert "".join(text[t.start : t.end] for t in tokens) == text  # the tokens tile the text
    for token in tokens:
        assert bool(token.label) == bool(text[token.start : token.end].strip())
    for entity in entities:
        surface = text[entity.start : entity.end]
        assert surface.strip() == surface
        assert surface
        assert entity.label in LABELS
        assert entity.source.startswith("hanlp ")


def test_the_tiny_models_load_as_downloaded_ones(
    segmenter: HanlpSegmenter, tiny_models: dict[str, Path]
) -> None:
    import hanlp

    assert hanlp.load(str(tiny_models["tok"]), verbose=False)("通辽市在基层")
    assert segmenter.version.startswith(f"hanlp {hanlp.__version__} (")
    assert f"ner: {tiny_models['ner']}" in segmenter.version
    assert segmenter.version.endswith("over jieba words") == ("tok" not in segmenter.models)


def test_the_tokenizer_finds_its_words_in_the_text(
    tiny_models: dict[str, Path], hanlp_home: Path
) -> None:
    seg = HanlpSegmenter(tiny_models["tok"], hanlp_home=hanlp_home)
    text = "  通辽市在基层党组织中开展活动。\n\nＡＢＣ 2012年，蒋青春讲话！讲话\u3000镇党委"
    tokens = seg.segment(text)
    assert "".join(text[t.start : t.end] for t in tokens) == text
    assert tokens.labels is None
    assert {text[t.start : t.end] for t in tokens} >= {"  ", "\n\n", "。", "！"}


@pytest.mark.parametrize("path", sorted(CORPORA.glob("*.txt")), ids=lambda p: p.stem)
def test_offsets_on_the_corpora(segmenter: HanlpSegmenter, path: Path) -> None:
    text = read(path).text
    _check_offsets(text, segmenter.segment(text), segmenter.entities(text))


def test_the_recogniser_finds_what_it_was_trained_on(segmenter: HanlpSegmenter) -> None:
    text = "\n".join(read(p).text for p in CORPORA.glob("*.txt"))
    found = segmenter.entities(text)
    assert len(found) >= 5
    assert {e.label for e in found} <= LABELS


def test_offsets_on_the_seed_article(segmenter: HanlpSegmenter, seed_path: Path) -> None:
    text = seed_path.read_text(encoding="utf-8")
    tokens = segmenter.segment(text)
    _check_offsets(text, tokens, segmenter.entities(text))
    assert len(tokens) > 1000


def test_a_missing_identifier_says_where_it_looked(hanlp_home: Path) -> None:
    started = time.perf_counter()
    with pytest.raises(OptionError) as info:
        HanlpSegmenter("COARSE_ELECTRA_SMALL_ZH", hanlp_home=hanlp_home)
    message = str(info.value)
    assert "\n" not in message
    assert f"looked in {hanlp_home}" in message
    assert "docs/hanlp.md" in message
    assert time.perf_counter() - started < 5


def test_a_model_that_needs_a_download_is_refused(hanlp_home: Path, tmp_path: Path) -> None:
    config = {
        "classpath": "hanlp.components.ner.rnn_ner.RNNNamedEntityRecognizer",
        "embed": "https://file.hankcs.com/hanlp/embeddings/convseg_embeddings.zip#news_tensite.w2v200",
    }
    with pytest.raises(OptionError, match=r"needs https://file\.hankcs\.com/.*looked in"):
        HanlpSegmenter(_folder(tmp_path, "ner", config), hanlp_home=hanlp_home)


def test_a_transformer_that_is_not_here_is_refused(hanlp_home: Path, tmp_path: Path) -> None:
    config = {"classpath": "hanlp.components.ner.transformer_ner.X", "transformer": "/gone/bert"}
    with pytest.raises(OptionError, match="needs the transformer /gone/bert"):
        HanlpSegmenter(_folder(tmp_path, "ner", config), hanlp_home=hanlp_home)


def test_a_broken_model_fails_in_one_line_without_network(
    tiny_models: dict[str, Path],
    hanlp_home: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    broken = shutil.copytree(tiny_models["ner"], tmp_path / "broken")
    (broken / "model.pt").write_bytes(b"not a model")
    seg = HanlpSegmenter(broken, hanlp_home=hanlp_home)
    with pytest.raises(StageError, match=r"HanLP could not load .*broken: \w+") as info:
        seg.entities("通辽市")
    assert "\n" not in str(info.value)
    assert capsys.readouterr().err == ""


def test_hanlp_home_cannot_change_after_import(hanlp_home: Path, tmp_path: Path) -> None:
    mtl = _folder(tmp_path, "mtl", {"classpath": MTL})
    seg = HanlpSegmenter(mtl, hanlp_home=tmp_path / "elsewhere")
    with pytest.raises(OptionError, match="imported before"):
        seg.load()


def test_cli_without_a_model_exits_with_one_line(hanlp_home: Path, tmp_path: Path) -> None:
    from policytext.segment import SEGMENTERS

    if "hanlp" not in SEGMENTERS:
        pytest.skip("the hanlp segmenter is not wired into the command line yet")
    empty = tmp_path / "empty_home"
    empty.mkdir()
    article = tmp_path / "a.txt"
    article.write_text("通辽市在基层党组织中开展活动。", encoding="utf-8")
    env = {**os.environ, "HANLP_HOME": str(empty), "HTTPS_PROXY": "http://127.0.0.1:9"}
    done = subprocess.run(
        [sys.executable, "-m", "policytext", "annotate", "--segmenter", "hanlp",
         "--hanlp-model", "COARSE_ELECTRA_SMALL_ZH", str(article)],
        capture_output=True, text=True, env=env, timeout=120, cwd=REPO,
    )  # fmt: skip
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert str(empty) in lines[0]
    assert "Traceback" not in done.stderr
