"""An invisible text layer for scanned pages, from page OCR (what OCRmyPDF does for scans).

Each recognised line is drawn in text render mode 3 (neither filled nor stroked) over its
box, stretched to the box's width, in a font that is not embedded and draws nothing: its
codes are numbered characters and its ToUnicode map gives their text. Viewers then select,
copy and search the words where they are printed, and the page looks exactly as before.
"""

from __future__ import annotations

from typing import Any

from jiaokan.encodings.cmaps import write_tounicode
from jiaokan.pdf.model import Char

FONT = "/JiaokanGlyphless"
# The baseline sits this share of the line height above the bottom of the box.
DESCENT = 0.12


def add_text_layer(pdf: Any, ocr_chars: dict[int, list[Char]]) -> list[int]:
    """Draw the recognised characters of each page (page number → characters in points from
    the top left) invisibly onto ``pdf`` (pikepdf); returns the pages given a layer. Rotated
    pages are left alone (their boxes are in the rotated image's frame)."""
    import pikepdf

    pages = [n for n, chars in sorted(ocr_chars.items()) if chars and not int(pdf.pages[n - 1].obj.get("/Rotate", 0)) % 360]
    if not pages:
        return []
    codes = {text: n for n, text in enumerate(sorted({c.text for p in pages for c in ocr_chars[p]}), start=1)}
    font = _font(pdf, codes)
    for number in pages:
        page = pdf.pages[number - 1]
        name = page.add_resource(font, pikepdf.Name.Font, prefix="JkOCR")
        left, _, _, top = (float(v) for v in page.mediabox)
        drawn = ["Q", "q", "BT", "3 Tr"]
        for run in _runs(ocr_chars[number]):
            size = run[0].bottom - run[0].top
            stretch = 100 * (run[-1].x1 - run[0].x0) / (size * len(run))
            x, y = left + run[0].x0, top - run[0].bottom + DESCENT * size
            text = "".join(f"{codes[c.text]:04X}" for c in run)
            drawn.append(f"{name} {size:.2f} Tf {stretch:.2f} Tz 1 0 0 1 {x:.2f} {y:.2f} Tm <{text}> Tj")
        drawn += ["ET", "Q"]
        page.contents_add(pdf.make_stream(b"q\n"), prepend=True)  # the page's own state ends before ours
        page.contents_add(pdf.make_stream("\n".join(drawn).encode("ascii")), prepend=False)
    return pages


def _runs(chars: list[Char]) -> list[list[Char]]:
    """The characters split into runs that continue one another on one line (an OCR line)."""
    runs: list[list[Char]] = []
    for char in chars:
        last = runs[-1][-1] if runs else None
        if last and last.top == char.top and last.bottom == char.bottom and abs(last.x1 - char.x0) < 0.01:
            runs[-1].append(char)
        else:
            runs.append([char])
    return runs


def _font(pdf: Any, codes: dict[str, int]) -> Any:
    """A composite font that draws nothing, each code one em wide, mapped to ``codes``' text."""
    from pikepdf import Array, Dictionary, Name, String

    descriptor = Dictionary(
        Type=Name.FontDescriptor, FontName=Name(FONT), Flags=4, FontBBox=Array([0, -120, 1000, 880]),
        ItalicAngle=0, Ascent=880, Descent=-120, CapHeight=700, StemV=80,
    )
    descendant = Dictionary(
        Type=Name.Font, Subtype=Name.CIDFontType2, BaseFont=Name(FONT), DW=1000, CIDToGIDMap=Name.Identity,
        CIDSystemInfo=Dictionary(Registry=String("Adobe"), Ordering=String("Identity"), Supplement=0),
        FontDescriptor=pdf.make_indirect(descriptor),
    )
    return pdf.make_indirect(Dictionary(
        Type=Name.Font, Subtype=Name.Type0, BaseFont=Name(FONT), Encoding=Name("/Identity-H"),
        DescendantFonts=Array([pdf.make_indirect(descendant)]),
        ToUnicode=pdf.make_stream(write_tounicode({n: text for text, n in codes.items()}, 2)),
    ))
