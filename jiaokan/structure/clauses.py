"""Clauses: the numbered tree of a document body, its tables, sentences and extras.

Two hierarchies (GB/T 9704 and regulations) share one ranking: 第X章 > 第X节 > 第X条 >
一、 > （一） > 1. > （1） > ①. A label opens a clause below the nearest open clause of a
higher rank. Numbering inside quoted text (amendments quote whole articles) does not open
clauses: the quote belongs to the clause that opened it. Numbers that skip or repeat are kept
as printed and flagged.
"""

from __future__ import annotations

import re

from jiaokan.models import Clause, Table
from jiaokan.structure.laws import CLOSING_SENTENCE
from jiaokan.structure.paragraphs import Paragraph
from jiaokan.structure.patterns import DIVISIONS, LABEL, RANK, label_number
from jiaokan.structure.provisions import is_quotation, mark_provisions, quote_depth
from jiaokan.structure.sentences import split_sentences

HEADING_MAX = 30
# Divisions of a legal text printed without a number.
UNNUMBERED_DIVISION = re.compile(r"(?:总|分|附)\s*则")
# A heading that opens a paragraph of text (（一）指导思想。以……) is short: a sentence of
# a legal text (20.申请执行人可以委托代理人代为申请执行。) is not one.
LEAD_HEADING_MAX = 16
AMOUNT = re.compile(r"(?:最高|不超过|不低于|给予|补助|奖励|资助)?[^，。；、]{0,6}?\d+(?:\.\d+)?\s*(?:万|亿)?元")
DEADLINE = re.compile(r"(?:到|至|截至|于)\s*(?:19|20)\d{2}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?(?:底|末|前|以前)?")


# The opening of a responsibility note, （责任单位：…）: the characters may stand one space
# apart (matched as spaCy's Matcher matches them on a blank Chinese pipeline's tokens, where
# a single space belongs to the character before it; tests/test_startup.py compares the two).
RESPONSIBILITY_NOTE = re.compile(r"[（(〔] ?(?:责 ?任|牵 ?头) ?单 ?位 ?[：:]")


def responsible_units(text: str) -> list[str]:
    """Units named in responsibility notes, e.g. （责任单位：市建设局、市发展改革委）.

    >>> responsible_units("推进建设。（责任单位：市建设局、市发展改革委）")
    ['市建设局', '市发展改革委']
    """
    units: list[str] = []
    for match in RESPONSIBILITY_NOTE.finditer(text):
        for unit in _top_level_items(text[match.end() :]):
            unit = re.sub(r"^[\u4e00-\u9fff]{2,4}单位[：:]", "", unit.strip())
            if unit and unit not in units:
                units.append(unit)
    return units


def _top_level_items(text: str) -> list[str]:
    """Items separated by 、，； up to the bracket that closes the note (inner brackets kept)."""
    items, current, depth = [], "", 0
    for char in text:
        if char in "（(〔":
            depth += 1
        elif char in "）)〕":
            if depth == 0:
                break
            depth -= 1
        elif char == "。" and depth == 0:
            break
        if depth == 0 and char in "、，,；;":
            items.append(current)
            current = ""
            continue
        current += char
    return items + [current]


def build_clauses(body: list[Paragraph], legal: bool = False) -> tuple[list[Clause], list[Table], str]:
    """The clause tree of ``body``, its tables, and the text outside the clauses (before the
    first, and a closing sentence such as 本决定自…起施行 after the last item).
    ``legal``: the body is a law, regulation, rule or interpretation (see ``provisions``)."""
    roots: list[Clause] = []
    stack: list[Clause] = []
    outside: list[str] = []
    tables: list[Table] = []
    depth = 0  # open quotations
    rows: list[Paragraph] = []
    guessed: set[int] = set()  # clauses whose heading is a short first sentence
    for n, paragraph in enumerate(body):
        if paragraph.text.startswith("\t"):
            rows.append(paragraph)
            continue
        if rows:
            tables.extend(parse_cell_table(rows))
            rows = []
        text = paragraph.text
        if not text.startswith("“"):
            depth = 0  # a quotation goes on only in paragraphs that open with “ (a stray “ ends here)
        match = LABEL.match(text) if depth <= 0 else None
        unnumbered = legal and depth <= 0 and UNNUMBERED_DIVISION.fullmatch(text)
        if match or unnumbered:
            clause, lead = _clause(match, text, paragraph) if match else (_division(roots, text, paragraph), False)
            if legal and _heads_articles(clause, body[n + 1 :]):
                clause.kind = _division_below(stack, clause.kind)
            if lead:
                guessed.add(id(clause))
            while stack and RANK[stack[-1].kind] >= RANK[clause.kind]:
                stack.pop()
            siblings = stack[-1].children if stack else roots
            clause.numbering = _numbering(siblings, clause)
            clause.after = len(stack[-1].paragraph_lines) if stack else 0
            siblings.append(clause)
            stack.append(clause)
        elif stack and not (CLOSING_SENTENCE.match(text) and all(c.kind != "article" for c in stack)):
            if depth <= 0 and _closes_list(stack, text, body[n + 1 :], legal):
                stack.pop()
            clause = stack[-1]
            clause.text = f"{clause.text}\n{text}" if clause.text else text
            clause.paragraph_lines.append((paragraph.first_line, paragraph.last_line))
            clause.lines = (clause.lines[0], paragraph.last_line)
        else:  # text before the first clause, or the document's closing sentence after the last
            stack = []
            outside.append(text)
        depth = quote_depth(depth, text)
    if rows:
        tables.extend(parse_cell_table(rows))
    every = [clause for root in roots for clause in root.walk()]
    # Items of an article have no headings: （一）申请人的身份证明。属于…… is one item's text.
    in_articles = {id(c) for a in every if a.kind == "article" for c in a.walk() if c is not a}
    for clause in every:
        if id(clause) in guessed and id(clause) in in_articles:
            _unhead(clause)
    for run in _numbering_runs(every):
        _unless_headed_alike(run, guessed)
    for clause in every:
        if id(clause) not in in_articles:
            _promote_heading(clause)
    mark_provisions(roots, legal)
    _annotate([clause for root in roots for clause in root.walk()])
    return roots, tables, "\n".join(outside)


def _closes_list(stack: list[Clause], text: str, rest: list[Paragraph], legal: bool) -> bool:
    """Whether a plain paragraph after an item goes back to the item's parent: the item is one
    finished sentence, no item numbered on from it follows, the paragraph does not continue
    it (行政机关中初次从事… after （七）…其他职责。 is the article's next 款), and the parent
    introduced its items (…下列职责：). In a legal text any article's list closes so, also
    after an item ending in ；, unless the paragraph is itself a list member (ends in ；)."""
    if len(stack) < 2 or stack[-1].kind in DIVISIONS or stack[-1].kind == "article" or stack[-1].children:
        return False
    item, parent = stack[-1], stack[-2]
    lead = parent.text.rsplit("\n", 1)[-1]
    if "\n" in item.text or is_quotation(text):
        return False
    if legal:
        if not (item.text.endswith(("。", "；")) and lead.endswith(("：", ":", "。")) and not text.endswith("；")):
            return False
    elif not (lead.endswith(("：", ":")) and item.text.endswith("。")):
        return False
    following = _next_label(rest)
    number = label_number(item.label)
    return not (following and following.lastgroup == item.kind and number and label_number(following.group()) == number + 1)


def _next_label(rest: list[Paragraph]) -> re.Match[str] | None:
    """The label of the next numbered paragraph in ``rest``."""
    return next((match for p in rest if (match := LABEL.match(p.text))), None)


def _clause(match: re.Match[str], text: str, paragraph: Paragraph) -> tuple[Clause, bool]:
    """The clause a labelled paragraph opens, and whether its heading is a guessed first sentence."""
    kind = match.lastgroup or "other"
    label = match.group().strip()
    rest = text[match.end() :].strip()
    heading, body, lead = _split_heading(kind, rest)
    lines = (paragraph.first_line, paragraph.last_line)
    return Clause(label, kind, heading, body, lines=lines, paragraph_lines=[lines] if body else []), lead


def _division(roots: list[Clause], text: str, paragraph: Paragraph) -> Clause:
    """An unnumbered division (附　则 after the last part of 刑法), at the level of the
    document's highest division."""
    kind = min((c.kind for c in roots if c.kind in DIVISIONS), key=RANK.__getitem__, default="chapter")
    lines = (paragraph.first_line, paragraph.last_line)
    return Clause("", kind, re.sub(r"\s+", "", text), "", lines=lines)


def _heads_articles(clause: Clause, rest: list[Paragraph]) -> bool:
    """A numbered heading over articles (二、起诉与答辩 then 第四条 in a judicial
    interpretation) divides the text like a chapter."""
    if clause.kind in (*DIVISIONS, "article") or not clause.heading or clause.text:
        return False
    following = _next_label(rest)
    return following is not None and following.lastgroup == "article"


def _division_below(stack: list[Clause], kind: str) -> str:
    """The division kind under the innermost open division (a chapter under a part …); open
    headings numbered like this one (``kind``) are its siblings, not its parents."""
    def numbered_alike(clause: Clause) -> bool:
        match = LABEL.match(clause.label)
        return match is not None and match.lastgroup == kind

    open_ = [c.kind for c in stack if c.kind in DIVISIONS and not numbered_alike(c)]
    if not open_:
        return "chapter"
    return DIVISIONS[min(DIVISIONS.index(open_[-1]) + 1, len(DIVISIONS) - 1)]


def _split_heading(kind: str, rest: str) -> tuple[str | None, str, bool]:
    """The clause's heading, its text, and whether the heading is a short first sentence
    (一、总体要求 / （一）指导思想。以…… — the latter only a guess, see ``_unless_headed_alike``)."""
    if kind in DIVISIONS:
        return rest.replace(" ", "") or None, "", False
    if kind == "article":
        return None, rest, False
    if len(rest) <= HEADING_MAX and not re.search(r"[，。；：！？]", rest):
        return rest, "", False
    match = re.match(r"^([^，、。；：！？]{1,%d})。" % LEAD_HEADING_MAX, rest)
    after = rest[match.end() :].strip() if match else ""
    if match and after:
        return match.group(1), after, True
    return None, rest, False


def _numbering_runs(clauses: list[Clause]) -> list[list[Clause]]:
    """The clauses (in document order) cut into runs of one kind numbered on from each other,
    across parents: 一、 to 六、 over three chapters are one run."""
    runs: dict[str, list[list[Clause]]] = {}
    for clause in clauses:
        kind_runs = runs.setdefault(clause.kind, [])
        number = label_number(clause.label)
        previous = label_number(kind_runs[-1][-1].label) if kind_runs else None
        if number is not None and previous is not None and number == previous + 1:
            kind_runs[-1].append(clause)
        else:
            kind_runs.append([clause])
    return [run for kind_runs in runs.values() for run in kind_runs]


def _unless_headed_alike(run: list[Clause], guessed: set[int]) -> None:
    """Headings guessed from a short first sentence stand where a fair share of their run is
    headed too (一、总体要求。…… 二、工作目标。……); one among many plain items (五、县政府实行
    县长负责制。县长主持……) is the item's first sentence."""
    if len(run) < 3 or 3 * sum(clause.heading is not None for clause in run) >= len(run):
        return
    for clause in run:
        if id(clause) in guessed and clause.heading is not None:
            _unhead(clause)


def _unhead(clause: Clause) -> None:
    """Give a guessed heading back to the text it was taken from."""
    clause.text = f"{clause.heading}。{clause.text}"
    clause.heading = None


def _promote_heading(clause: Clause) -> None:
    """A parent clause whose whole text is one short sentence is headed by it: （一）促进建筑业
    绿色发展。 over items 1. 2. 3."""
    if clause.children and clause.heading is None and clause.kind not in ("article",):
        text = clause.text.strip()
        if text and len(text) <= HEADING_MAX and "\n" not in text and not re.search(r"[，、；：]", text):
            clause.heading, clause.text = text.rstrip("。"), ""


def _numbering(siblings: list[Clause], clause: Clause) -> str | None:
    previous = [s for s in siblings if s.kind == clause.kind]
    if not previous:
        return None
    before, now = label_number(previous[-1].label), label_number(clause.label)
    if before is None or now is None or now == before + 1:
        return None
    return "repeated" if now == before else "skipped"


def _annotate(clauses: list[Clause]) -> None:
    """Sentences, responsible units, amounts, deadlines."""
    for clause in clauses:
        clause.sentences = split_sentences(clause.text)
        full = f"{clause.heading or ''}{clause.text}"
        clause.responsible_units = responsible_units(full)
        clause.amounts = [m.group().strip() for m in AMOUNT.finditer(full)]
        clause.deadlines = [m.group().strip() for m in DEADLINE.finditer(full)]


def parse_cell_table(rows: list[Paragraph]) -> list[Table]:
    """Rows of tab-separated cells (see ``layout``) as a table whose first row is the header;
    none when the rows do not all have the header's width."""
    records = [[c.strip() for c in paragraph.text.split("\t")[1:]] for paragraph in rows]
    if len(records) < 2:
        return []
    header, *body = records
    width = len(header)
    body = [r for r in body if any(r)]
    if not body or any(len(r) != width for r in body):
        return []
    return [Table(header, body)]
