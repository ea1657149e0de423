"""Throughput and memory of policytext against bare jieba, measured in one run.

usage: python benchmarks/throughput.py [CORPUS_DIR] [--repeat N]

Reports characters per second for
  - the baseline: bare ``jieba.lcut`` over the same texts (dictionary loaded first);
  - ``Pipeline`` in this process, all layers and JSON written: ``nlp.pipe(texts)``
    (the way to annotate many texts, and what ``policytext annotate FILE...``
    runs) with jieba and with rjieba, and one
    ``nlp(text)`` call per text with jieba;
  - ``run_batch`` with 1 and 2 worker processes, JSON Lines written to disk;
with each as a ratio to the baseline, the peak memory of a worker process, and
the share of time each stage takes (measured stage by stage on a last pass).
Every run is repeated ``--repeat`` times, interleaved. Each ratio is given
two ways: best time against best time, and the median over the repeats of
the ratio of a run to the baseline run just before it. The machine is
shared and noisy: compare ratios measured in the same run, not absolute
figures across runs.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
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


def library(nlp: Pipeline, texts: list[str], one_by_one: bool) -> float:
    """Seconds to annotate ``texts`` and write their JSON: with ``nlp.pipe`` (the way to
    annotate many texts), or with one ``nlp(text)`` call per text."""
    started = time.perf_counter()
    docs = (nlp(text) for text in texts) if one_by_one else nlp.pipe(texts)
    for doc in docs:
        doc.to_json()
    return time.perf_counter() - started


def stage_times(nlp: Pipeline, texts: list[str]) -> dict[str, float]:
    """Seconds each stage (and writing the JSON) takes over ``texts``, text by text."""
    from policytext.document import Document

    stages: dict[str, float] = defaultdict(float)
    for text in texts:
        doc = Document(text)
        for stage in nlp.stages:
            t = time.perf_counter()
            layers = stage.run(doc)
            stages[stage.name] += time.perf_counter() - t
            doc = doc.with_layers(**layers)
        t = time.perf_counter()
        doc.to_json()
        stages["to_json"] += time.perf_counter() - t
    return dict(stages)


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


def paired(baseline: list[float], run: list[float]) -> float:
    """The median over the repeats of baseline time / run time, each pair measured one
    after the other: a slow spell of the shared machine hits both of a pair alike."""
    return statistics.median(b / r for b, r in zip(baseline, run, strict=True))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--repeat", type=int, default=5, help="runs of each, interleaved")
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

    pipelines = {segmenter: Pipeline(segmenter=segmenter) for segmenter in ("jieba", "rjieba")}
    for nlp in pipelines.values():
        nlp("预热")  # load the dictionary outside the timing
    runs = {
        "Pipeline().pipe(texts) (as policytext annotate), all layers + JSON": (
            pipelines["jieba"],
            False,
        ),
        "Pipeline()(text) for each text, all layers + JSON": (pipelines["jieba"], True),
        "Pipeline(segmenter='rjieba').pipe(texts), all layers + JSON": (pipelines["rjieba"], False),
    }
    times: dict[str, list[float]] = defaultdict(list)
    memory: dict[int, int] = defaultdict(int)
    for _ in range(args.repeat):  # interleaved, so that a slow spell hits all alike
        times["jieba.lcut"].append(bare_jieba(texts))
        for name, (nlp, one_by_one) in runs.items():
            times[name].append(library(nlp, texts, one_by_one))
        for jobs in (1, 2):
            seconds, rss = batch(corpus, jobs)
            times[f"batch --jobs {jobs} (processes start, load, write)"].append(seconds)
            memory[jobs] = max(memory[jobs], rss)
    base = "jieba.lcut"
    print("| run | best seconds | chars/s | × baseline (best) | × baseline (median of pairs) |")
    print("|---|---:|---:|---:|---:|")
    for name, seconds in times.items():
        best = min(seconds)
        ratio = min(times[base]) / best
        print(
            f"| {'bare jieba.lcut (baseline)' if name == base else name} | {best:.2f} | "
            f"{chars / best:,.0f} | {ratio:.3f} | {paired(times[base], seconds):.3f} |"
        )
    one, two = (times[f"batch --jobs {jobs} (processes start, load, write)"] for jobs in (1, 2))
    print(
        f"\nbatch --jobs 2 vs --jobs 1: {min(one) / min(two):.3f}× the throughput "
        f"(best runs), {paired(one, two):.3f}× (median of pairs)"
    )
    for jobs, rss in memory.items():
        print(f"peak memory of a worker process (--jobs {jobs}): {rss / 1024:.0f} MB")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak memory of this benchmark process: {own / 1024:.0f} MB")
    for segmenter, nlp in pipelines.items():
        stages = stage_times(nlp, texts)
        total = sum(stages.values())
        shares = ", ".join(
            f"{k} {v / total:.0%}" for k, v in sorted(stages.items(), key=lambda kv: -kv[1])
        )
        print(f"\ntime per stage with {segmenter}: {shares}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
