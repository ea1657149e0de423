"""Words: one interface, several segmenters (jieba by default, rjieba as the fast path).

Every backend returns a :class:`~policytext.document.SpanArray` of tokens that
tile the text exactly; the tiling is checked, so no character is ever lost. The shipped
policy lexicon keeps terms and formulas whole (创先争优, 嘎查村, 三亮三比三创).

```pycon
>>> seg = JiebaSegmenter()
>>> text = "深入开展创先争优活动"
>>> [text[t.start:t.end] for t in seg.segment(text)]
['深入开展', '创先争优', '活动']

```
"""

from __future__ import annotations

import logging
import marshal
import os
from collections.abc import Callable, Iterator, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from policytext.document import SpanArray
from policytext.errors import OptionError, StageError
from policytext.lexicon import data_path, lexicon_version, read_table

__all__ = ["SEGMENTERS", "JiebaSegmenter", "RjiebaSegmenter", "Segmenter", "make_segmenter"]

POLICY_LEXICON = "policy_words.txt"


class Segmenter(Protocol):
    """What a segmenter backend provides."""

    name: str

    @property
    def version(self) -> str: ...

    def segment(self, text: str) -> SpanArray:
        """The tokens of ``text``, tiling it, with part-of-speech labels if asked."""
        ...


def cache_dir() -> Path:
    """Where segmenters keep their dictionary caches: ``$POLICYTEXT_CACHE`` or the user cache."""
    env = os.environ.get("POLICYTEXT_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "policytext"


def _tiling(text: str, words: Sequence[str], tags: Sequence[str] | None, backend: str) -> SpanArray:
    """Tokens from the words a backend cut ``text`` into, checked to rebuild the text."""
    if "".join(words) != text:
        raise StageError(f"segmenter {backend}: the tokens do not rebuild the text")
    lengths = np.fromiter(map(len, words), np.int64, len(words))
    ends = np.cumsum(lengths)
    return SpanArray(ends - lengths, ends, tags)


def _user_dicts(user_dicts: Sequence[str | os.PathLike[str]]) -> list[str]:
    paths = [data_path(POLICY_LEXICON), *(os.fspath(p) for p in user_dicts)]
    for path in paths:
        if not os.path.isfile(path):
            raise OptionError(f"user_dict: no such lexicon file {path!r}")
    return paths


def _entries(paths: Sequence[str]) -> Iterator[tuple[str, int | None, str | None]]:
    """``(word, freq, tag)`` from jieba dictionary files (``WORD [FREQ] [TAG]``, # comments)."""
    for path in paths:
        for _, fields in read_table(path):
            word, *rest = fields[0].split()
            freq = next((int(f) for f in rest if f.isdigit()), None)
            tag = next((f for f in rest if not f.isdigit()), None)
            yield word, freq, tag


class _JiebaFamily:
    """What jieba and rjieba share: the options, and the policy lexicon loaded first."""

    def __init__(
        self, pos: bool = False, user_dicts: Sequence[str | os.PathLike[str]] = ()
    ) -> None:
        self.pos = pos
        self.user_dicts = _user_dicts(user_dicts)

    @property
    def lexicon(self) -> str:
        return f"policy lexicon {lexicon_version(self.user_dicts[0])}"


#: The file jieba caches its default dictionary in, under its ``tmp_dir``.
_JIEBA_CACHE = "jieba.cache"


def _load_cache(tokenizer: Any, cache: Path) -> None:
    """Load jieba's dictionary from the cache jieba writes, else let jieba build it.

    jieba reads its cache with ``marshal.load`` on an open file, which reads each of half
    a million entries with a call of its own: 0.55 s. ``marshal.loads`` of the file's
    bytes gives the same dictionary in 0.2 s, which every worker process and every
    command saves at start.
    """
    try:
        tokenizer.FREQ, tokenizer.total = marshal.loads(cache.read_bytes())
        tokenizer.initialized = True
    except (OSError, EOFError, ValueError, TypeError):
        tokenizer.initialize()  # no cache, or a broken one: jieba (re)builds and writes it


class JiebaSegmenter(_JiebaFamily):
    """jieba behind a private ``jieba.Tokenizer``: no global state, cache and logging set here.

    ``pos=True`` adds part-of-speech tags (about six times slower).
    ``user_dicts`` are jieba dictionary files (``word [freq] [tag]`` per line)
    loaded after the shipped policy lexicon.
    """

    name = "jieba"

    @cached_property
    def _tokenizer(self) -> Any:
        import jieba

        logging.getLogger("jieba").setLevel(logging.WARNING)  # jieba logs at DEBUG by default
        tokenizer = jieba.Tokenizer()
        directory = cache_dir()
        try:
            directory.mkdir(parents=True, exist_ok=True)
            tokenizer.tmp_dir = str(directory)
        except OSError:
            pass  # an unwritable cache only costs the load time
        _load_cache(tokenizer, directory / _JIEBA_CACHE)
        for word, freq, tag in _entries(self.user_dicts):
            tokenizer.add_word(word, freq, tag)
        return tokenizer

    @cached_property
    def _tagger(self) -> Any:
        from jieba.posseg import POSTokenizer

        return POSTokenizer(self._tokenizer)

    @property
    def version(self) -> str:
        import jieba

        return f"jieba {jieba.__version__} + {self.lexicon}"

    def segment(self, text: str) -> SpanArray:
        if self.pos:
            pairs = list(self._tagger.cut(text))
            return _tiling(text, [p.word for p in pairs], [p.flag for p in pairs], self.name)
        return _tiling(text, self._tokenizer.lcut(text), None, self.name)


class RjiebaSegmenter(_JiebaFamily):
    """rjieba, the Rust port of jieba: same dictionary and algorithm, many times faster.

    Install with ``pip install policytext[fast]``.
    """

    name = "rjieba"

    @cached_property
    def _jieba(self) -> Any:
        try:
            import rjieba
        except ImportError:
            raise OptionError(
                "segmenter 'rjieba' needs the fast extra: pip install 'policytext[fast]'"
            ) from None
        jieba = rjieba.Jieba()
        for word, freq, tag in _entries(self.user_dicts):
            jieba.add_word(word, freq, tag)
        return jieba

    @property
    def version(self) -> str:
        return f"rjieba + {self.lexicon}"

    def segment(self, text: str) -> SpanArray:
        if self.pos:
            pairs = self._jieba.tag(text)
            return _tiling(text, [w for w, _ in pairs], [t for _, t in pairs], self.name)
        return _tiling(text, self._jieba.cut(text), None, self.name)


def _hanlp(
    pos: bool = False,
    user_dicts: Sequence[str | os.PathLike[str]] = (),
    hanlp_model: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None = None,
) -> Segmenter:
    """HanLP (``pip install policytext[hanlp]``), imported only when chosen."""
    from policytext.hanlp import DEFAULT_MODEL, HanlpSegmenter

    return HanlpSegmenter(hanlp_model or DEFAULT_MODEL, pos=pos, user_dicts=user_dicts)


SEGMENTERS: dict[str, Callable[..., Segmenter]] = {
    "jieba": JiebaSegmenter,
    "rjieba": RjiebaSegmenter,
    "hanlp": _hanlp,
}


def make_segmenter(
    name: str,
    pos: bool = False,
    user_dicts: Sequence[str | os.PathLike[str]] = (),
    hanlp_model: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None = None,
) -> Segmenter:
    """The segmenter called ``name`` (one of :data:`SEGMENTERS`).

    ``hanlp_model`` (folders or HanLP identifiers) is for ``"hanlp"`` only.
    """
    try:
        backend = SEGMENTERS[name]
    except KeyError:
        raise OptionError(
            f"segmenter: {name!r} is not one of {', '.join(map(repr, SEGMENTERS))}"
        ) from None
    if name == "hanlp":
        return backend(pos=pos, user_dicts=user_dicts, hanlp_model=hanlp_model)
    if hanlp_model:
        raise OptionError(f"hanlp_model: only for segmenter 'hanlp', not {name!r}")
    return backend(pos=pos, user_dicts=user_dicts)
