"""Decoding text files, and clear errors for what is not text."""

import opencc
import pytest

from jiaokan.errors import InputFileError, UndecodableError
from jiaokan.text.decode import decode_bytes, read_text

from conftest import FIXTURES

NOTICE = (FIXTURES / "notice_clean.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_simplified_encodings(encoding):
    decoded = decode_bytes(NOTICE.encode(encoding))
    assert decoded.text == NOTICE
    assert decoded.confidence > 0.5


@pytest.mark.parametrize("encoding", ["big5", "big5hkscs"])
def test_whole_traditional_texts(encoding):
    traditional = opencc.OpenCC("s2tw").convert(NOTICE) + ("\n香港特別行政區𥚃" if encoding == "big5hkscs" else "")
    decoded = decode_bytes(traditional.encode(encoding))
    assert decoded.text == traditional


def test_a_guessed_decoding_says_so_in_the_diagnosis():
    from jiaokan.text.convert import convert_text

    raw = "中文𠀀€".encode("gb18030")  # too short for the detector; only GB18030 reads it
    conversion = convert_text(decode_bytes(raw), "short.txt", raw)
    assert conversion.repair.text == "中文𠀀€"
    [guess] = [f for f in conversion.repair.diagnosis if f.damage == "encoding-guessed"]
    assert guess.evidence == {"encoding": "gb18030"} and guess.confidence < 0.95
    assert conversion.repair.damage == "clean"


def test_big5():
    traditional = opencc.OpenCC("s2t").convert(NOTICE[:3000])
    raw = traditional.encode("big5", errors="ignore")
    decoded = decode_bytes(raw)
    assert decoded.encoding.startswith("big5")
    assert decoded.text == raw.decode("big5")


def test_empty_file_names_the_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"  \n")
    with pytest.raises(InputFileError, match="empty.txt: the file is empty"):
        read_text(path)


def test_binary_file(tmp_path):
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    with pytest.raises(UndecodableError, match="image.png: binary data"):
        read_text(path)


def test_undecodable_bytes():
    with pytest.raises(UndecodableError, match="junk.bin: "):
        decode_bytes(b"\xfe\xff" + bytes(range(0x80, 0x100)) * 4 + b"\xff" * 7, "junk.bin")
    with pytest.raises(UndecodableError, match="junk.bin: not text in any supported encoding"):
        decode_bytes(bytes(range(0x80, 0x100)) * 4 + b"\x81\x20\xff", "junk.bin")


def test_missing_file():
    with pytest.raises(InputFileError, match="nope.txt: cannot read the file"):
        read_text("nope.txt")


@pytest.mark.parametrize("text, encoding", [
    ("通知", "gbk"), ("关于", "gbk"), ("第一章 总则", "gbk"),  # bytes that are also valid UTF-8 or Big5
    ("關於印發", "big5"), ("嘉興市人民政府關於", "big5"),
    ("café au lait", "utf-8"), ("Ünïcödé 中文", "utf-8"),
])
def test_short_texts_decode_in_their_own_code_page(text, encoding):
    assert decode_bytes(text.encode(encoding)).text == text
