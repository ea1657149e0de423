"""Train the passage model: gold labels, weak labels from headings, LODO evaluation.

Training data:

- **gold**: the labelled ``*.gold.json`` files (the scorer's format); each
  gold paragraph's label goes to the layout paragraph it overlaps most;
- **weak**: corpus texts whose top-level section headings look back
  (``一、2023年工作回顾``) or ahead (``三、2024年政府工作任务``): a body
  paragraph in a review section is anything but plan, one in a section that
  looks ahead is plan or other. These are partial labels (a set of allowed
  labels, loss ``-log P(label in set)``) with a small sample weight; they
  teach the text of looking back versus looking ahead across 70 reports.
  Corpus texts are grouped by ``dup_group`` (``manifest.jsonl``): the weak
  copies of gold texts are left out of the shipped model, and a held-out
  gold text's copies are left out of its LODO fold.

The model is a softmax regression fitted with L-BFGS (scipy) on sparse
features, with class weights, an L2 penalty and three shared prior
strengths (see :mod:`policytext.classify.model`); it is exported to numpy
arrays, so nothing from scipy or scikit-learn is needed at prediction.

Only body paragraphs train the model; rules label front and back matter,
boilerplate and salutations, and headings take their section's label.

Retrain the shipped model (deterministic), from the repository's root::

    policytext train ../shared/gold ../shared/corpus -o src/policytext/data/passage-model-v2
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from policytext.classify.features import PRIOR_KINDS, Features, FloatArray, contexts, featurize
from policytext.classify.model import LABELS, VERSION, PassageModel
from policytext.document import Document
from policytext.errors import InputError, OptionError
from policytext.pipeline import Pipeline
from policytext.read import read

__all__ = [
    "Settings",
    "TrainingDoc",
    "fit",
    "fit_temperature",
    "gold_docs",
    "train",
    "weak_docs",
]


@dataclass(frozen=True)
class Settings:
    """Hyper-parameters of training; the defaults were chosen by LODO on the dev gold."""

    c: float = 8.0  # inverse L2 strength of the softmax regression
    prior_exact: float = 2.5  # default strength of the prior of a lexicon title (基本做法)
    prior_contains: float = 2.0  # … and of a title that contains one (一、2023年工作回顾)
    prior_opener: float = 8.0  # … and of a paragraph's own opening (下一步, 今后, 明年, 我们要):
    # above a function title's (基本做法) and a review heading's (一、2023年工作回顾), so that a
    # plan paragraph under one is plan; all 35 gold paragraphs that open so are plan, but too
    # few to learn the strength from
    prior_scale: float = 0.5  # how far training data may move a prior strength (its std)
    balance: float = 2.0  # class weights ∝ (1 / frequency) ** balance
    weak_weight: float = 0.2  # sample weight of a weakly labelled paragraph
    min_df: int = 3  # an n-gram bucket must occur this often (once per paragraph and block)
    max_features: int = 30000  # keep the most frequent n-gram buckets (dense features: all)
    max_iter: int = 500


@dataclass
class TrainingDoc:
    """One document prepared for training: its feature rows and the labels it gives them."""

    name: str
    group: str  # documents of one group are held out together
    gold: bool
    doc: Document
    features: Features
    labels: list[str | None]  # per layout paragraph; None: not a training example
    all_labels: list[str | None] = field(default_factory=list)  # gold label of every paragraph
    gold_paragraphs: list[dict[str, Any]] = field(default_factory=list)  # as in the gold file

    def examples(self) -> tuple[list[int], list[str]]:
        """The paragraphs that are training examples, and their labels."""
        pairs = [(k, label) for k, label in enumerate(self.labels) if label is not None]
        return [k for k, _ in pairs], [label for _, label in pairs]


def _pipeline() -> Pipeline:
    return Pipeline(stages=["layout"])


def _manifest(corpus_dir: str | None) -> dict[str, dict[str, Any]]:
    """Manifest rows by file (relative to the corpus folder)."""
    if corpus_dir is None:
        return {}
    path = os.path.join(corpus_dir, "manifest.jsonl")
    if not os.path.exists(path):
        return {}
    rows = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as e:
                    raise InputError(f"{path}:{n}", f"not JSON ({e.msg})") from None
                rows[row["file"]] = row
    return rows


def _group(manifest: dict[str, dict[str, Any]], rel: str) -> str:
    row = manifest.get(rel, {})
    return str(row.get("dup_group") or rel)


def _is_model_example(doc: Document, k: int) -> bool:
    return bool(doc.paragraphs[k].get("role", "body") == "body")


def _prepare(name: str, group: str, gold: bool, doc: Document) -> TrainingDoc:
    features = featurize(doc, contexts(doc))
    return TrainingDoc(name, group, gold, doc, features, [None] * len(features))


def gold_docs(gold_dir: str, corpus_dir: str | None = None) -> list[TrainingDoc]:
    """The labelled gold files, read and laid out, with their labels on layout paragraphs.

    Gold files are read by :func:`policytext.evaluate.read_gold` (text inline,
    or ``text_file`` relative to the parent of ``gold_dir``, checked by hash).
    """
    from policytext.evaluate import read_gold

    manifest = _manifest(corpus_dir or os.path.join(os.path.dirname(gold_dir), "corpus"))
    nlp = _pipeline()
    out = []
    for stem, gold, text in read_gold(gold_dir):
        if not gold.get("labelled"):
            continue
        name = f"{stem}.gold.json"
        text_file = gold.get("text_file", name)
        rel = text_file.split("/", 1)[1] if "/" in text_file else name
        doc = nlp(text, {"id": name.removesuffix(".gold.json")})
        td = _prepare(name.removesuffix(".gold.json"), _group(manifest, rel), True, doc)
        td.gold_paragraphs = list(gold["paragraphs"])
        td.all_labels = _align(doc, gold["paragraphs"])
        td.labels = [
            lab if _is_model_example(doc, k) and not _is_heading(td, k) else None
            for k, lab in enumerate(td.all_labels)
        ]
        out.append(td)
    return out


def _is_heading(td: TrainingDoc, k: int) -> bool:
    return bool(td.doc.paragraphs[k].get("role") == "heading")


def _align(doc: Document, gold_paragraphs: Sequence[dict[str, Any]]) -> list[str | None]:
    """Each layout paragraph's gold label: that of the gold paragraph it overlaps most."""
    labels: list[str | None] = []
    gold = sorted(gold_paragraphs, key=lambda g: int(g["start"]))
    j = 0
    for p in doc.paragraphs:
        while j < len(gold) and int(gold[j]["end"]) <= p.start:
            j += 1
        best, overlap = None, 0
        for g in gold[j : j + 4]:
            ov = min(p.end, int(g["end"])) - max(p.start, int(g["start"]))
            if ov > overlap:
                best, overlap = str(g["label"]), ov
        labels.append(best)
    return labels


#: Weak labels: the labels a body paragraph may have, by the direction of its top-level section.
WEAK_SETS: dict[str, tuple[str, ...]] = {
    "review": ("practice", "outcome", "lesson", "other"),
    "ahead": ("plan", "other"),
}


def weak_docs(corpus_dir: str, exclude_groups: Collection[str] = ()) -> list[TrainingDoc]:
    """Corpus texts with top-level headings that look back or ahead, weakly labelled.

    A body paragraph in a section whose heading looks back (``一、2023年工作回顾``)
    is anything but plan (``review``); one in a section that looks ahead
    (``三、2024年政府工作任务``) is plan or other (``ahead``).
    """
    manifest = _manifest(corpus_dir)
    nlp = _pipeline()
    out = []
    for rel in sorted(manifest):
        group = _group(manifest, rel)
        if group in exclude_groups or rel in exclude_groups:
            continue
        doc = nlp(read(os.path.join(corpus_dir, rel)).text, {"id": rel})
        td = _prepare(rel, group, False, doc)
        ctx = contexts(doc)
        td.labels = [c.top_direction if c.role == "body" and not c.heading else None for c in ctx]
        if any(lab is not None for lab in td.labels):
            out.append(td)
    return out


# --- fitting -------------------------------------------------------------------


def _design(features: Features, buckets: npt.NDArray[np.int64]) -> Any:
    """The sparse design matrix: dense features, then the n-grams in ``buckets`` (sorted)."""
    from scipy.sparse import csr_matrix, hstack  # type: ignore[import-untyped]

    column = np.searchsorted(buckets, features.buckets)
    known = (column < len(buckets)) & (
        buckets[np.minimum(column, len(buckets) - 1)] == features.buckets
    )
    grams = csr_matrix(
        (features.values[known], (features.rows[known], column[known])),
        shape=(len(features), len(buckets)),
    )
    return hstack([csr_matrix(features.dense), grams], format="csr")


def _softmax_regression(
    x: Any,
    allowed: npt.NDArray[np.float64],
    sw: npt.NDArray[np.float64],
    priors: npt.NDArray[np.float64],
    settings: Settings,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Weights, bias and prior strengths minimising the weighted log loss with L2 penalties.

    ``allowed`` (rows × labels, 0/1) holds each example's permitted labels: one
    for a gold example, several for a weak one, whose loss is then
    ``-log P(label in allowed)``. The prior strengths are shared across
    labels and pulled towards their defaults in ``settings`` (so a kind never
    seen in training keeps its default).
    """
    from scipy.optimize import minimize  # type: ignore[import-untyped]
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    d = x.shape[1]
    k = len(LABELS)
    mask_log = np.where(allowed > 0, 0.0, -np.inf)
    target = np.array([settings.prior_exact, settings.prior_contains, settings.prior_opener])

    def loss(theta: FloatArray) -> tuple[float, FloatArray]:
        w = theta[: d * k].reshape(d, k)
        b = theta[d * k : d * k + k]
        a = theta[d * k + k :]
        z = x @ w + b + (priors * a[None, :, None]).sum(axis=1)  # no BLAS: same on any machine
        z -= z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        logq = logp + mask_log  # log P(c) on allowed labels, -inf elsewhere
        top = logq.max(axis=1, keepdims=True)
        log_allowed = top + np.log(np.exp(logq - top).sum(axis=1, keepdims=True))
        value = -float((sw * log_allowed[:, 0]).sum())
        value += float((w * w).sum()) / (2 * settings.c)
        value += float(((a - target) ** 2).sum()) / (2 * settings.prior_scale**2)
        g = sw[:, None] * (np.exp(logp) - np.exp(logq - log_allowed))
        grad_w = x.T @ g + w / settings.c
        grad_a = (priors * g[:, None, :]).sum(axis=(0, 2)) + (a - target) / settings.prior_scale**2
        return value, np.concatenate([np.ravel(grad_w), g.sum(axis=0), grad_a])

    theta0 = np.concatenate([np.zeros(d * k + k), target])
    with threadpool_limits(1):  # one BLAS thread: the same weights on any machine
        result = minimize(
            loss, theta0, jac=True, method="L-BFGS-B", options={"maxiter": settings.max_iter}
        )
    theta = result.x
    return (
        theta[: d * k].reshape(d, k).astype(np.float32),
        theta[d * k : d * k + k].astype(np.float32),
        theta[d * k + k :].astype(np.float32),
    )


def fit(
    docs: Sequence[TrainingDoc],
    settings: Settings = Settings(),
) -> PassageModel:
    """Fit a model on the gold and weak examples of ``docs`` (deterministic)."""
    parts, labels, weights = [], [], []
    for td in docs:
        if td.gold or settings.weak_weight > 0:
            index, found = td.examples()
            if index:
                parts.append(_take(td.features, index))
                labels += found
                weights += [1.0 if td.gold else settings.weak_weight] * len(found)
    if len(set(labels) & set(LABELS)) < 2:
        raise OptionError(f"training data has labels {sorted(set(labels))}; need two or more")
    features = Features.concat(parts)
    buckets = _vocabulary(features, settings)
    x = _design(features, buckets)
    allowed = np.array(
        [
            [1.0 if lab in WEAK_SETS.get(label, (label,)) else 0.0 for lab in LABELS]
            for label in labels
        ]
    )
    counts = Counter(labels)
    gold_counts = {lab: c for lab, c in counts.items() if lab in LABELS}
    n_gold = sum(gold_counts.values())
    balance = {
        lab: (n_gold / (len(gold_counts) * c)) ** settings.balance for lab, c in gold_counts.items()
    }
    sw = np.array([w * balance.get(lab, 1.0) for w, lab in zip(weights, labels, strict=True)])
    w, b, a = _softmax_regression(x, allowed, sw, features.priors, settings)
    meta = {
        "trained_on": sorted({td.name for td in docs if td.gold}),
        "weak_documents": sum(1 for td in docs if not td.gold),
        "examples": dict(counts),
        "settings": dict(settings.__dict__),
    }
    strengths = {kind: round(float(v), 4) for kind, v in zip(PRIOR_KINDS, a, strict=True)}
    n_dense = features.dense.shape[1]
    return PassageModel(
        w[:n_dense], buckets, w[n_dense:], b, LABELS, strengths, 1.0, VERSION, _jsonable(meta)
    )


def _take(features: Features, index: Sequence[int]) -> Features:
    """The features of the paragraphs in ``index`` (ascending)."""
    new = np.full(len(features), -1, np.int64)
    new[np.asarray(index)] = np.arange(len(index))
    keep = new[features.rows] >= 0
    return Features(
        features.dense[index],
        features.priors[index],
        new[features.rows[keep]],
        features.buckets[keep],
        features.values[keep],
    )


def _vocabulary(features: Features, settings: Settings) -> npt.NDArray[np.int64]:
    """The n-gram buckets the model weighs: in ``min_df`` or more training paragraphs, the
    ``max_features`` most frequent of them (ties to the lower bucket), sorted."""
    found, df = np.unique(features.buckets, return_counts=True)
    order = np.lexsort((found, -df))
    chosen = found[order][df[order] >= settings.min_df][: settings.max_features]
    return np.sort(chosen).astype(np.int64)


def _jsonable(obj: Any) -> Any:
    return json.loads(json.dumps(obj, ensure_ascii=False, default=lambda o: list(o)))


def fit_temperature(scores: FloatArray, gold: Sequence[int]) -> float:
    """The temperature that minimises the negative log-likelihood of ``gold`` under ``scores``."""
    y = np.asarray(gold)
    best_t, best_nll = 1.0, np.inf
    for t in np.exp(np.linspace(np.log(0.25), np.log(4.0), 161)):
        z = scores / t
        z = z - z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        nll = -float(logp[np.arange(len(y)), y].mean())
        if nll < best_nll:
            best_t, best_nll = float(t), nll
    return round(best_t, 4)


def train(
    gold_dir: str,
    corpus_dir: str | None,
    out: str | None,
    exclude: Collection[str] = (),
    settings: Settings = Settings(),
    calibrate: bool = True,
) -> PassageModel:
    """Train on the gold files in ``gold_dir`` and weak labels from ``corpus_dir``; save to ``out``.

    ``exclude`` names gold documents (``gwr_2024``) or corpus groups to leave
    out; a left-out gold text's duplicates in the corpus are left out too.
    With ``calibrate``, the temperature is fitted on leave-one-document-out
    scores of the gold documents.
    """
    gold = [td for td in gold_docs(gold_dir, corpus_dir) if td.name not in exclude]
    weak: list[TrainingDoc] = []
    if corpus_dir is not None:
        held = set(exclude) | {td.group for td in gold} | _groups_of(gold_dir, corpus_dir, exclude)
        weak = weak_docs(corpus_dir, held)
    model = fit([*gold, *weak], settings)
    if calibrate and len(gold) > 1:
        from policytext.classify.evaluate import out_of_fold

        scores, truth, _ = out_of_fold(gold, weak, settings)
        model = _with_temperature(model, fit_temperature(scores, truth))
    if out is not None:
        model.save(out)
    return model


def _groups_of(gold_dir: str, corpus_dir: str, names: Collection[str]) -> set[str]:
    """The corpus groups of the gold documents named in ``names``."""
    if not names:
        return set()
    return {td.group for td in gold_docs(gold_dir, corpus_dir) if td.name in names}


def _with_temperature(model: PassageModel, t: float) -> PassageModel:
    return PassageModel(
        model.dense,
        model.buckets,
        model.grams,
        model.bias,
        model.labels,
        model.priors,
        t,
        model.version,
        {**model.meta, "temperature_fitted_on": "leave-one-document-out gold scores"},
    )
