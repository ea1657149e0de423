from __future__ import annotations

import json
from pathlib import Path

import pytest

from policytext import Document, Span, annotate, read
from policytext.cli import main
from policytext.labelstudio import CONFIG, from_utf16, to_gold, to_tasks, to_utf16

EMOJI_AND_EXT_B = (
    "🎉基本做法\n一是强化𠮷组织领导。二是开展“三亮三比三创”活动。\n𪚥一要落实。二要检查。"
)


@pytest.mark.parametrize("text", ["一是", "🎉一是", "𠮷野家🎉", "a𪚥b𠮷c"])
def test_offsets_convert_both_ways(text: str) -> None:
    for offset in range(len(text) + 1):
        units = to_utf16(text, offset)
        assert units == len(text[:offset].encode("utf-16-le")) // 2
        assert from_utf16(text, units) == offset


def annotated(text: str) -> Document:
    """A document with paragraph labels, slogans and a nested list, wherever the text has them."""
    doc = annotate(text)
    paragraphs = tuple(
        Span(p.start, p.end, "practice", "test", dict(p.attrs)) for p in doc.paragraphs
    )
    quoted = text.find("“三亮三比三创”")
    slogans = (Span(quoted + 1, quoted + 7, "formula", attrs={"text": "三亮三比三创"}),)

    def marker(word: str, nth: int = 0) -> dict[str, int]:
        at = -1
        for _ in range(nth + 1):
            at = text.index(word, at + 1)
        return {"start": at, "end": at + 2}

    outer = [
        {"marker": marker("一是"), "start": 0, "end": 0},
        {"marker": marker("二是"), "start": 0, "end": 0},
    ]
    inner = [
        {"marker": marker("一要"), "start": 0, "end": 0},
        {"marker": marker("二要"), "start": 0, "end": 0},
    ]
    enumerations = (
        Span(
            outer[0]["marker"]["start"],
            outer[1]["marker"]["end"],
            "ordinal_verb",
            attrs={"items": outer, "parent": None, "declared": 2},
        ),
        Span(
            inner[0]["marker"]["start"],
            inner[1]["marker"]["end"],
            "ordinal_verb",
            attrs={"items": inner, "parent": {"enumeration": 0, "item": 1}, "declared": None},
        ),
    )
    return doc.with_layers(paragraphs=paragraphs, slogans=slogans, enumerations=enumerations)


def assert_round_trip(doc: Document) -> None:
    [task] = json.loads(json.dumps(to_tasks([doc])))  # as Label Studio would store it
    for region in task["predictions"][0]["result"]:
        if region["type"] == "labels":  # what Label Studio shows: JavaScript string offsets
            value = region["value"]
            js = doc.text.encode("utf-16-le")[2 * value["start"] : 2 * value["end"]]
            assert js.decode("utf-16-le") == value["text"]
    [gold] = to_gold([task])
    assert gold["text"] == doc.text
    assert [(p["start"], p["end"], p["label"]) for p in gold["paragraphs"]] == [
        (p.start, p.end, p.label) for p in doc.paragraphs
    ]
    assert gold["slogans"] == sorted({s["text"] for s in doc.slogans})
    assert [s["start"] for s in gold["slogan_spans"]] == [s.start for s in doc.slogans]
    markers = [[i["marker"]["start"] for i in e["items"]] for e in gold["enumerations"]]
    assert markers == [[i["marker"]["start"] for i in e["items"]] for e in doc.enumerations]
    assert [e["declared"] for e in gold["enumerations"]] == [2, None]
    first_outer = doc.enumerations[0]["items"][1]["marker"]["start"]
    assert [e["parent_marker_start"] for e in gold["enumerations"]] == [None, first_outer]


def test_round_trip_outside_the_bmp() -> None:
    assert_round_trip(annotated(EMOJI_AND_EXT_B))


def test_round_trip_on_the_seed(seed_path: Path) -> None:
    text = read(seed_path).text
    assert_round_trip(annotated(text))


def test_cli_export_import_and_config(tmp_path: Path) -> None:
    docs = tmp_path / "docs.jsonl"
    docs.write_text(annotated(EMOJI_AND_EXT_B).to_json() + "\n", encoding="utf-8")
    tasks = tmp_path / "tasks.json"
    assert main(["labelstudio", "export", str(docs), "-o", str(tasks)]) == 0
    assert main(["labelstudio", "import", str(tasks), "-o", str(tmp_path / "gold")]) == 0
    [gold_file] = (tmp_path / "gold").glob("*.gold.json")
    assert json.loads(gold_file.read_text(encoding="utf-8"))["text"] == EMOJI_AND_EXT_B
    config = tmp_path / "config.xml"
    assert main(["labelstudio", "config", "-o", str(config)]) == 0
    assert config.read_text(encoding="utf-8") == CONFIG
