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
function word or a common verb (3200名干部组成… → 干部), and at most 8 characters (none
where neither comes sooner); after a measure unit it also stops before what is not
measured (98000亩林地资源安全 → 林地). Where a ``tokens`` layer exists, it is trimmed to
whole noun-like tokens. Units of time, ratios and people (人, 人次: 641万人领取养老金) take
no noun.

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
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache, partial
from itertools import pairwise
from typing import Any, NamedTuple

import cn2an
import numpy as np
import numpy.typing as npt

from policytext.document import Document, Span, SpanArray
from policytext.errors import InputError
from policytext.extract.citations import title_bounds
from policytext.lexicon import alternation, data_path, read_table

__all__ = ["KINDS", "VERSION", "extract_figures", "half_width"]

VERSION = "figures rules v3"

#: The kinds of unit in ``units.tsv``.
KINDS = ("count", "people", "time", "money", "measure", "ratio", "formula")

#: Full-width digits and signs to ASCII, and the traditional forms of numerals, units and
#: approximation words to simplified ones (1950s reports use 萬, 點, 個): one character for
#: one, so offsets hold. U+3000 becomes a space apart (see :func:`half_width`).
_VIEW_FROM = "０１２３４５６７８９．％﹪～－萬億兩點個項噸畝臺輛張條種類戶場擔餘約週歲隻間處"
_VIEW = str.maketrans(_VIEW_FROM, "0123456789.%%~-万亿两点个项吨亩台辆张条种类户场担余约周岁只间处")

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
#: The alternatives of the figure pattern's ``pre`` group, made from the table above. Each opens
#: with its word, the lookbehind after it: ``re`` rules out at a glance an alternative that
#: opens with a plain character.
_PRE = "|".join(
    f"{word}(?<![{not_after}]{word})" if not_after else word for word, not_after in _BEFORE.items()
)

#: Lookbehinds for where no number opens: an Arabic one inside another (3.14, A4, 1,000, 第3),
#: a Chinese one after a numeral (一百, 几十, 第一). ``{at}`` is the number's first character
#: where they are tried after it (in ``_Rules.opening``), else empty.
_AR_NOT_AFTER = r"(?<![0-9.A-Za-z第]{at})(?<![0-9],{at})"
_CN_NOT_AFTER = "(?<![" + _NUMERAL + "几数第]{at})"
#: The characters a Chinese number opens with.
_CN_FIRST = _DIGITS + "两十"

#: The number, with what may come before and after it. ``{units}`` is filled from the table.
#: What may be absent is a group that may match nothing, ``(?P<mid>[多余]?)`` or ``(…|)``, not
#: an optional group ``(…)?``, which ``re`` runs through its slow general repeat: an absent
#: part reads ``""``, and ``None`` only where its branch was not taken (``ar`` of a Chinese
#: number, ``half`` without a unit).
_FIGURE = r"""
(?P<pre>{pre}|)
(?:
   (?P<pct>百分之)(?P<pctnum>[{digits}十百两]{{1,6}}(?:点[{digits}]{{1,6}}|))
 | {ar_not_after}
   (?P<ar>(?:\d{{1,3}}(?:,\d{{3}}){{1,6}}(?!\d)|\d{{1,16}})(?:\.\d{{1,8}}|))
 | {cn_not_after}(?P<cn>[{cn_first}][{numeral}]{{0,15}}(?:点[{digits}]{{1,8}}|))
)
(?P<mid>[多余]?)
(?P<mag>万亿|千万|百万|亿|万|)  # not 千 alone: ６０００千瓦
(?P<mid2>[多余]?)
(?:(?P<unit>个[多余]月|{units})(?P<half>半?)|)  # 一年半
(?P<post>以上|左右|有余|[多余]|)
(?P<since>来?)
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
_NOUN_STOP = (
    "的了和与及或等是在被把将也都已并均共着到至从向对其各每这那之而且但即就才又再还只以、"
    "上下中里内外" + _NUMERAL
)

#: Characters that cannot open a counted noun (五年间, 两人以上, 三人为一组).
_NOUN_NOT_FIRST = (
    _NOUN_STOP + "间多余来后前占有以为于由经据按给让使过得地会能可应要所比较达降升增减超半"
)

#: Verbs, and the adverbs and modal verbs before them, that commonly follow a counted noun; the
#: noun ends where one starts (干部组成, 茶农增收). Not 组织, mostly a noun there (党组织).
_NOUN_VERBS = re.compile(
    r"参加|参与|开展|进行|实现|完成|达到|增长|增加|提高|下降|减少|获得|受到|得到|投入|覆盖|建成"
    r"|新建|改造|培训|累计|合计|分别|全部|全面|深入|积极|主动|通过|共同|同比|签订|签约|发放|帮助"
    r"|走访|慰问|解决|落实|提供|受益|脱贫|就业|联合|自愿|报名|相继|先后|基本|已经|正在|成立"
    r"|召开|降低|下调|上调|参保|支持|同时|居住|实行|实施|推行|建立|举办|开工|创造|取得|荣获"
    r"|被评为|列入|纳入|组成|增收|增产|致富|摆脱|用于|采取|启动|推进|陆续|顺利|稳步|免费|应该|需要"
)

#: What may follow a measured noun but is not measured: its safety, an issue, the stock or the
#: limit it is part of (9.8万亩林地资源安全, 18亿亩耕地红线). After a measure unit (亩, 吨) the noun
#: ends before one of them, unless it opens the noun.
_NOT_MEASURED = re.compile("安全|资源|问题|红线")

#: The longest counted noun read without tokens.
_NOUN_MAX = 8

#: The counted noun read without tokens: a run of Chinese characters up to a stop, opening with
#: one that may open a noun. It may run one character past the longest, to tell it from a clause.
_NOUN_RUN = re.compile(
    f"(?![{re.escape(_NOUN_NOT_FIRST)}])"
    f"(?:(?![{re.escape(_NOUN_STOP)}])[\u4e00-\u9fff]){{1,{_NOUN_MAX + 1}}}"
)

#: Part-of-speech tags (first letter) that end a noun read from tokens. Verbs do not: jieba
#: tags many nouns as verbs (服务中心); the verb table above catches the common ones.
_NOT_NOUN_POS = frozenset("dpcurmqfxwyeot")


@dataclass(frozen=True, slots=True)
class _Rules:
    """The compiled tables: the figure pattern, where it may open, each unit's kind, the formulas.

    ``opening`` finds the first character of a number where the figure pattern
    may open one (not the 2 of 12, nor the 一 of 第一) and what follows may carry
    a figure on: more of the number, a magnitude, a unit, an approximation word
    (see ``_RUNS_ON``). ``reading`` is :func:`_reading` with the kinds of unit,
    cached: the same figures recur (一个, 五年, 2020年).
    """

    figure: re.Pattern[str]
    opening: re.Pattern[str]
    reading: Callable[[tuple[str | Any, ...]], _Reading | None]
    formulas: re.Pattern[str] | None


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
    pattern = _FIGURE.format(
        pre=_PRE,
        ar_not_after=_AR_NOT_AFTER.format(at=""),
        cn_not_after=_CN_NOT_AFTER.format(at=""),
        digits=_DIGITS,
        cn_first=_CN_FIRST,
        numeral=_NUMERAL,
        units=alternation((u, f"(?![{re.escape(nb)}])" if nb else "") for u, nb in units),
    )
    formula = alternation((f, "") for f in formulas)
    runs_on = re.escape("".join(sorted(set(_RUNS_ON) | {u[0] for u, _ in units})))
    return _Rules(
        re.compile(pattern, re.VERBOSE),
        re.compile(
            f"[{_NUMBER_FIRST}]"
            + _AR_NOT_AFTER.format(at=r"\d")
            + _CN_NOT_AFTER.format(at=f"[{_CN_FIRST}]")
            + rf"(?=[\d{runs_on}])"
        ),
        lru_cache(maxsize=8192)(partial(_reading, kinds)),
        re.compile(formula) if formula else None,
    )


def half_width(text: str) -> str:
    """A view of ``text`` with full-width digits, signs and spaces made ASCII, of the same length.

    Traditional numerals and units are simplified too (萬 → 万), and a full-width
    comma between digit groups becomes a thousands separator.

    >>> half_width("７．４万亿元，增长７．７％，共１，０６２万吨")
    '7.4万亿元，增长7.7%，共1,062万吨'
    """
    # U+3000, which indents most paragraphs, is replaced at once, not run by run.
    view = _VIEW_RUNS.sub(_translated, text.replace("\u3000", " "))
    return _GROUP_COMMA.sub(",", view)


def _translated(run: re.Match[str]) -> str:
    return run.group().translate(_VIEW)


def _value(ar: str | None, numeral: str, mag: str, half: str | None) -> int | float | None:
    """The number read from ``ar`` (Arabic) or else ``numeral``, as JSON; ``None`` if none.

    It is read exactly, as a decimal, and the magnitude ``mag`` and ``half`` applied.
    """
    if ar:
        try:
            value = Decimal(ar.replace(",", ""))
        except InvalidOperation:
            return None
    else:
        if len(numeral) > 1 and not any(ch in "十百千万亿点" for ch in numeral):
            return None  # read digit by digit: a range (三五年) or a year (二〇一二)
        cn_value = _cn_value(numeral)
        if cn_value is None:
            return None  # 十四五 and the like
        value = cn_value
    if mag:
        value *= _MAGNITUDES[mag]
    if half:
        value += Decimal("0.5")  # 一年半, 十三斤半
    return int(value) if value == value.to_integral_value() else float(value)


@lru_cache(maxsize=4096)
def _cn_value(numeral: str) -> Decimal | None:
    """The value of a Chinese numeral, read by cn2an (slow, hence the cache); ``None`` if none."""
    try:
        return Decimal(str(cn2an.cn2an(numeral, "smart")))
    except (ValueError, KeyError, IndexError):
        return None


class _Reading(NamedTuple):
    """What a match of the figure pattern says, wherever it stands."""

    label: str
    kind: str | None
    value: int | float
    #: How far the match runs on past the figure, over 多, 余 or 来 that do not belong to it.
    trim: int
    approximate: bool


def _reading(kinds: Mapping[str, str], groups: tuple[str | Any, ...]) -> _Reading | None:
    """What the ``groups`` of a match say, with ``kinds`` of unit; ``None`` if no figure.

    A bare number, the indefinite 一, a number opening with zero, and a calendar
    year (2012年) are no figures; the text around the match is not read here.
    """
    pre, pct, pctnum, ar, cn, mid, mag, mid2, unit, half, post, since = groups
    number = ar or cn or pctnum
    if not (pct or unit or mag or number[-1] in "万亿"):
        return None  # a bare number (十一, 六五), rejected first
    unit = unit or ""
    loose = unit in _LOOSE_MONTHS
    label = "%" if pct else "个月" if loose else unit
    kind = "ratio" if pct else kinds.get(label)
    if number == "一" and kind != "time" and not mag:
        return None  # the indefinite 一: 一批, 一个, 一起
    if number[0] in "零〇" or (number[0] == "0" and number[1:2].isdigit()):
        return None  # no number opens with zero: 零部件, ０００元 after a lost separator
    value = _value(ar, cn or pctnum, mag, half)
    if value is None:
        return None
    # The match runs on over 以上, 左右, 有余, which always belong to the figure; 多 and 余 after
    # the unit, and 来, belong only to a unit of time (一年多来; but 5个多部门 is five departments).
    time = kind == "time"
    after = post in ("以上", "左右", "有余") or bool(post and time)
    trim = (0 if after else len(post)) + (0 if time else len(since))
    inside = bool(mid or mid2) or loose
    calendar = label == "年" and ar and len(number) == 4 and 1000 <= value < 2200
    if calendar and not (inside or after or since):
        return None
    return _Reading(label, kind, value, trim, bool(pre) or inside or after)


def _noun(
    view: str, start: int, limit: int, tokens: _Tokens | None, measure: bool = False
) -> dict[str, int] | None:
    """The counted noun from ``start``: a short CJK run up to a function word or verb.

    A verb ends it even where no stop comes within :data:`_NOUN_MAX` characters
    (3200名干部组成驻村工作队); after a ``measure`` unit, so does what is not
    measured (9.8万亩林地资源安全).
    """
    run = _NOUN_RUN.match(view, start, min(limit, start + _NOUN_MAX + 1))
    if run is None:
        return None  # a postposition (五年间) or another number (两个一百年), not a noun
    end = run.end()
    verb = _NOUN_VERBS.search(view, start, min(limit, end + 1))  # a verb may end on a stop: 参与
    if verb and verb.start() < end:
        end = verb.start()
    elif end - start > _NOUN_MAX:
        return None  # no boundary in sight: a clause, not a noun
    if measure:
        other = _NOT_MEASURED.search(view, start + 1, end)
        if other is not None:
            end = other.start()
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
            labels: Sequence[str] | None = tokens.labels
        else:
            starts = np.array([t.start for t in tokens], dtype=np.int64)
            ends = np.array([t.end for t in tokens], dtype=np.int64)
            labels = [t.label for t in tokens]
        if len(starts) > 1 and bool((starts[1:] < starts[:-1]).any()):
            order = np.argsort(starts, kind="stable")
            starts, ends = starts[order], ends[order]
            labels = None if labels is None else [labels[k] for k in order]
        self.starts: npt.NDArray[np.int64] = starts
        self.ends: npt.NDArray[np.int64] = ends
        self.labels = labels  # None: no parts of speech (the segmenter was not asked for them)

    def noun_end(self, start: int, end: int) -> int:
        """The end of the last whole noun-like token in ``[start, end)``.

        ``end`` where no token starts at ``start`` (the segmenter joined unit and noun).
        """
        k = int(self.starts.searchsorted(start))  # as bisect_left
        if k == len(self.starts) or self.starts[k] != start:
            return end
        stop = start
        while k < len(self.ends) and self.ends[k] <= end:
            if self.labels is not None and self.labels[k][:1] in _NOT_NOUN_POS:
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
    ``finditer`` would. A lone numeral, which is not an opening (一 of 统一), would
    match as itself, a bare number, which is no figure (see :func:`_reading`);
    skipping it moves no later match, as no approximation word holds a numeral.
    Where no number may open (the 2 of 12), the pattern would not match at all.
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
    is found (most paragraphs have none); a figure that touches one is dropped
    before its counted noun is read.
    """
    start, end = bounds
    blocked = None  # whether anything in the paragraph is marked, known once it has a figure
    for match in _matches(rules.figure, view, openings, start, end):
        reading = rules.reading(match.groups())
        if reading is None:
            continue
        label, kind, value, trim, approximate = reading
        figure_end = match.end() - trim
        if label == "年" and _DATE_OR_PLAN.match(view, figure_end):
            continue  # a date (2012年12月) or a plan's name (第一个五年计划)
        if blocked is None:
            _paint(mask, _blocked_in(view, start, end, rules))
            blocked = mask.find(1, start, end) != -1
        if blocked and mask.find(1, match.start(), figure_end) != -1:
            continue
        noun = (
            None
            if kind in ("ratio", "time", "people")
            else _noun(view, figure_end, end, tokens, kind == "measure")
        )
        attrs: dict[str, Any] = {"value": value, "approximate": approximate, "noun": noun}
        yield Span(match.start(), figure_end, label, VERSION, attrs)


def extract_figures(doc: Document) -> dict[str, tuple[Span, ...]]:
    """The ``figures`` layer: numbers with their unit and counted noun, outside boilerplate.

    Without a ``paragraphs`` layer the whole text is read as one paragraph; a
    ``tokens`` layer, where present, trims each noun to whole noun-like tokens.
    """
    rules = _rules()
    view = half_width(doc.text)
    if doc.paragraphs:
        bounds = [(p.start, p.end) for p in doc.paragraphs if p.attrs.get("role") != "boilerplate"]
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
