from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from policytext.batch import (
    CHUNK,
    CHUNK_BYTES,
    Record,
    _chunks,
    errors_file,
    iter_records,
    run_batch,
)
from policytext.cli import main

ARTICLE = "基本做法\n一是强化组织领导。二是突出实践特色。\n"


def test_chunks_stay_under_their_limits_in_input_order() -> None:
    sizes = [CHUNK_BYTES // 3] * 7 + [2 * CHUNK_BYTES] + [10] * (CHUNK + 3)
    records = [Record(str(k), f"{k}.txt", size=size) for k, size in enumerate(sizes)]
    chunks = list(_chunks(iter(records)))
    assert [r for chunk in chunks for r in chunk] == records
    for chunk in chunks:
        assert len(chunk) <= CHUNK
        # over the byte limit only as a record of its own
        assert sum(r.size for r in chunk) <= CHUNK_BYTES or len(chunk) == 1
    assert [len(c) for c in chunks] == [3, 3, 1, 1, CHUNK, 3]


def lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """A folder of good inputs in several formats, and one bad input of each kind."""
    root = tmp_path / "archive"
    (root / "b").mkdir(parents=True)
    (root / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (root / "b" / "gb.txt").write_bytes(ARTICLE.replace("\n", "\r\n").encode("gb18030"))
    (root / "b" / "page.html").write_text(
        "<html><body><nav>首页</nav><article><p>一是强化组织领导。市委高度重视。</p>"
        "<p>二是突出实践特色。</p></article></body></html>",
        encoding="utf-8",
    )
    (root / "rows.jsonl").write_text(
        '{"doc": "r1", "text": "主要成效\\n成效明显。", "year": 2012}\n'
        "{broken json\n"
        '{"doc": "r3", "body": "no text field"}\n',
        encoding="utf-8",
    )
    (root / "table.csv").write_text("doc,body\n1,no text column\n", encoding="utf-8")
    (root / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
    (root / "latin.txt").write_bytes(bytes(range(0x80, 0x100)) * 4)
    (root / "empty.txt").write_bytes(b"")
    return root


def test_records_are_listed_in_a_stable_order(archive: Path) -> None:
    ids = [r.id for r in iter_records([str(archive)], id_field="doc")]
    assert ids == [
        "a.txt",
        os.path.join("b", "gb.txt"),
        os.path.join("b", "page.html"),
        "empty.txt",
        "latin.txt",
        "r1",
        "rows.jsonl:2",
        "r3",
        "scan.txt",
        "table.csv",
    ]


@pytest.mark.parametrize("jobs", [0, 2])
def test_bad_inputs_are_recorded_and_the_rest_written(archive: Path, jobs: int) -> None:
    out = archive.parent / "out.jsonl"
    summary = run_batch([str(archive)], str(out), jobs=jobs, id_field="doc")
    docs = lines(out)
    assert [d["meta"]["id"] for d in docs] == [  # type: ignore[index]
        "a.txt",
        os.path.join("b", "gb.txt"),
        os.path.join("b", "page.html"),
        "r1",
    ]
    assert docs[3]["meta"]["year"] == 2012  # type: ignore[index]
    assert docs[0]["text"] == docs[1]["text"] == ARTICLE
    errors = {e["id"]: e["error"] for e in lines(Path(errors_file(str(out))))}
    assert errors == {
        "empty.txt": "is empty: no text to annotate",
        "latin.txt": errors["latin.txt"],
        "rows.jsonl:2": errors["rows.jsonl:2"],
        "r3": "no text field 'text' (fields: doc, body); see --text-field",
        "scan.txt": "is a PNG image, not a text file",
        "table.csv": "has no column 'text' (columns: doc, body); see --text-field",
    }
    assert errors["latin.txt"].startswith("cannot be decoded")
    assert errors["rows.jsonl:2"].startswith("not JSON")
    assert (summary.done, summary.failed, summary.skipped) == (4, 6, 0)


def test_a_table_of_other_things_is_one_error_and_resume_keeps_it_once(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.jsonl"
    rows = [{"file": f"{k}.txt", "chars": k} for k in range(1, 4)] + [{"text": "一是强化领导。"}]
    manifest.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    run_batch([str(manifest)], str(out), jobs=0)
    errors = lines(Path(errors_file(str(out))))
    assert errors == [
        {
            "id": "manifest.jsonl:1-3",
            "path": f"{manifest}:1-3",
            "error": "no text field 'text' (fields: file, chars); see --text-field",
        }
    ]
    assert [d["meta"]["id"] for d in lines(out)] == ["manifest.jsonl:4"]  # type: ignore[index]
    summary = run_batch([str(manifest)], str(out), jobs=0, resume=True)
    assert lines(Path(errors_file(str(out)))) == errors
    assert (summary.done, summary.skipped, summary.failed) == (0, 1, 0)


def test_lines_without_text_are_reported_before_an_error_that_ends_the_table(
    tmp_path: Path,
) -> None:
    table = tmp_path / "t.csv"
    table.write_text(
        "id,text\na,一是强化领导。\nb\nc\nd," + "长" * 140_000 + "\n", encoding="utf-8"
    )
    out = tmp_path / "out.jsonl"
    run_batch([str(table)], str(out), jobs=0, id_field="id")
    errors = lines(Path(errors_file(str(out))))
    assert [e["id"] for e in errors] == ["b", "c", "t.csv"]
    assert errors[0]["error"] == "field 'text' holds null, not a text"  # a short row
    assert str(errors[2]["error"]).startswith("not valid CSV")
    assert [d["meta"]["id"] for d in lines(out)] == ["a"]  # type: ignore[index]


def test_a_text_field_that_holds_no_text_is_named(tmp_path: Path) -> None:
    rows = tmp_path / "rows.jsonl"
    rows.write_text('{"text": null}\n{"text": 7}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    run_batch([str(rows)], str(out), jobs=0)
    assert [e["error"] for e in lines(Path(errors_file(str(out))))] == [
        "field 'text' holds null, not a text",
        "field 'text' holds 7, not a text",
    ]


def test_cli_exit_status_says_some_inputs_failed(archive: Path) -> None:
    out = archive.parent / "cli.jsonl"
    assert main(["batch", str(archive), "-o", str(out), "--jobs", "0", "-q"]) == 1
    assert main(["batch", str(archive / "a.txt"), "-o", str(out), "-q"]) == 2  # exists
    assert main(["batch", str(archive / "a.txt"), "-o", str(out), "-q", "--force"]) == 0
    assert len(lines(out)) == 1


@pytest.mark.parametrize("chars", [150, 1000])
def test_a_huge_single_line_is_an_error_not_a_crash(tmp_path: Path, chars: int) -> None:
    big = tmp_path / "big.txt"
    big.write_text("一" * chars, encoding="utf-8")  # 3 bytes a character
    run_batch([str(big)], str(tmp_path / "o.jsonl"), jobs=0, max_chars=100)
    [error] = lines(tmp_path / "o.errors.jsonl")
    assert str(error["error"]).endswith("too large to annotate (see --max-chars)")


def _many(tmp_path: Path, n: int) -> Path:
    root = tmp_path / "many"
    root.mkdir()
    for i in range(n):
        text = f"第{i}号文件\n一是强化组织领导。二是突出实践特色。\n" * (1 + i % 5)
        (root / f"{i:04d}.txt").write_text(text, encoding="utf-8")
    return root


def test_killed_run_resumes_to_the_same_output(tmp_path: Path) -> None:
    root = _many(tmp_path, 400)
    whole = tmp_path / "whole.jsonl"
    assert run_batch([str(root)], str(whole), jobs=0).done == 400

    out = tmp_path / "killed.jsonl"
    command = [sys.executable, "-m", "policytext", "batch", str(root), "-o", str(out), "-j", "1"]
    run = subprocess.Popen(command, start_new_session=True, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (not out.exists() or out.stat().st_size < 20_000):
        time.sleep(0.05)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    partial = out.read_bytes()
    assert 0 < partial.count(b"\n") < 400, "the run was killed mid-way"
    assert partial.endswith(b"\n"), "only complete lines are written"

    summary = run_batch([str(root)], str(out), jobs=2, resume=True)
    assert summary.skipped == partial.count(b"\n")
    assert out.read_bytes() == whole.read_bytes()


def test_a_stage_failing_on_one_text_of_a_chunk_spares_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from policytext import pipeline

    def broken(options: object) -> pipeline.Stage:
        def run(doc: object) -> dict[str, tuple[()]]:
            if "坏" in getattr(doc, "text", ""):
                raise KeyError("boom")
            return {}

        return pipeline.Stage("citations", "v0", (), (), run)

    monkeypatch.setitem(pipeline.STAGES, "citations", broken)
    rows = tmp_path / "rows.jsonl"
    texts = ["一是强化领导。", "坏的一行。", "二是突出特色。"]
    rows.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    summary = run_batch([str(rows)], str(out), jobs=0)
    assert [d["text"] for d in lines(out)] == [texts[0], texts[2]]
    assert lines(Path(errors_file(str(out)))) == [
        {
            "id": "rows.jsonl:2",
            "path": f"{rows}:2",
            "error": "stage 'citations' failed on rows.jsonl:2: KeyError('boom')",
        }
    ]
    assert (summary.done, summary.failed) == (2, 1)
