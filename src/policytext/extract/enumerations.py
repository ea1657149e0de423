"""Enumerations: numbered structures (一是…二是…, 第一…第二…, 一、…二、…) and dash lists.

An enumeration is two or more items introduced by ordinal markers of one
family, counting up from one, in order, in one scope (ANNOTATION.md §2).

- Markers come from a table of compiled patterns and are kept only in
  context: at the start of a block or after punctuation, never inside a word
  (第一要务, 统一是, 进一步), and only before what may follow them (第一，
  but not 第一次); a first marker may follow its subject where its second
  item follows on the line (我们一方面要…；另一方面…, 贫困户一要…，二要…).
  一、 counts at a line's start, after ：；。 inline, and mid-line after a
  sentence where line breaks were lost (a section title).
- Blocks are paragraphs, split again where a text whose line breaks were lost
  keeps a trace of them: a run of indent spaces or a photo credit (…/摄).
- Markers are chained per family and variant (一是 with 二是, not with 二要),
  outline lines first; a list never runs on across an outline item. A
  number that is skipped or repeated stays in its list, with a diagnostic.
- An item runs from its marker to the next one; a last item ends with its
  block, or, for a section title, where its section ends. A list's parent is
  the innermost item of another list that holds its first marker.
- Runs of lines opening with a dash (——) are a layer of their own, never
  enumerations.

>>> from policytext.layout import layout
>>> text = "重点抓好两项工作：\\n一是完成换届。一要摸底，二要选好。\\n二是加强培训。"
>>> doc = Document(text).with_layers(**layout(text))
>>> outer, inner = extract_enumerations(doc)["enumerations"]
>>> [doc.text_of(it["marker"]) for it in outer["items"]], outer["declared"]
(['一是', '二是'], 2)
>>> [doc.text_of(it["topic"]) for it in inner["items"]], inner["parent"]
(['摸底', '选好'], {'enumeration': 0, 'item': 0})

The work is linear in the length of the text, up to a log factor for
look-ups: the patterns have no nested quantifiers and each candidate marker
is handled a bounded number of times.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, pairwise

from policytext.document import Document, Span, SpanArray
from policytext.layout import SALUTATION

__all__ = ["FAMILIES", "VERSION", "extract_enumerations"]

VERSION = "enumerations rules v2"

#: The families, in the order of the guideline's table.
FAMILIES = (
    "ordinal_verb",
    "di",
    "sequence",
    "aspect",
    "outline",
    "outline_paren",
    "arabic",
    "arabic_paren",
    "circled",
)

# --- the rules ------------------------------------------------------------------

_CN_DIGITS = "一二三四五六七八九十"
_CN_DIGIT = f"[{_CN_DIGITS}]"
#: Arabic digits, ASCII or full-width (``int`` reads both).
_DIGITS = "0123456789０１２３４５６７８９"
_DIGIT = f"[{_DIGITS}]"
#: One to three numerals.
_NUM = f"{_CN_DIGIT}{{1,3}}"
#: One-character verbs that make an ordinal + verb marker (一是, 一要, 一抓, 一靠, 一看…).
_VERBS = "是要抓靠看讲查比学做防求保促强建树创治管"
#: Suffixes of 第 markers that name a part of the text (第一个问题, 第一板块, 第一个阶段).
_DI_PARTS = "个问题|个方面|个阶段|阶段(?=[，,：:（(])|板块|部分"
#: Parts that are sections: their last item runs to the end of the enclosing section.
_DI_SECTIONS = frozenset({"个问题", "部分"})

#: Marker patterns by family. Group ``num`` holds the ordinal; the marker is
#: group ``m`` where there is one (``第一`` of ``第一个问题``), else the match.
#: Each is matched only where a marker may stand (see :func:`_places`); none holds
#: a character of ``_BOUNDARY`` but as its last.
_PATTERNS: dict[str, re.Pattern[str]] = {
    # not the idiom 一是一、二是二 (the numeral repeated), though an item may open with
    # one (二是一些党员干部…, 一要十分重视…)
    "ordinal_verb": re.compile(rf"(?P<num>{_NUM})[{_VERBS}](?!(?P=num)(?:[、，,。；;]|$))"),
    "di": re.compile(
        rf"(?P<m>第(?P<num>{_NUM}))(?:(?P<part>{_DI_PARTS})|[，,：:是]|、(?!第|{_NUM}[、产]))"
    ),
    "sequence": re.compile(r"首先|其次|再次(?=[，,要是])|最后(?=[，,要是])"),
    "aspect": re.compile(r"另一方面|一方面"),
    "outline": re.compile(rf"(?P<num>{_NUM})、(?![第、]|{_NUM}、)"),
    "outline_paren": re.compile(rf"[（(](?P<num>{_NUM})[）)]|[㈠-㈩]"),
    # not a decimal number (7.5), but an item may open with a year (1.2024年度…)
    "arabic": re.compile(
        rf"(?P<num>{_DIGIT}{_DIGIT}?)[.．、](?!(?!{_DIGIT}{{4}}年)[{_DIGITS}.．])|[⒈-⒛]"
    ),
    "arabic_paren": re.compile(rf"[（(](?P<num>{_DIGIT}{_DIGIT}?)[）)]|[⑴-⒇]"),
    "circled": re.compile(r"[①-⑳]"),
}


def _run(first: str, last: str) -> str:
    """The characters from ``first`` to ``last``: ``_run("①", "⑳")``."""
    return "".join(map(chr, range(ord(first), ord(last) + 1)))


#: The characters each family's markers open with. Keep it in step with the patterns above.
_OPENERS = {
    "ordinal_verb": _CN_DIGITS,
    "di": "第",
    "sequence": "首其再最",
    "aspect": "另一",
    "outline": _CN_DIGITS,
    "outline_paren": "（(" + _run("㈠", "㈩"),
    "arabic": _DIGITS + _run("⒈", "⒛"),
    "arabic_paren": "（(" + _run("⑴", "⒇"),
    "circled": _run("①", "⑳"),
}
#: For each character a marker opens with, the patterns that may match there, by family:
#: only they are tried where it stands.
_TRIED = {
    first: tuple((f, pattern) for f, pattern in _PATTERNS.items() if first in _OPENERS[f])
    for first in "".join(_OPENERS.values())
}
#: The characters a marker opens with, for a class in a pattern.
_FIRST = re.escape("".join(sorted(_TRIED)))
#: The one of each family's enclosed characters (㈠ ⒈ ⑴ ①), whose successors count on.
_ENCLOSED_ONE = {"outline_paren": "㈠", "arabic": "⒈", "arabic_paren": "⑴", "circled": "①"}
#: Numbers of the word markers; 0 is 最后, which closes a sequence.
_WORDS = {"首先": 1, "其次": 2, "再次": 3, "最后": 0, "一方面": 1, "另一方面": 2}
_WORD_FAMILIES = frozenset({"sequence", "aspect"})
_CJK_FAMILIES = frozenset({"ordinal_verb", "di", "outline", "outline_paren"})

#: What may stand right before a marker that does not open its block.
_BOUNDARY = frozenset("。；：，、！？;:,!?）)”’」』】“ \u3000\t")
_TERMINAL = frozenset("。！？!?")
#: A character a marker opens with after a boundary: a place where a marker may stand. (The
#: boundary is looked behind at, after the character: a pattern that opens with the rarer
#: class is scanned faster.)
_MARKER_PLACE = re.compile(f"[{_FIRST}](?<=[{re.escape(''.join(sorted(_BOUNDARY)))}].)")
#: A first marker after its subject, not at a boundary, where its second item follows after
#: one on the same line: 我们一方面要…；另一方面…, 贫困户一要扶产业，二要…, 坚持首先抓好…，
#: 其次… (in one sentence), 一、主要做法（一）坚持…。…（二）… (a title run on where line breaks
#: were lost), 推广①…、②… (① is never inside a word). Not inside a word: 这一方面, 统一是,
#: 这一要求.
_FIRST_AFTER_SUBJECT: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern)  # each opens with its characters, the guard after them: searched fast
    for pattern in (
        r"一方面(?<![这那某每另单统唯同任何中哪其]一方面)(?=[^\n]{1,300}?另一方面)",
        rf"一(?<![这那某每另单统唯同任何中哪其进第万逐之划归合专如不大初高周期十百千]一)"
        rf"(?P<v>[{_VERBS}])(?=[^\n]{{1,300}}?[，；、。,;]二(?P=v))",
        r"首先(?=[^。！？\n]{1,200}?[，；,;]其次)",
        r"（一）(?<!第（一）)(?![项款目条])(?=[^\n]{1,2000}?[。；;！？!?][（(]二[）)])",
        r"\(一\)(?<!第\(一\))(?![项款目条])(?=[^\n]{1,2000}?[。；;！？!?][（(]二[）)])",
        # never inside a word; a footnote mark (理念①，) is followed by punctuation
        r"①(?![，。；：、,.;:”’）)\s])(?=[^\n]{1,300}?②)",
        r"⑴(?![，。；：、,.;:”’）)\s])(?=[^\n]{1,300}?⑵)",
    )
)
#: After what an inline 一、 may stand (主要内容是：一、…；二、…). The guideline's table
#: puts 一、 at a line's start; an empty string here keeps it there (and mid-line only
#: where line breaks were lost).
_INLINE_OUTLINE_AFTER = "。；：;:"
#: Traces of lost line breaks inside a line: a run of indent spaces, a photo credit (…/摄).
_PSEUDO_BREAK = re.compile(r"[ \u3000]{2,}|(?<=/摄)")
#: A trace inside a paragraph; a paragraph without one is a single block (a credit just before
#: it breaks it at its start, which splits nothing). Unlike ``_PSEUDO_BREAK``, run only where
#: this is found, it opens with a class, which the regex engine skips ahead to.
_PSEUDO_BREAK_HINT = re.compile("[ \u3000摄](?:(?<=[ \u3000])[ \u3000]|(?<=/摄))")
#: A paragraph at least this long (or split at traces of breaks) is a text whose breaks were lost.
_COLLAPSED = 1500
#: Paragraph roles whose markers are not read.
_SKIP_ROLES = frozenset({"front", "back", "boilerplate"})
#: How many paragraphs on from an inline item its list may go on (stray line breaks split items).
_INLINE_REACH = 5
#: How many lists of one kind may be open at once (a list inside an item of another).
_MAX_OPEN = 4

#: A count announced by a lead-in: 四点启示, 四个方面工作, 三大板块, 两个阶段, 3个问题,
#: 三个重要问题, 两层含义, a measure word that ends the lead-in (有三种：), 做到三个“到位”.
_COUNT = re.compile(
    r"(?<![第一二三四五六七八九十两0-9])(?P<n>[一二三四五六七八九十两]{1,3}|[0-9]{1,2})"
    r"(?:(?:个|项|大|条|点|种|件|层|类)?(?:重要|主要|基本|重大|具体)?"
    r"(?:方面|问题|阶段|板块|部分|点|项|条|事|大事|举措|措施|工作|任务"
    r"|启示|体会|原则|要求|关系|建议|倡议|主张|意见|经验|重点|环节|做法|特点|特征|目标|步骤|原因"
    r"|成就|变化|领域|含义|类型|情况|形式|方式|途径)"
    r"|[种类条点]$|个“[^”]{1,10}”$)"
)
#: Words that make a sentence a lead-in even without a count.
_CUE = re.compile(r"以下|如下|下列|几个方面|几方面|几点|主要有|主要是|包括|[：:]\s*$")
_CLAUSE = re.compile(r"[，,；;。！？]")
_TOPIC_END = re.compile(r"[。；：;:]")
_COMMA = re.compile(r"[，,]")
_TOPIC_SKIP = frozenset("，,、：: \u3000")
_SPACE = frozenset(" \u3000\t\n")


@dataclass(frozen=True, slots=True)
class _Marker:
    """A candidate marker and where it stands."""

    start: int
    end: int
    family: str
    key: str  # family and variant: markers chain only with the same key
    number: int  # 0 for 最后, the last of a sequence
    body: int  # where the item's own words begin (after 个问题, 板块, punctuation)
    block: int  # index of its block
    paragraph: int  # index of its paragraph
    opens: bool  # it opens its block
    section: bool  # a section title: its item runs to the end of its section
    rank: int  # 0 outline line, 1 outline_paren line, 2 the rest


@dataclass(slots=True)
class _Chain:
    """A list being built: its markers, then what is found about it."""

    markers: list[_Marker]
    cut: int | None = None  # where the next list of the same kind begins
    ends: list[int] = field(default_factory=list)
    lead_in: tuple[int, int] | None = None
    declared: int | None = None
    diagnostics: list[str] = field(default_factory=list)
    numbered_on: bool = False  # its numbers go on from the list of the section before


@dataclass(frozen=True, slots=True)
class _Blocks:
    """The paragraphs read, split at the traces of lost line breaks, in text order."""

    starts: list[int]
    ends: list[int]
    paragraph: list[int]  # index into doc.paragraphs


# --- numbers ----------------------------------------------------------------------


def _cjk_number(numeral: str) -> int:
    """``一`` → 1, ``十`` → 10, ``十二`` → 12, ``二十一`` → 21; 0 for what is not a number."""
    digits = "一二三四五六七八九"
    tens, ten, units = numeral.partition("十")
    if not ten:
        return digits.index(numeral) + 1 if len(numeral) == 1 else 0
    if len(tens) > 1 or len(units) > 1:
        return 0
    return 10 * (digits.index(tens) + 1 if tens else 1) + (digits.index(units) + 1 if units else 0)


def _cjk(n: int) -> str:
    """1 → ``一``, 12 → ``十二``, 21 → ``二十一``."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, units = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[units] if units else "")


# --- blocks and candidate markers ------------------------------------------------------


def _blocks(doc: Document) -> _Blocks:
    starts: list[int] = []
    ends: list[int] = []
    paragraph: list[int] = []
    text = doc.text
    for k, p in enumerate(doc.paragraphs):
        if p.get("role") in _SKIP_ROLES:
            continue
        begin = p.start
        hinted = _PSEUDO_BREAK_HINT.search(text, p.start, p.end) is not None
        for brk in _PSEUDO_BREAK.finditer(text, p.start, p.end) if hinted else ():
            if brk.start() > begin:
                starts.append(begin)
                ends.append(brk.start())
                paragraph.append(k)
            begin = brk.end()
        if begin < p.end:
            starts.append(begin)
            ends.append(p.end)
            paragraph.append(k)
    return _Blocks(starts, ends, paragraph)


def _collapsed(doc: Document, blocks: _Blocks) -> set[int]:
    """The paragraphs that hold a text whose line breaks were lost.

    Such a paragraph is long, or split at traces of breaks, or the only one read.
    """
    read = set(blocks.paragraph)
    split = {k for k, j in pairwise(blocks.paragraph) if k == j}
    paragraphs = doc.paragraphs
    long = {k for k in read if paragraphs[k].end - paragraphs[k].start >= _COLLAPSED}
    return split | long | (read if len(read) == 1 else set())


def _candidates(doc: Document, blocks: _Blocks, collapsed_ones: set[int]) -> list[_Marker]:
    """Every marker found in context, in text order."""
    text = doc.text
    paragraphs = doc.paragraphs
    found: list[_Marker] = []
    for at, b in _places(text, blocks):
        bs, be, k = blocks.starts[b], blocks.ends[b], blocks.paragraph[b]
        for family, pattern in _TRIED[text[at]]:
            m = pattern.match(text, at, be)
            if m is not None:
                heading = paragraphs[k].get("role") == "heading"
                marker = _marker(text, m, family, (b, k, bs), heading, k in collapsed_ones)
                if marker is not None:
                    found.append(marker)
    return found


def _places(text: str, blocks: _Blocks) -> list[tuple[int, int]]:
    """The places where a marker may stand, in order, each with the index of its block.

    A place holds a character a marker opens with, at the start of a block or after
    a boundary inside one (or a first marker after its subject: ``_FIRST_AFTER_SUBJECT``).
    Matching the patterns at the places finds what ``finditer`` over the block would
    find there: no match holds a boundary but as its last character, so none that
    begins elsewhere runs over a place. Matches elsewhere would not be kept. One pass
    over the text finds the places after a boundary, rather than one per block: most
    blocks have none.
    """
    starts, ends = blocks.starts, blocks.ends
    places = [(start, b) for b, start in enumerate(starts) if text[start] in _TRIED]
    for place in chain(
        _MARKER_PLACE.finditer(text), *(p.finditer(text) for p in _FIRST_AFTER_SUBJECT)
    ):
        at = place.start()
        b = bisect_right(starts, at) - 1
        if b >= 0 and starts[b] < at < ends[b]:
            places.append((at, b))
    return sorted(set(places))


def _number(m: re.Match[str], family: str) -> int:
    """The ordinal a marker stands for; 0 for 最后 (and for what is not a number)."""
    if family in _WORD_FAMILIES:
        return _WORDS[m.group()]
    if len(m.group()) == 1:  # an enclosed character: ① ⑴ ㈠ ⒈
        return ord(m.group()) - ord(_ENCLOSED_ONE[family]) + 1
    if family.startswith("arabic"):
        return int(m["num"])
    return _cjk_number(m["num"])


def _marker(
    text: str,
    m: re.Match[str],
    family: str,
    where: tuple[int, int, int],
    heading: bool,
    collapsed: bool,
) -> _Marker | None:
    """What a pattern match is in its context: a marker, or None.

    ``where`` is the index of the block, the index of its paragraph and the block's start.
    """
    block, paragraph, bs = where
    start = m.start()
    opens = start == bs
    before = text[start - 1] if start > bs else ""
    number = _number(m, family)
    if number == 0 and family not in _WORD_FAMILIES:
        return None
    key, rank, section = family, 2, opens and heading
    if family == "ordinal_verb":
        key = family + text[m.end() - 1]
    elif family == "di" and m["part"]:
        key = family + m["part"].lstrip("个")
        section = section or m["part"] in _DI_SECTIONS
    elif family == "outline":
        if opens:
            rank, section = 0, section or collapsed
        elif collapsed and before in _TERMINAL:  # a title left mid-line by lost breaks
            rank, section = 0, True
        elif before not in _INLINE_OUTLINE_AFTER:
            return None
    elif family == "outline_paren" and opens:
        rank = 1
    end = m.end("m") if family == "di" else m.end()
    body = m.end()
    while body < len(text) and text[body] in _TOPIC_SKIP:
        body += 1
    return _Marker(start, end, family, key, number, body, block, paragraph, opens, section, rank)


# --- chains --------------------------------------------------------------------------


def _chains(found: Sequence[_Marker]) -> list[_Chain]:
    """Chain markers that count up from one, outline levels first; keep chains of two or more.

    A marker of an outline list kept by an earlier pass closes the open lists
    begun after that outline list began: the item they sat in has ended. Where
    （一） items number on across the sections of an outline list (（三） after 二、,
    as opinions and plans do), the next section's items make a list of their own.
    """
    kept: list[_Chain] = []
    for rank in (0, 1, 2):
        barriers = sorted((m.start, ch.markers[0].start) for ch in kept for m in ch.markers)
        next_barrier = 0
        open_: dict[str, list[_Chain]] = {}  # per key, the lists still open, innermost last
        closed: dict[str, _Chain] = {}  # per key, the last list of titles a section closed
        chains: list[_Chain] = []
        for c in found:
            if c.rank != rank:
                continue
            while next_barrier < len(barriers) and barriers[next_barrier][0] < c.start:
                begun = barriers[next_barrier][1]
                for key, stack in open_.items():
                    while stack and stack[-1].markers[0].start > begun:
                        if key == "outline_paren" and stack[-1].markers[-1].opens:
                            closed[key] = stack[-1]
                        stack.pop()
                next_barrier += 1
            stack = open_.setdefault(c.key, [])
            if _continue(stack, c):
                continue
            numbered_on = closed.get(c.key)
            if c.opens and numbered_on is not None and _follows(numbered_on.markers[-1], c):
                stack.append(_Chain([c], numbered_on=True))
                chains.append(stack[-1])
                closed.pop(c.key)
            elif c.number == 1:
                if stack:
                    first = stack[-1].markers[0]
                    if not first.section and (c.section, c.opens) == (False, first.opens):
                        stack[-1].cut = c.start  # a sibling list begins: the last item ends
                    del stack[: -_MAX_OPEN + 1]
                stack.append(_Chain([c]))
                chains.append(stack[-1])
        kept.extend(ch for ch in chains if len(ch.markers) >= 2)
    kept.sort(key=lambda ch: ch.markers[0].start)
    return kept


def _continue(stack: list[_Chain], c: _Marker) -> bool:
    """Add ``c`` to the open list it continues, closing those opened since; say if it did.

    The next number continues an open list, preferably one whose items stand
    as ``c`` does (section titles with section titles); a skipped or repeated
    number only continues the innermost list, in the numbered families, where
    the marker stands as the one before it (both opening blocks, or both inline).
    """
    nexts = [k for k, ch in enumerate(stack) if _follows(ch.markers[-1], c)]
    if nexts:
        alike = [k for k in nexts if stack[k].markers[0].section == c.section]
        k = (alike or nexts)[-1]
        stack[k].markers.append(c)
        del stack[k + 1 :]
        return True
    if not stack or c.family in _WORD_FAMILIES or c.number == 1:
        return False
    last = stack[-1].markers[-1]
    near = last.opens or c.paragraph <= last.paragraph + _INLINE_REACH
    if last.number and near and abs(c.number - last.number - 1) == 1 and c.opens == last.opens:
        stack[-1].markers.append(c)
        return True
    return False


def _follows(last: _Marker, c: _Marker) -> bool:
    """Is ``c`` the next marker after ``last``? 最后 follows 其次 or 再次 and closes the list.

    After an inline item, the next one comes within a few paragraphs.
    """
    if last.number == 0 or (not last.opens and c.paragraph > last.paragraph + _INLINE_REACH):
        return False
    return c.number == last.number + 1 or (c.number == 0 and last.number >= 2)


def _diagnose(text: str, chain: _Chain) -> None:
    """Note each item that skips or repeats a number, and a declared count not met."""
    show = _cjk if chain.markers[0].family in _CJK_FAMILIES else str
    if chain.numbered_on:
        first = chain.markers[0]
        chain.diagnostics.append(
            f"{text[first.start : first.end]}: numbers on from the list of the section before"
        )
    for prev, m in pairwise(chain.markers):
        expected = prev.number + 1
        if m.number not in (expected, 0):
            what = "skips" if m.number > expected else "repeats"
            chain.diagnostics.append(
                f"{text[m.start : m.end]}: expected {show(expected)}, "
                f"found {show(m.number)} ({what} a number)"
            )
    if chain.declared is not None and chain.declared != len(chain.markers):
        chain.diagnostics.append(f"declared {chain.declared} items, found {len(chain.markers)}")


# --- lead-ins ------------------------------------------------------------------------


def _lead_in(
    doc: Document, blocks: _Blocks, sentence_starts: Sequence[int], first: _Marker
) -> tuple[int, int] | None:
    """The words before a list's first marker: the start of its sentence, or the sentence before."""
    k = bisect_right(sentence_starts, first.start) - 1
    if k < 0:
        return None
    sentences = doc.sentences
    begin = max(sentences[k].start, blocks.starts[first.block])
    if doc.text[begin : first.start].strip(" \u3000"):
        a, b = begin, first.start
    else:  # the sentence before, in the same block or, for a block's first marker, the one before
        b_floor = first.block - 1 if first.opens else first.block
        if k == 0 or b_floor < 0 or sentences[k - 1].end <= blocks.starts[b_floor]:
            return None
        a, b = max(sentences[k - 1].start, blocks.starts[b_floor]), sentences[k - 1].end
    while b > a and doc.text[b - 1] in _SPACE:
        b -= 1
    return (a, b) if b > a else None


def _declared(lead: str) -> int | None:
    """The count the last clause of a lead-in announces (四点启示 → 4); none for 几个."""
    clause = _CLAUSE.split(lead.rstrip("。：:；; \u3000"))[-1]
    counts = list(_COUNT.finditer(clause))
    if not counts:
        return None
    n = counts[-1]["n"]
    value = int(n) if n.isdigit() else 2 if n == "两" else _cjk_number(n)
    return value if value >= 2 else None


# --- extents and parents ---------------------------------------------------------------


def _ends(doc: Document, blocks: _Blocks, chains: list[_Chain], collapsed: set[int]) -> None:
    """Set each item's end: the next marker; for a last item its block or its section's end.

    The section of a last item below the outline's (（一）, 第一个问题) inside another
    list's section ends at a salutation (各位代表！, on its own line or opening a
    paragraph), which turns from its topic to the audience: what follows belongs to the
    section around it.
    """
    bound = _enclosing_bounds(chains)
    leads = sorted(ch.lead_in[0] for ch in chains if ch.lead_in is not None)
    salutations: list[int] | None = None  # found when first needed (few texts need them)
    content_end = blocks.ends[-1] if blocks.ends else 0
    for k, ch in enumerate(chains):
        last = ch.markers[-1]
        if last.section:
            end = content_end
            if last.rank > 0 and bound[k] is not None:
                if salutations is None:
                    salutations = _salutations(doc)
                i = bisect_right(salutations, last.body)
                end = salutations[i] if i < len(salutations) else end
        else:  # to the end of its block; in a collapsed text, to the lead-in of a list after it
            end = blocks.ends[last.block]
            i = bisect_right(leads, last.body)
            if i < len(leads) and blocks.paragraph[last.block] in collapsed:
                end = min(end, leads[i])
        for limit in (bound[k], ch.cut):
            if limit is not None and limit > last.start:
                end = min(end, limit)
        ends = [m.start for m in ch.markers[1:]] + [max(end, last.end)]
        ch.ends = [_trim(doc.text, m.end, e) for m, e in zip(ch.markers, ends, strict=True)]


def _salutations(doc: Document) -> list[int]:
    """Where the paragraphs that are or open with a salutation (各位代表！) start."""
    return [
        p.start
        for p in doc.paragraphs
        if p.get("role") == "salutation" or SALUTATION.match(doc.text, p.start, p.end)
    ]


def _trim(text: str, floor: int, end: int) -> int:
    while end > floor and text[end - 1] in _SPACE:
        end -= 1
    return end


def _enclosing_bounds(chains: list[_Chain]) -> list[int | None]:
    """For each list, the first marker after its last one of a list begun before it."""
    events = sorted(
        (m.start, k, j) for k, ch in enumerate(chains) for j, m in enumerate(ch.markers)
    )
    bound: list[int | None] = [None] * len(chains)
    stack: list[int] = []  # lists begun and not yet passed by a list begun before them
    depth: dict[int, int] = {}
    for pos, k, j in events:
        if j == 0:
            depth[k] = len(stack)
            stack.append(k)
            continue
        d = depth.get(k)
        if d is None or d >= len(stack) or stack[d] != k:
            continue
        for inner in stack[d + 1 :]:
            if bound[inner] is None:
                bound[inner] = pos
            depth.pop(inner, None)
        del stack[d + 1 :]
    return bound


def _parents(chains: list[_Chain]) -> list[dict[str, int] | None]:
    """The innermost item of another list that holds each list's first marker."""
    items = sorted(
        (m.start, -ch.ends[j], k, j)
        for k, ch in enumerate(chains)
        for j, m in enumerate(ch.markers)
    )
    parents: list[dict[str, int] | None] = [None] * len(chains)
    stack: list[tuple[int, int, int]] = []  # (end, list, item) of the items open here
    for start, neg_end, k, j in items:
        while stack and stack[-1][0] <= start:
            stack.pop()
        if j == 0 and stack:
            parents[k] = {"enumeration": stack[-1][1], "item": stack[-1][2]}
        stack.append((-neg_end, k, j))
    return parents


# --- the stage ---------------------------------------------------------------------


def _topic(text: str, start: int, end: int) -> dict[str, int] | None:
    """From the item's words to the first 。；： or, failing those, the first ，."""
    stop = _TOPIC_END.search(text, start, end) or _COMMA.search(text, start, end)
    finish = _trim(text, start, stop.start() if stop else end)
    return {"start": start, "end": finish} if finish > start else None


def _span(text: str, blocks: _Blocks, ch: _Chain, parent: dict[str, int] | None) -> Span:
    items = [
        {
            "marker": {"start": m.start, "end": m.end},
            "start": m.start,
            "end": end,
            "topic": _topic(text, min(m.body, end), min(end, blocks.ends[m.block])),
            "index": j,
        }
        for j, (m, end) in enumerate(zip(ch.markers, ch.ends, strict=True), 1)
    ]
    lead_in = None if ch.lead_in is None else {"start": ch.lead_in[0], "end": ch.lead_in[1]}
    attrs = {
        "items": items,
        "parent": parent,
        "declared": ch.declared,
        "lead_in": lead_in,
        "diagnostics": ch.diagnostics,
    }
    return Span(ch.markers[0].start, ch.ends[-1], ch.markers[0].family, VERSION, attrs)


def extract_enumerations(doc: Document) -> dict[str, tuple[Span, ...]]:
    """returns {"enumerations": (...), "dash_lists": (...)}

    ``doc`` needs the layout layers (paragraphs with their role, sentences);
    where it has none, layout is run first. Enumerations are in order of their
    first marker; ``parent`` indexes into the returned tuple.
    """
    if not doc.paragraphs:
        from policytext.layout import layout

        doc = doc.with_layers(None, **layout(doc.text))
    text = doc.text
    blocks = _blocks(doc)
    collapsed = _collapsed(doc, blocks)
    chains = _chains(_candidates(doc, blocks, collapsed))
    sentences = doc.sentences
    if isinstance(sentences, SpanArray):
        sentence_starts: list[int] = sentences.starts.tolist()
    else:
        sentence_starts = [s.start for s in sentences]
    for ch in chains:
        ch.lead_in = _lead_in(doc, blocks, sentence_starts, ch.markers[0])
        if ch.lead_in is not None:
            lead = text[ch.lead_in[0] : ch.lead_in[1]]
            ch.declared = _declared(lead)
            if ch.declared is None and not _CUE.search(lead):
                ch.lead_in = None
        _diagnose(text, ch)
    _ends(doc, blocks, chains, collapsed)
    parents = _parents(chains)
    enumerations = tuple(_span(text, blocks, ch, p) for ch, p in zip(chains, parents, strict=True))
    return {"enumerations": enumerations, "dash_lists": tuple(_dash_lists(doc))}


def _dash_lists(doc: Document) -> Iterator[Span]:
    """Runs of two or more paragraphs opening with a dash (——…)."""
    text = doc.text
    run: list[Span] = []
    for p in (*doc.paragraphs, None):
        if (
            p is not None
            and text.startswith(("——", "－－"), p.start)
            and p.get("role") not in _SKIP_ROLES
        ):
            run.append(p)
            continue
        if len(run) >= 2:
            items = [{"start": q.start, "end": q.end} for q in run]
            yield Span(run[0].start, run[-1].end, "dash_list", VERSION, {"items": items})
        run = []
