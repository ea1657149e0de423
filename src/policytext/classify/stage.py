"""Label each paragraph with its function: rules, the section heading, the model.

Three sources, in order of precedence:

1. ``rule``: front matter, back matter, web boilerplate and salutations
   (the layout's roles) are *other*;
2. ``heading``: a section heading takes the label of the section it opens —
   the function its title announces (heading lexicon), unless the section's
   paragraphs clearly say otherwise, else the dominant function of its
   paragraphs;
3. ``model``: every other paragraph is labelled by the passage model, which
   weighs the paragraph's own text against its section, so a plan paragraph
   in a review section is *plan*; a lead-in followed by two or more items of
   the list it announces takes their mean (evidence ``list:N items``).

>>> from policytext.pipeline import Pipeline
>>> doc = Pipeline(stages=["layout"])("常态化安排\\n下一步要重点抓好四个方面工作：")
>>> spans = classify_paragraphs(doc, PassageModel.load())["paragraphs"]
>>> [(s.label, s.source) for s in spans]
[('plan', 'heading (passage model v2)'), ('plan', 'model (passage model v2)')]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from policytext.classify.features import (
    CUES,
    Context,
    FloatArray,
    batch_feature_parts,
    contexts,
)
from policytext.classify.model import LABELS, VERSION, PassageModel
from policytext.document import Document, Span

__all__ = ["RULE_ROLES", "classify_many", "classify_paragraphs", "label_spans"]

#: Layout roles labelled *other* by rule, with the evidence string each gives.
RULE_ROLES = {
    "front": "rule:front matter",
    "back": "rule:back matter",
    "boilerplate": "rule:boilerplate",
    "salutation": "rule:salutation",
}

#: Probability a rule gives its label (the rest is spread over the other labels).
RULE_CONFIDENCE = 0.98

#: How much a heading's announced function adds to its section's mean probability.
HEADING_PRIOR = 0.2

#: The cue whose matches are quoted as evidence for each label.
_CUE_OF = {
    "practice": "practice",
    "outcome": "outcome",
    "lesson": "lesson",
    "plan": "future",
    "other": "problem",
}
_MAX_CUES = 3


def _source(kind: str) -> str:
    return f"{kind} ({VERSION})"


def _rounded(dists: FloatArray) -> tuple[list[int], list[list[float]]]:
    """Each row's top label and its probabilities rounded to 4 places, summing to 1 (rounded)."""
    rounded = np.round(dists, 4)
    rows = np.arange(len(rounded))
    top = rounded.argmax(axis=1)
    rest = rounded.sum(axis=1) - rounded[rows, top]
    rounded[rows, top] = np.round(1.0 - rest, 4)
    return top.tolist(), rounded.tolist()


def _rule_probs(label: str, labels: Sequence[str]) -> list[float]:
    rest = (1.0 - RULE_CONFIDENCE) / (len(labels) - 1)
    return [RULE_CONFIDENCE if lab == label else rest for lab in labels]


def _cue_evidence(text: str, span: Span, label: str) -> list[str]:
    found: list[str] = []
    for m in CUES[_CUE_OF[label]].finditer(text, span.start, span.end):
        cue = f"cue:{m.group()}"
        if cue not in found:
            found.append(cue)
        if len(found) == _MAX_CUES:
            break
    return found


def _section_members(ctx: Sequence[Context], k: int, heading: int) -> list[int]:
    """The paragraphs after heading paragraph ``k`` that sit in the section it opens."""
    members = []
    for j in range(k + 1, len(ctx)):  # by index: a slice would copy the rest for each heading
        if ctx[j].inner != heading and ctx[j].top != heading:
            break
        members.append(ctx[j].paragraph)
    return members


def _heading_probs(
    probs: FloatArray, ctx: Sequence[Context], k: int, function: str | None
) -> tuple[list[float], list[str]]:
    """A heading's distribution: its section's mean, with the announced function as a prior."""
    heading = ctx[k].inner
    members = [
        j
        for j in ([] if heading is None else _section_members(ctx, k, heading))
        if ctx[j].role == "body" and not ctx[j].heading
    ]
    other = LABELS.index("other")
    mean = probs[members].mean(axis=0) if members else np.full(len(LABELS), 1.0 / len(LABELS))
    mean = mean.astype(np.float64)
    mean[other] *= 0.25  # problems and transitions rarely name a section
    evidence = [f"section:{len(members)} paragraphs"]
    if function in LABELS:
        mean[LABELS.index(function)] += HEADING_PRIOR
    total = float(mean.sum())
    return [float(v) / total for v in mean], evidence


def _list_items(ctx: Sequence[Context], k: int) -> list[int]:
    """The paragraphs right after lead-in paragraph ``k`` that are items of the list it
    announces (each opens with a list marker)."""
    items = []
    for j in range(k + 1, len(ctx)):
        if ctx[j].listed != ctx[k].announces or ctx[j].heading:
            break
        items.append(ctx[j].paragraph)
    return items


def label_spans(
    doc: Document,
    paragraphs: Sequence[Span],
    probs: FloatArray,
    ctx: Sequence[Context],
) -> tuple[Span, ...]:
    """Paragraph spans with label, scores, section, evidence and source, from model ``probs``."""
    dists = np.array(probs, np.float64)
    ruled = [k for k, c in enumerate(ctx) if c.role in RULE_ROLES]
    dists[ruled] = _rule_probs("other", LABELS)
    heading_evidence: dict[int, list[str]] = {}
    for k, c in enumerate(ctx):
        if c.heading and c.role not in RULE_ROLES:
            dists[k], heading_evidence[k] = _heading_probs(probs, ctx, k, c.section_function)
    # a lead-in takes the label of the list it announces: its items' mean
    lead_evidence: dict[int, str] = {}
    for k, c in enumerate(ctx):
        if c.announces is not None and not c.heading and c.role not in RULE_ROLES:
            items = _list_items(ctx, k)
            if len(items) >= 2:
                dists[k] = probs[items].mean(axis=0)
                lead_evidence[k] = f"list:{len(items)} items"
    top, scores = _rounded(dists)
    sources = {kind: _source(kind) for kind in ("rule", "heading", "model")}
    text = doc.text
    out = []
    for k, (p, c, j, row) in enumerate(zip(paragraphs, ctx, top, scores, strict=True)):
        label = LABELS[j]
        if c.role in RULE_ROLES:
            kind, found = "rule", [RULE_ROLES[c.role]]
        elif c.heading:
            kind = "heading" if c.section_function == label else "model"
            found = heading_evidence[k]
            if c.section_function is not None:
                found.insert(0, f"heading:{text[p.start : p.end]}")
        else:
            kind, found = "model", ["model"] if k not in lead_evidence else [lead_evidence[k]]
            if c.section_function is not None and c.inner is not None:
                found.insert(0, f"heading:{doc.text_of(doc.headings[c.inner])}")
            found += _cue_evidence(text, p, label)
        attrs = {
            **p.attrs,
            "scores": dict(zip(LABELS, row, strict=True)),
            "section": c.inner,
            "evidence": found,
        }
        out.append(Span(p.start, p.end, label, sources[kind], attrs))
    return tuple(out)


def classify_paragraphs(
    doc: Document, model: PassageModel, paragraphs: Sequence[Span] | None = None
) -> dict[str, tuple[Span, ...]]:
    """``{"paragraphs": spans}``: the layout's paragraphs (or ``paragraphs``), each labelled.

    Each span keeps its start, end and role and gains ``label`` (practice,
    outcome, lesson, plan or other), ``scores`` (a probability per label,
    summing to 1), ``section`` (index into ``doc.headings`` of the section
    heading it sits under, or ``None``), ``evidence`` (short strings:
    ``heading:主要成效``, ``model``, ``cue:下一步``, ``rule:front matter``)
    and ``source`` (``heading``, ``model`` or ``rule``, with the version).
    """
    paras = doc.paragraphs if paragraphs is None else paragraphs
    return classify_many([(doc, paras)], model)[0]


def classify_many(
    items: Sequence[tuple[Document, Sequence[Span]]], model: PassageModel
) -> list[dict[str, tuple[Span, ...]]]:
    """:func:`classify_paragraphs` of each ``(document, paragraphs)``, the features of all
    computed together (:func:`~policytext.classify.features.batch_feature_parts`)."""
    batch = [(doc, tuple(paras)) for doc, paras in items]
    ctxs = [contexts(doc, paras) for doc, paras in batch]
    parts = batch_feature_parts(
        [(doc, ctx, paras) for (doc, paras), ctx in zip(batch, ctxs, strict=True)]
    )
    probs = np.vstack([model.predict_proba(part) for part in parts])
    if model.labels != LABELS:
        probs = probs[:, [model.labels.index(lab) for lab in LABELS]]
    out = []
    row = 0
    for (doc, paras), ctx in zip(batch, ctxs, strict=True):
        rows = probs[row : row + len(paras)]
        row += len(paras)
        out.append({"paragraphs": label_spans(doc, paras, rows, ctx) if paras else ()})
    return out
