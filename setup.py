"""The compiled word lattice (jiaokan/encodings/_lattice.c): optional, so that jiaokan installs
where no C compiler is; there the lattice is computed in Python, with the same results."""

from setuptools import Extension, setup

setup(ext_modules=[Extension("jiaokan.encodings._lattice", ["jiaokan/encodings/_lattice.c"], optional=True)])
