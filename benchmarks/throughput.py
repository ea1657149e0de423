"""Throughput and memory of policytext against bare jieba, measured in one run.

usage: python benchmarks/throughput.py [CORPUS_DIR] [--repeat N]

Reports characters per second for
  - the baseline: bare ``jieba.lcut`` over the same texts (dictionary loaded first);
  - ``Pipeline()`` in this process: all layers, JSON written (jieba and rjieba segmenters);
  - ``run_batch`` with 1 and 2 worker processes, JSON Lines written to disk;
with each as a ratio to the baseline, the peak memory of a worker process, and
the share of time each stage takes. The in-process runs (the baseline and
``Pipeline``) are repeated ``--repeat`` times, interleaved, and the best time
of each is kept (the stage shares are those of the last run). The machine is
shared and noisy: compare ratios measured in the same run, not absolute
figures across runs.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from policytext import Pipeline, read

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def texts_of(corpus: Path) -> list[str]:
    return [read(p).text for p in sorted(corpus.rglob("*.txt"))]


def bare_jieba(texts: list[str]) -> float:
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()  # the dictionary loaded first
    started = time.perf_counter()
    for text in texts:
        jieba.lcut(text)
    return time.perf_counter() - started


def library(texts: list[str], segmenter: str, shares: bool) -> tuple[float, dict[str, float]]:
    """Seconds to annotate ``texts`` and write JSON; with ``shares``, then the time per stage."""
    nlp = Pipeline(segmenter=segmenter)
    nlp("预热")  # load the dictionary outside the timing
    stages: dict[str, float] = defaultdict(float)
    started = time.perf_counter()
    for text in texts:
        doc = nlp(text)
        t = time.perf_counter()
        doc.to_json()
        stages["to_json"] += time.perf_counter() - t
    total = time.perf_counter() - started
    if not shares:
        return total, {}
    # the share of each stage, measured on a second pass stage by stage
    from policytext.document import Document

    for text in texts:
        doc = Document(text)
        for stage in nlp.stages:
            t = time.perf_counter()
            layers = stage.run(doc)
            stages[stage.name] += time.perf_counter() - t
            doc = doc.with_layers(**layers)
    return total, dict(stages)


def batch(corpus: Path, jobs: int) -> tuple[float, int]:
    """Wall time of a batch run in a child process, and the peak RSS (KiB) of its processes."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.jsonl")
        code = (
            "import sys, time, resource; from policytext.batch import run_batch; "
            "t = time.perf_counter(); "
            f"run_batch([{str(corpus / '**' / '*.txt')!r}], {out!r}, jobs={jobs}, pipeline={{}}); "
            "print(time.perf_counter() - t); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "
            "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
        )
        run = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        seconds, rss = run.stdout.split("\n", 1)
        children, parent = map(int, rss.split())
        return float(seconds), children if jobs else parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--repeat", type=int, default=3, help="best of N in-process runs")
    args = parser.parse_args()
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        print(f"throughput: no corpus at {corpus}", file=sys.stderr)
        return 2
    texts = texts_of(corpus)
    chars = sum(map(len, texts))
    machine = f"{platform.platform()}, {os.cpu_count()} cores"
    print(f"# machine: {machine}, Python {platform.python_version()}")
    print(f"# corpus: {corpus} — {len(texts)} texts, {chars:,} characters\n")

    best: dict[str, float] = defaultdict(lambda: float("inf"))
    stage_shares = {}
    for run in range(args.repeat):  # interleaved, so that a slow spell hits all alike
        best["jieba.lcut"] = min(best["jieba.lcut"], bare_jieba(texts))
        last = run == args.repeat - 1
        for segmenter in ("jieba", "rjieba"):
            seconds, shares = library(texts, segmenter, shares=last)
            best[segmenter] = min(best[segmenter], seconds)
            if last:
                stage_shares[segmenter] = shares
    base = best["jieba.lcut"]
    rows = [("bare jieba.lcut (baseline)", base)]
    for segmenter in ("jieba", "rjieba"):
        rows.append((f"Pipeline(segmenter={segmenter!r}), all layers + JSON", best[segmenter]))
    memory = {}
    for jobs in (1, 2):
        seconds, rss = batch(corpus, jobs)
        rows.append((f"batch --jobs {jobs} (processes start, load, write)", seconds))
        memory[jobs] = rss
    print("| run | seconds | chars/s | × baseline |")
    print("|---|---:|---:|---:|")
    for name, seconds in rows:
        print(f"| {name} | {seconds:.2f} | {chars / seconds:,.0f} | {base / seconds:.2f} |")
    one, two = rows[-2][1], rows[-1][1]
    print(f"\nbatch --jobs 2 vs --jobs 1: {one / two:.2f}× the throughput")
    for jobs, rss in memory.items():
        print(f"peak memory of a worker process (--jobs {jobs}): {rss / 1024:.0f} MB")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak memory of this benchmark process: {own / 1024:.0f} MB")
    for segmenter, stages in stage_shares.items():
        total = sum(stages.values())
        shares = ", ".join(
            f"{k} {v / total:.0%}" for k, v in sorted(stages.items(), key=lambda kv: -kv[1])
        )
        print(f"\ntime per stage with {segmenter}: {shares}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
