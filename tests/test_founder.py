"""Founder glyph shifts: tables, the real damaged gazette, and table-driven cases."""

import re

import pytest

from jiaokan import repair_text
from jiaokan.encodings import damage
from jiaokan.encodings.founder import FounderShift

from conftest import CLEAN_FILES


def test_shift_table_matches_the_published_pairs():
    shift = FounderShift.build(0x31)
    pairs = "，袁 。遥 、尧 （渊 ）冤 “野 ”冶 ；曰 ：院 《叶 》曳 〔也 〕页 ．援 ～耀 ·窑 ０园 １员 ２圆 ９怨"
    for symbol, hanzi in pairs.split():
        assert shift.to_symbol[hanzi] == symbol
    assert FounderShift.build(0x2E).to_symbol["穴"] == "（"
    assert FounderShift.build(0x2E).to_symbol["雪"] == "）"


def test_gazette_has_no_damaged_punctuation_left(gazette_repair):
    left = re.findall("[袁遥尧渊冤曰曳冶]", gazette_repair.text)
    assert left == []
    assert gazette_repair.text.count("，") > 800 and gazette_repair.text.count("。") > 450


def test_gazette_keeps_genuine_hanzi(gazette_repair):
    text = gazette_repair.text.replace("\n", "")
    for word in ("研究院", "国务院", "院校", "科研院所", "园区", "人员", "资源", "他们也是", "委员会", "原则"):
        assert word in text, word
    assert "单位：" in text and "单位院" not in text


def test_gazette_document_numbers_and_running_head(gazette_repair):
    assert "嘉政发〔2020〕6号" in gazette_repair.text
    assert "嘉兴政报（总第 202期）" in gazette_repair.text
    damages = {f.damage for f in gazette_repair.diagnosis if f.scope == "document"}
    assert {"founder+0x31", "founder+0x2E"} <= damages
    assert gazette_repair.damage == "founder+0x31"


def test_every_gazette_repair_is_a_founder_edit(gazette_repair):
    assert gazette_repair.repairs
    assert all(e.method.startswith("founder+0x") for e in gazette_repair.repairs)
    assert all(0.5 < e.confidence <= 1.0 for e in gazette_repair.repairs)


@pytest.mark.parametrize("path", CLEAN_FILES, ids=lambda p: p.name)
def test_clean_text_is_untouched(path):
    text = path.read_text(encoding="utf-8")
    result = repair_text(text)
    assert result.repairs == ()
    assert result.text == text
    assert result.damage == "clean"


CASES = [
    # (damaged, clean) — each decided from context, not from a word list.
    ("各县渊市尧区冤人民政府袁市政府各部门尧直属各单位院", "各县（市、区）人民政府，市政府各部门、直属各单位："),
    ("依托中国工程院和研究院的力量袁建设产业园遥", "依托中国工程院和研究院的力量，建设产业园。"),
    ("工作人员和人力资源部门也要参加遥", "工作人员和人力资源部门也要参加。"),
    ("根据叶嘉兴市人民政府关于印发若干政策的通知曳渊嘉政发也2016页28号冤袁同时废止遥",
     "根据《嘉兴市人民政府关于印发若干政策的通知》（嘉政发〔2016〕28号），同时废止。"),
    ("实施野机器换人冶计划袁到圆园25年完成遥", "实施“机器换人”计划，到２０25年完成。"),
    ("每个平台明确 1耀2个主导产业袁比重达到 2援5倍遥", "每个平台明确 1～2个主导产业，比重达到 2．5倍。"),
    ("被执行人不在本院辖区的袁由本院院长批准遥", "被执行人不在本院辖区的，由本院院长批准。"),
    ("引进中科院浙江院尧张江长三角科技城等机构遥", "引进中科院浙江院、张江长三角科技城等机构。"),  # ：、 never stand together
    ("向被执行人支付股息或红利熏或擅自转移希", "向被执行人支付股息或红利，或擅自转移。"),  # +0x2E: 、 never stands before 或
]


@pytest.mark.parametrize("damaged, clean", CASES)
def test_context_cases(damaged, clean):
    assert repair_text(damaged).text == clean


# The opening of a local regulation as a law collection publishes it (laws and regulations are
# outside copyright): its title and dates set without punctuation.
PRE_HOSPITAL = """# 济南市院前医疗急救条例

2020年10月29日 济南市第十七届人民代表大会常务委员会第十六次会议通过

2020年11月27日 山东省第十三届人民代表大会常务委员会第二十四次会议批准

<!-- INFO END -->

## 第一章  总则

第一条 为了规范院前医疗急救行为，健全院前医疗急救服务体系，发展院前医疗急救事业，保护公民身体健康和生命安全，根据《中华人民共和国基本医疗卫生与健康促进法》等法律、法规规定，结合本市实际，制定本条例。

第二条 本市行政区域内的院前医疗急救相关活动及其监督管理，适用本条例。

本条例所称院前医疗急救，是指院前医疗急救人员将急危重症患者送达接诊医疗机构救治之前开展的以现场抢救、转运途中救治和监护以及与院内救护交接为主的医疗活动。"""


def test_a_line_without_punctuation_keeps_the_words_the_clean_lines_use():
    """院 before 前 reads as a colon to the lexicon, but the text's own clean lines (their
    genuine punctuation pins them) use 院前 again and again: the title is left alone."""
    assert repair_text(PRE_HOSPITAL).repairs == ()


def test_mixed_damaged_and_clean_lines():
    clean_line = "本院依法审理，现予公告：研究院、法院、人员均已到场。"
    damaged = "各县渊市尧区冤人民政府袁市政府各部门尧直属各单位院"
    text = "\n".join([clean_line, damaged, clean_line])
    lines = repair_text(text).text.split("\n")
    assert lines[0] == clean_line and lines[2] == clean_line
    assert lines[1] == "各县（市、区）人民政府，市政府各部门、直属各单位："


def test_operators_between_quantities():
    clean = "年工作日：365天-104天（休息日）-11天（法定节假日）＝250天\n月计薪天数：（365天-104天）÷12月＝21.75天"
    damaged = damage.founder(clean)
    assert "越250" in damaged and "冤衣12" in damaged
    assert repair_text(damaged).text == clean


FULL_WIDTH = str.maketrans("0123456789.%", "０１２３４５６７８９．％")
NUMBER_CASES = [
    ("根据叶关于印发曳也圆园员缘页猿号文件精神", "根据《关于印发》〔２０１５〕３号文件精神"),
    ("比上年增长员圆援缘豫", "比上年增长１２．５％"),
    ("国民生产总值增长苑援怨豫袁工业总产值增长员源援圆豫遥", "国民生产总值增长７．９％，工业总产值增长１４．２％。"),
    ("自圆园圆员年猿月员日起施行遥", "自２０２１年３月１日起施行。"),
    ("人员年龄不得超过规定遥全市共有员圆家企业入选袁占全省的缘援缘豫遥", "人员年龄不得超过规定。全市共有１２家企业入选，占全省的５．５％。"),
    ("结案的方式为院\n渊源冤公证机关依法赋予强制执行效力的债权文书曰", "结案的方式为：\n（４）公证机关依法赋予强制执行效力的债权文书；"),
    ("附件员院名单遥\n圆圆援人民法院应当依法执行遥", "附件１：名单。\n２２．人民法院应当依法执行。"),
]


@pytest.mark.parametrize("damaged, clean", NUMBER_CASES)
def test_numbers_are_decided_as_wholes(damaged, clean):
    assert repair_text(damaged).text == clean


@pytest.mark.parametrize("damaged_by, most", [
    (lambda text: damage.founder(text, 0x31), 0.0005),
    (lambda text: damage.founder(text, 0x2E), 0.001),
    (damage.founder_by_line, 0.0005),  # +0x31 and +0x2E on alternate lines
])
def test_texts_with_full_width_digits(damaged_by, most):
    import difflib

    for path in CLEAN_FILES:
        clean = path.read_text(encoding="utf-8").translate(FULL_WIDTH)
        assert repair_text(clean).repairs == (), path.name
        repaired = repair_text(damaged_by(clean)).text
        opcodes = difflib.SequenceMatcher(a=clean, b=repaired, autojunk=False).get_opcodes()
        errors = sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in opcodes if tag != "equal")
        assert errors / len(clean) <= most, path.name
        for number in re.findall(r"[\u4e00-\u9fff]{1,8}〔[０-９]{4}〕[０-９]+号|[０-９]{4}年[０-９]{1,2}月[０-９]{1,2}日", clean):
            assert number in repaired, (path.name, number)
