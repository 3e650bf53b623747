"""Damage clean texts on purpose; the repair must give them back."""

import difflib

import pytest

from jiaokan import apply_repairs, repair_text
from jiaokan.encodings import damage

from conftest import CLEAN_FILES

KINDS = {
    "founder+0x31": (lambda t: damage.founder(t, 0x31), 0.002),
    "founder+0x2E": (lambda t: damage.founder(t, 0x2E), 0.002),
    "founder by line": (damage.founder_by_line, 0.002),
    "gbk as latin-1": (lambda t: damage.mojibake(t, "gbk", "latin-1"), 0.0),
    "utf-8 as cp1252": (lambda t: damage.mojibake(t, "utf-8", "sloppy-windows-1252"), 0.0),
    "gbk as big5": (lambda t: damage.mojibake(t, "gbk", "big5"), 0.003),
    "kangxi": (damage.kangxi, 0.0),
}


def errors(reference: str, hypothesis: str) -> int:
    matcher = difflib.SequenceMatcher(a=reference, b=hypothesis, autojunk=False)
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal")


def cer(reference: str, hypothesis: str) -> float:
    return errors(reference, hypothesis) / len(reference)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("path", CLEAN_FILES, ids=lambda p: p.name)
def test_round_trip(kind, path):
    make, limit = KINDS[kind]
    text = path.read_text(encoding="utf-8")
    damaged = make(text)
    assert cer(text, damaged) > 0.01
    result = repair_text(damaged)
    # a share of the text, but at least 2 characters in a short one (〔〕 a Big5 reading shows
    # as 〃○: symbols for symbols, that no character model tells apart)
    assert errors(text, result.text) <= max(limit * len(text), 2 if limit else 0)
    assert apply_repairs(damaged, result.repairs) == result.text
    assert len(result.text.split("\n")) == len(text.split("\n"))


def test_partial_mojibake_line():
    line = "通知：" + damage.mojibake("嘉兴市人民政府办公室", "gbk", "latin-1") + "（此件公开发布）"
    result = repair_text(line)
    assert result.text == "通知：嘉兴市人民政府办公室（此件公开发布）"
    assert [e.method for e in result.repairs] == ["mojibake:gbk read as latin-1"]


def test_lost_bytes_degrade_gracefully():
    damaged = "嘉兴市人民政府办公室关于印发".encode("utf-8").decode("gbk", errors="replace")
    result = repair_text(damaged)
    assert result.text.startswith("嘉兴市人民政府")
    assert any(e.confidence < 0.9 for e in result.repairs)


def test_t2s_is_off_by_default_and_on_when_asked():
    from jiaokan import RepairConfig

    assert repair_text("嘉興市人民政府").text == "嘉興市人民政府"
    assert repair_text("嘉興市人民政府", RepairConfig(t2s=True)).text == "嘉兴市人民政府"


def test_private_use_and_compatibility_points():
    assert repair_text("\ue81a\uf900").text == "㑳豈"


def test_unknown_private_use_is_reported_and_kept():
    result = repair_text("嘉兴市\ue000\ue001人民政府\n关于印发⼈才政策的通知")
    assert result.text == "嘉兴市\ue000\ue001人民政府\n关于印发人才政策的通知"
    [unknown] = [f for f in result.diagnosis if f.damage == "glyph:private-use-unknown"]
    assert unknown.evidence["characters"] == 2 and unknown.evidence["examples"] == ["U+E000", "U+E001"]
