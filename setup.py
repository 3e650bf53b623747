"""The compiled word lattice and Founder scorer (jiaokan/encodings/_lattice.c,
_founder_scores.c): optional, so that jiaokan installs where no C compiler is; there both are
computed in Python, with the same results."""

from setuptools import Extension, setup

setup(ext_modules=[Extension(
    "jiaokan.encodings._lattice", ["jiaokan/encodings/_lattice.c", "jiaokan/encodings/_founder_scores.c"],
    depends=["jiaokan/encodings/_lattice.h"], optional=True,
)])
