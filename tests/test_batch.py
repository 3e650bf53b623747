"""Batch conversion: broken inputs become error records, outputs are resumable."""

import json
import shutil

from jiaokan import ConvertOptions, RepairConfig, batch
from jiaokan.batch import BatchOptions, run_batch
from jiaokan.cli import main
from jiaokan.errors import ExitCode

from conftest import FIXTURES

CONVERT_ONE = batch._convert_one


def make_folder(root):
    folder = root / "in"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(FIXTURES / "notice_clean.txt", folder / "notice.txt")
    shutil.copy(FIXTURES.parent / "pdf" / "gazette_founder31.pdf", folder / "sub" / "gazette.pdf")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "sub" / "broken.pdf").write_bytes((FIXTURES.parent / "pdf" / "gazette_clean.pdf").read_bytes()[:3000])
    (folder / "notes.md").write_text("not an input")
    return folder


def manifest(out):
    return {r["input"]: r for r in map(json.loads, (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines())}


def test_mixed_folder_partial_status_and_resume(tmp_path, capsys):
    folder, out = make_folder(tmp_path), tmp_path / "out"
    assert run_batch(folder, out, jobs=2, options=BatchOptions(ConvertOptions(ocr="never"))) == 1
    records = manifest(out)
    assert set(records) == {"notice.txt", "empty.txt", "sub/gazette.pdf", "sub/broken.pdf"}
    assert records["notice.txt"]["status"] == "ok" and records["sub/gazette.pdf"]["damage"] == ["founder+0x31"]
    assert records["empty.txt"]["status"] == "error" and "empty.txt: the file is empty" in records["empty.txt"]["error"]
    assert "broken.pdf: the PDF is damaged or truncated" in records["sub/broken.pdf"]["error"]
    assert (out / "sub" / "gazette.pdf.json").exists() and not (out / "sub" / "broken.pdf.json").exists()
    corpus = [json.loads(line) for line in (out / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {c["source"] for c in corpus} == {"notice.txt", "sub/gazette.pdf"}
    first = (out / "notice.txt.json").read_bytes()
    assert "2 error, 2 ok" in capsys.readouterr().err
    assert run_batch(folder, out, jobs=1, options=BatchOptions(ConvertOptions(ocr="never"))) == 1
    assert "(2 converted now)" in capsys.readouterr().err
    assert (out / "notice.txt.json").read_bytes() == first
    assert not list(out.rglob("*.part"))


def test_cli_batch_exit_codes(tmp_path, capsys):
    empty = tmp_path / "nothing"
    empty.mkdir()
    assert main(["batch", str(empty), str(tmp_path / "out")]) == ExitCode.NOTHING_TO_DO
    assert main(["batch", str(tmp_path / "missing"), str(tmp_path / "out")]) == ExitCode.INPUT_FILE_ERROR
    assert main(["batch", str(FIXTURES / "notice_clean.txt"), str(tmp_path / "out")]) == ExitCode.INPUT_FILE_ERROR
    err = capsys.readouterr().err
    assert "nothing: no PDF or text files to convert" in err and "missing: no such folder" in err
    assert "notice_clean.txt: not a folder" in err
    good = tmp_path / "good"
    good.mkdir()
    shutil.copy(FIXTURES / "clean" / "clean_04.txt", good)
    assert main(["batch", str(good), str(tmp_path / "out2"), "-j", "1"]) == 0


def gbk_named_zip(path, data: bytes):
    """A zip whose member name is stored in GBK without the UTF-8 flag, as Windows tools do."""
    import zipfile

    real = "通知/文件.txt".encode("gbk")
    placeholder = b"a" * 4 + b"/" + b"b" * 4 + b".txt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(placeholder.decode("ascii"), data)
    path.write_bytes(path.read_bytes().replace(placeholder, real))


def test_zip_members_with_gbk_names(tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    gbk_named_zip(folder / "back-issues.zip", (FIXTURES / "clean" / "clean_04.txt").read_bytes())
    assert run_batch(folder, out, jobs=1, options=BatchOptions(ConvertOptions(ocr="never"))) == 0
    [record] = manifest(out).values()
    assert record["input"] == "back-issues.zip/通知/文件.txt" and record["status"] == "ok"
    data = json.loads((out / "back-issues.zip" / "通知" / "文件.txt.json").read_text(encoding="utf-8"))
    assert data["source"]["path"] == "back-issues.zip/通知/文件.txt"


def test_kill_and_resume_gives_the_uninterrupted_outputs(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("clean_01.txt", "clean_02.txt", "clean_04.txt", "clean_07.txt"):
        shutil.copy(FIXTURES / "clean" / name, folder / name)
    shutil.copy(FIXTURES / "gazette_founder.txt", folder / "gazette.txt")
    killed, whole = tmp_path / "killed", tmp_path / "whole"
    command = [sys.executable, "-m", "jiaokan.cli", "batch", str(folder), str(killed), "-j", "1", "--ocr", "never"]
    process = subprocess.Popen(command, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline and not list(killed.glob("*.json")):
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert len(list(killed.glob("*.json"))) < 5
    assert run_batch(folder, killed, jobs=1, options=BatchOptions(ConvertOptions(ocr="never"))) == 0
    assert run_batch(folder, whole, jobs=1, options=BatchOptions(ConvertOptions(ocr="never"))) == 0
    for output in whole.glob("*.json"):
        assert (killed / output.name).read_bytes() == output.read_bytes()
    assert (killed / "corpus.jsonl").read_bytes() == (whole / "corpus.jsonl").read_bytes()
    assert not list(killed.rglob("*.part"))
    before = {p: p.stat().st_mtime_ns for p in killed.glob("*.txt.json")}
    assert run_batch(folder, killed, jobs=1, options=BatchOptions(ConvertOptions(ocr="never"))) == 0
    assert {p: p.stat().st_mtime_ns for p in killed.glob("*.txt.json")} == before


def test_the_same_batch_on_a_dask_local_cluster(tmp_path):
    from distributed import LocalCluster

    folder, out = make_folder(tmp_path), tmp_path / "out"
    local = tmp_path / "local"
    assert run_batch(folder, local, jobs=2, options=BatchOptions(ConvertOptions(ocr="never"))) == 1
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        assert run_batch(folder, out, options=BatchOptions(ConvertOptions(ocr="never")), scheduler=cluster.scheduler_address) == 1
        timed = tmp_path / "timed"
        limit = BatchOptions(ConvertOptions(ocr="never"), timeout=0.01)
        assert run_batch(folder, timed, options=limit, scheduler=cluster.scheduler_address) == 1
    assert {k: v["status"] for k, v in manifest(out).items()} == {k: v["status"] for k, v in manifest(local).items()}
    for output in local.rglob("*.json"):
        assert (out / output.relative_to(local)).read_bytes() == output.read_bytes()
    stopped = manifest(timed)["sub/gazette.pdf"]
    assert stopped["error"] == "sub/gazette.pdf: stopped: the time limit of 0.01 s was reached"


def test_memory_guard_ends_as_error_records(tmp_path):
    folder, out = make_folder(tmp_path), tmp_path / "out"
    assert run_batch(folder, out, jobs=2, options=BatchOptions(ConvertOptions(ocr="never"), memory_mb=1)) == 1
    stopped = manifest(out)["sub/gazette.pdf"]  # long enough to be seen by the guard
    assert stopped["status"] == "error"
    assert stopped["error"].startswith("sub/gazette.pdf: stopped: the memory guard stopped it at")
    assert stopped["peak_mb"] > 1 and stopped["worker"]
    assert not (out / "sub" / "gazette.pdf.json").exists()


def kill_on_killer(item, *args):
    """A worker that the system kills while it converts killer.txt (as the OOM killer would)."""
    import os
    import signal

    if item.name == "killer.txt":
        os.kill(os.getpid(), signal.SIGKILL)
    return CONVERT_ONE(item, *args)


def test_a_killed_worker_costs_only_its_input(tmp_path, monkeypatch):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    for name in ("clean_01.txt", "clean_02.txt", "clean_04.txt", "clean_07.txt"):
        shutil.copy(FIXTURES / "clean" / name, folder / name)
    shutil.copy(FIXTURES / "clean" / "clean_04.txt", folder / "killer.txt")
    monkeypatch.setattr(batch, "_convert_one", kill_on_killer)  # forked workers inherit it
    assert run_batch(folder, out, jobs=2, options=BatchOptions(ConvertOptions(ocr="never"))) == 1
    records = manifest(out)
    assert {k for k, v in records.items() if v["status"] == "ok"} == {"clean_01.txt", "clean_02.txt", "clean_04.txt", "clean_07.txt"}
    assert "killer.txt: it ended its worker process" in records["killer.txt"]["error"]


def test_parquet_corpus_matches_the_jsonl(tmp_path):
    import pyarrow.parquet as pq

    folder, out = make_folder(tmp_path), tmp_path / "out"
    assert main(["batch", str(folder), str(out), "-j", "2", "--ocr", "never", "--parquet"]) == 1
    table = pq.read_table(out / "corpus.parquet").to_pylist()
    corpus = [json.loads(line) for line in (out / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["source"], r["title"], r["text"], r["issuer"]) for r in table] == [
        (c["source"], c["title"], c["text"], c["issuer"]) for c in corpus
    ]
    assert [json.loads(r["clauses"]) for r in table] == [c["clauses"] for c in corpus]


def test_resume_key_holds_only_what_changes_an_output(tmp_path, capsys):
    folder, out = make_folder(tmp_path), tmp_path / "out"
    (folder / "empty.txt").unlink()
    (folder / "sub" / "broken.pdf").unlink()
    assert run_batch(folder, out, jobs=1, options=BatchOptions(ConvertOptions(ocr="never"))) == ExitCode.OK
    text_key, pdf_key = manifest(out)["notice.txt"]["options"], manifest(out)["sub/gazette.pdf"]["options"]
    assert "ocr=" not in text_key and "ocr=never" in pdf_key and "t2s=False" in text_key
    capsys.readouterr()
    assert run_batch(folder, out, jobs=1, options=BatchOptions(ConvertOptions(ocr="auto"), timeout=30)) == ExitCode.OK
    assert "(1 converted now)" in capsys.readouterr().err  # the PDF only: OCR cannot change a text
    assert run_batch(folder, out, jobs=1, options=BatchOptions(ConvertOptions(RepairConfig(t2s=True)))) == ExitCode.OK
    assert "(2 converted now)" in capsys.readouterr().err  # t2s reaches both
