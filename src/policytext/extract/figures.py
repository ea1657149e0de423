"""Figures: a number with its unit or measure word and, where one follows, the counted noun.

A figure's span covers the number, its unit and the approximation words that
belong to it (近, 约, 超过 before; 多, 余 inside; 以上, 左右 after). Its label
is the unit (``""`` for a bare 两万 or 13亿); its attrs hold the ``value``
(a JSON number, magnitudes applied: 7.5万 → 75000), ``approximate`` and the
``noun`` that follows as ``{start, end}``, or ``None``.

Matching reads a view of the text of the same length (１９９７ → 1997,
７．４ → 7.4, ％ → %, １，０６２ → 1,062, 萬 → 万), so offsets always index the
text as read. Chinese numerals are read with cn2an, Arabic ones with their
magnitude (万, 亿, 万亿) exactly, as decimals. Units and measure words, with
their kind, come from ``data/units.tsv``; so do the numeric formulas to skip.
The counted noun is the CJK run after a count, money or measure unit (or a bare 两万), up to a
function word, a common verb or 8 characters (none where no boundary comes);
where a ``tokens`` layer exists, it is trimmed to whole noun-like tokens.
Units of time and ratios take no noun.

Not figures, by design:

- dates: a calendar year (2012年, 二〇一二年, 九十年代, 2012年度), months
  (4月) and days (27日) are left out; a duration keeps unit 年 (两年来,
  5000年, 2000多年);
- ordinals (第一, 第二次), list markers (一是), the indefinite 一 before a
  measure word (一批, 一些, 一起, 一道, 一个); 一 counts only with a unit of
  time (一年来);
- numerals read digit by digit (三五年, 七八个: ranges, not numbers), vague
  ones (几十万, 上万, 数百), and numeric formulas (四个全面, 两个一百年;
  those in ``units.tsv``, those a slogan stage marked ``formula``, and any
  figure inside a short quotation such as “五个一”);
- numbers inside a document title 《…》.

>>> doc = Document("市、旗两级成立了98个指导检查组，培训干部7.5万人次。")
>>> for s in extract_figures(doc)["figures"]:
...     noun = s["noun"] and doc.text_of(s["noun"])
...     print(doc.text_of(s), s.label, s["value"], s["approximate"], noun)
98个 个 98 False 指导检查组
7.5万人次 人次 75000 False None
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from itertools import pairwise
from typing import Any

import cn2an
import numpy as np
import numpy.typing as npt

from policytext.document import Document, Span, SpanArray
from policytext.errors import InputError
from policytext.extract.citations import title_bounds
from policytext.lexicon import data_path, read_table

__all__ = ["KINDS", "VERSION", "extract_figures", "half_width"]

VERSION = "figures rules v1"

#: The kinds of unit in ``units.tsv``.
KINDS = ("count", "time", "money", "measure", "ratio", "formula")

#: Full-width digits and signs to ASCII, U+3000 to a space, and the traditional forms of
#: numerals, units and approximation words to simplified ones (1950s reports use 萬, 點, 個):
#: one character for one, so offsets hold.
_VIEW_FROM = "０１２３４５６７８９．％﹪\u3000～－萬億兩點個項噸畝臺輛張條種類戶場擔餘約週歲隻間處"
_VIEW = str.maketrans(
    _VIEW_FROM, "0123456789.%% ~-万亿两点个项吨亩台辆张条种类户场担余约周岁只间处"
)

#: Runs of the characters ``_VIEW`` changes: only they are translated, the rest is copied.
#: (``[…][…]*``, not ``[…]+``: a pattern that opens with a class is skipped to quickly.)
_VIEW_RUNS = re.compile("[{0}][{0}]*".format(re.escape(_VIEW_FROM)))

#: A full-width comma between digit groups, a thousands separator: ６０３，９５３，０００元.
#: The digit before it is looked behind at after the comma, so that the pattern opens with
#: the comma, which the regex engine skips ahead to faster than to a class of digits.
_GROUP_COMMA = re.compile(r"，(?<=[0-9]，)(?=[0-9]{3}(?![0-9]))")

_DIGITS = "〇零一二三四五六七八九"
_NUMERAL = _DIGITS + "两十百千万亿"
_MAGNITUDES = {"万亿": 10**12, "千万": 10**7, "百万": 10**6, "亿": 10**8, "万": 10**4}

#: Approximation words before a number, with the characters each may not follow (附近, 节约).
_BEFORE = {
    "将近": "",
    "接近": "",
    "大约": "",
    "超过": "",
    "逾": "",
    "不足": "",
    "不到": "",
    "近": "最附临靠亲就远逼贴将接",
    "约": "制节签公条契预相邀婉特简违履守大",
}
#: The alternatives of the figure pattern's ``pre`` group, made from the table above.
_PRE = "|".join(
    f"(?<![{not_after}]){word}" if not_after else word for word, not_after in _BEFORE.items()
)

#: The number, with what may come before and after it. ``{units}`` is filled from the table.
_FIGURE = r"""
(?P<pre>{pre})?
(?:
   (?P<pct>百分之)(?P<pctnum>[{digits}十百两]{{1,6}}(?:点[{digits}]{{1,6}})?)
 | (?<![0-9.A-Za-z第])(?<![0-9],)
   (?P<ar>(?:\d{{1,3}}(?:,\d{{3}}){{1,6}}(?!\d)|\d{{1,16}})(?:\.\d{{1,8}})?)
 | (?<![{numeral}几数第])(?P<cn>[{digits}两十][{numeral}]{{0,15}}(?:点[{digits}]{{1,8}})?)
)
(?P<mid>[多余])?
(?P<mag>万亿|千万|百万|亿|万)?  # not 千 alone: ６０００千瓦
(?P<mid2>[多余])?
(?:(?P<unit>个[多余]月|{units})(?P<half>半)?)?  # 一年半
(?P<post>以上|左右|有余|[多余])?
(?P<since>来)?
"""

#: The characters ``\d`` matches below U+10000, spelled out: ``re`` scans for a class of
#: characters twice as fast as for the category.
_BMP_DIGITS = "".join(c for c in map(chr, range(0x10000)) if c.isdecimal())
#: The characters a number can open with: a digit, a numeral, 百 of 百分之; and, as ``re``
#: scans slowly for a long class beyond U+FFFF, every character there (the figure pattern
#: matches only at a digit of them, and trying it at the others changes nothing).
_NUMBER_FIRST = _BMP_DIGITS + "〇零一二三四五六七八九两十百\U00010000-\U0010ffff"
#: What may follow the first character of a number in a match of the figure pattern, besides
#: the first character of a unit: more of the number, a magnitude, 多, 余, 以上, 左右, 有余, 来;
#: 个 of 个多月, 分 of 百分之.
_RUNS_ON = _NUMERAL + "点.,多余以左有来个分"

#: How far before its number a figure may open: the longest approximation word.
_OPENING_REACH = max(map(len, _BEFORE))
#: The last characters of the approximation words.
_BEFORE_ENDS = frozenset(word[-1] for word in _BEFORE)

#: What after 年 makes it part of a date (2012年12月) or of a plan's name (第一个五年计划).
_DATE_OR_PLAN = re.compile(rf"(?:\d{{1,2}}|[{_DIGITS}十]{{1,3}})月|计划|规划")

#: 个多月, 个余月: a unit 个月 with an approximation inside it.
_LOOSE_MONTHS = frozenset({"个多月", "个余月"})

#: A short quotation: a name or formula, whose numbers are not figures (“五个一”).
_SHORT_QUOTE = re.compile(r"“[^“”\n]{1,10}”|「[^「」\n]{1,10}」|\"[^\"\n]{1,10}\"")
#: The marks a title or a short quotation opens with: a paragraph without one has neither.
_TITLE_OR_QUOTE = re.compile('[《“「"]')

#: Characters that end the counted noun after a figure: function words, postpositions, numerals.
_NOUN_STOP = frozenset(
    "的了和与及或等是在被把将也都已并均共着到至从向对其各每这那之而且但即就才又再还只以、"
    "上下中里内外" + _NUMERAL
)

#: Characters that cannot open a counted noun (五年间, 两人以上, 三人为一组).
_NOUN_NOT_FIRST = _NOUN_STOP | frozenset(
    "间多余来后前占有以为于由经据按给让使过得地会能可应要所比达降升增减超半"
)

#: Verbs that commonly follow a counted noun; the noun ends where one starts.
_NOUN_VERBS = re.compile(
    r"参加|参与|开展|进行|实现|完成|达到|增长|增加|提高|下降|减少|获得|受到|得到|投入|覆盖|建成"
    r"|新建|改造|培训|累计|合计|分别|全部|全面|深入|积极|主动|通过|共同|同比|签订|签约|发放|帮助"
    r"|走访|慰问|解决|落实|提供|受益|脱贫|就业|联合|自愿|报名|相继|先后|基本|已经|正在|成立"
    r"|召开|降低|下调|上调|参保|支持|同时|居住|实行|实施|推行|建立|组织|举办|开工|创造|取得|荣获|被评为|列入|纳入"
)

#: The longest counted noun read without tokens.
_NOUN_MAX = 8

#: Part-of-speech tags (first letter) that end a noun read from tokens. Verbs do not: jieba
#: tags many nouns as verbs (服务中心); the verb table above catches the common ones.
_NOT_NOUN_POS = frozenset("dpcurmqfxwyeot")


@dataclass(frozen=True, slots=True)
class _Rules:
    """The compiled tables: the figure pattern, where it may open, each unit's kind, the formulas.

    ``opening`` finds the first character of a number where what follows may
    carry a figure on: more of the number, a magnitude, a unit, an approximation
    word (see ``_RUNS_ON``).
    """

    figure: re.Pattern[str]
    opening: re.Pattern[str]
    kinds: dict[str, str]
    formulas: re.Pattern[str] | None


def _unit_alternative(unit: str, not_before: str) -> str:
    guard = f"(?![{re.escape(not_before)}])" if not_before else ""
    return re.escape(unit) + guard


@cache
def _rules(path: str | None = None) -> _Rules:
    """Read ``units.tsv`` (or a user's table in its format) and compile the patterns."""
    where = path or data_path("units.tsv")
    units: list[tuple[str, str]] = []
    kinds: dict[str, str] = {}
    formulas: list[str] = []
    for n, fields in read_table(where):
        if len(fields) not in (2, 3) or fields[1] not in KINDS:
            raise InputError(
                f"{where}:{n}",
                f"expected 'UNIT<TAB>KIND[<TAB>NOT BEFORE]' with KIND one of {KINDS}",
            )
        if fields[1] == "formula":
            formulas.append(fields[0])
            continue
        kinds[fields[0]] = fields[1]
        units.append((fields[0], fields[2] if len(fields) == 3 else ""))
    units.sort(key=lambda row: -len(row[0]))
    alternatives = "|".join(_unit_alternative(u, nb) for u, nb in units)
    pattern = _FIGURE.format(pre=_PRE, digits=_DIGITS, numeral=_NUMERAL, units=alternatives)
    formula = "|".join(map(re.escape, sorted(formulas, key=len, reverse=True)))
    runs_on = re.escape("".join(sorted(set(_RUNS_ON) | {u[0] for u, _ in units})))
    return _Rules(
        re.compile(pattern, re.VERBOSE),
        re.compile(rf"[{_NUMBER_FIRST}](?=[\d{runs_on}])"),
        kinds,
        re.compile(formula) if formula else None,
    )


def half_width(text: str) -> str:
    """A view of ``text`` with full-width digits and signs made ASCII; the length is unchanged.

    Traditional numerals and units are simplified too (萬 → 万), and a full-width
    comma between digit groups becomes a thousands separator.

    >>> half_width("７．４万亿元，增长７．７％，共１，０６２万吨")
    '7.4万亿元，增长7.7%，共1,062万吨'
    """
    view = _VIEW_RUNS.sub(_translated, text)
    return _GROUP_COMMA.sub(",", view)


def _translated(run: re.Match[str]) -> str:
    return run.group().translate(_VIEW)


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _value(match: re.Match[str]) -> Decimal | None:
    """The number a match reads, magnitudes applied; ``None`` where it is not a number."""
    if match["ar"]:
        try:
            base = Decimal(match["ar"].replace(",", ""))
        except InvalidOperation:
            return None
    else:
        numeral = match["cn"] or match["pctnum"]
        if len(numeral) > 1 and not any(ch in "十百千万亿点" for ch in numeral):
            return None  # read digit by digit: a range (三五年) or a year (二〇一二)
        cn_base = _cn_value(numeral)
        if cn_base is None:
            return None  # 十四五 and the like
        base = cn_base
    if match["mag"]:
        base *= _MAGNITUDES[match["mag"]]
    if match["half"]:
        base += Decimal("0.5")  # 一年半, 十三斤半
    return base


@lru_cache(maxsize=4096)
def _cn_value(numeral: str) -> Decimal | None:
    """The value of a Chinese numeral, read by cn2an (slow, hence the cache); ``None`` if none."""
    try:
        return Decimal(str(cn2an.cn2an(numeral, "smart")))
    except (ValueError, KeyError, IndexError):
        return None


#: The groups of a figure up to its unit, last first: they follow one another in the pattern,
#: so the first of them that took part ends where the figure's body ends.
_BODY_GROUPS = ("half", "unit", "mid2", "mag", "mid", "cn", "ar", "pctnum")


def _end(match: re.Match[str], kind: str | None) -> tuple[int, bool]:
    """Where the figure ends, and whether an approximation word after its unit belongs to it.

    以上, 左右 and 有余 always belong; 多 and 余 after the unit, and 来, only to a unit of
    time (一年多来; but 5个多部门 is five departments).
    """
    for group in _BODY_GROUPS:
        end = match.end(group)
        if end != -1:  # -1: it took no part
            break
    post = match["post"]
    after = post in ("以上", "左右", "有余") or bool(post and kind == "time")
    if after:
        end = match.end("post")
    if match["since"] and kind == "time" and match.start("since") == end:
        end = match.end("since")
    return end, after


def _figure(
    match: re.Match[str], view: str, limit: int, rules: _Rules, tokens: _Tokens | None
) -> Span | None:
    """The figure a match is, with its counted noun (read up to ``limit``); ``None`` if none."""
    pct, unit, mag, ar, cn, pctnum = match.group("pct", "unit", "mag", "ar", "cn", "pctnum")
    number = ar or cn or pctnum
    if not (pct or unit or mag or number[-1] in "万亿"):
        return None  # a bare number (十一, 六五), rejected first
    unit = unit or ""
    loose = unit in _LOOSE_MONTHS
    label = "%" if pct else "个月" if loose else unit
    kind = "ratio" if pct else rules.kinds.get(label)
    if number == "一" and kind != "time" and not mag:
        return None  # the indefinite 一: 一批, 一个, 一起
    if number[0] in "零〇" or (number[0] == "0" and number[1:2].isdigit()):
        return None  # no number opens with zero: 零部件, ０００元 after a lost separator
    value = _value(match)
    if value is None:
        return None
    end, after = _end(match, kind)
    inside = bool(match["mid"] or match["mid2"]) or loose
    if label == "年":
        calendar = match["ar"] and len(number) == 4 and 1000 <= value < 2200
        if (calendar and not (inside or after or match["since"])) or _DATE_OR_PLAN.match(view, end):
            return None
    approximate = bool(match["pre"]) or inside or after
    noun = None if kind in ("ratio", "time") else _noun(view, end, limit, tokens)
    attrs: dict[str, Any] = {"value": _json_number(value), "approximate": approximate, "noun": noun}
    return Span(match.start(), end, label, VERSION, attrs)


def _noun(view: str, start: int, limit: int, tokens: _Tokens | None) -> dict[str, int] | None:
    """The counted noun from ``start``: a short CJK run up to a function word or verb."""
    end = start
    cap = min(limit, start + _NOUN_MAX)
    while end < cap and "\u4e00" <= view[end] <= "\u9fff" and view[end] not in _NOUN_STOP:
        end += 1
    if end == cap < limit and "\u4e00" <= view[end] <= "\u9fff" and view[end] not in _NOUN_STOP:
        return None  # no boundary in sight: a clause, not a noun
    if end == start or view[start] in _NOUN_NOT_FIRST or view[start] in _NUMERAL:
        return None  # a postposition (五年间) or another number (两个一百年), not a noun
    verb = _NOUN_VERBS.search(view, start, min(limit, end + 1))  # a verb may end on a stop: 参与
    if verb and verb.start() < end:
        end = verb.start()
    if tokens is not None:
        end = tokens.noun_end(start, end)
    return {"start": start, "end": end} if end > start else None


class _Tokens:
    """The tokens layer, ordered by start, to trim a noun to whole noun-like tokens.

    A :class:`SpanArray` (what the segmenter gives) is read through its arrays,
    without making a :class:`Span` for each token.
    """

    def __init__(self, tokens: Sequence[Span]) -> None:
        if isinstance(tokens, SpanArray):
            starts, ends = tokens.starts, tokens.ends
            labels: Sequence[str] = tokens.labels or ("",) * len(starts)
        else:
            starts = np.array([t.start for t in tokens], dtype=np.int64)
            ends = np.array([t.end for t in tokens], dtype=np.int64)
            labels = [t.label for t in tokens]
        if len(starts) > 1 and bool((starts[1:] < starts[:-1]).any()):
            order = np.argsort(starts, kind="stable")
            starts, ends, labels = starts[order], ends[order], [labels[k] for k in order]
        self.starts: npt.NDArray[np.int64] = starts
        self.ends: npt.NDArray[np.int64] = ends
        self.labels = labels

    def noun_end(self, start: int, end: int) -> int:
        """The end of the last whole noun-like token in ``[start, end)``.

        ``end`` where no token starts at ``start`` (the segmenter joined unit and noun).
        """
        k = int(self.starts.searchsorted(start))  # as bisect_left
        if k == len(self.starts) or self.starts[k] != start:
            return end
        stop = start
        while k < len(self.ends) and self.ends[k] <= end:
            tag = self.labels[k]
            if tag and tag[0] in _NOT_NOUN_POS:
                break
            stop = int(self.ends[k])
            k += 1
        return stop


def _blocked_in(view: str, start: int, end: int, rules: _Rules) -> Iterator[tuple[int, int]]:
    """The titles, short quotes and formulas of one paragraph: no figure may touch them."""
    if _TITLE_OR_QUOTE.search(view, start, end) is not None:
        yield from title_bounds(view, start, end)
        yield from (m.span() for m in _SHORT_QUOTE.finditer(view, start, end))
    if rules.formulas is not None:
        yield from (m.span() for m in rules.formulas.finditer(view, start, end))


def _paint(mask: bytearray, ranges: Iterable[tuple[int, int]]) -> None:
    """Mark ``ranges`` in ``mask``, the characters no figure may touch."""
    for s, e in ranges:
        mask[s:e] = b"\x01" * (e - s)


def _disjoint(bounds: Sequence[tuple[int, int]]) -> bool:
    """Do the paragraphs follow one another without overlapping (as layout makes them)?"""
    return all(end <= start for (_, end), (start, _) in pairwise(bounds))


def _matches(
    figure: re.Pattern[str], view: str, openings: Iterable[int], start: int, end: int
) -> Iterator[re.Match[str]]:
    """The matches of ``figure.finditer(view, start, end)`` that may be figures.

    The figure pattern, which opens with an optional group, is tried only at
    ``openings``, where ``_Rules.opening`` found a number, or at an approximation
    word right before one: the positions before it are tried first, as
    ``finditer`` would. A lone numeral, which is not an opening (一 of 统一,
    第一步), would match as itself, a bare number that :func:`_figure` rejects;
    skipping it moves no later match, as no approximation word holds a numeral.
    """
    resume = start
    for at in openings:
        if at < resume:
            continue
        match = None
        if view[at - 1 : at] in _BEFORE_ENDS:  # an approximation word may end here
            for opening in range(max(resume, at - _OPENING_REACH), at):
                if view[opening:at] in _BEFORE:
                    match = figure.match(view, opening, end)
                    if match is not None:
                        break
        if match is None:
            match = figure.match(view, at, end)
        if match is None:
            resume = at + 1
        else:
            resume = match.end()
            yield match


def _figures_in(
    view: str,
    openings: Sequence[int],
    bounds: tuple[int, int],
    rules: _Rules,
    mask: bytearray,
    tokens: _Tokens | None,
) -> Iterator[Span]:
    """The figures of the paragraph within ``bounds``, where ``openings`` were found.

    Its titles, quotes and formulas are marked in ``mask`` when its first figure
    is found (most paragraphs have none).
    """
    start, end = bounds
    painted = False
    for match in _matches(rules.figure, view, openings, start, end):
        span = _figure(match, view, end, rules, tokens)
        if span is None:
            continue
        if not painted:
            _paint(mask, _blocked_in(view, start, end, rules))
            painted = True
        if mask.find(1, span.start, span.end) == -1:
            yield span


def extract_figures(doc: Document) -> dict[str, tuple[Span, ...]]:
    """The ``figures`` layer: numbers with their unit and counted noun, outside boilerplate.

    Without a ``paragraphs`` layer the whole text is read as one paragraph; a
    ``tokens`` layer, where present, trims each noun to whole noun-like tokens.
    """
    rules = _rules()
    view = half_width(doc.text)
    if doc.paragraphs:
        bounds = [(p.start, p.end) for p in doc.paragraphs if p.get("role") != "boilerplate"]
    else:
        bounds = [(0, len(view))]
    tokens = _Tokens(doc.tokens) if doc.tokens else None
    # No figure may touch a formula the slogans stage found, nor a paragraph's titles, quotes
    # and formulas. Those of a paragraph can only block its own figures, so each is marked
    # when needed (see _figures_in); where paragraphs overlap, all are marked first.
    mask = bytearray(len(view))
    _paint(mask, ((s.start, s.end) for s in doc.slogans if s.label == "formula"))
    if not _disjoint(bounds):
        for s, e in bounds:
            _paint(mask, _blocked_in(view, s, e, rules))
    # The openings are found in the whole view at once. At a paragraph's last character, one
    # may be found that its end would cut off: a lone numeral there, which is rejected.
    openings = [number.start() for number in rules.opening.finditer(view)]
    spans: list[Span] = []
    for s, e in bounds:
        inside = openings[bisect_left(openings, s) : bisect_left(openings, e)]
        if inside:
            spans.extend(_figures_in(view, inside, (s, e), rules, mask, tokens))
    return {"figures": tuple(spans)}
