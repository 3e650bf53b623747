"""PDFs with the quirks real producers have, made from the committed gazette fixtures (pikepdf):
each looks exactly like the fixture it is made from, so its text must come out the same."""

from __future__ import annotations

from pathlib import Path

import pikepdf

from jiaokan.encodings.cmaps import read_tounicode, write_tounicode

PDFS = Path(__file__).resolve().parents[1] / "fixtures" / "pdf"
# The punctuation font's own encoding: full-width marks extract as ASCII marks, digits shifted.
OWN_ENCODING = dict(zip("，。、（）：；《》“”〔〕０１２３４５６７８９0123456789", "#$%&'()*+,-./0123456789123456789:"))


def boxes(source: Path, target: Path, dx: float = 0, dy: float = 0, crop: tuple | None = None, rotate: int = 0) -> Path:
    """``source`` with its MediaBox moved by (dx, dy) (the content moved with it), a CropBox
    ``crop`` points (left, bottom, right, top) inside it, and /Rotate."""
    with pikepdf.open(source) as pdf:
        for page in pdf.pages:
            x0, y0, x1, y1 = (float(v) for v in page.mediabox)
            if dx or dy:
                page.contents_add(pdf.make_stream(f"1 0 0 1 {dx} {dy} cm\n".encode()), prepend=True)
                x0, y0, x1, y1 = x0 + dx, y0 + dy, x1 + dx, y1 + dy
                page.MediaBox = [x0, y0, x1, y1]
            if crop:
                page.CropBox = [x0 + crop[0], y0 + crop[1], x1 - crop[2], y1 - crop[3]]
            if rotate:
                page.Rotate = rotate
        pdf.save(target)
    return target


def gbk_font_names(source: Path, target: Path) -> Path:
    """``source`` with its fonts named in GBK bytes, as Word on Chinese Windows names 宋体."""
    with pikepdf.open(source) as pdf:
        for n, (_, font) in enumerate(pdf.pages[0].Resources.Font.items()):
            name = pikepdf.Object.parse(f"/ABCDE{n}+".encode() + "".join(f"#{b:02x}" for b in "宋体".encode("gbk")).encode())
            font.BaseFont = name
            descendant = font.DescendantFonts[0]
            descendant.BaseFont = name
            descendant.FontDescriptor.FontName = name
        pdf.save(target)
    return target


def remapped(source: Path, target: Path, change) -> Path:
    """``source`` with every ToUnicode entry's text passed through ``change`` (``None``: the
    maps taken out), on every page."""
    with pikepdf.open(source) as pdf:
        fonts = {font.objgen: font for page in pdf.pages for _, font in page.Resources.Font.items() if "/ToUnicode" in font}
        for font in fonts.values():
            if change is None:
                del font.ToUnicode
                continue
            mapping, width = read_tounicode(font.ToUnicode.read_bytes())
            font.ToUnicode = pdf.make_stream(write_tounicode({c: change(t) for c, t in mapping.items()}, width))
        pdf.save(target)
    return target


def scanned(source: Path, target: Path, dpi: int = 200) -> Path:
    """``source`` as a scan: each page an image at ``dpi``, no text layer."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(source))
    images = [document[n].render(scale=dpi / 72, grayscale=True).to_pil() for n in range(len(document))]
    document.close()
    images[0].save(target, save_all=True, append_images=images[1:], resolution=dpi)
    return target


def punctuation_font(source: Path, target: Path) -> Path:
    """``source`` with its punctuation and digits drawn from a font of their own (the same
    glyphs) whose map gives them its own encoding: ``#`` where ``，`` is printed."""
    with pikepdf.open(source) as pdf:
        for page in pdf.pages:
            fonts = page.Resources.Font
            own = {}
            for name, font in list(fonts.items()):
                mapping, width = read_tounicode(font.ToUnicode.read_bytes())
                marks = {code: OWN_ENCODING[text] for code, text in mapping.items() if text in OWN_ENCODING}
                descendant = pikepdf.Dictionary({k: v for k, v in font.DescendantFonts[0].items()})
                descriptor = pikepdf.Dictionary({k: v for k, v in descendant.FontDescriptor.items()})
                descriptor.FontName = pikepdf.Name("/PUNCTS+" + str(font.BaseFont)[1:].split("+")[-1])
                descendant.FontDescriptor = pdf.make_indirect(descriptor)
                descendant.BaseFont = descriptor.FontName
                copy = pikepdf.Dictionary({k: v for k, v in font.items()})
                copy.BaseFont = descriptor.FontName
                copy.DescendantFonts = pikepdf.Array([pdf.make_indirect(descendant)])
                copy.ToUnicode = pdf.make_stream(write_tounicode(marks, width))
                fonts[name + "P"] = pdf.make_indirect(copy)
                own[name] = set(marks)
            page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(_split_runs(page, own)))
        pdf.save(target)
    return target


def _split_runs(page, own: dict) -> list:
    """The page's operators with each Tj cut where punctuation begins and ends, the
    punctuation shown in the font of its own."""
    operators, font, size = [], None, None
    for operands, operator in pikepdf.parse_content_stream(page):
        if str(operator) == "Tf":
            font, size = str(operands[0]), operands[1]
        if str(operator) != "Tj" or font not in own:
            operators.append(pikepdf.ContentStreamInstruction(operands, operator))
            continue
        data = bytes(operands[0])
        codes = [data[i : i + 2] for i in range(0, len(data), 2)]
        runs: list[tuple[bool, bytes]] = []
        for code in codes:
            marked = int.from_bytes(code, "big") in own[font]
            if runs and runs[-1][0] == marked:
                runs[-1] = (marked, runs[-1][1] + code)
            else:
                runs.append((marked, code))
        for marked, run in runs:
            if marked:
                operators.append(pikepdf.ContentStreamInstruction([pikepdf.Name(font + "P"), size], pikepdf.Operator("Tf")))
            operators.append(pikepdf.ContentStreamInstruction([pikepdf.String(run)], pikepdf.Operator("Tj")))
            if marked:
                operators.append(pikepdf.ContentStreamInstruction([pikepdf.Name(font), size], pikepdf.Operator("Tf")))
    return operators


def predefined_cmap(target: Path, text: str) -> Path:
    """A page of ``text`` in STSong-Light, not embedded, encoded by the predefined CMap
    UniGB-UCS2-H with no ToUnicode map (as CNKI and iText write Chinese)."""
    pdf = pikepdf.new()
    descendant = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.CIDFontType0, BaseFont=pikepdf.Name("/STSong-Light"),
        CIDSystemInfo=pikepdf.Dictionary(Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("GB1"), Supplement=4),
        FontDescriptor=pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.FontDescriptor, FontName=pikepdf.Name("/STSong-Light"), Flags=6, ItalicAngle=0,
            Ascent=880, Descent=-120, CapHeight=880, StemV=93, FontBBox=pikepdf.Array([-25, -254, 1000, 880]))),
        DW=1000,
    )
    font = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0, BaseFont=pikepdf.Name("/STSong-Light-UniGB-UCS2-H"),
        Encoding=pikepdf.Name("/UniGB-UCS2-H"), DescendantFonts=pikepdf.Array([pdf.make_indirect(descendant)])))
    lines = []
    for n, line in enumerate(text.split("\n")):
        hexed = "".join(f"{ord(c):04X}" for c in line)
        lines.append(f"BT /F1 12 Tf 72 {770 - 20 * n} Td <{hexed}> Tj ET")
    page = pdf.add_blank_page(page_size=(595, 842))
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.Contents = pdf.make_stream("\n".join(lines).encode("ascii"))
    pdf.save(target)
    return target


def positioned_words(target: Path) -> Path:
    """Latin words set apart by position alone (no space characters), with the marks around
    them, and letter-spaced text (3 pt between letters, a wider gap between the words)."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica))
    page = pdf.add_blank_page(page_size=(595, 842))
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.Contents = pdf.make_stream(
        b"BT /F1 12 Tf 72 770 Td (General) Tj 50 0 Td (rules) Tj 30 0 Td (for) Tj 20 0 Td (punctuation) Tj ET\n"
        b"BT /F1 12 Tf 3 Tc 72 740 Td (Vol) Tj 35 0 Td (19) Tj ET\n"
        b"BT /F1 12 Tf 0 Tc 72 710 Td (Heidelberg,) Tj 65 0 Td (Victoria) Tj 47 0 Td (\\(2005\\)) Tj 45 0 Td (253) Tj ET\n"
    )
    pdf.save(target)
    return target


def punctuation_as_ink(source: Path, target: Path) -> Path:
    """``source`` with its ，and 。 printed but not in the text layer (as S22PDF prints them):
    the page shows an image of those marks alone, and the text skips over them."""
    import pypdfium2

    marked = target.with_name("marks-only.pdf")
    with pikepdf.open(source) as pdf:
        for page in pdf.pages:
            codes = _codes_of(page, "，。")
            page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(_marks_only(page, codes, visible=True)))
        pdf.save(marked)
    document = pypdfium2.PdfDocument(str(marked))
    images = [document[n].render(scale=200 / 72, grayscale=True).to_pil() for n in range(len(document))]
    document.close()
    with pikepdf.open(source) as pdf:
        for page, image in zip(pdf.pages, images):
            codes = _codes_of(page, "，。")
            text = pikepdf.unparse_content_stream(_marks_only(page, codes, visible=False))
            width, height = (float(v) for v in page.mediabox[2:])
            picture = pdf.make_stream(image.tobytes(), Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image,
                                      Width=image.width, Height=image.height, ColorSpace=pikepdf.Name.DeviceGray,
                                      BitsPerComponent=8)
            page.Resources.XObject = pikepdf.Dictionary(Marks=picture)
            page.Contents = pdf.make_stream(f"q {width} 0 0 {height} 0 0 cm /Marks Do Q\n".encode() + text)
        pdf.save(target)
    marked.unlink()
    return target


def _codes_of(page, marks: str) -> dict[str, set[int]]:
    """Each font's codes for ``marks``."""
    codes = {}
    for name, font in page.Resources.Font.items():
        mapping, _ = read_tounicode(font.ToUnicode.read_bytes())
        codes[name] = {code for code, text in mapping.items() if text in marks}
    return codes


def _marks_only(page, codes: dict[str, set[int]], visible: bool) -> list:
    """The page's operators with the marks shown alone (``visible``: everything else drawn
    invisibly) or skipped over (the rest drawn as it was)."""
    operators, font = [], None
    for operands, operator in pikepdf.parse_content_stream(page):
        if str(operator) == "Tf":
            font = str(operands[0])
        if str(operator) != "Tj" or font not in codes:
            operators.append(pikepdf.ContentStreamInstruction(operands, operator))
            continue
        data = bytes(operands[0])
        pieces = []
        for i in range(0, len(data), 2):
            marked = int.from_bytes(data[i : i + 2], "big") in codes[font]
            if marked == visible:
                pieces.append(pikepdf.String(data[i : i + 2]))
            else:
                pieces.append(pikepdf.String(data[i : i + 2]) if visible else -1000)
        if visible:  # the rest drawn in render mode 3 (invisible), the marks in mode 0
            for i, piece in enumerate(pieces):
                code = int.from_bytes(bytes(piece), "big")
                mode = 0 if code in codes[font] else 3
                operators.append(pikepdf.ContentStreamInstruction([mode], pikepdf.Operator("Tr")))
                operators.append(pikepdf.ContentStreamInstruction([piece], pikepdf.Operator("Tj")))
            operators.append(pikepdf.ContentStreamInstruction([0], pikepdf.Operator("Tr")))
        else:
            operators.append(pikepdf.ContentStreamInstruction([pikepdf.Array(pieces)], pikepdf.Operator("TJ")))
    return operators


def unembedded_with_cells(source: Path, target: Path, cells: list[str], font: str = "/F1") -> Path:
    """``source`` with ``font``'s glyphs no longer embedded (a viewer draws them in a face of its
    own) and ``cells`` (text in that font, one short line each, as a table's cells) drawn at
    the foot of the last page, below its text (the fixtures' last page ends half-way down)."""
    with pikepdf.open(source) as pdf:
        last = pdf.pages[-1]
        chosen = last.Resources.Font[font]
        mapping, width = read_tounicode(chosen.ToUnicode.read_bytes())
        codes = {text: code for code, text in mapping.items()}
        descriptor = chosen.DescendantFonts[0].FontDescriptor
        for key in ("/FontFile", "/FontFile2", "/FontFile3"):
            if key in descriptor:
                del descriptor[key]
        drawn = "".join(
            f"BT {font} 10 Tf 1 0 0 1 60 {170 - 14 * k} Tm <{''.join(f'{codes[c]:0{2 * width}X}' for c in cell)}> Tj ET\n"
            for k, cell in enumerate(cells)
        )
        last.contents_add(pdf.make_stream(drawn.encode()))
        pdf.save(target)
    return target


def overprinted(source: Path, target: Path, offset: int = 30) -> Path:
    """``source`` with every glyph printed twice, the second ``offset`` thousandths of an em to
    the right (fake bold), each run's glyphs one after the other: ``[a w-30 a 30 b …] TJ``."""
    with pikepdf.open(source) as pdf:
        for page in pdf.pages:
            widths = {str(name): _widths(font.DescendantFonts[0]) for name, font in page.Resources.Font.items()}
            operators, font = [], None
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) == "Tf":
                    font = str(operands[0])
                if str(operator) == "Tj" and font in widths:
                    data = bytes(operands[0])
                    shown: list = []
                    for code in (data[i : i + 2] for i in range(0, len(data), 2)):
                        width = widths[font].get(int.from_bytes(code, "big"), 1000)
                        shown += [pikepdf.String(code), width - offset, pikepdf.String(code), offset]
                    operands, operator = [pikepdf.Array(shown)], pikepdf.Operator("TJ")
                operators.append(pikepdf.ContentStreamInstruction(operands, operator))
            page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(operators))
        pdf.save(target)
    return target


def _widths(descendant) -> dict[int, int]:
    """A CIDFont's glyph widths by code, from its /W array (``c [w …]`` and ``c1 c2 w``)."""
    widths: dict[int, int] = {}
    entries, k = list(descendant.get("/W", [])), 0
    while k < len(entries):
        if isinstance(entries[k + 1], pikepdf.Array):
            widths.update((int(entries[k]) + n, int(w)) for n, w in enumerate(entries[k + 1]))
            k += 2
        else:
            widths.update((code, int(entries[k + 2])) for code in range(int(entries[k]), int(entries[k + 1]) + 1))
            k += 3
    return widths


def ocr_layer(source: Path, image_of: Path, target: Path, shift: float = 5.0) -> Path:
    """``source``'s text drawn invisibly (render mode 3, as an OCR layer is) over a picture of
    ``image_of``'s pages set ``shift`` points to the right: the ink under each character's
    box is not its own glyph (an engine's boxes over a scan)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(image_of))
    images = [document[n].render(scale=2, grayscale=True).to_pil() for n in range(len(document))]
    document.close()
    with pikepdf.open(source) as pdf:
        for page, image in zip(pdf.pages, images):
            x0, y0, x1, y1 = (float(v) for v in page.mediabox)
            scan = pikepdf.Stream(pdf, image.tobytes(), Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image,
                                  Width=image.width, Height=image.height, ColorSpace=pikepdf.Name.DeviceGray,
                                  BitsPerComponent=8)
            page.Resources.XObject = pikepdf.Dictionary(Scan=scan)
            page.contents_add(pdf.make_stream(f"q {x1 - x0} 0 0 {y1 - y0} {x0 + shift} {y0} cm /Scan Do Q 3 Tr\n".encode()),
                              prepend=True)
        pdf.save(target)
    return target


def framed(source: Path, target: Path) -> Path:
    """``source`` with its first page's text boxed in by rules: a frame round the page, a
    narrow empty sidebar down its left edge cut into four boxes (a research report's layout,
    which a table finder takes for a table of one huge cell)."""
    with pikepdf.open(source) as pdf:
        page = pdf.pages[0]
        rules = b"0.5 w 25 30 545 790 re S 50 30 m 50 820 l S" + b"".join(b" 25 %d m 50 %d l S" % (y, y) for y in (230, 430, 630))
        page.contents_add(pdf.make_stream(rules + b"\n"))
        pdf.save(target)
    return target
