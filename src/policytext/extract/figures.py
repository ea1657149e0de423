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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

import cn2an

from policytext.document import Document, Span
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
_VIEW = str.maketrans(
    "０１２３４５６７８９．％﹪\u3000～－萬億兩點個項噸畝臺輛張條種類戶場擔餘約週歲隻間處",
    "0123456789.%% ~-万亿两点个项吨亩台辆张条种类户场担余约周岁只间处",
)

#: A full-width comma between digit groups, a thousands separator: ６０３，９５３，０００元.
_GROUP_COMMA = re.compile(r"(?<=[0-9])，(?=[0-9]{3}(?![0-9]))")

_DIGITS = "〇零一二三四五六七八九"
_NUMERAL = _DIGITS + "两十百千万亿"
_MAGNITUDES = {"万亿": 10**12, "千万": 10**7, "百万": 10**6, "亿": 10**8, "万": 10**4}

#: The number, with what may come before and after it. ``{units}`` is filled from the table.
_FIGURE = r"""
(?P<pre>将近|接近|大约|超过|逾|不足|不到
   |(?<![最附临靠亲就远逼贴将接])近|(?<![制节签公条契预相邀婉特简违履守大])约)?
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

#: What after 年 makes it part of a date (2012年12月) or of a plan's name (第一个五年计划).
_DATE_OR_PLAN = re.compile(rf"(?:\d{{1,2}}|[{_DIGITS}十]{{1,3}})月|计划|规划")

#: 个多月, 个余月: a unit 个月 with an approximation inside it.
_LOOSE_MONTH = re.compile(r"个[多余]月")

#: A short quotation: a name or formula, whose numbers are not figures (“五个一”).
_SHORT_QUOTE = re.compile(r"“[^“”\n]{1,10}”|「[^「」\n]{1,10}」|\"[^\"\n]{1,10}\"")

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
    """The compiled tables: the figure pattern, each unit's kind, the formulas."""

    figure: re.Pattern[str]
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
    pattern = _FIGURE.format(digits=_DIGITS, numeral=_NUMERAL, units=alternatives)
    formula = "|".join(map(re.escape, sorted(formulas, key=len, reverse=True)))
    return _Rules(
        re.compile(pattern, re.VERBOSE),
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
    return _GROUP_COMMA.sub(",", text.translate(_VIEW))


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
        try:
            base = Decimal(str(cn2an.cn2an(numeral, "smart")))
        except (ValueError, KeyError, IndexError):
            return None  # 十四五 and the like
    if match["mag"]:
        base *= _MAGNITUDES[match["mag"]]
    if match["half"]:
        base += Decimal("0.5")  # 一年半, 十三斤半
    return base


def _end(match: re.Match[str], kind: str | None) -> tuple[int, bool]:
    """Where the figure ends, and whether an approximation word after its unit belongs to it.

    以上, 左右 and 有余 always belong; 多 and 余 after the unit, and 来, only to a unit of
    time (一年多来; but 5个多部门 is five departments).
    """
    groups = ("pctnum", "ar", "cn", "mid", "mag", "mid2", "unit", "half")
    end = max(match.end(g) for g in groups if match[g])
    post = match["post"]
    after = post in ("以上", "左右", "有余") or bool(post and kind == "time")
    if after:
        end = match.end("post")
    if match["since"] and kind == "time" and match.start("since") == end:
        end = match.end("since")
    return end, after


def _figure(match: re.Match[str], view: str, rules: _Rules) -> tuple[Span, bool] | None:
    """The figure a match is, with whether a noun may follow; ``None`` where it is not one."""
    unit = match["unit"] or ""
    loose = _LOOSE_MONTH.fullmatch(unit) is not None
    label = "%" if match["pct"] else "个月" if loose else unit
    kind = "ratio" if match["pct"] else rules.kinds.get(label)
    number = match["ar"] or match["cn"] or match["pctnum"]
    if not (label or match["mag"] or number[-1] in "万亿"):
        return None  # a bare number
    if number == "一" and kind != "time" and not match["mag"]:
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
    attrs: dict[str, Any] = {"value": _json_number(value), "approximate": approximate, "noun": None}
    return Span(match.start(), end, label, VERSION, attrs), kind not in ("ratio", "time")


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
    """The tokens layer, indexed by start, to trim a noun to whole noun-like tokens."""

    def __init__(self, tokens: Sequence[Span]) -> None:
        self.tokens = sorted(tokens, key=lambda t: t.start)
        self.starts = [t.start for t in self.tokens]

    def noun_end(self, start: int, end: int) -> int:
        """The end of the last whole noun-like token in ``[start, end)``.

        ``end`` where no token starts at ``start`` (the segmenter joined unit and noun).
        """
        k = bisect_left(self.starts, start)
        if k == len(self.starts) or self.starts[k] != start:
            return end
        stop = start
        while k < len(self.tokens) and self.tokens[k].end <= end:
            tag = self.tokens[k].label
            if tag and tag[0] in _NOT_NOUN_POS:
                break
            stop = self.tokens[k].end
            k += 1
        return stop


def _blocked(doc: Document, view: str, bounds: list[tuple[int, int]], rules: _Rules) -> bytearray:
    """A mask of the characters no figure may touch: titles, short quotes, formulas."""
    mask = bytearray(len(view))
    ranges: list[tuple[int, int]] = [(s.start, s.end) for s in doc.slogans if s.label == "formula"]
    for s, e in bounds:
        ranges.extend(title_bounds(view, s, e))
        ranges.extend(m.span() for m in _SHORT_QUOTE.finditer(view, s, e))
        if rules.formulas is not None:
            ranges.extend(m.span() for m in rules.formulas.finditer(view, s, e))
    for s, e in ranges:
        mask[s:e] = b"\x01" * (e - s)
    return mask


def _figures_in(
    view: str, start: int, end: int, rules: _Rules, mask: bytearray, tokens: _Tokens | None
) -> Iterator[Span]:
    for match in rules.figure.finditer(view, start, end):
        found = _figure(match, view, rules)
        if found is None:
            continue
        span, nounable = found
        if any(mask[span.start : span.end]):
            continue
        if nounable:
            noun = _noun(view, span.end, end, tokens)
            if noun is not None:
                span = Span(
                    span.start, span.end, span.label, span.source, {**span.attrs, "noun": noun}
                )
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
    mask = _blocked(doc, view, bounds, rules)
    spans = [span for s, e in bounds for span in _figures_in(view, s, e, rules, mask, tokens)]
    return {"figures": tuple(spans)}
