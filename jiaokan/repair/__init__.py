"""Repair shared by both entrances: the stages (mojibake, glyph maps, Founder shifts, t2s) and the log that composes their changes against the input."""
