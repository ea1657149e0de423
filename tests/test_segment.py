from __future__ import annotations

from pathlib import Path

import pytest

from policytext import OptionError
from policytext.segment import SEGMENTERS, make_segmenter

pytest.importorskip("rjieba")  # the fast extra is installed in CI; both backends are tested


@pytest.mark.parametrize("backend", sorted(set(SEGMENTERS) - {"hanlp"}))  # hanlp: test_hanlp.py
@pytest.mark.parametrize(
    "word", ["创先争优", "嘎查村", "基层党组织", "三亮三比三创", "两学一做", "十四五"]
)
def test_policy_lexicon_keeps_terms_whole(backend: str, word: str) -> None:
    text = f"各地深入开展{word}工作"
    tokens = [text[t.start : t.end] for t in make_segmenter(backend).segment(text)]
    assert word in tokens


@pytest.mark.parametrize("backend", sorted(set(SEGMENTERS) - {"hanlp"}))  # hanlp: test_hanlp.py
@pytest.mark.parametrize("pos", [False, True])
def test_tokens_tile_the_text(backend: str, pos: bool) -> None:
    text = "　一是强化组织领导。\n\n98个指导检查组, 7.5万人次!"
    tokens = make_segmenter(backend, pos=pos).segment(text)
    assert "".join(text[t.start : t.end] for t in tokens) == text
    assert all(t.label for t in tokens) == pos


def test_user_dictionary(tmp_path: Path) -> None:
    lexicon = tmp_path / "mine.txt"
    lexicon.write_text("青山模式 n\n", encoding="utf-8")
    text = "推广青山模式"
    segmenter = make_segmenter("jieba", user_dicts=[lexicon])
    tokens = [text[t.start : t.end] for t in segmenter.segment(text)]
    assert "青山模式" in tokens


def test_unknown_backend_and_missing_dictionary(tmp_path: Path) -> None:
    with pytest.raises(OptionError, match="not one of 'jieba', 'rjieba'"):
        make_segmenter("thulac")
    with pytest.raises(OptionError, match="no such lexicon file"):
        make_segmenter("jieba", user_dicts=[tmp_path / "none.txt"])


def test_jieba_dictionary_cache_read_fast_gives_jiebas_tokens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache jieba writes, read by policytext, gives the tokens jieba's own loading
    gives; a broken cache is rebuilt by jieba, not an error."""
    import jieba

    from policytext.segment import JiebaSegmenter

    monkeypatch.setenv("POLICYTEXT_CACHE", str(tmp_path))
    text = (Path(__file__).parents[1] / "corpora" / "qingshan_party_summary.txt").read_text(
        encoding="utf-8"
    )
    built = JiebaSegmenter()  # no cache yet: jieba builds the dictionary and writes it
    expected = [text[t.start : t.end] for t in built.segment(text)]
    cache = tmp_path / "jieba.cache"
    assert cache.stat().st_size > 1_000_000

    def not_jieba(*args: object) -> None:
        raise AssertionError("jieba loaded the dictionary itself")

    with monkeypatch.context() as patch:  # read by policytext, not by jieba
        patch.setattr(jieba.Tokenizer, "initialize", not_jieba)
        read = JiebaSegmenter()
        assert [text[t.start : t.end] for t in read.segment(text)] == expected

    cache.write_bytes(b"not a marshal file")
    rebuilt = JiebaSegmenter()
    assert [text[t.start : t.end] for t in rebuilt.segment(text)] == expected
    assert cache.stat().st_size > 1_000_000  # written again
