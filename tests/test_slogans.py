from __future__ import annotations

import json
from pathlib import Path

import pytest

from policytext.document import Document
from policytext.errors import InputError
from policytext.extract.slogans import (
    KINDS,
    VERSION,
    count_slogans,
    extract_slogans,
    load_lexicon,
)
from policytext.layout import layout
from policytext.read import read


def found(text: str) -> set[str]:
    return {s["text"] for s in extract_slogans(Document(text))["slogans"]}


# --- guideline examples and counter-examples ------------------------------------


@pytest.mark.parametrize(
    ("text", "slogan"),
    [
        # quoted formulas, mottos, names and terms
        ("各企业普遍开展了“三亮三比三创”活动。", "三亮三比三创"),
        ("紧紧围绕“科学发展、富民强市”的大局谋划工作。", "科学发展、富民强市"),
        ("积极投身实施“十二五”规划。", "十二五"),
        ("推行的嘎查村“532”工作法。", "532"),
        ("扩大有效投资，聚焦“两重”建设。", "两重"),
        ("开展争做“青年创业先锋”活动。", "青年创业先锋"),
        ("开展“知民情、解民忧、暖民心”活动。", "知民情、解民忧、暖民心"),
        ("按照五个统筹的要求。", "五个统筹"),
        ("积极稳妥处置“僵尸企业”。", "僵尸企业"),
        ("深化“放管服”改革。", "放管服"),
        ("把今年确定为“基层减负年”。", "基层减负年"),
        ("建立以“奖、贷、助、补、减、免”为主要内容的资助体系。", "奖、贷、助、补、减、免"),
        ("坚持“与邻为善，以邻为伴”的周边外交方针。", "与邻为善，以邻为伴"),
        ("制定“互联网＋”行动计划。", "互联网+"),
        ('协调推进"四个全面"战略布局。', "四个全面"),
        ("坚持「一国两制」方针。", "一国两制"),
        ("学习‘两学一做’的经验。", "两学一做"),
        # unquoted numeric formulas, from the lexicon or from their shape
        ("深入开展三严三实专题教育。", "三严三实"),
        ("推进两学一做学习教育常态化制度化。", "两学一做"),
        ("协调推进四个全面战略布局。", "四个全面"),
        ("统筹推进五位一体总体布局。", "五位一体"),
        ("审议通过十四五规划和2035年远景目标纲要。", "十四五"),
        ("坚定拥护两个确立。", "两个确立"),
        ("高质量共建一带一路。", "一带一路"),
        ("加快构建以国内大循环为主体、国内国际双循环相互促进的新发展格局。", "双循环"),
        ("严格落实中央八项规定精神。", "八项规定"),
        ("坚持四项基本原则。", "四项基本原则"),
        ("打好三大攻坚战。", "三大攻坚战"),
        ("实现第一个百年奋斗目标。", "第一个百年奋斗目标"),
        ("巩固三去一降一补成果。", "三去一降一补"),
        ("实行一户一策精准帮扶。", "一户一策"),
        ("增强四个伟大的自觉。", "四个伟大"),
        ("实施六大林业生态工程。", "六大林业生态工程"),
        ("促进双创深入发展。", "双创"),
        ("分三步走实现现代化。", "三步走"),
        ("用好两个市场两种资源。", "两个市场两种资源"),
        ("粮食生产实现十二连增。", "十二连增"),
        ("打响“中国制造”品牌。", "中国制造"),  # a campaign, not a product, before 品牌
        ("弥合“数字鸿沟”。", "数字鸿沟"),
        ("确保2030年前实现“碳达峰”。", "碳达峰"),
        ("打造“红色引擎”党建品牌。", "红色引擎"),
        ("建成“美丽乡村”示范园区。", "美丽乡村"),
        ("创建“红色家园”示范小区。", "红色家园"),
        # an honour title stays one before an exclamation mark
        ("由衷称赞志愿军将士为“最可爱的人”！", "最可爱的人"),
        ("他被誉为“人民的好公仆”！", "人民的好公仆"),
        ("村党支部被评为“先进基层党组织”。", "先进基层党组织"),
        ("打造“乡字号”“土字号”特色品牌。", "乡字号"),  # …字号 is no ship's name
        ("我市“接诉即办”获评全国基层治理创新案例。", "接诉即办"),  # a programme, no product
        ("实施“百村千寨”工程。", "百村千寨"),
        # well-known programmes and policies, unquoted
        ("推动成渝地区双城经济圈建设。", "双城经济圈"),
        ("实施三孩生育政策及配套支持措施。", "三孩"),
        ("改变市场和资源两头在外的发展模式。", "两头在外"),
    ],
)
def test_slogan_found(text: str, slogan: str) -> None:
    assert slogan in found(text)


@pytest.mark.parametrize(
    ("text", "not_slogan"),
    [
        # quoted speech, sayings, titles, names
        ("他说：“要坚持实事求是。”", "要坚持实事求是。"),
        ("古人说：“天下之难持者莫如心”。", "天下之难持者莫如心"),
        ("有的顾虑“洗碗越多，摔碗越多”，不敢担当。", "洗碗越多，摔碗越多"),
        ("对“搬到哪里去、搬后干什么”没有谋划。", "搬到哪里去、搬后干什么"),
        ("《人民日报》以“中国减贫之路——国际人士评价”为题作了报道。", "中国减贫之路——国际人士评价"),
        ("我国第一艘航母“辽宁舰”入列。", "辽宁舰"),
        ("去年发生了“东方之星”号客轮翻沉事件。", "东方之星"),
        ("“神舟”系列飞船研制成功。", "神舟"),
        ("在“云雾岭”生态茶园建成党员示范基地。", "云雾岭"),
        ("游客来到“桃花坞”景区。", "桃花坞"),
        ("依托“青山红”茶叶品牌组建联合党委。", "青山红"),
        ("村民搬进了“石门坳”。", "石门坳"),
        # irony, metaphors, single-character labels, colloquialisms
        ("他们鼓吹什么“阶级斗争熄灭论”。", "阶级斗争熄灭论"),
        ("抓住这个“牛鼻子”推动发展。", "牛鼻子"),
        ("解决世界观这个“总开关”问题。", "总开关"),
        ("是解决问题的“金钥匙”。", "金钥匙"),
        ("消除基础设施的“瓶颈”制约。", "瓶颈"),
        ("服务业首次占据“半壁江山”。", "半壁江山"),
        ("不要怕姓“社”姓“资”，也要防“左”。", "社"),
        ("不要怕姓“社”姓“资”，也要防“左”。", "左"),
        ("防止硬约束变成“橡皮筋”。", "橡皮筋"),
        ("不能搞“半拉子”工程。", "半拉子"),
        ("防止“一刀切”。", "一刀切"),
        ("有的做“老好人”、“太平官”。", "太平官"),
        ("彻底扔掉了“东亚病夫”的帽子。", "东亚病夫"),
        ("依托革命旧址“八角楼”开展教育。", "八角楼"),  # a place, though it holds a numeral
        ("“桃源云雾”茶获评省级著名商标。", "桃源云雾"),  # products
        ("“青川贡米”获评国家农产品地理标志。", "青川贡米"),
        ("开发“数字乡村贷”等金融产品。", "数字乡村贷"),
        ("村庄既有“颜值”又有“气质”。", "颜值"),  # everyday words used as figures
        ("我国第三艘航空母舰命名为“福建舰”。", "福建舰"),  # a name, not an honour
        ("他家第三孩出生了。", "三孩"),
        ("不能满足于“轰轰烈烈”的场面。", "轰轰烈烈"),  # a reduplicated word, not a formula
        ("防止“热热闹闹”走过场。", "热热闹闹"),
        ("敢于“空中拼刺刀”，打出了国威。", "空中拼刺刀"),
        ("为“加油”！", "加油"),
        # plain quantities, meetings, names with numerals (unquoted)
        ("三个月来，我们开展了一批活动。", "三个月"),
        ("两年来取得了四点启示。", "四点启示"),
        ("统筹利用两个市场。", "两个市场"),
        ("党的十九大和十一届三中全会以来。", "十九大"),
        ("中央召开七次全会作出部署。", "七次全会"),
        ("坚持一个中国原则。", "一个中国原则"),
        ("普及九年义务教育。", "九年义务教育"),
        ("力争翻两番。", "翻两番"),
        ("出席二十国集团峰会。", "二十国集团"),
        ("一年一度的评比活动。", "一年一度"),
        ("想方设法，千方百计稳就业。", "千方百计"),
        ("历经千难万险。", "千难万险"),
        ("把握三条原则：第一，借外债要适度。", "三条原则"),
        ("祖国的完全统一就一定能够实现。", "一就一定"),
        ("推进长三角一体化发展。", "三角一体"),
        ("距城区三公里。", "三公"),
    ],
)
def test_not_a_slogan(text: str, not_slogan: str) -> None:
    assert not_slogan not in found(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("坚持“三严三实”。", "formula"),
        ("坚持“科学发展、富民强市”。", "motto"),
        ("争做“青年创业先锋”。", "name"),
        ("处置“僵尸企业”。", "term"),
        # an honour title, a campaign or programme by its context
        ("被评为“全国文明村”。", "name"),
        ("开展“星级党支部”创建活动。", "name"),
        ("实施“头雁培育”工程。", "name"),
        ("推进两学一做。", "formula"),
    ],
)
def test_kind(text: str, kind: str) -> None:
    (span,) = extract_slogans(Document(text))["slogans"]
    assert span.label == kind


# --- spans ---------------------------------------------------------------------------


def test_spans_are_inside_the_quotes_and_name_their_source() -> None:
    doc = Document("坚持“三亮三比三创”，推进两学一做，按照“三严三实”要求。")
    spans = extract_slogans(doc)["slogans"]
    assert [(doc.text_of(s), s["quoted"], s.source) for s in spans] == [
        ("三亮三比三创", True, VERSION),
        ("两学一做", False, "slogans lexicon v2"),
        ("三严三实", True, "slogans lexicon v2"),
    ]
    assert all(s.label in KINDS for s in spans)


def test_full_width_text_is_folded_and_offsets_kept() -> None:
    doc = Document("推进“互联网＋政务服务”。")
    (span,) = extract_slogans(doc)["slogans"]
    assert doc.text_of(span) == "互联网＋政务服务"
    assert span["text"] == "互联网+政务服务"


def test_front_and_back_matter_are_skipped() -> None:
    text = "“三严三实”的实践\n一是坚持“两学一做”。\n（作者系“三农”办主任）"
    doc = Document(text).with_layers(**layout(text))
    assert {s["text"] for s in extract_slogans(doc)["slogans"]} == {"两学一做"}


def test_without_layout_every_line_is_searched() -> None:
    assert found("坚持“三严三实”\n推进两学一做") == {"三严三实", "两学一做"}


def test_unquoted_shape_inside_an_accepted_quote_is_not_repeated() -> None:
    doc = Document("坚持“和平统一、一国两制”的方针。")
    assert [s["text"] for s in extract_slogans(doc)["slogans"]] == ["和平统一、一国两制"]


def test_ascii_quotes_pair_in_turn() -> None:
    assert found('按照"五位一体"总体布局和"四个全面"战略布局') == {"五位一体", "四个全面"}


def test_count_slogans_counts_documents() -> None:
    docs = [Document("坚持“两学一做”，推进两学一做。"), Document("推进两学一做，纠正四风。")]
    assert count_slogans(docs) == {"两学一做": 2, "四风": 1}


def test_count_slogans_uses_an_existing_layer() -> None:
    doc = Document("推进两学一做。")
    doc = doc.with_layers(slogans=extract_slogans(doc)["slogans"][:0])
    assert count_slogans([doc]) == {"两学一做": 1}  # an empty layer is extracted again


# --- the lexicon ------------------------------------------------------------------------


def test_shipped_lexicon_is_versioned_and_well_formed() -> None:
    lex = load_lexicon()
    assert lex.source == "slogans lexicon v2"
    assert set(lex.kinds.values()) <= set(KINDS)
    assert not set(lex.kinds) & lex.stop


def test_custom_lexicon(tmp_path: Path) -> None:
    path = tmp_path / "mine.tsv"
    path.write_text("# my slogans, version 7\n五抓五促\tformula\n", encoding="utf-8")
    doc = Document("开展五抓五促活动，推进两学一做。")
    spans = extract_slogans(doc, lexicon=str(path))["slogans"]
    assert [(s["text"], s.source) for s in spans] == [
        ("五抓五促", "slogans lexicon v7"),
        ("两学一做", VERSION),  # not in this lexicon: found by its shape
    ]


def test_bad_lexicon_line_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text("# version 1\n三严三实\tformula\n两学一做\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.tsv:3"):
        load_lexicon(str(path))


# --- the dev gold -------------------------------------------------------------------------


def test_dev_gold_f1(shared: Path) -> None:
    golds = sorted((shared / "gold").glob("*.gold.json"))
    if not golds:
        pytest.skip("no gold files in ../shared/gold")
    tp = fp = fn = 0
    for path in golds:
        gold = json.loads(path.read_text(encoding="utf-8"))
        text = read(shared / gold["text_file"]).text
        doc = Document(text).with_layers(**layout(text))
        got = {s["text"] for s in extract_slogans(doc)["slogans"]}
        want = set(gold["slogans"])
        tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= 0.9
