"""The extractors' fast paths find what a plain regex search finds.

Enumerations try their patterns only at the places where a marker may
stand, slogans find the common searches with one scanner (looking ahead for
a shape's start) and the others only in paragraphs that hold what they
need, and figures are tried only where a number can run on into a unit;
each keeps a table in step with its patterns by hand. These tests compare
each fast path with the plain ``finditer`` it replaces, on random text made
of the characters (or pieces) the patterns care about.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policytext import layout
from policytext.extract import enumerations, slogans

#: Marker characters, numerals, boundaries and fillers, with the awkward ones (full-width
#: digits, enclosed numbers, quotes, spaces) over-represented.
ALPHABET = (
    "一二三四五六七八九十两第是要个方面首先其次再次最后另、，。：；（）()"
    "0123456789０１２３４５６７８９.．㈠㈡⒈⒉⑴⑵①②“”甲乙 \u3000"
)


def _plain_markers(text: str, start: int, end: int) -> set[tuple[int, int, str]]:
    """Every family's matches in the block that stand at its start, after a boundary or
    where a first marker follows its subject (我们一方面要…；另一方面…)."""
    after_subject = {m.start() for p in enumerations._FIRST_AFTER_SUBJECT for m in p.finditer(text)}
    found = set()
    for family, pattern in enumerations._PATTERNS.items():
        for m in pattern.finditer(text, start, end):
            at = m.start()
            if at == start or text[at - 1] in enumerations._BOUNDARY or at in after_subject:
                found.add((m.start(), m.end(), family))
    return found


def _fast_markers(text: str, start: int, end: int) -> set[tuple[int, int, str]]:
    found = set()
    for at, _ in enumerations._places(text, enumerations._Blocks([start], [end], [0])):
        for family, pattern in enumerations._TRIED[text[at]]:
            m = pattern.match(text, at, end)
            if m is not None:
                found.add((m.start(), m.end(), family))
    return found


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, min_size=1, max_size=60), st.data())
def test_enumeration_places_find_what_finditer_finds(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))  # a block is never empty
    assert _fast_markers(text, start, end) == _plain_markers(text, start, end)


SLOGAN_ALPHABET = (
    "一二三四五六七八九十两双个大项条严实学做带路去降补岗责五年连步走手抓甲乙丙，。、“” \n"
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=SLOGAN_ALPHABET, max_size=60))
def test_slogan_scanner_finds_what_each_search_finds(text: str) -> None:
    searches = slogans._searches(None)
    fast = {
        (s.pattern.pattern, m.span()) for s, m in slogans._scanned(text, 0, len(text), searches)
    }
    plain = {
        (s.pattern.pattern, m.span())
        for s in searches.common
        for m in s.pattern.finditer(text, 0, len(text))
    }
    assert fast == plain


#: A match of each alternative of each shape, and characters to put around and inside them,
#: so that random text holds whole matches, and near misses, often.
SHAPE_EXAMPLES = (
    *("第一个百年奋斗目标", "建党一百年奋斗目标", "建军百年奋斗目标", "新中国成立百年奋斗目标"),
    *("三步走", "两手抓", "新36条", "新十条", "新国九条", "国十二条", "九连增", "十二连降"),
    *("互联网+", "大数据＋", "5G+", "十四五", "九五规划", "三严三实", "两个市场两种资源"),
)
SHAPE_PIECES = (*SHAPE_EXAMPLES, *"一二三两第个全新国党规划甲，、\n")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(SHAPE_PIECES), max_size=30).map("".join))
def test_slogan_shapes_start_where_they_match(text: str) -> None:
    for name, start in slogans._SHAPE_STARTS.items():
        for at in range(len(text)):
            if slogans._SHAPES[name].match(text, at):
                assert start.match(text, at), (name, at)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(SHAPE_PIECES), max_size=30).map("".join))
def test_slogan_gated_searches_find_what_each_search_finds(text: str) -> None:
    searches = slogans._searches(None)
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    if not lines:
        return
    fast = {(s.pattern.pattern, m.span()) for s, m in slogans._gated(text, lines, searches)}
    plain = {
        (s.pattern.pattern, m.span())
        for s in searches.gated
        for start, end in lines
        for m in s.pattern.finditer(text, start, end)
    }
    assert fast == plain


FIGURE_ALPHABET = (
    "一二三四五六七八九十两百千万亿点零0123456789.,%个人名户元年月多余近约以上左右来统第"
    "几A，。“”甲乙 "
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=FIGURE_ALPHABET, max_size=60))
def test_figures_tried_only_where_a_number_runs_on_are_all_the_figures(text: str) -> None:
    from dataclasses import replace

    from policytext.document import Document
    from policytext.extract import figures

    rules = figures._rules()
    everywhere = replace(rules, opening=re.compile(f"[{figures._NUMBER_FIRST}]"))
    doc = Document(text)
    fast = figures.extract_figures(doc)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(figures, "_rules", lambda path=None: everywhere)
        plain = figures.extract_figures(doc)
    assert fast == plain


#: Brackets and quotes, closers before openers too, sentence ends and fillers.
BRACKET_ALPHABET = "“”‘’《》（）()【】「」[]{}。！.甲乙"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=BRACKET_ALPHABET, max_size=60), st.data())
def test_protected_regions_found_from_the_first_opener_as_from_the_start(
    text: str, data: st.DataObject
) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    fast = layout._protected(text, start, end)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(layout, "_OPENER", re.compile(""))  # every scan begins at ``start``
        plain = layout._protected(text, start, end)
    assert fast == plain


#: Line breaks and the characters ``str.strip`` strips, among letters.
LINE_ALPHABET = "甲乙 \t\r\n\x0b\x0c\x1c\x85\xa0\u2028\u3000"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=LINE_ALPHABET, max_size=40))
def test_paragraph_bounds_are_the_stripped_lines(text: str) -> None:
    plain: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            lead = len(line) - len(line.lstrip())
            plain.append((pos + lead, pos + lead + len(line.strip())))
        pos += len(line) + 1
    assert list(layout.paragraph_bounds(text)) == plain
