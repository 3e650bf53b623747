"""What start-up leans on: the lexicon compiled into the package, and the heavy libraries
loaded only on the paths that use them."""

import subprocess
import sys
from importlib import resources
from pathlib import Path

from jiaokan.encodings.lexicon import COMPILED, Lexicon
from jiaokan.structure.clauses import _nlp, _one_sentence


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


def test_converting_text_loads_neither_the_pdf_stack_nor_spacy(tmp_path):
    source = tmp_path / "one.txt"
    source.write_text("关于印发嘉兴市标准创新贡献奖管理办法的通知\n", encoding="utf-8")
    probe = (
        "import sys\n"
        "from jiaokan.cli import main\n"
        f"try:\n    main(['convert', {str(source)!r}, '-o', {str(tmp_path / 'one.json')!r}])\n"
        "except SystemExit:\n    pass\n"
        "print(sorted(m for m in ('spacy', 'pdfplumber', 'pypdfium2', 'pikepdf', 'rapidocr', 'jinja2') if m in sys.modules))\n"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded.strip().splitlines()[-1] == "[]"


def test_one_sentence_is_told_without_the_sentencizer():
    """Where the shortcut says one sentence, the sentencizer agrees (elsewhere it decides)."""
    nlp, _ = _nlp()
    texts = ["推进建设。", "推进建设", "“推进建设。”", "推进建设。（责任单位：市建设局）", "一。二。", "完成。 ”", "", "是吗？！ "]
    told = [text for text in texts if _one_sentence(text)]
    assert told == ["推进建设。", "推进建设", "“推进建设。”", "", "是吗？！ "]
    for text in told:
        assert [s.text.strip() for s in nlp(text).sents if s.text.strip()] == ([text.strip()] if text.strip() else [])
