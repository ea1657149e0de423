"""Annotate whole archives: many inputs, worker processes, progress, resume, error records.

:func:`run_batch` streams records from the inputs (folders, globs, text and
HTML files, JSON Lines and CSV with a text column), annotates them in worker
processes (``spawn``-safe: each worker builds its own pipeline once), and
appends one JSON line per document to the output, in input order. A bad input
becomes one record in ``OUT.errors.jsonl``; the run goes on. Output is written
a chunk at a time in one ``write`` call of whole lines and flushed to disk, so a
crash leaves only complete lines; ``resume=True`` skips what is already done.
"""

from __future__ import annotations

import contextlib
import csv
import glob
import hashlib
import json
import os
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from typing import Any

from policytext.errors import InputError, OptionError, PolicytextError
from policytext.pipeline import Pipeline
from policytext.read import decode

__all__ = ["BatchSummary", "Record", "errors_file", "input_bytes", "iter_records", "run_batch"]

HTML_SUFFIXES = (".html", ".htm")
TABLE_SUFFIXES = (".jsonl", ".csv")
#: Longest text annotated by default; longer ones are reported as errors.
MAX_CHARS = 5_000_000
CHUNK = 16  # records per task sent to a worker at most …
CHUNK_BYTES = 128 * 1024  # … and input bytes: small chunks keep every worker busy to the end


@dataclass(frozen=True, slots=True)
class Record:
    """One unit of work: a file to read, or a text already read from a table row."""

    id: str
    path: str
    text: str | None = None  # None: read ``path`` in the worker
    meta: Mapping[str, Any] = field(default_factory=dict)
    error: str | None = None  # a problem found while listing (a broken JSONL line …)
    size: int = 0  # bytes of input, for the progress bar


@dataclass(slots=True)
class BatchSummary:
    """What a batch run did."""

    done: int = 0
    skipped: int = 0
    failed: int = 0
    chars: int = 0
    seconds: float = 0.0

    def __str__(self) -> str:
        rate = self.chars / self.seconds if self.seconds else 0.0
        return (
            f"{self.done} documents annotated ({self.chars:,} characters, {rate:,.0f} chars/s) "
            f"in {self.seconds:.1f} s; {self.skipped} skipped as already done; {self.failed} failed"
        )


# --- inputs ------------------------------------------------------------------


def _files(inputs: Sequence[str]) -> Iterator[tuple[str, str]]:
    """``(path, id)`` for every file the inputs name, in a stable order."""
    for item in inputs:
        if os.path.isdir(item):
            root = os.path.normpath(item)
            for path in _walk(root):
                yield path, os.path.relpath(path, root)
        elif os.path.exists(item):
            yield item, os.path.basename(item)
        else:
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                yield item, item  # reported as "no such file" by the worker
            for path in matches:
                if os.path.isfile(path):
                    yield path, path


def _walk(folder: str) -> Iterator[str]:
    """Files under ``folder`` in path order (a/, a/x.txt, b.txt), hidden ones left out."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        yield folder  # reported as unreadable by the worker
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _walk(entry.path)
        else:
            yield entry.path


def _rows(path: str, base_id: str, text_field: str, id_field: str | None) -> Iterator[Record]:
    """Records of a JSON Lines or CSV file, one per line or row. A bad line becomes an error
    record; so does a run of lines without the text field, as one record (a table of other
    things, such as a manifest, is one error, not one per line)."""
    lacking: _Lacking | None = None  # the run of lines without the text field going on
    failed: Record | None = None  # the file could not be read to its end
    try:
        rows = _csv_rows(path, text_field) if path.endswith(".csv") else _json_rows(path)
        for line, row, problem in rows:
            where = f"{path}:{line}"
            value = row.get(id_field) if id_field else None
            rid = f"{base_id}:{line}" if value is None else str(value)
            if problem is None and text_field not in row:
                lacking = lacking or _Lacking(line, rid, ", ".join(row) or "none")
                lacking.last = line
                continue
            if lacking is not None:
                yield lacking.record(path, base_id, text_field)
                lacking = None
            if problem is None and not isinstance(row[text_field], str):
                got = json.dumps(row[text_field], ensure_ascii=False)[:40]
                problem = f"{where}: field {text_field!r} holds {got}, not a text"
            if problem is not None:
                yield Record(rid, where, error=problem)
                continue
            text = row[text_field]
            meta = {k: v for k, v in row.items() if k != text_field}
            yield Record(rid, where, text, meta, size=len(text.encode("utf-8")))
    except OSError as e:
        failed = Record(base_id, path, error=f"{path}: cannot be read: {e.strerror or e}")
    except _TableError as e:
        failed = Record(base_id, path, error=str(e))
    if lacking is not None:  # reported before the error that ended the file, if one did
        yield lacking.record(path, base_id, text_field)
    if failed is not None:
        yield failed


@dataclass(slots=True)
class _Lacking:
    """A run of table lines without the text field: its first line, that line's id and
    fields, and its last line."""

    first: int
    id: str
    fields: str
    last: int = 0

    def record(self, path: str, base_id: str, text_field: str) -> Record:
        """One error record for the run, with an id that is the same in every run of the batch
        (so ``--resume`` knows it)."""
        lines = f"{self.first}" if self.first == self.last else f"{self.first}-{self.last}"
        rid = self.id if self.first == self.last else f"{base_id}:{lines}"
        where = f"{path}:{lines}"
        problem = f"{where}: no text field {text_field!r} (fields: {self.fields}); see --text-field"
        return Record(rid, where, error=problem)


class _TableError(Exception):
    """A table that cannot be read at all (no text column, not UTF-8)."""


Row = tuple[int, dict[str, Any], str | None]  # line number, fields, problem


def _csv_rows(path: str, text_field: str) -> Iterator[Row]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        try:
            reader = csv.DictReader(handle)
            columns = reader.fieldnames or []
            if text_field not in columns:
                found = ", ".join(columns) or "none"
                raise _TableError(
                    f"{path}: has no column {text_field!r} (columns: {found}); see --text-field"
                )
            for row in reader:
                yield reader.line_num, dict(row), None
        except UnicodeDecodeError as e:
            raise _TableError(f"{path}: is not UTF-8 (byte {e.start} of a block)") from None
        except csv.Error as e:
            raise _TableError(f"{path}: not valid CSV: {e}") from None


def _json_rows(path: str) -> Iterator[Row]:
    with open(path, "rb") as handle:
        for n, raw in enumerate(handle, 1):
            if not raw.strip():
                continue
            try:
                row = json.loads(raw.decode("utf-8-sig" if n == 1 else "utf-8"))
            except UnicodeDecodeError as e:
                yield n, {}, f"{path}:{n}: not UTF-8 (byte {e.start})"
                continue
            except json.JSONDecodeError as e:
                yield (
                    n,
                    {},
                    f"{path}:{n}: not JSON ({e.msg}): {raw.strip()[:60].decode(errors='replace')}",
                )
                continue
            if not isinstance(row, dict):
                yield n, {}, f"{path}:{n}: a JSON object was expected, not {type(row).__name__}"
                continue
            yield n, row, None


def iter_records(
    inputs: Sequence[str], text_field: str = "text", id_field: str | None = None
) -> Iterator[Record]:
    """The records the inputs hold, in a stable order (folders walked recursively, sorted)."""
    for path, rid in _files(inputs):
        if path.endswith(TABLE_SUFFIXES):
            yield from _rows(path, rid, text_field, id_field)
        else:
            try:
                size = os.path.getsize(path)
            except OSError:
                size = 0
            yield Record(rid, path, size=size)


# --- workers -----------------------------------------------------------------

_WORKER: dict[str, Pipeline] = {}  # the pipeline of this worker process, built once


def _init_worker(options: Mapping[str, Any]) -> None:
    _WORKER["nlp"] = Pipeline(**options)


def _html_text(data: bytes, where: str) -> str:
    try:
        import trafilatura
    except ImportError:
        raise InputError(
            where, "is HTML: install the html extra (pip install 'policytext[html]')"
        ) from None
    html = decode(data, where).text
    text = trafilatura.extract(html, favor_recall=True, include_tables=True)
    if not text:
        raise InputError(where, "no main text found in the HTML")
    return str(text)


def _text_of(record: Record, max_chars: int) -> tuple[str, dict[str, Any]]:
    if record.text is not None:
        return record.text, {}
    try:
        with open(record.path, "rb") as f:
            data = f.read(4 * max_chars + 1)
    except FileNotFoundError:
        raise InputError(record.path, "no such file") from None
    except OSError as e:
        raise InputError(record.path, f"cannot be read: {e.strerror or e}") from None
    if len(data) > 4 * max_chars:
        raise InputError(record.path, f"is over {4 * max_chars:,} bytes: {_TOO_LARGE}")
    if record.path.lower().endswith(HTML_SUFFIXES):
        return _html_text(data, record.path), {"format": "html"}
    source = decode(data, record.path)
    return source.text, {"encoding": source.encoding}


def sha1(text: str) -> str:
    """The content hash recorded in ``meta.sha1`` and used by ``resume``."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


Result = tuple[str, bytes, int]  # status ("ok", "skip", "error"), JSON line, characters annotated


_TOO_LARGE = "too large to annotate (see --max-chars)"


def _prepared(
    record: Record, done: Mapping[str, str], max_chars: int
) -> tuple[str, dict[str, Any]] | None:
    """The text and meta of a record to annotate, None if ``done`` has it (resume)."""
    if record.error is not None:
        raise InputError(record.path, record.error.removeprefix(f"{record.path}: "))
    text, extra = _text_of(record, max_chars)
    digest = sha1(text)
    if done.get(record.id) == digest:
        return None
    if not text.strip():
        raise InputError(record.path, "is empty: no text to annotate")
    if len(text) > max_chars:
        raise InputError(record.path, f"has {len(text):,} characters: {_TOO_LARGE}")
    return text, {**record.meta, "id": record.id, "path": record.path, **extra, "sha1": digest}


def _error(record: Record, e: PolicytextError) -> Result:
    problem = e.problem if isinstance(e, InputError) else str(e)
    error = {"id": record.id, "path": record.path, "error": problem}
    return "error", json.dumps(error, ensure_ascii=False).encode(), 0


def _annotate_chunk(chunk: list[Record], done: Mapping[str, str], max_chars: int) -> list[Result]:
    """Each record's ``("ok", document, n)``, ``("skip", b"", 0)`` or ``("error", error
    record, 0)``; the chunk's texts are annotated together (:meth:`Pipeline.annotate_many`)."""
    results: list[Result] = []
    todo: list[tuple[int, tuple[str, dict[str, Any]]]] = []  # (place in results, text and meta)
    for record in chunk:
        try:
            item = _prepared(record, done, max_chars)
        except PolicytextError as e:
            results.append(_error(record, e))
            continue
        if item is not None:
            todo.append((len(results), item))
        results.append(("skip", b"", 0))  # what a record to annotate gets is set below
    annotated = _WORKER["nlp"].annotate_many([item for _, item in todo])
    for (k, (text, _)), doc in zip(todo, annotated, strict=True):
        if isinstance(doc, PolicytextError):
            results[k] = _error(chunk[k], doc)
        else:
            results[k] = ("ok", doc.to_json_bytes(), len(text))
    return results


# --- the run -----------------------------------------------------------------


def _chunks(records: Iterator[Record]) -> Iterator[list[Record]]:
    """Records in chunks of at most :data:`CHUNK` records and :data:`CHUNK_BYTES` bytes (or
    one larger record): no chunk keeps a worker busy long after the others are done."""
    chunk: list[Record] = []
    size = 0
    for record in records:
        if chunk and (len(chunk) == CHUNK or size + record.size > CHUNK_BYTES):
            yield chunk
            chunk, size = [], 0
        chunk.append(record)
        size += record.size
    if chunk:
        yield chunk


def _completed(path: str) -> dict[str, str]:
    """``id → sha1`` of the documents already in ``path``; a torn last line is cut off."""
    done: dict[str, str] = {}
    if not os.path.exists(path):
        return done
    with open(path, "rb+") as f:
        data = f.read()
        end = data.rfind(b"\n") + 1
        if end < len(data):  # a line cut by a crash: drop it, it is done again
            f.truncate(end)
    for line in data[:end].splitlines():
        meta = json.loads(line).get("meta", {})
        done[str(meta.get("id"))] = str(meta.get("sha1"))
    return done


def _append(fd: int, lines: list[bytes]) -> None:
    if lines:
        os.write(fd, b"\n".join(lines) + b"\n")
        os.fsync(fd)


def run_batch(
    inputs: Sequence[str],
    output: str,
    *,
    jobs: int | None = None,
    resume: bool = False,
    force: bool = False,
    text_field: str = "text",
    id_field: str | None = None,
    pipeline: Mapping[str, Any] | None = None,
    max_chars: int = MAX_CHARS,
    progress: Callable[[int, int, int], None] | None = None,
) -> BatchSummary:
    """Annotate every record of ``inputs`` into the JSON Lines file ``output``.

    ``jobs`` worker processes (default: the number of cores; 0 runs in this
    process); ``pipeline`` holds :class:`Pipeline` keyword arguments;
    a text longer than ``max_chars`` is an error record;
    ``progress(bytes, documents, characters)`` is called as records finish.
    Errors go to ``output`` with ``.errors.jsonl`` in place of ``.jsonl``.
    """
    jobs = (os.cpu_count() or 1) if jobs is None else jobs
    if jobs < 0:
        raise OptionError(f"jobs: {jobs} is not allowed; give 0 (this process) or more")
    errors_path = errors_file(output)
    if os.path.exists(output) and not (resume or force):
        raise InputError(
            output, "already exists; pass --resume to continue it or --force to redo it"
        )
    options = dict(pipeline or {})
    Pipeline(**options)  # fail on bad options here, not in every worker
    done = _completed(output) if resume else {}
    if not resume:
        for path in (output, errors_path):
            if os.path.exists(path):
                os.unlink(path)
    skip_errors = _completed_errors(errors_path) if resume else set()

    summary = BatchSummary()
    started = time.perf_counter()
    records = (r for r in iter_records(inputs, text_field, id_field) if r.id not in skip_errors)
    flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND
    out_fd, err_fd = os.open(output, flags, 0o644), os.open(errors_path, flags, 0o644)
    try:
        work = _chunks(records)
        for chunk, results in _results(work, done, options, jobs, max_chars):
            ok = [line for status, line, _ in results if status == "ok"]
            bad = [line for status, line, _ in results if status == "error"]
            _append(out_fd, ok)
            _append(err_fd, bad)
            summary.done += len(ok)
            summary.failed += len(bad)
            summary.skipped += sum(status == "skip" for status, _, _ in results)
            summary.chars += sum(n for _, _, n in results)
            if progress is not None:
                progress(sum(r.size for r in chunk), len(ok), summary.chars)
    finally:
        os.close(out_fd)
        os.close(err_fd)
    if os.path.getsize(errors_path) == 0:
        os.unlink(errors_path)
    summary.seconds = time.perf_counter() - started
    return summary


def errors_file(output: str) -> str:
    """Where the error records of ``output`` go: ``OUT.errors.jsonl``."""
    stem = output[: -len(".jsonl")] if output.endswith(".jsonl") else output
    return f"{stem}.errors.jsonl"


def _completed_errors(path: str) -> set[str]:
    if not os.path.exists(path):
        return set()
    with open(path, encoding="utf-8") as f:
        return {str(json.loads(line)["id"]) for line in f if line.strip()}


def _results(
    chunks: Iterator[list[Record]],
    done: Mapping[str, str],
    options: Mapping[str, Any],
    jobs: int,
    max_chars: int,
) -> Iterator[tuple[list[Record], list[Result]]]:
    """Each chunk with its results, in input order, with at most ``2 * jobs`` chunks in flight."""
    if jobs == 0:
        _init_worker(options)
        for chunk in chunks:
            yield chunk, _annotate_chunk(chunk, done, max_chars)
        return
    context = get_context("spawn")  # what macOS and Windows use; never fork a loaded jieba
    with ProcessPoolExecutor(jobs, context, _init_worker, (dict(options),)) as pool:
        pending: deque[tuple[list[Record], Future[list[Result]]]] = deque()
        for chunk in chunks:
            mine = {r.id: done[r.id] for r in chunk if r.id in done}
            pending.append((chunk, pool.submit(_annotate_chunk, chunk, mine, max_chars)))
            if len(pending) >= 2 * jobs:
                first, future = pending.popleft()
                yield first, future.result()
        while pending:
            first, future = pending.popleft()
            yield first, future.result()


def input_bytes(inputs: Sequence[str]) -> int:
    """The size of all input files, for a progress bar's total."""
    total = 0
    for path, _ in _files(inputs):
        with contextlib.suppress(OSError):
            total += os.path.getsize(path)
    return total
