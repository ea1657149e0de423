from __future__ import annotations

from pathlib import Path

import pytest

from policytext.layout import layout, paragraph_bounds, sentence_bounds
from policytext.read import read


def texts(text: str, bounds: list[tuple[int, int]]) -> list[str]:
    return [text[a:b] for a, b in bounds]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一是强化组织领导。二是突出实践特色。", ["一是强化组织领导。", "二是突出实践特色。"]),
        ("要坚持“抓落实。全覆盖”的目标。好！", ["要坚持“抓落实。全覆盖”的目标。", "好！"]),
        ("印发了《关于建立。长效机制的意见》。完", ["印发了《关于建立。长效机制的意见》。", "完"]),
        ("各党委（党组。）自觉作为。然后", ["各党委（党组。）自觉作为。", "然后"]),
        ("他说：“我们要坚持。”我们照做了。", ["他说：“我们要坚持。”我们照做了。"]),
        ("真的吗？！是的……好;行", ["真的吗？！", "是的……", "好;", "行"]),
        ("增长7.5%。总量1.2万亿元。", ["增长7.5%。", "总量1.2万亿元。"]),
        ("It works. Yes!", ["It works. ", "Yes!"]),
        ("未闭合的“引号。后文。", ["未闭合的“引号。", "后文。"]),
        ("无终止符", ["无终止符"]),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    assert texts(text, sentence_bounds(text)) == expected


def test_paragraphs_leave_indents_outside() -> None:
    text = "\u3000\u3000一是。\n\n  二是。 \n\t\n"
    assert texts(text, list(paragraph_bounds(text))) == ["一是。", "二是。"]


@pytest.mark.parametrize(
    ("line", "label"),
    [
        ("基本做法", "section"),
        ("主要成效", "section"),
        ("经验启示", "section"),
        ("常态化安排", "section"),
        ("一、2025年工作回顾", "outline"),
        ("（三）加快发展现代农业", "outline"),
        ("（一）继续创新和完善宏观调控，确保经济运行在合理区间。", "outline"),
        ("第一，围绕市场经济体制的建立，加快经济改革步伐。", "outline"),
        ("基本做法：", "section"),  # a section title on its own line, with a colon
        ("1、加强理论学习，提高政治素养", "outline"),  # a Word-style numbered title
        ("第一个问题：提高站位，充分认清重要意义", "outline"),  # a speech's part
        ("下一步工作思路：", "section"),
    ],
)
def test_headings(line: str, label: str) -> None:
    text = f"标题\n正文第一段。\n{line}\n正文第二段很长，有内容。"
    heads = layout(text)["headings"]
    assert [(text[h.start : h.end], h.label) for h in heads if h.label != "title"] == [
        (line, label)
    ]


@pytest.mark.parametrize(
    "line",
    [
        "（一）稳定宏观经济政策。我们宏观调控还有政策储备。",  # run-in title with body text
        "一是强化组织领导。",  # ordinal + verb items are not outline headings
        "我们要认真总结基本做法",  # a sentence that only mentions a section word
        "主要做法有：",  # a lead-in, not a section title
        "带给我们三点启示：",
        "形成四点启示：",
        "取得了明显成效：",
        "第一个问题，讲讲形势，我们要清醒认识面临的困难。",  # a sentence, not a title
        "1、加强理论学习，",  # a line broken mid-sentence
        "1.加强领导。",  # an item that ends its sentence, not a title
        "主要有四点启示：",
    ],
)
def test_not_headings(line: str) -> None:
    text = f"标题\n正文第一段。\n{line}\n正文。"
    assert [h.label for h in layout(text)["headings"]] == ["title"]


@pytest.mark.parametrize(
    ("lines", "fields"),
    [
        (
            ["标题在这里", "作者：张敏、李华", "正文。"],
            [("title", "标题在这里"), ("author", "张敏"), ("author", "李华")],
        ),
        (["标题", "记者 王立新", "正文。"], [("title", "标题"), ("author", "王立新")]),
        (["标题", "2024年3月5日", "正文。"], [("title", "标题"), ("date", "2024-03-05")]),
        (
            ["标题", "二〇一二年十二月二十七日", "正文。"],
            [("title", "标题"), ("date", "2012-12-27")],
        ),
        (["标题", "来源：青山日报", "正文。"], [("title", "标题"), ("source", "青山日报")]),
        (["标题", "国务院总理　李　强", "正文。"], [("title", "标题"), ("author", "李强")]),
        (
            ["正文。", "（作者系青山市委常委）", "责任编辑：李文"],
            [("author_note", "青山市委常委"), ("editor", "李文")],
        ),
        # web page controls after the back matter do not hide it
        (
            [
                "正文。",
                "（作者系青山市委常委）",
                "责任编辑：李文",
                "分享到：",
                "打印本页　关闭窗口",
            ],
            [("author_note", "青山市委常委"), ("editor", "李文")],
        ),
        (["正文。", "（执笔：李文华）"], [("author", "李文华")]),
        # a report's closing formula and its reporter
        (["正文。", "以上报告，请予评议。", "报告人：赵志刚"], [("author", "赵志刚")]),
        (
            ["标题", "县人力资源和社会保障局局长  赵志刚", "正文。"],
            [("title", "标题"), ("author", "赵志刚")],
        ),
        (
            ["标题", "（记者张晓明、刘芳）", "正文。"],
            [("title", "标题"), ("author", "张晓明"), ("author", "刘芳")],
        ),
        (["标题", "中共浙江省委书记　王建国", "正文。"], [("title", "标题"), ("author", "王建国")]),
        (["正文。", "【纠错】 【责任编辑：王雪】"], [("editor", "王雪")]),
        # a report signed by its office, with the date
        (
            ["正文。", "青山县发展和改革局", "2023年4月20日"],
            [("author", "青山县发展和改革局"), ("date", "2023-04-20")],
        ),
        # one byline line: date (and time), source, author
        (
            ["标题", "2021-06-15 09:32　来源：青山党建网　作者：张建国", "正文。"],
            [
                ("title", "标题"),
                ("date", "2021-06-15"),
                ("source", "青山党建网"),
                ("author", "张建国"),
            ],
        ),
        (
            ["标题", "发布日期：2023-04-26　　来源：青山县发改局　　浏览次数：1024", "正文。"],
            [("title", "标题"), ("date", "2023-04-26"), ("source", "青山县发改局")],
        ),
        (
            ["标题", "2020年12月8日    来源：《青山日报》    记者 刘晓东 通讯员 陈敏", "正文。"],
            [
                ("title", "标题"),
                ("date", "2020-12-08"),
                ("source", "《青山日报》"),
                ("author", "刘晓东"),
                ("author", "陈敏"),
            ],
        ),
    ],
)
def test_front_and_back_matter(lines: list[str], fields: list[tuple[str, str]]) -> None:
    spans = layout("\n".join(lines))["front_matter"]
    assert [(s.label, s["value"]) for s in spans] == fields


def test_boilerplate_lines() -> None:
    text = "\n".join(
        [
            "标题",
            "下载",
            "打印",
            "字体：大 中 小",
            "分享到：",
            "正文第一段。",
            "打印本页　关闭窗口",
            "【打印】【关闭】",
        ]
    )
    roles = [p["role"] for p in layout(text)["paragraphs"]]
    assert roles == ["front", *["boilerplate"] * 4, "body", "boilerplate", "boilerplate"]


def test_a_part_of_a_speech_is_not_a_section_on_problems() -> None:
    text = "标题\n同志们：\n第一个问题：提高站位，充分认清重要意义\n要提高认识。"
    (part,) = [h for h in layout(text)["headings"] if h.label == "outline"]
    assert "function" not in part.attrs  # 问题 here names a part, not problems


def test_numbered_one_line_items_are_not_titles() -> None:
    text = "标题\n我们采取了以下措施。\n1、加强领导\n2、完善制度\n3、强化考核\n正文。"
    assert [h.label for h in layout(text)["headings"]] == ["title"]


def test_the_end_matter_of_an_official_document() -> None:
    lines = [
        "××市人民政府办公室",
        "关于做好安全生产大检查工作的通知",
        "各区县人民政府：",
        "现将有关事项通知如下。",
        "一、检查时间",
        "2024年4月1日至10月31日。",
        "附件：1.2024年度重点检查清单",
        "2.检查情况统计表",
        "联系人：市安委办　王明，电话：12345678",
        "中共××市委办公室",
        "××市人民政府办公室",
        "2024年3月25日",
        "（此件公开发布）",
    ]
    layers = layout("\n".join(lines))
    roles = [p["role"] for p in layers["paragraphs"]]
    assert roles[:2] == ["front", "front"]
    assert roles[6:] == ["back"] * 7
    fields = [(f.label, f["value"]) for f in layers["front_matter"]]
    assert fields == [
        ("author", "××市人民政府办公室"),
        ("title", "关于做好安全生产大检查工作的通知"),
        ("author", "中共××市委办公室"),
        ("repeat", "××市人民政府办公室"),
        ("date", "2024-03-25"),
    ]


def test_two_offices_issue_a_document() -> None:
    text = "中共青山省委　青山省人民政府\n关于加快推进数字乡村建设的实施意见\n正文。"
    fields = [(f.label, f["value"]) for f in layout(text)["front_matter"]]
    assert fields == [
        ("author", "中共青山省委"),
        ("author", "青山省人民政府"),
        ("title", "关于加快推进数字乡村建设的实施意见"),
    ]


@pytest.mark.parametrize(
    "title", ["校长寄语", "开通市长热线", "永远的县委书记焦裕禄", "做人民满意的好校长"]
)
def test_a_title_that_names_a_position_is_a_title(title: str) -> None:
    fields = layout(f"{title}\n正文第一段。")["front_matter"]
    assert [(f.label, f["value"]) for f in fields] == [("title", title)]


def test_an_attachment_is_back_matter_only_as_a_list_of_titles() -> None:
    text = "正文。\n附件1所列项目，由各区县组织实施，请于6月底前报送。\n其余按要求办理。"
    assert [p["role"] for p in layout(text)["paragraphs"]] == ["body"] * 3
    text = "正文。\n附件：评选标准\n一、政治标准\n坚持党的领导。"
    assert "back" not in [p["role"] for p in layout(text)["paragraphs"]]


def test_joint_issuers_and_equal_back_fields() -> None:
    text = "\n".join(
        [
            "中共中央　国务院",
            "关于全面推进乡村振兴的意见",
            "正文。",
            "中共××省委　××省人民政府",
            "2021年3月1日",
        ]
    )
    layers = layout(text)
    assert [(f.label, f["value"]) for f in layers["front_matter"]] == [
        ("author", "中共中央"),
        ("author", "国务院"),
        ("title", "关于全面推进乡村振兴的意见"),
        ("author", "中共××省委"),
        ("author", "××省人民政府"),
        ("date", "2021-03-01"),
    ]
    spans = layout("正文。\n2023年5月6日\n2023年5月6日")["front_matter"]
    assert [s.label for s in spans] == ["date", "repeat"]  # the first one is the original


def test_a_weekday_is_no_author() -> None:
    text = "标题\n2021年6月15日 星期二　来源：人民网\n正文。"
    fields = [(f.label, f["value"]) for f in layout(text)["front_matter"]]
    assert ("author", "星期二") not in fields
    assert ("source", "人民网") in fields


def test_closing_formulas_are_back_matter() -> None:
    text = "正文。\n以上报告，请予评议。\n报告人：赵志刚\n2024年1月5日"
    assert [p["role"] for p in layout(text)["paragraphs"]] == ["body", "back", "back", "back"]
    assert [p["role"] for p in layout("讲话正文。\n谢谢大家！")["paragraphs"]] == ["body", "back"]


def test_salutation() -> None:
    roles = [p["role"] for p in layout("各位代表：\n现在，我代表国务院。")["paragraphs"]]
    assert roles == ["salutation", "body"]


def test_seed(seed_path: Path) -> None:
    text = read(seed_path).text
    layers = layout(text)
    front = {(s.label, s.get("value")) for s in layers["front_matter"]}
    assert ("title", "总结创先争优成果推进长效机制建设") in front
    assert ("date", "2012-12-27") in front
    assert ("author", "杨静波") in front
    assert ("author_note", "通辽市委常委、组织部部长") in front
    assert ("editor", "郭志") in front
    assert {s.get("of") for s in layers["front_matter"] if s.label == "repeat"} == {
        "title",
        "author",
    }
    assert len(layers["paragraphs"]) == 30
    sections = [text[h.start : h.end] for h in layers["headings"] if h.label == "section"]
    assert sections == ["基本做法", "主要成效", "经验启示", "常态化安排"]
