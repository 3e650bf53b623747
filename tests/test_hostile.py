"""Hostile and careless input: nothing written or read outside the folders given, no input
destroyed, no traceback, a record for every bad input. Each case is small and fast."""

import json
import os
import shutil
import zipfile

import pikepdf
import pytest

from jiaokan import ConvertOptions, convert_file, inputs
from jiaokan.batch import BatchOptions, run_batch
from jiaokan.cli import main
from jiaokan.errors import ExitCode, UsageError

from conftest import FIXTURES

PDFS = FIXTURES.parent / "pdf"
NOTICE = (FIXTURES / "notice_clean.txt").read_bytes()
NEVER = BatchOptions(ConvertOptions(ocr="never"))


def manifest(out):
    return {r["input"]: r for r in map(json.loads, (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines())}


def tree(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_archive_member_names_cannot_leave_the_output_folder(tmp_path):
    folder, out = tmp_path / "in", tmp_path / "work" / "out"
    folder.mkdir()
    (tmp_path / "victim").mkdir()
    victim = tmp_path / "victim" / "important.pdf"
    victim.write_bytes(b"%PDF-1.4 precious")
    with zipfile.ZipFile(folder / "evil.zip", "w") as archive:
        for name in ("../../escape.txt", "/abs/root.txt", "C:\\temp\\drive.txt", "a/../../../up.txt", "same.txt"):
            archive.writestr(name, NOTICE)
        archive.writestr("../../victim/important.pdf", (PDFS / "gazette_clean.pdf").read_bytes())
        archive.writestr("SAME.txt", NOTICE)
    before = tree(tmp_path)
    options = BatchOptions(ConvertOptions(ocr="never"), fix_pdf=str(tmp_path / "work" / "fixed"))
    assert run_batch(folder, out, jobs=1, options=options) == ExitCode.OK
    assert victim.read_bytes() == b"%PDF-1.4 precious"
    created = set(tree(tmp_path)) - set(before)
    assert all(name.startswith("work") for name in created), created
    records = manifest(out)
    assert len({r["output"] for r in records.values()}) == len(records) == 7  # two same names, two outputs
    assert all(str(out) in r["output"] for r in records.values())


def test_links_out_of_the_input_folder_are_not_followed(tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_bytes(NOTICE)
    (folder / "notice.txt").write_bytes(NOTICE)
    os.symlink(secret, folder / "passwd.txt")
    os.symlink(tmp_path / "gone.txt", folder / "dangling.txt")
    assert run_batch(folder, out, jobs=1, options=NEVER) == ExitCode.PARTIAL
    records = manifest(out)
    assert "not followed" in records["passwd.txt"]["error"] and "a link to nothing" in records["dangling.txt"]["error"]
    assert [json.loads(line)["source"] for line in (out / "corpus.jsonl").read_text(encoding="utf-8").splitlines()] == ["notice.txt"]


def test_no_output_may_overwrite_an_input(tmp_path, capsys):
    text = tmp_path / "notice.txt"
    text.write_bytes(NOTICE)
    pdf = tmp_path / "gazette.pdf"
    shutil.copy(PDFS / "gazette_founder31.pdf", pdf)
    original = pdf.read_bytes()
    for argv in (["convert", str(text), "-o", str(text)], ["review", str(text), "-o", str(text)],
                 ["repair", str(text), "-o", str(text)], ["repair", str(text), "--edits", str(text)],
                 ["fix-pdf", str(pdf), str(pdf)], ["convert", str(pdf), "--review", str(pdf)]):
        assert main(argv) == ExitCode.BAD_ARGS, argv
    assert text.read_bytes() == NOTICE and pdf.read_bytes() == original
    assert "must not overwrite the input" in capsys.readouterr().err
    with pytest.raises(UsageError):
        run_batch(tmp_path, tmp_path / "out", options=BatchOptions(fix_pdf=str(tmp_path)))
    assert pdf.read_bytes() == original


def test_every_broken_archive_is_a_record_and_the_batch_goes_on(tmp_path, monkeypatch):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    (folder / "notice.txt").write_bytes(NOTICE)
    with zipfile.ZipFile(folder / "nested.zip", "w") as archive:
        archive.writestr("inner.zip", b"PK\x05\x06" + bytes(18))
        archive.writestr("ok.txt", NOTICE)
    with zipfile.ZipFile(folder / "locked.zip", "w") as archive:
        archive.writestr("secret.txt", NOTICE)
    data = bytearray((folder / "locked.zip").read_bytes())
    data[6] |= 1  # the local header's flag: encrypted
    central = data.rfind(b"PK\x01\x02")
    data[central + 8] |= 1
    (folder / "locked.zip").write_bytes(bytes(data))
    with zipfile.ZipFile(folder / "corrupt.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bad.txt", NOTICE * 20)
    data = bytearray((folder / "corrupt.zip").read_bytes())
    data[60:80] = bytes(20)  # the deflate stream damaged
    (folder / "corrupt.zip").write_bytes(bytes(data))
    with zipfile.ZipFile(folder / "cut.zip", "w") as archive:
        archive.writestr("cut.txt", NOTICE)
    (folder / "cut.zip").write_bytes((folder / "cut.zip").read_bytes()[:-30])  # the central directory cut short
    with zipfile.ZipFile(folder / "pictures.zip", "w") as archive:
        archive.writestr("photo.png", b"\x89PNG")
    monkeypatch.setattr(inputs, "BOMB_BYTES", 1 << 20)
    with zipfile.ZipFile(folder / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.txt", bytes(4 << 20))
    assert run_batch(folder, out, jobs=1, options=NEVER) == ExitCode.PARTIAL
    records = manifest(out)
    assert records["notice.txt"]["status"] == records["nested.zip/ok.txt"]["status"] == "ok"
    assert "archive inside an archive" in records["nested.zip/inner.zip"]["error"]
    assert "encrypted" in records["locked.zip/secret.txt"]["error"]
    assert records["corrupt.zip/bad.txt"]["status"] == "error"
    assert "cannot open the archive" in records["cut.zip"]["error"]
    assert "zip bomb" in records["bomb.zip/zeros.txt"]["error"]
    assert "holds no PDF or text file" in records["pictures.zip"]["error"]


def test_file_names_in_gbk_bytes_and_deleted_outputs(tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    (folder / os.fsdecode("关于印发的通知.txt".encode("gbk"))).write_bytes(NOTICE)
    assert run_batch(folder, out, jobs=1, options=NEVER) == ExitCode.OK
    [record] = manifest(out).values()
    assert record["input"] == "关于印发的通知.txt" and (out / "关于印发的通知.txt.json").is_file()
    (out / "关于印发的通知.txt.json").unlink()
    assert run_batch(folder, out, jobs=1, options=NEVER) == ExitCode.OK
    assert (out / "关于印发的通知.txt.json").is_file()  # regenerated, not skipped as done


def test_review_links_are_paths_never_schemes(tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    (folder / "sub").mkdir(parents=True)
    (folder / "javascript:alert(1).txt").write_bytes(NOTICE)
    (folder / "sub" / "a#b?c%.txt").write_bytes(NOTICE)
    assert run_batch(folder, out, jobs=1, options=BatchOptions(ConvertOptions(ocr="never"), review=True)) == ExitCode.OK
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="javascript%3Aalert%281%29.txt.review.html"' in index
    assert 'href="sub/a%23b%3Fc%25.txt.review.html"' in index and (out / "sub" / "a#b?c%.txt.review.html").is_file()


def test_bad_option_values_are_usage_errors(tmp_path, capsys):
    text = tmp_path / "notice.txt"
    text.write_bytes(NOTICE)
    for argv in (["repair", str(text), "--min-confidence", "nan"], ["repair", str(text), "--min-confidence", "5"],
                 ["batch", str(tmp_path), str(tmp_path / "o"), "--timeout", "nan"],
                 ["batch", str(tmp_path), str(tmp_path / "o"), "-j", "0"]):
        with pytest.raises(SystemExit) as exit:
            main(argv)
        assert exit.value.code == ExitCode.BAD_ARGS
    assert "Traceback" not in capsys.readouterr().err


def test_interrupts_and_failures_are_one_line(tmp_path, capsys, monkeypatch):
    import jiaokan.convert

    text = tmp_path / "notes\x1b]0;owned\x07.txt"
    text.write_bytes(NOTICE)

    def boom(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(jiaokan.convert, "convert_file", boom)
    assert main(["convert", str(text)]) == ExitCode.INTERNAL
    err = capsys.readouterr().err
    assert "internal error (ZeroDivisionError: a bug)" in err and "Traceback" not in err
    assert "\x1b" not in err and "\\x1b" in err  # the name's terminal escape is shown, not obeyed
    with pytest.raises(ZeroDivisionError):
        main(["--debug", "convert", str(text)])

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(jiaokan.convert, "convert_file", interrupted)
    assert main(["convert", str(text)]) == ExitCode.INTERRUPTED


def test_blank_pages_cost_no_ocr(tmp_path):
    class CountingEngine:
        calls = 0

        def recognize(self, image):
            CountingEngine.calls += 1
            return []

    blank = tmp_path / "blank.pdf"
    pdf = pikepdf.new()
    for _ in range(3):
        pdf.add_blank_page()
    pdf.save(blank)
    conversion = convert_file(blank, ConvertOptions(engine=CountingEngine()))
    assert CountingEngine.calls == 0 and conversion.documents == []


def test_a_hostile_tounicode_range_and_a_huge_page_stay_bounded(tmp_path):
    ranged, huge = tmp_path / "bfrange.pdf", tmp_path / "huge.pdf"
    with pikepdf.open(PDFS / "gazette_clean.pdf") as pdf:
        for _, font in pdf.pages[0].Resources.Font.items():
            data = font.ToUnicode.read_bytes().replace(
                b"endcodespacerange", b"endcodespacerange\n1 beginbfrange\n<00000000> <FFFFFFFF> <0041>\nendbfrange", 1)
            font.ToUnicode = pdf.make_stream(data)
        pdf.save(ranged)
    assert "嘉兴市人民政府" in convert_file(ranged, ConvertOptions(ocr="never")).repair.text  # not four billion entries
    with pikepdf.open(PDFS / "gazette_founder31.pdf") as pdf:
        for page in pdf.pages:
            page.MediaBox = [0, 0, 200_000, 200_000]
            page.contents_add(pdf.make_stream(b"1 0 0 1 0 199158 cm\n"), prepend=True)
        pdf.save(huge)
    conversion = convert_file(huge, ConvertOptions(ocr="never"))
    assert conversion.errors == [] and "嘉兴市人民政府" in conversion.repair.text
