from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from policytext import Document, Span, annotate
from policytext.cli import main
from policytext.render import to_html

SCRIPT = "<script>alert(1)</script>"
TEXT = f"基本做法\n一是开展“三亮三比三创”活动{SCRIPT}，培训7.5万人次。二是深化服务。"


def enumerated() -> Document:
    doc = annotate(TEXT)
    items = [
        {"marker": {"start": 5, "end": 7}, "start": 5, "end": 52, "topic": {"start": 7, "end": 9}},
        {"marker": {"start": 52, "end": 54}, "start": 52, "end": 59, "topic": None},
    ]
    return doc.with_layers(
        enumerations=(Span(5, 59, "ordinal_verb", attrs={"items": items}),),
        slogans=(Span(10, 16, "formula", attrs={"text": "三亮三比三创", "quoted": True}),),
        figures=(Span(45, 50, "人次", attrs={"value": 75000}),),
    )


def test_text_is_escaped() -> None:
    page = to_html(enumerated())
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_each_mark_has_its_own_element() -> None:
    page = to_html(enumerated())
    assert page.count('class="pt-slogan"') == 1
    assert page.count('class="pt-marker"') == 2
    assert page.count('class="pt-figure"') == 1
    assert '<mark class="pt-slogan" title="slogan: formula">三亮三比三创</mark>' in page


def test_crossing_marks_are_dropped_not_broken() -> None:
    doc = annotate("一是开展活动。").with_layers(
        slogans=(Span(0, 4, "term"), Span(2, 6, "term")),
    )
    page = to_html(doc)
    assert page.count('class="pt-slogan"') == 1
    assert re.search(r"<mark[^>]*>一是开展</mark>活动", page)


def test_notebook_fragment() -> None:
    fragment = enumerated()._repr_html_()
    assert fragment.startswith('<div class="pt-doc">')
    assert "<html" not in fragment


def test_render_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "doc.jsonl"
    source.write_text(annotate("甲。").to_json() + "\n" + enumerated().to_json() + "\n", "utf-8")
    out = tmp_path / "doc.html"
    assert main(["render", str(source), "-o", str(out)]) == 0
    assert "甲。" in out.read_text(encoding="utf-8")
    assert main(["render", str(source), "--id", "nope"]) == 2
    assert "no document with id 'nope'" in capsys.readouterr().err


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def chromium() -> str:
    found = _chromium()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("CI installs Debian's chromium; it is missing")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return found


def _browser(chromium: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "profile"
    return subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def test_page_in_headless_chromium(chromium: str, tmp_path: Path) -> None:
    page = tmp_path / "doc.html"
    page.write_text(to_html(enumerated()), encoding="utf-8")
    dom = _browser(chromium, tmp_path, "--dump-dom", page.as_uri()).stdout
    assert dom.count('class="pt-slogan"') == 1
    assert dom.count('class="pt-marker"') == 2
    assert "alert(1)" in dom
    assert "<script>alert" not in dom
    shot = tmp_path / "doc.png"
    _browser(chromium, tmp_path, f"--screenshot={shot}", "--window-size=1000,700", page.as_uri())
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 5_000
