"""Write the recovery back into the PDF: corrected ToUnicode maps, pages untouched.

One glyph code of a font is one glyph, so a repair decided for the occurrences of a code
(a Founder symbol verified by its ink, a Kangxi radical, a recognised glyph of a font without
a map) belongs in the font's ToUnicode map, where every viewer and extractor will read it.
Only fonts with such decisions get a new map; content streams, images and the other objects
are written back as they were. A code whose occurrences were read differently, or whose
lowest confidence is under the threshold, is left as found and reported. Pages without a
text layer can get an invisible one from page OCR (``pdf_text_layer``). Encrypted and signed
files are refused unless forced; the document information records the correction.
"""

from __future__ import annotations

import json
import os
import zlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from jiaokan import __version__
from jiaokan.encodings.cmaps import read_tounicode, write_tounicode
from jiaokan.errors import DamagedPdfError, EncryptedPdfError, SignedPdfError, UsageError
from jiaokan.files import copy_atomic, same_file, temporary_path
from jiaokan.options import FIX_PDF_MIN_CONFIDENCE, ConvertOptions
from jiaokan.conversion import Conversion
from jiaokan.pdf.convert import convert_pdf
from jiaokan.pdf.read import require_pdf
from jiaokan.pdf.repair import CodeReading
from jiaokan.fixpdf.text_layer import add_text_layer

MIN_CONFIDENCE = FIX_PDF_MIN_CONFIDENCE
METADATA_KEY = "/JiaokanTextLayer"


@dataclass(frozen=True)
class CodeFix:
    """One glyph code's new text, with what the map said and why it changes."""

    font: str
    code: int
    found: str
    meant: str
    method: str
    confidence: float


@dataclass
class FixReport:
    """What fix-pdf did to one file."""

    input: str
    output: str
    fixes: list[CodeFix] = field(default_factory=list)
    fonts: list[str] = field(default_factory=list)
    doubtful: list[dict[str, Any]] = field(default_factory=list)
    text_layer_pages: list[int] = field(default_factory=list)
    untouched: list[str] = field(default_factory=list)  # damage found that no change answers

    @property
    def changed(self) -> bool:
        return bool(self.fonts or self.text_layer_pages)

    def summary(self) -> str:
        if not self.changed:
            return f"{self.output}: nothing corrected in {self.input}; copied unchanged" + "".join(
                f"; {note}" for note in self.untouched)
        parts = [f"{len(self.fixes)} glyph codes remapped in {len(self.fonts)} font(s)"] if self.fonts else []
        if self.text_layer_pages:
            parts.append(f"an OCR text layer on pages {', '.join(map(str, self.text_layer_pages))}")
        if self.doubtful:
            parts.append(f"{len(self.doubtful)} doubtful code(s) left as found")
        return f"wrote {self.output}: " + "; ".join(parts + self.untouched)

    def to_dict(self) -> dict[str, Any]:
        return {
            "input": self.input, "output": self.output, "fonts": self.fonts,
            "fixes": [asdict(fix) for fix in self.fixes], "doubtful": self.doubtful,
            "text_layer_pages": self.text_layer_pages, "untouched": self.untouched,
        }


def plan_fixes(codes: dict[tuple[str, int], CodeReading], min_confidence: float) -> tuple[list[CodeFix], list[dict]]:
    """The codes whose map changes, and the doubtful ones left as found (with the reason)."""
    fixes, doubtful = [], []
    for (font, code), reading in sorted(codes.items()):
        if reading.method is None:
            continue
        why = None
        meant = reading.readings.most_common(1)[0][0] if reading.readings else ""
        if reading.joined:
            why = f"it was repaired together with its neighbours ({reading.joined}): one glyph code cannot carry that"
        elif len(reading.readings) > 1:
            why = "its occurrences were read differently: " + ", ".join(f"{t!r}×{n}" for t, n in reading.readings.most_common())
        elif not meant:
            why = "the glyph was not recognised"
        elif reading.confidence < min_confidence:
            why = f"confidence {reading.confidence:g} is below {min_confidence:g}"
        if why:
            doubtful.append({"font": font, "code": code, "found": reading.found, "method": reading.method,
                             "confidence": reading.confidence, "why": why})
        elif meant != reading.found:
            fixes.append(CodeFix(font, code, reading.found, meant, reading.method, reading.confidence))
    return fixes, doubtful


def fix_pdf(
    path: str | Path,
    output: str | Path,
    min_confidence: float = MIN_CONFIDENCE,
    options: ConvertOptions = ConvertOptions(),
    ocr_layer: bool = False,
    force: bool = False,
    conversion: Conversion | None = None,
) -> FixReport:
    """Write ``path`` to ``output`` with its damaged fonts' ToUnicode maps corrected, and
    with ``ocr_layer`` an invisible text layer on pages that had none.

    ``conversion`` (a ``Conversion`` of ``path``) saves converting again; else ``options``
    go to the conversion (with OCR mode "never", fonts without a map and scanned pages are
    left unread). Encrypted and signed files are refused unless ``force``."""
    if same_file(path, output):
        raise UsageError(str(output), "the output must not overwrite the input")
    with _open(path, force) as pdf:
        conversion = conversion or convert_pdf(path, options)
        fixes, doubtful = plan_fixes(conversion.pdf.codes, min_confidence)
        report = FixReport(str(path), str(output), fixes, doubtful=doubtful)
        by_font: dict[str, dict[int, CodeFix]] = defaultdict(dict)
        for fix in fixes:
            by_font[fix.font][fix.code] = fix
        report.fonts = sorted({name for name, font in list(_fonts(pdf)) if name in by_font and _remap(pdf, font, by_font[name])})
        report.fixes = [fix for fix in fixes if fix.font in report.fonts]
        if ocr_layer:
            report.text_layer_pages = add_text_layer(pdf, conversion.pdf.ocr_chars)
        report.untouched = _untouched(conversion, report, ocr_layer)
        if not report.changed:
            copy_atomic(path, output)
            return report
        pdf.docinfo[METADATA_KEY] = json.dumps({
            "corrected_by": f"jiaokan {__version__}", "fonts": report.fonts, "codes": len(report.fixes),
            "lowest_confidence": min((fix.confidence for fix in report.fixes), default=None),
            "min_confidence": min_confidence, "left_as_found": len(doubtful),
            "ocr_text_layer_pages": report.text_layer_pages,
        })
        _save(pdf, output)
    return report


def _untouched(conversion: Conversion, report: FixReport, ocr_layer: bool) -> list[str]:
    """The damage the conversion found that the fixed file does not answer, said plainly."""
    notes = [f"font {f.where}: {f.damage} found, no glyph code could be remapped"
             for f in conversion.repair.diagnosis if f.scope == "font" and f.where not in report.fonts]
    scanned = sorted(set(conversion.pdf.ocr_chars) - set(report.text_layer_pages))
    if scanned:
        why = "with --ocr-layer they get one" if not ocr_layer else "rotated pages are left alone"
        notes.append(f"pages {', '.join(map(str, scanned))} have no text layer ({why})")
    return notes


def _open(path: str | Path, force: bool) -> Any:
    """The PDF opened with pikepdf; encrypted and signed files refused unless ``force``."""
    import pikepdf

    name = str(path)
    require_pdf(path)
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError as error:
        raise EncryptedPdfError(name, "the PDF is encrypted; decrypt it first (e.g. qpdf --decrypt)") from error
    except (pikepdf.PdfError, OSError) as error:
        raise DamagedPdfError(name, f"cannot open the PDF ({error})") from error
    if force:
        return pdf
    form = pdf.Root.get("/AcroForm")
    if pdf.is_encrypted:
        refusal = EncryptedPdfError(name, "the PDF is encrypted (an owner password): a rewrite changes it (use --force to go ahead)")
    elif form is not None and (
        int(form.get("/SigFlags", 0)) & 1 or any(f.get("/FT") == "/Sig" and "/V" in f for f in form.get("/Fields", []))
    ):
        refusal = SignedPdfError(name, "the PDF is digitally signed: a rewrite would break the signature (use --force to go ahead)")
    else:
        return pdf
    pdf.close()
    raise refusal


def _save(pdf: Any, output: str | Path) -> None:
    """Write atomically; streams are copied as they are, not recompressed."""
    import pikepdf

    temporary = temporary_path(output)
    try:
        pdf.save(temporary, compress_streams=False, object_stream_mode=pikepdf.ObjectStreamMode.preserve)
        os.replace(temporary, output)
    finally:
        temporary.unlink(missing_ok=True)


def _fonts(pdf: Any) -> Iterator[tuple[str, Any]]:
    """(name, font dictionary) of every font the pages and their forms use, each once."""
    seen: set[tuple[int, int]] = set()

    def walk(resources: Any) -> Iterator[tuple[str, Any]]:
        for _, font in (resources.get("/Font") or {}).items():
            if font.objgen not in seen:
                seen.add(font.objgen)
                yield str(font.get("/BaseFont", "")).lstrip("/"), font
        for _, xobject in (resources.get("/XObject") or {}).items():
            if xobject.get("/Subtype") == "/Form" and "/Resources" in xobject and xobject.objgen not in seen:
                seen.add(xobject.objgen)
                yield from walk(xobject.Resources)

    for page in pdf.pages:
        yield from walk(page.obj.get("/Resources") or {})


def _remap(pdf: Any, font: Any, fixes: dict[int, CodeFix]) -> bool:
    """Put ``fixes`` into the font's ToUnicode map; only codes whose present entry is the text
    that was found change (another font of the same name keeps its own). True if changed.
    A composite font encoded through a CMap other than Identity is left alone: the codes
    read (CIDs) are not the byte codes its ToUnicode map is keyed by."""
    import pikepdf

    if font.get("/Subtype") == "/Type0" and str(font.get("/Encoding")) not in ("/Identity-H", "/Identity-V"):
        return False
    if "/ToUnicode" in font:
        mapping, width = read_tounicode(font.ToUnicode.read_bytes())
    else:
        mapping, width = {}, 2 if font.get("/Subtype") == "/Type0" else 1
    changed = False
    for code, fix in fixes.items():
        if mapping.get(code, fix.found) == fix.found:
            mapping[code] = fix.meant
            changed = True
    if changed:
        stream = pdf.make_stream(zlib.compress(write_tounicode(mapping, width)))
        stream.Filter = pikepdf.Name.FlateDecode
        font.ToUnicode = stream
    return changed
