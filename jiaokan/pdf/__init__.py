"""The PDF entrance: characters with fonts and boxes, page layout, per-font repair verified by glyph ink."""

# Where a PDF's header may stand: readers take it anywhere in the first 1024 bytes, after
# whatever a printer driver wrote first (a Ghostscript banner, a mail header).
HEADER_WITHIN = 1024


def has_pdf_header(head: bytes) -> bool:
    """Whether the first bytes of a file hold a PDF header (%PDF-) where readers look for it."""
    return b"%PDF-" in head[:HEADER_WITHIN]
