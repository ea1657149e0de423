"""Features of a paragraph: its text, its place in the document, its section.

A paragraph's features are a mapping from feature names to values. Names
carry a namespace prefix so the model's vocabulary can hold them all:

========  ============================================================
``c:``    character 1–3-grams of the paragraph (L2-normalised block)
``o:``    character 1–2-grams of its opening (first :data:`OPENING` chars)
``s:``    character 1–2-grams of its top-level section heading
``f:``    structure and cues: role, position, tense and modality cues,
          figure density, lead-ins, review/plan words in the section
          headings, the section's cue profile
``p:``    priors, not weighed per label but added by the model: the
          section's announced function, as ``p:exact:plan`` (the heading
          is a lexicon title) or ``p:contains:plan`` (it contains one), and
          ``p:opener:plan`` for a paragraph opening with 下一步, 今后, 明年
========  ============================================================

Only the text and the layout layers (paragraphs with their role, headings
with their level and function) are read, so a document annotated by the
layout stage alone gets the same features as one that went through every
extractor: the model sees at prediction time what it saw in training.

>>> from policytext.pipeline import Pipeline
>>> doc = Pipeline(stages=["layout"])("主要成效\\n一是进一步推动了科学发展。")
>>> ctx = contexts(doc)
>>> [c.section_function for c in ctx]
['outcome', 'outcome']
>>> rows = paragraph_features(doc, ctx)
>>> rows[1]["p:exact:outcome"], rows[1]["f:role=body"]
(1.0, 1.0)
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from policytext.document import Document, Span
from policytext.layout import OUTLINE_START
from policytext.lexicon import heading_function

__all__ = [
    "CUES",
    "OPENING",
    "Context",
    "announced_function",
    "contexts",
    "cue_counts",
    "heading_direction",
    "lead_class",
    "paragraph_features",
    "text_grams",
]

Features = dict[str, float]

#: Openings that announce a paragraph's own function whatever its section, by label.
OPENERS: Mapping[str, re.Pattern[str]] = {
    "plan": re.compile(
        r"(?:下一步|下步|下阶段|今后|明年|接下来|新的一年|今年[，,]?(?:要|我们要|将)|我们要|要)"
    ),
}

#: The L2 norm of a paragraph's n-gram block (relative to the other features).
TEXT_NORM = 4.0

#: The L2 norm of the block of n-grams of the paragraph's opening.
OPENING_NORM = 1.0

#: How many characters of a paragraph's opening get their own n-grams.
OPENING = 12

#: Cues of a paragraph's function, by name: (pattern, what it signals). Cues, not rules:
#: the model weighs them. Matched with ``finditer`` on the paragraph's text.
CUES: Mapping[str, re.Pattern[str]] = {
    "past": re.compile(
        r"了|已经|已|取得|过去|以来|来，|去年|累计|先后|完成|实现|胜利|五年来|一年来|这几年"
    ),
    "future": re.compile(
        r"要|将|力争|下一步|今年|明年|今后|预期|目标|拟|争取|确保|继续|进一步|务必|应当|需要"
    ),
    "lesson": re.compile(
        r"必须|只有|才能|才会|实践证明|实践表明|事实证明|历史证明|证明|启示|体会|经验|根本在于"
        r"|关键在于|关键在|根本|规律|告诉我们|深刻认识到|认识到|归根到底|始终|坚持"
    ),
    "outcome": re.compile(
        r"增长|提高到|提高了|达到|显著|明显|成效|成就|成果|成绩|突破|增加到|下降|上升|翻|"
        r"被评为|荣获|改善|增强|好转|迈出|稳步|历史性|丰硕"
    ),
    "practice": re.compile(
        r"开展|实施|推进|建立|强化|出台|着力|加强|制定|组织|举办|采取|推行|部署|召开|印发|"
        r"出访|设立|我们"
    ),
    "problem": re.compile(
        r"问题|困难|不足|矛盾|挑战|差距|风险|薄弱|短板|隐患|不够|不少|突出|严峻|复杂"
    ),
    "thanks": re.compile(r"感谢|致以|敬意|谢意|结果"),
    "call": re.compile(r"让我们|团结|奋力|奋斗|开拓|前进|伟大|征程|努力"),
    "figure": re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?|[%％]|[万亿]"),
}

#: Dense cue features are divided by this many sentences' worth of matches, then capped at 1.
_CUE_SCALE = 3.0

_LEAD_IN = re.compile(
    r"(?:以下|如下|下列|几点|几个方面|方面|启示|体会|经验|工作|是)[^。；]{0,12}[：:]$"
)
#: How a paragraph opens, by name (the first that matches).
_OPENINGS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("dash", re.compile(r"[—－-]{1,2}")),
    ("ordinal_verb", re.compile(r"[一二三四五六七八九十]+[是要]")),
    ("di", re.compile(r"第[一二三四五六七八九十]+[，,、]")),
    ("sequence", re.compile(r"首先|其次|再次|最后")),
    ("outline", OUTLINE_START),
    ("arabic", re.compile(r"[0-9０-９]+[.．、]|[（(][0-9０-９]+[）)]|[①-⑩]")),
    ("comrades", re.compile(r"同志们|各位代表|代表们")),
)
_SENTENCE_END = re.compile(r"[。！？；!?;]")

#: A paragraph that announces what follows: ends with a colon, or says 以下/如下.
_ANNOUNCES = re.compile(r"[：:]$|(?:以下|如下)[^。]{0,12}[。：:]?$")
#: What a lead-in announces, by the first class whose words it contains.
_LEAD_CLASSES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("lesson", re.compile(r"启示|体会|经验|认识|规律|启发")),
    ("outcome", re.compile(r"成效|成绩|成就|成果|变化")),
    ("plan", re.compile(r"下一步|今后|今年|明年|要|将|任务|安排|打算|建议|目标")),
    ("practice", re.compile(r"做法|措施|举措|工作|做了")),
)


def lead_class(text: str) -> str | None:
    """What a lead-in paragraph announces (``lesson``, ``outcome``, ``plan``, ``practice``).

    >>> lead_class("总结这次活动的经验，带给我们四点启示："), lead_class("一是强化组织领导。")
    ('lesson', None)
    """
    if not _ANNOUNCES.search(text):
        return None
    return next((name for name, pattern in _LEAD_CLASSES if pattern.search(text)), "other")


_CLOSING_CALL = re.compile(r"让我们")
#: Words that make a section heading look back (review) or ahead (plan). Words that name
#: one function (成效, 体会) are left to the heading lexicon.
_REVIEW_HEADING = re.compile(r"回顾|过去|以来|总结|工作情况|历程")
_PLAN_HEADING = re.compile(
    r"今年|明年|任务|建议|目标|安排|打算|要求|下一步|规划|部署|计划|政策取向|重点工作|\d{4}年政府"
)
_STRIP_NUMBER = re.compile(rf"^(?:{OUTLINE_START.pattern}|[0-9０-９]+[.．、])[ \u3000]*")


@dataclass(frozen=True, slots=True)
class Context:
    """Where a paragraph sits: its role, its sections and its position in the document."""

    index: int
    role: str
    top: int | None  # index into doc.headings of the top-level (level ≤ 1) section heading
    inner: int | None  # index into doc.headings of the innermost section heading
    top_number: int  # how many top-level sections opened before this one (0: none yet)
    section_function: str | None  # the function the innermost heading with one announces
    exact: bool  # that heading is a lexicon title, not just a title containing one
    top_function: str | None  # the function the top-level heading announces
    top_direction: str | None  # the top-level heading looks back (review) or ahead
    heading: bool  # the paragraph is itself a section heading
    position: float  # paragraph index / number of paragraphs
    section_position: float  # position among the paragraphs of its top-level section
    section_profile: Mapping[str, float]  # mean cue densities over the top-level section
    densities: Mapping[str, float] = field(default_factory=dict)  # the paragraph's cue densities
    lead: str | None = None  # what the last lead-in of the section announced
    lead_distance: int = 0  # how many paragraphs back that lead-in is


def text_grams(text: str, n_max: int = 3) -> set[str]:
    """The distinct character n-grams of ``text``, 1 ≤ n ≤ ``n_max``, whitespace dropped.

    >>> sorted(text_grams("要将", 2))
    ['将', '要', '要将']
    """
    text = text.replace(" ", "").replace("\u3000", "")
    grams: set[str] = set(text)
    for n in range(2, n_max + 1):
        grams.update(text[i : i + n] for i in range(len(text) - n + 1))
    return grams


def cue_counts(text: str) -> dict[str, int]:
    """How often each cue of :data:`CUES` occurs in ``text``.

    >>> cue_counts("下一步要重点抓好四个方面工作：")["future"]
    2
    """
    return {name: sum(1 for _ in pattern.finditer(text)) for name, pattern in CUES.items()}


def _densities(text: str) -> dict[str, float]:
    """Cue counts scaled by the paragraph's length in sentences, capped at 1."""
    sentences = max(1, len(re.findall(r"[。！？；!?;]", text)))
    return {
        name: min(1.0, count / (_CUE_SCALE * sentences)) for name, count in cue_counts(text).items()
    }


def _sentence_shares(text: str) -> dict[str, float]:
    """For each cue, the share of the paragraph's sentences in which it occurs."""
    sentences = [s for s in _SENTENCE_END.split(text) if s.strip()] or [text]
    return {
        name: sum(1 for s in sentences if pattern.search(s)) / len(sentences)
        for name, pattern in CUES.items()
    }


def _heading_index(doc: Document) -> dict[int, int]:
    """Heading index by start offset."""
    return {h.start: k for k, h in enumerate(doc.headings)}


def contexts(doc: Document, paragraphs: Sequence[Span] | None = None) -> list[Context]:
    """The context of each paragraph of ``doc`` (or of ``paragraphs``, spans in text order)."""
    paras = doc.paragraphs if paragraphs is None else paragraphs
    headings = doc.headings
    by_start = _heading_index(doc)
    n = max(1, len(paras))
    top: int | None = None
    inner_stack: list[tuple[int, int]] = []  # (level, heading index)
    top_number = 0
    raw: list[tuple[int, int | None, int | None, int, bool]] = []
    leads: list[tuple[str | None, int]] = []  # the last lead-in of the section, and how far back
    lead: tuple[str | None, int] = (None, 0)
    for k, p in enumerate(paras):
        h = by_start.get(p.start)
        is_heading = h is not None and headings[h].end == p.end and headings[h].label != "title"
        if is_heading and h is not None:
            level = int(headings[h].get("level", 1))
            if level <= 1:
                top, top_number, inner_stack = h, top_number + 1, []
            while inner_stack and inner_stack[-1][0] >= level:
                inner_stack.pop()
            inner_stack.append((level, h))
        inner = inner_stack[-1][1] if inner_stack else None
        raw.append((k, top, inner, top_number, is_heading))
        if is_heading and int(headings[h].get("level", 1)) <= 1 if h is not None else False:
            lead = (None, 0)
        leads.append((lead[0], k - lead[1]))
        found = lead_class(doc.text_of(p)) if _role(p) == "body" and not is_heading else None
        if found is not None:
            lead = (found, k)

    # the cue profile and extent of each top-level section
    densities = [_densities(doc.text_of(p)) for p in paras]
    members: dict[int | None, list[int]] = {}
    for k, t, _, _, _ in raw:
        members.setdefault(t, []).append(k)
    profiles: dict[int | None, dict[str, float]] = {}
    for t, ks in members.items():
        dens = [densities[k] for k in ks if _role(paras[k]) == "body"]
        profiles[t] = {
            name: (sum(d[name] for d in dens) / len(dens) if dens else 0.0) for name in CUES
        }

    rank = {k: r for ks in members.values() for r, k in enumerate(ks)}
    out = []
    for k, t, inner, number, is_heading in raw:
        ks = members[t]
        function, exact = _innermost_function(doc, inner, t)
        out.append(
            Context(
                index=k,
                role=_role(paras[k]),
                top=t,
                inner=inner,
                top_number=number,
                section_function=function,
                exact=exact,
                top_function=None if t is None else headings[t].get("function"),
                top_direction=heading_direction(_heading_text(doc, t)),
                heading=is_heading,
                position=k / n,
                section_position=rank[k] / (len(ks) - 1) if len(ks) > 1 else 0.0,
                section_profile=profiles[t],
                densities=densities[k],
                lead=leads[k][0],
                lead_distance=leads[k][1],
            )
        )
    return out


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


def _heading_text(doc: Document, h: int | None) -> str:
    return "" if h is None else _STRIP_NUMBER.sub("", doc.text_of(doc.headings[h]), count=1)


def _add_grams(row: Features, prefix: str, grams: set[str], norm: float = 1.0) -> None:
    """Add ``grams`` under ``prefix`` as a block of L2 norm ``norm``."""
    if grams:
        value = norm / math.sqrt(len(grams))
        for g in grams:
            row[prefix + g] = value


def _bucket(value: float, edges: Sequence[float]) -> int:
    return sum(1 for edge in edges if value >= edge)


def paragraph_features(
    doc: Document, ctx: Sequence[Context], paragraphs: Sequence[Span] | None = None
) -> list[Features]:
    """The features of each paragraph, given its :class:`Context` (see the module docstring)."""
    paras = doc.paragraphs if paragraphs is None else paragraphs
    rows: list[Features] = []
    section_grams: dict[int | None, set[str]] = {}
    for c, p in zip(ctx, paras, strict=True):
        text = doc.text_of(p)
        row: Features = {"f:bias": 1.0, f"f:role={c.role}": 1.0}
        _add_grams(row, "c:", text_grams(text, 3), TEXT_NORM)
        opening_text = _STRIP_NUMBER.sub("", text, count=1)[:OPENING]
        _add_grams(row, "o:", text_grams(opening_text, 2), OPENING_NORM)
        if c.top not in section_grams:
            section_grams[c.top] = text_grams(_heading_text(doc, c.top), 2)
        _add_grams(row, "s:", section_grams[c.top])
        if c.section_function is not None:
            row[f"p:{'exact' if c.exact else 'contains'}:{c.section_function}"] = 1.0
        for label, pattern in OPENERS.items():
            if pattern.match(text):
                row[f"p:opener:{label}"] = 1.0
        for level, h in (("top", c.top), ("inner", c.inner)):
            direction = heading_direction(_heading_text(doc, h))
            if direction is not None:
                row[f"f:{level}_{direction}"] = 1.0
        row[f"f:topnum={min(c.top_number, 4)}"] = 1.0
        row[f"f:pos={_bucket(c.position, (0.1, 0.25, 0.5, 0.75, 0.9))}"] = 1.0
        row[f"f:secpos={_bucket(c.section_position, (0.01, 0.5, 0.99))}"] = 1.0
        row[f"f:len={_bucket(len(text), (8, 20, 40, 80, 160, 320))}"] = 1.0
        if c.heading:
            row["f:heading"] = 1.0
        opening = next((name for name, pattern in _OPENINGS if pattern.match(text)), "plain")
        row[f"f:open={opening}"] = 1.0
        if c.lead is not None and c.lead_distance == 1:
            row[f"f:lead_next={c.lead}"] = 1.0
        for name, share in _sentence_shares(text).items():
            row[f"f:share={name}"] = share
        if _LEAD_IN.search(text) or text.endswith(("：", ":")):
            row["f:lead_in"] = 1.0
        if _CLOSING_CALL.search(text):
            row["f:call"] = 1.0
        for name, value in c.densities.items():
            row[f"f:cue={name}"] = value
        for name, value in c.section_profile.items():
            row[f"f:sec_cue={name}"] = value
        rows.append(row)
    return rows
