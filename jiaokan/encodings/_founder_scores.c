/* FounderScorer.score compiled: every candidate of one shift in a flattened text, with its
 * final log-likelihood ratio (founder_scores.py says what each piece of evidence means).
 *
 * In Python a candidate went through a dozen passes of dictionaries keyed by position, about
 * 5 µs each; here the passes run over arrays in the order of the text. Every number is
 * computed as FounderScorer.score computes it, pass for pass and operation for operation,
 * added to a candidate's ratio where the Python adds it, so both give the same floats: tests
 * compare them. What Python knows is handed in as tables (FounderScorer._compiled_tables):
 * per candidate hanzi its symbol's roles (S_ bits), per character its classes (C_ bits), the
 * weights in the order of WEIGHTS.
 */

#include "_lattice.h"

/* A symbol's roles (founder_scores.SYMBOL_ROLES, in order). */
#define S_BREAK 1
#define S_LOCAL 2
#define S_DIGIT 4
#define S_JOINER 8
#define S_CONTEXT_BOUND 16
#define S_OPERATOR 32
#define S_ENUMERATOR 64
#define S_INDENT 128
#define S_DOUBLED 256
#define S_DECORATION 512
#define S_OPENING 1024
#define S_ADJACENT_BREAK 2048
#define S_ENUMERATION_COMMA 4096

/* A character's classes (founder_scores.CHAR_CLASSES, in order). */
#define C_DIGIT 1
#define C_CLOSING 2
#define C_OPENING 4
#define C_UNIT_BEFORE 8
#define C_UNIT_AFTER 16
#define C_BREAK 32
#define C_CONJUNCTION 64
#define C_LEANING 128

/* founder_scores.WEIGHTS, in order. */
enum { PAIR_REACH, PAIR_CAP, DIGIT_NEIGHBOUR, OUT_OF_CONTEXT, INDENT, DOUBLED, DOCUMENT_WEIGHT, DOCUMENT_MIN,
       LEANING_BEFORE_BREAK, PAIR_FLOOR, ADJACENT_PENALTY, CONJUNCTION_PENALTY, CLEAN_USAGE, N_WEIGHTS };

#define BMP 0x10000
#define NO_KIND 0xFFFF

/* What a candidate hanzi stands for: the table's entry. */
typedef struct {
    PyObject *hanzi, *symbol_text;  /* borrowed from the table */
    Py_UCS4 symbol, partner;
    double prior, p_char;
    long roles;
} Kind;

/* The text and its candidates, in the order of the text. */
typedef struct {
    PyObject *flat;
    int text_kind;
    const void *data;
    Py_ssize_t length;
    const unsigned char *classes;  /* per BMP character */
    const Py_ssize_t *starts;
    Py_ssize_t n_starts;
    Kind *kinds;
    Py_ssize_t *at;       /* each candidate's index in flat */
    uint16_t *kind;       /* each candidate's kind */
    double *llr, *support, *bonus;
    char *covered, *has;  /* a word covers it; it has a bonus in the current pass */
    Py_ssize_t n;
} Text;

static Py_UCS4
char_at(const Text *t, Py_ssize_t j)
{
    return PyUnicode_READ(t->text_kind, t->data, j);
}

static int
classes_of(const Text *t, Py_UCS4 c)
{
    return c < BMP ? t->classes[c] : 0;
}

/* The candidate at index j of flat, looked for from candidate k (one of them) outwards, or -1. */
static Py_ssize_t
candidate_at(const Text *t, Py_ssize_t k, Py_ssize_t j)
{
    Py_ssize_t m = k;
    while (m > 0 && t->at[m] > j)
        m--;
    while (m + 1 < t->n && t->at[m] < j)
        m++;
    return t->at[m] == j ? m : -1;
}

/* shows(j, symbols) of _local_evidence: position j holds a character of class ``class``,
 * as it stands or as a candidate's symbol. */
static int
shows(const Text *t, Py_ssize_t k, Py_ssize_t j, int class)
{
    Py_ssize_t m;
    if (j < 0 || j >= t->length)
        return 0;
    if (classes_of(t, char_at(t, j)) & class)
        return 1;
    m = candidate_at(t, k, j);
    return m >= 0 && classes_of(t, t->kinds[t->kind[m]].symbol) & class;
}

static Py_UCS4
symbol_at(const Text *t, Py_ssize_t k, Py_ssize_t j)
{
    Py_ssize_t m = candidate_at(t, k, j);
    return m >= 0 ? t->kinds[t->kind[m]].symbol : (Py_UCS4)-1;
}

static int
is_line_start(const Text *t, Py_ssize_t j)
{
    Py_ssize_t lo = 0, hi = t->n_starts;
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        if (t->starts[mid] == j)
            return 1;
        if (t->starts[mid] < j)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* lexicon.is_hanzi */
static int
is_hanzi(Py_UCS4 c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF);
}

/* date_sides of _local_evidence. */
static int
date_sides(const Text *t, Py_ssize_t k, Py_ssize_t i)
{
    int unit_after = i + 1 < t->length && classes_of(t, char_at(t, i + 1)) & C_UNIT_AFTER;
    int unit_before = 0 < i && classes_of(t, char_at(t, i - 1)) & C_UNIT_BEFORE && shows(t, k, i - 2, C_DIGIT);
    return unit_before ? unit_before + unit_after : unit_after && shows(t, k, i + 2, C_DIGIT);
}

/* FounderScorer._local_evidence, candidate k: -1 on error, else whether it has a bonus. */
static int
local_evidence(Lattice *lattice, const Text *t, Py_ssize_t k, const double *w, PyObject *decorated, double *bonus)
{
    Py_ssize_t i = t->at[k];
    const Kind *kind = &t->kinds[t->kind[k]];
    long roles = kind->roles;
    if (roles & S_BREAK && i > 0 && classes_of(t, char_at(t, i - 1)) & C_LEANING) {
        int word = i < 2 ? 0 : jk_is_word(lattice, t->flat, i - 2, i);
        if (word < 0)
            return -1;
        *bonus = w[LEANING_BEFORE_BREAK];
        return !word;
    }
    if (!(roles & S_LOCAL))
        return 0;
    if (roles & S_DIGIT) {
        int neighbours = shows(t, k, i - 1, C_DIGIT) + shows(t, k, i + 1, C_DIGIT);
        if (!neighbours)
            neighbours = date_sides(t, k, i);
        *bonus = neighbours ? w[DIGIT_NEIGHBOUR] * neighbours : w[OUT_OF_CONTEXT];
        return 1;
    }
    if (roles & S_JOINER) {
        if (shows(t, k, i - 1, C_DIGIT)) {
            *bonus = w[DIGIT_NEIGHBOUR] * (1 + shows(t, k, i + 1, C_DIGIT));
            return 1;
        }
        *bonus = w[OUT_OF_CONTEXT];
        return (roles & S_CONTEXT_BOUND) != 0;
    }
    if (roles & S_OPERATOR) {
        double before = shows(t, k, i - 1, C_CLOSING) || shows(t, k, i - 1, C_DIGIT) ? 1.0
                        : shows(t, k, i - 2, C_DIGIT) / 2.0;
        int after = shows(t, k, i + 1, C_OPENING) || shows(t, k, i + 1, C_DIGIT);
        *bonus = before != 0.0 && after ? w[DIGIT_NEIGHBOUR] * (before + after) : 0.0;
        return 1;
    }
    if (roles & S_ENUMERATOR) {
        int opens_item = is_line_start(t, i) || i == 0 || !is_hanzi(char_at(t, i - 1)) || candidate_at(t, k, i - 1) >= 0;
        *bonus = opens_item ? 0.0 : w[OUT_OF_CONTEXT];
        return 1;
    }
    if (roles & S_INDENT && (is_line_start(t, i) || symbol_at(t, k, i - 1) == kind->symbol)) {
        *bonus = w[INDENT];
        return 1;
    }
    if (roles & S_DOUBLED && (symbol_at(t, k, i - 1) == kind->symbol || symbol_at(t, k, i + 1) == kind->symbol)) {
        *bonus = w[DOUBLED];
        return 1;
    }
    if (roles & S_DECORATION) {
        PyObject *shown = PyObject_CallFunction(decorated, "n", i);
        int yes = shown == NULL ? -1 : PyObject_IsTrue(shown);
        Py_XDECREF(shown);
        *bonus = w[DOUBLED];
        return yes;
    }
    return 0;
}

/* The bonus of the current pass added where a candidate has one, and cleared. */
static void
add_bonus(Text *t)
{
    Py_ssize_t k;
    for (k = 0; k < t->n; k++) {
        if (t->has[k])
            t->llr[k] += t->bonus[k];
        t->has[k] = 0;
        t->bonus[k] = 0.0;
    }
}

static void
give(Text *t, Py_ssize_t k, double value)
{
    t->bonus[k] += value;
    t->has[k] = 1;
}

/* The clean lines' usage: CLEAN_USAGE * log1p(sightings of the pairs around candidate k). */
static int
usage_of(const Text *t, Py_ssize_t k, PyObject *usage, long *seen)
{
    Py_ssize_t i = t->at[k], spans[2][2] = {{i > 0 ? i - 1 : 0, i + 1}, {i, i + 2 < t->length ? i + 2 : t->length}};
    int s;
    *seen = 0;
    for (s = 0; s < 2; s++) {
        PyObject *pair = PyUnicode_Substring(t->flat, spans[s][0], spans[s][1]), *count;
        if (pair == NULL)
            return -1;
        count = PyDict_GetItemWithError(usage, pair);
        Py_DECREF(pair);
        if (count == NULL && PyErr_Occurred())
            return -1;
        if (count != NULL) {
            long value = PyLong_AsLong(count);
            if (value == -1 && PyErr_Occurred())
                return -1;
            *seen += value;
        }
    }
    return 0;
}

/* FounderScorer._pair_evidence over the candidates whose ratio is above PAIR_FLOOR. */
static int
pair_evidence(Text *t, const double *w)
{
    Py_ssize_t *pairable = PyMem_New(Py_ssize_t, t->n ? t->n : 1), count = 0, n, m;
    if (pairable == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (n = 0; n < t->n; n++)
        if (t->llr[n] > w[PAIR_FLOOR] && t->kinds[t->kind[n]].partner)
            pairable[count++] = n;
    for (n = 0; n < count; n++) {
        const Kind *opening = &t->kinds[t->kind[pairable[n]]];
        Py_ssize_t i = t->at[pairable[n]], partner = -1;
        if (!(opening->roles & S_OPENING))
            continue;
        for (m = n + 1; m < count; m++) {
            Py_UCS4 symbol = t->kinds[t->kind[pairable[m]]].symbol;
            if (t->at[pairable[m]] - i > w[PAIR_REACH] || symbol == opening->symbol)
                break;
            if (symbol == opening->partner) {
                partner = pairable[m];
                break;
            }
        }
        if (partner >= 0) {
            double gap = (double)(t->at[partner] - i), value;
            value = -log(gap * t->kinds[t->kind[partner]].p_char);
            value = value > 0.0 ? value : 0.0;
            give(t, pairable[n], value < w[PAIR_CAP] ? value : w[PAIR_CAP]);
            value = -log(gap * opening->p_char);
            value = value > 0.0 ? value : 0.0;
            give(t, partner, value < w[PAIR_CAP] ? value : w[PAIR_CAP]);
        }
    }
    PyMem_Free(pairable);
    add_bonus(t);
    return 0;
}

/* FounderScorer._document_prior: per hanzi, the leave-one-out share of its occurrences
 * judged symbols, as a log-odds shift. */
static int
document_prior(Text *t, Py_ssize_t n_kinds, const double *w)
{
    Py_ssize_t *occurrences = PyMem_Calloc(n_kinds ? n_kinds : 1, sizeof(Py_ssize_t)), k;
    Py_ssize_t *symbols = PyMem_Calloc(n_kinds ? n_kinds : 1, sizeof(Py_ssize_t));
    if (occurrences == NULL || symbols == NULL) {
        PyMem_Free(occurrences);
        PyMem_Free(symbols);
        PyErr_NoMemory();
        return -1;
    }
    for (k = 0; k < t->n; k++) {
        occurrences[t->kind[k]]++;
        symbols[t->kind[k]] += t->llr[k] > 0;
    }
    for (k = 0; k < t->n; k++) {
        Py_ssize_t total = occurrences[t->kind[k]], judged = t->llr[k] > 0;
        Py_ssize_t count = symbols[t->kind[k]] - judged;  /* the others judged symbols */
        double share;
        if (total < w[DOCUMENT_MIN] || count < 0 || count >= total)
            continue;
        share = ((double)count + 0.5) / (double)total;
        give(t, k, w[DOCUMENT_WEIGHT] * log(share / (1.0 - share)));
    }
    PyMem_Free(occurrences);
    PyMem_Free(symbols);
    add_bonus(t);
    return 0;
}

/* The words around a covered candidate weighed again with the neighbours judged symbols
 * masked. */
static int
blocked_support(Lattice *lattice, Text *t)
{
    Py_ssize_t k, m;
    char *symbol = PyMem_Malloc(t->n ? t->n : 1);
    if (symbol == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (k = 0; k < t->n; k++)
        symbol[k] = t->llr[k] > 0;
    for (k = 0; k < t->n; k++) {
        Py_ssize_t i = t->at[k], blocked[2 * MAX_WORD], n_blocked = 0, first = k;
        double value;
        int covered;
        if (!t->covered[k])
            continue;
        while (first > 0 && t->at[first - 1] > i - MAX_WORD)
            first--;
        for (m = first; m < t->n && t->at[m] < i + MAX_WORD; m++)
            if (m != k && symbol[m])
                blocked[n_blocked++] = t->at[m];
        if (!n_blocked)
            continue;
        if (jk_support_around(lattice, t->flat, i, blocked, n_blocked, &value, &covered) < 0) {
            PyMem_Free(symbol);
            return -1;
        }
        t->llr[k] += t->support[k] - value;
    }
    PyMem_Free(symbol);
    return 0;
}

/* FounderScorer._adjacent_breaks. */
static void
adjacent_breaks(Text *t, const double *w)
{
    Py_ssize_t k;
    for (k = 0; k < t->n; k++) {
        const Kind *kind = &t->kinds[t->kind[k]];
        Py_ssize_t i = t->at[k];
        double value = t->llr[k];
        if (!(kind->roles & S_ADJACENT_BREAK) || value <= 0)
            continue;
        if ((i > 0 && classes_of(t, char_at(t, i - 1)) & C_BREAK)
            || (i + 1 < t->length && classes_of(t, char_at(t, i + 1)) & C_BREAK)
            || (k > 0 && t->at[k - 1] == i - 1 && t->kinds[t->kind[k - 1]].roles & S_ADJACENT_BREAK && t->llr[k - 1] > 0
                && t->llr[k - 1] > value)
            || (k + 1 < t->n && t->at[k + 1] == i + 1 && t->kinds[t->kind[k + 1]].roles & S_ADJACENT_BREAK
                && t->llr[k + 1] > 0 && t->llr[k + 1] > value))
            give(t, k, w[ADJACENT_PENALTY]);
        if (kind->roles & S_ENUMERATION_COMMA && i + 1 < t->length && classes_of(t, char_at(t, i + 1)) & C_CONJUNCTION)
            give(t, k, w[CONJUNCTION_PENALTY]);
    }
    add_bonus(t);
}

/* The table's kinds, and per BMP character its kind (or NO_KIND). */
static int
read_table(PyObject *table, Kind **kinds, uint16_t *kind_of)
{
    Py_ssize_t position = 0, n = 0, k;
    PyObject *key, *value;
    if (PyDict_GET_SIZE(table) >= NO_KIND) {
        PyErr_SetString(PyExc_ValueError, "too many candidate hanzi");
        return -1;
    }
    *kinds = PyMem_New(Kind, PyDict_GET_SIZE(table) ? PyDict_GET_SIZE(table) : 1);
    if (*kinds == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (k = 0; k < BMP; k++)
        kind_of[k] = NO_KIND;
    while (PyDict_Next(table, &position, &key, &value)) {
        Kind *kind = &(*kinds)[n];
        PyObject *partner;
        if (!PyUnicode_Check(key) || PyUnicode_GET_LENGTH(key) != 1 || PyUnicode_READ_CHAR(key, 0) >= BMP
            || !PyArg_ParseTuple(value, "UddlU", &kind->symbol_text, &kind->prior, &kind->p_char, &kind->roles, &partner)
            || PyUnicode_GET_LENGTH(kind->symbol_text) != 1 || PyUnicode_GET_LENGTH(partner) > 1) {
            PyErr_Clear();
            PyErr_SetString(PyExc_TypeError, "the table maps BMP hanzi to (symbol, prior, p_char, roles, partner)");
            return -1;
        }
        kind->hanzi = key;
        kind->symbol = PyUnicode_READ_CHAR(kind->symbol_text, 0);
        kind->partner = PyUnicode_GET_LENGTH(partner) ? PyUnicode_READ_CHAR(partner, 0) : 0;
        kind_of[PyUnicode_READ_CHAR(key, 0)] = (uint16_t)n++;
    }
    return 0;
}

static int
read_classes(PyObject *classes, unsigned char *table)
{
    Py_ssize_t position = 0;
    PyObject *key, *value;
    memset(table, 0, BMP);
    while (PyDict_Next(classes, &position, &key, &value)) {
        long bits = PyLong_AsLong(value);
        if (!PyUnicode_Check(key) || PyUnicode_GET_LENGTH(key) != 1 || bits < 0 || bits > 255) {
            PyErr_Clear();
            PyErr_SetString(PyExc_TypeError, "classes map single characters to bits (0-255)");
            return -1;
        }
        if (PyUnicode_READ_CHAR(key, 0) >= BMP) {
            PyErr_SetString(PyExc_ValueError, "classes of characters beyond the BMP are not read");
            return -1;
        }
        table[PyUnicode_READ_CHAR(key, 0)] = (unsigned char)bits;
    }
    return 0;
}

/* The candidates of the ranges, in order: where a hanzi of the table stands. */
static int
find_candidates(Text *t, PyObject *ranges, const uint16_t *kind_of)
{
    Py_ssize_t r, i, room = 1024, previous_end = 0;
    t->n = 0;
    t->at = PyMem_New(Py_ssize_t, room);
    t->kind = PyMem_New(uint16_t, room);
    if (t->at == NULL || t->kind == NULL)
        goto no_memory;
    for (r = 0; r < PyList_GET_SIZE(ranges); r++) {
        Py_ssize_t start, end;
        if (!PyArg_ParseTuple(PyList_GET_ITEM(ranges, r), "nn", &start, &end))
            return -1;
        if (start < previous_end) {
            PyErr_SetString(PyExc_ValueError, "ranges must be sorted and apart");
            return -1;
        }
        previous_end = end;
        start = start < 0 ? 0 : start;
        end = end > t->length ? t->length : end;
        for (i = start; i < end; i++) {
            Py_UCS4 c = char_at(t, i);
            if (c >= BMP || kind_of[c] == NO_KIND)
                continue;
            if (t->n == room) {
                room *= 2;
                if (PyMem_Resize(t->at, Py_ssize_t, room) == NULL || PyMem_Resize(t->kind, uint16_t, room) == NULL)
                    goto no_memory;
            }
            t->at[t->n] = i;
            t->kind[t->n++] = kind_of[c];
        }
    }
    return 0;
no_memory:
    PyErr_NoMemory();
    return -1;
}

/* The candidates as named tuples of ``type`` (Candidate), and the 0-based line of each. */
static PyObject *
candidates_of(const Text *t, PyTypeObject *type)
{
    PyObject *candidates = PyList_New(t->n), *lines = PyList_New(t->n);
    Py_ssize_t k, line = -1;
    if (candidates == NULL || lines == NULL)
        goto failed;
    for (k = 0; k < t->n; k++) {
        const Kind *kind = &t->kinds[t->kind[k]];
        PyObject *candidate = type->tp_alloc(type, 4), *index = PyLong_FromSsize_t(t->at[k]), *llr = PyFloat_FromDouble(t->llr[k]);
        PyObject *number;
        while (line + 1 < t->n_starts && t->starts[line + 1] <= t->at[k])
            line++;
        number = PyLong_FromSsize_t(line);
        if (candidate == NULL || index == NULL || llr == NULL || number == NULL) {
            Py_XDECREF(candidate);
            Py_XDECREF(index);
            Py_XDECREF(llr);
            Py_XDECREF(number);
            goto failed;
        }
        Py_INCREF(kind->hanzi);
        Py_INCREF(kind->symbol_text);
        PyTuple_SET_ITEM(candidate, 0, index);
        PyTuple_SET_ITEM(candidate, 1, kind->hanzi);
        PyTuple_SET_ITEM(candidate, 2, kind->symbol_text);
        PyTuple_SET_ITEM(candidate, 3, llr);
        PyList_SET_ITEM(candidates, k, candidate);
        PyList_SET_ITEM(lines, k, number);
    }
    return Py_BuildValue("(NN)", candidates, lines);
failed:
    Py_XDECREF(candidates);
    Py_XDECREF(lines);
    return NULL;
}

static int
score_all(Lattice *lattice, Text *t, Py_ssize_t n_kinds, PyObject *usage, PyObject *decorated, const double *w)
{
    Py_ssize_t k;
    t->llr = PyMem_New(double, t->n ? t->n : 1);
    t->support = PyMem_New(double, t->n ? t->n : 1);
    t->bonus = PyMem_Calloc(t->n ? t->n : 1, sizeof(double));
    t->covered = PyMem_Malloc(t->n ? t->n : 1);
    t->has = PyMem_Calloc(t->n ? t->n : 1, 1);
    if (t->llr == NULL || t->support == NULL || t->bonus == NULL || t->covered == NULL || t->has == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (k = 0; k < t->n; k++) {
        int covered;
        if (jk_support_around(lattice, t->flat, t->at[k], NULL, 0, &t->support[k], &covered) < 0)
            return -1;
        t->covered[k] = (char)covered;
        t->llr[k] = t->kinds[t->kind[k]].prior - t->support[k];
    }
    for (k = 0; k < t->n; k++) {
        int has = local_evidence(lattice, t, k, w, decorated, &t->bonus[k]);
        if (has < 0)
            return -1;
        t->has[k] = (char)has;
    }
    add_bonus(t);
    if (PyDict_GET_SIZE(usage))
        for (k = 0; k < t->n; k++) {
            long seen;
            if (usage_of(t, k, usage, &seen) < 0)
                return -1;
            if (seen)
                t->llr[k] += w[CLEAN_USAGE] * log1p((double)seen);
        }
    if (pair_evidence(t, w) < 0 || document_prior(t, n_kinds, w) < 0 || blocked_support(lattice, t) < 0)
        return -1;
    adjacent_breaks(t, w);
    return 0;
}

PyObject *
jk_score_candidates(PyObject *module, PyObject *args)
{
    PyObject *lattice, *ranges, *starts, *table, *classes, *usage, *decorated, *weights, *result = NULL;
    PyTypeObject *type;
    Text t = {0};
    uint16_t *kind_of = NULL;
    unsigned char *class_table = NULL;
    Py_ssize_t *start_values = NULL, k;
    double w[N_WEIGHTS];
    if (!PyArg_ParseTuple(args, "O!UO!O!O!O!O!OO!O!", &LatticeType, &lattice, &t.flat, &PyList_Type, &ranges,
                          &PyTuple_Type, &starts, &PyDict_Type, &table, &PyDict_Type, &classes, &PyDict_Type, &usage,
                          &decorated, &PyTuple_Type, &weights, &PyType_Type, &type))
        return NULL;
    if (PyTuple_GET_SIZE(weights) != N_WEIGHTS || !PyType_IsSubtype(type, &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError, "weights: a tuple of WEIGHTS; candidate: a named tuple");
        return NULL;
    }
    for (k = 0; k < N_WEIGHTS; k++)
        if ((w[k] = PyFloat_AsDouble(PyTuple_GET_ITEM(weights, k))) == -1.0 && PyErr_Occurred())
            return NULL;
    t.text_kind = PyUnicode_KIND(t.flat);
    t.data = PyUnicode_DATA(t.flat);
    t.length = PyUnicode_GET_LENGTH(t.flat);
    t.n_starts = PyTuple_GET_SIZE(starts);
    kind_of = PyMem_New(uint16_t, BMP);
    class_table = PyMem_Malloc(BMP);
    start_values = PyMem_New(Py_ssize_t, t.n_starts ? t.n_starts : 1);
    if (kind_of == NULL || class_table == NULL || start_values == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (k = 0; k < t.n_starts; k++) {
        start_values[k] = PyLong_AsSsize_t(PyTuple_GET_ITEM(starts, k));
        if (start_values[k] == -1 && PyErr_Occurred())
            goto done;
        if (k && start_values[k] < start_values[k - 1]) {
            PyErr_SetString(PyExc_ValueError, "line starts must be sorted");
            goto done;
        }
    }
    t.starts = start_values;
    t.classes = class_table;
    if (read_table(table, &t.kinds, kind_of) < 0 || read_classes(classes, class_table) < 0
        || find_candidates(&t, ranges, kind_of) < 0
        || score_all((Lattice *)lattice, &t, PyDict_GET_SIZE(table), usage, decorated, w) < 0)
        goto done;
    result = candidates_of(&t, type);
done:
    PyMem_Free(kind_of);
    PyMem_Free(class_table);
    PyMem_Free(start_values);
    PyMem_Free(t.kinds);
    PyMem_Free(t.at);
    PyMem_Free(t.kind);
    PyMem_Free(t.llr);
    PyMem_Free(t.support);
    PyMem_Free(t.bonus);
    PyMem_Free(t.covered);
    PyMem_Free(t.has);
    return result;
}
