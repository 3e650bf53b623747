"""The written forms of Chinese official documents (GB/T 9704-2012), as patterns.

发文字号 = document number (机关代字〔年份〕序号号), 成文日期 = date of the document,
主送机关 = addressees, 附件 = attachment, 抄送 = copied to, 印发 = printed and issued by.
"""

from __future__ import annotations

import re

CN_DIGITS = "〇零一二三四五六七八九十百千两"
NUM = f"[{CN_DIGITS}]+"

# Clause labels at the start of a paragraph, by kind (the `kind` of a clause in the JSON Schema).
LABEL_KINDS = (
    ("part", rf"第{NUM}编"),
    ("subpart", rf"第{NUM}分编"),
    ("chapter", rf"第{NUM}章"),
    ("section", rf"第{NUM}节"),
    ("article", rf"第{NUM}条(?:之{NUM})?"),
    ("chinese_num", rf"{NUM}[、.．]"),
    ("paren_chinese_num", rf"[（(]{NUM}[）)]"),
    ("arabic_num", r"\d{1,3}(?:[.．、](?!\d)|\s)"),
    ("paren_arabic_num", r"[（(]\d{1,3}[）)]"),
    ("other", r"[①-⑳⑴-⒇⒈-⒛㈠-㈩]"),
)
# The ranking of label kinds: a label opens a clause below the nearest open clause of a higher rank.
RANK = {kind: rank for rank, (kind, _) in enumerate(LABEL_KINDS)}
# Labels of the divisions above articles (编, 分编, 章, 节): their text is a heading.
DIVISIONS = ("part", "subpart", "chapter", "section")
LABEL = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in LABEL_KINDS))

# Years and numbers may be set in full-width digits (２０20).
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［【(（]\s*[12１２][0-9０-９]{3}\s*[〕\]］】)）]\s*[0-9０-９]{1,4}\s*号")
# A row of a list of documents (发文目录): a document number, a space, the title.
INDEX_ROW = re.compile(rf"^[\u4e00-\u9fff]{{2}}{DOC_NUMBER.pattern}\s*\S")
REGISTRATION = re.compile(r"\b[A-Z]{2,6}\d{0,4}-\d{4}-\d{3,5}\b")
DATE = re.compile(
    rf"(?P<year>(?:19|20)\d{{2}}|[{CN_DIGITS}]{{4}})\s*年\s*(?P<month>\d{{1,2}}|[{CN_DIGITS}]{{1,3}})\s*月"
    rf"\s*(?P<day>\d{{1,2}}|[{CN_DIGITS}]{{1,3}})\s*日"
)
DATE_LINE = re.compile(rf"^\s*{DATE.pattern}\s*$")
PUBLICATION_NOTE = re.compile(r"^[（(]此件[^）)]{0,12}[）)]$")
ATTACHMENT_NOTE = re.compile(r"^附\s*件?\s*[：:]")
# The label that opens an attachment (附件2), or an annex with its title (附件1：查处酒后驾驶操作规程).
ATTACHMENT_LABEL = re.compile(
    r"^附\s*件\s*(?P<number>\d{0,2}|[一二三四五六七八九十]{1,3})\s*$"
    r"|^附\s*件\s*(?P<numbered>\d{1,2}|[一二三四五六七八九十]{1,3})\s*[：:\s]\s*(?P<title>\S.*)$"
)
# 令号, the number of an order: 第 12 号.
ORDER_NUMBER = re.compile(rf"^第\s*[0-9{CN_DIGITS}]+\s*号$")
CC = re.compile(r"^抄\s*送\s*[：:]")
# 发文机关标志, the red masthead: 示范市人民政府办公室文件.
MASTHEAD = re.compile(r"[\u4e00-\u9fff]{2,28}文件")
PRINTED = re.compile(r"^.{2,30}(?:办公室|办公厅|秘书处)\s*\d{4}年\d{1,2}月\d{1,2}日\s*印发$")
ELEMENT_START = re.compile(rf"^(?:附\s*件|抄\s*送|{DATE.pattern}\s*$|[（(]此件)")

DOC_TYPES = (
    "通知", "意见", "办法", "决定", "规定", "方案", "批复", "函", "公告", "通告", "通报", "报告", "细则",
    "规则", "纲要", "规划", "计划", "命令", "令", "议案", "纪要", "决议", "公报", "指引", "指南", "条例",
    "解读", "规范", "标准", "目录", "名单", "清单", "修正案", "解释", "安排", "章程", "准则",
)
TITLE_END = re.compile(rf"(?:{'|'.join(DOC_TYPES)})(?:[（(][^）)]{{1,10}}[）)])?$")
ISSUER_END = re.compile(
    r"(?:人民政府|人民代表大会(?:常务委员会)?|办公室|办公厅|委员会|委|局|厅|部|院|署|会|中心|公司|集团|银行|支行|分局|党委|政府)$"
)
# 主送机关: a list of bodies ending in a colon, each ending like a body's name.
ADDRESSEE_BODY = re.compile(
    r"(?:政府|部门|单位|委员会|委|局|厅|办|公司|院|处|室|所|中心|学校|机构|机关|组织|企业|街道|乡镇|镇|乡|团体|会"
    r"|省|市|县|区|州|盟|旗)$"
)
RUNNING_HEAD = re.compile(
    r"^.{2,20}[（(]总第\s*\d+\s*期[）)].{0,8}$"  # 某市政报（总第 12期）文件发布
    r"|^.{2,20}(?:公报|政报)\s*[（(]?\s*\d{4}\s*年\s*第\s*\d+\s*[期号][）)]?$"  # 某省人民政府公报 2021年第3期
    r"|^第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?$"  # 第 3 页
    r"|^[\s·•・\-－—]*\d{1,4}[\s·•・\-－—]*$"  # 18, - 18 -, ·18·, 18· ·
    r"|^.{0,60}?(?:页码|Page)\s*[，,:：]?\s*\d+\s*(?:/|of)\s*\d+\s*$"  # a browser's print header: 标题 页码，1/40
    r"|^\s*(?:file|https?)://\S+(?:\s*\d{4}-\d{1,2}-\d{1,2})?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*$"  # its footer: the address, the date
)


def is_furniture(line: str) -> bool:
    """Running heads and page numbers: printed by the layout, not part of any document."""
    return bool(RUNNING_HEAD.match(line))


def iso_date(text: str) -> str | None:
    """A Chinese date as YYYY-MM-DD.

    >>> iso_date("二〇二〇年三月九日"), iso_date("2020年 3月 19日")
    ('2020-03-09', '2020-03-19')
    """
    match = DATE.search(text)
    if not match:
        return None
    year, month, day = (cn_number(match.group(k)) for k in ("year", "month", "day"))
    if not (year and month and day) or not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def label_number(label: str) -> int | None:
    """The number of a clause label.

    >>> label_number("（十二）"), label_number("第三条"), label_number("12.")
    (12, 3, 12)
    """
    digits = re.search(r"\d+", label)
    if digits:
        return int(digits.group())
    chinese = re.search(r"[〇零一二三四五六七八九十百千两]+", label)
    return cn_number(chinese.group()) if chinese else None


def cn_number(text: str) -> int | None:
    """The value of a Chinese or Arabic numeral.

    >>> cn_number("二十四"), cn_number("一百零三"), cn_number("二〇二〇"), cn_number("12")
    (24, 103, 2020, 12)
    """
    if text.isdigit():
        return int(text)
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
    units = {"十": 10, "百": 100, "千": 1000}
    if all(c in digits for c in text):
        return int("".join(str(digits[c]) for c in text))
    total, current = 0, 0
    for char in text:
        if char in digits:
            current = digits[char]
        elif char in units:
            total += (current or 1) * units[char]
            current = 0
        else:
            return None
    return total + current
