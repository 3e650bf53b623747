"""Repair: undo the damage the diagnosis found, one stage after another, logging every repair.

Stages, in order: code-page mojibake (re-decoding changes which characters are there), glyph
maps (Kangxi radicals and kin), Founder shifts (decided per occurrence from context), and,
when asked, traditional → simplified. ``run_stages`` is the one place that says which stages
a run may use (each has its switch in ``RepairConfig``); both entrances go through it. The
line structure never changes.
"""

from __future__ import annotations

import difflib
import gc
import math
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from jiaokan.options import RepairConfig
from jiaokan.workers import in_workers
from jiaokan.repair.log import RepairLog
from jiaokan.encodings.codepages import t2s_converter, undo_misreadings
from jiaokan.encodings.glyph_maps import GLYPH_MARKS, PRIVATE_USE, find_glyphs, find_number_brackets, glyph_kind
from jiaokan.models import NO_PLACE, Repair, Finding, RepairResult, apply_repairs, from_columns
from jiaokan.encodings.diagnosis import LineText, ShiftReading, founder_findings, genuine_symbols, read_shifts
from jiaokan.encodings.lexicon import Lexicon
from jiaokan.encodings.symbols import DIGITS, FULLWIDTH_DIGITS

GLYPH_CONFIDENCE = 0.99
# Numbers: a line damaged with this posterior or more has its digit runs decided as wholes
# (but for candidates inside a dictionary word), at this share of the line's posterior.
# What may stand before and after a number.
NUMBER_LINE = 0.9
NUMBER_CONFIDENCE = 0.9
NUMBER_BEFORE = frozenset("第〔〕（）(［[年月至到和、—－～-·．.:：共约近达超逾为计件")
NUMBER_AFTER = frozenset("年月日号％%‰万亿千百元角个项条款次点时分秒岁倍期届件页章节部类种名家所〕）)］]～—－-/／．.:：、")
ENUMERATOR_AFTER = frozenset("、．.）)")
# Units that make a number of what stands before them, whatever stands before it (发生２次).
NUMBER_UNITS = frozenset("年月日号次个项条款％%‰万亿元倍岁届期周天家位")
# What the hanzi of a number stand for, and what may join its digits: decimal points and
# ranges (５．５, １-２).
NUMBER_SYMBOLS = frozenset(FULLWIDTH_DIGITS + "％‰")
NUMBER_JOINERS = frozenset("．.-－～")
DIGIT = re.compile(f"[{DIGITS}]")
# The context repairs decided, by index into the flattened text: posterior, line, hanzi,
# symbol, shift.
Decisions = dict[int, tuple[float, int, str, str, str]]
# Characters per block of lines repaired at a time, at most (about 1.5 MB of UTF-8 Chinese).
BLOCK_CHARS = 500_000
# Clean Chinese prose (a genuine full-width mark in every PUNCTUATED characters or fewer, in
# the text's first SAMPLE_CHARS) repairs faster than worker processes start.
SAMPLE_CHARS = 100_000
PUNCTUATED = 50


def repair_text(
    text: str, config: RepairConfig = RepairConfig(), jobs: int = 1, on_block: Callable[[int], None] | None = None
) -> RepairResult:
    """Repair damaged Chinese ``text``; clean text comes back unchanged. A text of several
    blocks is repaired in up to ``jobs`` worker processes (the result is the same; clean
    prose is done here before they would start);
    ``on_block`` is called with each block's length as it is done (for a progress bar).

    >>> repair_text("各县渊市尧区冤人民政府袁市政府各部门尧直属各单位院").text
    '各县（市、区）人民政府，市政府各部门、直属各单位：'
    """
    texts: list[str] = []
    edits: list[Repair] = []
    findings: list[Finding] = []
    blocks = list(_blocks(text))
    if len(blocks) > 1 and _clean_prose(text):
        jobs = 1
    with _collector_paused():
        results = in_workers(_repair_block, [(block, config, first_line) for first_line, block in blocks], jobs)
        for (_, block), result in zip(blocks, results):
            texts.append(result.text)
            edits += result.repairs
            findings += result.diagnosis
            if on_block:
                on_block(len(block))
    return RepairResult("\n".join(texts), tuple(edits), tuple(sorted(_merged(findings), key=_rank)))


def _clean_prose(text: str) -> bool:
    """Whether ``text`` opens as clean Chinese prose, punctuated with genuine full-width marks
    (a Founder shift leaves none, a misreading few): its blocks are repaired in this process."""
    sample = text[:SAMPLE_CHARS]
    return genuine_symbols(sample) * PUNCTUATED >= len(sample)


def _repair_block(block: str, config: RepairConfig, first_line: int) -> RepairResult:
    """``run_stages`` with the garbage collector paused (a worker process has its own), its
    repairs and findings moved down to the block's place in the text (``first_line`` lines
    before it: in the worker, where blocks are repaired side by side)."""
    with _collector_paused():
        result = run_stages(block, config)
        return RepairResult(result.text, _moved(result.repairs, first_line),
                            tuple(f.moved(first_line) for f in result.diagnosis))


def _moved(edits: tuple[Repair, ...], offset: int) -> tuple[Repair, ...]:
    """``edits`` ``offset`` lines further down (one int object per line, shared: a large text
    has millions of edits)."""
    if not offset or not edits:
        return edits
    columns = list(zip(*edits))
    lines: dict[int, int] = {}
    columns[0] = [lines.setdefault(n, n + offset) for n in columns[0]]
    return tuple(from_columns(Repair, columns))


def _blocks(text: str, size: int = BLOCK_CHARS) -> Iterator[tuple[int, str]]:
    """The text in as few blocks of whole lines of at most about ``size`` characters as it
    takes, of about equal length (worker processes finish together), each cut at a blank line
    where one is near, with the number of lines before each block. Each block is diagnosed
    on its own, which bounds memory; a block is large enough for its own statistics."""
    start, lines_before = 0, 0
    left = max(1, -(-len(text) // size))  # blocks still to cut
    while True:
        share = -(-(len(text) - start) // left)
        end = text.find("\n", start + share)
        if end < 0 or left == 1:
            yield lines_before, text[start:]
            return
        blank = text.rfind("\n\n", start + share * 3 // 4, end + 1)
        cut = blank + 1 if blank >= 0 else end
        block = text[start:cut]
        yield lines_before, block
        lines_before += block.count("\n") + 1
        start = cut + 1
        left -= 1


def _merged(findings: list[Finding]) -> list[Finding]:
    """Document findings of the blocks folded into one per damage (counts added up)."""
    documents: dict[str, Finding] = {}
    spans = []
    for finding in findings:
        if finding.scope != "document":
            spans.append(finding)
            continue
        seen = documents.get(finding.damage)
        if seen is None:
            documents[finding.damage] = finding
            continue
        evidence = dict(seen.evidence)
        for key, value in finding.evidence.items():
            evidence[key] = evidence.get(key, 0) + value if isinstance(value, int) else evidence.get(key, value)
        documents[finding.damage] = Finding.document(finding.damage, max(seen.confidence, finding.confidence), evidence)
    return [*documents.values(), *spans]


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: a repair makes hundreds of thousands of small,
    short-lived, acyclic records, and the collector's passes over them cost about 40% of the
    time on a large text. Reference counting still frees them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run_stages(text: str, config: RepairConfig, log: RepairLog | None = None) -> RepairResult:
    """Run on ``text`` the stages ``config`` switches on, in order, each on the text the one
    before it left; their repairs are composed in ``log`` against the text it started from
    (a PDF's log already holds the repairs its fonts were given, against the text layer)."""
    switched = ((config.mojibake, _mojibake_stage), (config.glyphs, _glyph_stage),
                (config.founder, _founder_stage), (config.t2s, _t2s_stage))
    log = log or RepairLog()
    findings: list[Finding] = []
    current = text
    for stage in (stage for on, stage in switched if on):
        repairs, stage_findings = stage(current, config)
        findings.extend(stage_findings)
        if repairs:
            log.add(repairs)
            current = apply_repairs(current, repairs)
    return RepairResult(current, log.repairs(), tuple(findings))


def _rank(finding: Finding) -> tuple[bool, float, int]:
    """Documents first, then by confidence, then by how much evidence (counts) stands behind."""
    amount = sum(v for v in finding.evidence.values() if isinstance(v, int))
    return finding.scope != "document", -round(finding.confidence, 2), -amount


def _mojibake_stage(text: str, config: RepairConfig) -> tuple[list[Repair], list[Finding]]:
    """Misread spans re-decoded (see ``codepages.undo_misreadings``); characters whose bytes
    were lost are U+FFFD, counted in the findings."""
    found = undo_misreadings(text)
    edits = [
        Repair(n + 1, span.start + 1, span.before, span.after, f"mojibake:{span.pair}", span.confidence)
        for n, spans in sorted(found.items())
        for span in spans
    ]
    pairs = Counter(e.method.removeprefix("mojibake:") for e in edits)
    lost = Counter(span.pair for spans in found.values() for span in spans for _ in range(span.lost))
    findings = [
        Finding.document(f"mojibake:{pair}", 0.95, {"spans": count, **({"lost": lost[pair]} if lost[pair] else {})})
        for pair, count in pairs.items()
    ]
    findings += [Finding.span(e.line, e.line, e.method, e.confidence, {"before": e.before}) for e in edits]
    return edits, findings


def _glyph_stage(text: str, config: RepairConfig) -> tuple[list[Repair], list[Finding]]:
    """Glyph-map damage (Kangxi radicals and kin) and document-number brackets turned into
    quotation marks. Private-use characters the table does not know are reported: in text,
    without their glyphs, nothing tells what they stand for."""
    edits = []
    unknown: Counter[str] = Counter()
    if GLYPH_MARKS.search(text):
        for n, line in enumerate(text.split("\n"), start=1):
            if not GLYPH_MARKS.search(line):
                continue
            found = sorted(find_glyphs(line) + find_number_brackets(line))
            edits += [Repair(n, i + 1, damaged, intended, glyph_kind(damaged), GLYPH_CONFIDENCE) for i, damaged, intended in found]
            mapped = {i for i, _, _ in found}
            unknown.update(m.group() for m in PRIVATE_USE.finditer(line) if m.start() not in mapped)
    kinds = Counter(e.method for e in edits)
    findings = [Finding.document(kind, GLYPH_CONFIDENCE, {"characters": n}) for kind, n in kinds.items()]
    if unknown:
        examples = [f"U+{ord(c):04X}" for c, _ in unknown.most_common(10)]
        findings.append(Finding.document("glyph:private-use-unknown", 1.0, {
            "characters": sum(unknown.values()), "examples": examples,
            "message": "private-use characters kept as they are: convert the PDF to read their glyphs"}))
    return edits, findings


def _founder_stage(text: str, config: RepairConfig) -> tuple[list[Repair], list[Finding]]:
    """Each shift candidate decided in context: the best shift's posterior, if above
    ``config.min_confidence``, makes the repair."""
    min_confidence = config.min_confidence
    lines = LineText.of(text)
    readings = read_shifts(lines)
    best: Decisions = {}
    least_llr = math.log(min_confidence / (1.0 - min_confidence))
    nothing = (0.0,)
    for reading in readings:
        name = reading.shift.name
        for (index, hanzi, symbol, llr), line, posterior in zip(reading.candidates, reading.lines, reading.posteriors()):
            if llr > least_llr and posterior > min_confidence and posterior > best.get(index, nothing)[0]:
                best[index] = (posterior, line, hanzi, symbol, name)
    numbers = _number_digits(lines, readings, best)
    shared: dict[float, float] = {1.0: 1.0}
    line_numbers: dict[int, int] = {}
    starts, new = lines.starts, tuple.__new__
    edits = [
        new(Repair, (line_numbers.setdefault(line, line + 1), index - starts[line] + 1, hanzi, symbol, name,
                     1.0 if posterior >= 0.99995 else shared.setdefault(rounded := round(posterior, 4), rounded))
            + NO_PLACE)
        for index, (posterior, line, hanzi, symbol, name) in best.items()
    ]
    edits += numbers.values()
    changed = Counter(e.method for e in edits)
    return edits, founder_findings(lines, readings, changed)


def _number_digits(lines: LineText, readings: list[ShiftReading], best: Decisions) -> dict[int, Repair]:
    """Digits decided as parts of numbers, not one by one: in a damaged line, a run of
    full-width digits and the hanzi a shift puts in their place (员 for １, 圆 for ２ …) is a
    number where its ends say so — 第…号, 〔…〕, （…）, …年…月…日, …％, ５G, an
    enumerator at the start of a line, a table cell that is a line of its own — or where it
    holds a digit already. A lone candidate that reads as part of a dictionary word (人员,
    资源) stays a hanzi.

    >>> repair_text("根据叶关于印发曳也圆园员缘页猿号文件精神袁自圆园圆员年猿月员日起施行遥").text
    '根据《关于印发》〔２０１５〕３号文件精神，自２０２１年３月１日起施行。'
    """
    found: dict[int, Repair] = {}
    lexicon = Lexicon.default()
    decided = sorted(best)  # where repairs were made so far
    for reading in readings:
        digits = {h for h, symbol in reading.shift.to_symbol.items() if symbol in NUMBER_SYMBOLS}
        by_index = {c.index: (c, line) for c, line in zip(reading.candidates, reading.lines) if c.hanzi in digits}
        by_line: dict[int, set[int]] = {}
        for index, (_, line) in by_index.items():
            by_line.setdefault(line, set()).add(index - lines.starts[line])
        present = any(value >= NUMBER_LINE for value in reading.line_posterior.values())
        for line, in_line in by_line.items():
            posterior = reading.line_posterior.get(line, 0.0)
            if posterior < NUMBER_LINE and not present:
                continue
            start = lines.starts[line]
            read = _as_decided(lines.lines[line], start, decided, best)
            for run_start, run_end in _numeric_runs(read, in_line, best, start):
                has_digit = any(read[k] in DIGITS for k in range(run_start, run_end))
                if not _is_number(read, run_start, run_end, has_digit, whole_line_only=posterior < NUMBER_LINE):
                    continue
                taken = {k: by_index[start + k][0].symbol for k in range(run_start, run_end) if start + k in by_index}
                for k, symbol in taken.items():
                    if start + k in best:
                        continue
                    window = [taken.get(j, read[j]) if j != k else read[k] for j in range(max(0, k - 4), min(len(read), k + 5))]
                    if not has_digit and lexicon.in_word("".join(window), min(k, 4)):
                        continue  # a candidate inside a word (人员年) is the word's
                    confidence = round(NUMBER_CONFIDENCE * max(posterior, NUMBER_LINE), 4)
                    found[start + k] = Repair(line + 1, k + 1, read[k], symbol, reading.shift.name, confidence)
    return found


def _as_decided(line: str, start: int, decided: list[int], best: Decisions) -> str:
    """``line`` (from ``start`` in the flattened text) with the one-character Founder repairs
    of ``best`` made (``decided``: their places, sorted)."""
    chars = list(line)
    for index in decided[bisect_left(decided, start) : bisect_left(decided, start + len(line))]:
        chars[index - start] = best[index][3]
    return "".join(chars)


def _is_number(read: str, run_start: int, run_end: int, has_digit: bool, whole_line_only: bool) -> bool:
    """Whether the ends of a run of digits and candidates make it a number. In a line of
    another font (``whole_line_only``) only a table cell that is the number and nothing else
    is one."""
    before, after = _neighbour(read, run_start - 1, -1), _neighbour(read, run_end, 1)
    if whole_line_only:
        return not (before or after)
    touching = (read[run_start - 1] if run_start else "") + (read[run_end] if run_end < len(read) else "")
    latin = any(c.isascii() and c.isalpha() for c in touching)  # 5G, G60: a letter right beside it
    opened = before in NUMBER_BEFORE or not before or has_digit or latin
    closed = after in NUMBER_AFTER or not after or latin or (not before and after in ENUMERATOR_AFTER)
    return opened and closed or after in NUMBER_UNITS or before == "第"


def _neighbour(chars: str, k: int, step: int) -> str:
    """The first character from ``k`` on (going ``step``) that is not a space, or ""."""
    while 0 <= k < len(chars) and not chars[k].strip():
        k += step
    return chars[k] if 0 <= k < len(chars) else ""


def _numeric_runs(text: str, candidates: set[int], best: Decisions, start: int) -> list[tuple[int, int]]:
    """The runs of a line (its characters as decided so far) made of digits and digit
    candidates (positions in the line) that hold at least one undecided candidate. A run
    opens at a digit or a candidate and takes number joiners inside it (５．５, １-２)."""
    runs, k = [], 0
    for opening in sorted(candidates.union(match.start() for match in DIGIT.finditer(text))):
        if opening < k:
            continue
        end = opening
        while end < len(text) and (text[end] in DIGITS or end in candidates and text[end] not in "％‰" or text[end] in NUMBER_JOINERS):
            end += 1
        while end > opening and text[end - 1] in NUMBER_JOINERS:
            end -= 1
        if any(j in candidates and start + j not in best for j in range(opening, end)):
            runs.append((opening, end))
        k = max(end, opening + 1)
    return runs


def _t2s_stage(text: str, config: RepairConfig) -> tuple[list[Repair], list[Finding]]:
    converter = t2s_converter()
    edits = []
    for n, line in enumerate(text.split("\n"), start=1):
        converted = converter.convert(line)
        if converted == line:
            continue
        matcher = difflib.SequenceMatcher(a=line, b=converted, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "replace" and i2 - i1 == j2 - j1:  # character for character: one repair each
                edits += [Repair(n, i + 1, line[i], converted[j], "t2s", 1.0) for i, j in zip(range(i1, i2), range(j1, j2))]
            elif tag != "equal":
                edits.append(Repair(n, i1 + 1, line[i1:i2], converted[j1:j2], "t2s", 1.0))
    findings = [Finding.document("traditional", 1.0, {"characters": len(edits)})] if edits else []
    return edits, findings
