"""The extractors' fast paths find what a plain regex search finds.

Enumerations try their patterns only at the places where a marker may
stand, slogans find the common searches with one scanner, and figures are
tried only where a number can run on into a unit; each keeps a table in
step with its patterns by hand. These tests compare each fast
path with the plain ``finditer`` it replaces, on random text made of the
characters the patterns care about.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policytext.extract import enumerations, slogans

#: Marker characters, numerals, boundaries and fillers, with the awkward ones (full-width
#: digits, enclosed numbers, quotes, spaces) over-represented.
ALPHABET = (
    "一二三四五六七八九十两第是要个方面首先其次再次最后另、，。：；（）()"
    "0123456789０１２３４５６７８９.．㈠㈡⒈⒉⑴⑵①②“”甲乙 \u3000"
)


def _plain_markers(text: str, start: int, end: int) -> set[tuple[int, int, str]]:
    """Every family's matches in the block that stand at its start or after a boundary."""
    found = set()
    for family, pattern in enumerations._PATTERNS.items():
        for m in pattern.finditer(text, start, end):
            if m.start() == start or text[m.start() - 1] in enumerations._BOUNDARY:
                found.add((m.start(), m.end(), family))
    return found


def _fast_markers(text: str, start: int, end: int) -> set[tuple[int, int, str]]:
    after = [m.start() for m in enumerations._MARKER_PLACE.finditer(text)]
    found = set()
    for at in enumerations._places(text, after, start, end):
        for family, pattern in enumerations._TRIED[text[at]]:
            m = pattern.match(text, at, end)
            if m is not None:
                found.add((m.start(), m.end(), family))
    return found


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60), st.data())
def test_enumeration_places_find_what_finditer_finds(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
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


FIGURE_ALPHABET = (
    "一二三四五六七八九十两百千万亿点零0123456789.,%个人名户元年月多余近约以上左右来统第，。“”甲乙 "
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
