"""Documents, elements, clause trees, tables and the JSON schema on real inputs."""

import json

import jsonschema
import pytest

from jiaokan import convert_file
from jiaokan.cli import main
from jiaokan.structure.clauses import build_clauses, responsible_units
from jiaokan.structure import structure
from jiaokan.structure.paragraphs import paragraphs
from jiaokan.schema import load_schema

from conftest import CLEAN_FILES, FIXTURES

EXPECTED = FIXTURES.parent / "expected"


@pytest.fixture(scope="module")
def notice():
    return convert_file(FIXTURES / "notice_clean.txt")


@pytest.fixture(scope="module")
def gazette_conversion():
    return convert_file(FIXTURES / "gazette_founder.txt")


def test_notice_and_its_three_attached_documents(notice):
    [main_document] = notice.documents
    assert main_document.doc_number == "嘉政办发〔2022〕7号"
    assert main_document.registration_number == "ZJFC01-2022-0004"
    assert main_document.title.startswith("嘉兴市人民政府办公室关于修改嘉政办发〔2021〕38号")
    assert main_document.title.endswith("部分内容的通知")
    assert main_document.issuer == ["嘉兴市人民政府办公室"]
    assert main_document.date is None
    assert main_document.publication_note == "（此件公开发布）"
    assert main_document.addressees == "各县（市、区）人民政府，市政府各部门、直属各单位"
    attached = [a.document for a in main_document.attachments]
    assert [a.label for a in main_document.attachments] == ["1", "2", "3"]
    assert [d.doc_number for d in attached] == ["嘉政办发〔2021〕38号", "嘉政办发〔2020〕23号", "嘉政办发〔2019〕48号"]
    assert [d.title for d in attached] == [
        "嘉兴市人民政府办公室关于促进嘉兴市建筑业高质量发展的实施意见",
        "嘉兴市标准创新贡献奖管理办法",
        "嘉兴市人民政府办公室关于高质量建设“万亩千亿”产业平台的实施意见",
    ]
    assert attached[0].date == "2021-07-21" and attached[0].issuer == ["嘉兴市人民政府办公室"]
    assert attached[1].registration_number == "ZJFC01-2020-0007"


def test_twenty_items_under_the_tasks(notice):
    opinion = notice.documents[0].attachments[0].document
    assert [c.label for c in opinion.clauses] == ["一、", "二、", "三、", "四、", "五、"]
    tasks = opinion.clauses[2]
    assert tasks.heading == "重点任务"
    items = [item for group in tasks.children for item in group.children]
    assert [item.label for item in items] == [f"{n}." for n in range(1, 21)]
    assert tasks.children[0].heading == "促进建筑业绿色发展"
    assert items[0].heading == "推进绿色建筑"
    assert items[0].responsible_units == ["市建设局", "市发展改革委", "市经信局"]


def test_twenty_six_articles_in_seven_chapters(notice):
    rules = notice.documents[0].attachments[1].document
    assert [c.kind for c in rules.clauses] == ["chapter"] * 7
    assert rules.clauses[0].heading == "总则"
    articles = [a for chapter in rules.clauses for a in chapter.children]
    assert len(articles) == 26 and all(a.kind == "article" for a in articles)
    assert articles[5].label == "第六条" and [i.label for i in articles[5].children][:2] == ["（一）", "（二）"]
    assert all(a.numbering is None for a in articles)


def test_the_nine_by_eight_table(notice):
    opinion = notice.documents[0].attachments[0].document
    [annex] = [a.document for a in opinion.attachments]
    [table] = annex.tables
    assert len(table.columns) == 9 and table.columns[1] == "建筑业产值（亿元）"
    assert [row[0] for row in table.rows] == ["南湖", "秀洲", "嘉善", "平湖", "海盐", "海宁", "桐乡", "经开", "港区"]
    assert all(len(row) == 9 for row in table.rows)
    assert table.rows[5][1:] == ["450", "6", "2", "1", "1", "3", "35", "100"]


def test_gazette_documents(gazette_conversion):
    numbered = {d.doc_number: d for d in gazette_conversion.documents if d.doc_number}
    assert {"嘉政发〔2020〕6号", "嘉政发〔2020〕7号", "嘉政发〔2020〕8号", "嘉政办发〔2020〕10号",
            "嘉政办发〔2020〕11号", "嘉政办发〔2020〕14号", "嘉农发〔2020〕16号"} <= set(numbered)
    first = numbered["嘉政发〔2020〕6号"]
    assert first.title == "嘉兴市人民政府关于进一步加快现代服务业发展的若干意见"
    assert first.issuer == ["嘉兴市人民政府"] and first.date == "2020-03-09"
    assert [c.label for c in first.clauses][:3] == ["一、", "二、", "三、"]
    short = numbered["嘉政发〔2020〕7号"]
    assert short.title == "嘉兴市人民政府关于增补市政府咨询委员会特邀委员、咨询委员的通知"
    assert short.date == "2020-03-19"
    appointment = numbered["嘉政办发〔2020〕13号"]
    assert appointment.kind == "appointment" and appointment.date == "2020-03-26"
    assert "聘任沈磊为嘉兴市国土空间规划委员会副主任" in appointment.text
    assert numbered["嘉政办发〔2020〕14号"].date == "2020-03-31"
    assert numbered["嘉人社〔2020〕11号"].issuer == ["嘉兴市人力资源和社会保障局", "嘉兴市财政局", "国家税务总局嘉兴市税务局"]
    assert numbered["嘉人社〔2020〕11号"].date == "2020-03-30"
    farms = numbered["嘉农发〔2020〕16号"]
    assert farms.issuer == ["嘉兴市农业农村局", "嘉兴市财政局"]
    assert farms.addressees == "南湖区、秀洲区农业农村和水利局、财政局，各县（市）农业农村局、财政局"
    issued = [a.document for a in farms.attachments if a.document]
    assert [d.title for d in issued] == ["嘉兴市美丽农场创建实施方案（2020-2022年）"]
    kinds = [d.kind for d in gazette_conversion.documents]
    assert kinds.count("interpretation") == 4 and "index" in kinds
    interpretations = [d.title for d in gazette_conversion.documents if d.kind == "interpretation"]
    assert "《嘉兴市人民政府关于实施嘉兴新制造“555”行动的若干意见》政策解读" in interpretations
    assert "嘉兴政报（总第 202期）文件发布" in gazette_conversion.furniture
    assert "18· ·" in gazette_conversion.furniture
    [index] = [d for d in gazette_conversion.documents if d.kind == "index"]
    assert index.title == "2020年3月份市政府、市政府办公室发文目录"
    assert index.text.count("号") >= 11
    assert all("嘉兴政报" not in d.text for d in gazette_conversion.documents)


@pytest.mark.parametrize("path", CLEAN_FILES + [FIXTURES / "gazette_founder.txt"], ids=lambda p: p.name)
def test_every_output_validates_against_the_schema(path):
    jsonschema.validate(convert_file(path).to_json(), load_schema())


@pytest.mark.parametrize("name", ["clean_02", "clean_04"])
def test_clause_trees_checked_by_hand(name):
    """Expected trees (label, kind, heading, citation, start of text, children) reviewed by
    hand, kept as fixtures: every article with its 款, 项 and 目, nothing from its neighbours."""
    assert outlines(FIXTURES / "clean" / f"{name}.txt") == json.loads((EXPECTED / f"{name}.clauses.json").read_text("utf-8"))


def outlines(path):
    """Each document (attachments after their owner) as its title and clause outlines."""
    def documents(found):
        for document in found:
            yield document
            yield from documents([a.document for a in document.attachments if a.document])

    return [{"title": d.title, "clauses": [_outline(c) for c in d.clauses]} for d in documents(convert_file(path).documents)]


def _outline(clause):
    return {"label": clause.label, "kind": clause.kind, "heading": clause.heading, "citation": clause.citation,
            "text": clause.text[:12], "children": [_outline(c) for c in clause.children]}


def test_quoted_amendments_keep_the_outer_tree():
    conversion = convert_file(FIXTURES / "clean" / "clean_07.txt")
    labels = [c.label for d in conversion.documents for c in d.clauses]
    assert labels[:3] == ["一、", "二、", "三、"] and all(label.endswith("、") for label in labels)
    fourth = next(c for d in conversion.documents for c in d.clauses if c.label == "四、")
    assert fourth.children == [] and "“（一）关闭、破坏" in fourth.text


def test_no_structure_is_not_an_error():
    documents, _ = structure("这是一段没有编号也没有要素的普通文字。\n第二句话在这里。")
    [document] = documents
    assert document.title is None and document.doc_number is None and document.clauses == []
    assert "普通文字" in document.text


def test_odd_numbering_is_kept_and_flagged():
    body, _ = paragraphs("一、总体要求\n内容。\n三、保障措施\n内容。\n三、其他事项\n内容。")
    clauses, _, _ = build_clauses(body)
    assert [c.label for c in clauses] == ["一、", "三、", "三、"]
    assert [c.numbering for c in clauses] == [None, "skipped", "repeated"]


def test_responsible_units_keep_bracketed_names():
    assert responsible_units("（牵头单位：市发展改革委；责任单位：各县（市、区）政府、市经信局）") == [
        "市发展改革委", "各县（市、区）政府", "市经信局"]


def test_cli_convert_markdown_and_schema(tmp_path, capsys):
    out = tmp_path / "notice.md"
    assert main(["convert", str(FIXTURES / "notice_clean.txt"), "--format", "md", "-o", str(out)]) == 0
    markdown = out.read_text(encoding="utf-8")
    assert markdown.startswith("# 嘉兴市人民政府办公室关于修改")
    assert "| 南湖 | 200 |" in markdown and "> **发文字号**：嘉政办发〔2022〕7号" in markdown
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "jiaokan output"
    assert main(["convert", str(tmp_path / "scan.pdf")]) == 3


def test_sentences_split_by_spacy(notice):
    opinion = notice.documents[0].attachments[0].document
    goals = opinion.clauses[1]
    assert goals.sentences[0] == "到2025年，实现建筑业总产值1800亿元以上，建筑业增加值占全市GDP比重保持在5.5%以上；"
    assert len(goals.sentences) == 5 and goals.sentences[-1].endswith("显著提升。")
    assert "到2025年" in goals.deadlines


def test_tables_aligned_with_spaces():
    text = (
        "关于公布联系人名单的通知\n\n各单位：\n现将联系人名单公布如下。\n\n"
        "序号    单位名称        联系人    电话\n"
        "1       市建设局        张三      0573-1234\n"
        "2       市发展改革委    李四      0573-5678\n"
        "3       市财政局        王五      0573-9012\n\n特此通知。\n"
    )
    [document] = structure(text)[0]
    [table] = document.tables
    assert table.columns == ["序号", "单位名称", "联系人", "电话"]
    assert table.rows[1] == ["2", "市发展改革委", "李四", "0573-5678"]
    clean_articles = convert_file(FIXTURES / "notice_clean.txt").documents[0].attachments[1].document
    assert clean_articles.tables == []


def test_elements_of_a_plain_notice():
    text = (
        "示范市财政局文件\n\n示财发〔２０２１〕３号\n\n示范市财政局关于做好预算管理工作的通知\n\n"
        "各区财政局：\n为加强预算管理，现将有关事项通知如下。\n一、总体要求\n严格执行预算。\n"
        "二、工作安排\n按时报送。\n\n示范市财政局\n\n二〇二一年\n三月九日\n\n（此件公开发布）\n\n"
        "抄送：市审计局，市统计局。\n示范市财政局办公室 2021年3月10日印发\n"
    )
    [document] = structure(text)[0]
    assert document.doc_number == "示财发〔2021〕3号"
    assert document.title == "示范市财政局关于做好预算管理工作的通知"
    assert document.addressees == "各区财政局"
    assert document.issuer == ["示范市财政局"] and document.date == "2021-03-09"
    assert document.publication_note == "（此件公开发布）"
    assert document.cc == "市审计局，市统计局"
    assert document.printed_by == "示范市财政局办公室2021年3月10日印发"
    assert [c.label for c in document.clauses] == ["一、", "二、"]


def test_a_list_introduction_is_no_addressee():
    text = (
        "示范市养犬管理条例\n\n第一条 为了规范养犬行为，制定本条例。\n\n第二条 养犬人应当申请登记。\n\n"
        "个人饲养犬只的，应当提供下列材料：\n\n（一）个人身份证明；\n\n（二）犬只的免疫证明。\n"
    )
    [document] = structure(text)[0]
    assert document.addressees is None
    first, second = document.clauses[1].children  # the article's two 款
    assert first.citation == "第二条第一款" and second.citation == "第二条第二款"
    assert "应当提供下列材料：" in second.text and [c.label for c in second.children] == ["（一）", "（二）"]


def test_gazette_page_furniture_and_masthead_under_founder_damage():
    from jiaokan.encodings import damage
    from jiaokan.text.convert import convert_text
    from jiaokan.text.decode import decode_bytes

    clean = (
        "\n— 7 —\n\n示范省人民政府公报 2021年第3期\n\n示范省财政厅文件\n\n示财发〔2021〕3号\n\n"
        "示范省财政厅关于做好预算管理工作的通知\n\n各市、县（市、区）财政局：\n\n"
        "为加强预算管理，现将有关事项通知如下。\n\n一、总体要求\n\n严格执行预算，按时报送。\n\n"
        "— 8 —\n\n示范省人民政府公报 2021年第3期\n\n二、工作安排\n\n按时报送。\n\n示范省财政厅\n\n2021年3月9日\n"
    )
    raw = damage.founder(clean).encode("utf-8")
    assert "要 7 要" in raw.decode("utf-8")
    conversion = convert_text(decode_bytes(raw, "gazette.txt"), "gazette.txt", raw)
    assert conversion.repair.text == clean
    assert conversion.furniture == ["— 7 —", "示范省人民政府公报 2021年第3期", "— 8 —", "示范省人民政府公报 2021年第3期"]
    [document] = conversion.documents
    assert document.doc_number == "示财发〔2021〕3号" and document.addressees == "各市、县（市、区）财政局"
    assert document.title == "示范省财政厅关于做好预算管理工作的通知" and document.date == "2021-03-09"
    assert [c.label for c in document.clauses] == ["一、", "二、"]
    assert document.text.startswith("示范省财政厅文件\n示财发〔2021〕3号")
    assert "公报" not in document.text and "—" not in document.text


def test_web_copied_notice_with_ascii_punctuation_and_quote_brackets():
    from jiaokan.text.convert import convert_text
    from jiaokan.text.decode import decode_bytes

    text = (
        "示范市委办公室示范市人民政府办公室印发《关于推进政务公开的实施意见》的通知\n\n示办发„2017‟2号\n\n"
        "各县市区委、人民政府,示范经济技术开发区、示范新区,市直各单位,中央、省驻示范单位:\n\n"
        "《关于推进政务公开的实施意见》已经市委、市人民政府同意,现印发给你们,请认真贯彻执行。\n\n"
        "中共示范市委办公室\n\n示范市人民政府办公室\n\n2017年1月10日\n\n关于推进政务公开的实施意见\n\n"
        "根据有关文件(中办发„2016‟8号)要求,现提出如下实施意见。\n\n一、总体要求\n\n(一)工作目标。以公开为常态。\n"
    )
    raw = text.encode("utf-8")
    conversion = convert_text(decode_bytes(raw, "notice.txt"), "notice.txt", raw)
    assert {e.after for e in conversion.repair.repairs} == {"〔", "〕"} and "(中办发〔2016〕8号)" in conversion.repair.text
    [document] = conversion.documents
    assert document.doc_number == "示办发〔2017〕2号"
    assert document.addressees.startswith("各县市区委、人民政府,") and document.addressees.endswith("中央、省驻示范单位")
    assert document.issuer == ["中共示范市委办公室", "示范市人民政府办公室"] and document.date == "2017-01-10"
    [attached] = [a.document for a in document.attachments if a.document]
    assert attached.title == "关于推进政务公开的实施意见" and [c.label for c in attached.clauses] == ["一、"]


def test_a_lone_short_first_sentence_is_no_heading():
    text = (
        "示范县人民政府工作规则\n\n第一章 总则\n\n一、根据有关法律，结合本县实际，制定本规则。\n\n"
        "二、县政府工作的指导思想是，认真执行党的路线方针政策。\n\n三、县政府工作人员要讲政治。\n\n"
        "第二章 组成人员\n\n四、县政府由县长、副县长组成。\n\n五、县政府实行县长负责制。县长主持县政府全面工作。\n"
    )
    [document] = structure(text)[0]
    items = [item for chapter in document.clauses for item in chapter.children]
    assert [item.label for item in items] == ["一、", "二、", "三、", "四、", "五、"]
    assert all(item.heading is None for item in items)
    assert items[-1].text == "县政府实行县长负责制。县长主持县政府全面工作。"


def test_run_on_text_gets_its_clause_tree():
    text = (FIXTURES / "clean" / "clean_02.txt").read_text(encoding="utf-8")
    lined, run_on = structure(text)[0][0], structure(text.replace("\n", ""))[0][0]
    assert [c.label for c in run_on.clauses] == [c.label for c in lined.clauses]
    assert len(run_on.clauses) == 14 and all(c.lines == (1, 1) for c in run_on.clauses)
