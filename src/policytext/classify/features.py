"""Features of a paragraph: its text, its place in the document, its section, as arrays.

A document's paragraphs become one :class:`Features`, computed with numpy
over the whole text (not paragraph by paragraph in Python), and over the
texts of a whole batch of documents at once (:func:`batch_feature_parts`), so
the classifier costs a small fraction of jieba's segmentation:

``dense``
    paragraphs × :data:`DENSE`: role, position, length, how the paragraph
    opens, whether it is a lead-in (``…四点启示：``) or follows one, the
    direction of its section headings (looking back or ahead), the density
    of tense, modality and function cue words (:data:`CUE_WORDS`) in the
    paragraph, in the paragraphs just before and after it and in its
    top-level section, and the share of its sentences holding each.
``priors``
    paragraphs × :data:`PRIOR_KINDS` × labels: not weighed per label but
    added by the model with one strength per kind: the function the section
    heading announces (``exact``: the heading is a lexicon title such as
    基本做法; ``contains``: it contains one, as in 一、2023年工作回顾) and a
    paragraph's own opening (``opener``: 下一步, 今后, 明年 → plan).
``rows``, ``buckets``, ``values``
    hashed character n-grams (:data:`BLOCKS`): of the paragraph (2-grams),
    of its opening (2-grams of the first :data:`OPENING` characters after
    an outline number) and of its top-level section heading (2-grams).
    Each block is a set (a gram counts once) with L2 norm given in
    :data:`BLOCKS`; whitespace is dropped first.

Only the text and the layout layers (paragraphs with their role, headings
with their level and function) are read, so a document annotated by the
layout stage alone gets the same features as one that went through every
extractor: the model sees at prediction time what it saw in training.

>>> from policytext.pipeline import Pipeline
>>> doc = Pipeline(stages=["layout"])("主要成效\\n一是进一步推动了科学发展。")
>>> ctx = contexts(doc)
>>> [c.section_function for c in ctx]
['outcome', 'outcome']
>>> f = featurize(doc, ctx)
>>> f.dense.shape == (2, len(DENSE)), float(f.dense[1, DENSE.index("role=body")])
(True, 1.0)
>>> float(f.priors[1, PRIOR_KINDS.index("exact"), LABELS.index("outcome")])
1.0
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from policytext.document import Document, Span
from policytext.errors import InputError, OptionError
from policytext.layout import OUTLINE_START
from policytext.lexicon import alternation, heading_function

__all__ = [
    "BLOCKS",
    "CUES",
    "CUE_WORDS",
    "DENSE",
    "HASH_BITS",
    "LABELS",
    "OPENING",
    "PRIOR_KINDS",
    "REVISION",
    "Context",
    "Features",
    "announced_function",
    "batch_feature_parts",
    "contexts",
    "feature_parts",
    "featurize",
    "heading_direction",
    "lead_class",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: The function labels, in the model's column order.
LABELS: tuple[str, ...] = ("practice", "outcome", "lesson", "plan", "other")

#: Kinds of prior: the section heading is a lexicon title, or contains one; the paragraph
#: opens with words that announce what is to be done (下一步, 今后, 明年).
PRIOR_KINDS: tuple[str, ...] = ("exact", "contains", "opener")

#: Openings that announce a paragraph's own function whatever its section, by label.
OPENERS: Mapping[str, re.Pattern[str]] = {
    "plan": re.compile(
        r"(?:下一步|下步|下阶段|今后|明年|接下来|新的一年|今年[，,]?(?:要|我们要|将)|我们要|要)"
    ),
}

#: How many characters of a paragraph's opening get their own n-grams.
OPENING = 12

#: The n-gram blocks: name → (shortest and longest n-gram, L2 norm of the block). ``c``: the
#: paragraph, ``o``: its opening, ``s``: its top-level section heading. No single characters
#: and no 3-grams: in leave-one-document-out tests, single characters only added noise and
#: 3-grams nothing (accuracy 0.913 with them, 0.913 without), at half the cost.
BLOCKS: Mapping[str, tuple[int, int, float]] = {
    "c": (2, 2, 4.0),
    "o": (2, 2, 1.0),
    "s": (2, 2, 1.0),
}

#: The revision of the way features are computed; a model records the one it was trained
#: with. Raise it with any change that alters a feature's value.
REVISION = 3

#: n-grams are hashed into 2 ** HASH_BITS buckets.
HASH_BITS = 18


def _words(spaced: str) -> tuple[str, ...]:
    return tuple(spaced.split())


#: Words that cue a paragraph's function, by cue. Cues, not rules: the model weighs
#: them. Every occurrence counts; ``figure`` also counts each number written in digits.
#: (进一步 is no cue: results are told with it as often as tasks, 进一步促进了社会和谐.)
CUE_WORDS: Mapping[str, tuple[str, ...]] = {
    "past": _words("了 已 取得 过去 以来 来， 去年 累计 先后 完成 实现 胜利 五年来 一年来 这几年"),
    "future": _words("要 将 力争 下一步 今年 明年 今后 预期 目标 拟 争取 确保 继续 务必 应当 需要"),
    "lesson": _words(
        "必须 只有 才能 才会 实践表明 证明 启示 体会 经验 关键在 根本 规律 告诉我们 认识到 "
        "归根到底 始终 坚持"
    ),
    "outcome": _words(
        "增长 提高到 提高了 达到 显著 明显 成效 成就 成果 成绩 突破 增加到 下降 上升 翻 "
        "被评为 荣获 改善 增强 好转 迈出 稳步 历史性 丰硕"
    ),
    "practice": _words(
        "开展 实施 推进 建立 强化 出台 着力 加强 制定 组织 举办 采取 推行 部署 召开 印发 "
        "出访 设立 我们"
    ),
    "problem": _words("问题 困难 不足 矛盾 挑战 差距 风险 薄弱 短板 隐患 不够 不少 突出 严峻 复杂"),
    "thanks": _words("感谢 致以 敬意 谢意 结果"),
    "call": _words("让我们 团结 奋力 奋斗 开拓 前进 伟大 征程 努力"),
    "figure": _words("% ％ 万 亿"),
}

#: The cues as patterns (for quoting the cue words a paragraph contains as evidence).
CUES: Mapping[str, re.Pattern[str]] = {
    name: re.compile(alternation((word, "") for word in words)) for name, words in CUE_WORDS.items()
}

#: Cue densities are matches per sentence divided by this, capped at 1.
_CUE_SCALE = 3.0


#: How a paragraph opens, by name (the first alternative that matches).
_OPENINGS: tuple[tuple[str, str], ...] = (
    ("dash", r"[—－-]{1,2}"),
    ("ordinal_verb", r"[一二三四五六七八九十]+[是要]"),
    ("di", r"第[一二三四五六七八九十]+[，,、]"),
    ("sequence", r"首先|其次|再次|最后"),
    ("outline", OUTLINE_START.pattern),
    ("arabic", r"[0-9０-９]+[.．、]|[（(][0-9０-９]+[）)]|[①-⑩]"),
    ("comrades", r"同志们|各位代表|代表们"),
)
_OPENING = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in _OPENINGS))

#: A paragraph that announces what follows: ends with a colon, or says 以下/如下.
_ANNOUNCES = re.compile(r"[：:]$|(?:以下|如下)[^。]{0,12}[。：:]?$")
_ANNOUNCE_TAIL = 16  # at least the longest match of _ANNOUNCES (15)
#: What a lead-in announces, by the first class whose words it contains.
#: (What was done comes before the words of tasks: 主要做了以下三项工作 is practice; 要 counts
#: only where it is not part of 主要, 重要, 需要.)
_LEAD_CLASSES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("lesson", re.compile(r"启示|体会|经验|认识|规律|启发")),
    ("outcome", re.compile(r"成效|成绩|成就|成果|变化")),
    ("practice", re.compile(r"做法|措施|举措|做了|开展了")),
    ("plan", re.compile(r"下一步|今后|今年|明年|(?<![主重需])要|将|任务|安排|打算|建议|目标")),
    ("practice", re.compile(r"工作")),
)
_LEADS = ("lesson", "outcome", "practice", "plan", "other")

#: Words that make a section heading look back (review) or ahead (plan). Words that name
#: one function (成效, 体会) are left to the heading lexicon.
_REVIEW_HEADING = re.compile(r"回顾|过去|以来|总结|工作情况|历程")
_PLAN_HEADING = re.compile(
    r"今年|明年|任务|建议|目标|安排|打算|要求|下一步|规划|部署|计划|政策取向|重点工作|\d{4}年政府"
)
_STRIP_NUMBER = re.compile(rf"(?:{OUTLINE_START.pattern}|[0-9０-９]+[.．、])[ \u3000]*")

ROLES = ("body", "heading", "front", "back", "boilerplate", "salutation")
_POSITION_EDGES = (0.1, 0.25, 0.5, 0.75, 0.9)
_SECTION_EDGES = (0.01, 0.5, 0.99)
_LENGTH_EDGES = (8, 20, 40, 80, 160, 320)

#: The dense features, in column order.
DENSE: tuple[str, ...] = (
    "bias",
    *(f"role={r}" for r in ROLES),
    "top_review",
    "top_ahead",
    "inner_review",
    "inner_ahead",
    *(f"topnum={k}" for k in range(5)),
    *(f"pos={k}" for k in range(len(_POSITION_EDGES) + 1)),
    *(f"secpos={k}" for k in range(len(_SECTION_EDGES) + 1)),
    *(f"len={k}" for k in range(len(_LENGTH_EDGES) + 1)),
    "heading",
    *(f"open={name}" for name, _ in _OPENINGS),
    "open=plain",
    *(f"lead_next={name}" for name in _LEADS),
    *(f"announces={name}" for name in _LEADS),
    *(f"listed={name}" for name in _LEADS),
    "lead_in",
    "call",
    *(f"cue={name}" for name in CUES),
    *(f"share={name}" for name in CUES),
    *(f"sec_cue={name}" for name in CUES),
    *(f"prev_cue={name}" for name in CUES),
    *(f"next_cue={name}" for name in CUES),
)
_COL = {name: k for k, name in enumerate(DENSE)}
#: (prior kind, label) → its column in a paragraph's flattened priors.
_PRIOR_COL = {
    (kind, label): i * len(LABELS) + j
    for i, kind in enumerate(PRIOR_KINDS)
    for j, label in enumerate(LABELS)
}


def _cols(prefix: str) -> slice:
    first = _COL[f"{prefix}={next(iter(CUES))}"]
    return slice(first, first + len(CUES))


def lead_class(text: str, start: int = 0, end: int | None = None) -> str | None:
    """What a lead-in paragraph (``text[start:end]``) announces: ``lesson``, ``outcome``,
    ``plan``, ``practice`` or ``other``; None if it announces nothing.

    >>> lead_class("总结这次活动的经验，带给我们四点启示："), lead_class("一是强化组织领导。")
    ('lesson', None)
    """
    end = len(text) if end is None else end
    if not _ANNOUNCES.search(text, max(start, end - _ANNOUNCE_TAIL), end):
        return None
    return next(
        (name for name, pattern in _LEAD_CLASSES if pattern.search(text, start, end)), "other"
    )


class Context(NamedTuple):
    """Where a paragraph sits: its role, its sections and its position in the document.

    (A named tuple: one is made for every paragraph, and tuples are made fast.)
    """

    paragraph: int  # its index among the paragraphs
    role: str
    top: int | None  # index into doc.headings of the top-level (level ≤ 1) section heading
    inner: int | None  # index into doc.headings of the innermost section heading
    top_number: int  # how many top-level sections opened before this one (0: none yet)
    section_function: str | None  # the function the innermost heading with one announces
    exact: bool  # that heading is a lexicon title, not just a title containing one
    top_direction: str | None  # the top-level heading looks back (review) or ahead
    inner_direction: str | None  # … and the innermost heading
    heading: bool  # the paragraph is itself a section heading
    position: float  # paragraph index / number of paragraphs
    section_position: float  # position among the paragraphs of its top-level section
    lead: str | None = None  # what the last lead-in of the section announced
    lead_distance: int = 0  # how many paragraphs back that lead-in is
    announces: str | None = None  # what the paragraph announces, if it is a lead-in
    listed: str | None = None  # what the lead-in of the list this paragraph is an item of announced
    opening: str = "plain"  # how the paragraph opens (a name of _OPENINGS, or plain)


def contexts(doc: Document, paragraphs: Sequence[Span] | None = None) -> list[Context]:
    """The context of each paragraph of ``doc`` (or of ``paragraphs``, spans in text order)."""
    paras = doc.paragraphs if paragraphs is None else paragraphs
    headings = doc.headings
    by_start = {h.start: k for k, h in enumerate(headings)}
    directions: dict[int | None, str | None] = {None: None}
    functions: dict[int | None, tuple[str | None, bool]] = {}
    n = max(1, len(paras))
    top: int | None = None
    inner_stack: list[tuple[int, int]] = []  # (level, heading index)
    top_number = 0
    lead: tuple[str | None, int] = (None, 0)  # the last lead-in of the section, and where
    listing: str | None = None  # what the lead-in of a list of items running up to here announced
    raw = []
    for k, p in enumerate(paras):
        h = by_start.get(p.start)
        is_heading = h is not None and headings[h].end == p.end and headings[h].label != "title"
        if is_heading and h is not None:
            level = int(headings[h].get("level", 1))
            if level <= 1:
                top, top_number, inner_stack, lead = h, top_number + 1, [], (None, 0)
            while inner_stack and inner_stack[-1][0] >= level:
                inner_stack.pop()
            inner_stack.append((level, h))
            directions[h] = heading_direction(_heading_text(doc, h))
        inner = inner_stack[-1][1] if inner_stack else None
        if inner not in functions:
            functions[inner] = _innermost_function(doc, inner, top)
        role = _role(p)
        found = None
        if role == "body" and not is_heading:
            found = lead_class(doc.text, p.start, p.end)
        opening = _opening(doc.text, p.start, p.end)
        listed = listing if opening not in ("plain", "comrades") else None  # a list item
        listing = found if found is not None else listed
        raw.append((role, top, inner, top_number, is_heading, *lead, found, listed, opening))
        if found is not None:
            lead = (found, k)

    members: dict[int | None, int] = {}
    rank = []
    for _, t, *_ in raw:
        rank.append(members.get(t, 0))
        members[t] = rank[-1] + 1
    return [
        Context(  # positional: one is made for every paragraph
            k,
            role,
            t,
            inner,
            number,
            *functions[inner],
            directions[t],
            directions[inner],
            is_heading,
            k / n,
            rank[k] / (members[t] - 1) if members[t] > 1 else 0.0,
            lead_label,
            k - lead_at,
            announces,
            listed,
            opening,
        )
        for k, (
            role,
            t,
            inner,
            number,
            is_heading,
            lead_label,
            lead_at,
            announces,
            listed,
            opening,
        ) in enumerate(raw)
    ]


def _opening(text: str, start: int, end: int) -> str:
    """How a paragraph opens: a list marker (一是, 第一，, （一）, 1., ①, ——), 同志们, or plain."""
    m = _OPENING.match(text, start, end)
    return m.lastgroup or "plain" if m else "plain"


def heading_direction(title: str) -> str | None:
    """``review`` for a heading that looks back, ``ahead`` for one that looks ahead, else None.

    >>> heading_direction("一、2023年工作回顾"), heading_direction("三、2024年政府工作任务")
    ('review', 'ahead')
    """
    review, ahead = _REVIEW_HEADING.search(title), _PLAN_HEADING.search(title)
    if review and not ahead:
        return "review"
    if ahead and not review:
        return "ahead"
    return None


def _role(span: Span) -> str:
    return str(span.get("role", "body"))


def _innermost_function(
    doc: Document, inner: int | None, top: int | None
) -> tuple[str | None, bool]:
    """The function of the innermost heading that announces one (inner, else top), and
    whether that heading is a lexicon title itself (``基本做法``), not one containing it."""
    for h in (inner, top):
        if h is not None:
            function, exact = announced_function(doc, h)
            if function is not None:
                return function, exact
    return None, False


#: The direction of a section each function belongs to.
_DIRECTION_OF = {"practice": "review", "outcome": "review", "lesson": "review", "plan": "ahead"}


def announced_function(doc: Document, h: int) -> tuple[str | None, bool]:
    """The function heading ``h`` announces (lexicon) and whether it is an exact title.

    A function that contradicts the heading's direction is dropped: in
    ``二、“十三五”时期主要目标任务和重大举措`` the contained 举措 (practice)
    loses to 目标任务, which looks ahead.
    """
    function = doc.headings[h].get("function")
    if function is None:
        return None, False
    title = _heading_text(doc, h)
    direction = heading_direction(title)
    if direction is not None and _DIRECTION_OF.get(str(function), direction) != direction:
        return None, False
    return str(function), heading_function(title, contains=False) == function


def _number_end(text: str, start: int, end: int) -> int:
    """Where a paragraph's text starts after its outline number (一、 （二） 3.)."""
    m = _STRIP_NUMBER.match(text, start, end)
    return m.end() if m else start


def _heading_text(doc: Document, h: int | None) -> str:
    start, end = _section_span(doc, h)
    return doc.text[start:end]


def _section_span(doc: Document, h: int | None) -> tuple[int, int]:
    """Where the title of heading ``h`` is, without its outline number."""
    if h is None:
        return 0, 0
    span = doc.headings[h]
    return _number_end(doc.text, span.start, span.end), span.end


# --- the feature arrays ------------------------------------------------------------


@dataclass(frozen=True)
class Features:
    """The features of a sequence of paragraphs (see the module docstring)."""

    dense: FloatArray  # paragraphs × DENSE
    priors: FloatArray  # paragraphs × PRIOR_KINDS × LABELS
    rows: IntArray  # n-gram entries, sorted by paragraph: paragraph, bucket and value
    buckets: IntArray
    values: FloatArray

    def __len__(self) -> int:
        return int(self.dense.shape[0])

    @classmethod
    def concat(cls, parts: Sequence[Features]) -> Features:
        """The features of several documents' paragraphs, one after the other."""
        offsets = np.cumsum([0, *(len(f) for f in parts)])[:-1]
        return cls(
            np.vstack([f.dense for f in parts]),
            np.concatenate([f.priors for f in parts]),
            np.concatenate([f.rows + o for f, o in zip(parts, offsets, strict=True)]),
            np.concatenate([f.buckets for f in parts]),
            np.concatenate([f.values for f in parts]),
        )


#: How many characters of paragraphs :func:`feature_parts` reads the n-grams of at a time.
PART_CHARS = 200_000


def featurize(
    doc: Document, ctx: Sequence[Context], paragraphs: Sequence[Span] | None = None
) -> Features:
    """The features of each paragraph (in text order, not overlapping), given its
    :class:`Context`."""
    return Features.concat(list(feature_parts(doc, ctx, paragraphs)))


def feature_parts(
    doc: Document, ctx: Sequence[Context], paragraphs: Sequence[Span] | None = None
) -> Iterator[Features]:
    """The features of :func:`featurize`, for consecutive runs of paragraphs of about
    :data:`PART_CHARS` characters: a long document's n-grams are not all held at once."""
    return batch_feature_parts([(doc, ctx, doc.paragraphs if paragraphs is None else paragraphs)])


#: What joins the texts of a batch: no cue word, number or n-gram reads across it.
_JOIN = "\n"


def batch_feature_parts(
    items: Sequence[tuple[Document, Sequence[Context], Sequence[Span]]],
) -> Iterator[Features]:
    """The features of the paragraphs of several documents, one document after the
    other, in the parts of :func:`feature_parts`; each document's rows are those it
    gets alone.

    The texts are read as one (joined by a line break), so numpy's fixed cost per
    call is paid once per batch, not once per document. Features that look beyond
    a paragraph (its section, its neighbours) stay within its document.
    """
    rows: list[_Rows] = []
    offset = first = groups = 0
    for doc, ctx, paras in items:
        rows.append(_document_rows(doc, ctx, paras, offset, first, groups))
        offset += len(doc.text) + len(_JOIN)
        first += len(paras)
        groups += len(doc.headings) + 1
    n = first
    dense = np.zeros((n, len(DENSE)), np.float64)
    priors = np.zeros((n, len(PRIOR_KINDS), len(LABELS)), np.float64)
    if n == 0:
        yield Features(dense, priors, *_distinct([], [], 0))
        return
    starts = np.concatenate([r.starts for r in rows])
    ends = np.concatenate([r.ends for r in rows])
    position = np.concatenate([r.position for r in rows])
    section_position = np.concatenate([r.section_position for r in rows])

    everyone = np.arange(n)
    dense[:, _COL["bias"]] = 1.0
    for prefix, values, edges in (
        ("pos", position, _POSITION_EDGES),
        ("secpos", section_position, _SECTION_EDGES),
        ("len", (ends - starts).astype(np.float64), _LENGTH_EDGES),
    ):
        dense[everyone, _COL[f"{prefix}=0"] + np.searchsorted(edges, values, side="right")] = 1.0

    text = _JOIN.join(doc.text for doc, _, _ in items)
    codes = np.frombuffer(text.encode("utf-32-le"), np.uint32).astype(np.int64)
    densities, shares = _cue_stats(codes, starts, ends)
    dense[:, _cols("cue")] = densities
    dense[:, _cols("share")] = shares
    dense[1:, _cols("prev_cue")] = densities[:-1]
    dense[:-1, _cols("next_cue")] = densities[1:]
    firsts = np.array([r.first for r in rows if len(r.starts)], np.int64)
    dense[firsts, _cols("prev_cue")] = 0.0  # no neighbour in another document
    dense[firsts[1:] - 1, _cols("next_cue")] = 0.0
    dense[:, _cols("sec_cue")] = _section_profile(
        densities,
        np.concatenate([r.groups for r in rows]),
        np.concatenate([r.body for r in rows]),
    )
    dense.reshape(-1)[[k for r in rows for k in r.hot]] = 1.0
    priors.reshape(-1)[[k for r in rows for k in r.prior]] = 1.0

    openings = np.concatenate([r.openings for r in rows])
    spans = {
        "c": (starts, ends),
        "o": (openings, np.minimum(ends, openings + OPENING)),
        "s": (
            np.concatenate([r.section_starts for r in rows]),
            np.concatenate([r.section_ends for r in rows]),
        ),
    }
    for lo, hi in _parts(starts, ends):
        grams, buckets = [], []
        for block, (name, (n_min, n_max, _)) in enumerate(BLOCKS.items()):
            begin, stop = spans[name]
            found = _hashed_grams(codes, begin[lo:hi], stop[lo:hi], n_min, n_max, block + 1)
            grams.append(found[0])
            buckets.append(found[1] | (block << HASH_BITS))
        yield Features(dense[lo:hi], priors[lo:hi], *_distinct(grams, buckets, hi - lo))


@dataclass(frozen=True)
class _Rows:
    """One document's part of a batch: its paragraphs' offsets into the joined text and what
    the model reads of them that numpy cannot compute over the batch at once."""

    first: int  # the row of its first paragraph in the batch
    starts: IntArray
    ends: IntArray
    openings: IntArray  # where each paragraph's text starts after its outline number
    section_starts: IntArray  # the title of its top-level section (empty where none)
    section_ends: IntArray
    groups: IntArray  # its top-level section, numbered across the batch
    body: npt.NDArray[np.bool_]  # a body paragraph (the section profile is over these)
    position: FloatArray
    section_position: FloatArray
    hot: list[int]  # flat indices into the batch's dense features that are 1
    prior: list[int]  # … and into its priors


def _document_rows(
    doc: Document,
    ctx: Sequence[Context],
    paras: Sequence[Span],
    offset: int,
    first: int,
    groups: int,
) -> _Rows:
    """The rows of one document's paragraphs, its text at ``offset`` in the joined text,
    its first paragraph at row ``first``, its sections numbered from ``groups``."""
    n = len(paras)
    starts = np.fromiter((p.start for p in paras), np.int64, n)
    ends = np.fromiter((p.end for p in paras), np.int64, n)
    if n > 1 and bool((starts[1:] < ends[:-1]).any()):
        raise InputError("<paragraphs>", "must be in text order and must not overlap")
    text = doc.text
    width, prior_width = len(DENSE), len(PRIOR_KINDS) * len(LABELS)  # of a row, flattened
    hot: list[int] = []
    prior: list[int] = []
    opening_starts = []
    for k, (c, p) in enumerate(zip(ctx, paras, strict=True), first):
        cols = [_COL[f"topnum={min(c.top_number, 4)}"], _COL["open=" + c.opening]]
        if c.role in ROLES:  # another role has no feature of its own
            cols.append(_COL["role=" + c.role])
        if c.heading:
            cols.append(_COL["heading"])
        if c.top_direction is not None:
            cols.append(_COL["top_" + c.top_direction])
        if c.inner_direction is not None:
            cols.append(_COL["inner_" + c.inner_direction])
        if c.lead is not None and c.lead_distance == 1:
            cols.append(_COL["lead_next=" + c.lead])
        if c.announces is not None:
            cols.append(_COL["announces=" + c.announces])
        if c.listed is not None:
            cols.append(_COL["listed=" + c.listed])
        if p.end > p.start and text[p.end - 1] in "：:":
            cols.append(_COL["lead_in"])
        if text.find("让我们", p.start, p.end) >= 0:
            cols.append(_COL["call"])
        hot += [k * width + col for col in cols]
        if c.section_function is not None:
            kind = "exact" if c.exact else "contains"
            prior.append(k * prior_width + _PRIOR_COL[kind, c.section_function])
        for label, pattern in OPENERS.items():
            if pattern.match(text, p.start, p.end):
                prior.append(k * prior_width + _PRIOR_COL["opener", label])
        opening_starts.append(_number_end(text, p.start, p.end))
    titles = {top: _section_span(doc, top) for top in {c.top for c in ctx}}
    sections = [titles[c.top] for c in ctx]
    return _Rows(
        first,
        starts + offset,
        ends + offset,
        np.array(opening_starts, np.int64) + offset,
        np.fromiter((s for s, _ in sections), np.int64, n) + offset,
        np.fromiter((e for _, e in sections), np.int64, n) + offset,
        np.fromiter((groups + (0 if c.top is None else c.top + 1) for c in ctx), np.int64, n),
        np.fromiter((c.role == "body" for c in ctx), bool, n),
        np.fromiter((c.position for c in ctx), np.float64, n),
        np.fromiter((c.section_position for c in ctx), np.float64, n),
        hot,
        prior,
    )


def _parts(starts: IntArray, ends: IntArray) -> Iterator[tuple[int, int]]:
    """``(lo, hi)``: consecutive runs of paragraphs of about :data:`PART_CHARS` characters."""
    lo, size = 0, 0
    for k, length in enumerate((ends - starts).tolist()):
        size += length
        if size >= PART_CHARS:
            yield lo, k + 1
            lo, size = k + 1, 0
    if lo < len(starts):
        yield lo, len(starts)


def _distinct(
    rows: list[IntArray], buckets: list[IntArray], n: int
) -> tuple[IntArray, IntArray, FloatArray]:
    """Each paragraph's distinct (block, bucket) entries, sorted, with their values: a
    block of ``k`` entries has ``k`` values ``norm / sqrt(k)`` (L2 norm ``norm``).
    ``buckets`` hold the block's number above the bucket's :data:`HASH_BITS` bits."""
    shift = HASH_BITS + 2
    packed = np.sort(
        np.concatenate(
            [np.zeros(0, np.int64)] + [(r << shift) | b for r, b in zip(rows, buckets, strict=True)]
        )
    )
    first = np.ones(len(packed), bool)
    first[1:] = packed[1:] != packed[:-1]
    packed = packed[first]  # each gram once per paragraph and block
    segment = packed >> HASH_BITS  # paragraph × 4 + block
    counts = np.bincount(segment, minlength=4 * n)
    norms = np.zeros(4)  # by block (up to 4: two bits)
    norms[: len(BLOCKS)] = [norm for _, _, norm in BLOCKS.values()]
    norms = np.tile(norms, n)
    value = norms / np.sqrt(np.maximum(counts, 1))  # by segment
    return segment >> 2, packed & ((1 << HASH_BITS) - 1), value[segment]


def _cue_stats(codes: IntArray, starts: IntArray, ends: IntArray) -> tuple[FloatArray, FloatArray]:
    """For each paragraph and cue: matches per sentence (scaled, capped at 1), and the
    share of its sentences with a match. Sentences end at 。！？；!?; (or the paragraph).
    The paragraphs are in text order and do not overlap."""
    n, n_cues = len(starts), len(CUES)
    bmp = np.minimum(codes, 0xFFFF)  # what the tables by code point read (U+FFFF is in none)
    # padded with one False, which ends - 1 = -1 reads for an empty paragraph at 0
    is_mark = np.append(_IS_MARK[bmp], False)
    marks = np.flatnonzero(is_mark)
    inside = np.searchsorted(marks, ends) - np.searchsorted(marks, starts)
    sentences = np.maximum(1, inside + _open_ends(bmp, is_mark, starts, ends)).astype(np.float64)

    pos, cue = _cue_hits(codes, bmp)
    para = np.searchsorted(starts, pos, side="right") - 1
    ok = para >= 0
    ok[ok] = pos[ok] < ends[para[ok]]
    pos, cue, para = pos[ok], cue[ok], para[ok]
    counts = np.bincount(para * n_cues + cue, minlength=n * n_cues).reshape(n, n_cues)
    sentence = np.searchsorted(marks, pos, side="right")  # counted over the whole text
    # a cue counts once per sentence of a paragraph (a heading without a final mark and the
    # next paragraph's first sentence share a count, not a sentence)
    _, first = np.unique((sentence * n + para) * n_cues + cue, return_index=True)
    with_cue = np.bincount(para[first] * n_cues + cue[first], minlength=n * n_cues)
    with_cue = with_cue.reshape(n, n_cues)
    densities = np.minimum(1.0, counts / (_CUE_SCALE * sentences[:, None]))
    shares = np.minimum(1.0, with_cue / sentences[:, None])
    return densities, shares


def _by_code_point(chars: Iterable[str]) -> npt.NDArray[np.bool_]:
    """A table over the BMP, True at the code points of ``chars`` (beyond the BMP: none)."""
    table = np.zeros(0x10000, bool)
    table[[ord(c) for c in chars]] = True
    return table


_IS_MARK = _by_code_point("。！？；!?;")
_IS_DIGIT = _by_code_point("0123456789０１２３４５６７８９")
_IS_POINT = _by_code_point(".．")
_IS_CLOSER = _by_code_point("”’」』）)】〕］]〉}\"'")


def _open_ends(
    bmp: IntArray, is_mark: npt.NDArray[np.bool_], starts: IntArray, ends: IntArray
) -> IntArray:
    """1 for a paragraph whose last sentence has no final mark (closing quotes aside), else 0."""
    last = ends - 1  # each paragraph's last character that is not a closer: step back over them
    while True:
        closer = last >= starts
        closer[closer] = _IS_CLOSER[bmp[last[closer]]]
        if not closer.any():
            break
        last -= closer
    has_text = last >= starts
    return (has_text & ~is_mark[np.where(has_text, last, -1)]).astype(np.int64)


_HASH_BASE = 0x100000001B3  # the rolling hash of a cue word (FNV prime)
_MASK64 = (1 << 64) - 1


def _word_hash(word: str) -> int:
    h = 0
    for ch in word:
        h = (h * _HASH_BASE + ord(ch)) & _MASK64
    return h


@dataclass(frozen=True)
class _CueTable:
    """The cue words' hashes, with a direct-address table from some bits of a hash to its word."""

    hashes: npt.NDArray[np.uint64]  # by word
    cues: IntArray  # by word
    slots: npt.NDArray[np.int16]  # (hash >> shift) & (size - 1) → word, or -1
    shift: int
    longest: int

    @classmethod
    def build(cls, words: Mapping[str, tuple[str, ...]], bits: int = 16) -> _CueTable:
        pairs = [(_word_hash(w), j, len(w)) for j, ws in enumerate(words.values()) for w in ws]
        hashes = np.array([h for h, _, _ in pairs], np.uint64)
        for shift in range(64 - bits + 1):  # the first shift whose bits tell the words apart
            keys = (hashes >> np.uint64(shift)) & np.uint64((1 << bits) - 1)
            if len(np.unique(keys)) == len(keys):
                slots = np.full(1 << bits, -1, np.int16)
                slots[keys.astype(np.int64)] = np.arange(len(keys), dtype=np.int16)
                cues = np.array([j for _, j, _ in pairs], np.int64)
                return cls(hashes, cues, slots, shift, max(n for _, _, n in pairs))
        raise ValueError("cue words: no collision-free slot table")  # pragma: no cover

    def hits(self, h: npt.NDArray[np.uint64]) -> tuple[IntArray, IntArray]:
        """Positions where ``h`` (rolling hashes of one length) is a cue word's, and its cue."""
        mask = np.uint64(len(self.slots) - 1)
        word = self.slots[((h >> np.uint64(self.shift)) & mask).view(np.int64)]
        at = np.flatnonzero(word >= 0)
        at = at[self.hashes[word[at]] == h[at]]
        return at, self.cues[word[at]]


_CUE_TABLE = _CueTable.build(CUE_WORDS)
_FIGURE = list(CUE_WORDS).index("figure")
#: By code point: does a cue word start with it?
_STARTS_CUE = _by_code_point(w[0] for words in CUE_WORDS.values() for w in words)


def _cue_hits(codes: IntArray, bmp: IntArray) -> tuple[IntArray, IntArray]:
    """(position, cue) of every occurrence of a cue word, and of each number in digits
    (``bmp``: the codes, those beyond the BMP as U+FFFF)."""
    positions, cues = [], []
    # the rolling hashes are taken only where a cue word may start (one character in seven)
    start = np.flatnonzero(_STARTS_CUE[bmp])
    h = np.zeros(len(start), np.uint64)
    with np.errstate(over="ignore"):
        for length in range(1, _CUE_TABLE.longest + 1):
            fits = np.searchsorted(start, len(codes) - length, side="right")
            start, h = start[:fits], h[:fits] * np.uint64(_HASH_BASE)
            h += codes[start + length - 1].view(np.uint64)
            at, cue = _CUE_TABLE.hits(h)
            positions.append(start[at])
            cues.append(cue)
    digit = _IS_DIGIT[bmp]
    begins = digit.copy()
    begins[1:] &= ~digit[:-1]
    point = _IS_POINT[bmp[1:-1]]
    begins[2:] &= ~(point & digit[:-2])  # 7.5 is one number
    numbers = np.flatnonzero(begins)
    positions.append(numbers)
    cues.append(np.full(len(numbers), _FIGURE, np.int64))
    pos = np.concatenate(positions)
    order = np.argsort(pos, kind="stable")
    return pos[order], np.concatenate(cues)[order]


def _section_profile(
    densities: FloatArray, groups: IntArray, body: npt.NDArray[np.bool_]
) -> FloatArray:
    """Each paragraph's top-level section's (``groups``) mean cue densities over its
    ``body`` paragraphs."""
    _, group = np.unique(groups, return_inverse=True)
    size = int(group.max()) + 1
    members, values = group[body], densities[body]
    sums = np.column_stack(
        [np.bincount(members, values[:, j], size) for j in range(densities.shape[1])]
    )
    counts = np.bincount(members, minlength=size).astype(np.float64)
    return np.asarray((sums / np.maximum(1.0, counts)[:, None])[group], np.float64)


_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing
_SALT = np.uint64(0xD6E8FEB86659FD93)


def _hashed_grams(
    codes: IntArray, starts: IntArray, ends: IntArray, n_min: int, n_max: int, salt: int
) -> tuple[IntArray, IntArray]:
    """(paragraph, bucket) of every hashed n_min..n_max-gram of each span
    ``codes[starts[r]:ends[r]]``, whitespace dropped, with repeats."""
    if n_max > 3:
        raise OptionError(f"n-grams of {n_max} characters do not fit one integer (3 at most)")
    lengths = np.maximum(ends - starts, 0)
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    row = np.repeat(np.arange(len(starts)), lengths)
    c = codes[np.arange(total) + np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)]
    keep = (c != 0x20) & (c != 0x3000)  # whitespace is dropped
    if not keep.all():
        c, row = c[keep], row[keep]
    keys, rows = ([c], [row]) if n_min == 1 else ([], [])
    key = c
    for n in range(2, n_max + 1):
        key = (key[:-1] << 21) | c[n - 1 :]  # code points < 2 ** 21: an n-gram is one integer
        if n >= n_min:
            same = row[: len(key)] == row[n - 1 :]
            keys.append(key[same])
            rows.append(row[: len(key)][same])
    all_keys = np.concatenate(keys).view(np.uint64)
    with np.errstate(over="ignore"):
        hashed = (all_keys + np.uint64(salt) * _SALT) * _MULTIPLIER >> np.uint64(64 - HASH_BITS)
    return np.concatenate(rows), hashed.view(np.int64)
