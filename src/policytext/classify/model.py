"""The passage model: a vocabulary of feature names and a linear layer, in numpy.

The model is stored as two files side by side, neither of them a pickle:

- ``NAME.json``: version, labels, temperature, training summary and the
  vocabulary (feature names in column order);
- ``NAME.npz``: ``weights`` (features × labels, float32) and ``bias``
  (labels), read with ``np.load(allow_pickle=False)``.

Prediction is a sparse dot product plus the section prior (a paragraph in a
section whose heading announces a function gets ``priors[kind]`` added to
that function's score; ``kind`` is ``exact``, ``contains`` or ``opener``, see
:mod:`policytext.classify.features`), then a softmax calibrated by one
temperature fitted on held-out documents.

>>> m = PassageModel.uniform(["f:bias"])
>>> [round(float(p), 2) for p in m.predict_proba([{"f:bias": 1.0}])[0]]
[0.2, 0.2, 0.2, 0.2, 0.2]
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from policytext.errors import InputError
from policytext.lexicon import data_path

__all__ = ["DEFAULT_MODEL", "LABELS", "VERSION", "PassageModel"]

#: The version written into every span the model labels.
VERSION = "passage model v1"

#: The function labels, in the model's column order.
LABELS: tuple[str, ...] = ("practice", "outcome", "lesson", "plan", "other")

#: The shipped model's base name in ``policytext/data``.
DEFAULT_MODEL = "passage-model-v1"

FloatArray = npt.NDArray[np.float64]


def _base(path: str | os.PathLike[str]) -> str:
    """``x.json`` / ``x.npz`` / ``x`` → ``x``."""
    p = os.fspath(path)
    for ext in (".json", ".npz"):
        if p.endswith(ext):
            return p[: -len(ext)]
    return p


@dataclass(frozen=True)
class PassageModel:
    """Weights and vocabulary of the paragraph-function classifier.

    ``vocabulary`` maps a feature name to its row in ``weights``
    (features × labels); ``temperature`` divides the scores before the
    softmax; ``meta`` records how the model was trained.
    """

    vocabulary: Mapping[str, int]
    weights: FloatArray
    bias: FloatArray
    labels: tuple[str, ...] = LABELS
    priors: Mapping[str, float] = field(default_factory=dict)
    temperature: float = 1.0
    version: str = VERSION
    meta: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        n, k = len(self.vocabulary), len(self.labels)
        if self.weights.shape != (n, k) or self.bias.shape != (k,):
            raise InputError(
                "<model>",
                f"weights {self.weights.shape} and bias {self.bias.shape} do not fit "
                f"{n} features and {k} labels",
            )
        if not self.temperature > 0:
            raise InputError("<model>", f"temperature must be positive, not {self.temperature}")

    @classmethod
    def uniform(cls, features: Sequence[str], labels: Sequence[str] = LABELS) -> PassageModel:
        """A model that knows ``features`` and gives every label the same probability."""
        return cls(
            {name: k for k, name in enumerate(features)},
            np.zeros((len(features), len(labels)), np.float64),
            np.zeros(len(labels), np.float64),
            tuple(labels),
        )

    def prior_offsets(self, rows: Sequence[Mapping[str, float]]) -> FloatArray:
        """The section prior's addition to each row's scores (rows × labels)."""
        out = np.zeros((len(rows), len(self.labels)), np.float64)
        keys = [
            (f"p:{kind}:{label}", j, strength)
            for kind, strength in self.priors.items()
            for j, label in enumerate(self.labels)
        ]
        for r, row in enumerate(rows):
            for key, j, strength in keys:
                if key in row:
                    out[r, j] += strength * row[key]
        return out

    # --- prediction ------------------------------------------------------------

    def scores(self, rows: Sequence[Mapping[str, float]]) -> FloatArray:
        """Raw scores (rows × labels) with the section prior, before temperature and softmax."""
        out = np.tile(self.bias, (len(rows), 1)) + self.prior_offsets(rows)
        vocab = self.vocabulary
        for r, row in enumerate(rows):
            hit = [
                (k, v)
                for k, v in zip(map(vocab.get, row), row.values(), strict=True)
                if k is not None
            ]
            if hit:
                ks, vs = zip(*hit, strict=True)
                out[r] += np.asarray(vs, np.float64) @ self.weights[list(ks)]
        return out

    def predict_proba(self, rows: Sequence[Mapping[str, float]]) -> FloatArray:
        """Calibrated probabilities (rows × labels, in the order of :attr:`labels`)."""
        z = self.scores(rows) / self.temperature
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
            with np.load(base + ".npz", allow_pickle=False) as arrays:
                weights = arrays["weights"].astype(np.float64)  # computed in float64: the
                bias = arrays["bias"].astype(np.float64)  # same scores in every process
        except OSError as e:
            raise InputError(base, f"cannot read the model: {e.strerror or e}") from None
        except (KeyError, ValueError) as e:
            raise InputError(base, f"is not a passage model: {e}") from None
        if not isinstance(head, dict) or head.get("format") != "policytext passage model":
            raise InputError(base + ".json", "is not a policytext passage model header")
        vocabulary = {name: k for k, name in enumerate(head["vocabulary"])}
        return cls(
            vocabulary,
            weights,
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
        names = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        order = np.array([self.vocabulary[n] for n in names], dtype=np.int64)
        head = {
            "format": "policytext passage model",
            "version": self.version,
            "labels": list(self.labels),
            "priors": dict(self.priors),
            "temperature": self.temperature,
            "meta": dict(self.meta),
            "vocabulary": names,
        }
        directory = os.path.dirname(os.path.abspath(base))
        os.makedirs(directory, exist_ok=True)
        weights = self.weights[order].astype(np.float32)  # stored small
        np.savez_compressed(base + ".npz", weights=weights, bias=self.bias)
        with open(base + ".json", "w", encoding="utf-8") as f:
            json.dump(head, f, ensure_ascii=False, separators=(",", ":"))
            f.write("\n")
        return base
