"""The command line: a thin shell over the library.

``main(argv)`` returns the exit status; nothing else here exits the process.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import IO, Any

from policytext import __version__
from policytext.document import Document
from policytext.errors import InputError, PolicytextError, SchemaError
from policytext.pipeline import STAGES, Pipeline
from policytext.read import SourceText, decode, read
from policytext.schema import schema_text
from policytext.segment import SEGMENTERS

__all__ = ["main"]

EXIT_OK, EXIT_FAILED_INPUTS, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policytext",
        description="Turn Chinese policy articles into structured, checkable JSON.",
    )
    parser.add_argument("--version", action="version", version=f"policytext {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    annotate = commands.add_parser(
        "annotate",
        help="annotate texts and write policytext/1 JSON",
        description="Annotate text files (any supported encoding; - for stdin). One input gives "
        "one JSON document; several inputs, or --jsonl, give JSON Lines in input order.",
    )
    annotate.add_argument("paths", nargs="+", metavar="PATH", help="text files, or - for stdin")
    annotate.add_argument("-o", "--output", metavar="OUT", help="write here instead of stdout")
    annotate.add_argument("--force", action="store_true", help="overwrite OUT if it exists")
    annotate.add_argument("--jsonl", action="store_true", help="JSON Lines even for one input")
    annotate.add_argument("--indent", type=int, default=None, help="indent one JSON document")
    _pipeline_options(annotate)

    batch = commands.add_parser(
        "batch",
        help="annotate whole archives into JSON Lines, in parallel and resumably",
        description="Annotate folders (walked recursively), glob patterns, text and HTML files, "
        "and JSON Lines or CSV files with a text column, into one JSON Lines file in input "
        "order. Bad inputs are listed in OUT.errors.jsonl and the run goes on.",
    )
    batch.add_argument("inputs", nargs="+", metavar="INPUT", help="folders, files or globs")
    batch.add_argument("-o", "--output", required=True, metavar="OUT.jsonl", help="output file")
    batch.add_argument(
        "-j", "--jobs", type=int, default=None, help="worker processes (default: cores)"
    )
    batch.add_argument("--resume", action="store_true", help="skip documents already in OUT")
    batch.add_argument("--force", action="store_true", help="start OUT afresh if it exists")
    batch.add_argument("--text-field", default="text", help="text column of JSONL/CSV inputs")
    batch.add_argument("--id-field", default=None, help="id column of JSONL/CSV inputs")
    batch.add_argument(
        "--max-chars", type=int, default=5_000_000, help="longer texts are reported, not annotated"
    )
    batch.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary")
    _pipeline_options(batch)

    render = commands.add_parser(
        "render",
        help="write the HTML view of an annotated document",
        description="Render a policytext/1 document (a .json file, or one line of a .jsonl "
        "file chosen with --id) as a static HTML page.",
    )
    render.add_argument("document", metavar="DOC.json", help="annotated document(s)")
    render.add_argument("-o", "--output", metavar="DOC.html", help="write here, not to stdout")
    render.add_argument("--id", help="the document to render from a JSON Lines file")
    render.add_argument("--force", action="store_true", help="overwrite DOC.html if it exists")

    studio = commands.add_parser(
        "labelstudio",
        help="export to and import from Label Studio (the correction loop)",
        description="export: annotated documents (JSON or JSON Lines) to Label Studio tasks "
        "with pre-annotations; import: a Label Studio JSON export to gold files that "
        "'policytext evaluate' and 'policytext train' read; config: the labelling config.",
    )
    studio.add_argument("action", choices=["export", "import", "config"])
    studio.add_argument("source", nargs="?", metavar="FILE", help="documents, or the export")
    studio.add_argument("-o", "--output", metavar="OUT", help="tasks file, or gold folder")
    studio.add_argument("--force", action="store_true", help="overwrite OUT if it exists")

    train = commands.add_parser(
        "train",
        help="train the passage-function model from gold files and weak labels",
        description="Train the passage model from gold files (the scorer's format) and the weak "
        "labels that section headings give in a corpus folder with manifest.jsonl (grouped by "
        "dup_group). Deterministic: the same inputs give the same model.",
    )
    train.add_argument("gold_dir", metavar="GOLD_DIR", help="folder of *.gold.json files")
    train.add_argument("corpus_dir", nargs="?", metavar="CORPUS_DIR", help="corpus for weak labels")
    train.add_argument(
        "-o", "--output", required=True, metavar="MODEL", help="writes MODEL.json/.npz"
    )
    train.add_argument(
        "--exclude", action="append", default=[], help="a gold document to leave out"
    )

    evaluate = commands.add_parser(
        "evaluate",
        help="score the pipeline on gold files: the scorer's figures, confusion, per-label F1",
        description="Run the pipeline over the texts of GOLD_DIR and score it as the project's "
        "scorer does; with --lodo, evaluate the passage model leave-one-document-out instead "
        "(a model trained without each document labels it).",
    )
    evaluate.add_argument("gold_dir", metavar="GOLD_DIR", help="folder of *.gold.json files")
    evaluate.add_argument("--passage-model", metavar="MODEL", help="model from 'policytext train'")
    evaluate.add_argument("--lodo", action="store_true", help="leave-one-document-out training")
    evaluate.add_argument("--corpus", metavar="CORPUS_DIR", help="with --lodo: weak-label corpus")
    evaluate.add_argument(
        "--system", metavar="OUT.jsonl", help="with --lodo: write the system output"
    )

    commands.add_parser("schema", help="print the policytext/1 JSON Schema")
    return parser


def _pipeline_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--segmenter", choices=sorted(SEGMENTERS), default="jieba", help="word segmenter"
    )
    parser.add_argument(
        "--hanlp-model",
        action="append",
        default=[],
        metavar="PATH",
        help="HanLP model folder or identifier, for --segmenter hanlp (repeatable)",
    )
    parser.add_argument("--pos", action="store_true", help="add part-of-speech tags to tokens")
    parser.add_argument("--passage-model", metavar="MODEL", help="model from 'policytext train'")
    parser.add_argument(
        "--user-dict", action="append", default=[], metavar="FILE", help="extra jieba dictionary"
    )
    parser.add_argument(
        "--exclude", action="append", default=[], choices=sorted(STAGES), help="skip a stage"
    )


def _pipeline(args: argparse.Namespace) -> Pipeline:
    return Pipeline(
        passage_model=args.passage_model,
        exclude=args.exclude,
        segmenter=args.segmenter,
        pos=args.pos,
        user_dicts=args.user_dict,
        hanlp_model=args.hanlp_model or None,
    )


def _read_input(path: str) -> SourceText:
    if path == "-":
        return decode(sys.stdin.buffer.read(), "<stdin>")
    return read(path)


def _meta(source: SourceText) -> dict[str, str]:
    name = os.path.basename(source.path)
    return {
        "id": os.path.splitext(name)[0] or name,
        "path": source.path,
        "encoding": source.encoding,
    }


@contextmanager
def _output(path: str | None, force: bool) -> Iterator[IO[str]]:
    """stdout, or a file written whole: to a temporary file, renamed into place at the end."""
    if path is None or path == "-":
        yield sys.stdout
        return
    if os.path.exists(path) and not force:
        raise InputError(path, "already exists; pass --force to overwrite it")
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".policytext-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            yield f
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _annotate(args: argparse.Namespace) -> int:
    nlp = _pipeline(args)
    lines = args.jsonl or len(args.paths) > 1
    failed = 0

    def report(e: PolicytextError) -> None:
        nonlocal failed
        print(f"policytext: {e}", file=sys.stderr)
        failed += 1

    def sources() -> Iterator[tuple[str, dict[str, str]]]:
        for path in args.paths:
            try:
                source = _read_input(path)
            except PolicytextError as e:
                report(e)
                continue
            yield source.text, _meta(source)

    with _output(args.output, args.force) as out:
        # in batches, stage by stage (Pipeline.pipe), each error in its text's place
        for result in nlp.pipe(sources(), errors="yield"):
            if isinstance(result, PolicytextError):
                report(result)
                continue
            out.write(result.to_json(indent=None if lines else args.indent))
            out.write("\n")
            out.flush()
    return EXIT_FAILED_INPUTS if failed else EXIT_OK


def _batch(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from policytext.batch import errors_file, input_bytes, run_batch

    options = {
        "exclude": args.exclude,
        "segmenter": args.segmenter,
        "pos": args.pos,
        "user_dicts": args.user_dict,
        "hanlp_model": args.hanlp_model or None,
        "passage_model": args.passage_model,
    }
    show = not args.quiet and sys.stderr.isatty()
    bar = tqdm(
        total=input_bytes(args.inputs) if show else None,
        unit="B",
        unit_scale=True,
        disable=not show,
        desc="annotating",
        file=sys.stderr,
    )
    documents = 0

    def progress(size: int, done: int, chars: int) -> None:
        nonlocal documents
        documents += done
        seconds = max(bar.format_dict["elapsed"], 1e-9)
        bar.set_postfix_str(f"{documents / seconds:,.1f} docs/s, {chars / seconds:,.0f} chars/s")
        bar.update(size)

    with bar:
        summary = run_batch(
            args.inputs,
            args.output,
            jobs=args.jobs,
            resume=args.resume,
            force=args.force,
            text_field=args.text_field,
            id_field=args.id_field,
            pipeline=options,
            max_chars=args.max_chars,
            progress=progress,
        )
    if not args.quiet:
        print(f"policytext: {summary}", file=sys.stderr)
        if summary.failed:
            print(
                f"policytext: failed inputs listed in {errors_file(args.output)}", file=sys.stderr
            )
    return EXIT_FAILED_INPUTS if summary.failed else EXIT_OK


def _documents(path: str) -> Iterator[Document]:
    """The documents of a JSON file (a document or a list of them) or a JSON Lines file."""
    try:
        with open(path, encoding="utf-8") as f:
            data = f.read()
    except OSError as e:
        raise InputError(path, f"cannot be read: {e.strerror or e}") from None
    try:
        whole = json.loads(data)
    except json.JSONDecodeError:
        whole = None
    if whole is not None:
        items = [(path, obj) for obj in (whole if isinstance(whole, list) else [whole])]
    else:
        items = list(_json_lines(path, data))
    for where, item in items:
        if not isinstance(item, dict):
            raise InputError(where, "not a policytext/1 document (a JSON object)")
        try:
            yield Document.from_dict(item)
        except SchemaError as e:
            raise InputError(where, f"not a policytext/1 document: {e}") from None


def _json_lines(path: str, data: str) -> Iterator[tuple[str, Any]]:
    for n, line in enumerate(data.splitlines(), 1):
        if line.strip():
            try:
                yield f"{path}:{n}", json.loads(line)
            except json.JSONDecodeError as e:
                raise InputError(f"{path}:{n}", f"not JSON ({e.msg}): {line[:60]}") from None


def _load_document(path: str, wanted: str | None) -> Document:
    """The document with id ``wanted`` (else the first) of a JSON or JSON Lines file."""
    for doc in _documents(path):
        if wanted is None or doc.id == wanted:
            return doc
    raise InputError(path, f"has no document with id {wanted!r}")


def _render(args: argparse.Namespace) -> int:
    from policytext.render import to_html

    page = to_html(_load_document(args.document, args.id))
    with _output(args.output, args.force) as out:
        out.write(page)
    return EXIT_OK


def _labelstudio(args: argparse.Namespace) -> int:
    from policytext import labelstudio

    if args.action == "config":
        with _output(args.output, args.force) as out:
            out.write(labelstudio.CONFIG)
        return EXIT_OK
    if args.source is None:
        raise InputError("labelstudio", f"{args.action} needs a FILE")
    if args.action == "export":
        tasks = labelstudio.to_tasks(_documents(args.source))
        with _output(args.output, args.force) as out:
            json.dump(tasks, out, ensure_ascii=False, indent=1)
        return EXIT_OK
    try:
        with open(args.source, encoding="utf-8") as f:
            tasks = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        raise InputError(args.source, f"is not a Label Studio JSON export: {e}") from None
    folder = args.output or "."
    os.makedirs(folder, exist_ok=True)
    for k, gold in enumerate(labelstudio.to_gold(tasks, args.source)):
        name = re.sub(r"[^\w.-]+", "_", str(gold.get("doc_id") or k))
        with _output(os.path.join(folder, f"{name}.gold.json"), args.force) as out:
            json.dump(gold, out, ensure_ascii=False, indent=1)
    return EXIT_OK


def _train(args: argparse.Namespace) -> int:
    from policytext.classify import train

    model = train(args.gold_dir, args.corpus_dir, args.output, args.exclude)
    print(f"policytext: wrote {args.output}.json and .npz ({len(model.buckets)} n-gram buckets)")
    return EXIT_OK


def _evaluate(args: argparse.Namespace) -> int:
    if args.lodo:
        from policytext.classify.evaluate import evaluate_lodo, format_report

        report = evaluate_lodo(args.gold_dir, args.corpus, system_out=args.system)
        print(format_report(report))
        return EXIT_OK
    from policytext.evaluate import evaluate

    print(evaluate(args.gold_dir, Pipeline(passage_model=args.passage_model)))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "schema":
            sys.stdout.write(schema_text())
            return EXIT_OK
        if args.command == "batch":
            return _batch(args)
        if args.command == "render":
            return _render(args)
        if args.command == "labelstudio":
            return _labelstudio(args)
        if args.command == "train":
            return _train(args)
        if args.command == "evaluate":
            return _evaluate(args)
        return _annotate(args)
    except PolicytextError as e:
        print(f"policytext: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("policytext: interrupted", file=sys.stderr)
        return 130
