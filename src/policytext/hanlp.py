"""HanLP as an optional backend: words, parts of speech and named entities.

Install with ``pip install 'policytext[hanlp]'`` (after a CPU build of PyTorch,
see ``docs/hanlp.md``). :class:`HanlpSegmenter` runs the HanLP models it is
given — a tokenizer, a part-of-speech tagger and/or a named-entity recogniser,
or a multi-task model holding several — and maps their output back to
code-point offsets into the text as read, checking every token and entity
against the text. Where no HanLP tokenizer is given, the words come from
jieba and HanLP tags them.

Models are never downloaded. A model is a local folder (the one holding
``config.json``) or a HanLP identifier such as ``COARSE_ELECTRA_SMALL_ZH``,
looked up where HanLP would have unpacked it under ``HANLP_HOME``; a model
that is not there is an :class:`~policytext.errors.OptionError` naming the
folder looked in and how to bring the model over.

Without HanLP, :mod:`policytext.entities` reads people, places and
organisations from jieba's ``nr``/``ns``/``nt`` tags, marked as the weaker source.
"""

from __future__ import annotations

import contextlib
import difflib
import io
import json
import os
import re
import sys
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from importlib import metadata
from pathlib import Path
from typing import Any

from policytext.document import Span, SpanArray
from policytext.entities import jieba_entities
from policytext.errors import OptionError, StageError, caret
from policytext.layout import paragraph_bounds
from policytext.layout import sentence_bounds as layout_sentences
from policytext.segment import JiebaSegmenter

__all__ = [
    "DEFAULT_MODEL",
    "ENTITY_LABELS",
    "HanlpModel",
    "HanlpSegmenter",
    "align",
    "model_home",
    "resolve_model",
    "sentence_bounds",
]

#: HanLP's entity tags (MSRA, PKU, OntoNotes, CoNLL; any case) → policytext labels. Other
#: tags (dates, numbers, works …) are not entities in policytext's sense and are left out.
ENTITY_LABELS: Mapping[str, str] = {
    "nr": "person",
    "per": "person",
    "person": "person",
    "ns": "place",
    "loc": "place",
    "location": "place",
    "gpe": "place",
    "nt": "organization",
    "org": "organization",
    "organization": "organization",
}

#: Where a HanLP component class lives → the role it plays here (first match wins).
ROLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("hanlp.components.mtl.", ("tok", "pos", "ner")),
    ("hanlp.components.tokenizers.", ("tok",)),
    ("hanlp.components.ner.", ("ner",)),
    ("hanlp.components.taggers.", ("pos",)),
)

#: Where a long sentence may be cut: after a comma or an enumeration comma.
SOFT_BREAK = re.compile(r"[，,、：:]")

#: The model used where none is named: HanLP's small multi-task model for Chinese
#: (words, parts of speech, entities and more; ELECTRA small; CC BY-NC-SA 4.0).
DEFAULT_MODEL = "CLOSE_TOK_POS_NER_SRL_DEP_SDP_CON_ELECTRA_SMALL_ZH"

HANLP_EXTRA = (
    "install a CPU build of PyTorch (torch==2.13.0) first, then pip install 'policytext[hanlp]' "
    "(see docs/hanlp.md)"
)


def model_home(home: str | os.PathLike[str] | None = None) -> Path:
    """Where HanLP models live: ``home``, else ``$HANLP_HOME``, else HanLP's ``~/.hanlp``."""
    if home is not None:
        return Path(home).expanduser()
    env = os.environ.get("HANLP_HOME")
    if env:
        return Path(env).expanduser()
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", "~"), "hanlp").expanduser()
    return Path("~/.hanlp").expanduser()


def _import_hanlp(home: Path) -> Any:
    """``import hanlp`` with ``HANLP_HOME`` set first: HanLP reads it once, at import.

    Also sets, unless already set, ``HANLP_VERBOSE=0`` and the Hugging Face
    offline switches, so that nothing HanLP loads goes to the network.
    """
    if "hanlp" not in sys.modules:
        os.environ["HANLP_HOME"] = str(home)
        os.environ.setdefault("HANLP_VERBOSE", "0")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import hanlp  # type: ignore[import-untyped, import-not-found, unused-ignore]
        from hanlp.utils import io_util  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError as e:
        raise OptionError(
            f"segmenter 'hanlp' needs HanLP ({e.name or e} is missing): {HANLP_EXTRA}"
        ) from None
    frozen = (io_util.get_resource.__defaults__ or (None,))[0]
    if frozen is not None and os.path.abspath(frozen) != os.path.abspath(home):
        raise OptionError(
            f"hanlp_home: HanLP was imported before policytext could point it at {home} "
            f"and keeps using {frozen}; set HANLP_HOME={home} before starting Python, "
            "or build the pipeline before importing hanlp"
        )
    return hanlp


@dataclass(frozen=True, slots=True)
class HanlpModel:
    """A HanLP model found on this machine: its folder, its config and what it provides."""

    spec: str
    path: Path
    classpath: str
    provides: tuple[str, ...]
    config: Mapping[str, Any] = field(repr=False, compare=False)

    @property
    def multi_task(self) -> bool:
        """Whether this is a multi-task model (one encoder, several tasks, raw sentences in)."""
        return self.classpath.startswith("hanlp.components.mtl.")

    def task(self, role: str) -> str | None:
        """The multi-task model's first task for ``role`` (``tok/fine`` for ``tok``), if named."""
        names = [str(n) for n in self.config.get("task_names") or ()]
        return next((n for n in names if n == role or n.startswith(role + "/")), None)

    @property
    def char_level(self) -> bool:
        """Whether the model reads characters rather than words (HanLP's RNN NER sets this)."""
        return self.config.get("token_delimiter") == "" or bool(self.config.get("char_level"))


def _looks_like_path(spec: str) -> bool:
    """Whether ``spec`` names a folder rather than a HanLP identifier."""
    return spec.startswith((".", "~")) or os.sep in spec or "/" in spec or spec.endswith(".json")


def _local_copy(url: str, home: Path, io_util: Any) -> Path:
    """Where HanLP unpacks the resource at ``url`` under ``home`` (as ``get_resource`` does)."""
    url, _, anchor = url.partition("#")
    real, _ = io_util.split_if_compressed(io_util.path_from_url(url, str(home)))
    path = Path(real)
    if anchor:
        if anchor.startswith("/"):
            first, *rest = anchor.lstrip("/").split("/")
            path = path.parent / first
            anchor = "/".join(rest)
        path = path / anchor if anchor else path
    return path


def _fetch_hint(spec: str, url: str, folder: Path, home: Path) -> str:
    """How to bring the model ``spec`` onto this machine, in one line."""
    try:
        relative = folder.relative_to(home)
    except ValueError:
        relative = folder
    return (
        f'on a machine with internet run HANLP_HOME=DIR python -c "import hanlp; '
        f"hanlp.load('{spec}')\" and copy DIR/{relative} to {folder}, or download {url} "
        f"and unpack it there; or pass the model's folder (see docs/hanlp.md)"
    )


def resolve_model(
    spec: str | os.PathLike[str], home: str | os.PathLike[str] | None = None
) -> HanlpModel:
    """Find the HanLP model ``spec`` on this machine, without downloading anything.

    ``spec`` is the model's folder (holding ``config.json``) or a HanLP
    identifier (a name in ``hanlp.pretrained`` or its URL), which is looked up
    where HanLP unpacks it under ``home`` (default :func:`model_home`). Every
    further resource the model's config names (embeddings, a Hugging Face
    transformer) must be on the machine too. Raises
    :class:`~policytext.errors.OptionError` saying where it looked.
    """
    base = model_home(home)
    text = os.fspath(spec)
    path = Path(text).expanduser()
    if path.is_dir():
        return _model_in(text, path, base)
    if path.exists():
        raise OptionError(
            f"hanlp_model: {text!r} is a file; give the model's folder, the one holding config.json"
        )
    if _looks_like_path(text) and not text.startswith(("http://", "https://")):
        raise OptionError(f"hanlp_model: no model folder at {path.absolute()}")
    hanlp = _import_hanlp(base)
    from hanlp.utils import io_util  # type: ignore[import-untyped, import-not-found, unused-ignore]

    pretrained: Mapping[str, str] = hanlp.pretrained.ALL
    url = pretrained.get(text, text if text.startswith(("http://", "https://")) else None)
    if url is None:
        close = difflib.get_close_matches(text, list(pretrained), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise OptionError(
            f"hanlp_model: {text!r} is neither a folder nor a HanLP model identifier{hint}"
        )
    folder = _local_copy(url, base, io_util)
    if not (folder / "config.json").is_file() and not (folder / "meta.json").is_file():
        raise OptionError(
            f"hanlp_model: HanLP model {text} is not on this machine: looked in {folder} "
            f"(HANLP_HOME={base}); policytext does not download models; "
            + _fetch_hint(text, url, folder, base)
        )
    return _model_in(text, folder, base)


def _model_in(spec: str, folder: Path, home: Path) -> HanlpModel:
    """The model in ``folder``: its role from the config's class, its resources checked."""
    config_file = folder / "config.json"
    if not config_file.is_file():
        if (folder / "meta.json").is_file():
            raise OptionError(
                f"hanlp_model: {spec} is a TensorFlow model (meta.json); policytext runs "
                "HanLP's PyTorch models only"
            )
        raise OptionError(f"hanlp_model: {folder} is not a HanLP model folder (no config.json)")
    try:
        config = json.loads(config_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise OptionError(f"hanlp_model: cannot read {config_file}: {e}") from None
    classpath = str(config.get("classpath") or config.get("class_path") or "")
    provides = next((roles for prefix, roles in ROLES if classpath.startswith(prefix)), None)
    if provides is None or classpath.endswith("TF"):
        raise OptionError(
            f"hanlp_model: {spec} is a {classpath or 'model of unknown class'}, not a PyTorch "
            "tokenizer, part-of-speech tagger or named-entity recogniser"
        )
    if classpath.startswith("hanlp.components.mtl.") and config.get("task_names"):
        names = [str(n) for n in config["task_names"]]
        provides = tuple(r for r in provides if any(n.split("/")[0] == r for n in names))
    _check_resources(spec, config, home)
    return HanlpModel(spec, folder, classpath, provides, config)


def _strings(value: Any) -> Iterator[tuple[str, str]]:
    """Every ``(key, string)`` pair nested in a config value."""
    if isinstance(value, Mapping):
        for key, v in value.items():
            if isinstance(v, str):
                yield str(key), v
            else:
                yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _check_resources(spec: str, config: Mapping[str, Any], home: Path) -> None:
    """Raise :class:`OptionError` for a resource the model needs that is not on this machine."""
    for key, value in _strings(config):
        if value.startswith(("http://", "https://")):
            _import_hanlp(home)
            from hanlp.utils import io_util  # type: ignore[import-untyped, import-not-found, unused-ignore]

            local = _local_copy(value, home, io_util)
            if not local.exists():
                raise OptionError(
                    f"hanlp_model: {spec} needs {value} ({key}), which is not on this machine: "
                    f"looked in {local}; download it where there is internet and unpack it there"
                )
        elif key == "transformer" and not Path(value).expanduser().is_dir():
            _check_hugging_face(spec, value)


def _check_hugging_face(spec: str, repo: str) -> None:
    """Raise :class:`OptionError` if the transformer ``repo`` is not in the Hugging Face cache."""
    try:
        from huggingface_hub import constants, try_to_load_from_cache
    except ImportError:  # no transformers: HanLP will say so when it loads
        return
    try:
        cached = isinstance(try_to_load_from_cache(repo, "config.json"), str)
    except Exception:  # not a valid repository name: a folder that is gone
        cached = False
    if not cached:
        raise OptionError(
            f"hanlp_model: {spec} needs the transformer {repo}, which is neither a folder here "
            f"nor in the Hugging Face cache {constants.HF_HUB_CACHE}; fetch it where there is "
            f"internet (hf download {repo}) and copy that cache folder over"
        )


@contextlib.contextmanager
def _quiet_load() -> Iterator[io.StringIO]:
    """HanLP's loader, kept off the network and off stderr.

    When a load fails, HanLP asks PyPI for its latest version (with no
    timeout) and prints a long report; the query is replaced here by one that
    fails at once, and the report is captured.
    """
    from hanlp.utils import component_util  # type: ignore[import-untyped, import-not-found, unused-ignore]

    def offline() -> None:
        raise OSError("policytext keeps HanLP offline")

    saved = component_util.get_latest_info_from_pypi
    component_util.get_latest_info_from_pypi = offline
    captured = io.StringIO()
    try:
        with contextlib.redirect_stderr(captured):
            yield captured
    finally:
        component_util.get_latest_info_from_pypi = saved


def _first_line(e: BaseException) -> str:
    lines = str(e).strip().splitlines()
    return f"{type(e).__name__}: {lines[0]}" if lines else type(e).__name__


def sentence_bounds(text: str, max_len: int = 200) -> list[tuple[int, int]]:
    """``(start, end)`` of the non-blank sentences of ``text``, each at most ``max_len`` long.

    Sentences are the layout's (:func:`policytext.layout.sentence_bounds`, line
    by line); blanks around them are left out; a longer sentence is cut after
    its last comma within ``max_len``, or at ``max_len``.

    ```pycon
    >>> text = "一是强化组织领导。二是“突出特色！”\\n  三是"
    >>> [text[s:e] for s, e in sentence_bounds(text)]
    ['一是强化组织领导。', '二是“突出特色！”', '三是']

    ```
    """
    return [
        piece
        for start, end in paragraph_bounds(text)
        for sentence in layout_sentences(text, start, end)
        for piece in _short(text, *sentence, max_len)
    ]


def _short(text: str, start: int, end: int, max_len: int) -> Iterator[tuple[int, int]]:
    """``text[start:end]`` without its blanks, cut into pieces of at most ``max_len``."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > max_len:
        soft = [m.end() for m in SOFT_BREAK.finditer(text, start, start + max_len)]
        cut = soft[-1] if soft else start + max_len
        yield start, cut
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        yield start, end


def _fold(text: str) -> str:
    """A length-preserving view for matching: each character's one-character NFKC form."""
    out = []
    for ch in text:
        nfkc = unicodedata.normalize("NFKC", ch)
        ch = nfkc if len(nfkc) == 1 else ch
        out.append(ch.lower() if len(ch.lower()) == 1 else ch)
    return "".join(out)


def _word(token: Any) -> str:
    """A tokenizer's token: a string, or ``(word, start, end)`` where it outputs spans."""
    return str(token[0]) if isinstance(token, (tuple, list)) and token else str(token)


def _blank(ch: str) -> bool:
    """Whether a tokenizer may drop ``ch``: blanks, control and format characters, and
    U+FFFD (BERT-style tokenizers drop the last two); such runs become tokens of their own."""
    return ch.isspace() or ch == "\ufffd" or unicodedata.category(ch).startswith("C")


def align(
    text: str, words: Sequence[str], start: int, end: int, backend: str = "hanlp"
) -> list[tuple[int, int]]:
    """Offsets of ``words``, found in order in ``text[start:end]``.

    A word matches the text as read or under a length-preserving
    normalisation (full-width forms, case). Blanks the tokenizer dropped (see
    :func:`_blank`) may sit between words and inside them — BERT-style
    tokenizers drop U+3000 and may then join 讲话　镇 into one word — so a
    word's span may hold blanks its text lacks. Raises :class:`StageError`,
    with a caret under the place, for a word not where it should be or for
    text the words leave out.

    ```pycon
    >>> align("  ＡＢ c。讲话　镇", ["AB", "c", "。", "讲话镇"], 0, 11)
    [(2, 4), (5, 6), (6, 7), (7, 11)]

    ```
    """
    spans: list[tuple[int, int]] = []
    pos = start
    for word in words:
        first = None
        for ch in word:
            while pos < end and _blank(text[pos]) and not _blank(ch):
                pos += 1
            if pos >= end or (text[pos] != ch and _fold(text[pos]) != _fold(ch)):
                at = first if first is not None else pos
                raise StageError(
                    f"segmenter {backend!r}: token {word!r} is not at offset {at} of the text\n"
                    + caret(text, at, at + len(word))
                )
            first = pos if first is None else first
            pos += 1
        spans.append((first if first is not None else pos, pos))
    rest = next((i for i in range(pos, end) if not _blank(text[i])), None)
    if rest is not None:
        raise StageError(
            f"segmenter {backend!r}: the tokens leave out text at offset {rest}\n"
            + caret(text, rest)
        )
    return spans


def _tile(text: str, words: Sequence[tuple[int, int]], tags: Sequence[str] | None) -> SpanArray:
    """Tokens tiling ``text``: the words, each run of blanks (between or inside words) its own."""
    starts: list[int] = []
    ends: list[int] = []
    labels: list[str] = []

    def add(start: int, end: int, label: str) -> None:
        if start < end:
            starts.append(start)
            ends.append(end)
            labels.append(label)

    pos = 0
    for k, (start, end) in enumerate(words):
        add(pos, start, "")
        label = tags[k] if tags is not None else ""
        piece = start
        for i in range(start, end + 1):
            if i == end or _blank(text[i]) != _blank(text[piece]):
                add(piece, i, "" if _blank(text[piece]) else label)
                piece = i
        pos = end
    add(pos, len(text), "")
    return SpanArray(starts, ends, labels if tags is not None else None)


def _field(output: Any, prefix: str, spec: str) -> Any:
    """The first field named ``prefix`` or ``prefix/…`` of a multi-task model's output."""
    for key in output:
        if key == prefix or str(key).startswith(prefix + "/"):
            return output[key]
    raise StageError(f"segmenter 'hanlp': multi-task model {spec} gave no {prefix!r} output")


class HanlpSegmenter:
    """HanLP behind the :class:`~policytext.segment.Segmenter` protocol, and an entity finder.

    ``model`` is one model or several: folders or HanLP identifiers (see
    :func:`resolve_model`), :data:`DEFAULT_MODEL` if none is named. What each
    provides — ``tok``, ``pos``, ``ner`` — is read from its config; a role
    given twice is an error. Without a tokenizer, words come from jieba (with
    ``user_dicts``). ``pos=True`` labels tokens with the tagger's tags and
    needs a tagger. Models are found when the segmenter is made (so a missing
    one fails when the pipeline is built) and loaded at the first text, or by
    :meth:`load`.
    """

    name = "hanlp"

    def __init__(
        self,
        model: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] = DEFAULT_MODEL,
        *,
        pos: bool = False,
        user_dicts: Sequence[str | os.PathLike[str]] = (),
        hanlp_home: str | os.PathLike[str] | None = None,
        max_sentence: int = 200,
    ) -> None:
        self.home = model_home(hanlp_home)
        specs = [model] if isinstance(model, (str, os.PathLike)) else list(model)
        if not specs:
            raise OptionError("hanlp_model: give at least one HanLP model (a folder or identifier)")
        self.models: dict[str, HanlpModel] = {}
        for spec in specs:
            found = resolve_model(spec, self.home)
            for role in found.provides:
                if role in self.models:
                    raise OptionError(
                        f"hanlp_model: {self.models[role].spec} and {found.spec} are both a "
                        f"{role!r} model; give one of each kind"
                    )
                self.models[role] = found
        if pos and "pos" not in self.models:
            raise OptionError(
                "pos: none of the HanLP models given is a part-of-speech tagger; "
                "add one to hanlp_model, or leave pos off"
            )
        if user_dicts and "tok" in self.models:
            raise OptionError(
                "user_dict: jieba dictionaries do not apply to a HanLP tokenizer; "
                "leave them out, or give HanLP models without a tokenizer"
            )
        self.pos = pos
        self.user_dicts = tuple(user_dicts)
        self.max_sentence = max_sentence
        self._last: tuple[str, Any] | None = None

    @property
    def version(self) -> str:
        try:
            version = metadata.version("hanlp")
        except metadata.PackageNotFoundError:
            version = "?"
        roles = ", ".join(f"{role}: {m.spec}" for role, m in self.models.items())
        words = "" if "tok" in self.models else " over jieba words"
        return f"hanlp {version} ({roles}){words}"

    @cached_property
    def _jieba(self) -> JiebaSegmenter:
        return JiebaSegmenter(pos=True, user_dicts=self.user_dicts)

    @cached_property
    def _components(self) -> dict[str, Callable[..., Any]]:
        hanlp = _import_hanlp(self.home)
        loaded: dict[str, Any] = {}
        out: dict[str, Callable[..., Any]] = {}
        for role, model in self.models.items():
            key = str(model.path)
            if key not in loaded:
                loaded[key] = self._load(hanlp, model)
            out[role] = loaded[key]
        return out

    @staticmethod
    def _load(hanlp: Any, model: HanlpModel) -> Any:
        try:
            with _quiet_load():
                return hanlp.load(str(model.path), verbose=False)
        except Exception as e:
            if isinstance(e, ModuleNotFoundError) and e.name == "pkg_resources" and e.__context__:
                # HanLP's report of a failed load imports pkg_resources, gone from new setuptools
                e = e.__context__  # type: ignore[assignment]  # the failure itself
            if isinstance(e, ModuleNotFoundError):
                raise OptionError(
                    f"hanlp_model: loading {model.spec} needs the module {e.name!r}: {HANLP_EXTRA}"
                ) from None
            raise StageError(
                f"segmenter 'hanlp': HanLP could not load {model.path}: {_first_line(e)}"
            ) from e

    def load(self) -> None:
        """Load the models now rather than at the first text."""
        _ = self._components

    def _call(self, role: str, batch: list[Any], **options: Any) -> Any:
        """The ``role`` model's output on a batch of sentences (strings or token lists)."""
        try:
            return self._components[role](batch, **options)
        except Exception as e:
            spec = self.models[role].spec
            raise StageError(f"segmenter 'hanlp': {spec} failed: {_first_line(e)}") from e

    def _multi_task(self, text: str) -> Any:
        """A multi-task model's output on the sentences of ``text``; the last one is kept."""
        if self._last is None or self._last[0] != text:
            model = self.models["tok"]
            tasks = [model.task(role) for role in ("tok", "pos", "ner") if role in self.models]
            options = {"tasks": tasks} if all(tasks) else {}
            bounds = sentence_bounds(text, self.max_sentence)
            batch = [text[s:e] for s, e in bounds]
            self._last = (text, self._call("tok", batch, **options))
        return self._last[1]

    def _run(self, role: str, text: str, units: list[list[tuple[int, int]]]) -> list[Any]:
        """The ``role`` model's output for each sentence of ``text``, given as its units.

        A tokenizer reads each sentence as a string (its one unit), the others
        read the units' texts; a multi-task model reads the sentences once.
        """
        model = self.models[role]
        if model.multi_task:
            output = _field(self._multi_task(text), model.task(role) or role, model.spec)
        else:
            batch: list[Any] = [[text[s:e] for s, e in unit] for unit in units if unit]
            if role == "tok":
                batch = [unit[0] for unit in batch]
            found = iter(self._call(role, batch) if batch else [])
            output = [next(found, None) if unit else [] for unit in units]
        if not isinstance(output, list) or len(output) != len(units) or None in output:
            raise StageError(
                f"segmenter 'hanlp': {model.spec} gave no output for some of the "
                f"{len(units)} sentences"
            )
        return output

    def words(self, text: str) -> list[list[tuple[int, int]]]:
        """The words of each sentence of ``text``, as offsets; blanks are not words."""
        bounds = sentence_bounds(text, self.max_sentence)
        if "tok" in self.models:
            cut = self._run("tok", text, [[b] for b in bounds])
            return [
                align(text, [_word(x) for x in w], s, e)
                for w, (s, e) in zip(cut, bounds, strict=True)
            ]
        sentences: list[list[tuple[int, int]]] = [[] for _ in bounds]
        firsts = [s for s, _ in bounds]
        for token in self._jieba.segment(text):
            if all(_blank(ch) for ch in text[token.start : token.end]):
                continue
            k = max(bisect_right(firsts, token.start) - 1, 0)
            sentences[k].append((token.start, token.end))
        return sentences

    def segment(self, text: str) -> SpanArray:
        """The tokens of ``text``, tiling it; with ``pos``, labelled with the tagger's tags."""
        sentences = self.words(text)
        words = [w for sentence in sentences for w in sentence]
        tags: list[str] | None = None
        if self.pos:
            tags = []
            for sentence, found in zip(sentences, self._run("pos", text, sentences), strict=True):
                if len(found) != len(sentence):
                    raise StageError(
                        f"segmenter 'hanlp': {self.models['pos'].spec} gave {len(found)} tags "
                        f"for {len(sentence)} words"
                    )
                tags.extend(map(str, found))
        return _tile(text, words, tags)

    def entities(self, text: str) -> tuple[Span, ...]:
        """People, places and organisations in ``text``, from the HanLP recogniser.

        Without one, from jieba's tags (:func:`jieba_entities`, the weaker source).
        """
        if "ner" not in self.models:
            return jieba_entities(text, self._jieba.segment(text))
        model = self.models["ner"]
        if model.char_level and not model.multi_task:
            units = [
                [(i, i + 1) for i in range(s, e) if not _blank(text[i])]
                for s, e in sentence_bounds(text, self.max_sentence)
            ]
        else:
            units = self.words(text)
        source = f"hanlp {model.spec}"
        spans: list[Span] = []
        for sentence, entities in zip(units, self._run("ner", text, units), strict=True):
            for entity in entities:
                spans.extend(_entity(text, sentence, entity, source))
        return tuple(sorted(spans, key=lambda s: (s.start, s.end, s.label)))


def _entity(
    text: str, units: Sequence[tuple[int, int]], entity: Any, source: str
) -> Iterator[Span]:
    """The span of one HanLP entity ``(surface, tag, begin, end)`` over ``units``, checked."""
    try:
        surface, tag, begin, end = entity
        begin, end = int(begin), int(end)
    except (TypeError, ValueError):
        raise StageError(f"segmenter 'hanlp': cannot read the entity {entity!r}") from None
    label = ENTITY_LABELS.get(str(tag).lower())
    if label is None:
        return
    if not 0 <= begin < end <= len(units):
        raise StageError(f"segmenter 'hanlp': entity {entity!r} is outside its sentence")
    start, stop = units[begin][0], units[end - 1][1]
    squash = "".join(ch for ch in text[start:stop] if not _blank(ch))
    if _fold(squash) != _fold("".join(ch for ch in str(surface) if not _blank(ch))):
        raise StageError(
            f"segmenter 'hanlp': entity {surface!r} is not at offset {start} of the text\n"
            + caret(text, start, stop)
        )
    yield Span(start, stop, label, source, {"tag": str(tag)})
