"""What start-up leans on: the lexicon compiled into the package, the heavy libraries loaded
only on the paths that use them, and sentences and responsibility notes found as spaCy's blank
Chinese pipeline finds them, without importing spaCy (0.9 s)."""

import ast
import math
import os
import random
import subprocess
import sys
from functools import cache
from importlib import resources
from pathlib import Path

import pytest

from jiaokan.encodings.founder import FounderShift
from jiaokan.encodings.lexicon import COMPILED, MAX_WORD, Lexicon
from jiaokan.structure.clauses import RESPONSIBILITY_NOTE, responsible_units
from jiaokan.structure.sentences import SENTENCE_ENDS, split_sentences

from conftest import FIXTURES


def test_the_shipped_lexicon_is_jiebas_dictionary_compiled():
    dictionary = Path(str(resources.files("jieba").joinpath("dict.txt")))
    parsed = Lexicon.from_dictionary(dictionary)
    shipped = Lexicon.default()
    for word in ("研究院", "单位", "的", "秸秆", "中华人民共和国"[:5]):
        assert shipped.word_logp(word) == parsed.word_logp(word)
    for char in "院的瘍𠀀a":
        assert shipped.char_share(char) == parsed.char_share(char)
        assert shipped.char_logp(char) == parsed.char_logp(char)
    assert shipped.leans_forward("各") and not shipped.leans_forward("院")
    assert Lexicon.load(parsed.dumps("test")).word_logp("研究院") == parsed.word_logp("研究院")
    stored = resources.files("jiaokan.encodings").joinpath("data", COMPILED).read_bytes()
    assert Lexicon.load(stored)._freqs == parsed._freqs


def _modules_loaded(command: list[str]) -> list[str]:
    """The heavy modules that running the command line with ``command`` loads, in a fresh process."""
    probe = (
        "import sys\n"
        "from jiaokan.cli import main\n"
        f"try:\n    main({command!r})\n"
        "except SystemExit:\n    pass\n"
        "print(sorted(m for m in ('spacy', 'ftfy', 'pdfplumber', 'pypdfium2', 'pikepdf', 'rapidocr', 'jinja2', 'numpy',\n"
        "                         'multiprocessing', 'charset_normalizer', 'jiaokan.structure') if m in sys.modules))\n"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return ast.literal_eval(loaded.strip().splitlines()[-1])


def test_repairing_text_loads_nothing_but_the_repair(tmp_path):
    assert _modules_loaded(["repair", str(FIXTURES / "notice_clean.txt"), "-o", str(tmp_path / "out.txt")]) == []
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == (FIXTURES / "notice_clean.txt").read_text(encoding="utf-8")


def test_converting_clean_text_loads_neither_the_pdf_stack_nor_spacy_nor_numpy(tmp_path):
    # sentences, responsibility notes, a table
    assert _modules_loaded(["convert", str(FIXTURES / "notice_clean.txt"), "-o", str(tmp_path / "out.json")]) == ["jiaokan.structure"]
    assert (tmp_path / "out.json").stat().st_size > 10_000


def test_converting_a_clean_pdf_loads_neither_ocr_nor_numpy_nor_pikepdf(tmp_path):
    # pdfminer brings charset_normalizer; the glyphs are looked at (ink in the gaps beside hanzi), none recognised
    pdf = FIXTURES.parent / "pdf" / "gazette_clean.pdf"
    loaded = _modules_loaded(["convert", str(pdf), "-o", str(tmp_path / "out.json")])
    assert loaded == ["charset_normalizer", "jiaokan.structure", "pdfplumber", "pypdfium2"]
    assert (tmp_path / "out.json").stat().st_size > 10_000


@cache
def _spacy():
    """The reference: a blank Chinese spaCy pipeline, its sentencizer and a Matcher."""
    import spacy
    from spacy.matcher import Matcher

    nlp = spacy.blank("zh")
    nlp.add_pipe("sentencizer", config={"punct_chars": list(SENTENCE_ENDS)})
    matcher = Matcher(nlp.vocab)
    for words in ("责任单位", "牵头单位"):
        matcher.add("NOTE", [[{"ORTH": {"IN": ["（", "(", "〔"]}}, *({"ORTH": c} for c in words), {"ORTH": {"IN": ["：", ":"]}}]])
    return nlp, matcher


def _texts(pieces: list[str], count: int) -> list[str]:
    """Every line and a long stretch of every text fixture, and random strings of ``pieces``."""
    texts = []
    for path in FIXTURES.rglob("*.txt"):
        whole = path.read_text(encoding="utf-8")
        texts += [whole[:5000], *whole.split("\n")]
    draw = random.Random(7)
    return texts + ["".join(draw.choice(pieces) for _ in range(draw.randint(0, 14))) for _ in range(count)]


def test_sentences_are_split_as_the_sentencizer_splits():
    nlp, _ = _spacy()
    for text in _texts(list("。！？；!?”’）)」』】〕》“（(，、 \n\t\u3000甲乙a1.:-—…·"), 5000):
        assert split_sentences(text) == [s.text.strip() for s in nlp(text).sents if s.text.strip()], text


def test_responsibility_notes_are_found_as_the_matcher_finds_them():
    nlp, matcher = _spacy()
    pieces = ["（", "(", "〔", "责任", "牵头", "单位", "责任单位", "责 任", "单 位", "：", ":", " ", "  ", "\t", "）", "、", "甲"]
    found = 0
    for text in _texts(pieces, 5000):
        doc = nlp.make_doc(text)
        spacy_ends = [doc[:end].text_with_ws for _, _, end in matcher(doc)]
        ours = [text[: m.end()] for m in RESPONSIBILITY_NOTE.finditer(text)]
        assert [e.rstrip(" ") for e in spacy_ends] == [o.rstrip(" ") for o in ours], text
        found += len(ours)
    assert found > 50
    assert responsible_units("推进建设。（责任单位：市建设局、市发展改革委）") == ["市建设局", "市发展改革委"]


def _segmentation_logp(lexicon: Lexicon, text: str) -> float:
    """The best segmentation of ``text`` written plainly: every piece of up to MAX_WORD."""
    scores = [0.0] + [-math.inf] * len(text)
    for end in range(1, len(text) + 1):
        for start in range(max(0, end - MAX_WORD), end):
            piece = text[start:end]
            logp = lexicon.char_logp(piece) if len(piece) == 1 else lexicon.word_logp(piece)
            if logp is not None:
                scores[end] = max(scores[end], scores[start] + logp)
    return scores[-1]


@cache
def _lexicons() -> dict[str, Lexicon]:
    """The shipped lexicon with its lattice computed in C (where built) and in Python."""
    stored = resources.files("jiaokan.encodings").joinpath("data", COMPILED).read_bytes()
    return {"compiled": Lexicon.load(stored), "python": Lexicon.load(stored, lattice=False)}


def test_the_compiled_lattice_is_built_in_ci():
    """The C lattice is optional (a machine without a compiler computes it in Python); CI,
    which has one, must build and use it, or the speed the README reports is not tested."""
    if os.environ.get("CI") != "true":
        pytest.skip("only CI promises a C compiler")
    assert _lexicons()["compiled"].lattice is not None


@pytest.mark.parametrize("lattice", ["compiled", "python"])
def test_the_support_of_a_character_is_the_plain_segmentation_model(lattice):
    lexicon = _lexicons()[lattice]
    if lattice == "compiled" and lexicon.lattice is None:
        pytest.skip("the C lattice was not built here (no compiler)")
    text = (FIXTURES / "gazette_founder.txt").read_text(encoding="utf-8")[:6000]
    rng = random.Random(5)
    checked = covered_seen = 0
    for index in range(4, len(text) - 4):
        window = list(text[index - 4 : index + 5])
        if rng.random() < 0.3:  # a neighbour judged a symbol is masked
            window[rng.choice([0, 1, 2, 3, 5, 6, 7, 8])] = "\x00"
        window = "".join(window)
        words = [window[a:b] for a in range(5) for b in range(5, 10) if 2 <= b - a <= MAX_WORD]
        covered = any(lexicon.word_logp(word) is not None for word in words)
        expected = (
            _segmentation_logp(lexicon, window) - _segmentation_logp(lexicon, window[:4]) - _segmentation_logp(lexicon, window[5:])
            if covered else lexicon.char_logp(window[4])
        )
        assert lexicon.support(window, 4) == (expected, covered), window
        assert lexicon.in_word(window, 4) == covered
        checked += 1
        covered_seen += covered
    assert checked > 5000 and 1000 < covered_seen < checked


def test_the_compiled_lattice_scores_as_the_python_one():
    """Every window of a law and of a gazette, damaged and not, masked here and there, and
    windows of odd lengths (a line's first characters, a long run): the same floats."""
    compiled, python = _lexicons()["compiled"], _lexicons()["python"]
    if compiled.lattice is None:
        pytest.skip("the C lattice was not built here (no compiler)")
    shifted = str.maketrans(FounderShift.build(0x31).to_hanzi)
    law = (FIXTURES / "laws" / "local_regulation.txt").read_text(encoding="utf-8")[:3000]
    text = law + law.translate(shifted) + (FIXTURES / "gazette_founder.txt").read_text(encoding="utf-8")[:3000] + "𠀀研究院𠀀"
    rng = random.Random(7)
    covered = 0
    for index in range(len(text)):
        start, end = max(0, index - rng.choice([0, 2, 4, 4, 4])), index + rng.choice([1, 3, 5, 5, 5, 40])
        window = list(text[start:end])
        if rng.random() < 0.3:
            window[rng.randrange(len(window))] = "\x00"
        window = "".join(window)
        at = min(index - start, len(window) - 1)
        assert compiled.support(window, at) == python.support(window, at), window
        assert compiled.in_word(window, at) == python.in_word(window, at), window
        masked = tuple(j for j in range(index - 4, index + 5) if j != index and rng.random() < 0.2)
        assert compiled.support_around(text, index, masked) == python.support_around(text, index, masked), index
        covered += compiled.in_word(window, at)
    assert covered > 1000
    for bad in (-1, 3):
        with pytest.raises(IndexError):
            compiled.support("研究院", bad)
        with pytest.raises(IndexError):
            compiled.support_around("研究院", bad)


def test_the_rare_hanzi_class_holds_exactly_the_rare_hanzi():
    """The gate's class is built from the lexicon's common characters (no loop over 27,000
    code points): it must hold every hanzi whose share is below the threshold, and no other."""
    from jiaokan.encodings import codepages

    lexicon, rare = Lexicon.default(), codepages._rare_pattern()
    for code in (*range(0x3400, 0x4DC0), *range(0x4E00, 0xA000)):
        assert bool(rare.fullmatch(chr(code))) == (lexicon.char_share(chr(code)) < codepages.RARE_CHAR), hex(code)


def test_the_punctuation_class_is_all_of_unicodes_punctuation():
    """The sentence splitter's class skips the letters-only blocks: it must still be every P*
    code point of the Basic Multilingual Plane."""
    import re
    import unicodedata

    from jiaokan.structure.sentences import _punctuation_class

    punctuation = re.compile(_punctuation_class())
    for code in range(0x10000):
        assert bool(punctuation.fullmatch(chr(code))) == (unicodedata.category(chr(code))[0] == "P"), hex(code)


def test_the_compiled_scorer_scores_as_the_python_one():
    """FounderScorer.score in C and in Python on damaged laws and gazettes, on lines of every
    kind of structural evidence (digits, operators, enumerators, indentation, doubled dashes,
    page decorations, brackets, leaning words) and on random mixtures of candidates and their
    neighbours, in ranges and with clean lines: the same candidates and the same floats."""
    compiled, python = _lexicons()["compiled"], _lexicons()["python"]
    if compiled.lattice is None:
        pytest.skip("the C lattice was not built here (no compiler)")
    from jiaokan.encodings.diagnosis import LineText
    from jiaokan.encodings.founder_scores import FounderScorer

    law = (FIXTURES / "laws" / "local_regulation.txt").read_text(encoding="utf-8")[:4000]
    gazette = (FIXTURES / "gazette_founder.txt").read_text(encoding="utf-8")[:4000]
    symbols = ("\u3000\u3000第一条　本办法自２０２１年３月１日起施行（试行）。\n— 12 —\n·3·\n３＋４＝７，（５－２）×３≥９；"
               "①各单位：②由本院负责……见《通知》——附件１．５％\n\u3000\u3000\u3000〔２０１５〕３号，和、或：\n")
    rng = random.Random(11)
    pieces = list(law + symbols) + ["\U00020000", "\n"]
    mixtures = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 80))) for _ in range(150)]
    checked = 0
    for offset in (0x31, 0x2E):
        shifted = str.maketrans(FounderShift.build(offset).to_hanzi)
        images = "".join(FounderShift.build(offset).to_symbol)
        texts = [law.translate(shifted), gazette, (symbols * 3).translate(shifted), law[:1000] + symbols.translate(shifted)]
        texts += [m.translate(shifted) if rng.random() < 0.5 else m + rng.choice(images) for m in mixtures]
        scorers = FounderScorer(offset, compiled), FounderScorer(offset, python)
        for text in texts:
            lines = LineText.of(text)
            n = len(lines.flat)
            cut = sorted(rng.sample(range(n + 1), min(n + 1, 4)))
            for ranges, clean in ((None, ""), ([(cut[0], cut[1]), (cut[-2], cut[-1])] if len(cut) == 4 else None, law[:500])):
                found = scorers[0].score(lines.flat, lines.starts, ranges, clean)
                assert found == scorers[1].score(lines.flat, lines.starts, ranges, clean), text[:60]
                checked += len(found[0])
    assert checked > 3000


def test_the_sloppy_code_pages_are_windows_with_latin_1_in_the_holes():
    """sloppy-windows-125x (jiaokan.encodings.sloppy): every byte decodes as windows-125x
    where that defines it, as Latin-1 where not, 0x1A as U+FFFD; and encodes back."""
    import codecs

    from jiaokan.encodings import sloppy

    sloppy.register()
    every = bytes(range(256))
    for number in range(1250, 1259):
        decoded = every.decode(f"sloppy-windows-{number}")
        strict = every.decode(f"windows-{number}", errors="replace")
        for byte, char in enumerate(decoded):
            expected = "\ufffd" if byte == 0x1A else strict[byte] if strict[byte] != "\ufffd" else chr(byte)
            assert char == expected, (number, hex(byte))
        assert decoded.encode(f"SLOPPY_windows-{number}") == every
        with pytest.raises(UnicodeEncodeError):
            "中".encode(f"sloppy-windows-{number}")
    with pytest.raises(LookupError):
        codecs.lookup("sloppy-windows-9999")
