"""Score annotations against gold files, the way the project's scorer does.

Gold files (``*.gold.json``, format ``policytext-gold/1``) hold a text (inline
as ``text``, or as ``text_file`` relative to the gold folder's parent), its
paragraph labels, enumerations and slogans. :func:`evaluate` runs a pipeline
over their texts and compares: paragraph labels (each gold paragraph takes the
label of the system paragraph it overlaps most), enumeration markers (by start
offset), whole enumerations, the parent of nested ones, and slogans (the set of
distinct texts per document).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from policytext.document import Document
from policytext.errors import InputError
from policytext.pipeline import Pipeline
from policytext.read import read

__all__ = ["Report", "evaluate", "f1_of", "label_of", "read_gold", "score"]

LABELS = ("practice", "outcome", "lesson", "plan", "other")


def read_gold(gold_dir: str) -> Iterator[tuple[str, dict[str, Any], str]]:
    """``(name, gold, text)`` for each gold file of ``gold_dir``, its text checked by hash."""
    for name in sorted(os.listdir(gold_dir)):
        if not name.endswith(".gold.json"):
            continue
        path = os.path.join(gold_dir, name)
        try:
            with open(path, encoding="utf-8") as f:
                gold = json.load(f)
        except (OSError, json.JSONDecodeError) as e:
            raise InputError(path, f"is not a readable gold file: {e}") from None
        if "text" in gold:
            text = gold["text"]
        else:
            text = read(
                os.path.join(os.path.dirname(os.path.abspath(gold_dir)), gold["text_file"])
            ).text
        if hashlib.sha1(text.encode("utf-8")).hexdigest() != gold["text_sha1"]:
            raise InputError(path, "text_sha1 does not match the text")
        yield name.removesuffix(".gold.json"), gold, text


def _f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class Report:
    """The figures of :func:`score`."""

    confusion: Counter[tuple[str, str | None]] = field(default_factory=Counter)
    markers: list[int] = field(default_factory=lambda: [0, 0, 0])  # tp, fp, fn
    enumerations: list[int] = field(default_factory=lambda: [0, 0, 0, 0])  # gold, found, sys, exact
    nesting: list[int] = field(default_factory=lambda: [0, 0])  # gold nested, right parent
    slogans: list[int] = field(default_factory=lambda: [0, 0, 0])  # tp, fp, fn

    def f1(self, label: str) -> float:
        return f1_of(self.confusion, label)

    def __str__(self) -> str:
        lines = []
        n = sum(self.confusion.values())
        if n:
            accuracy = sum(v for (g, s), v in self.confusion.items() if g == s) / n
            present = [lab for lab in LABELS if any(g == lab for g, _ in self.confusion)]
            macro = sum(self.f1(lab) for lab in present) / len(present)
            lines.append(f"paragraph labels: n={n} accuracy={accuracy:.3f} macro-F1={macro:.3f}")
            lines.append(
                "  per-label F1: " + "  ".join(f"{lab}={self.f1(lab):.3f}" for lab in LABELS)
            )
            lines.append("  confusion (rows gold, columns system):")
            lines.append("  " + " " * 10 + "".join(f"{s:>10}" for s in LABELS))
            for g in LABELS:
                row = "".join(f"{self.confusion[(g, s)]:>10}" for s in LABELS)
                lines.append(f"  {g:<10}{row}")
        p, r, f = _f1(*self.markers)
        gold_markers = self.markers[0] + self.markers[2]
        lines.append(f"enumeration markers: P={p:.3f} R={r:.3f} F1={f:.3f} (gold {gold_markers})")
        gold, found, system, exact = self.enumerations
        ep, er = (exact / system if system else 0.0), (found / gold if gold else 0.0)
        nested = f"{self.nesting[1] / self.nesting[0]:.3f}" if self.nesting[0] else "none"
        lines.append(f"enumerations exact: P={ep:.3f} R={er:.3f} (gold {gold}); ")
        lines[-1] += f"nested with right parent: {nested}"
        p, r, f = _f1(*self.slogans)
        gold_slogans = self.slogans[0] + self.slogans[2]
        lines.append(f"slogans (distinct per document): P={p:.3f} R={r:.3f} F1={f:.3f} ")
        lines[-1] += f"(gold {gold_slogans})"
        return "\n".join(lines)


def f1_of(confusion: Counter[tuple[str, str | None]], label: str) -> float:
    """The F1 of ``label`` in a confusion count of ``(gold, system)`` label pairs."""
    tp = confusion[(label, label)]
    fp = sum(v for (g, s), v in confusion.items() if s == label and g != label)
    fn = sum(v for (g, s), v in confusion.items() if g == label and s != label)
    return _f1(tp, fp, fn)[2]


def label_of(gold: dict[str, Any], spans: Sequence[Any]) -> str | None:
    """The label of the system span overlapping the gold paragraph most, as the scorer reads it."""
    best, overlap = None, 0
    for span in spans:
        ov = min(gold["end"], span.end) - max(gold["start"], span.start)
        if ov > overlap:
            best, overlap = span.label, ov
    return best


def score(pairs: Sequence[tuple[dict[str, Any], Document]]) -> Report:
    """Compare documents with their gold files."""
    report = Report()
    for gold, doc in pairs:
        if gold.get("labelled"):
            for g in gold["paragraphs"]:
                report.confusion[(g["label"], label_of(g, doc.paragraphs))] += 1
        gold_markers = {it["marker"]["start"] for e in gold["enumerations"] for it in e["items"]}
        sys_sets = [frozenset(it["marker"]["start"] for it in e["items"]) for e in doc.enumerations]
        sys_markers = set().union(*sys_sets) if sys_sets else set()
        report.markers[0] += len(gold_markers & sys_markers)
        report.markers[1] += len(sys_markers - gold_markers)
        report.markers[2] += len(gold_markers - sys_markers)
        gold_sets = [
            frozenset(it["marker"]["start"] for it in e["items"]) for e in gold["enumerations"]
        ]
        report.enumerations[0] += len(gold_sets)
        report.enumerations[1] += sum(g in sys_sets for g in gold_sets)
        report.enumerations[2] += len(sys_sets)
        report.enumerations[3] += sum(s in gold_sets for s in sys_sets)
        parents = {}
        for e, key in zip(doc.enumerations, sys_sets, strict=True):
            parent = e.get("parent")
            parents[key] = (
                doc.enumerations[parent["enumeration"]]["items"][parent["item"]]["marker"]["start"]
                if parent
                else None
            )
        for e, key in zip(gold["enumerations"], gold_sets, strict=True):
            if e["parent_marker_start"] is not None:
                report.nesting[0] += 1
                report.nesting[1] += key in parents and parents[key] == e["parent_marker_start"]
        gs, ss = set(gold["slogans"]), {s.get("text") for s in doc.slogans}
        report.slogans[0] += len(gs & ss)
        report.slogans[1] += len(ss - gs)
        report.slogans[2] += len(gs - ss)
    return report


def evaluate(gold_dir: str, pipeline: Pipeline | None = None) -> Report:
    """Run ``pipeline`` (default: the default pipeline) over the gold texts and score it."""
    nlp = pipeline or Pipeline()
    return score([(gold, nlp(text, {"id": name})) for name, gold, text in read_gold(gold_dir)])
