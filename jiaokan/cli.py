"""The ``jiaokan`` command: a thin layer over the Python API.

Errors are one line on stderr naming the file and the problem; the exit status is non-zero
only when nothing could be produced (see ``jiaokan.errors.ExitCode``).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from jiaokan import __version__
from jiaokan.options import FIX_PDF_MIN_CONFIDENCE as MIN_CONFIDENCE
from jiaokan.options import REVIEW_THRESHOLD, ConvertOptions, OcrMode, RepairConfig
from jiaokan.errors import ExitCode, JiaokanError, UsageError
from jiaokan.files import printable, same_file, write_atomic, write_json
from jiaokan.models import RepairResult
from jiaokan.text.decode import DecodedText, decode_bytes, read_text
from jiaokan.repair.stages import BLOCK_CHARS, repair_text
from jiaokan.schema import load_schema

if TYPE_CHECKING:
    from jiaokan.conversion import Conversion

# Cyclic garbage is collected rarely (after this many new container objects, not 700), as mypy
# does: a run builds hundreds of thousands of long-lived objects (a PDF's characters, a text's
# repairs: named tuples, which the collector never stops tracking), and collecting over and
# over again took 0.6-0.85 s of a 100-page PDF's conversion (0.1 s so). Worker processes
# inherit it.
GC_THRESHOLD = (200_000, 30, 30)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    debug = args.debug or os.environ.get("JIAOKAN_DEBUG") == "1"
    threshold = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLD)
    try:
        _refuse_overwriting_inputs(args)
        return args.run(args)
    except JiaokanError as error:
        _say(str(error))
        return int(error.exit_code)
    except OSError as error:
        _say(f"{error.filename or _subject(args)}: {error.strerror or error}")
        return int(ExitCode.INPUT_FILE_ERROR)
    except KeyboardInterrupt:
        _say("interrupted")
        return int(ExitCode.INTERRUPTED)
    except Exception as error:  # the one place an unexpected failure becomes a line, not a traceback
        if debug:
            raise
        _say(f"{_subject(args)}: internal error ({type(error).__name__}: {error}); rerun with --debug for the traceback")
        return int(ExitCode.INTERNAL)
    finally:
        gc.set_threshold(*threshold)


def _say(message: str) -> None:
    """One line on stderr, safe for a terminal whatever the names in it."""
    print(f"jiaokan: {printable(message)}", file=sys.stderr)


def _subject(args: argparse.Namespace) -> str:
    """What the command was working on, to name in a message."""
    return str(getattr(args, "input", None) or getattr(args, "input_dir", None) or "jiaokan")


def _refuse_overwriting_inputs(args: argparse.Namespace) -> None:
    """No output may be the input (convert x -o x, review x -o x, repair x --edits x …)."""
    source = getattr(args, "input", None) or getattr(args, "input_dir", None)
    for option in ("output", "edits", "review", "report", "fix_pdf"):
        target = getattr(args, option, None)
        if isinstance(target, str) and source and source != "-" and same_file(target, source):
            raise UsageError(target, f"the output ({option.replace('_', '-')}) must not overwrite the input")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jiaokan", description="Recover damaged Chinese government text.")
    parser.add_argument("--version", action="version", version=f"jiaokan {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an unexpected failure (or JIAOKAN_DEBUG=1)")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    repair = commands.add_parser(
        "repair",
        help="repair damaged text, keeping every line",
        description="Repair Founder glyph shifts, code-page mojibake and glyph-map damage. "
        "Text in (any supported encoding, or - for stdin), UTF-8 text out, same lines.",
    )
    repair.add_argument("input", nargs="?", default="-", help="text file, or - for stdin (default)")
    repair.add_argument("-o", "--output", help="write the repaired text here (default: stdout)")
    repair.add_argument("--edits", help="write one JSON object per change to this JSONL file")
    repair.add_argument("--explain", action="store_true", help="print the diagnosis and a summary of repairs to stderr")
    _jobs_option(repair, f"worker processes for a large text (blocks of {BLOCK_CHARS:,} characters)")
    _repair_options(repair)
    repair.set_defaults(run=_run_repair)
    convert = commands.add_parser(
        "convert",
        help="convert a text file into structured JSON (or Markdown)",
        description="Repair, then split into documents with their GB/T 9704 elements and clause trees.",
    )
    convert.add_argument("input", help="a PDF or a text file")
    convert.add_argument("-o", "--output", help="write here (default: stdout)")
    convert.add_argument("--format", choices=("json", "md"), default="json", help="JSON contract or Markdown")
    _conversion_options(convert)
    convert.add_argument("--review", metavar="REPORT", help="also write the review page (HTML) here")
    _jobs_option(convert, f"worker processes reading a long PDF's pages or repairing a large text's blocks of {BLOCK_CHARS:,} characters")
    convert.set_defaults(run=_run_convert)
    review = commands.add_parser(
        "review",
        help="write a review page: page images beside the recovered text, repairs marked, doubts first",
        description="One self-contained HTML file (no server, no network): page images beside the recovered "
        "text of each page, every repair highlighted with its before/after, method and confidence, the "
        "documents and clauses as an outline, and the decisions below --threshold listed first.",
    )
    review.add_argument("input", help="a PDF or a text file")
    review.add_argument("-o", "--output", help="the HTML file (default: INPUT's name + .review.html, here)")
    review.add_argument("--threshold", type=_confidence, default=REVIEW_THRESHOLD,
                        help=f"decisions below this confidence are listed to check (default {REVIEW_THRESHOLD})")
    _conversion_options(review)
    review.set_defaults(run=_run_review)
    batch = commands.add_parser(
        "batch",
        help="convert a folder of PDFs and text files",
        description="One JSON per input (mirroring the folder tree), corpus.jsonl, manifest.jsonl. Exit status: "
        "0 all converted, 1 some inputs failed, 3 no such folder, 5 nothing to convert. Re-running skips unchanged "
        "inputs.",
    )
    batch.add_argument("input_dir")
    batch.add_argument("output_dir")
    _jobs_option(batch, "worker processes")
    _conversion_options(batch)
    batch.add_argument("--timeout", type=_positive(float), default=600, help="seconds one input may take (default 600)")
    batch.add_argument("--max-memory", type=_positive(float), default=2048, metavar="MB",
                       help="memory guard: an input that takes a worker past this many MB is stopped (default 2048)")
    batch.add_argument("--review", action="store_true",
                       help="also write a review page per input (INPUT.review.html) and OUT_DIR/index.html")
    batch.add_argument("--fix-pdf", metavar="DIR", help="also write corrected PDFs here (as jiaokan fix-pdf --ocr-layer)")
    batch.add_argument("--parquet", action="store_true", help="also write corpus.parquet (needs pyarrow: pip install 'jiaokan[parquet]')")
    batch.add_argument("--scheduler", help="run on a Dask cluster at this address (tcp://host:8786) instead of locally")
    batch.set_defaults(run=_run_batch)
    fix = commands.add_parser(
        "fix-pdf",
        help="write the recovered text back into a PDF (corrected ToUnicode maps)",
        description="Rewrite the ToUnicode maps of damaged fonts so every viewer and extractor reads the right "
        "text; pages, images and clean fonts are left as they are. Doubtful glyph codes are left as found and "
        "listed. A PDF with nothing to correct is copied unchanged.",
    )
    fix.add_argument("input", help="the damaged PDF")
    fix.add_argument("output", help="where to write the corrected PDF")
    fix.add_argument("--min-confidence", type=_confidence, default=MIN_CONFIDENCE,
                     help=f"least confidence for a glyph code to be remapped (default {MIN_CONFIDENCE})")
    fix.add_argument("--ocr", choices=("auto", "never"), default="auto",
                     help="read fonts without a map (and scanned pages) by recognition (auto) or not")
    fix.add_argument("--ocr-layer", action="store_true", help="give pages without a text layer an invisible OCR text layer")
    fix.add_argument("--force", action="store_true", help="rewrite encrypted (owner password) or signed PDFs too")
    fix.add_argument("--report", help="write what was changed and what was left as found to this JSON file")
    fix.set_defaults(run=_run_fix_pdf)
    schema = commands.add_parser("schema", help="print the JSON Schema of the output")
    schema.set_defaults(run=_run_schema)
    return parser


@contextmanager
def _page_progress(path: Path) -> Iterator[Callable[[], None] | None]:
    """A progress bar over a PDF's pages on a terminal (nothing for text, or off a terminal)."""
    if not sys.stderr.isatty() or path.suffix.lower() != ".pdf" or not path.is_file():
        yield None
        return
    import pypdfium2
    from tqdm import tqdm

    try:
        document = pypdfium2.PdfDocument(str(path))
        total = len(document)
        document.close()
    except pypdfium2.PdfiumError:
        yield None  # the conversion reports what is wrong with the file
        return
    with tqdm(total=total, unit="page", file=sys.stderr, leave=False) as bar:
        yield lambda: bar.update(1)


@contextmanager
def _progress(path: Path) -> Iterator[tuple[Callable[[], None] | None, Callable[[int], Callable[[int], None] | None]]]:
    """A conversion's progress hooks (``convert_file``'s on_page and on_text): a bar over a
    PDF's pages, or over a large text's blocks, on a terminal."""
    with _page_progress(path) as on_page, ExitStack() as bars:
        yield on_page, lambda size: bars.enter_context(_text_progress(size))


@contextmanager
def _text_progress(size: int) -> Iterator[Callable[[int], None] | None]:
    """A progress bar over a text of several blocks on a terminal (nothing off a terminal)."""
    if not sys.stderr.isatty() or size <= BLOCK_CHARS:
        yield None
        return
    from tqdm import tqdm

    with tqdm(total=size, unit="char", unit_scale=True, file=sys.stderr, leave=False) as bar:
        yield bar.update


def _confidence(value: str) -> float:
    """An argparse type: a confidence strictly between 0 and 1."""
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if not 0.0 < number < 1.0:  # also false for nan
        raise argparse.ArgumentTypeError(f"must be a number strictly between 0 and 1, not {value!r}")
    return number


def _positive(kind: type) -> Callable[[str], float]:
    """An argparse type: a finite number above 0 of ``kind`` (int or float)."""

    def parse(value: str) -> float:
        try:
            number = kind(value)
        except ValueError:
            number = float("nan")
        if not 0 < number < float("inf"):  # also false for nan
            raise argparse.ArgumentTypeError(f"must be a number above 0, not {value!r}")
        return number

    return parse


def _jobs_option(command: argparse.ArgumentParser, what: str) -> None:
    command.add_argument("-j", "--jobs", type=_positive(int), default=os.cpu_count() or 1, help=f"{what} (default: all cores)")


def _repair_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--t2s", action="store_true", help="also convert traditional to simplified characters")
    command.add_argument("--min-confidence", type=_confidence, default=RepairConfig.min_confidence,
                         help=f"least posterior for a repair decided from context (default {RepairConfig.min_confidence})")


def _conversion_options(command: argparse.ArgumentParser) -> None:
    _repair_options(command)
    command.add_argument(
        "--ocr", choices=[mode.value for mode in OcrMode], default=OcrMode.AUTO.value,
        help="PDF pages to read by OCR: without a usable text layer (auto), none, or all",
    )


def convert_options(args: argparse.Namespace) -> ConvertOptions:
    """The options of a run, from its flags (built once, for both entrances)."""
    return ConvertOptions(RepairConfig(t2s=args.t2s, min_confidence=args.min_confidence), OcrMode(args.ocr))


def _run_repair(args: argparse.Namespace) -> int:
    decoded = _read_input(args.input)
    with _text_progress(len(decoded.text)) as on_block:
        result = repair_text(decoded.text, RepairConfig(t2s=args.t2s, min_confidence=args.min_confidence), args.jobs, on_block)
    _write(result.text, args.output)
    if args.edits:  # a text's repairs have no page
        records = ({key: value for key, value in r.to_dict().items() if key != "page"} for r in result.repairs)
        write_atomic(args.edits, "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records))
    if args.explain:
        print(explain(args.input, decoded, result), file=sys.stderr)
    return int(ExitCode.OK)


def _run_convert(args: argparse.Namespace) -> int:
    conversion = _converted(Path(args.input), replace(convert_options(args), jobs=args.jobs))
    data = conversion.to_json()
    if args.format == "md":
        _write(conversion.to_markdown(), args.output)
    else:
        write_json(args.output, data)
    if args.output:
        print(summary(args.output, data), file=sys.stderr)
    if args.review:
        from jiaokan.review import write_report

        write_report(conversion, args.review)
    return int(ExitCode.OK)


def _run_review(args: argparse.Namespace) -> int:
    from jiaokan.review import index_row, write_report

    conversion = _converted(Path(args.input), convert_options(args))
    output = args.output or Path(args.input).name + ".review.html"
    write_report(conversion, output, args.threshold)
    row = index_row(conversion.to_json(), output, args.threshold)
    print(f"wrote {output}: {row.repairs} repairs, {row.to_check} to check (confidence below {args.threshold:g})",
          file=sys.stderr)
    return int(ExitCode.OK)


def _converted(path: Path, options: ConvertOptions) -> Conversion:
    """``path`` converted, with a progress bar on a terminal (structure and the PDF stack load
    here: ``repair`` needs neither)."""
    from jiaokan.convert import convert_file

    with _progress(path) as (on_page, on_text):
        return convert_file(path, options, on_page, on_text)


def summary(output: str, data: dict) -> str:
    """One line on what a conversion produced, for the terminal."""
    from jiaokan.structure.emit import damage_kinds

    methods = Counter(r["method"] for r in data["repairs"])
    repairs = ", ".join(f"{n} {m}" for m, n in methods.most_common()) or "none"
    damage = damage_kinds(data) or ["clean"]
    return (
        f"wrote {output}: {len(data['documents'])} document(s) from {data['source']['kind']} "
        f"{data['source']['path']}; damage: {', '.join(damage)}; repairs: {repairs}; errors: {len(data['errors'])}"
    )


def _run_batch(args: argparse.Namespace) -> int:
    from jiaokan.batch import BatchOptions, run_batch

    fixed = str(Path(args.fix_pdf).resolve()) if args.fix_pdf else None
    options = BatchOptions(convert_options(args), args.timeout, args.max_memory, fixed, args.review)
    return int(run_batch(args.input_dir, args.output_dir, args.jobs, options, args.scheduler, args.parquet))


def _run_fix_pdf(args: argparse.Namespace) -> int:
    from jiaokan.fixpdf.remap import fix_pdf

    options = ConvertOptions(ocr=OcrMode(args.ocr))
    report = fix_pdf(args.input, args.output, args.min_confidence, options, args.ocr_layer, args.force)
    if args.report:
        write_atomic(args.report, json.dumps(report.to_dict(), ensure_ascii=False, indent=1) + "\n")
    print(report.summary(), file=sys.stderr)
    for doubt in report.doubtful[:20]:
        print(f"  left as found: {doubt['font']} code {doubt['code']} {doubt['found']!r}: {doubt['why']}", file=sys.stderr)
    if len(report.doubtful) > 20:
        print(f"  … and {len(report.doubtful) - 20} more (see --report)", file=sys.stderr)
    return int(ExitCode.OK)


def _run_schema(args: argparse.Namespace) -> int:
    print(json.dumps(load_schema(), ensure_ascii=False, indent=1))
    return int(ExitCode.OK)


def _write(text: str, output: str | None) -> None:
    if output:
        write_atomic(output, text)
    else:
        sys.stdout.write(text)


def _read_input(name: str) -> DecodedText:
    if name == "-":
        return decode_bytes(sys.stdin.buffer.read(), "<stdin>")
    return read_text(name)


def explain(name: str, decoded: DecodedText, result: RepairResult) -> str:
    """A readable report: encoding, ranked diagnosis, and the repairs by kind."""
    lines = [f"{name}: decoded as {decoded.encoding} (confidence {decoded.confidence:.2f})"]
    lines.append(f"damage: {result.damage}")
    for finding in result.diagnosis:
        evidence = ", ".join(f"{k}={v}" for k, v in finding.evidence.items())
        lines.append(f"  {finding.scope:8} {finding.where:16} {finding.damage:24} {finding.confidence:.3f} {evidence}")
    counts = Counter((e.before, e.after, e.method) for e in result.repairs)
    lines.append(f"repairs: {len(result.repairs)}")
    for (before, after, method), n in counts.most_common(30):
        lines.append(f"  {before} → {after}  {n:6}  {method}")
    doubtful = [e for e in result.repairs if e.confidence < 0.9]
    lines.append(f"doubtful (confidence < 0.9): {len(doubtful)}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
