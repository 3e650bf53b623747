"""The two entrances, told apart: a PDF goes to ``jiaokan.pdf.convert``, a text file to
``jiaokan.text.convert``; both end in ``jiaokan.structure``."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from jiaokan.conversion import Conversion
from jiaokan.errors import InputFileError
from jiaokan.options import ConvertOptions
from jiaokan.pdf import HEADER_WITHIN, has_pdf_header
from jiaokan.text.convert import convert_text
from jiaokan.text.decode import decode_bytes


def convert_file(
    path: str | Path, options: ConvertOptions = ConvertOptions(), on_page: Callable[[], None] | None = None,
    on_text: Callable[[int], Callable[[int], None] | None] | None = None,
) -> Conversion:
    """Convert a PDF or a text file, told apart by the PDF header (a file named .pdf without
    one is reported as not a PDF, not read as text). For a progress bar: ``on_page`` is
    called as each page of a PDF is done; ``on_text`` with a text's length in characters, and
    what it returns with each block's as it is repaired."""
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            head = handle.read(HEADER_WITHIN)
    except OSError as error:
        raise InputFileError(str(path), f"cannot read the file ({error.strerror or error})") from error
    if has_pdf_header(head) or path.suffix.lower() == ".pdf":
        from jiaokan.pdf.convert import convert_pdf  # the PDF stack loads only for PDFs

        return convert_pdf(path, options, on_page)
    raw = path.read_bytes()
    return convert_text(decode_bytes(raw, str(path)), str(path), raw, options, on_text)
