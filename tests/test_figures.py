from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policytext.document import Document, Span
from policytext.errors import InputError
from policytext.extract.figures import VERSION, _rules, extract_figures, half_width

Row = tuple[str, str, Any, bool, str | None]  # span text, unit, value, approximate, noun


def found(text: str, doc: Document | None = None) -> list[Row]:
    doc = doc or Document(text)
    rows = []
    for s in extract_figures(doc)["figures"]:
        noun = s["noun"]
        rows.append(
            (
                doc.text_of(s),
                s.label,
                s["value"],
                s["approximate"],
                None if noun is None else doc.text_of(noun),
            )
        )
    return rows


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the guideline's examples
        ("市、旗两级成立了98个指导检查组，", [("98个", "个", 98, False, "指导检查组")]),
        ("抽调5000名干部下基层。", [("5000名", "名", 5000, False, "干部")]),
        ("共培训4000多人次。", [("4000多人次", "人次", 4000, True, None)]),
        ("受训党员7.5万人次。", [("7.5万人次", "人次", 75000, False, None)]),
        ("开展宣讲2800多场次。", [("2800多场次", "场次", 2800, True, None)]),
        ("群众满意率达65%以上。", [("65%以上", "%", 65, True, None)]),
        ("两年来，全市上下团结一心。", [("两年来", "年", 2, False, None)]),
        ("总额1.2万亿元，", [("1.2万亿元", "元", 1_200_000_000_000, False, None)]),
        ("共出版一千一百期。", [("一千一百期", "期", 1100, False, None)]),
        ("两万群众参加了活动。", [("两万", "", 20000, False, "群众")]),
        ("经济增长6.6%。", [("6.6%", "%", 6.6, False, None)]),
        # full-width digits: matched in a half-width view, offsets unchanged
        ("总量达到７．４万亿元。", [("７．４万亿元", "元", 7_400_000_000_000, False, None)]),
        ("平均每年增长７．７％。", [("７．７％", "%", 7.7, False, None)]),
        ("公路通车里程１２３万公里，", [("１２３万公里", "公里", 1_230_000, False, None)]),
        # traditional characters, as in the 1950s reports
        ("增加到一九五〇年的四點九倍。", [("四點九倍", "倍", 4.9, False, None)]),
        ("生產二十五萬噸", [("二十五萬噸", "吨", 250000, False, None)]),
        # full-width thousands separators, as in the 1950s reports
        (
            "收入６０３，９５３，０００元，",
            [("６０３，９５３，０００元", "元", 603953000, False, None)],
        ),
        ("肉类产量１，０６２万吨，", [("１，０６２万吨", "吨", 10620000, False, None)]),
        ("６，０００千瓦的发电设备", [("６，０００千瓦", "千瓦", 6000, False, None)]),
        ("增加两百万担棉花", [("两百万担", "担", 2000000, False, "棉花")]),
        # approximation words before, inside and after
        ("近5年来，", [("近5年来", "年", 5, True, None)]),
        ("超过300家企业参与。", [("超过300家", "家", 300, True, "企业")]),
        ("约3万余人", [("约3万余人", "人", 30000, True, None)]),
        ("用了一年多时间", [("一年多", "年", 1, True, None)]),
        ("用了两个多月", [("两个多月", "个月", 2, True, None)]),
        ("两年多来，", [("两年多来", "年", 2, True, None)]),
        ("用了一年半时间", [("一年半", "年", 1.5, False, None)]),
        (
            "提高到十三斤半，成本由三百零三元降到",
            [("十三斤半", "斤", 13.5, False, None), ("三百零三元", "元", 303, False, None)],
        ),
        ("5个多部门", [("5个", "个", 5, False, None)]),
        ("投入1000多万元资金", [("1000多万元", "元", 10_000_000, True, "资金")]),
        ("三百多万人口", [("三百多万", "", 3_000_000, True, "人口")]),
        ("5000人左右。", [("5000人左右", "人", 5000, True, None)]),
        ("百分之六十五的村", [("百分之六十五", "%", 65, False, None)]),
        # measures, money, ratios
        (
            "发行６６００亿元长期建设国债，",
            [("６６００亿元", "元", 660_000_000_000, False, "长期建设国债")],
        ),
        ("提高0.5个百分点。", [("0.5个百分点", "个百分点", 0.5, False, None)]),
        ("是原来的1.7倍。", [("1.7倍", "倍", 1.7, False, None)]),
        ("外汇储备2864亿美元。", [("2864亿美元", "美元", 286_400_000_000, False, None)]),
        ("新建12,500套住房", [("12,500套", "套", 12500, False, "住房")]),
        ("带给我们四点启示：", [("四点", "点", 4, False, "启示")]),
        ("二十多个部门", [("二十多个", "个", 20, True, "部门")]),
        ("两部门联合印发", [("两部门", "部门", 2, False, None)]),
        ("全国人口13亿。", [("13亿", "", 1_300_000_000, False, None)]),
        ("3亿人口", [("3亿", "", 300_000_000, False, "人口")]),
        ("用５年时间", [("５年", "年", 5, False, None)]),
        ("5000年文明史", [("5000年", "年", 5000, False, None)]),
        # the noun ends before a verb, even with no stop in sight, and not inside 党组织
        ("抽调300名干部组成乡村振兴工作队，", [("300名", "名", 300, False, "干部")]),
        ("带动500多户农民增收。", [("500多户", "户", 500, True, "农民")]),
        ("全镇20个村党组织书记参加培训。", [("20个", "个", 20, False, "村党组织书记")]),
        # after a measure unit, what is not measured ends the noun; after a count, it is counted
        ("守护好3万亩林地资源安全。", [("3万亩", "亩", 30000, False, "林地")]),
        ("研究三个重要问题。", [("三个", "个", 3, False, "重要问题")]),
        ("2000多年来", [("2000多年来", "年", 2000, True, None)]),
        # people are what 人 and 人次 count: what follows is no counted noun
        ("全年有641万人领取养老金。", [("641万人", "人", 6_410_000, False, None)]),
        ("累计服务4000多人次群众。", [("4000多人次", "人次", 4000, True, None)]),
    ],
)
def test_figures(text: str, expected: list[Row]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # ordinals and list markers
        "一是强化组织领导。二是突出实践特色。",
        "第一，要坚持。第二次全体会议。第十一届三中全会。",
        "发展第二产业。",
        "带动零部件出口，三峡二期工程。",
        "超过1979年到1997年的总和。",
        # the indefinite 一 with a measure word is not a figure
        "总结推广了一批先进典型，形成一些经验，一起推进，一道努力。",
        "召开一次会议，建立一套机制，形成一个局面，一系列措施，一把手。",
        # numeric formulas and words with numerals
        "坚持三严三实，推进两学一做，落实四个全面，做到两个维护。",
        "实现两个一百年奋斗目标，落实中央八项规定。",
        "编制十四五规划。完成第一个五年计划。",
        "开展“五个一”活动。",
        # dates and calendar years (left out: a date is not a quantity)
        "2012年12月27日",
        "从2010年4月开始。",
        "１９９８、１９９９年连续遭受特大洪涝灾害。",
        "二〇一二年，",
        "九十年代以来，",
        "2012年度考核",
        # ranges written digit by digit, vague and bare numbers
        "三五年内见效，七八个人。",
        "几十万人，上万人，数百家，十几个。",
        "这十分重要，千方百计，千家万户，危机四伏。",
        "增加了1000。",
        # numbers inside document titles
        "印发了《2012年工作要点》和《关于100个村的通知》。",
        # long digit runs are not numbers
        "1" * 40 + "个",
    ],
)
def test_not_figures(text: str) -> None:
    assert found(text) == []


def test_offsets_index_the_text_as_read() -> None:
    text = "\u3000\u3000国内生产总值从１９９７年的７．４万亿元增加到１０．２万亿元。"
    doc = Document(text)
    spans = extract_figures(doc)["figures"]
    assert [doc.text_of(s) for s in spans] == ["７．４万亿元", "１０．２万亿元"]
    assert [s["value"] for s in spans] == [7_400_000_000_000, 10_200_000_000_000]


def test_span_shape_is_json_native() -> None:
    doc = Document("成立了98个指导检查组。")
    (span,) = extract_figures(doc)["figures"]
    assert span.source == VERSION
    assert set(span.attrs) == {"value", "approximate", "noun"}
    assert span["noun"] == {"start": 6, "end": 11}
    assert json.loads(json.dumps(span.to_dict())) == span.to_dict()
    assert Document.from_json(doc.with_layers(figures=(span,)).to_json()).figures == (span,)


def test_boilerplate_paragraphs_are_skipped() -> None:
    text = "成立了98个小组。\n浏览次数：1200次"
    paragraphs = (Span(0, 9, attrs={"role": "body"}), Span(10, 20, attrs={"role": "boilerplate"}))
    doc = Document(text, {"paragraphs": paragraphs})
    assert [row[0] for row in found(text, doc)] == ["98个"]


def test_tokens_trim_the_noun() -> None:
    text = "有500名党员自愿报名。"
    tokens = tuple(
        Span(s, e, pos)
        for s, e, pos in [
            (0, 1, "v"),
            (1, 4, "m"),
            (4, 5, "q"),
            (5, 7, "n"),
            (7, 9, "d"),
            (9, 11, "v"),
            (11, 12, "x"),
        ]
    )
    doc = Document(text, {"tokens": tokens})
    assert found(text, doc) == [("500名", "名", 500, False, "党员")]


def test_formula_slogans_from_another_stage_are_respected() -> None:
    text = "坚持五个统筹。"
    slogan = Span(2, 6, "formula", attrs={"text": "五个统筹"})
    assert found(text) == [("五个", "个", 5, False, "统筹")]
    assert found(text, Document(text, {"slogans": (slogan,)})) == []


_ALPHABET = (
    "０１２３４５６７８９．％，0123456789.,%"
    + "一二三两十百千万亿萬點个個名年多余近约以上来《》“”第批\u3000\n"
)


@given(st.text(alphabet=_ALPHABET, max_size=60))
def test_view_keeps_offsets_and_spans_stay_in_range(text: str) -> None:
    assert len(half_width(text)) == len(text)
    doc = Document(text)
    for span in extract_figures(doc)["figures"]:
        assert 0 <= span.start < span.end <= len(text)
        noun = span["noun"]
        assert noun is None or span.end <= noun["start"] < noun["end"] <= len(text)


def test_a_bad_unit_row_names_file_and_line(tmp_path: Path) -> None:
    table = tmp_path / "units.tsv"
    table.write_text("# units, version 1\n个\tcount\n人\tperson\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"units\.tsv:3"):
        _rules(str(table))
