"""The edit log: every change is a record, and replaying the records reproduces the output."""

import pytest

from jiaokan import Repair, apply_repairs, convert_file, repair_text
from jiaokan.repair.log import RepairLog
from jiaokan.encodings import damage

from conftest import CLEAN_FILES


def test_replaying_the_gazette_edits(gazette, gazette_repair):
    assert apply_repairs(gazette, gazette_repair.repairs) == gazette_repair.text
    lines = gazette.split("\n")
    for edit in gazette_repair.repairs[:50]:
        assert lines[edit.line - 1][edit.column - 1] == edit.before


def test_stages_compose_against_the_original():
    original = damage.mojibake("嘉兴市", "gbk", "latin-1") + " ⼈⺠政府袁"
    result = repair_text(original)
    assert result.text == "嘉兴市 人民政府，"
    assert apply_repairs(original, result.repairs) == result.text
    assert [e.column for e in result.repairs] == [1, 8, 9, 12]


def test_a_later_edit_inside_an_earlier_one_merges():
    log = RepairLog()
    log.add([Repair(1, 3, "ab", "XYZ", "one", 0.9)])
    log.add([Repair(1, 4, "Y", "y", "two", 0.8), Repair(1, 8, "q", "Q", "two", 1.0)])
    edits = log.repairs()
    assert edits == (Repair(1, 3, "ab", "XyZ", "one+two", 0.8), Repair(1, 7, "q", "Q", "two", 1.0))
    assert apply_repairs("12abcdq", edits) == "12XyZcdQ"


def test_a_mismatched_edit_is_refused():
    with pytest.raises(ValueError, match="line 1, column 1"):
        apply_repairs("abc", [Repair(1, 1, "x", "y", "m", 1.0)])
    # one character for one (the quick path): past its line's end, and twice in one place
    with pytest.raises(ValueError, match="line 1, column 3"):
        apply_repairs("ab\ncd", [Repair(1, 3, "c", "x", "m", 1.0)])
    with pytest.raises(ValueError, match="line 2, column 1"):
        apply_repairs("ab\ncd", [Repair(2, 1, "c", "x", "m", 1.0), Repair(2, 1, "c", "y", "m", 1.0)])
    assert apply_repairs("ab\ncd", [Repair(2, 2, "d", "D", "m", 1.0), Repair(1, 1, "a", "A", "m", 1.0)]) == "Ab\ncD"


def test_blocks_cover_the_text_exactly():
    from jiaokan.repair.stages import _blocks

    text = "\n".join(f"第{i}行" + ("" if i % 7 else "\n") for i in range(2000))
    blocks = list(_blocks(text, 500))
    assert len(blocks) == -(-len(text) // 500)  # as few as blocks of at most about 500 take
    sizes = [len(block) for _, block in blocks]
    assert max(sizes) - min(sizes) <= 500 // 4 + 10  # about equal (cut at a blank line or a line's end)
    assert "\n".join(block for _, block in blocks) == text
    lines = text.split("\n")
    for first, block in blocks:
        assert lines[first : first + block.count("\n") + 1] == block.split("\n")


def test_repair_in_blocks_matches_whole(gazette, gazette_repair, monkeypatch):
    from jiaokan.repair import stages as repair

    monkeypatch.setattr(repair._blocks, "__defaults__", (20_000,))
    blocked = repair_text(gazette)
    assert apply_repairs(gazette, blocked.repairs) == blocked.text
    differ = sum(a != b for a, b in zip(blocked.text, gazette_repair.text))
    assert len(blocked.text) == len(gazette_repair.text) and differ <= 5


def test_blocks_repaired_in_worker_processes_give_the_same_result(gazette, monkeypatch):
    from jiaokan.repair import stages as repair

    monkeypatch.setattr(repair._blocks, "__defaults__", (20_000,))
    serial = repair_text(gazette)
    done: list[int] = []  # each block's length, as it is done
    parallel = repair_text(gazette, jobs=2, on_block=done.append)
    assert len(done) == len(list(repair._blocks(gazette))) > 1
    assert sum(done) + len(done) - 1 == len(gazette)  # the blocks and the line breaks between them
    assert parallel == serial and serial.repairs


def test_clean_prose_is_repaired_in_this_process(gazette, monkeypatch):
    """Clean Chinese prose is done before worker processes would start; damage is spread."""
    from jiaokan.repair import stages as repair

    monkeypatch.setattr(repair._blocks, "__defaults__", (20_000,))
    spread: list[int] = []
    real = repair.in_workers
    monkeypatch.setattr(repair, "in_workers", lambda function, calls, jobs: spread.append(jobs) or real(function, calls, jobs))
    clean = "\n\n".join(path.read_text(encoding="utf-8") for path in CLEAN_FILES)
    assert len(list(repair._blocks(clean))) > 1 and not repair_text(clean, jobs=2).repairs
    repair_text(gazette, jobs=2)
    assert spread == [1, 2]


def test_a_text_conversion_tells_its_length_and_each_block_as_it_is_done():
    text = CLEAN_FILES[0].read_text(encoding="utf-8")
    sizes: list[int] = []
    blocks: list[int] = []

    def on_text(size: int):
        sizes.append(size)
        return blocks.append

    convert_file(CLEAN_FILES[0], on_text=on_text)
    assert sizes == [len(text)] and blocks == [len(text)]
