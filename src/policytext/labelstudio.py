"""The correction loop: annotations to Label Studio and corrections back as gold files.

:func:`to_tasks` turns annotated documents into Label Studio tasks with the
machine's annotations as pre-annotations (``predictions``): each paragraph's
function, each slogan, each list marker; the items of a list are chained by
``next`` relations and a nested list's first marker points to its parent item
by a ``parent`` relation. :data:`CONFIG` is the matching labelling config.
:func:`to_gold` reads a Label Studio export back into gold files in the
scorer's format, which ``policytext evaluate`` and ``policytext train`` read.

Offsets: policytext counts code points (Python string indices); Label Studio
counts UTF-16 code units (JavaScript string indices), so a character outside
the Basic Multilingual Plane (an emoji, a CJK Extension B character such as
𠮷) counts two there. Offsets are converted both ways.

```pycon
>>> to_utf16("𠮷野家", 1), from_utf16("𠮷野家", 2)
(2, 1)

```
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise
from typing import Any

from policytext.document import Document
from policytext.errors import InputError

__all__ = ["CONFIG", "from_utf16", "to_gold", "to_tasks", "to_utf16"]

#: The labelling config for the tasks :func:`to_tasks` writes.
CONFIG = """<View>
  <Header value="Paragraph function (one per paragraph)"/>
  <Labels name="function" toName="text">
    <Label value="practice" background="#3b82f6"/>
    <Label value="outcome" background="#22c55e"/>
    <Label value="lesson" background="#f59e0b"/>
    <Label value="plan" background="#ec4899"/>
    <Label value="other" background="#9ca3af"/>
  </Labels>
  <Header value="Slogans and list markers"/>
  <Labels name="span" toName="text">
    <Label value="slogan" background="#fde047"/>
    <Label value="list_marker" background="#1d4ed8"/>
  </Labels>
  <Relations>
    <Relation value="next"/>
    <Relation value="parent"/>
  </Relations>
  <Text name="text" value="$text" granularity="symbol"/>
</View>
"""


def _astral(text: str) -> list[int]:
    """Code-point offsets of the characters outside the BMP (two UTF-16 units each)."""
    return [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]


def to_utf16(text: str, offset: int, astral: Sequence[int] | None = None) -> int:
    """A code-point offset into ``text`` as a UTF-16 offset."""
    astral = _astral(text) if astral is None else astral
    return offset + bisect_right(astral, offset - 1)


def from_utf16(text: str, offset: int, astral: Sequence[int] | None = None) -> int:
    """A UTF-16 offset into ``text`` as a code-point offset."""
    astral = _astral(text) if astral is None else astral
    shifted = [i + k for k, i in enumerate(astral)]  # UTF-16 offsets of the astral characters
    return offset - bisect_right(shifted, offset - 1)


def _region(
    rid: str, text: str, astral: Sequence[int], start: int, end: int, name: str, label: str
) -> dict[str, Any]:
    return {
        "id": rid,
        "from_name": name,
        "to_name": "text",
        "type": "labels",
        "value": {
            "start": to_utf16(text, start, astral),
            "end": to_utf16(text, end, astral),
            "text": text[start:end],
            "labels": [label],
        },
    }


def _relation(source: str, target: str, label: str) -> dict[str, Any]:
    return {
        "from_id": source,
        "to_id": target,
        "type": "relation",
        "direction": "right",
        "labels": [label],
    }


def _task(doc: Document, model: str) -> dict[str, Any]:
    text = doc.text
    astral = _astral(text)
    result: list[dict[str, Any]] = []
    for k, p in enumerate(doc.paragraphs):
        if p.label:
            result.append(_region(f"p{k}", text, astral, p.start, p.end, "function", p.label))
    for k, s in enumerate(doc.slogans):
        result.append(_region(f"s{k}", text, astral, s.start, s.end, "span", "slogan"))
    for e, enum in enumerate(doc.enumerations):
        ids = []
        for i, item in enumerate(enum.get("items", [])):
            marker = item["marker"]
            rid = f"e{e}i{i}"
            region = _region(
                rid, text, astral, marker["start"], marker["end"], "span", "list_marker"
            )
            if i == 0 and enum.get("declared"):
                region["meta"] = {"text": [f"declared={enum['declared']}"]}
            result.append(region)
            ids.append(rid)
        result.extend(_relation(a, b, "next") for a, b in pairwise(ids))
        parent = enum.get("parent")
        if parent:
            result.append(_relation(ids[0], f"e{parent['enumeration']}i{parent['item']}", "parent"))
    return {
        "data": {"text": text, "doc_id": doc.id or hashlib.sha1(text.encode()).hexdigest()},
        "predictions": [{"model_version": model, "result": result}],
    }


def to_tasks(documents: Iterable[Document], model: str = "policytext") -> list[dict[str, Any]]:
    """Label Studio tasks with the documents' annotations as pre-annotations."""
    return [_task(doc, model) for doc in documents]


def _result(task: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The human annotation of a task if it has one, else its pre-annotation."""
    for key in ("annotations", "predictions"):
        for entry in task.get(key) or []:
            if not entry.get("was_cancelled") and entry.get("result") is not None:
                return list(entry["result"])
    return []


def _offsets(text: str, start: int, end: int) -> dict[str, Any]:
    return {"start": start, "end": end, "text": text[start:end]}


def _gold(task: Mapping[str, Any], where: str) -> dict[str, Any]:
    data = task.get("data") or {}
    text = data.get("text")
    if not isinstance(text, str):
        raise InputError(where, "a task without data.text")
    astral = _astral(text)
    regions: dict[str, tuple[int, int, str, str, Mapping[str, Any]]] = {}
    following: dict[str, str] = {}
    parent_of: dict[str, str] = {}
    for r in _result(task):
        if r.get("type") == "relation":
            label = (r.get("labels") or [""])[0]
            (following if label == "next" else parent_of)[r["from_id"]] = r["to_id"]
            continue
        value = r.get("value") or {}
        label = (value.get("labels") or [""])[0]
        start, end = (
            from_utf16(text, value["start"], astral),
            from_utf16(text, value["end"], astral),
        )
        regions[str(r["id"])] = (start, end, r.get("from_name", ""), label, r.get("meta") or {})
    paragraphs = sorted(
        (s, e, lab) for s, e, name, lab, _ in regions.values() if name == "function"
    )
    slogans = sorted((s, e) for s, e, _, lab, _ in regions.values() if lab == "slogan")
    # lists: follow the "next" chains from the markers nothing points to
    pointed = set(following.values())
    heads = [rid for rid, r in regions.items() if r[3] == "list_marker" and rid not in pointed]
    enumerations = []
    for head in sorted(heads, key=lambda rid: regions[rid][0]):
        chain = [head]
        while chain[-1] in following:
            chain.append(following[chain[-1]])
        notes = regions[head][4].get("text", [])
        declared = next((int(t[9:]) for t in notes if t.startswith("declared=")), None)
        parent = parent_of.get(head)
        enumerations.append(
            {
                "items": [{"marker": _offsets(text, *regions[m][:2])} for m in chain],
                "parent_marker_start": regions[parent][0] if parent in regions else None,
                "declared": declared,
            }
        )
    return {
        "schema": "policytext-gold/1",
        "doc_id": data.get("doc_id"),
        "text": text,
        "text_sha1": hashlib.sha1(text.encode("utf-8")).hexdigest(),
        "labelled": bool(paragraphs),
        "paragraphs": [
            {"start": s, "end": e, "label": lab, "heading": False} for s, e, lab in paragraphs
        ],
        "enumerations": enumerations,
        "slogans": sorted({text[s:e] for s, e in slogans}),
        "slogan_spans": [{"start": s, "end": e, "text": text[s:e]} for s, e in slogans],
    }


def to_gold(tasks: Iterable[Mapping[str, Any]], where: str = "<export>") -> list[dict[str, Any]]:
    """Gold files, in the scorer's format, from a Label Studio JSON export."""
    return [_gold(task, f"{where}: task {k}") for k, task in enumerate(tasks)]
