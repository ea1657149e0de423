"""The enumerations extractor: families, false markers, scope, nesting, counts, speed."""

from __future__ import annotations

import json
import os
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from policytext.document import Document, Span
from policytext.extract.enumerations import VERSION, extract_enumerations
from policytext.layout import layout

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPORA = Path(__file__).resolve().parents[1] / "corpora"


def annotate(text: str) -> tuple[Document, tuple[Span, ...]]:
    doc = Document(text).with_layers(**layout(text))
    return doc, extract_enumerations(doc)["enumerations"]


def markers(text: str) -> list[tuple[str, list[str]]]:
    """Each enumeration as (family, [marker texts])."""
    doc, found = annotate(text)
    return [(e.label, [doc.text_of(it["marker"]) for it in e["items"]]) for e in found]


def parents(text: str) -> list[str | None]:
    """For each enumeration, the marker text of its parent item, or None."""
    doc, found = annotate(text)
    out: list[str | None] = []
    for e in found:
        p = e["parent"]
        item = None if p is None else found[p["enumeration"]]["items"][p["item"]]
        out.append(None if item is None else doc.text_of(item["marker"]))
    return out


# --- families ------------------------------------------------------------------

FAMILIES = [
    ("一是抓学习。二是抓落实。三是抓考核。", [("ordinal_verb", ["一是", "二是", "三是"])]),
    ("一要讲团结，二要讲纪律。", [("ordinal_verb", ["一要", "二要"])]),
    ("一靠教育，二靠制度，坚持不懈。", [("ordinal_verb", ["一靠", "二靠"])]),
    ("一看思路，二看成效，三看作风。", [("ordinal_verb", ["一看", "二看", "三看"])]),
    ("一抓班子，二抓队伍。", [("ordinal_verb", ["一抓", "二抓"])]),
    ("第一，要加强领导。第二，要完善制度。", [("di", ["第一", "第二"])]),
    ("第一是思想建设，第二是组织建设。", [("di", ["第一", "第二"])]),
    ("我讲两个问题。第一个问题：形势。第二个问题：任务。", [("di", ["第一", "第二"])]),
    ("分为两大板块。第一板块为总论。第二板块为分论。", [("di", ["第一", "第二"])]),
    (
        "首先，要统一思想。其次，要明确责任。最后，要狠抓落实。",
        [("sequence", ["首先", "其次", "最后"])],
    ),
    ("首先要学，其次要做，再次，要改。", [("sequence", ["首先", "其次", "再次"])]),
    ("一方面，要促进发展。另一方面，要保护环境。", [("aspect", ["一方面", "另一方面"])]),
    # 一方面, 一要 and 首先 after their subject, with the next item on the same line
    ("我们一方面要扩大内需；另一方面要稳定外需。", [("aspect", ["一方面", "另一方面"])]),
    (
        "对有劳动能力的贫困户一要扶产业，二要扶就业，三要扶观念。",
        [("ordinal_verb", ["一要", "二要", "三要"])],
    ),
    ("坚持首先抓好企业最关心的事，其次抓好群众反映最强烈的事。", [("sequence", ["首先", "其次"])]),
    # circled numbers are never inside a word: after one, as soon as ② follows
    ("推广①智能灌溉、②精准施肥、③病虫害监测等技术。", [("circled", ["①", "②", "③"])]),
    # an item that opens with a year is no decimal number
    ("重点任务如下。\n1.2024年度重点检查清单\n2.检查情况统计表", [("arabic", ["1.", "2."])]),
    ("分三个阶段推进。第一阶段：动员部署。第二阶段：组织实施。", [("di", ["第一", "第二"])]),
    # （一） run on after a title where line breaks were lost
    (
        "前言。一、主要做法（一）坚持党建引领。县委成立小组。（二）开展行动。党员亮身份。",
        [("outline_paren", ["（一）", "（二）"])],
    ),
    (
        "总则\n一、工作目标\n要做好工作。\n二、工作任务\n要完成任务。",
        [("outline", ["一、", "二、"])],
    ),
    ("（一）加强领导。\n（二）完善制度。", [("outline_paren", ["（一）", "（二）"])]),
    ("(一)加强领导。\n(二)完善制度。", [("outline_paren", ["(一)", "(二)"])]),
    ("1.加强领导。\n2.完善制度。", [("arabic", ["1.", "2."])]),
    ("1、加强领导；2、完善制度。", [("arabic", ["1、", "2、"])]),
    ("１．加强领导。\n２．完善制度。", [("arabic", ["１．", "２．"])]),
    ("(1)加强领导；(2)完善制度。", [("arabic_paren", ["(1)", "(2)"])]),
    ("（1）加强领导；（2）完善制度。", [("arabic_paren", ["（1）", "（2）"])]),
    ("①加强领导；②完善制度；③强化考核。", [("circled", ["①", "②", "③"])]),
    ("前言。\n㈠加强领导。\n㈡完善制度。", [("outline_paren", ["㈠", "㈡"])]),
    ("前言。\n⒈加强领导。\n⒉完善制度。", [("arabic", ["⒈", "⒉"])]),
    ("前言。\n⑴加强领导。\n⑵完善制度。", [("arabic_paren", ["⑴", "⑵"])]),
    ("主要是：一、稳增长；二、调结构。", [("outline", ["一、", "二、"])]),
    (
        "一是子，二是丑，三是寅，四是卯，五是辰，六是巳，七是午，八是未，九是申，十是酉，十一是戌。",
        [("ordinal_verb", [f"{n}是" for n in "一二三四五六七八九十"] + ["十一是"])],
    ),
    # an item may open with a numeral (一些, 十分): only 一是一、二是二 is an idiom
    (
        "存在的问题：一是学习不够深入。二是一些党员干部作风不实。三是十分重视不够。",
        [("ordinal_verb", ["一是", "二是", "三是"])],
    ),
    (
        "一要十分重视发展第三产业；二要发展乡镇企业；三要搞好培训。",
        [("ordinal_verb", ["一要", "二要", "三要"])],
    ),
]


@pytest.mark.parametrize(("text", "expected"), FAMILIES)
def test_families(text: str, expected: list[tuple[str, list[str]]]) -> None:
    assert markers(text) == expected


# --- not markers ---------------------------------------------------------------

NOT_MARKERS = [
    "发展是第一要务，第二要务是稳定。",
    "思想统一是前提，行动统一是关键。",
    "唯一要求是落实，唯二要求是监督。",
    "要进一步加强领导，进二步完善。",
    "培养了一批干部，二批干部已到岗。",
    "开展“三亮三比三创”活动，一亮身份二比贡献。",
    "编制“十五五”规划。",
    "这是第一次会议，第二次会议明年召开。",
    "发展第一产业和第二产业，第三产业也要跟上。",
    "第一代、第二代领导集体。",
    "第三世界国家和第二世界国家。",
    "科学技术是第一生产力，第二生产力是人才。",
    "一个中心，两个基本点。",
    "要做到一是一、二是二，实事求是。",
    "说话要一是一，二是二。",
    "第一步解决温饱，第二步达到小康。",
    "首先要明确目标，然后抓好落实。",
    "一手抓物质文明，一手抓精神文明。",
    "质量第一，安全第一。",
    "三是加强宣传，四是注重实效。",
    "一是强化组织领导。",
    "再次强调，最后一公里要打通。",
    "我们在这一方面做了工作，另一方面还不够。",
    "思想统一是前提，二是行动。",
    "这一要求很高，二要求更高。",
    "他首先发言。其次是我。",
    "坚持新发展理念①，推动“高质量发展”②。",  # footnote marks
    "目前，第一阶段任务已经完成，第二阶段工作正在推进。",
    "他一方面要学习。\n另一方面是工作。",
]


@pytest.mark.parametrize("text", NOT_MARKERS)
def test_not_markers(text: str) -> None:
    assert markers(text) == []


# --- scope, order, diagnostics ---------------------------------------------------

SCOPE = [
    # two lists of one family one after the other: two enumerations
    (
        "主要成效：\n一是增长了。\n二是提高了。\n经验启示：\n一是坚持领导。\n二是依靠群众。",
        [("ordinal_verb", ["一是", "二是"]), ("ordinal_verb", ["一是", "二是"])],
    ),
    # a skipped number stays in the list, with a diagnostic
    ("一是抓学习。二是抓落实。四是抓考核。", [("ordinal_verb", ["一是", "二是", "四是"])]),
    # a repeated number too
    ("一是抓学习。二是抓落实。二是抓考核。", [("ordinal_verb", ["一是", "二是", "二是"])]),
    # an inline list does not run on to a marker many paragraphs away
    (
        "有两种可能：第一，改过来；第二，改不过来。\n"
        + "这是正文。\n" * 8
        + "第三，要整顿。\n第四，要生产。",
        [("di", ["第一", "第二"])],
    ),
    # a list does not run on into the next outline section
    (
        "（一）学习\n一是读原著。\n（二）落实\n二是抓整改。三是抓考核。",
        [("outline_paren", ["（一）", "（二）"])],
    ),
]


@pytest.mark.parametrize(("text", "expected"), SCOPE)
def test_scope(text: str, expected: list[tuple[str, list[str]]]) -> None:
    assert markers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一是抓学习。二是抓落实。三是抓考核。", []),
        ("一是抓学习。二是抓落实。四是抓考核。", ["四是: expected 三, found 四 (skips a number)"]),
        (
            "一是抓学习。二是抓落实。二是抓考核。",
            ["二是: expected 三, found 二 (repeats a number)"],
        ),
        ("抓好三项工作：一是学习。二是落实。", ["declared 3 items, found 2"]),
    ],
)
def test_diagnostics(text: str, expected: list[str]) -> None:
    _, found = annotate(text)
    assert found[0]["diagnostics"] == expected


# --- nesting -----------------------------------------------------------------

NESTING = [
    # 一要…四要 inside a 一是 item
    (
        "一是完成任务。一要整改，二要换届。\n二是推进工作。\n三是做好总结。",
        [None, "一是"],
    ),
    # （一） lists nest under their 一、 item, 一是 lists under their （一） item
    (
        "一、回顾\n（一）经济\n一是增长。二是转型。\n（二）社会\n二、任务\n（一）稳增长\n（二）保民生",
        [None, "一、", "（一）", "二、"],
    ),
    # a list after the last inline item of a paragraph is not inside that item
    ("一是增长。二是转型。\n总之成绩很大。\n一要坚持，二要发展。", [None, None]),
    # a list after the words of the last inline item, in its paragraph, is inside it
    ("一是稳增长。二是调结构，重点抓好两项工作：一要减税，二要降费。", [None, "二是"]),
    # an outline list inside an outline section does not break the list around it
    (
        "一、回顾\n（一）经济\n做了以下工作：\n一、稳增长；\n二、调结构；\n（二）社会\n成绩很大。"
        "\n二、任务\n今年要做。",
        [None, "一、", "（一）"],
    ),
    # an outline list inside the last outline section nests there
    (
        "一、回顾\n成绩很大。\n二、任务\n做好以下工作：\n一、稳增长；\n二、调结构；\n三、惠民生。",
        [None, "二、"],
    ),
    # the last （…） section ends at a salutation: what follows it (the problems of a work
    # report) belongs to the 一、 section, not to the last topic of its review
    (
        "一、去年工作回顾\n（一）加强宏观调控\n做了工作。\n（二）推进改革开放\n深化了改革。"
        "\n各位代表！\n也要看到问题。一是增长乏力。二是就业压力大。\n二、今年工作任务\n要做好工作。",
        [None, "一、", "一、"],
    ),
    # … also where the salutation opens a paragraph
    (
        "一、去年工作回顾\n（一）加强宏观调控\n做了工作。\n（二）推进改革开放\n深化了改革。"
        "\n各位代表！成绩来之不易。\n也要看到问题。一是增长乏力。二是就业压力大。\n二、今年工作任务\n要做好工作。",
        [None, "一、", "一、"],
    ),
    # … which an outline title's section (一、) does not end at
    (
        "一、去年工作回顾\n成绩很大。\n各位代表！\n也要看到问题。一是增长乏力。二是就业压力大。"
        "\n二、今年工作任务\n要做好工作。",
        [None, "一、"],
    ),
    # an opinion numbers its （一） titles on across its 一、 sections: each section's run is a
    # list under its own 一、 item, and the lists inside them nest under their （…） items
    (
        "一、总体要求\n（一）指导思想\n要坚持。\n（二）主要目标\n要实现。\n二、重点任务"
        "\n（三）发展产业\n1.建基地。\n2.育品牌。\n（四）建设乡村\n要建设。\n三、保障措施\n要保障。",
        [None, "一、", "二、", "（三）"],
    ),
    # one long line: outline markers mid-line open sections, lists inside them nest
    (
        "现作说明。一、起草过程"
        + "这是起草过程。" * 250
        + "主要有以下几方面。一是充实内容。二是完善目标。"
        "二、基本框架" + "这是基本框架。" * 250 + "三、重点问题" + "这是重点问题。" * 10,
        [None, "一、"],
    ),
]


@pytest.mark.parametrize(("text", "expected"), NESTING)
def test_nesting(text: str, expected: list[str | None]) -> None:
    assert parents(text) == expected


def test_collapsed_outline_families() -> None:
    text = (
        "现作说明。一、起草过程" + "这是起草过程。" * 250 + "二、基本框架" + "这是基本框架。" * 250
    )
    assert markers(text) == [("outline", ["一、", "二、"])]


# --- declared counts, lead-ins, topics, items ------------------------------------


@pytest.mark.parametrize(
    ("text", "declared", "lead_in"),
    [
        (
            "这些经验，带给我们四点启示：\n一是甲。\n二是乙。\n三是丙。\n四是丁。",
            4,
            "这些经验，带给我们四点启示：",
        ),
        ("下一步要重点抓好四个方面工作：一是甲。二是乙。三是丙。四是丁。", 4, None),
        ("主要有以下三点。一是甲。二是乙。三是丙。", 3, "主要有以下三点。"),
        ("可以分两个阶段来安排。第一个阶段，甲。第二个阶段，乙。", 2, "可以分两个阶段来安排。"),
        ("主要有以下几个方面。一是甲。二是乙。", None, "主要有以下几个方面。"),
        # a modifier between the count and the noun, a noun after 层 or 种, or no noun
        ("必须着重解决好以下三个重要问题。一是甲。二是乙。三是丙。", 3, None),
        ("这句话包括两层含义。第一，甲。第二，乙。", 2, None),
        ("大体上有四种类型：一是甲。二是乙。三是丙。四是丁。", 4, None),
        ("结合的形式大体上有三种：一是甲。二是乙。三是丙。", 3, None),
        ("我们要做到三个“到位”。第一，甲。第二，乙。第三，丙。", 3, None),
        ("一年来，我们做了大量工作：一是甲。二是乙。", None, None),
        ("今年工作很多。一是甲。二是乙。", None, None),
    ],
)
def test_declared(text: str, declared: int | None, lead_in: str | None) -> None:
    doc, found = annotate(text)
    assert found[0]["declared"] == declared
    if lead_in is not None:
        assert doc.text_of(found[0]["lead_in"]) == lead_in


@pytest.mark.parametrize(
    ("text", "topics"),
    [
        (
            "前言。\n一是强化组织领导。市委高度重视。二是突出实践特色，成效明显",
            ["强化组织领导", "突出实践特色"],
        ),
        (
            "第一，围绕体制建立，加快改革步伐。第二，扩大开放；利用外资。",
            ["围绕体制建立，加快改革步伐", "扩大开放"],
        ),
        ("第一个问题：深刻认识进展。第二个问题：把握挑战。", ["深刻认识进展", "把握挑战"]),
    ],
)
def test_topics(text: str, topics: list[str]) -> None:
    doc, found = annotate(text)
    assert [doc.text_of(it["topic"]) for it in found[0]["items"]] == topics


def test_items_tile_from_marker_to_marker() -> None:
    text = "一是甲。二是乙。三是丙。\n另起一段。"
    doc, found = annotate(text)
    items = found[0]["items"]
    assert [doc.text[it["start"] : it["end"]] for it in items] == [
        "一是甲。",
        "二是乙。",
        "三是丙。",
    ]
    assert [it["index"] for it in items] == [1, 2, 3]
    assert (found[0].start, found[0].end) == (0, 12)
    assert found[0].source == VERSION


def test_outline_item_spans_its_section() -> None:
    text = "一、回顾\n过去一年。\n成绩很大。\n二、任务\n今年要做。"
    doc, found = annotate(text)
    first, second = found[0]["items"]
    assert doc.text[first["start"] : first["end"]] == "一、回顾\n过去一年。\n成绩很大。"
    assert doc.text[second["start"] : second["end"]] == "二、任务\n今年要做。"


def test_front_and_back_matter_are_skipped() -> None:
    text = "一、二、三产业发展报告\n2012年12月27日\n正文开始。\n（作者系一是二是研究员）"
    assert markers(text) == []


@pytest.mark.parametrize("name", sorted(p.name for p in CORPORA.glob("*.txt")))
def test_invariants(name: str) -> None:
    from policytext.read import read

    _, found = annotate(read(CORPORA / name).text)
    assert [e.start for e in found] == sorted(e.start for e in found)
    for k, e in enumerate(found):
        assert json.loads(json.dumps(e.to_dict())) == e.to_dict()
        items = e["items"]
        assert len(items) >= 2
        assert (e.start, e.end) == (items[0]["start"], items[-1]["end"])
        for it in items:
            assert it["marker"]["start"] == it["start"] < it["marker"]["end"] <= it["end"]
            if it["topic"] is not None:
                assert it["marker"]["end"] <= it["topic"]["start"] < it["topic"]["end"] <= it["end"]
        for a, b in pairwise(items):
            assert a["end"] <= b["start"]
        if e["parent"] is not None:
            parent = found[e["parent"]["enumeration"]]
            assert e["parent"]["enumeration"] != k
            assert parent["items"][e["parent"]["item"]]["start"] < e.start


def test_json_round_trip() -> None:
    text = "抓好两项工作：\n一是学习。一要读书，二要思考。\n二是落实。"
    doc, found = annotate(text)
    doc = doc.with_layers(**extract_enumerations(doc))
    again = Document.from_json(doc.to_json())
    assert again.enumerations == doc.enumerations
    assert json.loads(json.dumps(found[1].to_dict()))["parent"] == {"enumeration": 0, "item": 0}


# --- the sample corpus (hand-checked, in the repository) ---------------------------

#: The sample corpus names families as the guideline's table groups them.
GROUPS = {
    "ordinal_verb": "ordinal+verb",
    "di": "第",
    "sequence": "sequence",
    "aspect": "sequence",
    "outline": "outline",
    "outline_paren": "outline",
    "arabic": "arabic",
    "arabic_paren": "arabic",
    "circled": "arabic",
}


def _sample_cases() -> list[tuple[str, dict[str, Any]]]:
    expected = json.loads((CORPORA / "expected.json").read_text(encoding="utf-8"))
    return [(name, facts) for name, facts in expected.items() if facts.get("enumerations")]


@pytest.mark.parametrize(
    ("name", "facts"), _sample_cases(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_sample_corpus(name: str, facts: dict[str, Any]) -> None:
    from policytext.read import read

    text = read(CORPORA / name).text
    doc, found = annotate(text)

    def parent_start(e: Span) -> int | None:
        p = e["parent"]
        return None if p is None else found[p["enumeration"]]["items"][p["item"]]["marker"]["start"]

    got = [
        (
            GROUPS[e.label],
            [(doc.text_of(it["marker"]), it["marker"]["start"]) for it in e["items"]],
            parent_start(e),
            e["declared"],
            doc.text_of(e["items"][0]["topic"]),
        )
        for e in found
    ]
    want = [
        (
            e["family"],
            [(it["text"], it["start"]) for it in e["items"]],
            None if e["parent_marker"] is None else e["parent_marker"]["start"],
            e["declared"],
            e["first_item_topic"],
        )
        for e in facts["enumerations"]
    ]
    assert got == want


# --- dash lists ----------------------------------------------------------------


def test_dash_lists() -> None:
    text = "主要成绩：\n——经济增长。\n——民生改善。\n一是甲。二是乙。"
    doc = Document(text).with_layers(**layout(text))
    layers = extract_enumerations(doc)
    (dashes,) = layers["dash_lists"]
    assert [doc.text_of(it) for it in dashes["items"]] == ["——经济增长。", "——民生改善。"]
    assert [e.label for e in layers["enumerations"]] == ["ordinal_verb"]


# --- the dev gold -----------------------------------------------------------------


@pytest.fixture(scope="module")
def gold_dir() -> Path:
    if not os.path.isdir(SHARED / "gold"):
        pytest.skip("../shared/gold is not present")
    return SHARED / "gold"


def test_dev_gold(gold_dir: Path) -> None:
    """Markers, whole lists and parents against the dev gold, with the targets' margins."""
    from policytext.read import read

    tp = fp = fn = exact = found_total = gold_total = nested = nested_ok = 0
    for path in sorted(gold_dir.glob("*.gold.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        _, found = annotate(read(SHARED / gold["text_file"]).text)
        sets = [frozenset(it["marker"]["start"] for it in e["items"]) for e in found]
        parent_of = {}
        for s, e in zip(sets, found, strict=True):
            p = e["parent"]
            item = None if p is None else found[p["enumeration"]]["items"][p["item"]]
            parent_of[s] = None if item is None else item["marker"]["start"]
        want = [frozenset(it["marker"]["start"] for it in e["items"]) for e in gold["enumerations"]]
        got_markers, want_markers = set().union(*sets), set().union(*want)
        tp += len(got_markers & want_markers)
        fp += len(got_markers - want_markers)
        fn += len(want_markers - got_markers)
        exact += sum(1 for w in want if w in parent_of)
        found_total += len(sets)
        gold_total += len(want)
        for w, e in zip(want, gold["enumerations"], strict=True):
            if e["parent_marker_start"] is not None:
                nested += 1
                nested_ok += parent_of.get(w, -1) == e["parent_marker_start"]
    assert 2 * tp / (2 * tp + fp + fn) >= 0.97
    assert exact / found_total >= 0.9
    assert exact / gold_total >= 0.9
    assert nested_ok / nested >= 0.85
