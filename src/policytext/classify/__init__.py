"""Passage function: label each paragraph practice, outcome, lesson, plan or other.

One narrow entry point, :func:`classify_paragraphs` (:func:`classify_many` for
several documents at once), and an explicit model:
nothing is trained or downloaded at import.

```pycon
>>> from policytext.pipeline import Pipeline
>>> doc = Pipeline(stages=["layout"])("主要成效\\n一是进一步推动了科学发展。")
>>> spans = classify_paragraphs(doc, PassageModel.load())["paragraphs"]
>>> [s.label for s in spans]
['outcome', 'outcome']

```
"""

from __future__ import annotations

from policytext.classify.evaluate import LodoReport, evaluate_lodo
from policytext.classify.model import LABELS, VERSION, PassageModel
from policytext.classify.passages import split_passages
from policytext.classify.stage import classify_many, classify_paragraphs
from policytext.classify.train import train

__all__ = [
    "LABELS",
    "VERSION",
    "LodoReport",
    "PassageModel",
    "classify_many",
    "classify_paragraphs",
    "evaluate_lodo",
    "split_passages",
    "train",
]
