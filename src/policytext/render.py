"""An HTML view of an annotated document: for Jupyter and as a static page.

Paragraphs are tinted by their function, with the probability of each label
on hover; list markers, topics, slogans, figures and cited documents each sit
in an element of their own whose class names the layer (``pt-marker``,
``pt-topic``, ``pt-slogan``, ``pt-figure``, ``pt-citation``). All article text
is escaped.

```pycon
>>> from policytext import Document, Span
>>> text = "开展“三亮三比三创”<活动>"
>>> spans = {"paragraphs": (Span(0, len(text)),), "slogans": (Span(3, 9, "formula"),)}
>>> page = to_html(Document(text, spans))
>>> '<mark class="pt-slogan"' in page, "&lt;活动&gt;" in page
(True, True)

```
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from policytext.document import Document, Span

__all__ = ["LABEL_COLOURS", "to_html"]

#: The tint of each passage function, and the words the legend gives it.
LABEL_COLOURS = {
    "practice": ("#dbeafe", "practice 做法"),
    "outcome": ("#dcfce7", "outcome 成效"),
    "lesson": ("#fef3c7", "lesson 经验启示"),
    "plan": ("#fce7f3", "plan 打算安排"),
    "other": ("#f3f4f6", "other 其他"),
}

#: Inline marks: layer class, element, and how the legend names it.
MARKS = {
    "pt-marker": ("span", "list marker 一是"),
    "pt-topic": ("span", "item topic"),
    "pt-slogan": ("mark", "slogan 提法"),
    "pt-figure": ("mark", "figure 数字"),
    "pt-citation": ("span", "cited document 《》"),
}

_CSS = """
.pt-doc { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC",
  "Microsoft YaHei", sans-serif; line-height: 1.8; max-width: 52em; color: #111827; }
.pt-doc p, .pt-doc h3 { margin: 0.35em 0; padding: 0.3em 0.6em; border-radius: 4px; }
.pt-doc h3 { font-size: 1.1em; }
.pt-front, .pt-back, .pt-boilerplate { color: #6b7280; font-size: 0.9em; }
.pt-boilerplate { text-decoration: line-through; }
.pt-marker, .pt-key-marker { font-weight: bold; color: #1d4ed8; }
.pt-topic, .pt-key-topic { text-decoration: underline; text-decoration-color: #1d4ed8; }
.pt-slogan, .pt-key-slogan { background: #fde047; padding: 0 2px; border-radius: 2px; }
.pt-figure, .pt-key-figure { background: #a7f3d0; padding: 0 2px; border-radius: 2px; }
.pt-citation, .pt-key-citation { font-style: italic; color: #7c2d12; }
.pt-legend { margin: 0 0 1em 0; font-size: 0.85em; }
.pt-legend span { display: inline-block; margin: 2px 6px 2px 0; padding: 0 6px;
  border-radius: 3px; }
"""


@dataclass(frozen=True, slots=True)
class _Mark:
    start: int
    end: int
    css: str
    title: str


def _marks(doc: Document) -> list[_Mark]:
    """Every inline mark of the document, from the extractors' layers."""
    marks: list[_Mark] = []
    for enum in doc.enumerations:
        for item in enum.get("items", []):
            marker = item["marker"]
            marks.append(_Mark(marker["start"], marker["end"], "pt-marker", enum.label))
            topic = item.get("topic")
            if topic:
                marks.append(_Mark(topic["start"], topic["end"], "pt-topic", "topic"))
    for slogan in doc.slogans:
        marks.append(_Mark(slogan.start, slogan.end, "pt-slogan", f"slogan: {slogan.label}"))
    for figure in doc.figures:
        value = figure.get("value")
        marks.append(_Mark(figure.start, figure.end, "pt-figure", f"{value} {figure.label}"))
    for citation in doc.citations:
        marks.append(_Mark(citation.start, citation.end, "pt-citation", "cited document"))
    return marks


def _nested(marks: Sequence[_Mark]) -> list[_Mark]:
    """The marks that nest properly, longest first where two cross (HTML cannot cross)."""
    kept: list[_Mark] = []
    stack: list[_Mark] = []
    for mark in sorted(marks, key=lambda m: (m.start, -m.end)):
        while stack and stack[-1].end <= mark.start:
            stack.pop()
        if stack and stack[-1].end < mark.end:
            continue  # crosses an open mark
        kept.append(mark)
        stack.append(mark)
    return kept


def _inline(text: str, start: int, end: int, marks: Sequence[_Mark]) -> str:
    """``text[start:end]`` escaped, with the marks inside it as elements."""
    inside = _nested([m for m in marks if start <= m.start and m.end <= end and m.start < m.end])
    out: list[str] = []
    stack: list[_Mark] = []
    pos = start

    def close_until(limit: int) -> None:
        nonlocal pos
        while stack and stack[-1].end <= limit:
            mark = stack.pop()
            out.append(html.escape(text[pos : mark.end]))
            pos = mark.end
            out.append(f"</{MARKS[mark.css][0]}>")

    for mark in inside:
        close_until(mark.start)
        out.append(html.escape(text[pos : mark.start]))
        pos = mark.start
        tag = MARKS[mark.css][0]
        out.append(f'<{tag} class="{mark.css}" title="{html.escape(mark.title)}">')
        stack.append(mark)
    close_until(end)
    out.append(html.escape(text[pos:end]))
    return "".join(out)


def _hover(paragraph: Span) -> str:
    scores = paragraph.get("scores") or {}
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    shown = " · ".join(f"{label} {p:.2f}" for label, p in ranked)
    source = paragraph.source or "layout"
    return f"{paragraph.label or 'unlabelled'} ({source}){': ' + shown if shown else ''}"


def _blocks(doc: Document, marks: Sequence[_Mark]) -> Iterator[str]:
    for paragraph in doc.paragraphs:
        role = paragraph.get("role", "body")
        tag = "h3" if role == "heading" else "p"
        label = paragraph.label or "other"
        classes = f"pt-para pt-{role}"
        colour = LABEL_COLOURS.get(label, LABEL_COLOURS["other"])[0]
        body = _inline(doc.text, paragraph.start, paragraph.end, marks)
        yield (
            f'<{tag} class="{classes}" data-label="{html.escape(label)}" '
            f'style="background:{colour}" title="{html.escape(_hover(paragraph))}">{body}</{tag}>'
        )


def _legend() -> str:
    labels = "".join(
        f'<span style="background:{colour}">{html.escape(name)}</span>'
        for colour, name in LABEL_COLOURS.values()
    )
    marks = "".join(
        f'<span class="pt-key {css.replace("pt-", "pt-key-")}">{html.escape(name)}</span> '
        for css, (_, name) in MARKS.items()
    )
    return f'<div class="pt-legend">{labels}<br>{marks}</div>'


def to_html(doc: Document, standalone: bool = True) -> str:
    """The document as HTML: a whole page if ``standalone``, else a fragment for Jupyter."""
    title = doc.title or doc.id or "policytext document"
    body = "\n".join(_blocks(doc, _marks(doc)))
    fragment = f'<div class="pt-doc"><style>{_CSS}</style>{_legend()}\n{body}\n</div>'
    if not standalone:
        return fragment
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head>\n<body>{fragment}</body></html>\n"
    )
