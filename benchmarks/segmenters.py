"""Where rjieba's tokens differ from jieba's on a corpus, and how fast each is.

usage: python benchmarks/segmenters.py [CORPUS_DIR] [--examples N]

Both segmenters run with policytext's policy lexicon loaded. A token counts as
shared when both segmenters produce a token with the same start and end. The
differing stretches are grouped by what they hold (digits and dates, Latin
letters, Han characters only, other) with the most frequent examples.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from bisect import bisect_right
from collections import Counter
from pathlib import Path

from policytext import read
from policytext.segment import make_segmenter

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def kind(stretch: str) -> str:
    if re.search(r"\d", stretch):
        return "digits, dates, figures"
    if re.search(r"[A-Za-z]", stretch):
        return "Latin letters"
    if re.fullmatch(r"[\u4e00-\u9fff]+", stretch):
        return "Han characters only"
    return "other (punctuation, spaces, mixed)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--examples", type=int, default=5)
    args = parser.parse_args()
    paths = sorted(Path(args.corpus).rglob("*.txt"))
    if not paths:
        print(f"segmenters: no texts under {args.corpus}", file=sys.stderr)
        return 2
    texts = [read(p).text for p in paths]
    chars = sum(map(len, texts))
    segmenters = {name: make_segmenter(name) for name in ("jieba", "rjieba")}
    timings, tokens = {}, {}
    for name, segmenter in segmenters.items():
        started = time.perf_counter()
        segmenter.segment("预热")  # the dictionary load, timed apart
        load = time.perf_counter() - started
        started = time.perf_counter()
        tokens[name] = [segmenter.segment(text) for text in texts]
        timings[name] = (load, time.perf_counter() - started)

    shared = total_jieba = 0
    stretches: list[tuple[int, int]] = []
    kinds: Counter[str] = Counter()
    examples: dict[str, Counter[str]] = {}
    for text, a, b in zip(texts, tokens["jieba"], tokens["rjieba"], strict=True):
        spans_a = set(zip(a.starts.tolist(), a.ends.tolist(), strict=True))
        spans_b = set(zip(b.starts.tolist(), b.ends.tolist(), strict=True))
        shared += len(spans_a & spans_b)
        total_jieba += len(spans_a)
        # stretches where the boundaries differ: between two boundaries both agree on
        bounds_a, bounds_b = {e for _, e in spans_a}, {e for _, e in spans_b}
        agreed = sorted((bounds_a & bounds_b) | {0})
        for e in sorted(bounds_a ^ bounds_b):  # a boundary only one of them draws
            k = bisect_right(agreed, e)
            start, end = agreed[k - 1], agreed[k]
            if not stretches or stretches[-1] != (start, end):
                stretches.append((start, end))
                stretch = text[start:end]
                group = kind(stretch)
                kinds[group] += 1
                examples.setdefault(group, Counter())[stretch] += 1
        stretches.clear()

    print(f"# corpus: {args.corpus} — {len(texts)} texts, {chars:,} characters\n")
    print("| segmenter | dictionary load (s) | segmentation (s) | chars/s |")
    print("|---|---:|---:|---:|")
    for name, (load, seconds) in timings.items():
        print(f"| {name} | {load:.2f} | {seconds:.2f} | {chars / seconds:,.0f} |")
    print(f"\nrjieba is {timings['jieba'][1] / timings['rjieba'][1]:.1f}× faster than jieba")
    share = shared / total_jieba
    print(f"tokens of jieba that rjieba also gives: {shared:,} of {total_jieba:,} ({share:.2%})")
    print(f"stretches where they differ: {sum(kinds.values()):,}\n")
    print("| what the stretch holds | stretches | most frequent |")
    print("|---|---:|---|")
    for group, n in kinds.most_common():
        common = ", ".join(f"{s!r}×{k}" for s, k in examples[group].most_common(args.examples))
        print(f"| {group} | {n:,} | {common} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
