"""Provisions: the 条 → 款 → 项 → 目 of a legal text, and how each is cited.

An article (第三条, or 一、/1. in interpretations numbered that way) holds one or more 款, its
unnumbered paragraphs in order; its items （一） are the 项 of the 款 they follow, and their
items 1. are 目. An article of several 款 gets one child clause of kind ``paragraph`` per 款
(label "", the 款's text, its 项 below); an article of one 款 keeps its text and items. A
quotation running over paragraphs (“…) stays in the 款 that opens it.
"""

from __future__ import annotations

import re

from jiaokan.models import Clause
from jiaokan.structure.patterns import DIVISIONS, RANK

# Chinese numerals for 款 numbers (第二款); a law has rarely more than a dozen.
NUMERALS = "一二三四五六七八九十"


def mark_provisions(clauses: list[Clause], legal: bool) -> None:
    """Split articles into their 款 and give every division, article, 款, 项 and 目 its
    citation. ``legal``: the document is a law, regulation, rule or interpretation, so its
    numbered paragraphs are articles even when not labelled 第X条."""
    level = article_kind(clauses, legal)
    if level is None:
        return
    for clause in clauses:
        _mark(clause, level, "")


def article_kind(clauses: list[Clause], legal: bool) -> str | None:
    """The label kind of the document's articles: 第X条 where printed; in a legal text
    without them, the highest kind whose clauses carry text rather than a heading."""
    every = [c for root in clauses for c in root.walk()]
    if any(c.kind == "article" for c in every):
        return "article"
    if not legal:
        return None
    for kind in sorted({c.kind for c in every} - set(DIVISIONS), key=RANK.__getitem__):
        of_kind = [c for c in every if c.kind == kind]
        if 2 * sum(bool(c.text) for c in of_kind) >= len(of_kind):
            return kind
    return None


def _mark(clause: Clause, level: str, prefix: str) -> None:
    if clause.kind in DIVISIONS:  # 第二编第一章: chapters may restart in each part
        bare = _bare(clause.label)  # 第二章; an unnumbered 附则 or a heading 一、适用范围 by its words
        clause.citation = prefix + (bare if bare.startswith("第") else f"{clause.label}{clause.heading or ''}")
        for child in clause.children:
            _mark(child, level, clause.citation)
    elif clause.kind == level:
        clause.citation = _article_citation(clause.label)
        _split_paragraphs(clause)
        if clause.children and clause.children[0].kind == "paragraph":
            for number, paragraph in enumerate(clause.children, 1):
                paragraph.citation = f"{clause.citation}第{_numeral(number)}款"
                _cite_items(paragraph.children, paragraph.citation, depth=0)
        else:
            _cite_items(clause.children, clause.citation, depth=0)
    else:  # a heading above the articles (一、执行机构 over 1. 2. …)
        for child in clause.children:
            _mark(child, level, "")


def _split_paragraphs(article: Clause) -> None:
    """Group the article's paragraphs into 款 with the items that follow each; an article of
    several 款 gets them as its children."""
    texts = article.text.split("\n") if article.text else []
    lines = article.paragraph_lines if len(article.paragraph_lines) == len(texts) else [article.lines] * len(texts)
    of_paragraph: list[int] = []  # the 款 of each paragraph
    depth = 0
    for n, text in enumerate(texts):
        quoted = is_quotation(text) and (depth > 0 or (n and texts[n - 1].endswith(("：", ":"))))
        of_paragraph.append(of_paragraph[-1] if quoted else len(set(of_paragraph)))
        depth = quote_depth(depth, text)
    count = len(set(of_paragraph))
    if count < 2:
        return
    paragraphs = []
    for number in range(count):
        own = [n for n, section in enumerate(of_paragraph) if section == number]
        items = [c for c in article.children if of_paragraph[max(c.after - 1, 0)] == number]
        ends = [lines[own[-1]][1]] + [c.lines[1] for c in items if c.lines]
        paragraphs.append(Clause("", "paragraph", None, "\n".join(texts[n] for n in own), children=items,
                                 lines=(lines[own[0]][0], max(ends)), paragraph_lines=[lines[n] for n in own]))
    article.text, article.paragraph_lines, article.children = "", [], paragraphs


def _cite_items(items: list[Clause], prefix: str, depth: int) -> None:
    """项 below an article or 款, 目 below a 项: 第（一）项, 第1目."""
    unit = "项" if depth == 0 else "目"
    for item in items:
        item.citation = f"{prefix}第{_bare(item.label)}{unit}" if depth < 2 else None
        _cite_items(item.children, item.citation or prefix, depth + 1)


def _article_citation(label: str) -> str:
    """第三条 as printed; an article numbered 一、 or 1. is cited 第一条, 第1条."""
    bare = _bare(label)
    return bare if bare.startswith("第") else f"第{bare.strip('（()）')}条"


def _bare(label: str) -> str:
    """A label without its trailing mark and spaces, brackets full width: （一）, 1, 第二章."""
    label = re.sub(r"\s+", "", label).rstrip("、.．")
    return label.replace("(", "（").replace(")", "）")


def _numeral(number: int) -> str:
    """一 … 十, 十一 … 九十九.

    >>> _numeral(2), _numeral(12), _numeral(20)
    ('二', '十二', '二十')
    """
    if number <= 10:
        return NUMERALS[number - 1]
    tens, units = divmod(number, 10)
    return f"{NUMERALS[tens - 1] if tens > 1 else ''}十{NUMERALS[units - 1] if units else ''}"


def is_quotation(text: str) -> bool:
    """A paragraph that is quoted text (“第三条　…。”), not one that opens with a quoted term
    it goes on to define (“员工”，是指…)."""
    close = text.find("”")
    return text.startswith("“") and (close < 0 or close >= len(text) - 2)


def quote_depth(depth: int, text: str) -> int:
    """Open quotations after ``text``. A quotation that runs over several paragraphs opens
    each of them with “ again and closes only at its end (Chinese convention)."""
    opened = text.count("“") - (1 if depth and text.startswith("“") else 0)
    return max(0, depth + opened - text.count("”"))
