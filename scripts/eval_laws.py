"""Score the legal structure (title, kind, promulgation record, articles, 款) against laws
published as Markdown in the LawRefBook layout: ``# title``, one record line per entry, then
``<!-- INFO END -->``, ``##`` headings for 编/章/节, one paragraph per line.

The Markdown marks are the answer key and are stripped before jiaokan reads the text, so it
sees what a plain-text law looks like. Per file it prints: title and kind right, record entries
found / printed, articles exact / printed (label, every 款, 项 and 目 with their text, nothing
from a neighbour), 款 placed right / printed.

Run: python scripts/eval_laws.py FILE.md ... [--kind KIND]
     git --git-dir=MIRROR show HEAD:path > file.md first for a mirrored repository.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from jiaokan.models import Clause
from jiaokan.structure import structure
from jiaokan.structure.patterns import DIVISIONS, LABEL_KINDS

ARTICLE = re.compile(r"^第[一二三四五六七八九十百千零〇\d]+条(?:之[一二三四五六七八九十]+)?")
INFO_END = "<!-- INFO END -->"


@dataclass
class Key:
    """What the Markdown says: title, record lines, each article's paragraphs."""

    title: str
    record: list[str]
    articles: dict[str, list[str]]
    text: str


def read_key(markdown: str) -> Key:
    """The answer key of a LawRefBook file and the plain text jiaokan is given."""
    lines = [line.strip() for line in markdown.splitlines()]
    head, _, body = "\n".join(lines).partition(INFO_END)
    head_lines = [line for line in head.splitlines() if line]
    title = head_lines[0].lstrip("# ").strip()
    record = head_lines[1:]
    articles: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in body.splitlines():
        if not line:
            continue
        if line.startswith("#"):
            current = None
        elif match := ARTICLE.match(line):
            current = articles.setdefault(match.group(), [])
            current.append(line[match.end():].strip())
        elif current is not None:
            current.append(line)
    plain = [title, *record, *(line.lstrip("# ").strip() for line in body.splitlines())]
    return Key(title, record, articles, "\n\n".join(line for line in plain if line))


def is_numbered(line: str) -> bool:
    """A paragraph opening with a 项 or 目 label rather than a new 款."""
    return any(kind not in (*DIVISIONS, "article") and re.match(pattern, line)
               for kind, pattern in LABEL_KINDS)


def key_paragraphs(paragraphs: list[str]) -> int:
    """款 printed: the article's opening paragraph and every unnumbered one after it."""
    return 1 + sum(not is_numbered(p) for p in paragraphs[1:])


def flat(clause: Clause) -> str:
    """A clause's printed text with its children's, without spaces."""
    own = f"{clause.label}{clause.heading or ''}{clause.text}" if clause.kind != "article" else clause.text
    return re.sub(r"\s+", "", own + "".join(flat(c) for c in clause.children))


def articles_of(clauses: list[Clause]) -> dict[str, Clause]:
    found: dict[str, Clause] = {}
    for clause in clauses:
        if clause.kind == "article":
            found.setdefault(clause.label, clause)
        else:
            for label, article in articles_of(clause.children).items():
                found.setdefault(label, article)
    return found


def score(path: Path) -> dict[str, object]:
    key = read_key(path.read_text(encoding="utf-8"))
    documents, _ = structure(key.text)
    main = documents[0]  # the key's header; where the file prints the title again, the articles
    got = max((articles_of(d.clauses) for d in documents), key=len)  # follow the second one
    exact = placed = paragraphs = 0
    for label, printed in key.articles.items():
        article = got.get(label)
        want = re.sub(r"\s+", "", "".join(printed))
        paragraphs += key_paragraphs(printed)
        if article is None:
            continue
        exact += flat(article) == want
        if flat(article) == want:
            kuan = [c for c in article.children if c.kind == "paragraph"]
            placed += max(1, len(kuan)) if max(1, len(kuan)) == key_paragraphs(printed) else 0
    return {
        "file": path.name,
        "title": main.title == key.title,
        "kind": main.kind,
        "entries": f"{len(main.promulgation)}/{len(key.record)}",
        "articles": f"{exact}/{len(key.articles)}",
        "款": f"{placed}/{paragraphs}",
        "documents": len(documents),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args(argv)
    totals = {"title": 0, "articles": [0, 0], "款": [0, 0], "entries": [0, 0], "files": 0}
    for path in args.files:
        try:
            row = score(path)
        except (OSError, ValueError, IndexError) as error:
            print(f"{path}: {error}", file=sys.stderr)
            continue
        print("\t".join(str(v) for v in row.values()))
        totals["files"] += 1
        totals["title"] += row["title"]
        for name in ("articles", "款", "entries"):
            found, printed = map(int, str(row[name]).split("/"))
            totals[name][0] += min(found, printed)
            totals[name][1] += printed
    print(f"files {totals['files']}  titles right {totals['title']}  "
          + "  ".join(f"{name} {a}/{b}" for name, (a, b) in
                      ((n, totals[n]) for n in ("entries", "articles", "款"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
