"""The command line: line structure kept, edits written, errors with exit codes."""

import io
import json
import sys

from jiaokan.cli import main

from conftest import FIXTURES


def test_repair_keeps_every_line(tmp_path, capsys):
    out = tmp_path / "out.txt"
    edits = tmp_path / "edits.jsonl"
    source = FIXTURES / "gazette_founder.txt"
    code = main(["repair", str(source), "-o", str(out), "--edits", str(edits), "--explain"])
    assert code == 0
    original = source.read_text(encoding="utf-8").split("\n")
    repaired = out.read_text(encoding="utf-8").split("\n")
    assert len(repaired) == len(original)
    records = [json.loads(line) for line in edits.read_text(encoding="utf-8").splitlines()]
    assert len(records) > 3000
    assert set(records[0]) == {"line", "column", "before", "after", "method", "confidence"}
    report = capsys.readouterr().err
    assert "damage: founder+0x31" in report and "袁 → ，" in report


def test_repair_from_stdin(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("直属各单位袁研究院院长\n".encode("gbk"))))
    assert main(["repair", "-"]) == 0
    assert capsys.readouterr().out == "直属各单位，研究院院长\n"


def test_errors_name_the_file(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert main(["repair", str(empty)]) == 3
    assert f"{empty}: the file is empty" in capsys.readouterr().err
    binary = tmp_path / "scan.pdf.bin"
    binary.write_bytes(bytes(64))
    assert main(["repair", str(binary)]) == 4
    assert "binary data" in capsys.readouterr().err


def test_an_output_that_is_a_folder_is_named_and_nothing_is_left_behind(tmp_path, capsys):
    folder = tmp_path / "out"
    folder.mkdir()
    for command in ("convert", "repair"):
        assert main([command, str(FIXTURES / "notice_clean.txt"), "-o", str(folder)]) != 0
        assert f"jiaokan: {folder}: Is a directory" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"] and not any(folder.iterdir())


def test_outputs_get_the_permissions_a_new_file_gets_or_keep_their_own(tmp_path):
    import os
    import stat

    umask = os.umask(0o022)
    os.umask(umask)
    source = tmp_path / "in.txt"
    source.write_text("各县渊市尧区冤人民政府袁\n", encoding="utf-8")
    out, json_out = tmp_path / "out.txt", tmp_path / "out.json"
    assert main(["repair", str(source), "-o", str(out)]) == 0
    assert main(["convert", str(source), "-o", str(json_out)]) == 0
    for path in (out, json_out):  # readable as any file made here, not owner-only as mkstemp makes it
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask
    out.chmod(0o640)
    assert main(["repair", str(source), "-o", str(out)]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
