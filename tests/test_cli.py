from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from policytext import Document
from policytext.cli import main
from policytext.schema import validate

ARTICLE = "基本做法\n一是强化组织领导。二是突出实践特色。\n"


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_one_input_gives_one_document(article: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["annotate", str(article)]) == 0
    doc = Document.from_json(capsys.readouterr().out)
    assert doc.text == ARTICLE
    assert doc.meta["id"] == "article"


def test_several_inputs_give_json_lines_in_order(
    article: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.txt"
    other.write_bytes("主要成效\r\n成效明显。\r\n".encode("gb18030"))
    assert main(["annotate", str(other), str(article)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["meta"]["id"] for line in lines] == ["other", "article"]
    assert json.loads(lines[0])["meta"]["encoding"] == "gb18030"


def test_bad_input_is_reported_and_the_rest_written(
    article: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    png = tmp_path / "scan.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
    assert main(["annotate", str(article), str(png), str(article)]) == 1
    out, err = capsys.readouterr()
    assert err.strip() == f"policytext: {png}: is a PNG image, not a text file"
    assert [json.loads(line)["meta"]["id"] for line in out.splitlines()] == ["article"] * 2


def test_output_file_is_not_overwritten_without_force(article: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    assert main(["annotate", str(article), "-o", str(out)]) == 0
    first = out.read_text(encoding="utf-8")
    assert main(["annotate", str(article), "-o", str(out)]) == 2
    assert out.read_text(encoding="utf-8") == first
    assert main(["annotate", str(article), "-o", str(out), "--force", "--jsonl"]) == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1


def test_schema_command_prints_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out)["title"].startswith("policytext/1")


def test_stdin_through_the_console_script(article: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "policytext", "annotate", "-"],
        input=article.read_bytes(),
        capture_output=True,
        check=True,
    )
    assert json.loads(run.stdout)["text"] == ARTICLE


def test_seed_validates_against_the_printed_schema(
    seed_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["annotate", str(seed_path)]) == 0
    obj = json.loads(capsys.readouterr().out)
    validate(obj)
    doc = Document.from_dict(obj)
    assert doc.title == "总结创先争优成果推进长效机制建设"
    assert doc.date == "2012-12-27"
    assert len(doc.paragraphs) == 30
