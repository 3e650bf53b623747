"""The PDF entrance: characters with fonts and boxes, page layout, per-font repair verified by glyph ink."""
