"""The passage model: a linear layer over dense features and hashed n-grams, in numpy.

The model is stored as two files side by side, neither of them a pickle:

- ``NAME.json``: format, version, labels, the features it was trained on
  (dense feature names, n-gram blocks, hash size), the prior strengths, the
  temperature and a training summary;
- ``NAME.npz``: ``dense`` (dense features × labels), ``buckets`` (the
  n-gram buckets the model knows), ``grams`` (buckets × labels) and
  ``bias`` (labels), read with ``np.load(allow_pickle=False)``.

Prediction (:meth:`PassageModel.scores`) is a product with the dense
features, a gather of the known buckets' weights summed per paragraph, and
the section prior (a paragraph in a section whose heading announces a
function gets ``priors[kind]`` added to that function's score; ``kind`` is
``exact``, ``contains`` or ``opener``, see :mod:`policytext.classify.features`),
then a softmax calibrated by one temperature fitted on held-out documents.

```pycon
>>> from policytext.pipeline import Pipeline
>>> from policytext.classify.features import contexts, featurize
>>> doc = Pipeline(stages=["layout"])("一是强化组织领导。")
>>> m = PassageModel.uniform()
>>> [round(float(p), 2) for p in m.predict_proba(featurize(doc, contexts(doc)))[0]]
[0.2, 0.2, 0.2, 0.2, 0.2]

```
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from policytext.classify.features import (
    BLOCKS,
    CUE_WORDS,
    DENSE,
    HASH_BITS,
    LABELS,
    PRIOR_KINDS,
    REVISION,
    Features,
    FloatArray,
    IntArray,
)
from policytext.errors import InputError
from policytext.lexicon import data_path

__all__ = ["DEFAULT_MODEL", "LABELS", "VERSION", "PassageModel"]

#: The version written into every span the model labels.
VERSION = "passage model v2"

#: The shipped model's base name in ``policytext/data``.
DEFAULT_MODEL = "passage-model-v2"

#: What a model was trained on, checked when it is loaded: the featuriser's revision, the
#: dense features' names, the cue words, the n-gram blocks and the hash size.
_FEATURES = {
    "revision": REVISION,
    "dense": list(DENSE),
    "cue_words": {name: list(words) for name, words in CUE_WORDS.items()},
    "blocks": {name: list(spec) for name, spec in BLOCKS.items()},
    "hash_bits": HASH_BITS,
}


def _base(path: str | os.PathLike[str]) -> str:
    """``x.json`` / ``x.npz`` / ``x`` → ``x``."""
    p = os.fspath(path)
    for ext in (".json", ".npz"):
        if p.endswith(ext):
            return p[: -len(ext)]
    return p


@dataclass(frozen=True)
class PassageModel:
    """Weights of the paragraph-function classifier.

    ``dense`` (:data:`~policytext.classify.features.DENSE` × labels) weighs
    the dense features; ``grams`` (one row per entry of ``buckets``, sorted)
    weighs the hashed n-grams; ``priors`` holds one strength per prior kind;
    ``temperature`` divides the scores before the softmax; ``meta`` records
    how the model was trained.
    """

    dense: FloatArray
    buckets: IntArray
    grams: FloatArray
    bias: FloatArray
    labels: tuple[str, ...] = LABELS
    priors: Mapping[str, float] = field(default_factory=dict)
    temperature: float = 1.0
    version: str = VERSION
    meta: Mapping[str, Any] = field(default_factory=dict)
    _index: npt.NDArray[np.int32] = field(init=False, repr=False, compare=False)
    _padded: npt.NDArray[np.float32] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        k = len(self.labels)
        shapes = (self.dense.shape, self.grams.shape, self.bias.shape, self.buckets.shape)
        if shapes != ((len(DENSE), k), (len(self.buckets), k), (k,), (len(self.buckets),)):
            raise InputError("<model>", f"weights of shapes {shapes} do not fit {k} labels")
        if not self.temperature > 0:
            raise InputError("<model>", f"temperature must be positive, not {self.temperature}")
        # bucket → row of grams; a bucket the model does not know → the zero row at the end
        index = np.full(1 << HASH_BITS, len(self.buckets), np.int32)
        index[self.buckets] = np.arange(len(self.buckets), dtype=np.int32)
        object.__setattr__(self, "_index", index)
        padded = np.vstack([self.grams, np.zeros((1, k))]).astype(np.float32)
        object.__setattr__(self, "_padded", padded)

    @classmethod
    def uniform(cls, labels: Sequence[str] = LABELS) -> PassageModel:
        """A model that gives every label the same probability."""
        k = len(labels)
        return cls(
            np.zeros((len(DENSE), k)),
            np.zeros(0, np.int64),
            np.zeros((0, k)),
            np.zeros(k),
            tuple(labels),
        )

    # --- prediction ------------------------------------------------------------

    def scores(self, features: Features) -> FloatArray:
        """Raw scores (paragraphs × labels) with the section prior, before the softmax."""
        strengths = np.array([self.priors.get(kind, 0.0) for kind in PRIOR_KINDS])
        out = features.dense @ self.dense + self.bias
        out += np.tensordot(features.priors, strengths, axes=([1], [0]))
        paragraph = features.rows  # sorted
        if len(paragraph):
            # in float32: half the memory traffic, and the same sums in every process
            weights = np.take(self._padded, self._index[features.buckets], axis=0)
            weights *= features.values.astype(np.float32)[:, None]
            first = np.flatnonzero(np.diff(paragraph, prepend=-1))
            out[paragraph[first]] += np.add.reduceat(weights, first, axis=0)
        return np.asarray(out, np.float64)

    def predict_proba(self, features: Features) -> FloatArray:
        """Calibrated probabilities (paragraphs × labels, in the order of :attr:`labels`)."""
        z = self.scores(features) / self.temperature
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return np.asarray(e / e.sum(axis=1, keepdims=True), dtype=np.float64)

    # --- files -----------------------------------------------------------------

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None) -> PassageModel:
        """Read a model saved by :meth:`save`; without ``path``, the shipped one.

        ``path`` may name the ``.json`` file, the ``.npz`` file or their common base.
        """
        base = _base(path) if path is not None else data_path(DEFAULT_MODEL)
        try:
            with open(base + ".json", encoding="utf-8") as f:
                head = json.load(f)
        except OSError as e:
            raise InputError(base, f"cannot read the model: {e.strerror or e}") from None
        except ValueError as e:
            raise InputError(base + ".json", f"is not a passage model header: {e}") from None
        if not isinstance(head, dict) or head.get("format") != "policytext passage model":
            raise InputError(base + ".json", "is not a policytext passage model header")
        if head.get("features") != _FEATURES:
            raise InputError(
                base + ".json",
                f"was trained on other features ({head.get('version')}); retrain it with "
                "policytext train, or use the shipped model",
            )
        try:
            with np.load(base + ".npz", allow_pickle=False) as arrays:
                # computed in float64: the same scores in every process
                weights = {name: arrays[name].astype(np.float64) for name in ("dense", "grams")}
                buckets = arrays["buckets"].astype(np.int64)
                bias = arrays["bias"].astype(np.float64)
        except OSError as e:
            raise InputError(base, f"cannot read the model: {e.strerror or e}") from None
        except (KeyError, ValueError) as e:
            raise InputError(base + ".npz", f"is not a passage model: {e}") from None
        return cls(
            weights["dense"],
            buckets,
            weights["grams"],
            bias,
            tuple(head["labels"]),
            {str(k): float(v) for k, v in head.get("priors", {}).items()},
            float(head["temperature"]),
            str(head["version"]),
            head.get("meta", {}),
        )

    def save(self, path: str | os.PathLike[str]) -> str:
        """Write ``BASE.json`` and ``BASE.npz``; return ``BASE``."""
        base = _base(path)
        head = {
            "format": "policytext passage model",
            "version": self.version,
            "labels": list(self.labels),
            "priors": dict(self.priors),
            "temperature": self.temperature,
            "meta": dict(self.meta),
            "features": _FEATURES,
        }
        directory = os.path.dirname(os.path.abspath(base))
        os.makedirs(directory, exist_ok=True)
        np.savez_compressed(  # stored small
            base + ".npz",
            dense=self.dense.astype(np.float32),
            buckets=self.buckets.astype(np.int32),
            grams=self.grams.astype(np.float32),
            bias=self.bias.astype(np.float32),
        )
        with open(base + ".json", "w", encoding="utf-8") as f:
            json.dump(head, f, ensure_ascii=False, separators=(",", ":"))
            f.write("\n")
        return base
