"""Layout: paragraphs, headings, sentences, front and back matter, boilerplate.

A paragraph is a non-blank line; its indent (spaces, U+3000) stays outside
its span. Sentences tile each paragraph. Front matter (title, date, authors,
source; the offices above an official document's title) is read from the
first lines, back matter (author note, editor, source, signing offices and
their date, closing formulas, an official document's attachments and contact
line) from the last; a repeat of the title, byline, date or source is
recognised as a repeat.

```pycon
>>> text = "基本做法\\n　　一是强化组织领导。市委高度重视（召开会议。）\\n（作者系通辽市委常委）"
>>> layers = layout(text)
>>> [(text[p.start:p.end][:6], p["role"]) for p in layers["paragraphs"]]
[('基本做法', 'heading'), ('一是强化组织', 'body'), ('（作者系通辽', 'back')]
>>> [text[s.start:s.end] for s in layers["sentences"]][1:3]
['一是强化组织领导。', '市委高度重视（召开会议。）']
>>> [(f.label, f["value"]) for f in layers["front_matter"]]
[('author_note', '通辽市委常委')]

```
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from itertools import pairwise

from policytext.document import Span, SpanArray
from policytext.lexicon import heading_function

__all__ = ["OUTLINE_START", "SALUTATION", "SOURCE", "layout", "paragraph_bounds", "sentence_bounds"]

SOURCE = "layout rules v2"

_CJK_NUM = "一二三四五六七八九十"

#: A numbered outline title at a line's start: 一、 （一） (一) 第一，
OUTLINE_START = re.compile(
    rf"(?:[{_CJK_NUM}]{{1,3}}、|[（(][{_CJK_NUM}]{{1,3}}[）)]|第[{_CJK_NUM}]{{1,3}}[，,、])"
)

# --- sentences ---------------------------------------------------------------

_PAIRS = {
    "“": "”", "‘": "’", "「": "」", "『": "』", "《": "》", "（": "）", "(": ")",
    "【": "】", "〔": "〕", "［": "］", "[": "]", "〈": "〉", "{": "}",
}  # fmt: skip
_BRACKETS = re.compile("[" + re.escape("".join(_PAIRS) + "".join(_PAIRS.values())) + "]")
_TRAILERS = "”’」』》）)】〕］]〉}\"'"
#: A sentence end: a terminal (or an ASCII full stop before a space or the end, not after
#: a digit), then more terminals, closing quotes and brackets, and spaces. (Written to open
#: with a character class, which the regex engine scans for fast; the lookbehinds then
#: reject the full stops that end nothing.)
_SENTENCE_END = re.compile(
    rf"[。！？；!?;….](?<!\d\.)(?<=[^.]|\.(?=\s|$))[。！？；!?;…{re.escape(_TRAILERS)}\s]*"
)
_OPENER = re.compile("[" + re.escape("".join(_PAIRS)) + "]")
#: How far back an unmatched closer looks for its opener before it is ignored.
_MAX_NESTING = 8


def _protected(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The stretches of ``text[start:end]`` inside matched brackets or quotes, in order."""
    regions: list[tuple[int, int]] = []
    first = _OPENER.search(text, start, end)
    if first is None:  # no pair opens (most paragraphs); closers before an opener close nothing
        return regions
    stack: list[tuple[str, int]] = []
    for found in _BRACKETS.finditer(text, first.start(), end):
        ch, i = found.group(), found.start()
        if ch in _PAIRS:
            stack.append((_PAIRS[ch], i))
            if len(stack) > 4 * _MAX_NESTING:  # runaway openers: forget the oldest
                del stack[0]
            continue
        for k in range(len(stack) - 1, max(-1, len(stack) - 1 - _MAX_NESTING), -1):
            if stack[k][0] == ch:
                opened = stack[k][1]
                del stack[k:]
                while regions and regions[-1][0] > opened:  # swallowed by this pair
                    regions.pop()
                regions.append((opened + 1, i))
                break
    return regions


def _cuts(text: str, start: int, end: int) -> list[int]:
    """Where the sentences of ``text[start:end]`` end, short of ``end`` itself."""
    cuts: list[int] = []
    regions: list[tuple[int, int]] | None = None  # found at the first cut (many lines have none)
    r = 0
    for found in _SENTENCE_END.finditer(text, start, end):
        if found.end() == end:
            break  # the last sentence's end
        if regions is None:
            regions = _protected(text, start, end)
        at = found.start()
        while r < len(regions) and regions[r][1] <= at:
            r += 1
        if r < len(regions) and regions[r][0] <= at:
            continue  # inside brackets or quotes
        cuts.append(found.end())
    return cuts


def sentence_bounds(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence boundaries that tile ``text[start:end]``.

    Sentences end at 。！？；… (and ``!?;``), with closing quotes and brackets
    kept; they never end inside “…”, 《…》 or brackets.

    ```pycon
    >>> t = "他说：“要坚持。”我们照做了！对吗?"
    >>> [t[a:b] for a, b in sentence_bounds(t)]
    ['他说：“要坚持。”我们照做了！', '对吗?']

    ```
    """
    end = len(text) if end is None else end
    if start >= end:
        return []
    return list(pairwise([start, *_cuts(text, start, end), end]))


# --- paragraphs --------------------------------------------------------------

#: A non-blank line, from its first to its last non-space character (``\S`` is what
#: ``str.strip`` keeps, so this is each line stripped, found in one scan).
_PARAGRAPH = re.compile(r"\S(?:[^\n]*\S)?")


def paragraph_bounds(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each non-blank line, without its leading and trailing whitespace.

    ```pycon
    >>> list(paragraph_bounds("　　一是。\\n\\n  二是。 \\n"))
    [(2, 5), (9, 12)]

    ```
    """
    return (found.span() for found in _PARAGRAPH.finditer(text))


# --- front and back matter ---------------------------------------------------

_YEAR = r"(?:\d{4}|[〇零一二三四五六七八九]{4})"
_MD = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
DATE = re.compile(
    rf"(?P<y>{_YEAR})(?:年(?P<m>{_MD})月(?P<d>{_MD})日|[-/.](?P<m2>\d{{1,2}})[-/.](?P<d2>\d{{1,2}}))"
)
_NAME = r"[\u4e00-\u9fff·]{2,5}"
_SPACED_NAME = r"[\u4e00-\u9fff](?:[ \u3000]+[\u4e00-\u9fff]){1,3}"
_POSITION = (
    r"(?:国务院(?:代)?总理|总理|国家主席|总书记"
    r"|(?:中共)?[\u4e00-\u9fff×]{0,8}?(?:省|市|县|区|州|盟|旗|镇|乡|村|街道)(?:委|党委|党工委|党支部)?"
    r"(?:副)?书记"
    r"|[\u4e00-\u9fff×]{0,8}?(?:副)?(?:省|市|县|区|州|盟|旗|镇|乡|村)长|街道办事处主任"
    r"|[\u4e00-\u9fff]{0,24}?(?:局长|主任|部长|处长|院长|校长|厅长|主席|董事长|总经理))"
)

#: A position and the name of who holds it: 国务院总理　李强, …局局长  赵志刚.
_POSITION_AUTHOR = re.compile(rf"(?:{_POSITION})[ \u3000]*(?P<v>{_NAME}|{_SPACED_NAME})")
#: Front- and back-matter lines: pattern → label. The group ``v`` holds the value.
_FIELD_LINES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"[□■◎●]\s*(?P<v>{_NAME})"), "author"),
    (
        re.compile(
            r"[（(]?(?:作者|文|记者|撰文|撰稿|通讯员|执笔|报告人|述职人|汇报人)\s*[：:/／]\s*"
            r"(?P<v>[^：:（）()]{2,30})[）)]?"
        ),
        "author",
    ),
    (
        re.compile(rf"[（(]?(?:记者|通讯员)\s*(?P<v>{_NAME}(?:[ 、\u3000]+{_NAME})*)[）)]?"),
        "author",
    ),
    (_POSITION_AUTHOR, "author"),
    (re.compile(rf"(?P<v>{_SPACED_NAME})"), "author"),
    (re.compile(r"[（(]?作者(?:系|为|是|单位[：:])(?P<v>.+?)[）)]?"), "author_note"),
    (re.compile(r"[（(【\[]?\s*责任编辑\s*[：:]?\s*(?P<v>.+?)\s*[）)】\]]?"), "editor"),
    (re.compile(r"[（(]?(?:来源|稿源|出处|来自)\s*[：:]\s*(?P<v>.+?)[）)]?"), "source"),
)
_DATE_AUTHOR = re.compile(
    rf"(?P<date>{DATE.pattern})[ \u3000]*(?P<v>(?!星期|礼拜|周[一二三四五六日天]){_NAME})"
)
#: A date as a byline gives it: after 发布日期：, before a weekday and a time of day.
_BYLINE_DATE = re.compile(
    rf"(?:(?:发布|发表|更新)?(?:日期|时间)[：:]\s*)?(?P<date>{DATE.pattern})"
    r"(?:\s*(?:星期|礼拜|周)[一二三四五六日天])?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
)
#: Where a byline holding several fields is cut: gaps and the keys of its fields.
_BYLINE_CUT = re.compile(
    r"[ \u3000]*\u3000[ \u3000]*|[ ]{2,}|[ ]*(?=【)|[ ]*(?<!【)(?=(?:来源|稿源|作者|记者|通讯员"
    r"|浏览次数|点击数|阅读数|发布日期|发布时间|责任编辑)[：: ])"
)
_LONGEST_BYLINE = 120
#: A counter in a byline, read and dropped: 浏览次数：1024.
_COUNTER = re.compile(r"(?:浏览次数|点击数|点击量|阅读数|浏览量)[：:]\s*\d*")
#: The office that signs a report, on the line before its closing date.
_SIGNATURE = re.compile(
    r"[\u4e00-\u9fff×Ｘ（）()]{2,30}(?:局|委|办|室|部|厅|院|处|政府|委员会|办公室|党委|党组|党支部|中心"
    r"|中央)"
)
_SUBTITLE = re.compile(r"[—－-]{1,2}.+")
_POSITION_LINE = re.compile(rf"{_POSITION}")
#: A salutation to the audience: 各位代表：, 同志们！
SALUTATION = re.compile(
    r"(?:各位代表|同志们|代表们|各位委员|同志们、朋友们|女士们、先生们)[ \u3000]*[：:！!]"
)
#: A web page's controls, one or several on a line: 打印本页　关闭窗口, 【打印】【关闭】.
_CONTROL = (
    r"(?:下载|打印(?:本页|此页|本文)?|关闭(?:本页|窗口)?|收藏(?:本页|本文)?|分享|返回(?:顶部|首页)"
    r"|【(?!责任编辑|编辑|来源|作者)[^】]{1,8}】)"
)
#: Closing lines, back matter with no field: a report's or a speech's closing formula, an
#: official document's publication note, copy list and contact line.
_CLOSING = re.compile(
    r"(?:以上(?:报告|汇报|述职报告)[，,]?请?予?(?:审议|评议|审阅)|特此(?:报告|说明)|谢谢(?:大家)?)[。！!]?"
    r"|[（(]此件[^）)]{2,8}[）)]|抄送[：:].*|(?:联系人|联系电话|联系方式|电话|传真|邮箱)[：:].*"
)
#: The offices that issue a document, on one line: 中共××省委　××省人民政府.
_ISSUERS = re.compile(rf"{_SIGNATURE.pattern}(?:[ \u3000]+{_SIGNATURE.pattern})*")
#: An official document's title (关于…的通知) and its attachments (附件：1.…, then 2.…).
_DOCUMENT_TITLE = re.compile(r"关于.{2,60}(?:意见|通知|方案|决定|办法|报告|批复|函|规定|细则|请示)")
_ATTACHMENT = re.compile(r"附\s*件\s*\d*\s*[：:][^。]*")
_ATTACHMENT_ITEM = re.compile(r"[0-9０-９]{1,2}[.．、][^。]{1,60}")
_BOILERPLATE = re.compile(
    rf"(?:{_CONTROL}(?:[\s|｜/]*{_CONTROL})*|分享到[：:]?.*|字体[：:]?\s*大\s*中\s*小.*"
    r"|【?字号\s*大\s*中\s*小】?|扫一扫.*|上一篇.*|下一篇.*|相关(?:链接|新闻|阅读).*"
    r"|(?:点击|浏览)(?:数|量|次数)?[：:]\s*\d*|编辑[：:]\s*\S{0,8}|Public domain|false|true)"
)
#: A line that opens the licence block at the end of Wikisource texts.
_LICENCE = re.compile(r"(?:本作品|此作品|版权失效模板)")
_MAX_FRONT = 10  # front matter is read from at most this many first paragraphs
_COLLAPSED = 400  # a first line longer than this in a one-line text holds the front matter


def _iso(match: re.Match[str]) -> str:
    """``2012年12月27日`` / ``二〇一二年十二月二十七日`` / ``2012-12-27`` → ``2012-12-27``."""
    import cn2an  # 0.1 s to import: only when a date is found

    y = int(cn2an.cn2an(match["y"], "smart"))
    m = match["m"] or match["m2"]
    d = match["d"] or match["d2"]
    return f"{y:04d}-{int(cn2an.cn2an(m, 'smart')):02d}-{int(cn2an.cn2an(d, 'smart')):02d}"


def _squash(name: str) -> str:
    return re.sub(r"[ \u3000]+", "", name)


class _Fields:
    """Front- and back-matter spans, recognising repeats of what was already marked."""

    def __init__(self) -> None:
        self.spans: list[Span] = []
        self.seen: dict[str, str] = {}  # value → label of its first mark

    def add(self, start: int, end: int, label: str, value: str) -> None:
        first = self.seen.get(value)
        if first is not None and (label in ("title", "author") or label == first):
            self.spans.append(Span(start, end, "repeat", SOURCE, {"of": first, "value": value}))
            return
        self.seen.setdefault(value, label)
        self.spans.append(Span(start, end, label, SOURCE, {"value": value}))


_Field = tuple[int, int, str, str]  # start, end, label, value


def _fields_of(text: str, start: int, end: int) -> list[_Field] | None:
    """The fields of ``text[start:end]`` if it is wholly one front- or back-matter field
    (a date and an author may share it); else None."""
    line = text[start:end]
    found = _DATE_AUTHOR.fullmatch(line)
    if found:
        return [
            (start + found.start("date"), start + found.end("date"), "date", _iso(found)),
            (start + found.start("v"), start + found.end("v"), "author", found["v"]),
        ]
    found = DATE.fullmatch(line.strip("（）() \u3000"))
    if found:
        offset = start + line.index(found.group())
        return [(offset + found.start(), offset + found.end(), "date", _iso(found))]
    for pattern, label in _FIELD_LINES:
        found = pattern.fullmatch(line)
        if found:
            value = found["v"].strip()
            at = start + found.start("v")
            if label != "author":
                return [(at, at + len(value), label, value)]
            return [
                (at + name.start(), at + name.end(), label, _squash(name.group()))
                for name in re.finditer(rf"{_SPACED_NAME}|[^、，,;；\s]+", value)
            ]
    return None


def _byline_fields(text: str, start: int, end: int) -> list[_Field] | None:
    """The fields of a byline that holds several (``2021-06-15 09:32　来源：…　作者：…``),
    cut at its gaps and keys; None unless every piece is a field, a date or a counter."""
    if end - start > _LONGEST_BYLINE:
        return None
    found: list[_Field] = []
    cuts = [m.span() for m in _BYLINE_CUT.finditer(text, start, end)]
    pieces = zip([start, *(b for _, b in cuts)], [*(a for a, _ in cuts), end], strict=True)
    for s, e in pieces:
        if s == e or _COUNTER.fullmatch(text, s, e) or _BOILERPLATE.fullmatch(text, s, e):
            continue
        date = _BYLINE_DATE.fullmatch(text, s, e)
        if date is not None:
            found.append((date.start("date"), date.end("date"), "date", _iso(date)))
            continue
        piece = _fields_of(text, s, e)
        if piece is None:
            return None
        found.extend(piece)
    return found if cuts and found else None


def _line_fields(text: str, start: int, end: int) -> list[_Field] | None:
    """The fields of a line that is wholly front- or back-matter fields (one, or a byline
    of several); else None."""
    return _fields_of(text, start, end) or _byline_fields(text, start, end)


def _issuers(text: str, start: int, end: int) -> list[_Field]:
    """The offices on a line of issuers (中共××省委　××省人民政府), each an author."""
    return [(*m.span(), "author", m.group()) for m in _SIGNATURE.finditer(text, start, end)]


# --- headings ----------------------------------------------------------------

_PUNCT = re.compile(r"[。，；：！？,;:!?]")
#: Numbered titles besides the outline's: a speech's parts, Word-style arabic titles.
_PART_TITLE = re.compile(rf"第[{_CJK_NUM}]{{1,3}}(?:个问题|部分)")
_ARABIC_TITLE = re.compile(r"[0-9０-９]{1,2}[、.．](?![0-9０-９])")
_NUMBERING = re.compile(
    f"{OUTLINE_START.pattern}|{_PART_TITLE.pattern}[：:，,]?|{_ARABIC_TITLE.pattern}"
)
#: What makes a short line before a colon a lead-in rather than a section title.
_LEAD_IN = re.compile(
    r".{9}|[有是为给带了]|以下|如下|取得|形成|得出|[一二三四五六七八九十两几0-9][个点条项种大方]"
)
_LONGEST_HEADING = 60  # no longer line is a heading (an unnumbered one is at most 20 long)


def _heading(text: str, bounds: list[tuple[int, int]], k: int, sentences: int) -> Span | None:
    """The heading paragraph ``k`` is, if it stands alone as a title."""
    start, end = bounds[k]
    if end - start > _LONGEST_HEADING:
        return None
    line = text[start:end]
    numbered = OUTLINE_START.match(line)
    if numbered:
        if sentences == 1:
            level = 2 if line[0] in "（(第" else 1
            return Span(start, end, "outline", SOURCE, _function_attrs(line, level))
        return None
    if _PART_TITLE.match(line) and sentences == 1 and line[-1] not in _FINISHED:  # 第一个问题：…
        return Span(start, end, "outline", SOURCE, _function_attrs(line, 1))
    if (  # 1、加强理论学习，提高政治素养: a title between bodies, not a list of one-line items
        _ARABIC_TITLE.match(line)
        and sentences == 1
        and line[-1] not in _FINISHED
        and line[-1] not in "，,、"  # a line broken mid-sentence
        and 0 < k < len(bounds) - 1
        and not any(_ARABIC_TITLE.match(text, bounds[j][0]) for j in (k - 1, k + 1))
    ):
        return Span(start, end, "outline", SOURCE, _function_attrs(line, 3))
    # a section title may end with a colon on its own line (经验启示：), a lead-in does not
    # name one (带给我们三点启示：, 主要有四点启示：)
    title = line.rstrip("：:")
    if title != line and not _LEAD_IN.search(title) and heading_function(title, contains=False):
        return Span(start, end, "section", SOURCE, _function_attrs(title, 1))
    if len(line) > 20 or _PUNCT.search(line):
        return None
    if heading_function(line, contains=False):
        return Span(start, end, "section", SOURCE, _function_attrs(line, 1))
    # an unnumbered title: a short line of words between two finished paragraphs
    # (a stray line break mid-sentence leaves the previous paragraph unfinished)
    if 0 < k < len(bounds) - 1 and len(_HAN.findall(line)) >= 4:
        previous_end = text[bounds[k - 1][1] - 1]
        following = bounds[k + 1][1] - bounds[k + 1][0]
        if previous_end in _FINISHED and following > 2 * len(line):
            return Span(start, end, "section", SOURCE, _function_attrs(line, 1))
    return None


_HAN = re.compile(r"[\u4e00-\u9fff]")
_FINISHED = frozenset("。！？；：:!?;…”’」』）)")


def _function_attrs(line: str, level: int) -> dict[str, object]:
    attrs: dict[str, object] = {"level": level}
    numbering = _NUMBERING.match(line)  # not read as the title: 第一个问题 names no problem
    function = heading_function(line[numbering.end() if numbering else 0 :])
    if function is not None:
        attrs["function"] = function
    return attrs


# --- the stage ---------------------------------------------------------------


def _is_title(line: str) -> bool:
    return len(line) <= 50 and not re.search(r"[。！？；：:]$", line) and not SALUTATION.match(line)


def _front_matter(text: str, units: list[tuple[int, int]], fields: _Fields) -> list[str]:
    """Mark the front matter in the first ``units``; the role of each unit up to the body."""
    roles: list[str] = []
    after_position = False
    for k, (s, e) in enumerate(units):
        line = text[s:e]
        if (  # the offices that issue an official document, on the line above its title
            _ISSUERS.fullmatch(line)
            and k + 1 < len(units)
            and _DOCUMENT_TITLE.fullmatch(text, *units[k + 1])
        ):
            for field in _issuers(text, s, e):
                fields.add(*field)
            roles.append("front")
            continue
        if after_position and re.fullmatch(rf"{_NAME}|{_SPACED_NAME}", line):
            fields.add(s, e, "author", _squash(line))  # 国务院总理 / 李 强 on two lines
            roles.append("front")
            after_position = False
            continue
        position_line = _POSITION_LINE.fullmatch(line.strip()) is not None
        positioned = position_line or _POSITION_AUTHOR.fullmatch(line)
        if positioned and "title" not in fields.seen.values() and _is_title(line):
            fields.add(s, e, "title", line)  # 校长寄语, 永远的县委书记焦裕禄: a title first
            roles.append("front")
            after_position = False
            continue
        after_position = position_line
        if SALUTATION.fullmatch(line):
            roles.append("salutation")
            break
        found = _line_fields(text, s, e)
        if found is not None:
            for field in found:
                fields.add(*field)
        elif _SUBTITLE.fullmatch(line) and fields.spans and len(line) <= 80:
            fields.spans.append(Span(s, e, "subtitle", SOURCE, {"value": line.lstrip("—－-")}))
        elif position_line:
            pass
        elif (
            _is_title(line)
            and not OUTLINE_START.match(line)
            and heading_function(line, contains=False) is None
        ):
            if line in fields.seen or "title" not in fields.seen.values():
                fields.add(s, e, "title", line)
            elif fields.spans and fields.spans[-1].label in ("title", "subtitle"):
                fields.spans.append(Span(s, e, "subtitle", SOURCE, {"value": line}))
            else:
                break
        else:
            break
        date = DATE.search(line)
        if date and "date" not in fields.seen.values():
            fields.add(s + date.start(), s + date.end(), "date", _iso(date))
        roles.append("front")
    return roles


def _head_units(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The head of a collapsed line cut where indents or wide gaps once were line breaks."""
    head_end = min(end, start + _COLLAPSED)
    for unit in re.finditer(r"[^\u3000]+?(?=\u3000|  |$)", text[start:head_end]):
        piece = unit.group().strip()
        if piece:
            s = start + unit.start() + unit.group().index(piece)
            yield s, s + len(piece)


def layout(text: str) -> dict[str, Sequence[Span]]:
    """Paragraphs, headings, sentences and front matter of ``text``, as layers."""
    bounds = list(paragraph_bounds(text))
    roles = ["body"] * len(bounds)
    fields = _Fields()

    # the licence block that closes Wikisource texts, and web boilerplate lines
    licence = next(
        (k for k in range(len(bounds) // 2 + 1, len(bounds)) if _LICENCE.match(text, *bounds[k])),
        len(bounds),
    )
    for k, (s, e) in enumerate(bounds):
        if k >= licence or _BOILERPLATE.fullmatch(text, s, e):
            roles[k] = "boilerplate"

    # front matter: the first lines, up to the first body paragraph
    front = [k for k in range(min(len(bounds), _MAX_FRONT)) if roles[k] != "boilerplate"]
    if len(bounds) <= 2 and bounds and bounds[0][1] - bounds[0][0] > _COLLAPSED:
        # paragraph breaks were lost: read the front matter from the head of the line
        _front_matter(text, list(_head_units(text, *bounds[0])), fields)
    else:
        roles_found = _front_matter(text, [bounds[k] for k in front], fields)
        for k, role in zip(front[: len(roles_found)], roles_found, strict=True):
            roles[k] = role

    # back matter: the last lines before any boilerplate (the offices that sign a report, on
    # the lines before its closing date; an official document's attachments and contact line)
    back: list[list[_Field]] = []  # the fields of each back line, from the last one up
    attached = False  # the lines below are the numbered titles of an attachment list
    k = licence - 1
    dated = False
    while k >= 0 and roles[k] in ("body", "boilerplate") and len(bounds) - k <= _MAX_FRONT:
        s, e = bounds[k]
        if roles[k] == "body":
            found = _line_fields(text, s, e)
            if found is not None:
                dated = any(label == "date" for _, _, label, _ in found)
            elif dated and _ISSUERS.fullmatch(text, s, e):
                found = _issuers(text, s, e)
            elif (item := _ATTACHMENT_ITEM.fullmatch(text, s, e)) or _ATTACHMENT.fullmatch(
                text, s, e
            ):
                attached = attached or item is not None
                found = []
            elif _CLOSING.fullmatch(text, s, e):
                found = []
            else:
                break
            back.append(found)
            roles[k] = "back"
        k -= 1
    if attached and not any(_ATTACHMENT.fullmatch(text, *bounds[j]) for j in range(k + 1, licence)):
        # numbered lines with no 附件 above them are a list of the body, not attachments
        for j in range(k + 1, licence):
            if roles[j] == "back" and _ATTACHMENT_ITEM.fullmatch(text, *bounds[j]):
                roles[j] = "body"
    for found in reversed(back):  # in text order: the first of two equal fields is the one
        for field in found:
            fields.add(*field)

    paragraphs: list[Span] = []
    headings: list[Span] = []
    starts: list[int] = []  # the sentences, which tile each paragraph
    ends: list[int] = []
    for k, (s, e) in enumerate(bounds):
        cuts = _cuts(text, s, e)
        starts.append(s)
        starts.extend(cuts)
        ends.extend(cuts)
        ends.append(e)
        role = roles[k]
        if role == "body" and SALUTATION.fullmatch(text, s, e):
            role = "salutation"
        if role == "body":
            heading = _heading(text, bounds, k, len(cuts) + 1)
            if heading is not None:
                role = "heading"
                headings.append(heading)
        elif role == "front" and any(f.label == "title" and f.start == s for f in fields.spans):
            headings.append(Span(s, e, "title", SOURCE, {"level": 0}))
        paragraphs.append(Span(s, e, "", "", {"role": role}))
    return {
        "front_matter": tuple(sorted(fields.spans, key=lambda f: (f.start, f.end))),
        "paragraphs": tuple(paragraphs),
        "headings": tuple(headings),
        "sentences": SpanArray(starts, ends),
    }
