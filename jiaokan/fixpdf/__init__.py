"""Writing the recovery back into a PDF: corrected ToUnicode maps and an OCR text layer."""
