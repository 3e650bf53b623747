"""Documents: split an input into its documents and read their GB/T 9704 elements.

A gazette issue holds many documents, and PDF text often prints a title block in the middle
of a body (a column break) or after the signature (short notices). Each paragraph is first
given a role from its form alone (document number, date, title, signature …); documents are
then cut after each signature-and-date block, and every title block goes to the document it
interrupts, or to the one just closed when that one has none. A document whose title matches
an item of an earlier document's attachment note (附件：) becomes that attachment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jiaokan.models import Attachment, Document, Promulgation
from jiaokan.structure import laws
from jiaokan.structure.paragraphs import SENTENCE_END, Paragraph
from jiaokan.structure.patterns import (
    ADDRESSEE_BODY,
    ATTACHMENT_LABEL,
    ATTACHMENT_NOTE,
    CC,
    DATE_LINE,
    DOC_NUMBER,
    INDEX_ROW,
    ISSUER_END,
    LABEL,
    MASTHEAD,
    NUM,
    ORDER_NUMBER,
    PRINTED,
    PUBLICATION_NOTE,
    REGISTRATION,
    TITLE_END,
    DOC_TYPES,
    cn_number,
    iso_date,
)

TITLE_MAX = 80
# Characters a text must share with a title to be the text that title heads.
ECHO_MIN = 8
# The order in which the elements are printed (版头, 主体, 版记): a document's text follows it
# even where the input's columns were out of order (the roles of one group in input order).
READING_ORDER = (
    ("masthead",), ("registration",), ("doc_number", "order_number"), ("title",), ("record",), ("addressee",),
    ("contents", "body"), ("index_row",),
    ("attachment_note",), ("signature",), ("date",), ("publication",), ("cc",), ("printed",),
)
# The parts a document's head is made of (版头 and 标题).
TITLE_BLOCK = ("masthead", "title", "doc_number", "order_number", "registration")
# The elements that close a document (版记 and the signature before them).
CLOSING = ("signature", "date", "publication", "cc", "printed")
# A note's last item may wrap over a few paragraphs before the signature.
NOTE_TAIL = 4
SIGNATURE_MAX = 40
ORGAN_LINE = re.compile(r"[\u4e00-\u9fff、]{2,38}(?:人民法院|人民检察院|人民政府|国务院|委员会|办公厅|办公室|[部局署厅])")
SIGNER = re.compile(r"^(?:总理|主席|委员长|院长|检察长|部长|署长|行长|主任|省长|市长|州长|盟长|县长|区长|旗长)\s*[\u4e00-\u9fff·]{2,6}$")
SIGNATURE_LINES = 4
# A gazette section printed as a title: 【市政府人事任免】（2020年3月份）.
SECTION_TITLE = re.compile(r"^【[^】]{2,20}】(?:[（(][^）)]{1,16}[）)])?$")
ATTACHMENT_ITEM = re.compile(r"^(\d{1,2})\s*[.．、]\s*")
# The head of a note line: 附件：, 附：, or 附件2： (a note written one line per attachment).
NOTE_HEAD = re.compile(r"^附\s*件?\s*(\d{0,2})\s*[：:]\s*")
PUNCTUATION = re.compile(r"[，。；！？、]")
TITLE_PUNCTUATION = re.compile(r"[，。；！？：]")
# A law's title (中华人民共和国刑法, 上海市劳动合同条例): a short line ending in a kind of law,
# known as a title by what follows it — its promulgation record, its contents, its first
# chapter or article.
LAW_TITLE = re.compile(r"(?:法|法典|通则|条例|规定|办法|细则|规则|解释|决定|章程|准则)(?:[（(][^）)]{1,10}[）)])?$")
LAW_START = re.compile(r"^第\s*(?:一|1)\s*[编章条]|^目\s*录$")
# A law's table of contents: 目录, then its 编, 章 and 节 headings.
CONTENTS_HEAD = re.compile(r"^目\s*录$")
CONTENTS_ENTRY = re.compile(rf"^第\s*(?:{NUM}|\d+)\s*[编章节]")
CONTENTS_GROUP = re.compile(r"^[\u4e00-\u9fff]{2,8}$")  # 总则, 分则, 附则


@dataclass
class Part:
    """A paragraph with its role: body, masthead, title, doc_number, order_number (令号),
    registration, record (a law's promulgation record), addressee, contents (a law's table of
    contents), signature, date, publication, attachment_note, attachment_label, cc, printed."""

    paragraph: Paragraph
    role: str

    @property
    def text(self) -> str:
        return self.paragraph.text


@dataclass
class DraftDocument:
    """The parts of one document while the input is being split."""

    parts: list[Part] = field(default_factory=list)
    title: list[Part] = field(default_factory=list)
    closed: bool = False
    attachment_label: str | None = None
    index: bool = False
    annex_of: DraftDocument | None = None

    def has(self, role: str) -> bool:
        return any(p.role == role for p in self.parts + self.title)


def split_documents(paragraphs: list[Paragraph]) -> list[DraftDocument]:
    """Cut the paragraphs into draft documents (attachments not yet nested).

    A document closes at its date. An attachment label opens an attachment, an annex of the
    document still open (a law's 附件 after its last article). Body text that arrives after a closed document without
    opening a new one (no addressee, no title) continues the latest document still open:
    a short notice was printed inside the column of a longer one.
    """
    parts = classify(paragraphs)
    documents = [DraftDocument()]
    active = documents[0]
    n = 0
    while n < len(parts):
        part = parts[n]
        if part.role in TITLE_BLOCK:
            block, n = _title_block(parts, n)
            active = _place_title_block(documents, active, block)
            continue
        if part.role == "attachment_label":
            owner = active.annex_of or active
            active = DraftDocument(attachment_label=part.text, annex_of=None if owner.closed or owner.index else owner)
            documents.append(active)
        elif part.role == "index_row":
            if not active.index:
                lists = [d for d in documents if d.index]
                active = lists[-1] if lists else DraftDocument(index=True)
                if not lists:
                    documents.append(active)
            active.parts.append(part)
        else:
            if (active.closed or active.index) and part.role not in ("publication", "cc", "printed"):
                active = _resume_or_open(documents, part)
            else:
                active = _continued_numbering(documents, active, part)
            active.parts.append(part)
            if part.role == "date":
                active.closed = True
        n += 1
    documents = [d for d in documents if d.parts or d.title]
    _relink_short_notices(documents)
    return documents


def _relink_short_notices(documents: list[DraftDocument]) -> None:
    """A short notice printed inside a longer document's column: its body, signature and date
    come before its title block, so they landed in the document around them. When the last
    text of a closed document repeats the next document's title (聘任某某为…副主任), that text
    and its signature and date belong to the next document, and what followed the title goes
    back to the document that was interrupted."""
    for previous, document in zip(documents, documents[1:]):
        title = "".join(p.text for p in document.title if p.role == "title")
        if not title or not previous.closed or document.has("body") and _echoes(document, title):
            continue
        body = [n for n, p in enumerate(previous.parts) if p.role == "body"]
        matches = [n for n in body if _shared(previous.parts[n].text, _title_core(title)) >= ECHO_MIN]
        if not matches or matches[-1] < (body[-1] if body else 0) - 1:
            continue
        start = matches[-1]
        own = "".join(p.text for p in previous.title if p.role == "title")
        if own and _shared(previous.parts[start].text, _title_core(own)) >= ECHO_MIN:
            continue
        moved, rest = previous.parts[start:], document.parts
        previous.parts, document.parts = previous.parts[:start] + rest, moved
        previous.closed, document.closed = any(p.role == "date" for p in previous.parts), True


def _echoes(document: DraftDocument, title: str) -> bool:
    core = _title_core(title)
    return any(_shared(p.text, core) >= ECHO_MIN for p in document.parts if p.role == "body")


def _title_core(title: str) -> str:
    """The subject of a title: without the issuer before 关于 and the document type after 的."""
    core = title.split("关于", 1)[-1]
    return re.sub(rf"的?(?:{'|'.join(DOC_TYPES)})$", "", core)


def _shared(text: str, core: str) -> int:
    """Length of the longest run of characters ``text`` shares with ``core``."""
    from difflib import SequenceMatcher

    match = SequenceMatcher(None, text, core, autojunk=False).find_longest_match(0, len(text), 0, len(core))
    return match.size


def _continued_numbering(documents: list[DraftDocument], active: DraftDocument, part: Part) -> DraftDocument:
    """The document whose numbering this item continues: an item 5． right after a title
    block that cut into a document ending at item 4． belongs to that document; and an item
    一、 that restarts the numbering goes to a document whose title still waits for its text."""
    if part.role != "body" or active.index:
        return active
    label = _label_number(part.text)
    if label is None:
        return active
    if label[1] == 1 and _last_number(active, label[0]) is not None:
        waiting = [d for d in documents if d.title and not d.has("body") and not d.closed and d is not active]
        return waiting[-1] if waiting else active
    if label[1] == 1 or _last_number(active, label[0]) is not None:
        return active
    for document in reversed(documents):
        if document is active or document.closed or document.index:
            continue
        if _last_number(document, label[0]) == label[1] - 1:
            return document
    return active


def _label_number(text: str) -> tuple[str, int] | None:
    match = LABEL.match(text)
    if not match:
        return None
    digits = re.search(r"\d+|[〇零一二三四五六七八九十百千两]+", match.group())
    number = cn_number(digits.group()) if digits else None
    return (match.lastgroup or "other", number) if number else None


def _last_number(document: DraftDocument, kind: str) -> int | None:
    for part in reversed(document.parts):
        label = _label_number(part.text) if part.role == "body" else None
        if label and label[0] == kind:
            return label[1]
    return None


def _resume_or_open(documents: list[DraftDocument], part: Part) -> DraftDocument:
    """The open document whose text broke off mid-sentence, which this body text resumes;
    else one whose title still waits for its text; or a new document."""
    if part.role == "body" and not LABEL.match(part.text):
        for document in reversed(documents):
            body = [p for p in document.parts if p.role == "body"]
            if not document.closed and not document.index and body and not body[-1].text.endswith(SENTENCE_END):
                return document
        for document in reversed(documents):
            if document.title and not document.closed and not document.index and not document.has("body"):
                return document
    documents.append(DraftDocument())
    return documents[-1]


def classify(paragraphs: list[Paragraph]) -> list[Part]:
    """Give each paragraph its role from its own form and its neighbours'."""
    roles = [_role(p.text) for p in paragraphs]
    texts = [p.text for p in paragraphs]
    for n, role in enumerate(roles):
        if role in ("date", "publication"):
            m = n - 1
            while m >= 0 and n - m <= SIGNATURE_LINES and roles[m] in ("body", "title") and _looks_like_signature(texts[m]):
                roles[m] = "signature"
                m -= 1
    for n in range(len(texts)):
        if roles[n] == "title_start":
            end = n if LAW_TITLE.search(texts[n]) else _title_end(texts, n)
            roles[n] = "body" if end is None else "title"
            for m in range(n + 1, (end or n) + 1):
                roles[m] = "title"
            if end is not None and n and _organ_line(texts[n - 1]) and roles[n - 1] in ("body", "masthead", "signature"):
                roles[n - 1] = "title"  # 最高人民法院 / 关于……的规定: the issuer opens the title
        elif roles[n] in ("attachment_note", "attachment_label"):
            _attachment_roles(texts, roles, n)
        elif roles[n] == "body" and _law_title(texts, n):
            roles[n] = "title"
        elif CONTENTS_HEAD.match(texts[n].strip()):
            entries = _contents(texts, n + 1)
            for m in range(n, n + 1 + len(entries) if len(entries) >= 2 else n):
                roles[m] = "contents"
    for n in range(1, len(texts)):
        if roles[n - 1] in ("title", "record", "doc_number", "order_number") and roles[n] in ("body", "date"):
            if laws.is_record(texts[n]) or (roles[n - 1] == "record" and _unclosed(texts[n - 1])):
                roles[n] = "record"
    return [Part(p, r) for p, r in zip(paragraphs, roles)]


def _unclosed(text: str) -> bool:
    """A record printed in brackets that goes on in the next paragraph: （1979年7月1日…通过"""
    return text.lstrip().startswith(("（", "(")) and not text.rstrip().endswith(("）", ")"))


def _attachment_roles(texts: list[str], roles: list[str], n: int) -> None:
    """附件 at ``n``: the note that lists the attachments (附件：1．… , or 附件1：… lines before
    the signature), whose wrapped titles follow it, or the label that opens an attachment
    printed here (附件1：查处酒后驾驶操作规程, or 附件： and the title, then the text)."""
    label = ATTACHMENT_LABEL.match(texts[n].strip())
    if (label and not label.group("title")) or not (label or ATTACHMENT_NOTE.match(texts[n].strip())):
        return  # a bare 附件2, or a line of the note above
    rest = label.group("title") if label else re.split(r"[：:]", texts[n], maxsplit=1)[1].strip()
    title_at = n if rest else n + 1
    title = rest or (texts[n + 1] if n + 1 < len(texts) else "")
    if title and _short_fragment(title) and not LABEL.match(title) and _opens_annex(roles, title_at + 1):
        roles[n] = "attachment_label"
        if title_at > n:
            roles[title_at] = "title"
        return
    roles[n] = "attachment_note"
    m = n + 1
    while m < len(texts) and roles[m] in ("body", "title") and _short_fragment(texts[m]) and not ATTACHMENT_LABEL.match(texts[m]):
        roles[m] = "attachment_note"
        m += 1


def _opens_annex(roles: list[str], m: int) -> bool:
    """Whether the paragraphs from ``m`` are an attachment's own text rather than the rest of
    a note: no signature, date or other 附件 line follows within a few paragraphs."""
    window = roles[m : m + NOTE_TAIL]
    return bool(window) and not any(role in CLOSING or role.startswith("attachment") for role in window)


def _law_title(texts: list[str], n: int) -> bool:
    """A law's title: short, unpunctuated, ending in a kind of law, followed by its
    promulgation record, its contents, or its first chapter or article.

    >>> _law_title(["中华人民共和国刑法", "(1979年7月1日第五届全国人民代表大会第二次会议通过"], 0)
    True
    >>> _law_title(["改进工作方法", "第一条 为了……"], 0)
    False
    """
    text = texts[n].strip()
    if n + 1 >= len(texts) or not _short_fragment(text) or len(text) > 40 or not LAW_TITLE.search(text) or LABEL.match(text):
        return False
    following = texts[n + 2 if DOC_NUMBER.fullmatch(texts[n + 1].strip()) and n + 2 < len(texts) else n + 1].strip()
    return bool(laws.is_record(following) or LAW_START.match(following)) and not text.endswith(("方法", "做法", "看法", "想法", "说法"))


def _contents(texts: list[str], n: int) -> list[str]:
    """The entries of a law's table of contents from ``n``: its 编/章/节 headings and the
    short headings between them (总则, 分则, 附则), up to the first heading that repeats (the
    law itself begins there).

    >>> _contents(["总则", "第一章 总则", "某法 2", "第二章 附则", "第一章 总则", "第一条 为了……"], 0)
    ['总则', '第一章 总则', '某法 2', '第二章 附则']
    """
    def entry(m: int) -> bool:
        text = texts[m] if m < len(texts) else ""
        return text not in entries and bool(
            (CONTENTS_ENTRY.match(text) and len(text) <= TITLE_MAX) or CONTENTS_GROUP.match(text))

    entries: list[str] = []
    while n < len(texts) and (entry(n) or (entries and entry(n + 1) and CONTENTS_ENTRY.match(texts[n + 1]))):
        entries.append(texts[n])  # an entry, or a running head left between two pages of entries
        n += 1
    while entries and not CONTENTS_ENTRY.match(entries[-1]):  # the law's own first heading
        entries.pop()
    return entries


def _short_fragment(text: str) -> bool:
    return len(text) <= TITLE_MAX and not TITLE_PUNCTUATION.search(_without_brackets(text))


# Roles that a paragraph's form alone decides, tried in order.
FORM_ROLES = (
    (DATE_LINE.match, "date"),
    (PUBLICATION_NOTE.match, "publication"),
    (ATTACHMENT_LABEL.match, "attachment_label"),
    (ORDER_NUMBER.match, "order_number"),
    (ATTACHMENT_NOTE.match, "attachment_note"),
    (CC.match, "cc"),
    (PRINTED.match, "printed"),
    (REGISTRATION.fullmatch, "registration"),
    (DOC_NUMBER.fullmatch, "doc_number"),
)


def _role(text: str) -> str:
    for matches, role in FORM_ROLES:
        if matches(text.strip()):
            return role
    if INDEX_ROW.match(text) and TITLE_END.search(text):
        return "index_row"
    if MASTHEAD.fullmatch(text) and "关于" not in text:
        return "masthead"
    if LABEL.match(text):
        return "body"
    if SECTION_TITLE.match(text):
        return "title"
    if len(text) <= TITLE_MAX and not TITLE_PUNCTUATION.search(_without_brackets(text)):
        if TITLE_END.search(text):
            return "title"
        if "关于" in text:
            return "title_start"
    if _addressee(text):
        return "addressee"
    return "body"


def _addressee(text: str) -> bool:
    """A 主送机关 line: bodies' names separated by 、 and ，, ending in a colon: the last name
    and most of the others end like a body's (a clause that introduces a list, 应当提供下列
    材料：, is no addressee).

    >>> _addressee("各县（市、区）人民政府，市政府各部门、直属各单位："), _addressee("个人饲养犬只的，应当提供下列材料：")
    (True, False)
    """
    if not text.endswith(("：", ":")) or len(text) > 150 or re.search(r"的|应当|下列|如下|以下", text):
        return False
    names = [name for name in re.split(r"[，、,]", _without_brackets(text[:-1])) if name]
    bodies = [bool(ADDRESSEE_BODY.search(name) or name.startswith("各")) for name in names]
    return bool(names) and bodies[-1] and 2 * sum(bodies) >= len(bodies)  # 中央、省驻岳单位: a shared noun


def _without_brackets(text: str) -> str:
    """Text with bracketed asides removed (a title may hold 〔2020〕 or （试行）, with commas)."""
    return re.sub(r"[（(〔《“][^）)〕》”]*[）)〕》”]", "", text)


def _looks_like_signature(text: str) -> bool:
    """An issuing body's name, or the officer who signs an order (省长  王某某)."""
    return len(text) <= SIGNATURE_MAX and bool(ISSUER_END.search(text) or SIGNER.match(text)) and not PUNCTUATION.search(text)


def _organ_line(text: str) -> bool:
    """A line that is only an issuing body's name (最高人民法院, 国务院办公厅)."""
    return len(text) <= SIGNATURE_MAX and bool(ORGAN_LINE.fullmatch(text.strip()))


def _title_end(texts: list[str], n: int) -> int | None:
    """Where a title that starts at ``n`` (…关于) ends: the first of the next two paragraphs
    with a title ending, all of them short and free of sentence punctuation."""
    for m in range(n + 1, min(n + 3, len(texts))):
        if not _short_fragment(texts[m]):
            return None
        if TITLE_END.search(texts[m]):
            return m
    return None


def _title_block(parts: list[Part], n: int) -> tuple[list[Part], int]:
    """The run of masthead, title, number and registration parts starting at ``n``; a title that ends
    in a doc-type word closes the title lines (a number may still follow)."""
    block: list[Part] = []
    title_done = False
    while n < len(parts) and parts[n].role in TITLE_BLOCK:
        part = parts[n]
        if part.role == "title":
            if title_done:
                break
            if TITLE_END.search(part.text):
                title_done = True
        block.append(part)
        n += 1
    return block, n


def _place_title_block(documents: list[DraftDocument], active: DraftDocument, block: list[Part]) -> DraftDocument:
    """Give a title block to the document it belongs to; returns the document now active.

    The active document takes a title when it has none yet and has text: the block interrupts
    its body, or (closed, or a list of documents) was printed after it. A number alone joins
    an open document's title. Otherwise the block opens a new document.
    """
    has_title = any(p.role == "title" for p in block)
    opened = active.attachment_label is not None and not active.parts  # 附件1, then its title
    if has_title and not active.has("title") and (opened or active.has("body") or active.index or active.has("addressee")):
        active.title.extend(block)
        return active
    if not has_title and not active.has("doc_number") and not active.closed and active.has("title"):
        active.title.extend(block)
        return active
    document = DraftDocument(title=list(block))
    documents.append(document)
    return document


def read_elements(draft: DraftDocument) -> Document:
    """A Document with its elements read from the draft's parts (body left for clauses)."""
    parts = draft.title + draft.parts
    text_of = {role: [p.text for p in parts if p.role == role] for role in {p.role for p in parts}}
    body = text_of.get("body", [])
    label = ATTACHMENT_LABEL.match(draft.attachment_label or "")
    title = "".join(text_of.get("title", [])) or (label and label.group("title")) or None
    order_number = re.sub(r"\s+", "", text_of["order_number"][0]) if "order_number" in text_of else None
    entries = laws.record_entries(text_of["record"]) if "record" in text_of else []
    if order_number and title:
        entries, _ = laws.order_entries(title, order_number, body, iso_date(text_of.get("date", [""])[-1]))
    if "doc_number" in text_of:
        number = _normal_number(text_of["doc_number"][0])
    else:  # a 令 is numbered by its 令号
        number = next((e.number for e in entries if e.action == "公布"), None) if order_number else None
    document = Document(
        doc_number=number,
        registration_number=text_of.get("registration", [None])[0],
        title=title,
        issuer=[name for p in parts if p.role == "signature" for name in _issuers(p.paragraph)],
        addressees=_addressees(text_of.get("addressee", [])),
        publication_note=text_of.get("publication", [None])[0],
        cc=_after_colon(text_of.get("cc", [None])[0]),
        printed_by=text_of.get("printed", [None])[0],
    )
    lines = [p.paragraph.first_line for p in parts] + [p.paragraph.last_line for p in parts]
    document.lines = (min(lines), max(lines)) if lines else None
    document.kind = "index" if draft.index else laws.document_kind(title, body, entries, document.doc_number)
    _adopt_record(document, entries, iso_date(text_of["date"][-1]) if "date" in text_of else None, body)
    document.attachments = attachment_notes(text_of.get("attachment_note", []))
    document.text = "\n".join(p.text for group in READING_ORDER for p in parts if p.role in group)
    return document


def _adopt_record(document: Document, entries: list[Promulgation], signed: str | None, body: list[str]) -> None:
    """Set the document's promulgation record, and the date, its basis and the date in force
    that follow from it."""
    document.promulgation = entries
    document.date, document.date_basis = laws.document_date(signed, entries)
    document.effective = laws.effective_date(entries, body)


def body_paragraphs(draft: DraftDocument) -> list[Paragraph]:
    return [p.paragraph for p in draft.parts if p.role in ("body", "index_row")]


def _issuers(paragraph: Paragraph) -> list[str]:
    """Issuers of a signature paragraph: joint issuers may share a line, spaced apart."""
    names = [n for line in paragraph.raw or (paragraph.text,) for n in re.split(r"\s{2,}|\s(?=\S{4,})", line.strip())]
    names = [n.strip() for n in names if n.strip()]
    return names if names and all(ISSUER_END.search(n) for n in names) else [paragraph.text]


def _addressees(lines: list[str]) -> str | None:
    return lines[0].rstrip("：:") if lines else None


def _after_colon(text: str | None) -> str | None:
    if text is None:
        return None
    return re.split(r"[：:]", text, maxsplit=1)[1].strip().rstrip("。") or None


def _normal_number(text: str) -> str:
    """A document number with normal-width digits, 〔〕 brackets and no spaces.

    >>> _normal_number("嘉政发[２０２０] 6 号")
    '嘉政发〔2020〕6号'
    """
    text = text.translate(str.maketrans("０１２３４５６７８９[]［］【】()（）", "0123456789〔〕〔〕〔〕〔〕〔〕"))
    return re.sub(r"\s+", "", text)


def attachment_notes(notes: list[str]) -> list[Attachment]:
    """Items of the attachment note (附件：1．… 2．…), whose titles may wrap over paragraphs."""
    if not notes:
        return []
    text = "".join(NOTE_HEAD.sub(lambda m: f"{m.group(1)}．" if m.group(1) else "", line, count=1) for line in notes)
    items = re.split(r"(?<!\d)(?=\d{1,2}\s*[.．、])", text)
    attachments = []
    for item in items:
        item = item.strip()
        if not item:
            continue
        match = ATTACHMENT_ITEM.match(item)
        label = match.group(1) if match else ""
        attachments.append(Attachment(label, item[match.end() :] if match else item))
    return attachments


def nest_attachments(documents: list[tuple[Document, DraftDocument]]) -> list[Document]:
    """Documents whose title matches an earlier document's attachment item become that item's
    document, annexes become attachments of the document they follow; the others stay top
    level. A text republished after the decision that amends it is linked to that decision."""
    top: list[Document] = []
    placed: list[Document] = []
    of_draft = {id(draft): document for document, draft in documents}
    for document, draft in documents:
        owner = _owner(document, placed) if (document.title or draft.attachment_label) else None
        if owner is None and draft.annex_of is not None:
            owner = of_draft[id(draft.annex_of)]
            label = ATTACHMENT_LABEL.match(draft.attachment_label or "")
            owner.attachments.append(Attachment(label and (label.group("number") or label.group("numbered")) or "",
                                                document.title or "", document))
        if owner is None:
            amended = [d for d in placed if _same_title(laws.amended_title(d.title) or "", document.title or "")]
            document.amended_by = amended[-1].title if amended else None
            top.append(document)
        placed.append(document)
    return top


def _owner(document: Document, earlier: list[Document]) -> Document | None:
    """The earlier document that lists this one as an attachment, or that issues it (a
    notice 关于印发《X》的通知 carries X, a 令 the rule it promulgates), linked to it."""
    for candidate in reversed(earlier):
        for attachment in candidate.attachments:
            if attachment.document is None and _same_title(attachment.title, document.title or ""):
                attachment.document = document
                return candidate
        issued = laws.issued_title(candidate.kind, candidate.title, candidate.text.split("\n"))
        if issued and document.title and _same_title(issued, document.title):
            if not any(a.document is document for a in candidate.attachments):
                candidate.attachments.append(Attachment("", issued, document))
                if candidate.kind == "order" and not document.promulgation:
                    _promulgated_by(document, candidate)
                return candidate
    return None


def _promulgated_by(document: Document, order: Document) -> None:
    """A text promulgated by a 令 takes the order's record, and its kind as a rule."""
    effective = document.effective
    _adopt_record(document, list(order.promulgation), None, [])
    document.effective = order.effective or effective
    document.kind = laws.document_kind(document.title, [], document.promulgation, document.doc_number)


def _same_title(a: str, b: str) -> bool:
    key = re.compile(r"[\s“”\"《》〈〉（）()]")
    a, b = key.sub("", a), key.sub("", b)
    return bool(a) and bool(b) and (a == b or (len(b) >= 6 and (a.startswith(b) or b.startswith(a) or b in a)))
