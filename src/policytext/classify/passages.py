"""Passages of texts whose paragraph breaks were lost.

Some archives keep a speech as one line of thousands of characters. Such a
line is split into passages so that each can take a function label:

1. before a numbered outline item (``一、`` ``（二）``) that follows the end of
   a sentence or a colon;
2. before an enumeration item that opens a sentence, when the document has
   an ``enumerations`` layer (items of the top-level lists only);
3. then, inside pieces still longer than :data:`TARGET`, between sentences,
   so that passages are about :data:`TARGET` characters long.

A passage never splits a sentence; the passages of a line tile it.

>>> from policytext.pipeline import Pipeline
>>> review, plan = "我们做了工作。" * 100, "我们要继续努力。" * 60
>>> text = "同志们：" + "一、回顾。" + review + "二、打算。" + plan
>>> doc = Pipeline(stages=["layout"])(text)
>>> spans = split_passages(doc)
>>> [doc.text_of(s)[:5] for s in spans][:3], spans[0].start, spans[-1].end == len(text)
(['同志们：', '一、回顾。', '我们做了工'], 0, True)
>>> any(doc.text_of(s).startswith("二、") for s in spans)
True
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from policytext.document import Document, Span
from policytext.layout import OUTLINE_START, sentence_bounds

__all__ = ["MAX_LINE", "TARGET", "split_passages", "split_points"]

#: Lines longer than this many characters are split into passages.
MAX_LINE = 600

#: The length a passage aims at when sentences are grouped.
TARGET = 300

#: A numbered outline item (not 第一，, which also opens running-text lists) after the end
#: of a sentence or a colon.
_OUTLINE_ITEM = re.compile(rf"(?<=[。！？；：:!?;”’）)])[ \u3000]*(?!第){OUTLINE_START.pattern}")


def _item_starts(doc: Document, start: int, end: int) -> set[int]:
    """Starts of the items of top-level enumerations inside ``[start, end)``."""
    found: set[int] = set()
    for enum in doc.layer("enumerations"):
        if enum.get("parent") is not None or not start <= enum.start < end:
            continue
        for item in enum.get("items", []) or []:
            marker = item.get("marker") if isinstance(item, dict) else None
            if isinstance(marker, dict) and isinstance(marker.get("start"), int):
                found.add(int(marker["start"]))
    return found


def split_points(doc: Document, start: int, end: int) -> list[int]:
    """Sentence starts inside ``(start, end)`` where a passage should begin (rules 1 and 2)."""
    starts = {s for s, _ in sentence_bounds(doc.text, start, end)[1:]}
    points = {m.start() for m in _OUTLINE_ITEM.finditer(doc.text, start, end) if m.start() > start}
    points.update(s for s in _item_starts(doc, start, end) if s in starts)
    return sorted(points)


def _group(bounds: Sequence[tuple[int, int]], target: int) -> list[tuple[int, int]]:
    """Consecutive sentences grouped into pieces of about ``target`` characters."""
    pieces: list[tuple[int, int]] = []
    begin = bounds[0][0]
    for k, (_, e) in enumerate(bounds):
        is_last = k == len(bounds) - 1
        if e - begin >= target and not is_last:
            rest = bounds[-1][1] - e
            if rest >= target // 3:  # never leave a stub behind
                pieces.append((begin, e))
                begin = e
    pieces.append((begin, bounds[-1][1]))
    return pieces


def _split_line(doc: Document, start: int, end: int) -> list[tuple[int, int]]:
    cuts = [start, *split_points(doc, start, end), end]
    out: list[tuple[int, int]] = []
    for a, b in pairwise(cuts):
        if b - a > MAX_LINE:
            out.extend(_group(sentence_bounds(doc.text, a, b), TARGET))
        else:
            out.append((a, b))
    return out


def split_passages(doc: Document) -> tuple[Span, ...]:
    """The document's paragraphs with every line longer than :data:`MAX_LINE` split into passages.

    Short paragraphs are returned as they are; a passage keeps the role of
    its line and gains the attribute ``passage`` (its number within the line).
    """
    out: list[Span] = []
    for p in doc.paragraphs:
        if p.end - p.start <= MAX_LINE:
            out.append(p)
            continue
        for k, (a, b) in enumerate(_split_line(doc, p.start, p.end)):
            out.append(Span(a, b, p.label, p.source, {**p.attrs, "passage": k}))
    return tuple(out)
