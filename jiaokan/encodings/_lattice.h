/* What the compiled Founder scorer (_founder_scores.c) uses of the compiled lattice
 * (_lattice.c): one extension module, jiaokan.encodings._lattice, built from both. */

#ifndef JIAOKAN_LATTICE_H
#define JIAOKAN_LATTICE_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>

#define MAX_WORD 5  /* lexicon.MAX_WORD */

typedef struct Lattice Lattice;
extern PyTypeObject LatticeType;

/* Lexicon.support_around: the support of text[index] in its window, the ``n_masked``
 * positions of text in ``masked`` read as MASK; 0, or -1 with an exception set. */
int jk_support_around(Lattice *self, PyObject *text, Py_ssize_t index, const Py_ssize_t *masked, Py_ssize_t n_masked,
                      double *value, int *covered);

/* Whether text[start:end] is a known word (Lexicon.word_logp is not None): 1, 0, or -1
 * with an exception set. */
int jk_is_word(Lattice *self, PyObject *text, Py_ssize_t start, Py_ssize_t end);

/* founder_scores.score_candidates, the module's function. */
PyObject *jk_score_candidates(PyObject *module, PyObject *args);

#endif
