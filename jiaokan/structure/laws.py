"""Laws and official documents: the kind of a document and a law's promulgation record.

The kind comes from the last words of the title (…法, …条例, …办法, …通知) weighed with who
adopted or promulgated the text: a 条例 adopted by a provincial people's congress is a local
regulation, a 办法 promulgated by a 令 is a rule, a 规定 adopted by the Supreme People's
Court's judicial committee is a judicial interpretation. The promulgation record (题注) is
the dated lines under a law's title — adopted, promulgated, amended, in force — or the
sentence of a 令 that promulgates a rule (《X》已经…通过，现予公布，自…起施行).
"""

from __future__ import annotations

import re

from jiaokan.models import Promulgation
from jiaokan.structure.patterns import CN_DIGITS, DATE, DOC_NUMBER, INDEX_ROW, iso_date

# The vocabulary of document kinds (the ``kind`` of a document in the JSON Schema).
KINDS = (
    "law", "legislative_interpretation", "administrative_regulation", "local_regulation", "rule",
    "judicial_interpretation", "normative_document", "decision", "resolution", "order", "announcement",
    "notice", "circular", "opinion", "reply", "letter", "minutes", "report", "plan", "interpretation",
    "index", "appointment", "other",
)
# Kinds whose numbered paragraphs are articles (条) with 款, 项 and 目.
LEGAL_KINDS = frozenset({
    "law", "legislative_interpretation", "administrative_regulation", "local_regulation", "rule",
    "judicial_interpretation", "normative_document",
})
# The kind a title's last words name, tried in order (修正案 before 案, 实施细则 before 则 …).
TITLE_KINDS = (
    ("修正案", "law"), ("法典", "law"), ("条例", "regulation"),
    ("规定", "provisions"), ("办法", "provisions"), ("细则", "provisions"), ("规则", "provisions"),
    ("准则", "provisions"), ("规范", "provisions"), ("规程", "provisions"), ("通则", "provisions"), ("章程", "provisions"),
    ("指引", "provisions"), ("指南", "provisions"), ("标准", "provisions"),
    ("解释", "explanation"), ("决定", "decision"), ("决议", "resolution"), ("命令", "order"), ("令", "order"),
    ("公告", "announcement"), ("通告", "announcement"), ("公报", "announcement"), ("通知", "notice"),
    ("通报", "circular"), ("意见", "opinion"), ("批复", "reply"), ("复函", "letter"), ("函", "letter"),
    ("纪要", "minutes"), ("报告", "report"), ("方案", "plan"), ("规划", "plan"), ("计划", "plan"),
    ("纲要", "plan"), ("目录", "index"),
)
NOT_LAWS = ("办法", "方法", "做法", "看法", "说法", "想法", "执法", "违法", "守法", "立法", "合法", "非法")
COURTS = ("最高人民法院", "最高人民检察院")
# Forms a judicial interpretation takes (《关于司法解释工作的规定》第六条).
JUDICIAL_FORMS = ("解释", "规定", "规则", "批复", "决定")
JUDICIAL_RECORD = re.compile(r"审判委员会|检察委员会|法释|高检发释字")
# A record that makes provisions a 规章: promulgated by a 令, adopted at an executive meeting
# (常务会议, 部务会议, 委务会议 …), or promulgated by a ministry or bureau in its own name.
RULE_RECORD = re.compile(r"令\s*第|[部委署局行]务会议|常务会议|(?:部|委员会|总局|局|署|银行)\s*(?:公布|发布)")
PROVINCES = (
    "北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽", "福建",
    "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州", "云南", "西藏", "陕西",
    "甘肃", "青海", "宁夏", "新疆", "香港", "澳门",
)
LOCAL_TITLE = re.compile(rf"^(?:{'|'.join(PROVINCES)})|^[\u4e00-\u9fff]{{2,4}}(?:市|自治州|自治县|经济特区)")
# A qualifier after the kind: （试行）, （暂行）, （草案）, （十一）, （2021年修订）.
QUALIFIER = re.compile(r"(?:[（(][^）)]{1,12}[）)])+$")

ACTIONS = ("通过", "公布", "发布", "批准", "修正", "修订", "施行", "实施", "废止")
ACTION = re.compile("|".join(ACTIONS))
# One entry of a record: (根据) a date, who, an action; or 自<date>起施行.
RECORD_LINE = re.compile(
    rf"^[（(]?\s*(?:根据\s*)?{DATE.pattern}[^。]{{0,200}}?(?:{'|'.join(ACTIONS)}|会议)[^。]{{0,40}}$"
)
ENTRY_START = re.compile(rf"(?:(?<=[\s，；,;）)])|^)(?=(?:根据|自)?\s*{DATE.pattern})")
ORDER_NUMBER = re.compile(rf"(?P<issuer>[\u4e00-\u9fff]{{0,30}}?)(?P<form>令|公告)\s*第\s*(?P<n>[0-9{CN_DIGITS}]+)\s*号")
ORDINAL = re.compile(rf"第[{CN_DIGITS}\d]+次(?=修正|修订)")
STATE = "中华人民共和国"
# 本法自2021年1月1日起施行; 自公布之日起施行.
IN_FORCE = re.compile(rf"自\s*(?:{DATE.pattern}|(?P<issue>公布|发布|印发|颁布)之日)\s*起\s*(?:施行|实施|生效)")
# A notice that issues a document: 关于印发《示范市农场创建实施方案》的通知.
ISSUED = re.compile(r"(?:印发|转发|公布)《([^》]+)》")
# The closing sentence of a document, not of its last item: 本决定自2021年5月1日起施行; a law
# republished after the decision that amends it.
CLOSING_SENTENCE = re.compile(rf"^本[\u4e00-\u9fff]{{1,4}}{IN_FORCE.pattern}|^《[^》]+》根据本决定作相应(?:的)?修改")
# A 令 that promulgates a text: 《某省某办法》已经…通过，现予公布，自…起施行。
PROMULGATES = re.compile(r"《([^》]{2,60})》\s*(?:已经|已于|经)[^。]{0,120}?(?:现予|予以)(?:公布|发布)")


def is_record(text: str) -> bool:
    """A line of a promulgation record.

    >>> is_record("2002年8月22日 中华人民共和国国务院令第361号公布"), is_record("2019年以来，我市发布了…")
    (True, False)
    """
    return len(text) <= 400 and bool(RECORD_LINE.match(text.strip()) or IN_FORCE.fullmatch(text.strip("（）() ")))


def record_entries(lines: list[str]) -> list[Promulgation]:
    """The entries of a promulgation record: one per dated event, also where a line holds
    several (…第一次修订  2012年10月16日…第二次修订).

    >>> [(e.date, e.action, e.body, e.number) for e in record_entries(["2002年8月22日 中华人民共和国国务院令第361号公布"])]
    [('2002-08-22', '公布', '中华人民共和国国务院', '国务院令第361号')]
    """
    text = " ".join(line.strip() for line in lines)
    text = re.sub(r"^[（(]|[）)]$", "", text.strip())
    pieces = [p.strip(" \u3000，；,;") for p in ENTRY_START.split(text)]
    entries = [_entry(p) for p in pieces if DATE.search(p)]
    shared = [e for e in entries if e.action is None]
    for entry in shared:  # 2018年9月3日 某法院审判委员会第1747次会议 (and the next meeting) 通过
        later = next((e.action for e in entries[entries.index(entry) + 1 :] if e.action), "通过")
        entries[entries.index(entry)] = Promulgation(entry.date, later, entry.body, entry.number, entry.basis, entry.text)
    return _number_to_promulgation(entries)


def _entry(text: str) -> Promulgation:
    date = DATE.search(text)
    basis = re.search(r"《([^》]+)》", text)
    rest = re.sub(r"《[^》]+》", "", text[date.end() :] if date else text)
    number, body = None, None
    order = ORDER_NUMBER.search(rest)
    listed = DOC_NUMBER.search(rest)
    if order:
        number = re.sub(r"\s+", "", order.group()).removeprefix(STATE) or None
        body = order.group("issuer") or None
        rest = rest[: order.start()] + rest[order.end() :]
    elif listed:
        number = re.sub(r"\s+", "", listed.group())
        rest = rest[: listed.start()] + rest[listed.end() :]
    actions = ACTION.findall(rest)
    action = {"实施": "施行"}.get(actions[-1], actions[-1]) if actions else None
    if body is None:
        body = re.sub(rf"^(?:根据|自)|起?(?:{'|'.join(ACTIONS)})|讨论|审议|\s", "", ORDINAL.sub("", rest))
        body = re.sub(r"公告$", "", body.strip("，,、")) or None  # 最高人民法院公告公布
    text = re.sub(r"^(?:已经|已于|经)", "", text.strip())
    return Promulgation(iso_date(text), action, body, number, basis.group(1) if basis else None, text)


def _number_to_promulgation(entries: list[Promulgation]) -> list[Promulgation]:
    """A number printed at the end of a record (…自2015年2月4日起施行 法释〔2015〕5号) is the
    number the text was promulgated under."""
    issued = [e for e in entries if e.action in ("公布", "发布") and e.number is None]
    for n, entry in enumerate(entries):
        if entry.action == "施行" and entry.number and issued:
            target = entries.index(issued[0])
            entries[target] = Promulgation(issued[0].date, issued[0].action, issued[0].body, entry.number,
                                           issued[0].basis, issued[0].text)
            entries[n] = Promulgation(entry.date, entry.action, None, None, entry.basis, entry.text)
    return entries


def order_entries(title: str, number: str | None, body: list[str], date: str | None) -> tuple[list[Promulgation], str | None]:
    """The record a 令 carries for the text it promulgates, and that text's title: adopted
    (已经…会议通过), promulgated by this order on its date, in force (自…起施行)."""
    text = "".join(body)
    match = PROMULGATES.search(text)
    if not match:
        return [], None
    sentence = text[match.start() : text.find("。", match.end()) + 1 or len(text)]
    pieces = re.split(r"[，,]", sentence[match.end(1) + 1 :])
    entries = [_entry(p) for p in pieces if DATE.search(p) and not IN_FORCE.search(p)]
    issuer = re.sub(r"(?:命)?令$", "", title)
    order = f"{title}{number}".removeprefix(STATE) if number else None
    entries.append(Promulgation(date, "公布", issuer or None, order, None, sentence))
    return entries, match.group(1)


def effective_date(entries: list[Promulgation], body: list[str]) -> str | None:
    """施行日期: from the record (…施行), else from the text (本法自2021年1月1日起施行), where
    自公布之日起施行 means the day it was promulgated."""
    for entry in entries:
        if entry.action == "施行" and entry.date:
            return entry.date
    for text in reversed(body):
        match = IN_FORCE.search(text)
        if match and match.group("issue"):
            issued = [e.date for e in entries if e.action in ("公布", "发布") and e.date]
            return issued[0] if issued else None
        if match:
            return iso_date(match.group())
    return None


def document_date(signed: str | None, entries: list[Promulgation]) -> tuple[str | None, str | None]:
    """The document's date and what it is: the 成文日期 where printed (signed), else the date
    the text was adopted, else promulgated."""
    if signed:
        return signed, "signed"
    for actions, basis in ((("通过", "批准"), "adopted"), (("公布", "发布"), "promulgated")):
        dated = [e.date for e in entries if e.action in actions and e.date]
        if dated:
            return dated[0], basis
    return None, None


def document_kind(title: str | None, body: list[str], entries: list[Promulgation], number: str | None) -> str:
    """The kind of a document (see ``KINDS``): its title's last words, weighed with its record;
    for an untitled document, what its body is (questions and answers, appointments)."""
    title = title or ""
    record = " ".join([f"{e.text} {e.number or ''}" for e in entries] + [number or ""])
    if "解读" in title:
        return "interpretation"
    listed = sum(bool(INDEX_ROW.match(t)) for t in body)
    if listed >= 3 and listed > len(body) / 2:
        return "index"
    if JUDICIAL_RECORD.search(record):
        return "judicial_interpretation"
    core = QUALIFIER.sub("", title)
    form = next((kind for end, kind in TITLE_KINDS if core.endswith(end)), None)
    if form is None and core.endswith("法") and not core.endswith(NOT_LAWS):
        form = "law"
    if form not in ("law", "regulation", "provisions") and any(word in title for word in ("任免", "任职", "聘任")):
        return "appointment"
    if form is None:
        if sum(t.startswith(("问：", "答：")) for t in body) >= 2:
            return "interpretation"
        if "免去" in "".join(body[:3]) and "任命" in "".join(body[:3]):
            return "appointment"
        return "other"
    if title.startswith(COURTS) and core.endswith(JUDICIAL_FORMS):
        return "judicial_interpretation"
    national = "全国人民代表大会" in record or title.startswith(STATE)
    local = "人民代表大会" in record.replace("全国人民代表大会", "") or bool(LOCAL_TITLE.match(title))
    if form == "explanation":
        return "legislative_interpretation" if "全国人民代表大会常务委员会" in title else "interpretation"
    if form in ("law", "regulation"):
        if "全国人民代表大会" in record or (form == "law" and not local):
            return "law"
        return "local_regulation" if local and not national else "administrative_regulation"
    if form == "provisions":
        if "人民代表大会" in record:
            return "law" if "全国人民代表大会" in record else "local_regulation"
        if "国务院令" in record or "国务院第" in record:
            return "administrative_regulation"
        return "rule" if RULE_RECORD.search(record) else "normative_document"
    return form


def amended_title(title: str | None) -> str | None:
    """The law a decision amends: 关于修改《中华人民共和国某法》的决定 → 中华人民共和国某法."""
    match = re.search(r"关于修改[《〈]([^》〉]+)[》〉](?:等[^的]*)?的决定$", title or "")
    return match.group(1) if match else None


def issued_title(kind: str, title: str | None, body: list[str]) -> str | None:
    """The title of the text a document issues: 关于印发《X》的通知 issues X, a 令 promulgates X."""
    issued = ISSUED.search(title or "")
    if issued:
        return issued.group(1)
    match = PROMULGATES.search("".join(body)) if kind == "order" else None
    return match.group(1) if match else None
