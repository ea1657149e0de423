"""Leave-one-document-out evaluation of the passage classifier.

For each labelled gold document, a model is trained without it (and without
its duplicates in the corpus, grouped by ``dup_group``), the document is
labelled by the full stage (rules, headings, model) and compared with the
gold labels the way ``tools/score`` compares them: each gold paragraph gets
the label of the system paragraph it overlaps most.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from policytext.classify.features import FloatArray
from policytext.classify.model import LABELS, PassageModel
from policytext.classify.stage import classify_paragraphs
from policytext.classify.train import (
    Settings,
    TrainingDoc,
    fit,
    fit_temperature,
    gold_docs,
    weak_docs,
)
from policytext.evaluate import f1_of, label_of

__all__ = ["LodoReport", "evaluate_lodo", "format_report", "out_of_fold", "reliability"]

#: Upper edges of the confidence bins of the reliability table.
BINS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


@dataclass(frozen=True)
class LodoReport:
    """What leave-one-document-out found, over every gold paragraph."""

    n: int
    accuracy: float
    macro_f1: float
    f1: dict[str, float]
    confusion: dict[str, dict[str, int]]  # gold label → system label → count
    per_document: dict[str, float]  # accuracy per held-out document
    reliability: list[dict[str, Any]]  # bins over model-labelled paragraphs
    temperature: float  # fitted on all out-of-fold scores

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _folds(
    gold: Sequence[TrainingDoc], weak: Sequence[TrainingDoc]
) -> list[tuple[TrainingDoc, list[TrainingDoc]]]:
    """(held-out gold doc, training docs) for each gold doc; its group is held out too."""
    return [(td, [d for d in (*gold, *weak) if d is not td and d.group != td.group]) for td in gold]


def out_of_fold(
    gold: Sequence[TrainingDoc],
    weak: Sequence[TrainingDoc],
    settings: Settings = Settings(),  # noqa: B008 - frozen, so safe as a default
) -> tuple[FloatArray, list[int], list[str]]:
    """Raw scores of every gold training example under a model that never saw its document."""
    examples = _Examples()
    for held, train_docs in _folds(gold, weak):
        examples.add(fit(train_docs, settings), held)
    return np.vstack(examples.scores), examples.truth, examples.names


@dataclass
class _Examples:
    """The raw scores of held-out gold examples, their gold labels and documents."""

    scores: list[FloatArray] = field(default_factory=list)
    truth: list[int] = field(default_factory=list)
    names: list[str] = field(default_factory=list)

    def add(self, model: PassageModel, held: TrainingDoc) -> None:
        index, found = held.examples()
        if index:
            self.scores.append(model.scores(held.features)[index])
            self.truth += [LABELS.index(lab) for lab in found]
            self.names += [held.name] * len(index)


def _softmax(z: FloatArray) -> FloatArray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=1, keepdims=True), dtype=np.float32)


def reliability(probs: FloatArray, truth: Sequence[int]) -> list[dict[str, Any]]:
    """Confidence bins: count, mean confidence and observed accuracy of the top label."""
    conf = probs.max(axis=1)
    hit = probs.argmax(axis=1) == np.asarray(truth)
    table, low = [], 0.0
    for high in BINS:
        mask = (conf > low) & (conf <= high)
        if mask.any():
            table.append(
                {
                    "bin": f"({low:.1f}, {high:.1f}]",
                    "n": int(mask.sum()),
                    "confidence": round(float(conf[mask].mean()), 3),
                    "accuracy": round(float(hit[mask].mean()), 3),
                }
            )
        low = high
    return table


def evaluate_lodo(
    gold_dir: str,
    corpus_dir: str | None,
    settings: Settings = Settings(),  # noqa: B008 - frozen, so safe as a default
    system_out: str | None = None,
) -> LodoReport:
    """Leave-one-document-out over the labelled gold files; optionally write the system JSONL."""
    gold = gold_docs(gold_dir, corpus_dir)
    weak = weak_docs(corpus_dir) if corpus_dir is not None else []
    conf: Counter[tuple[str, str | None]] = Counter()
    per_doc: dict[str, float] = {}
    examples = _Examples()
    out = open(system_out, "w", encoding="utf-8") if system_out else None  # noqa: SIM115
    try:
        for held, train_docs in _folds(gold, weak):
            model = fit(train_docs, settings)
            labelled = classify_paragraphs(held.doc, model)["paragraphs"]
            doc = held.doc.with_layers(paragraphs=labelled)
            if out is not None:
                out.write(doc.to_json() + "\n")
            hits = 0
            for g in held.gold_paragraphs:
                got = label_of(g, labelled)
                conf[(str(g["label"]), got)] += 1
                hits += got == g["label"]
            per_doc[held.name] = round(hits / max(1, len(held.gold_paragraphs)), 4)
            examples.add(model, held)
    finally:
        if out is not None:
            out.close()
    all_scores, truth = np.vstack(examples.scores), examples.truth
    probs = _crossfit_probs(all_scores, truth, examples.names)
    n = sum(conf.values())
    f1 = {lab: round(f1_of(conf, lab), 4) for lab in LABELS}
    present = [lab for lab in LABELS if any(g == lab for g, _ in conf)]
    matrix = {g: {s: conf[(g, s)] for s in LABELS} for g in LABELS}
    return LodoReport(
        n=n,
        accuracy=round(sum(v for (g, s), v in conf.items() if g == s) / n, 4),
        macro_f1=round(sum(f1[lab] for lab in present) / len(present), 4),
        f1=f1,
        confusion=matrix,
        per_document=per_doc,
        reliability=reliability(probs, truth),
        temperature=fit_temperature(all_scores, truth),
    )


def _crossfit_probs(scores: FloatArray, truth: Sequence[int], names: Sequence[str]) -> FloatArray:
    """Probabilities with a temperature fitted, for each document, on the other documents."""
    probs = np.zeros_like(scores)
    arr_names = np.asarray(names)
    y = np.asarray(truth)
    for name in sorted(set(names)):
        mask = arr_names == name
        t = fit_temperature(scores[~mask], list(y[~mask]))
        probs[mask] = _softmax(scores[mask] / t)
    return probs


def format_report(report: LodoReport) -> str:
    """The report as readable text: summary, per-label F1, confusion, reliability."""
    lines = [
        f"LODO paragraphs: n={report.n} accuracy={report.accuracy:.3f} "
        f"macro-F1={report.macro_f1:.3f} (temperature {report.temperature})",
        "per-label F1: " + "  ".join(f"{k}={v:.3f}" for k, v in report.f1.items()),
        "confusion (rows gold, columns system):",
        "          " + "".join(f"{s[:8]:>9}" for s in LABELS),
    ]
    for g in LABELS:
        lines.append(f"{g:<10}" + "".join(f"{report.confusion[g][s]:>9}" for s in LABELS))
    lines.append("per document: " + json.dumps(report.per_document, ensure_ascii=False))
    lines.append("reliability (model-labelled paragraphs, cross-fitted temperature):")
    lines.append(f"{'bin':<12}{'n':>6}{'conf':>8}{'acc':>8}")
    for row in report.reliability:
        lines.append(
            f"{row['bin']:<12}{row['n']:>6}{row['confidence']:>8.3f}{row['accuracy']:>8.3f}"
        )
    return "\n".join(lines)
