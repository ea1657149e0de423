"""Each stage stays linear in the text's length on adversarial input.

usage: python benchmarks/linearity.py [--small CHARS] [--factor N]

For each stage and each adversarial line (repeated markers, quotes or 《
without a closing mark, long digit runs …) this times the stage on a line of
``--small`` characters and on one ``--factor`` times longer, and prints the
ratio. Linear work gives a ratio near the factor; a regex backtracking
blow-up or a quadratic loop gives the factor squared. The guideline: a 10 MB
line takes at most ~10× what 1 MB takes.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

from policytext.classify import PassageModel, classify_paragraphs, split_passages
from policytext.document import Document
from policytext.extract.citations import extract_citations
from policytext.extract.enumerations import extract_enumerations
from policytext.extract.figures import extract_figures
from policytext.extract.slogans import extract_slogans
from policytext.layout import layout

Stage = Callable[[Document], object]

_MODEL = PassageModel.load()


def classify(doc: Document) -> object:
    """The classify stage as the pipeline runs it: passages of long lines, then labels."""
    return classify_paragraphs(doc, _MODEL, split_passages(doc))


#: Adversarial lines: stage name → (the stage, repeated units).
CASES: dict[str, tuple[Stage, list[str]]] = {
    "layout": (
        lambda doc: layout(doc.text),
        ["“一是。", "（（（。", "《关于。", "。”。”", "a. b. "],
    ),
    "enumerations": (
        extract_enumerations,
        ["一是甲，二是乙，三是丙。", "“一、”（一）①第一，", "首先其次再次最后一方面另一方面"],
    ),
    "slogans": (
        extract_slogans,
        ["我们坚持推进改革开放，", "推进两学一做，坚持“三严三实”，", '"推进两学一做，', "“"],
    ),
    "figures": (
        extract_figures,
        ["1" * 1000 + "个", "一二三四五六七八九十" * 100 + "个", "近约超过", "3,000,"],
    ),
    "classify": (
        classify,
        [
            "一是强化领导。",
            "基本做法\n一是强化。\n",
            "（一）坚持。\n下一步，要做。\n",
            "带来四点启示：\n",
        ],
    ),
    "citations": (
        extract_citations,
        [
            "《",
            "《关于",
            "印发了《",
            "领导小组印发了《" + "意" * 50,
            "》《〈",
            "又" * 39 + "《题》",
            "，印发了《通知》",  # one sentence of clauses without a subject: a bounded look back
        ],
    ),
}


def seconds(stage: Stage, unit: str, size: int) -> float:
    text = "“" + unit * (size // len(unit))
    doc = Document(text, layout(text))
    started = time.perf_counter()
    stage(doc)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--small", type=int, default=1_000_000)
    parser.add_argument("--factor", type=int, default=10)
    args = parser.parse_args()
    large = args.small * args.factor
    print(f"| stage | adversarial unit | {args.small:,} chars (s) | {large:,} chars (s) | ratio |")
    print("|---|---|---:|---:|---:|")
    worst = 0.0
    for name, (stage, units) in CASES.items():
        for unit in units:
            seconds(stage, unit, 10_000)  # warm up compiled tables
            small, big = seconds(stage, unit, args.small), seconds(stage, unit, large)
            ratio = big / max(small, 1e-6)
            worst = max(worst, ratio)
            shown = unit if len(unit) <= 16 else unit[:12] + "…"
            print(f"| {name} | `{shown}` | {small:.3f} | {big:.3f} | {ratio:.1f} |")
    print(f"\nworst ratio: {worst:.1f} for {args.factor}× the input")
    return 0


if __name__ == "__main__":
    sys.exit(main())
