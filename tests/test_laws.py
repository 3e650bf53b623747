"""Laws, regulations, rules and judicial interpretations: title, kind, promulgation record,
条 → 款 → 项 → 目 with citations, annexes (issue 13). The texts in fixtures/text/laws were
written for these tests, one per kind; the clean ones are real."""

import json

import pytest
from conftest import FIXTURES
from test_structure import outlines

from jiaokan import convert_file
from jiaokan.structure.laws import document_kind, record_entries

LAWS = FIXTURES / "laws"
EXPECTED = FIXTURES.parent / "expected"


def document(path, title=None):
    """The document of ``path`` titled ``title`` (attachments included), else the first."""
    def every(found):
        for d in found:
            yield d
            yield from every([a.document for a in d.attachments if a.document])

    documents = list(every(convert_file(path).documents))
    return next(d for d in documents if d.title == title) if title else documents[0]


def entries(doc):
    return [(e.date, e.action, e.body, e.number) for e in doc.promulgation]


# Title, kind, record (date, action, body, number), 施行日期, date and what it is — as printed.
RECORDS = [
    ("clean/clean_02.txt", "最高人民法院关于人民法院执行工作若干问题的规定（试行）", "judicial_interpretation",
     [("1998-06-11", "通过", "最高人民法院审判委员会第992次会议", None),
      ("2020-12-23", "通过", "最高人民法院审判委员会第1823次会议", None)], None, ("1998-06-11", "adopted")),
    ("clean/clean_04.txt", "人民检察院办理行政执法机关移送涉嫌犯罪案件的规定", "judicial_interpretation",
     [("2001-09-10", "通过", "最高人民检察院第九届检察委员会第九十六次会议", None)], None, ("2001-09-10", "adopted")),
    ("clean/clean_07.txt", "中华人民共和国刑法修正案（十一）", "law",
     [("2020-12-26", "通过", "第十三届全国人民代表大会常务委员会第二十四次会议", None)], "2021-03-01", ("2020-12-26", "adopted")),
    ("clean/clean_01.txt", "交通警察道路执勤执法工作规范", "normative_document", [], "2009-01-01", (None, None)),
    ("laws/law_parts.txt", "中华人民共和国示范法典", "law",
     [("2020-05-28", "通过", "第十三届全国人民代表大会第三次会议", None),
      ("2020-05-28", "公布", "中华人民共和国主席", "主席令第四十五号"), ("2021-01-01", "施行", None, None)],
     "2021-01-01", ("2020-05-28", "adopted")),
    ("laws/judicial_interpretation.txt", "最高人民法院关于审理示范纠纷案件适用法律若干问题的解释", "judicial_interpretation",
     [("2015-01-19", "通过", "最高人民法院审判委员会第1641次会议", None), ("2015-01-30", "公布", "最高人民法院", None),
      ("2015-02-04", "施行", None, None)], "2015-02-04", ("2015-01-19", "adopted")),
    ("laws/local_regulation.txt", "示范市住宅物业管理规定", "local_regulation",
     [("2004-08-19", "通过", "示范市第十二届人民代表大会常务委员会第十四次会议", None),
      ("2010-12-23", "修订", "示范市第十三届人民代表大会常务委员会第二十三次会议", None),
      ("2018-11-22", "修正", "示范市第十五届人民代表大会常务委员会第七次会议", None)], "2011-04-01", ("2004-08-19", "adopted")),
    ("laws/order_rule.txt", "示范省人民政府令", "order",
     [("2021-06-08", "通过", "省人民政府第112次常务会议", None), ("2021-06-20", "公布", "示范省人民政府", "示范省人民政府令第215号")],
     "2021-09-01", ("2021-06-20", "signed")),
    ("laws/order_rule.txt", "示范省危险化学品安全管理办法", "rule",
     [("2021-06-08", "通过", "省人民政府第112次常务会议", None), ("2021-06-20", "公布", "示范省人民政府", "示范省人民政府令第215号")],
     "2021-09-01", ("2021-06-08", "adopted")),
    ("laws/regulation.txt", "示范监督条例", "administrative_regulation",
     [("2002-08-02", "通过", "国务院第62次常务会议", None), ("2002-08-22", "公布", "中华人民共和国国务院", "国务院令第361号")],
     "2002-10-01", ("2002-08-02", "adopted")),
    ("laws/amendment.txt", "中华人民共和国示范管理法", "law",
     [("2015-08-29", "通过", "第十二届全国人民代表大会常务委员会第十六次会议", None),
      ("2021-04-29", "修正", "第十三届全国人民代表大会常务委员会第二十八次会议", None)], "2015-10-01", ("2015-08-29", "adopted")),
]


@pytest.mark.parametrize("path, title, kind, record, effective, date", RECORDS, ids=lambda v: v if isinstance(v, str) else "")
def test_title_kind_and_promulgation_record(path, title, kind, record, effective, date):
    found = document(FIXTURES / path, title)
    assert (found.title, found.kind) == (title, kind)
    assert entries(found) == record
    assert (found.effective, (found.date, found.date_basis)) == (effective, date)


@pytest.mark.parametrize("name", sorted(p.stem for p in LAWS.glob("*.txt")))
def test_article_trees_checked_by_hand(name):
    """Every document's clauses (label, kind, heading, citation, start of text) as reviewed."""
    assert outlines(LAWS / f"{name}.txt") == json.loads((EXPECTED / f"{name}.clauses.json").read_text("utf-8"))


def test_a_paragraph_after_the_items_is_the_next_kuan_not_part_of_the_last_item():
    article = document(LAWS / "order_rule.txt", "示范省危险化学品安全管理办法").clauses[0].children[2]
    first, second = article.children
    assert (article.label, article.text) == ("第三条", "")
    assert [c.citation for c in first.children] == [f"第三条第一款第（{n}）项" for n in "一二三"]
    assert first.children[-1].text == "法律、法规规定的其他职责。"
    assert second.citation == "第三条第二款" and second.text.startswith("应急管理部门中初次从事") and not second.children


def test_a_real_interpretation_closes_its_list_with_a_kuan():
    """clean_04 二、: after （三） comes 对于性质不明… — the article's second 款."""
    second = document(FIXTURES / "clean" / "clean_04.txt").clauses[1]
    assert [c.kind for c in second.children] == ["paragraph", "paragraph"]
    assert second.children[0].children[-1].text == "对于属于本院管辖的案件，转本院反贪、渎职侵权检察部门办理。"
    assert second.children[1].text.startswith("对于性质不明")


def test_a_paragraph_between_numbered_items_stays_with_its_item():
    """clean_02 18.: （1） goes on over two paragraphs before （2）: they are not 款."""
    article = next(c for section in document(FIXTURES / "clean" / "clean_02.txt").clauses
                   for c in section.children if c.label == "18.")
    assert [c.label for c in article.children] == [f"（{n}）" for n in range(1, 6)]
    assert article.children[0].text.count("\n") == 2


def test_items_of_items_are_mu():
    article = document(LAWS / "judicial_interpretation.txt").clauses[1]
    assert [c.citation for c in article.children[1].children] == ["第二条第（二）项第1目", "第二条第（二）项第2目"]


def test_parts_subparts_chapters_and_sections():
    law = document(LAWS / "law_parts.txt")
    assert [(c.kind, c.label, c.heading) for c in law.clauses] == [("part", "第一编", "总则"), ("part", "第二编", "物权")]
    section = law.clauses[0].children[1].children[0]
    assert (section.kind, section.citation, [a.label for a in section.children]) == ("section", "第一编第二章第一节", ["第三条", "第四条"])
    assert law.clauses[1].children[0].children[0].citation == "第二编第一分编第一章"


def test_annexes_are_attachments_not_part_of_the_last_article():
    rule = document(LAWS / "order_rule.txt", "示范省危险化学品安全管理办法")
    last = rule.clauses[-1].children[-1]
    assert (last.label, last.text, last.children) == ("第七条", "本办法自2021年9月1日起施行。", [])
    [annex] = rule.attachments
    assert annex.title == "重点监管的危险化学品名录"
    assert [c.heading for c in annex.document.clauses] == ["氯", "氨", "液化石油气", "硫化氢"]


def test_numbered_annexes_of_a_real_text_are_its_attachments():
    """clean_01: 附件：1、… lists six 操作规程, then prints each as 附件1：title and its text."""
    rules = document(FIXTURES / "clean" / "clean_01.txt")
    last = rules.clauses[-1].children[-1]
    assert last.label == "第八十六条" and not last.children and "附件" not in last.text
    assert [a.label for a in rules.attachments] == list("123456")
    assert all(a.document and a.document.title == a.title and a.document.clauses for a in rules.attachments)


def test_an_order_carries_the_rule_it_promulgates():
    order = document(LAWS / "regulation.txt")
    assert (order.kind, order.doc_number, [a.title for a in order.attachments]) == ("order", "国务院令第361号", ["示范监督条例"])


def test_an_amendment_decision_and_the_republished_law_are_two_linked_documents():
    decision, law = convert_file(LAWS / "amendment.txt").documents
    assert decision.kind == "decision" and law.amended_by == decision.title
    assert [c.label for c in decision.clauses] == ["一、", "二、"] and decision.clauses[1].text == "删去第九条。"
    assert decision.effective == "2021-05-01"


def test_record_lines_holding_several_entries():
    found = record_entries(["1998年12月16日 最高人民检察院第九届检察委员会第二十一次会议第一次修订  "
                            "2012年10月16日最高人民检察院第十一届检察委员会第八十次会议第二次修订）"])
    assert [(e.date, e.action, e.body) for e in found] == [
        ("1998-12-16", "修订", "最高人民检察院第九届检察委员会第二十一次会议"),
        ("2012-10-16", "修订", "最高人民检察院第十一届检察委员会第八十次会议")]
    shared = record_entries(["2018年9月3日 最高人民法院审判委员会第1747次会议",
                             "2018年12月12日 最高人民检察院第十三届检察委员会第十一次会议通过"])
    assert [e.action for e in shared] == ["通过", "通过"]


@pytest.mark.parametrize("title, record, kind", [
    ("中华人民共和国行政复议法", "1999年4月29日 第九届全国人民代表大会常务委员会第九次会议通过", "law"),
    ("中华人民共和国学位条例", "1980年2月12日 第五届全国人民代表大会常务委员会第十三次会议通过", "law"),
    ("城市绿化条例", "1992年6月22日 中华人民共和国国务院令第100号发布", "administrative_regulation"),
    ("外国企业或者个人在中国境内设立合伙企业管理办法", "2009年11月25日 中华人民共和国国务院令第567号公布", "administrative_regulation"),
    ("上海市住宅物业管理规定", "2004年8月19日 上海市第十二届人民代表大会常务委员会第十四次会议通过", "local_regulation"),
    ("浙江省消防条例", "", "local_regulation"),
    ("工伤认定办法", "2010年12月31日 人力资源和社会保障部令第8号公布", "rule"),
    ("最高人民法院关于适用《中华人民共和国民法典》时间效力的若干规定", "", "judicial_interpretation"),
    ("全国人民代表大会常务委员会关于《中华人民共和国刑法》第三十条的解释", "", "legislative_interpretation"),
    ("国务院关于修改部分行政法规的决定", "", "decision"),
    ("示范市人民政府关于加快发展的意见", "", "opinion"),
    ("国务院办公厅关于印发某方案的通知", "", "notice"),
    ("最高人民法院关于某案件请示的批复", "", "judicial_interpretation"),
    ("某部关于某问题的复函", "", "letter"),
    ("改进工作方法", "", "other"),
    ("中华人民共和国公司法", "1993年12月29日 第八届全国人民代表大会常务委员会第五次会议通过", "law"),
    ("深圳市人民代表大会常务委员会任免国家机关工作人员条例", "2001年2月23日 深圳市第三届人民代表大会常务委员会第五次会议通过", "local_regulation"),
    ("企业职工带薪年休假实施办法", "2008年7月17日 经人力资源和社会保障部第6次部务会议通过", "rule"),
    ("中国公民因私事往来香港地区或者澳门地区的暂行管理办法", "1986年12月25日 公安部公布", "rule"),
    ("最高人民检察院关于检察工作中具体适用修订刑法第十二条若干问题的通知", "1997年9月24日 最高人民检察院第八届检察委员会第七十四次会议通过", "judicial_interpretation"),
    ("某市人民政府关于某某同志任职的通知", "", "appointment"),
])
def test_kinds_from_title_and_record(title, record, kind):
    assert document_kind(title, [], record_entries([record]) if record else [], None) == kind


def structured(text):
    from jiaokan.structure import structure

    return structure(text)[0]


def test_a_title_set_on_three_lines_under_the_court_s_name():
    text = ("最高人民法院\n\n关于内地与澳门特别行政区就仲裁程序\n\n相互协助保全的安排\n\n法释〔2022〕7号\n\n"
            "根据《基本法》第九十三条的规定，现就有关问题作出如下安排。\n\n第一条 本安排所称“保全”，包括财产保全。\n\n"
            "第二条 当事人可以申请保全。\n")
    [doc] = structured(text)
    assert doc.title == "最高人民法院关于内地与澳门特别行政区就仲裁程序相互协助保全的安排"
    assert (doc.kind, doc.doc_number) == ("judicial_interpretation", "法释〔2022〕7号")
    assert [c.label for c in doc.clauses] == ["第一条", "第二条"]


def test_numbered_headings_over_articles_and_an_unnumbered_supplementary_division():
    text = ("最高人民法院关于适用简易程序审理民事案件的若干规定\n\n一、适用范围\n\n第一条 基层人民法院适用简易程序。\n\n"
            "二、起诉与答辩\n\n第二条 原告可以口头起诉。\n\n附 则\n\n第三条 本规定自2003年12月1日起施行。\n")
    [doc] = structured(text)
    assert [(c.label, c.kind, c.heading, c.citation) for c in doc.clauses] == [
        ("一、", "chapter", "适用范围", "一、适用范围"),
        ("二、", "chapter", "起诉与答辩", "二、起诉与答辩"),
        ("", "chapter", "附则", "附则"),
    ]
    assert [a.label for c in doc.clauses for a in c.children] == ["第一条", "第二条", "第三条"]


def test_an_item_keeps_its_whole_text_and_definitions_are_kuan_not_quotations():
    text = ("机动车驾驶证申领和使用规定\n\n第二十四条 申请机动车驾驶证，应当提交以下证明：\n\n"
            "（一）申请人的身份证明。属于复员人员的，还应当提交退伍证明；\n\n（二）身体条件证明。\n\n"
            "第二十五条 本规定下列用语的含义：\n\n“员工”，是指船舶的工作人员；\n\n“港口”，是指船舶停泊的区域。\n")
    [doc] = structured(text)
    first, second = doc.clauses
    assert first.children[0].heading is None
    assert first.children[0].text == "申请人的身份证明。属于复员人员的，还应当提交退伍证明；"
    assert [p.citation for p in second.children] == ["第二十五条第一款", "第二十五条第二款", "第二十五条第三款"]


def test_a_list_ending_in_a_semicolon_is_closed_by_the_article_s_next_kuan():
    text = ("示范市电梯安全条例\n\n第十二条 使用管理单位，按照以下方式确定：\n\n（一）自行管理的，所有权人为使用管理单位；\n\n"
            "（二）出租场所的电梯，出租方为使用管理单位；\n\n未明确使用管理单位的电梯不得交付使用。\n")
    [doc] = structured(text)
    [article] = doc.clauses
    assert [(p.citation, [i.label for i in p.children]) for p in article.children] == [
        ("第十二条第一款", ["（一）", "（二）"]), ("第十二条第二款", []),
    ]
