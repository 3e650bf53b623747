"""Damage clean texts on purpose; the repair must give them back."""


import pytest
from rapidfuzz.distance import Levenshtein

from jiaokan import apply_repairs, repair_text
from jiaokan.encodings import damage
from jiaokan.encodings.codepages import PAIRS, SINGLE_BYTE_READS

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
    return Levenshtein.distance(reference, hypothesis)


def cer(reference: str, hypothesis: str) -> float:
    return errors(reference, hypothesis) / len(reference)


def line_error(reference: str, hypothesis: str) -> float:
    """Character error line by line (a misreading keeps the lines), over the reference's length."""
    return sum(errors(a, b) for a, b in zip(reference.split("\n"), hypothesis.split("\n"))) / len(reference)


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


@pytest.mark.parametrize("text", [
    "Café crème brûlée 在北京举行，参加者有François Müller和José García。",
    "莫斯科（Москва）是俄罗斯首都。Привет мир, это тест。",
    "东京（東京スカイツリー）的日语写法为とうきょう。",
    "韩国首尔（서울특별시）人口约一千万。",
    "温度控制在25±5°C，误差≤0.5‰；系数α、β、γ分别取0.1、0.2、0.3。",
    "┌──┬──┐\n│名称│数量│\n└──┴──┘",
    "北京（Běijīng）的拼音，吕（lǚ）。ÄÖÜ äöü ß 德语字母，Ελλάδα 希腊。",
    "Ñandú élève über naïve façade résumé Zürich Ökonomie",
    "“——”……·•™€ Ｗｏｒｄ全角 ©2024 ®",
    "申请人××××，被申请人××，××公司与×××。",
    "禁止露天焚烧秸秆，推广秸秆还田。",
])
def test_other_scripts_and_symbols_are_not_mojibake(text):
    result = repair_text(text)
    assert result.text == text and result.repairs == ()


@pytest.mark.parametrize("text", [
    # each came back with hanzi in it (öße 银e, Żółw 草逕, ğıy 瘕y, éé 殚, élém 邢性, ’à 响)
    "Die Bundesregierung hat beschlossen, dass die Förderung früher endet. Überraschend für viele Bürger; "
    "größere Änderungen folgen.\nMüller sagte, die Kürzung sei nötig.",
    "Ministerstwo ogłosiło, że źródła finansowania będą dostępne w przyszłym miesiącu. Żółw był szybszy niż zając.",
    "Türkiye Büyük Millet Meclisi'nde yapılan görüşmelerde değişiklik önerisi kabul edildi. Şu anda İstanbul'da yağmur yağıyor.",
    "Le PDTA 2014 a aussi créé des partenariats avec des organismes comme Sentiers Chelsea.\n"
    "Synthèse du résultat : des pistes sécuritaires sont des éléments clés qui favorisent le transport actif.\n"
    "De la mi-août jusqu’à la fin septembre, la plateforme a été disponible pour que les résidents participent.",
])
def test_latin_script_languages_keep_their_accented_letters(text):
    """A French, German, Polish or Turkish text: its accented letters stand inside words of
    ASCII letters, where no misreading of Chinese puts them."""
    result = repair_text(text)
    assert result.text == text and result.repairs == ()


def test_japanese_keeps_its_kana():
    """Big5 read as GBK makes hiragana of the commonest hanzi (中 A4A4 is い), but hiragana make
    at most 17% of such a text's CJK characters: a third or more is Japanese."""
    text = ("漢方の考え方では、体のバランスが大切だとされています。いいいて、と言われても困ります。\n"
            "彼が来る筈のない場所に、彼はいた。それは、もう少し前のことでした。私たちは駅で待っていましたが、"
            "電車はなかなか来ませんでした。")
    result = repair_text(text)  # いいいて came back 中中中化
    assert result.text == text and result.repairs == ()


# iso8859-7 leaves three bytes undefined: a lossy misreading
LOSSLESS = [(w, r) for w, r in PAIRS if r in SINGLE_BYTE_READS and r != "iso8859-7" and w != "big5"]


@pytest.mark.parametrize("written, read", LOSSLESS, ids=lambda p: p)
def test_every_single_byte_misreading_of_a_real_notice(written, read):
    text = CLEAN_FILES[0].read_text(encoding="utf-8")
    damaged = damage.mojibake(text, written, read)
    assert cer(text, damaged) > 0.5
    assert cer(text, repair_text(damaged).text) <= 0.002


@pytest.mark.parametrize("written", ["gbk", "utf-8"])
@pytest.mark.parametrize("read", ["koi8-r", "sloppy-windows-1251", "iso8859-5", "sloppy-windows-1253"])
def test_cyrillic_and_greek_misreadings_of_every_clean_text_come_back_whole(written, read):
    """GB2312 holds Greek and Cyrillic, so they score as symbols; in a text known to be misread
    into them they are junk, down to a line of one hanzi (1.氯 read as KOI8-R is 1.бх)."""
    for path in CLEAN_FILES:
        text = path.read_text(encoding="utf-8")
        assert repair_text(damage.mojibake(text, written, read)).text == text, path.name


@pytest.mark.parametrize("read", [r for w, r in LOSSLESS if w == "gbk"])
def test_big5_text_misread_by_single_byte_code_pages(read):
    import opencc

    text = opencc.OpenCC("s2tw").convert(CLEAN_FILES[0].read_text(encoding="utf-8"))
    damaged = damage.mojibake(text, "big5", read)
    assert cer(text, repair_text(damaged).text) <= 0.002


@pytest.mark.parametrize("written, read, times", [("utf-8", "latin-1", 2), ("utf-8", "sloppy-windows-1252", 2)])
def test_repeated_misreadings(written, read, times):
    """Every clean text, down to a line of one hanzi: 1.氯 read as Latin-1 twice is 1.Ã¦Â°Â¯,
    whose well-formed UTF-8 in both rounds outweighs GBK read as cp850's 禽而额."""
    for path in CLEAN_FILES:
        text = path.read_text(encoding="utf-8")
        damaged = text
        for _ in range(times):
            damaged = damage.mojibake(damaged, written, read)
        assert cer(text, repair_text(damaged).text) <= 0.002, path.name


LOSSY = [("utf-8", "gbk"), ("utf-8", "shift_jis"), ("gbk", "big5"), ("big5", "gbk"), ("gbk", "iso8859-7"), ("utf-8", "euc-kr")]


@pytest.mark.parametrize("written, read", LOSSY, ids=lambda p: p)
def test_lossy_misreadings_recover_what_the_bytes_determine(written, read):
    text = CLEAN_FILES[0].read_text(encoding="utf-8")
    if written == "big5":
        import opencc

        text = opencc.OpenCC("s2tw").convert(text)
    damaged = damage.mojibake(text, written, read, lossy=True)
    lost = damage.lost_share(text, [(written, read)])
    result = repair_text(damaged)
    per_line = line_error(text, result.text)
    assert per_line <= lost + 0.002
    [finding] = [f for f in result.diagnosis if f.scope == "document" and f.damage == f"mojibake:{written} read as {read}"]
    assert finding.evidence["lost"] > 0


@pytest.mark.parametrize("read", ["shift_jis", "euc-kr"])
def test_short_texts_misread_as_shift_jis_or_euc_kr_recover_what_the_bytes_determine(read):
    """Kana and hangul are junk in a text known to be misread into them, down to a line of one
    hanzi (1.氯 in UTF-8 read as Shift-JIS is 1.豌ｯ, its half-width kana no symbol)."""
    for path in CLEAN_FILES:
        text = path.read_text(encoding="utf-8")
        result = repair_text(damage.mojibake(text, "utf-8", read, lossy=True))
        per_line = line_error(text, result.text)
        assert per_line <= damage.lost_share(text, [("utf-8", read)]) + 0.002, path.name


@pytest.mark.parametrize("read", ["koi8-r", "gbk"])
def test_every_text_misread_once_from_big5_is_read_back_once(read):
    """某某某 (a name left out) in Big5 read as KOI8-R is ╛Y╛Y╛Y, read as GBK 琘琘琘: a text
    misread once is read back once, not as 后后后 (two misreadings the text never showed) nor
    as 議議議 (GBK read as Big5 twice), even where a short text shows little else."""
    import opencc

    for path in CLEAN_FILES:
        text = opencc.OpenCC("s2t").convert(path.read_text(encoding="utf-8"))
        result = repair_text(damage.mojibake(text, "big5", read, lossy=True))
        per_line = line_error(text, result.text)
        assert per_line <= damage.lost_share(text, [("big5", read)]) + 0.002, path.name


def test_the_characters_a_lossy_misreading_loses_are_counted_through_every_round():
    # 年 is E5 B9 B4: GBK reads E5 B9 as one character and cannot read B4 before the 1
    assert damage.lost_share("年1", [("utf-8", "gbk")]) == 0.5
    assert damage.lost_share("年1", [("gbk", "latin-1")]) == 0.0
    # the first round's 骞 and U+FFFD, written as UTF-8, come back as 楠烇拷 and lose nothing more
    assert damage.mojibake(damage.mojibake("年1", "utf-8", "gbk", lossy=True), "utf-8", "gbk", lossy=True) == "楠烇拷1"
    assert damage.lost_share("年1", [("utf-8", "gbk")] * 2) == 0.5


@pytest.mark.parametrize("path", CLEAN_FILES, ids=lambda p: p.name)
def test_the_clean_lines_of_a_text_misread_as_big5_stay_as_they_are(path):
    """Lines Big5 cannot write (爲) were never misread: in a text misread throughout, none of
    their common characters is taken for a misreading (隱 would read as 留, 證 as 名), nor
    undone through a misreading and its reverse (嚴 lost reading Big5 as GBK, then GBK as Big5),
    nor read as kana it did not hold (“引誘 as ¨ま护)."""
    import opencc

    text = opencc.OpenCC("s2t").convert(path.read_text(encoding="utf-8"))
    damaged = damage.mojibake(text, "big5", "gbk", lossy=True)
    kept = [n for n, (a, b) in enumerate(zip(text.split("\n"), damaged.split("\n"))) if a == b and not a.isascii()]
    assert kept
    repaired = repair_text(damaged).text.split("\n")
    assert [repaired[n] for n in kept] == [text.split("\n")[n] for n in kept]


def test_no_break_spaces_padding_a_line_are_no_misreading():
    """A law as a collection publishes it: four no-break spaces after a clause's full stop
    (mac-roman writes each as CA, and GBK reads CA CA as 适)."""
    text = "因施工造成供水设施损坏的，施工单位应当立即告知供水企业进行修复，并承担修复费用、赔偿损失。\xa0\xa0\xa0\xa0\n\n第十七条"
    assert repair_text(text).repairs == ()


@pytest.mark.parametrize("path", CLEAN_FILES[:5], ids=lambda p: p.name)
def test_a_text_that_lost_characters_then_misread_again_is_undone_in_rounds(path):
    """UTF-8 read as GBK (losing bytes), saved, then read as Latin-1: the U+FFFD of the first
    misreading show as ï¿½, so undoing the second may leave lost characters; GBK's pinyin
    letters (à, é) stand among the hanzi the first round gives back. Where the first round
    reads as junk under UTF-8 and GBK alike, the text's other lines decide."""
    text = path.read_text(encoding="utf-8")
    damaged = damage.mojibake(damage.mojibake(text, "utf-8", "gbk", lossy=True), "utf-8", "latin-1")
    result = repair_text(damaged)
    per_line = line_error(text, result.text)
    assert per_line <= damage.lost_share(text, [("utf-8", "gbk"), ("utf-8", "latin-1")]) + 0.002
    assert "mojibake:utf-8 read as latin-1, then utf-8 read as gbk" in {f.damage for f in result.diagnosis}


@pytest.mark.parametrize("path", CLEAN_FILES[:5], ids=lambda p: p.name)
def test_a_text_misread_as_shift_jis_then_as_cp1252_is_undone_in_rounds(path):
    """The first round gives back Shift-JIS junk (half-width kana among rare hanzi); where it
    went two deep on some lines, the next round knows what the others still show."""
    chain = [("utf-8", "shift_jis"), ("utf-8", "sloppy-windows-1252")]
    text = path.read_text(encoding="utf-8")
    damaged = damage.mojibake(damage.mojibake(text, *chain[0], lossy=True), *chain[1])
    result = repair_text(damaged)
    per_line = line_error(text, result.text)
    assert per_line <= damage.lost_share(text, chain) + 0.01


@pytest.mark.parametrize("path", CLEAN_FILES[:3], ids=lambda p: p.name)
def test_a_misreading_repeated_is_undone_in_rounds(path):
    """UTF-8 read as GBK twice: each round of re-reading shows the next misreading, and every
    character whose bytes survived both rounds comes back (the second round loses whole
    characters of the first, two bytes of the text, often of two of its characters)."""
    text = path.read_text(encoding="utf-8")
    damaged = text
    for _ in range(2):
        damaged = damage.mojibake(damaged, "utf-8", "gbk", lossy=True)
    result = repair_text(damaged)
    per_line = line_error(text, result.text)
    assert per_line <= damage.lost_share(text, [("utf-8", "gbk")] * 2) + 0.002
    assert "mojibake:utf-8 read as gbk twice" in {f.damage for f in result.diagnosis if f.scope == "document"}


@pytest.mark.parametrize("written, read", [("utf-8", "sloppy-windows-1252"), ("utf-8", "latin-1"), ("gbk", "latin-1")])
def test_misread_text_copied_with_its_no_break_spaces_made_spaces(written, read):
    """Byte A0 read as a no-break space, which copying from a page turns into a space: 根 is
    E6 A0 B9, shown as "æ ¹"; the spaces the text really has stay."""
    for path in CLEAN_FILES[:3]:
        text = path.read_text(encoding="utf-8")
        damaged = damage.mojibake(text, written, read).replace("\xa0", " ")
        assert " " in damaged and "\xa0" not in damaged
        assert repair_text(damaged).text == text
