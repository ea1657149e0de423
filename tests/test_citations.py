from __future__ import annotations

import json

import pytest

from policytext.document import Document, Span
from policytext.extract.citations import MAX_TITLE, VERSION, extract_citations

Row = tuple[str, str | None]  # title, issuer


def found(text: str, doc: Document | None = None) -> list[Row]:
    doc = doc or Document(text)
    rows = []
    for s in extract_citations(doc)["citations"]:
        assert doc.text_of(s) == s["title"]
        issuer = s["issuer"]
        rows.append((s["title"], None if issuer is None else doc.text_of(issuer)))
    return rows


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the guideline's example and the common shapes of an issuer
        (
            "2011年，中央创先争优活动领导小组印发了《关于建立健全长效机制的指导意见》，",
            [("关于建立健全长效机制的指导意见", "中央创先争优活动领导小组")],
        ),
        (
            "国务院办公厅关于印发《全民健身计划》的通知",
            [("全民健身计划", "国务院办公厅")],
        ),
        ("市委制定了《实施方案》。", [("实施方案", "市委")]),
        ("省政府出台《若干意见》。", [("若干意见", "省政府")]),
        ("全国人大常委会颁布了《村民委员会组织法》。", [("村民委员会组织法", "全国人大常委会")]),
        ("国家统计局发布《统计公报》。", [("统计公报", "国家统计局")]),
        ("市委组织部下发了《工作要点》。", [("工作要点", "市委组织部")]),
        # adverbs between the issuer and the verb stay out of the issuer
        (
            "中共中央、国务院先后印发了《纲要》和《规划》。",
            [("纲要", "中共中央、国务院"), ("规划", "中共中央、国务院")],
        ),
        ("市委研究制定并印发了《办法》。", [("办法", "市委")]),
        ("由市委宣传部印发的《通知》要求，", [("通知", "市委宣传部")]),
        ("去年市政府出台了《决定》，", [("决定", "市政府")]),
        # verbs of compiling and publishing
        ("县委宣传部编印了《学习读本》。", [("学习读本", "县委宣传部")]),
        ("省委办公厅结合实际编写了《工作手册》。", [("工作手册", "省委办公厅")]),
        ("党中央正在研究制定《意见》。", [("意见", "党中央")]),
        # the subject of an earlier clause of the sentence, where the verb's clause has none
        ("区政府成立工作专班，制定出台了《实施细则》。", [("实施细则", "区政府")]),
        (
            "县委高度重视，召开专题会议，印发了《通知》和《方案》。",
            [("通知", "县委"), ("方案", "县委")],
        ),
        ("按照上级要求，县政府认真调研，出台了《办法》。", [("办法", "县政府")]),
        ("我们召开会议，制定了《计划》。", [("计划", None)]),
        ("各乡镇高度重视，出台了《细则》。", [("细则", None)]),
        ("市委召开会议。随后印发了《意见》。", [("意见", None)]),
        (
            "市政府成立老旧小区改造工作专班，制定出台了《青山市城镇老旧小区改造三年行动方案》。",
            [("青山市城镇老旧小区改造三年行动方案", "市政府")],
        ),
        ("近年来，市委组织部编印了《山乡党课》。", [("山乡党课", "市委组织部")]),
        (
            "国务院根据《建议》精神，广泛征求各方面意见，制定了《纲要》。",
            [("建议", None), ("纲要", "国务院")],
        ),
        (
            "党中央高度重视教育工作，召开全国教育大会，印发《中国教育现代化2035》，",
            [("中国教育现代化2035", "党中央")],
        ),
        ("县委高度重视，根据市委部署，制定了《方案》。", [("方案", "县委")]),
        # a clause opened by an adverb or a verb has no subject of its own: the earlier one's
        ("镇党委高度重视，多次召开会议研究，制定了《方案》。", [("方案", "镇党委")]),
        (
            "乡镇党委高度重视，专门召开党委会议研究，制定了《方案》。",
            [("方案", "乡镇党委")],
        ),
        # a meeting, or a name opened by a verb, is no subject; the object of a preposition or
        # of a verb of following is none either: the writer's own body is the unnamed subject
        ("围绕中心工作，召开会议部署，印发了《通知》。", [("通知", None)]),
        ("对照市委要求制定了《办法》。", [("办法", None)]),
        ("通过召开会议将制定《方案》。", [("方案", None)]),
        ("根据市委部署，制定了《实施方案》。", [("实施方案", None)]),
        ("为落实市委要求，制定了《实施方案》。", [("实施方案", None)]),
        ("贯彻党中央决定，制定了《实施方案》。", [("实施方案", None)]),
        ("落实国务院要求，印发了《通知》。", [("通知", None)]),
        ("对照市委制定的《办法》", [("办法", "市委")]),
        # a central body owning the title without a verb
        (
            "认真执行中共中央和国务院《关于加强职工教育工作的决定》",
            [("关于加强职工教育工作的决定", "中共中央和国务院")],
        ),
        ("体现了中央《建议》的要求", [("建议", "中央")]),
        (
            "根据一九八三年九月人大常委会第二次会议通过的《决定》",
            [("决定", "人大常委会第二次会议")],
        ),
        (
            "执行《宪法》中有关审计的规定和国务院发布的《审计条例》",
            [("宪法", None), ("审计条例", "国务院")],
        ),
        # a title without an issuer
        ("研讨苏联《政治经济学教科书》", [("政治经济学教科书", None)]),
        ("明年在昆明举办《公约》缔约方大会", [("公约", None)]),
        ("认真学习《习近平谈治国理政》。", [("习近平谈治国理政", None)]),
        (
            "推动加入《数字经济伙伴关系协定》、《全面与进步跨太平洋伙伴关系协定》。",
            [("数字经济伙伴关系协定", None), ("全面与进步跨太平洋伙伴关系协定", None)],
        ),
        ("我们制定了《计划》。", [("计划", None)]),
        ("各地出台了《细则》。", [("细则", None)]),
        # nested angle brackets stay inside the title
        ("《关于印发〈条例〉的通知》", [("关于印发〈条例〉的通知", None)]),
        # half-width punctuation as in the seed article
        ("按照部署,市委印发了《意见》,", [("意见", "市委")]),
    ],
)
def test_citations(text: str, expected: list[Row]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "没有书名号的句子。",
        "《》空的书名号。",
        "未闭合的《标题，后文很长" + "很长" * 100,
        "《跨行\n的标题》",
        "《" + "长" * (MAX_TITLE + 1) + "》",
    ],
)
def test_not_citations(text: str) -> None:
    assert found(text) == []


def test_a_long_sentence_reads_a_bounded_window_before_each_title() -> None:
    # 200,000 characters in one sentence: each title looks back a bounded window for the
    # subject of an earlier clause, not to the sentence's start (which took minutes). Only the
    # first titles are near enough to 市委 (the window is 80 characters before the 《).
    units, near = 25_000, 9  # the nine 《 within 80 characters of 市委
    rows = found("市委召开会议" + "，印发了《通知》" * units + "。")
    assert rows == [("通知", "市委")] * near + [("通知", None)] * (units - near)


def test_unclosed_bracket_does_not_swallow_the_next_title() -> None:
    assert found("见《未闭合，又见《条例》。") == [("条例", None)]


def test_span_shape_is_json_native() -> None:
    text = "市委印发了《意见》。"
    doc = Document(text)
    (span,) = extract_citations(doc)["citations"]
    assert (span.start, span.end, span.source) == (6, 8, VERSION)
    assert span.attrs == {"title": "意见", "issuer": {"start": 0, "end": 2}}
    assert json.loads(json.dumps(span.to_dict())) == span.to_dict()
    assert Document.from_json(doc.with_layers(citations=(span,)).to_json()).citations == (span,)


def test_boilerplate_paragraphs_are_skipped() -> None:
    text = "市委印发了《意见》。\n相关阅读：《另一篇》"
    paragraphs = (Span(0, 10, attrs={"role": "body"}), Span(11, 21, attrs={"role": "boilerplate"}))
    doc = Document(text, {"paragraphs": paragraphs})
    assert found(text, doc) == [("意见", "市委")]
