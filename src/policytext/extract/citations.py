"""Cited documents: the titles in 《…》 and, where the text names it, who issued them.

A citation's span covers the title inside the brackets; ``attrs["title"]``
repeats its text and ``attrs["issuer"]`` holds the ``{start, end}`` of the
issuing body where the text names it just before the title
(…领导小组印发了《…》, 国务院办公厅关于印发《…》的通知, 市委制定了《…》), or
as the subject of an earlier clause of the same sentence where the verb's own
clause has none (市政府成立工作专班，制定出台了《…》).
A title never spans a line or another 《, and is at most :data:`MAX_TITLE`
characters long, so an unclosed 《 cannot run away.

>>> text = "市委组织部印发了《关于加强基层党建的意见》和《实施方案》。"
>>> doc = Document(text)
>>> [(s["title"], doc.text_of(s["issuer"])) for s in extract_citations(doc)["citations"]]
[('关于加强基层党建的意见', '市委组织部'), ('实施方案', '市委组织部')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from policytext.document import Document, Span

__all__ = ["MAX_TITLE", "TITLE", "VERSION", "extract_citations", "title_bounds"]

VERSION = "citations rules v2"

#: The longest title read between 《 and 》; a longer run is taken for an unclosed 《.
MAX_TITLE = 100

#: A title in book-title marks: no line break, no other 《 or 》 inside, bounded length.
TITLE = re.compile(rf"《(?P<title>[^《》\n]{{1,{MAX_TITLE}}})》")

#: How far back from 《 the issuer and its verb are looked for.
_WINDOW = 40

#: Verbs of issuing a document.
_VERBS = (
    "印发|制定|制订|拟定|出台|颁布|发布|下发|公布|转发|批转|修订|审议通过|通过|批准|签署|签订"
    "|发出|颁发|编制|作出|做出|编印|印制|编写|编纂|出版|刊发|编发"
)

_VERB_LIST = tuple(_VERBS.split("|"))

#: Adverbs and auxiliary verbs between an issuer and its verb (中共中央、国务院先后印发了…).
_ADVERBS = (
    "先后|相继|联合|专门|及时|近日|日前|近期|最近|已经|已|还|又|也|并|都|共同|正式|再次|分别"
    "|研究|认真|今年|去年|年初|年底|年内|曾经|曾|正在|即将|将"
)

#: The run of Chinese characters before 《: an issuer, adverbs, a verb of issuing, 了 or 的.
_ISSUED_BY = re.compile(
    rf"(?P<issuer>[\u4e00-\u9fff、]{{2,{_WINDOW}}}?)(?:{_ADVERBS})*"
    rf"(?:关于)?(?:{_VERBS})(?:并?(?:{_VERBS})){{0,2}}[了的]?$"
)

#: Time words and dates that may open a clause before its subject, with 由 (which names the
#: agent: 由市委宣传部牵头…) and focusing words (特别是).
_TIME = (
    r"特别是|尤其是|由|今年|去年|前年|近年来|近年|近日|日前|年初|年底|年内|最近|此前|同时|随后|此后"
    r"|目前|当前|近期|为此|[0-9０-９〇一二三四五六七八九十]+年(?:[0-9０-９一二三四五六七八九十]+月)?"
    r"(?:[0-9０-９一二三四五六七八九十]+日)?|[年月日号底初]"
)

#: Prepositions and verbs of following a document or a body's lead that open a clause (根据,
#: 按照, 落实, 对照 …): what follows them is their object, not the clause's subject.
_FOLLOWING = (
    r"经过|经(?![济信贸委])|据|按照|按|根据|依据|依照|遵照|遵循|参照|对照|比照|贯彻落实|贯彻|落实|学习|执行"
    r"|实施|认真|继续|坚决|严格|切实|进一步|针对|围绕|紧紧围绕|通过|结合|聚焦|立足|面向|面对|基于"
    r"|随着|关于|为了|为|在|对(?!外)"
)

#: Words that open a clause before the issuer's name: time words, prepositions, verbs of
#: following a document.
_LEADING = re.compile(rf"(?:{_TIME}|{_FOLLOWING})+")  # used with .match(text, pos): no ^
_OPENING = re.compile(rf"(?:{_TIME})+")
_FOLLOWS = re.compile(_FOLLOWING)

#: Endings of the name of a body that can issue a document.
_ENDS = (
    "中央|国务院|委员会|小组|办公厅|办公室|政府|人大|政协|总局|法院|检察院|中心|集团|公司|会议"
    "|[部委局厅院会办署处司社联盟党组市省县区旗州]"
)
_ISSUER_END = re.compile(rf"(?:{_ENDS})$")

#: Endings that look like a body's but are common words (社会, 机会, 体会).
_FALSE_END = re.compile(r"(?:社会|机会|体会|领会|学会|都会|约会)$")

#: What joins the names of joint issuers (中共中央、国务院; 中共中央和国务院).
_JOINT = re.compile(r"[、和与及]")

#: Central bodies that may own a title without a verb of issuing (执行国务院《…》).
_BODY = (
    "中共中央办公厅|中共中央|党中央|中央|国务院办公厅|国务院|全国人民代表大会常务委员会"
    "|全国人民代表大会|全国人大常委会|全国人大|人大常委会|全国政协|中央军委"
)

#: One or more central bodies just before 《 (中共中央和国务院《…》).
_OWNED_BY = re.compile(rf"(?P<issuer>(?:{_BODY})(?:[、和与](?:{_BODY}))*)的?$")

#: Openings that make a subject collective rather than an issuer (各地, 全市, 有的单位).
_NOT_ISSUER = re.compile(r"^(?:各|全(?!国)|每|有的|一些|许多|我们|我)")

#: What opens the predicate after a body named as a clause's subject, besides the adverbs and
#: verbs of issuing above (市政府成立…, 党中央高度重视…, 国务院根据…).
_PREDICATE = (
    "高度|重视|成立|召开|组建|建立|坚持|根据|按照|围绕|结合|针对|聚焦|立足|积极|大力|着力|深入"
    "|广泛|多次|始终|紧紧|主动|迅速|率先|牵头|部署|决定|提出|要求|召集|把|将|在"
)

#: The longest name of a body read as a clause's subject.
_NAME_MAX = 20

#: A body's name opening a clause and followed by its predicate: the shortest such name, so
#: that the predicate is not read into it (市政府成立老旧小区…: 市政府, not 市政府成立老旧小区).
_SUBJECT = re.compile(
    rf"(?P<issuer>[\u4e00-\u9fff、]{{1,{_NAME_MAX}}}?(?:{_ENDS}))(?={_PREDICATE}|{_ADVERBS}|{_VERBS})"
)

#: Words that cannot open a body's name: predicates, adverbs and verbs (多次召开会议, 通过召开会议
#: and 专门召开党委会议 name no body). 研究, 联合, 出版 and 编制 open names (研究室, 出版社).
_NOT_NAME = re.compile(
    "|".join(
        sorted(
            {w for w in f"{_PREDICATE}|{_ADVERBS}|{_VERBS}".split("|") if len(w) > 1}
            - {"研究", "联合", "出版", "编制"},
            key=lambda word: (-len(word), word),
        )
    )
    + f"|{_FOLLOWING}"
)

#: A clause made only of adverbs and a verb of issuing: its subject is an earlier clause's.
_NO_SUBJECT = re.compile(rf"(?:{_ADVERBS})*(?:{_VERBS})(?:并?(?:{_VERBS})){{0,2}}[了的]?")

#: How far back from 《 the subject of an earlier clause of the sentence is looked for.
_SENTENCE_WINDOW = 80

#: What ends a sentence, and what separates its clauses.
_SENTENCE_END = re.compile("[。！？；!?;\n]")
_CLAUSE_SEPARATOR = re.compile("[，,]")

#: What may stand between two titles that share an issuer (《纲要》和《规划》).
_CONNECTOR = re.compile(r"[、，,]?(?:和|及|以及|与|、|，|,)?$")


def title_bounds(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each title inside 《…》 in ``text[start:end]``, brackets excluded.

    >>> t = "见《未闭合，又见《条例》。"
    >>> [t[a:b] for a, b in title_bounds(t)]
    ['条例']
    """
    for match in TITLE.finditer(text, start, len(text) if end is None else end):
        if match["title"].strip():
            yield match.span("title")


def _ends_with_verb(text: str, end: int) -> bool:
    """Does ``text[:end]`` end with a verb of issuing (and 了 or 的)? A cheap test first."""
    if text[end - 1 : end] in ("了", "的"):
        end -= 1
    return any(text.startswith(verb, end - len(verb)) for verb in _VERB_LIST)


def _issuer(text: str, floor: int, bracket: int) -> dict[str, int] | None:
    """The issuer named in the clause just before the 《 at ``bracket``, not before ``floor``."""
    lo, clause = max(floor, bracket - _WINDOW), bracket
    while clause > lo and ("\u4e00" <= text[clause - 1] <= "\u9fff" or text[clause - 1] == "、"):
        clause -= 1  # the run of Chinese characters ends the clause: punctuation and digits stop it
    issued = _ends_with_verb(text, bracket)
    found = _ISSUED_BY.fullmatch(text, clause, bracket) if issued else None
    found = found or _OWNED_BY.search(text, clause, bracket)
    if found is not None:
        start, end = found.span("issuer")
        lead = _LEADING.match(text, start, end)
        if lead:
            start = lead.end()
        name = text[start:end]
        if "的" in name:
            start += name.rindex("的") + 1
        issuer = _joint_issuer(text, start, end)
        if issuer is not None:
            return issuer
    if not issued:
        return None
    lead = _LEADING.match(text, clause, bracket)
    if _NO_SUBJECT.fullmatch(text, lead.end() if lead else clause, bracket):
        return _earlier_subject(text, floor, clause, bracket - _SENTENCE_WINDOW)
    return _subject(text, clause, bracket)  # 市委组织部结合实际编印了《…》


def _subject(text: str, start: int, end: int) -> dict[str, int] | None:
    """The issuing body that opens the clause ``text[start:end]`` as its subject, if one does.

    Only time words may come before it (2019年，市委…): after a preposition or a verb of
    following (根据市委部署, 落实国务院要求) the body is an object. A meeting is not an
    issuing subject, nor is a name opened by a verb or an adverb (多次召开会议).
    """
    lead = _OPENING.match(text, start, end)
    if lead:
        start = lead.end()
    if _FOLLOWS.match(text, start, end):
        return None
    found = _SUBJECT.match(text, start, end)
    if found is None or found["issuer"].endswith("会议"):  # 召开会议部署，印发了《…》
        return None
    return _joint_issuer(text, *found.span("issuer"))


def _earlier_subject(text: str, floor: int, clause: int, reach: int) -> dict[str, int] | None:
    """The subject of the nearest earlier clause of the sentence before ``clause`` that has one.

    The clause at ``clause`` has none (…，制定出台了《…》). The search stops at the
    sentence's start (not before ``floor``), at a clause that opens before ``reach``, and at
    a clause opened by a subject that cannot issue a document (我们, 各地). Nothing before
    ``reach`` is read, so the work for one title is bounded however long the sentence.
    """
    if clause <= floor or not _CLAUSE_SEPARATOR.match(text, clause - 1):
        return None
    lo = max(floor, reach)
    start = lo  # where the sentence starts, or where the window cuts into it
    for end in _SENTENCE_END.finditer(text, lo, clause - 1):
        start = end.end()
    opens = (
        start > lo
        or lo == floor
        or _SENTENCE_END.match(text, lo - 1)
        or _CLAUSE_SEPARATOR.match(text, lo - 1)
    )
    clauses = []
    for separator in _CLAUSE_SEPARATOR.finditer(text, start, clause - 1):
        clauses.append((start, separator.start()))
        start = separator.end()
    clauses.append((start, clause - 1))
    if not opens:  # the first clause in the window opens before it, and is not read
        clauses.pop(0)
    for a, b in reversed(clauses):
        while a < b and text[a].isspace():
            a += 1
        lead = _OPENING.match(text, a, b)
        if _NOT_ISSUER.match(text[lead.end() if lead else a : b]):
            return None
        issuer = _subject(text, a, b)
        if issuer is not None:
            return issuer
    return None


def _joint_issuer(text: str, start: int, end: int) -> dict[str, int] | None:
    """The longest tail of ``text[start:end]`` made of body names joined by 、 和 与 及."""
    names, begin = [], start
    for joint in _JOINT.finditer(text, start, end):
        names.append((begin, joint.start()))
        begin = joint.end()
    names.append((begin, end))
    first = None
    for a, b in reversed(names):
        name = text[a:b]
        if len(name) < 2 or _NOT_ISSUER.match(name) or _FALSE_END.search(name):
            break
        if not _ISSUER_END.search(name) or _NOT_NAME.match(name):
            break
        first = a
    return None if first is None else {"start": first, "end": end}


def _citations_in(text: str, start: int, end: int) -> Iterator[Span]:
    previous: Span | None = None
    for a, b in title_bounds(text, start, end):
        issuer = _issuer(text, start, a - 1)
        if issuer is None and previous is not None and previous["issuer"] is not None:
            gap = text[previous.end + 1 : a - 1]
            if len(gap) <= 3 and _CONNECTOR.fullmatch(gap):
                issuer = dict(previous["issuer"])
        previous = Span(a, b, "", VERSION, {"title": text[a:b], "issuer": issuer})
        yield previous


def extract_citations(doc: Document) -> dict[str, tuple[Span, ...]]:
    """The ``citations`` layer: titles in 《…》 with their issuer, outside boilerplate paragraphs.

    Without a ``paragraphs`` layer the whole text is read as one paragraph.
    """
    text = doc.text
    bounds = (
        [(p.start, p.end) for p in doc.paragraphs if p.get("role") != "boilerplate"]
        if doc.paragraphs
        else [(0, len(text))]
    )
    spans = [span for s, e in bounds for span in _citations_in(text, s, e)]
    return {"citations": tuple(spans)}
