"""Batch conversion: a folder in, one JSON per input, a corpus JSONL and a manifest out.

Inputs are converted in worker processes; a broken input ends as an error record and the
batch goes on. Inputs are found and named by ``jiaokan.inputs`` (nothing outside IN_DIR is
read, nothing outside OUT_DIR written). Every output is written atomically (a temporary file,
then a rename), and an input whose content (sha256) and options are unchanged since a
successful run, and whose outputs are still there as written, is skipped, so an interrupted
batch resumes where it stopped. Each input runs under a time limit and a
memory guard (jiaokan.limits); a worker process that dies all the same (killed by the
system) costs only the inputs it held.
"""

from __future__ import annotations

import importlib.util
import json
import os
import socket
import sys
import tempfile
import threading
import time
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass
from pathlib import Path

from jiaokan import __version__
from jiaokan.conversion import Conversion, file_sha256
from jiaokan.convert import convert_file
from jiaokan.errors import ExitCode, InputFileError, JiaokanError, MissingDependencyError, NothingToDoError, UsageError
from jiaokan.files import inside, printable, remove_stale_parts, temporary_path, write_atomic, write_json
from jiaokan.fixpdf.remap import fix_pdf
from jiaokan.inputs import Input, InputError, find_inputs, unpacked
from jiaokan.limits import LimitExceeded, limited, peak_rss_mb
from jiaokan.options import ConvertOptions
from jiaokan.review import ReviewSummary, build_index, index_row, write_report
from jiaokan.structure.emit import damage_kinds

MANIFEST = "manifest.jsonl"
CORPUS = "corpus.jsonl"
REVIEW = ".review.html"
PARQUET = "corpus.parquet"


@dataclass(frozen=True)
class BatchOptions:
    """A batch's options: the conversion's, the limits on each input, and what else to write."""

    convert: ConvertOptions = ConvertOptions()
    timeout: float = 600
    memory_mb: float = 2048
    fix_pdf: str | None = None  # a folder for corrected PDFs (jiaokan fix-pdf), mirroring the inputs
    review: bool = False  # a review page beside each JSON, and an index

    def key(self, name: str) -> str:
        """What the outputs of input ``name`` depend on besides its bytes: a change re-converts
        it (the limits do not count; OCR counts for PDFs only)."""
        kind = "pdf" if name.lower().endswith(".pdf") else "text"
        extras = f"|fix_pdf={self.fix_pdf}" if kind == "pdf" and self.fix_pdf else ""
        return f"{__version__}|{self.convert.key(kind)}{extras}|review={self.review}"


@dataclass
class Record:
    """One input's line in the manifest."""

    input: str
    sha256: str
    options: str
    status: str
    seconds: float = 0.0
    output: str | None = None
    damage: list[str] | None = None
    documents: int = 0
    error: str | None = None
    worker: str | None = None
    peak_mb: float | None = None
    fixed_pdf: str | None = None
    pages: int | None = None
    output_sha256: str | None = None  # of the JSON written: a resume checks it is still the same


def run_batch(
    in_dir: str | Path,
    out_dir: str | Path,
    jobs: int = 1,
    options: BatchOptions = BatchOptions(),
    scheduler: str | None = None,
    parquet: bool = False,
) -> ExitCode:
    """Convert every input below ``in_dir`` into ``out_dir``; returns ``OK`` or ``PARTIAL``
    (some inputs failed). A missing folder, one with nothing to convert, or ``parquet``
    without pyarrow raise (``InputFileError``, ``NothingToDoError``, ``MissingDependencyError``).
    With ``parquet`` the corpus is also written as corpus.parquet (needs pyarrow).

    With ``scheduler`` (a Dask address such as tcp://host:8786) the inputs are converted by
    that cluster's workers, which must see ``in_dir`` and ``out_dir`` at the same paths."""
    in_dir, out_dir = Path(in_dir), Path(out_dir)
    if parquet and importlib.util.find_spec("pyarrow") is None:
        raise MissingDependencyError("--parquet", "needs pyarrow: pip install 'jiaokan[parquet]'")
    if not in_dir.is_dir():
        problem = "not a folder (batch takes a folder; convert takes one file)" if in_dir.exists() else "no such folder"
        raise InputFileError(str(in_dir), problem)
    outputs = tuple(Path(folder) for folder in (out_dir, options.fix_pdf) if folder)
    for folder in outputs:
        if inside(in_dir, folder):
            raise UsageError(str(folder), "an output folder must not hold the input folder (its inputs would be overwritten)")
    inputs, problems = find_inputs(in_dir, exclude=outputs)
    if not inputs and not problems:
        raise NothingToDoError(str(in_dir), "no PDF or text files to convert")
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_parts(out_dir)
    done = _previous(out_dir / MANIFEST)
    records = {p.name: Record(p.name, "", options.key(p.name), "error", error=f"{p.name}: {p.error}") for p in problems}
    todo = []
    for item in inputs:
        try:
            digest = item.sha256()
        except InputError as error:
            records[item.name] = Record(item.name, "", options.key(item.name), "error", error=f"{item.name}: {error}")
            continue
        old = done.get(item.name)
        if old and old.status == "ok" and old.sha256 == digest and old.options == options.key(item.name) and _intact(old):
            records[item.name] = old
            continue
        todo.append((item, str(out_dir / (item.name + ".json")), digest, options))
    progress = _progress(len(todo))
    try:
        for record in _run(todo, jobs, scheduler):
            records[record.input] = record
            _append(out_dir / MANIFEST, record)
            progress(record)
    finally:  # an interrupted batch (Ctrl-C) still leaves its manifest and collections whole
        write_atomic(out_dir / MANIFEST, "".join(json.dumps(asdict(records[k]), ensure_ascii=False) + "\n" for k in sorted(records)))
        _write_collections(out_dir, [records[k] for k in sorted(records)], parquet, options.review)
    statuses = Counter(r.status for r in records.values())
    damages = Counter(d for r in records.values() for d in (r.damage or []))
    print(
        f"jiaokan batch: {len(records)} inputs ({len(todo)} converted now): "
        + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()))
        + ("; damage: " + ", ".join(f"{n} {d}" for d, n in damages.most_common()) if damages else ""),
        file=sys.stderr,
    )
    return ExitCode.OK if statuses["error"] == 0 else ExitCode.PARTIAL


def _intact(record: Record) -> bool:
    """Whether a done input's outputs are still there as they were written."""
    written = [record.output] + ([record.fixed_pdf] if record.fixed_pdf else [])
    return all(path and Path(path).is_file() for path in written) and (
        record.output_sha256 is None or file_sha256(record.output) == record.output_sha256)


def _run(tasks: list[tuple], jobs: int, scheduler: str | None) -> Iterator[Record]:
    """Records as the conversions finish: in local worker processes, or on a Dask cluster."""
    if scheduler is not None:
        yield from _run_on_cluster(tasks, scheduler)
        return
    todo = deque(tasks)
    while todo:
        held: list[tuple] = []
        yield from _round(todo, max(1, jobs), held)
        for task in held:  # a worker died holding these: each alone, to find the one that kills
            killed: list[tuple] = []
            yield from _round(deque([task]), 1, killed)
            if killed:
                yield _died(task, "it ended its worker process (killed by the system, most likely out of memory)")


def _round(todo: deque, workers: int, held: list[tuple]) -> Iterator[Record]:
    """Convert inputs from ``todo`` in a process pool until it is empty or a worker dies; then
    the inputs handed out (at most two per worker) go to ``held``."""
    with ProcessPoolExecutor(max_workers=workers, initializer=_watch_parent, initargs=(os.getpid(),)) as pool:
        running: dict[Future, tuple] = {}
        while todo or running:
            while todo and len(running) < 2 * workers:
                task = todo.popleft()
                running[pool.submit(_convert_one, *task)] = task
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                task = running.pop(future)
                try:
                    yield future.result()
                except BrokenProcessPool:
                    held.append(task)
            if held:
                held += running.values()
                return


def _watch_parent(parent: int) -> None:
    """In a worker: end this process when the batch that started it is gone (killed), so no
    worker goes on converting for nobody."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="jiaokan-parent", daemon=True).start()


def _run_on_cluster(tasks: list[tuple], scheduler: str) -> Iterator[Record]:
    from distributed import Client
    from distributed import as_completed as completed

    with Client(scheduler) as client:
        futures = {client.submit(_convert_one, *task, pure=False): task for task in tasks}
        for future in completed(futures):
            try:
                yield future.result()
            except Exception as error:  # Dask gives up on a task whose workers keep dying
                yield _died(futures[future], f"the cluster gave up on it ({type(error).__name__}: {error})")


def _died(task: tuple, why: str) -> Record:
    item, _, digest, options = task
    return Record(item.name, digest, options.key(item.name), "error", error=f"{item.name}: {why}")


def _convert_one(item: Input, output: str, digest: str, options: BatchOptions) -> Record:
    """Worker: convert one input (a zip member through a temporary file) under the time limit
    and the memory guard; any failure becomes an error record naming the input."""
    start = time.perf_counter()
    worker = f"{socket.gethostname()}:{os.getpid()}"

    def failed(message: str) -> Record:
        seconds = round(time.perf_counter() - start, 3)
        return Record(item.name, digest, options.key(item.name), "error", seconds, error=message, worker=worker,
                      peak_mb=round(peak_rss_mb()))

    with tempfile.TemporaryDirectory() as folder:
        path = item.path
        try:
            with limited(options.timeout, options.memory_mb):
                path = unpacked(item, Path(folder))
                conversion = convert_file(path, options.convert)
                data = conversion.to_json()
                fixed = _fix(path, item, conversion, options, data["errors"])
                if options.review:
                    report = Path(output.removesuffix(".json") + REVIEW)
                    report.parent.mkdir(parents=True, exist_ok=True)
                    write_report(conversion, report)
        except LimitExceeded as error:
            return failed(f"{item.name}: stopped: {error}")
        except Exception as error:  # a broken input must not end the batch
            message = str(error) if "jiaokan" in type(error).__module__ else f"{path}: {type(error).__name__}: {error}"
            return failed(message.replace(str(path), item.name))
    data["source"]["path"] = item.name
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    written = write_json(output, data)
    damage = damage_kinds(data)
    errors = "; ".join(e["message"] for e in data["errors"]) or None
    seconds = round(time.perf_counter() - start, 3)
    return Record(item.name, digest, options.key(item.name), "partial" if errors else "ok", seconds, output, damage,
                  len(data["documents"]), errors, worker, round(peak_rss_mb()), fixed, data["source"]["pages"],
                  written)


def _fix(path: Path, item: Input, conversion: Conversion, options: BatchOptions, errors: list[dict]) -> str | None:
    """With ``options.fix_pdf``, the corrected PDF of a PDF input (scanned pages given an OCR
    text layer); a refusal (a signed PDF, an output over the input: ``fix_pdf`` guards both)
    is one more error of the input."""
    if not options.fix_pdf or conversion.pdf is None:
        return None
    output = Path(options.fix_pdf) / item.name
    output.parent.mkdir(parents=True, exist_ok=True)
    try:
        fix_pdf(path, output, options=options.convert, ocr_layer=True, conversion=conversion)
    except JiaokanError as error:
        errors.append({"code": "fix-pdf", "message": str(error).replace(str(path), item.name)})
        return None
    return str(output)


def _previous(manifest: Path) -> dict[str, Record]:
    """The last record of each input in an earlier manifest (a killed run leaves its lines)."""
    records: dict[str, Record] = {}
    if manifest.exists():
        for line in manifest.read_text(encoding="utf-8").splitlines():
            try:
                record = Record(**json.loads(line))
            except (ValueError, TypeError):
                continue  # a line cut short by a kill
            records[record.input] = record
    return records


def _append(manifest: Path, record: Record) -> None:
    with open(manifest, "a", encoding="utf-8") as out:
        out.write(json.dumps(asdict(record), ensure_ascii=False) + "\n")
        out.flush()
        os.fsync(out.fileno())


def _write_collections(out_dir: Path, records: list[Record], parquet: bool, review: bool) -> None:
    """What spans the inputs, from each one's JSON output (read once): the corpus (one line
    per document, with its source; and as Parquet) and the review index."""
    rows, index = [], []
    for record in records:
        data = None
        if record.status != "error" and record.output and Path(record.output).exists():
            data = json.loads(Path(record.output).read_text(encoding="utf-8"))
            rows += [{"source": record.input, "sha256": record.sha256, "index": n, **document}
                     for n, document in enumerate(data["documents"])]
        report = record.input + REVIEW
        if data and (out_dir / report).exists():
            index.append(index_row({**data, "source": {**data["source"], "path": record.input}}, report))
        else:
            index.append(ReviewSummary(record.input, None, record.status, [], 0, 0, record.error))
    write_atomic(out_dir / CORPUS, "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))
    if parquet:
        _write_parquet(out_dir / PARQUET, rows)
    if review:
        write_atomic(out_dir / "index.html", build_index(index, f"jiaokan review · {out_dir.name}"))


def _write_parquet(path: Path, rows: list[dict]) -> None:
    """The corpus as a Parquet table: one row per document, scalar fields as columns, the
    nested ones (clauses, attachments, tables) as JSON text."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    text, number = pa.string(), pa.int64()
    schema = pa.schema([
        ("source", text), ("sha256", text), ("index", number), ("kind", text), ("doc_number", text),
        ("registration_number", text), ("title", text), ("issuer", pa.list_(text)), ("date", text),
        ("addressees", text), ("publication_note", text), ("cc", text), ("printed_by", text),
        ("pages", pa.list_(number)), ("text", text), ("clauses", text), ("attachments", text), ("tables", text),
    ])
    nested = ("clauses", "attachments", "tables")
    table = pa.Table.from_pylist(
        [{**row, **{key: json.dumps(row.get(key, []), ensure_ascii=False) for key in nested}} for row in rows], schema
    )
    temporary = temporary_path(path)
    try:
        pq.write_table(table, temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _progress(total: int):
    """A progress bar on a terminal (files/s, pages/s, ETA); silent otherwise."""
    if not sys.stderr.isatty() or total == 0:
        return lambda record: None
    from tqdm import tqdm

    bar = tqdm(total=total, unit="file", file=sys.stderr)
    pages = 0

    def update(record: Record) -> None:
        nonlocal pages
        pages += record.pages or 0
        bar.update(1)
        rate = pages / max(bar.format_dict["elapsed"], 1e-9)
        bar.set_postfix_str(f"{rate:.1f} pages/s; {printable(record.input)}: {record.status}")
        if bar.n == total:
            bar.close()

    return update
