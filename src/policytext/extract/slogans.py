"""Slogans (口号 / 提法): quoted formulas and unquoted numeric abbreviations.

A slogan is a fixed formula used as a unit: a campaign, programme, goal,
principle, motto, honour title or coined term (ANNOTATION.md, section 3).
Two ways find them:

- quoted: the content of “…”, "…", 「…」 or ‘…’ is judged by its shape and
  by the words around the quote; quoted speech, irony, names, titles,
  metaphors and single-character labels are left out;
- unquoted: numeric formulas of known shapes (三严三实, 四个意识, 八项规定,
  双循环, 十四五), and the numeric formulas of a shipped, editable lexicon.

Each slogan is a :class:`~policytext.document.Span` over the text (inside the
quote marks for quoted ones) labelled with its kind (formula, motto, name,
term); ``source`` says whether a rule or the lexicon found it; the attributes
are ``text`` (full-width digits, letters and ＋ folded) and ``quoted``.
All patterns are bounded, so the time is linear in the length of the text.

>>> from policytext.document import Document
>>> doc = Document("坚持“三严三实”，推进两学一做学习教育，防止“一刀切”。他说：“要坚持。”")
>>> [(s["text"], s.label, s["quoted"]) for s in extract_slogans(doc)["slogans"]]
[('三严三实', 'formula', True), ('两学一做', 'formula', False)]
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import chain
from operator import itemgetter

from policytext.document import Document, Span
from policytext.errors import InputError
from policytext.layout import paragraph_bounds
from policytext.lexicon import alternation, data_path, lexicon_version, read_table

__all__ = ["KINDS", "VERSION", "SloganLexicon", "count_slogans", "extract_slogans", "load_lexicon"]

VERSION = "slogans rules v3"

#: The kinds a slogan can have, for research use.
KINDS = ("formula", "motto", "name", "term")

#: Paragraph roles (from layout) whose text is never searched.
_SKIP_ROLES = frozenset({"front", "back", "boilerplate"})

# --- characters ---------------------------------------------------------------

_NUM = "一二三四五六七八九十百千万两双零〇0-9０-９"
_NUMERAL = re.compile(rf"[{_NUM}]")
_WORD = rf"(?:(?![{_NUM}])[\u4e00-\u9fff])"  # a Chinese character that is not a numeral
#: Measure words and time units: 一年一度, 两次, 一门十分 are quantities, not sets.
_MEASURES = frozenset("个年月日天时分周次批代步期轮回遍项件条种类份元斤亩吨米座所台部场届倍点成")
_MEASURES |= frozenset("些半片阵样把只头匹支张本岁家号门")
#: Function words and parts of common words: 统一就一定, 八到九是, 两岸双方.
_FUNCTION = frozenset("就是的了在和与也都而又则把被将对为以于及或并且到至多余即等岸方向")
#: Direction words: 一上一下, 一前一后 are idioms.
_DIRECTIONS = frozenset("上下左右前后东西南北里外内来去")
#: Round numbers: alternating shapes with them are idioms (千难万险, 一诺千金).
_ROUND = frozenset("百千万")
#: Full-width digits, letters and ＋ → ASCII, one character for one.
_FOLD = str.maketrans(
    {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F) if chr(c).isalnum() or c == 0xFF0B}
)
_FOLDED = re.compile(f"[{''.join(map(chr, _FOLD))}]")


def _fold(string: str) -> str:
    """``string`` with its full-width digits, letters and ＋ made ASCII.

    ``str.translate`` costs a dictionary look-up per character; most strings hold
    nothing to fold, and a search says so sooner.
    """
    return string.translate(_FOLD) if _FOLDED.search(string) else string


def _strings(*strings: str) -> tuple[re.Pattern[str], ...]:
    """A pattern for each of ``strings``: the regex engine finds a string faster than a class."""
    return tuple(re.compile(re.escape(string)) for string in strings)


# --- quoted spans: where they are and what surrounds them -----------------------

#: The longest quoted content looked at; longer quotes are speech.
_MAX_QUOTE = 60
#: Quote pairs with distinct marks, each found on its own so that nested quotes are seen too.
_QUOTES = tuple(
    re.compile(rf"{o}([^{o}{c}\n]{{1,{_MAX_QUOTE}}}){c}") for o, c in ("“”", "「」", "‘’")
)
_ASCII_QUOTE = re.compile('"')
#: What joins the quotes of a run, which share their context: “扫黄”、“打非”.
_LIST_JOINS = frozenset({"", "、", "，", ",", "和", "与", "及", "或"})
#: How many characters of context each side of a quote (or a run of quotes) are read.
_CONTEXT = 8

#: Content that is a sentence, a title or a nested citation, never a slogan.
_NOT_CONTENT = re.compile(r"[。！？!?《》“”‘’]|——|^关于")
#: Names of ships, spacecraft, firms, groups and treaties, by their ending: “辽宁舰”, “90后”.
_NAME_CONTENT = re.compile(
    r"(?:(?<!字)号|舰|公司|集团|大学|学院|银行|医院|日报|杂志|卫星|飞船|队|壮士|组织|委员会|协会|病毒"
    r"|宣言|公告|条约|协定|公报|关系法)$|^论|^\d+后$"
)
#: Colloquial speech, doggerel and questions: “洗碗越多，摔碗越多”, “搬到哪里去”.
_COLLOQUIAL = re.compile(r"[了越吗呢吧啊嘛啥咋]|什么|怎么|哪里|哪儿|为了|宁可|不想|只想|无论")
_SEPARATORS = re.compile(r"[、，；,;]")
#: Endings that make a long quoted phrase the name of a programme or campaign.
_NAME_ENDING = re.compile(
    r"(?:计划|工程|行动|活动|战略|规划|年|先锋|标兵|能手|模范|示范|经验|制度|机制|改革|革命|精神"
    r"|理论|思想|原则|方针|政策)$"
)


def _ending(words: str) -> re.Pattern[str]:
    """A pattern for context before a quote: one of ``words`` right before the mark."""
    return re.compile(rf"(?:{words})\s*$")


def _opening(words: str) -> re.Pattern[str]:
    """A pattern for context after a quote: one of ``words`` right after the mark."""
    return re.compile(rf"\s*(?:{words})")


#: Context that decides against a quote, whatever its content: speech and names.
_SPEECH_BEFORE = _ending(r"[：:]|(?<![来所听据])(?:说|说过|说道|写道|问道|曰|云)[，,]?")
_SPEECH_AFTER = _opening("[！!？?]")  # “为热干面加油”！
#: … but an honour title stays one before an exclamation (称赞志愿军将士为“最可爱的人”！),
#: and is of kind name.
_HONOUR_BEFORE = _ending("(?:誉|称|评|命名|授予|称赞[^，。！？]{0,6})为|授予")
#: … and one that ends like a name is still one after 评为, 授予, 誉为 (not 命名为“福建舰”).
_AWARDED_BEFORE = _ending("评为|授予|誉为|荣获")
_NAME_BEFORE = _ending("航母|舰|飞船|卫星|客轮|轮船|品牌|公司")
_NAME_AFTER = _opening("号|系列|舰|飞船|卫星|客轮|轮船|牌")
#: A place or a product, named in quotes: “云雾岭”生态茶园, “青山红”茶叶品牌. Places that
#: follow campaign names as often (示范小区, 文化广场, 示范园区) are left out, and 品牌 counts
#: only after a product: “红色引擎”党建品牌 and “中国制造”品牌 are campaigns.
_PLACE_AFTER = _opening(
    "[\u4e00-\u9fff]{0,2}(?:茶园|果园|景区|公园|水库|林场|茶场|山庄|湿地|古镇)"
    "|(?:茶叶|茶|大米|农产品|产品|商品|酒|果品|水果|蔬菜|食品)品牌"
)
#: … or a product called so: “数字乡村贷”等金融产品.
_PRODUCT_AFTER = _opening("等(?:金融|信贷|保险)?产品|(?:金融|信贷|保险)产品")
#: … or one that won a prize, named with its kind after it (“桃源云雾”茶获评…) or in it
#: (“青川贡米”获评…): a programme may win one too (“接诉即办”获评…).
_WON_AFTER = _opening("(?P<product>茶叶|茶|大米|米|酒)?(?:获评|荣获)")
_PRODUCT_CONTENT = re.compile("(?:贡米|大米|香米|茶|酒)$")
#: What makes a quoted name a campaign or programme: “星级党支部”创建活动, “头雁培育”工程.
_PROGRAMME_AFTER = _opening("(?:创建|评选|争创|主题)?(?:活动|工程|计划|行动|项目|工作法)")
#: … and a quoted name that ends like a place: 云雾岭, 石门坳, 八角楼 (not 峰: “碳达峰”).
_PLACE_CONTENT = re.compile("^[\u4e00-\u9fff]{1,3}[岭峪坳坪寨屯庄垸塬楼]$")
#: A reduplicated word (轰轰烈烈, 热热闹闹): emphasis or irony, never a formula.
_REDUPLICATED = re.compile(r"^(.)\1(.)\2$")
#: Irony and opponents' words: 所谓“…”, 鼓吹什么“…” (numeric formulas are kept).
_IRONY_BEFORE = _ending(
    "所谓的?|什么|他们所说的|他所说的|口口声声|鼓吹|宣扬|散布|叫嚷|污蔑为|诬蔑为|天天讲|吹|喊"
)
#: Figurative use of a word: 这个“总开关”, “橡皮筋”变成…, “瓶颈”制约.
_FIGURE_BEFORE = _ending(
    "这个|那个|这把|一把|这根|一根|这只|这张|变成|成为|当好|做|是|一声|可以用|像|好比|犹如|如同"
    "|当成|视为|有了|既有|又有|敢于|勇于|善于"
)
#: … and a label worn: “东亚病夫”的帽子.
_FIGURE_AFTER = _opening("变成|作用|制约|一样|似的|般|的?帽子")
#: Cues of a formula: 坚持“…”, 实施了“…”, “…”的方针, “…”主题教育.
_CUE_BEFORE = _ending(
    "(?:坚持|实行|提出|按照|开展|采取|实施|推进|深化|发展|确立|围绕|以|贯彻|落实|推行|推广|总结"
    "|表述为|强调了|明确|树立|增强|做到|解决|建立|纠正|整治|创建|争做|争当|评为|实现|完成|制定"
    "|遵循|秉持|践行|突出|把握|打造|开启|启动|推动|运用|学习|概括为|简称|称为|叫做|搞)(?:了|好)?"
)
_CUE_AFTER = _opening(
    "的?(?:方针|要求|总要求|原则|政策|目标|大局|主题|理论|思想|战略|规划|计划|工程|行动|活动|措施"
    "|基本措施|经验|办法|方略|布局|机制|模式|制度|体系|改革|试点|精神|理念|为主要内容|等形式"
    "|八个字|十六字|口号|号召)"
)

# --- unquoted formulas: shapes ------------------------------------------------


def _not_after(first: str, chars: str) -> str:
    """The one-character pattern ``first`` where it does not follow one of ``chars``.

    The guard is a lookbehind written after the character, not before it: a
    pattern that opens with a character (or a class of them) lets the regex
    engine skip ahead to where it can match, while one that opens with a
    lookbehind is tried at every position of the text.
    """
    return rf"{first}(?<![{chars}].)"


def _after(string: str, chars: str) -> re.Pattern[str]:
    """A pattern for ``string`` where it follows one of ``chars``.

    The guard is a lookbehind written after the string, so that the regex engine
    searches for the string (see :func:`_strings`).
    """
    return re.compile(rf"{re.escape(string)}(?<=[{chars}]{re.escape(string)})")


def _not_after_number(first: str) -> str:
    """The one-character pattern ``first`` where it does not follow a numeral or 第."""
    return _not_after(first, f"{_NUM}第")


#: What may not follow a two-character formula of the lexicon: 三公里, 三保障, 两重性.
_NOT_A_WORD_END = "(?![里斤顷尺寸分障性])"
_CN_DIGIT = "[一二三四五六七八九十]"

#: The start of an alternating shape: two numerals, each before a word (三严三实).
_ALTERNATING = _not_after_number(f"[{_NUM}]") + rf"(?P<x>{_WORD})[{_NUM}](?P<y>{_WORD})"

#: Shapes of unquoted numeric formulas, by name. Counted sets (四个意识) and 双+X
#: come from the lexicon's heads and pairs; see :func:`load_lexicon`. Each opens with
#: a character (class), its guard against a numeral before it written after it.
_SHAPES: Mapping[str, re.Pattern[str]] = {
    # 三严三实, 两学一做, 一带一路, 三去一降一补, 一岗双责 (the x, y groups are checked)
    "alternating": re.compile(_ALTERNATING + rf"(?:[{_NUM}]{_WORD})*"),
    # 两个市场两种资源, 一个国家两种制度: two counts side by side (with 、 they are often plain)
    "paired": re.compile(
        _not_after_number(f"[{_NUM}]")
        + rf"[个种项大条场]{_WORD}{{2}}[{_NUM}][个种项大条场]{_WORD}{{2}}"
    ),
    # 十四五 anywhere (十 then 一 to 四, 五); 九五, 十五 before 规划, 计划, 时期
    "plan": re.compile(
        _not_after_number("[六七八九十]")
        + r"(?:(?<=十)[一二三四]五(?![年个届次岁号%])|五(?=规划|计划|时期|期间))"
    ),
    # 第一个百年奋斗目标, 建军一百年奋斗目标
    "centenary": re.compile(r"(?:第[一二]个|建党|建军|建国|新中国成立)一?百年奋斗目标"),
    # 三步走, 两手抓 (两 then 手抓)
    "steps": re.compile(_not_after_number("[两三四五]") + "(?:步走|(?<=两)手抓)"),
    # 新36条, 国九条 (not 全国, 中国…: 新 or 国 after one of those)
    "articles": re.compile(
        rf"新(?:\d{{1,2}}|{_CN_DIGIT}{{1,3}})条"
        + rf"|{_not_after('新', '全中各我本该外两')}国{_CN_DIGIT}{{1,2}}条"
        + rf"|{_not_after('国', '全中各我本该外两')}{_CN_DIGIT}{{1,2}}条"
    ),
    # 九连增, 十二连增
    "streak": re.compile(
        _not_after("[二三四五六七八九十]", "一二三四五六七八九十")
        + r"[二三四五六七八九十]{0,2}连(?:增|涨|丰|降)"
    ),
    # 互联网+
    "plus": re.compile(r"(?:互联网|人工智能|智能|物联网|大数据|数字|区块链|5G)[+＋]"),
}

#: For a shape whose matches may run on without end, its start: the one pass looks ahead for
#: that (see :func:`_scanner`).
_SHAPE_STARTS: Mapping[str, re.Pattern[str]] = {"alternating": re.compile(_ALTERNATING)}


#: Strings one of which every match of a shape holds (条 and 连, which are common, only after
#: a numeral): a paragraph without any is not searched for the shape. Keep it in step with
#: the shapes above. The shapes without an entry are searched for in one pass, which looks
#: for them only at a numeral (see :func:`_searches`); so is "plan", which that pass costs
#: less than a search of each paragraph with a 五.
_SHAPE_NEEDS: Mapping[str, tuple[re.Pattern[str], ...]] = {
    "centenary": _strings("百年奋斗目标"),
    "steps": _strings("步走", "手抓"),
    "articles": (_after("条", r"\d一二三四五六七八九十"),),
    "streak": (_after("连", "二三四五六七八九十"),),
    "plus": _strings("+", "＋"),
}


# --- the lexicon ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SloganLexicon:
    """The slogan table, read: known slogans and non-slogans, and the patterns made from them.

    ``kinds`` maps a known slogan to its kind; ``stop`` holds known
    non-slogans (metaphors, colloquialisms, idioms). The patterns find, in
    unquoted text, the known numeric formulas (``known``), idioms with
    numerals that block the shapes (``idioms``), counted sets whose head is in
    the table (``counted``: 四个意识, 三大攻坚战) and 双+X formulas (``dual``).
    ``words`` matches wherever ``known`` or ``idioms`` does (and where a short
    formula is part of a longer word); ``first`` holds the characters its matches
    open with (those of the others are numerals).
    """

    source: str
    kinds: Mapping[str, str]
    stop: frozenset[str]
    known: re.Pattern[str] | None
    idioms: re.Pattern[str] | None
    counted: re.Pattern[str] | None
    dual: re.Pattern[str] | None
    words: re.Pattern[str] | None
    first: str


def _compiled(pattern: str, words: Iterable[str]) -> re.Pattern[str] | None:
    """``pattern`` with ``{}`` replaced by the alternation of ``words``; ``None`` without words."""
    choices = alternation((word, "") for word in words)
    return re.compile(pattern.replace("{}", choices)) if choices else None


_TABLES = ("not", "head", "pair")


@cache
def load_lexicon(path: str | None = None) -> SloganLexicon:
    """Read a slogan table; ``None`` reads the shipped ``slogans.tsv``.

    A line that is not ``ENTRY<TAB>KIND`` is an :class:`InputError` naming
    the file and line.
    """
    where = path or data_path("slogans.tsv")
    kinds: dict[str, str] = {}
    tables: dict[str, set[str]] = {name: set() for name in _TABLES}
    for n, fields in read_table(where):
        if len(fields) != 2 or not fields[0] or fields[1] not in (*KINDS, *_TABLES):
            raise InputError(
                f"{where}:{n}",
                f"expected 'ENTRY<TAB>KIND' with KIND one of {', '.join((*KINDS, *_TABLES))}; "
                f"got {chr(9).join(fields)!r}",
            )
        entry, kind = fields
        if kind in tables:
            tables[kind].add(entry)
        else:
            kinds[entry] = kind
    # only numeric formulas are slogans unquoted; 三公 is not in 三公里
    formulas = [entry for entry, kind in kinds.items() if kind == "formula"]
    long = alternation((w, "") for w in formulas if len(w) > 2)
    short = alternation(  # not inside a longer word either: 三孩 of 第三孩, 十三孩童
        (w, _NOT_A_WORD_END + f"(?<![{_NUM}第]{re.escape(w)})") for w in formulas if len(w) <= 2
    )
    known = "|".join(filter(None, (long, short)))
    idioms = [w for w in tables["not"] if _NUMERAL.search(w)]
    return SloganLexicon(
        source=f"slogans lexicon v{lexicon_version(where)}",
        kinds=kinds,
        stop=frozenset(tables["not"]),
        known=re.compile(known) if known else None,
        idioms=_compiled("{}", idioms),
        # 四个意识, 八项规定, 三座大山, 十二个…; 六大林业生态工程 (大 allows a short modifier)
        counted=_compiled(
            _not_after_number("[二三四五六七八九两十]")
            + rf"(?:(?:(?<=十)[一二三四五六七八九])?[个条种座项]|大(?:(?!的){_WORD}){{0,4}}?)"
            + "(?:{})",
            tables["head"],
        ),
        dual=_compiled(_not_after_number("双") + "(?:{})", tables["pair"]),
        words=_compiled("{}", {*formulas, *idioms}),
        first="".join(sorted({w[0] for w in (*formulas, *idioms)})),
    )


# --- judging quoted content -----------------------------------------------------


def _kind(content: str, before: str = "", after: str = "") -> str:
    """The kind of a slogan from its shape, and for a name from its context too: an honour
    (被评为“…”), a campaign or programme (“…”创建活动, “…”工程)."""
    if "+" in content or (_NUMERAL.search(content) and len(content) <= 10):
        return "formula"
    if _SEPARATORS.search(content):
        return "motto"
    named = _NAME_ENDING.search(content) or _HONOUR_BEFORE.search(before)
    return "name" if named or _PROGRAMME_AFTER.match(after) else "term"


def _is_slogan(content: str, before: str, after: str) -> bool:
    """Is quoted ``content``, between the context ``before`` and ``after``, a slogan?"""
    if len(content) < 2 or content.count("的") >= 2 or _NOT_CONTENT.search(content):
        return False  # a label (左, 社), a sentence, a title
    if _NAME_CONTENT.search(content) and not _AWARDED_BEFORE.search(before):
        return False  # a name, but 被评为“先进基层党组织” is an honour
    if _REDUPLICATED.match(content):
        return False
    if _PLACE_CONTENT.match(content) and len(_NUMERAL.findall(content)) < 2:
        return False  # 八角楼, but 百村千寨 is a formula
    if _SPEECH_BEFORE.search(before) and not (_NUMERAL.search(content) and len(content) <= 6):
        return False  # 他说：“…”, but 目标是：“九五”时期…
    if _SPEECH_AFTER.match(after) and not _HONOUR_BEFORE.search(before):
        return False
    if _NAME_BEFORE.search(before) or _NAME_AFTER.match(after):
        return False
    kind = _kind(content, before, after)
    if kind == "formula":
        return True
    won = _WON_AFTER.match(after)
    if won and (won["product"] or _PRODUCT_CONTENT.search(content)):
        return False
    if _PLACE_AFTER.match(after) or _PRODUCT_AFTER.match(after):
        return False
    if _IRONY_BEFORE.search(before):
        return False
    cue = bool(_CUE_BEFORE.search(before) or _CUE_AFTER.match(after))
    if kind == "motto":
        segments = _SEPARATORS.split(content)
        if _COLLOQUIAL.search(content):
            return False
        if len(segments) >= 3 and all(len(s) == 1 for s in segments):
            return True  # 奖、贷、助、补、减、免
        if any(not 2 <= len(s) <= 12 for s in segments):
            return False
        # 、 joins parallel phrases; ， may join the lines of a saying, so it needs a cue
        return cue or set(_SEPARATORS.findall(content)) == {"、"}
    if len(content) >= 8 or _COLLOQUIAL.search(content):
        return cue or kind == "name"
    return cue or not (_FIGURE_BEFORE.search(before) or _FIGURE_AFTER.match(after))


def _shape_ok(match: re.Match[str]) -> bool:
    """Is an alternating shape a formula, not a quantity or an idiom (一年一度, 一前一后)?"""
    x, y = match["x"], match["y"]
    return not (
        {x, y} & (_MEASURES | _FUNCTION)
        or {x, y} <= _DIRECTIONS
        or set(match.group()) & _ROUND
        or match.string[match.end() : match.end() + 1] == "化"  # 长三角一体化
    )


# --- finding --------------------------------------------------------------------

_Found = tuple[int, int, str, str]  # start, end, kind, source


def _quotes(text: str, run: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Content spans of the quotes in a run of paragraphs, in order.

    ASCII ``"`` are paired in turn within each paragraph.
    """
    start, end = run[0][0], run[-1][1]
    found = {m.span(1) for pattern in _QUOTES for m in pattern.finditer(text, start, end)}
    for paragraph in _holding(text, run, (_ASCII_QUOTE,)):
        marks = [m.start() for m in _ASCII_QUOTE.finditer(text, *paragraph)]
        pairs = zip(marks[::2], marks[1::2], strict=False)  # an odd last mark stays unpaired
        found.update((a + 1, b) for a, b in pairs if b - a <= _MAX_QUOTE + 1)
    return sorted(found)


def _find_quoted(text: str, run: Sequence[tuple[int, int]], lex: SloganLexicon) -> Iterator[_Found]:
    """Quoted slogans in a run of paragraphs.

    A run of quotes (“老好人”、“太平官”) shares its context, read within their paragraph
    (quotes in two paragraphs are never one run: a line break lies between them).
    """
    quotes = _quotes(text, run)
    first = list(range(len(quotes)))  # the first quote of each one's run
    for i in range(1, len(quotes)):
        if text[quotes[i - 1][1] + 1 : quotes[i][0] - 1] in _LIST_JOINS:
            first[i] = first[i - 1]
    last = list(range(len(quotes)))  # the last quote of each one's run
    for i in range(len(quotes) - 2, -1, -1):
        if first[i + 1] == first[i]:
            last[i] = last[i + 1]
    for i, (qa, qb) in enumerate(quotes):
        raw = text[qa:qb]
        if not raw.strip():
            continue
        a, b = qa + len(raw) - len(raw.lstrip()), qb - len(raw) + len(raw.rstrip())
        content = _fold(text[a:b])
        known = lex.kinds.get(content)
        if known is not None:
            yield a, b, known, lex.source
            continue
        ra, rb = quotes[first[i]][0], quotes[last[i]][1]
        start, end = run[bisect.bisect_right(run, ra, key=itemgetter(0)) - 1]  # their paragraph
        before = text[max(start, ra - 1 - _CONTEXT) : ra - 1]
        after = text[rb + 1 : min(end, rb + 1 + _CONTEXT)]
        if content not in lex.stop and _is_slogan(content, before, after):
            yield a, b, _kind(content, before, after), VERSION


@dataclass(frozen=True, slots=True)
class _Search:
    """A pattern searched for in unquoted text, with the priority and source of its matches.

    An idiom (priority -1, no source) blocks what it overlaps and is not emitted;
    ``needs``, where given, finds the strings one of which every match holds: a
    paragraph without any is skipped. ``start``, where given, is what the scanner
    looks ahead for instead of the pattern: it matches wherever the pattern does,
    within a bounded length where the matches may run on without end, or for
    several searches at once (the lexicon's words).
    """

    pattern: re.Pattern[str]
    priority: int
    source: str
    needs: tuple[re.Pattern[str], ...] = ()
    start: re.Pattern[str] | None = None


@dataclass(frozen=True, slots=True)
class _Searches:
    """What :func:`_find_unquoted` searches for: the patterns of ``lex`` and the shapes.

    Those that need nothing (``common``) are searched everywhere, all in one pass
    of ``scanner`` (see :func:`_scanner`); the others (``gated``) in the
    paragraphs that hold what they need.
    """

    lex: SloganLexicon
    common: tuple[_Search, ...]
    scanner: re.Pattern[str]
    gated: tuple[_Search, ...]


@cache
def _searches(lexicon: str | None) -> _Searches:
    """What :func:`_find_unquoted` searches for with the lexicon at ``lexicon``.

    The common searches open with a numeral (the shapes, ``counted`` and ``dual``)
    or with one of ``lex.first`` (the lexicon's words): the scanner looks for them
    only there.
    """
    lex = load_lexicon(lexicon)
    searches = [
        _Search(pattern, priority, source, start=start)
        for pattern, priority, source, start in (
            (lex.idioms, -1, "", lex.words),
            (lex.known, 0, lex.source, lex.words),
            (lex.counted, 1, VERSION, None),
            (lex.dual, 1, VERSION, None),
        )
        if pattern is not None
    ]
    searches.extend(
        _Search(pattern, 1, VERSION, _SHAPE_NEEDS.get(name, ()), _SHAPE_STARTS.get(name))
        for name, pattern in _SHAPES.items()
    )
    common = tuple(search for search in searches if not search.needs)
    gated = tuple(search for search in searches if search.needs)
    return _Searches(lex, common, _scanner(common, _NUM + re.escape(lex.first)), gated)


def _scanner(searches: Iterable[_Search], first: str) -> re.Pattern[str]:
    """A pattern that matches the first character of every match of one of ``searches``.

    It opens with the class ``first``, which holds every character their matches
    open with, so that the regex engine skips ahead to those; a lookbehind over
    the character then looks ahead from it for any of the searches. One pass with
    it finds every place where a pass per search finds a match. It looks ahead for
    the start of a search where one is given: matches that run on would be read
    again from each place inside them, which would make the pass quadratic. A
    start shared by searches is looked for once: the lexicon's words are one
    alternation, grouped by their first character, not two. All is one lookahead,
    as each costs time at every place the class finds.
    """
    ahead = dict.fromkeys((search.start or search.pattern).pattern for search in searches)
    return re.compile(f"[{first}](?<=(?={'|'.join(ahead)}).)")


def _scanned(
    text: str, start: int, end: int, searches: _Searches
) -> Iterator[tuple[_Search, re.Match[str]]]:
    """The matches of the common searches in ``text[start:end]``, as ``finditer`` finds them.

    Each search is matched at each place the scanner finds, unless its last match
    runs over it: every place where it matches is one of those.
    """
    resume = [start] * len(searches.common)
    for place in searches.scanner.finditer(text, start, end):
        at = place.start()
        for k, search in enumerate(searches.common):
            if at >= resume[k] and (m := search.pattern.match(text, at, end)) is not None:
                resume[k] = m.end()
                yield search, m


def _gated(
    text: str, run: Sequence[tuple[int, int]], searches: _Searches
) -> Iterator[tuple[_Search, re.Match[str]]]:
    """The matches of the gated searches in the paragraphs of a run that hold what they need."""
    for search in searches.gated:
        for start, end in _holding(text, run, search.needs):
            for m in search.pattern.finditer(text, start, end):
                yield search, m


def _holding(
    text: str, run: Sequence[tuple[int, int]], patterns: Iterable[re.Pattern[str]]
) -> list[tuple[int, int]]:
    """The paragraphs of a run that hold a match of one of ``patterns``.

    The patterns match no whitespace, so each match is found inside a paragraph;
    the search for the next one goes on from the end of that paragraph.
    """
    start, end = run[0][0], run[-1][1]
    held: set[int] = set()
    for pattern in patterns:
        m = pattern.search(text, start, end)
        while m is not None:
            k = bisect.bisect_right(run, m.start(), key=itemgetter(0)) - 1
            held.add(k)
            m = pattern.search(text, max(run[k][1], m.end()), end)
    return [run[k] for k in sorted(held)]


def _find_unquoted(
    text: str, run: Sequence[tuple[int, int]], searches: _Searches
) -> Iterator[_Found]:
    """Numeric formulas of the lexicon and of known shapes, leftmost-longest, without overlaps.

    They are searched for in a run of paragraphs (see :func:`_runs`).
    """
    start, end = run[0][0], run[-1][1]
    found: list[tuple[int, int, int, str]] = []  # start, -length, priority, source
    for search, m in chain(_scanned(text, start, end, searches), _gated(text, run, searches)):
        if search.pattern is _SHAPES["alternating"] and not _shape_ok(m):
            continue
        if search.pattern is searches.lex.counted and text[m.end() : m.end() + 1] in ("：", ":"):
            continue  # a lead-in that announces a list: 把握三条原则：
        found.append((m.start(), -len(m.group()), search.priority, search.source))
    taken = start
    for s, minus_length, _, source in sorted(found):
        if s >= taken:
            taken = s - minus_length
            if source:
                yield s, taken, "formula", source


def _merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans merged where they overlap, in order."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(b, out[-1][1]))
        else:
            out.append((a, b))
    return out


def _overlaps(merged: list[tuple[int, int]], found: _Found) -> bool:
    """Does ``found`` overlap one of the ``merged`` spans? (Binary search.)"""
    k = bisect.bisect_right(merged, (found[1],))  # spans that start before ``found`` ends
    return k > 0 and merged[k - 1][1] > found[0]


def _runs(text: str, paragraphs: Iterable[tuple[int, int]]) -> Iterator[list[tuple[int, int]]]:
    """The paragraphs in runs, each searched for quotes and formulas as one stretch of text.

    A paragraph joins the run before it where a line break ends that one and only
    whitespace lies between them. No search matches a line break or opens with
    whitespace (a quote opens with its mark, the lexicon's entries are stripped, the
    shapes open with a numeral or a word), and no lookahead of theirs matches a line
    break: so no match crosses the break or begins after it, and a lookahead reads
    the break as it would the paragraph's end. Searched as one, a run yields the
    matches of its paragraphs, without the cost of a search per paragraph.
    """
    run: list[tuple[int, int]] = []
    last = -1  # where the run's last paragraph ends
    for start, end in paragraphs:
        if run and not (last < start and text[last] == "\n" and text[last:start].isspace()):
            yield run
            run = []
        run.append((start, end))
        last = end
    if run:
        yield run


def _paragraphs(doc: Document) -> list[tuple[int, int]]:
    """The paragraphs to search: layout's less front and back matter; without layout, every line."""
    if not doc.paragraphs:
        return list(paragraph_bounds(doc.text))
    return [(p.start, p.end) for p in doc.paragraphs if p.get("role") not in _SKIP_ROLES]


def extract_slogans(doc: Document, lexicon: str | None = None) -> dict[str, tuple[Span, ...]]:
    """The ``slogans`` layer of ``doc``: quoted and unquoted slogans, in text order.

    ``lexicon`` is the path of a slogan table in the format of the shipped
    ``slogans.tsv`` (the default).

    >>> from policytext.document import Document
    >>> doc = Document("统筹推进“五位一体”总体布局，协调推进四个全面战略布局，落实八项规定精神。")
    >>> [(s["text"], s.source) for s in extract_slogans(doc)["slogans"]]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('五位一体', 'slogans lexicon v2'), ('四个全面', 'slogans lexicon v2'),
     ('八项规定', 'slogans lexicon v2')]
    """
    searches = _searches(lexicon)
    lex = searches.lex
    text = doc.text
    spans: list[Span] = []
    for run in _runs(text, _paragraphs(doc)):
        quoted = list(_find_quoted(text, run, lex))
        marks = _merged((a - 1, b + 1) for a, b, _, _ in quoted)  # quotes with their marks
        unquoted = [
            f for f in _find_unquoted(text, run, searches) if not marks or not _overlaps(marks, f)
        ]
        for group, is_quoted in ((quoted, True), (unquoted, False)):
            for a, b, kind, source in group:
                attrs = {"text": _fold(text[a:b]), "quoted": is_quoted}
                spans.append(Span(a, b, kind, source, attrs))
    return {"slogans": tuple(sorted(spans, key=lambda s: (s.start, s.end)))}


def count_slogans(docs: Iterable[Document], lexicon: str | None = None) -> Counter[str]:
    """How many documents each slogan occurs in: the start of a lexicon a researcher can grow.

    A document's ``slogans`` layer is used where it has one; otherwise it is extracted.

    >>> from policytext.document import Document
    >>> docs = [Document("坚持“两学一做”。"), Document("推进两学一做，纠正四风，落实两学一做。")]
    >>> sorted(count_slogans(docs).items())
    [('两学一做', 2), ('四风', 1)]
    """
    counts: Counter[str] = Counter()
    for doc in docs:
        spans = doc.slogans or extract_slogans(doc, lexicon)["slogans"]
        counts.update({str(span.get("text", doc.text_of(span))) for span in spans})
    return counts
