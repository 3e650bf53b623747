/* The word lattice of jiaokan's lexicon, compiled: Lexicon.support and Lexicon.in_word (and, with
 * _founder_scores.c, FounderScorer.score).
 *
 * Context scoring asks, for every Founder candidate, how well its hanzi fits the words
 * around it: the best segmentation of a short window (known words of two to five characters,
 * lone characters otherwise) against its two sides with the character taken out. In Python
 * that was half of the repair of damaged laws (about 25 µs a candidate); here it is about
 * one microsecond, most of it waiting on memory.
 *
 * The words are looked up in the compiled lexicon's own tables (lexicon.bin, see
 * Lexicon.dumps), as they are: the words sorted and joined by newlines, grouped by first
 * character, with the beginnings of longer words that are no words themselves beside them.
 * UTF-8 keeps code-point order, so a piece is found by binary search over its bytes among
 * the entries of its first character (a few dozen), unless its first two characters open
 * no entry at all (a bit per pair, hashed: most pieces a window asks about stop there).
 * Nothing else is built but an index of where each entry starts and two tables by character
 * (9 ms in all): a hash table of the 450,000 entries took 30 ms to fill, longer than a short
 * damaged text takes to score. The last window scored in each of 65,536 places (by hash) is
 * remembered: a text that repeats itself asks about the same windows again (the Python
 * lattice remembers them too).
 *
 * Every number is computed as the Python lattice computes it (lexicon.py: _words_in, _best,
 * support), operation for operation, so both give the same floats: tests compare them.
 */

#include "_lattice.h"

#include <stdint.h>
#include <string.h>

#define OPENING_BITS 21  /* 256 KB of bits for about 200,000 pairs that open an entry */
#define BMP 0x10000
#define MASK 0  /* what a masked character reads as (MASK in lexicon.py) */

typedef struct {
    const char *blob;       /* entries joined by newlines */
    uint32_t *starts;       /* byte offset of each entry; starts[count] = end of the blob */
    Py_ssize_t count;
} Entries;

/* A window scored before: the window (masked characters as MASK), the character scored,
 * and its support. */
#define WINDOW (2 * MAX_WORD - 1)
#define REMEMBERED (1 << 16)
typedef struct {
    Py_UCS4 chars[WINDOW];
    int size, index, covered;
    double value;
} Remembered;

struct Lattice {
    PyObject_HEAD
    Py_buffer words_buffer, prefixes_buffer, freqs_buffer;
    Entries words, prefixes;
    const uint32_t *freqs;
    int32_t *bucket;        /* per BMP character, its bucket (-1: it opens no word) */
    Py_UCS4 *firsts;        /* each bucket's first character, in order */
    Py_ssize_t *word_ends;  /* per bucket, the end of its words (an entry index) */
    Py_ssize_t *prefix_ends;
    Py_ssize_t n_firsts;
    uint64_t *openings;     /* bits, by hash, of the first two characters of every entry */
    Remembered *remembered; /* by hash of the window: the last one scored there */
    double *char_logp;      /* per BMP character; others looked up in char_dict */
    PyObject *char_dict;
    double unknown_char;
    double log_total;
};

/* A window's characters and their UTF-8 bytes (piece [a, b) is bytes[at[a]:at[b]]), with
 * room for its lattice: the known words opening at each position (their ends and scores)
 * and the best scores from the start and from past the character scored. Windows are short
 * (nine characters): up to HERE, all of it is in the struct itself, on the stack. */
#define HERE 32
typedef struct {
    Py_UCS4 *chars;
    Py_ssize_t *at;
    char *bytes;
    Py_ssize_t (*ends)[MAX_WORD];
    double (*logps)[MAX_WORD];
    int *counts;
    double *whole, *right;
    Py_ssize_t size;
    Py_UCS4 chars_here[HERE];
    Py_ssize_t at_here[HERE + 1];
    char bytes_here[HERE * 4];
    Py_ssize_t ends_here[HERE][MAX_WORD];
    double logps_here[HERE][MAX_WORD];
    int counts_here[HERE];
    double whole_here[HERE + 1], right_here[HERE + 1];
} Window;

static int
index_entries(const Py_buffer *buffer, Entries *entries)
{
    const char *blob = buffer->buf, *end = blob + buffer->len, *at;
    Py_ssize_t count = 0, n = 0;
    for (at = blob; at < end && (at = memchr(at, '\n', end - at)) != NULL; at++)
        count++;
    if (buffer->len >= UINT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "a table of words over 4 GB");
        return -1;
    }
    entries->starts = PyMem_New(uint32_t, count + 1);
    if (entries->starts == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    entries->starts[0] = 0;
    for (at = blob; n < count; at++) {
        at = memchr(at, '\n', end - at);
        entries->starts[++n] = (uint32_t)(at + 1 - blob);
    }
    entries->blob = blob;
    entries->count = count;
    return 0;
}

/* Where entry k stands against ``piece``: <0 before it, 0 equal, >0 after. */
static int
compare(const Entries *entries, Py_ssize_t k, const char *piece, Py_ssize_t size)
{
    const char *entry = entries->blob + entries->starts[k];
    Py_ssize_t length = entries->starts[k + 1] - entries->starts[k] - 1;
    int order = memcmp(entry, piece, length < size ? length : size);
    if (order != 0)
        return order;
    return length < size ? -1 : length > size;
}

static Py_ssize_t
find(const Entries *entries, Py_ssize_t lo, Py_ssize_t hi, const char *piece, Py_ssize_t size)
{
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        int order = compare(entries, mid, piece, size);
        if (order == 0)
            return mid;
        if (order < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static Py_ssize_t
bucket_of(const Lattice *self, Py_UCS4 c)
{
    Py_ssize_t lo = 0, hi = self->n_firsts;
    if (c < BMP)
        return self->bucket[c];
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        if (self->firsts[mid] == c)
            return mid;
        if (self->firsts[mid] < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static size_t
opening(Py_UCS4 first, Py_UCS4 second)
{
    return (size_t)((((uint64_t)first << 21) ^ second) * 0x9E3779B97F4A7C15ULL >> (64 - OPENING_BITS));
}

/* The character that UTF-8 ``bytes`` open with (well-formed: the tables are Python's
 * encoding), and its length in bytes. */
static Py_UCS4
first_char(const unsigned char *bytes, int *length)
{
    if (bytes[0] < 0x80) {
        *length = 1;
        return bytes[0];
    }
    if (bytes[0] < 0xE0) {
        *length = 2;
        return (Py_UCS4)(bytes[0] & 0x1F) << 6 | (bytes[1] & 0x3F);
    }
    if (bytes[0] < 0xF0) {
        *length = 3;
        return (Py_UCS4)(bytes[0] & 0x0F) << 12 | (Py_UCS4)(bytes[1] & 0x3F) << 6 | (bytes[2] & 0x3F);
    }
    *length = 4;
    return (Py_UCS4)(bytes[0] & 0x07) << 18 | (Py_UCS4)(bytes[1] & 0x3F) << 12 | (Py_UCS4)(bytes[2] & 0x3F) << 6
           | (bytes[3] & 0x3F);
}

/* Marks the first two characters of every entry of two or more: a piece whose first two
 * are not marked is no entry, found without a search (most pieces a window asks about). */
static int
mark_openings(Lattice *self)
{
    const Entries *tables[] = {&self->words, &self->prefixes};
    int t, length;
    Py_ssize_t k;
    self->openings = PyMem_Calloc((size_t)1 << (OPENING_BITS - 6), sizeof(uint64_t));
    if (self->openings == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (t = 0; t < 2; t++)
        for (k = 0; k < tables[t]->count; k++) {
            const unsigned char *entry = (const unsigned char *)tables[t]->blob + tables[t]->starts[k];
            const unsigned char *end = (const unsigned char *)tables[t]->blob + tables[t]->starts[k + 1] - 1;
            Py_UCS4 first = first_char(entry, &length), second;
            if (entry + length >= end)
                continue;  /* one character */
            second = first_char(entry + length, &length);
            self->openings[opening(first, second) >> 6] |= (uint64_t)1 << (opening(first, second) & 63);
        }
    return 0;
}

/* The piece [a, b) of the window as the Python bucket's get gives it: its frequency for a
 * word, 0 for the beginning of a longer word only, -1 for neither. */
static long long
lookup(const Lattice *self, const Window *w, Py_ssize_t a, Py_ssize_t b)
{
    size_t bit = opening(w->chars[a], w->chars[a + 1]);
    Py_ssize_t k, found;
    const char *piece = w->bytes + w->at[a];
    Py_ssize_t size = w->at[b] - w->at[a];
    if (!(self->openings[bit >> 6] >> (bit & 63) & 1) || (k = bucket_of(self, w->chars[a])) < 0)
        return -1;
    found = find(&self->words, k ? self->word_ends[k - 1] : 0, self->word_ends[k], piece, size);
    if (found >= 0)
        return self->freqs[found];
    found = find(&self->prefixes, k ? self->prefix_ends[k - 1] : 0, self->prefix_ends[k], piece, size);
    return found >= 0 ? 0 : -1;
}

static double
char_logp(const Lattice *self, Py_UCS4 c)
{
    PyObject *key, *value;
    double logp;
    if (c < BMP)
        return self->char_logp[c];
    key = PyUnicode_FromOrdinal(c);
    if (key == NULL)
        return NAN;
    value = PyDict_GetItemWithError(self->char_dict, key);
    Py_DECREF(key);
    if (value == NULL)
        return PyErr_Occurred() ? NAN : self->unknown_char;
    logp = PyFloat_AsDouble(value);
    return logp == -1.0 && PyErr_Occurred() ? NAN : logp;
}

static int
is_masked(const Py_ssize_t *masked, Py_ssize_t n_masked, Py_ssize_t position)
{
    Py_ssize_t k;
    for (k = 0; k < n_masked; k++)
        if (masked[k] == position)
            return 1;
    return 0;
}

static void
window_free(Window *w)
{
    if (w->chars != w->chars_here) {
        PyMem_Free(w->chars);
        PyMem_Free(w->at);
        PyMem_Free(w->bytes);
        PyMem_Free(w->ends);
        PyMem_Free(w->logps);
        PyMem_Free(w->counts);
        PyMem_Free(w->whole);
        PyMem_Free(w->right);
    }
}

/* The window text[start:end], the characters at the ``n_masked`` positions of text in
 * ``masked`` read as MASK. */
static int
window_of(Window *w, PyObject *text, Py_ssize_t start, Py_ssize_t end, const Py_ssize_t *masked, Py_ssize_t n_masked)
{
    Py_ssize_t size = end - start, n, used = 0;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    w->size = size;
    if (size <= HERE) {
        w->chars = w->chars_here;
        w->at = w->at_here;
        w->bytes = w->bytes_here;
        w->ends = w->ends_here;
        w->logps = w->logps_here;
        w->counts = w->counts_here;
        w->whole = w->whole_here;
        w->right = w->right_here;
    } else {
        w->chars = PyMem_New(Py_UCS4, size);
        w->at = PyMem_New(Py_ssize_t, size + 1);
        w->bytes = PyMem_Malloc(4 * size);
        w->ends = PyMem_Malloc(sizeof(*w->ends) * size);
        w->logps = PyMem_Malloc(sizeof(*w->logps) * size);
        w->counts = PyMem_New(int, size);
        w->whole = PyMem_New(double, size + 1);
        w->right = PyMem_New(double, size + 1);
        if (!w->chars || !w->at || !w->bytes || !w->ends || !w->logps || !w->counts || !w->whole || !w->right) {
            window_free(w);
            PyErr_NoMemory();
            return -1;
        }
    }
    for (n = 0; n < size; n++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, start + n);
        unsigned char *out = (unsigned char *)w->bytes + used;
        if (n_masked && is_masked(masked, n_masked, start + n))
            c = MASK;
        w->chars[n] = c;
        w->at[n] = used;
        if (c < 0x80) {
            out[0] = (unsigned char)c;
            used += 1;
        } else if (c < 0x800) {
            out[0] = 0xC0 | (c >> 6);
            out[1] = 0x80 | (c & 0x3F);
            used += 2;
        } else if (c < 0x10000) {
            out[0] = 0xE0 | (c >> 12);
            out[1] = 0x80 | ((c >> 6) & 0x3F);
            out[2] = 0x80 | (c & 0x3F);
            used += 3;
        } else {
            out[0] = 0xF0 | (c >> 18);
            out[1] = 0x80 | ((c >> 12) & 0x3F);
            out[2] = 0x80 | ((c >> 6) & 0x3F);
            out[3] = 0x80 | (c & 0x3F);
            used += 4;
        }
    }
    w->at[size] = used;
    return 0;
}

/* Lexicon.in_word: a known word of two or more characters covers w->chars[index]. */
static int
covers(const Lattice *self, const Window *w, Py_ssize_t index)
{
    Py_ssize_t start, end;
    for (start = index - MAX_WORD + 1 > 0 ? index - MAX_WORD + 1 : 0; start <= index; start++) {
        Py_ssize_t last = w->size < start + MAX_WORD ? w->size : start + MAX_WORD;
        for (end = start + 2 > index + 1 ? start + 2 : index + 1; end <= last; end++) {
            long long freq = lookup(self, w, start, end);
            if (freq > 0)
                return 1;
            if (freq < 0)
                break;
        }
    }
    return 0;
}

/* Lexicon._best over the window's known words: the score of the best segmentation of
 * chars[from:from + k] for every k, written to scores[0 .. size - from]. */
static int
best(const Lattice *self, const Window *w, Py_ssize_t from, double *scores)
{
    Py_ssize_t at, k;
    scores[0] = 0.0;
    for (at = 1; at <= w->size - from; at++)
        scores[at] = -INFINITY;
    for (at = from; at < w->size; at++) {
        double base = scores[at - from], value = char_logp(self, w->chars[at]);
        if (isnan(value))
            return -1;
        value = base + value;
        if (value > scores[at - from + 1])
            scores[at - from + 1] = value;
        for (k = 0; k < w->counts[at]; k++)
            if (base + w->logps[at][k] > scores[w->ends[at][k] - from])
                scores[w->ends[at][k] - from] = base + w->logps[at][k];
    }
    return 0;
}

/* Lexicon._words_in: the known words of two or more characters opening at each position. */
static void
words_in(const Lattice *self, Window *w)
{
    Py_ssize_t start, end;
    for (start = 0; start < w->size; start++) {
        long long freq = start + 2 <= w->size ? lookup(self, w, start, start + 2) : -1;
        int *count = &w->counts[start];
        *count = 0;
        if (freq < 0)
            continue;
        if (freq > 0) {
            w->ends[start][0] = start + 2;
            w->logps[start][(*count)++] = log((double)freq) - self->log_total;
        }
        for (end = start + 3; end <= (w->size < start + MAX_WORD ? w->size : start + MAX_WORD); end++) {
            freq = lookup(self, w, start, end);
            if (freq < 0)
                break;
            if (freq > 0) {
                w->ends[start][*count] = end;
                w->logps[start][(*count)++] = log((double)freq) - self->log_total;
            }
        }
    }
}

/* Lexicon.support as numbers: the score from the lattice where a word covers the character
 * (covered), else its lone score. */
static int
score(const Lattice *self, Window *w, Py_ssize_t index, double *value, int *covered)
{
    *covered = covers(self, w, index);
    if (!*covered) {
        *value = char_logp(self, w->chars[index]);
        return isnan(*value) ? -1 : 0;
    }
    words_in(self, w);
    if (best(self, w, 0, w->whole) < 0 || best(self, w, index + 1, w->right) < 0)
        return -1;
    *value = w->whole[w->size] - w->whole[index] - w->right[w->size - index - 1];
    return 0;
}

/* Lexicon.support as numbers, remembered for windows of a scorer's size (a text that
 * repeats itself asks about the same windows again). */
static int
remembered_score(Lattice *self, Window *w, Py_ssize_t index, double *value, int *covered)
{
    Remembered *slot = NULL;
    if (w->size <= WINDOW) {
        uint64_t h = (uint64_t)index * 0x9E3779B97F4A7C15ULL;
        Py_ssize_t n;
        for (n = 0; n < w->size; n++)
            h = (h ^ w->chars[n]) * 0x100000001B3ULL;
        slot = &self->remembered[(h ^ h >> 32) & (REMEMBERED - 1)];
        if (slot->size == w->size && slot->index == index && memcmp(slot->chars, w->chars, w->size * sizeof(Py_UCS4)) == 0) {
            *value = slot->value;
            *covered = slot->covered;
            return 0;
        }
    }
    if (score(self, w, index, value, covered) < 0)
        return -1;
    if (slot != NULL) {
        memcpy(slot->chars, w->chars, w->size * sizeof(Py_UCS4));
        slot->size = (int)w->size;
        slot->index = (int)index;
        slot->value = *value;
        slot->covered = *covered;
    }
    return 0;
}

int
jk_support_around(Lattice *self, PyObject *text, Py_ssize_t index, const Py_ssize_t *masked, Py_ssize_t n_masked,
                  double *value, int *covered)
{
    Window w;
    Py_ssize_t start = index - MAX_WORD + 1 > 0 ? index - MAX_WORD + 1 : 0;
    Py_ssize_t end = index + MAX_WORD < PyUnicode_GET_LENGTH(text) ? index + MAX_WORD : PyUnicode_GET_LENGTH(text);
    int failed;
    if (window_of(&w, text, start, end, masked, n_masked) < 0)
        return -1;
    failed = remembered_score(self, &w, index - start, value, covered);
    window_free(&w);
    return failed;
}

int
jk_is_word(Lattice *self, PyObject *text, Py_ssize_t start, Py_ssize_t end)
{
    Window w;
    long long freq;
    if (window_of(&w, text, start, end, NULL, 0) < 0)
        return -1;
    freq = end - start >= 2 ? lookup(self, &w, 0, end - start) : -1;
    window_free(&w);
    return freq > 0;
}

static PyObject *
support_tuple(double value, int covered)
{
    return Py_BuildValue("(dO)", value, covered ? Py_True : Py_False);
}

/* 0 where ``index`` is inside ``text``, else -1 with an IndexError. */
static int
checked_index(PyObject *text, Py_ssize_t index)
{
    if (index < 0 || index >= PyUnicode_GET_LENGTH(text)) {
        PyErr_SetString(PyExc_IndexError, "string index out of range");
        return -1;
    }
    return 0;
}

/* The arguments (text, index) of a look-up at one character: 0, else -1 with an exception. */
static int
text_and_index(PyObject *args, PyObject **text, Py_ssize_t *index)
{
    if (!PyArg_ParseTuple(args, "Un", text, index))
        return -1;
    return checked_index(*text, *index);
}

static PyObject *
Lattice_support(Lattice *self, PyObject *args)
{
    Window w;
    PyObject *text;
    Py_ssize_t index;
    double value;
    int covered, failed;
    if (text_and_index(args, &text, &index) < 0)
        return NULL;
    if (window_of(&w, text, 0, PyUnicode_GET_LENGTH(text), NULL, 0) < 0)
        return NULL;
    failed = remembered_score(self, &w, index, &value, &covered);
    window_free(&w);
    return failed ? NULL : support_tuple(value, covered);
}

#define MASKED_HERE 16

static PyObject *
Lattice_support_around(Lattice *self, PyObject *args)
{
    PyObject *text, *masked;
    Py_ssize_t index, k, n_masked, masked_here[MASKED_HERE], *positions = masked_here;
    double value;
    int covered, failed;
    if (!PyArg_ParseTuple(args, "UnO!", &text, &index, &PyTuple_Type, &masked) || checked_index(text, index) < 0)
        return NULL;
    n_masked = PyTuple_GET_SIZE(masked);
    if (n_masked > MASKED_HERE && (positions = PyMem_New(Py_ssize_t, n_masked)) == NULL)
        return PyErr_NoMemory();
    for (k = 0; k < n_masked; k++) {
        PyObject *position = PyTuple_GET_ITEM(masked, k);
        if (!PyLong_Check(position) || ((positions[k] = PyLong_AsSsize_t(position)) == -1 && PyErr_Occurred())) {
            PyErr_Clear();
            PyErr_SetString(PyExc_TypeError, "masked positions are ints");
            if (positions != masked_here)
                PyMem_Free(positions);
            return NULL;
        }
    }
    failed = jk_support_around(self, text, index, positions, n_masked, &value, &covered);
    if (positions != masked_here)
        PyMem_Free(positions);
    return failed ? NULL : support_tuple(value, covered);
}

static PyObject *
Lattice_in_word(Lattice *self, PyObject *args)
{
    Window w;
    PyObject *text;
    Py_ssize_t index;
    int found;
    if (text_and_index(args, &text, &index) < 0)
        return NULL;
    if (window_of(&w, text, 0, PyUnicode_GET_LENGTH(text), NULL, 0) < 0)
        return NULL;
    found = covers(self, &w, index);
    window_free(&w);
    return PyBool_FromLong(found);
}

static Py_ssize_t *
entry_ends(PyObject *ends, Py_ssize_t n, Py_ssize_t count)
{
    Py_ssize_t *values = PyMem_New(Py_ssize_t, n), k;
    if (values == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    for (k = 0; k < n; k++) {
        values[k] = PyLong_AsSsize_t(PyList_GET_ITEM(ends, k));
        if (values[k] < (k ? values[k - 1] : 0) || values[k] > count) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_ValueError, "bucket ends must rise within the entries");
            PyMem_Free(values);
            return NULL;
        }
    }
    return values;
}

static int
Lattice_init(Lattice *self, PyObject *args, PyObject *kwargs)
{
    static char *names[] = {"words", "freqs", "prefixes", "firsts", "word_ends", "prefix_ends", "char_logp",
                            "unknown_char", "log_total", NULL};
    PyObject *words, *freqs, *prefixes, *firsts, *word_ends, *prefix_ends, *chars, *key, *value;
    Py_ssize_t k, position = 0;
    if (self->bucket != NULL) {
        PyErr_SetString(PyExc_RuntimeError, "a Lattice is built once");
        return -1;
    }
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OOOUO!O!O!dd", names, &words, &freqs, &prefixes, &firsts,
                                     &PyList_Type, &word_ends, &PyList_Type, &prefix_ends, &PyDict_Type, &chars,
                                     &self->unknown_char, &self->log_total))
        return -1;
    self->n_firsts = PyUnicode_GET_LENGTH(firsts);
    if (PyList_GET_SIZE(word_ends) != self->n_firsts || PyList_GET_SIZE(prefix_ends) != self->n_firsts) {
        PyErr_SetString(PyExc_ValueError, "one end of words and one of prefixes per first character");
        return -1;
    }
    if (PyObject_GetBuffer(words, &self->words_buffer, PyBUF_SIMPLE) < 0
        || PyObject_GetBuffer(prefixes, &self->prefixes_buffer, PyBUF_SIMPLE) < 0
        || PyObject_GetBuffer(freqs, &self->freqs_buffer, PyBUF_FORMAT) < 0)
        return -1;
    if (strcmp(self->freqs_buffer.format, "I") != 0 || self->freqs_buffer.itemsize != 4) {
        PyErr_SetString(PyExc_TypeError, "freqs must be an array of 4-byte unsigned integers ('I')");
        return -1;
    }
    self->freqs = self->freqs_buffer.buf;
    if (index_entries(&self->words_buffer, &self->words) < 0 || index_entries(&self->prefixes_buffer, &self->prefixes) < 0)
        return -1;
    if (self->words.count != self->freqs_buffer.len / 4) {
        PyErr_SetString(PyExc_ValueError, "one frequency per word");
        return -1;
    }
    self->firsts = PyUnicode_AsUCS4Copy(firsts);
    if (self->firsts == NULL)
        return -1;
    self->word_ends = entry_ends(word_ends, self->n_firsts, self->words.count);
    self->prefix_ends = entry_ends(prefix_ends, self->n_firsts, self->prefixes.count);
    if (self->word_ends == NULL || self->prefix_ends == NULL)
        return -1;
    if (mark_openings(self) < 0)
        return -1;
    self->remembered = PyMem_Calloc(REMEMBERED, sizeof(Remembered));  /* size 0: empty */
    if (self->remembered == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    self->bucket = PyMem_New(int32_t, BMP);
    self->char_logp = PyMem_New(double, BMP);
    if (self->bucket == NULL || self->char_logp == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (k = 0; k < BMP; k++)
        self->bucket[k] = -1;
    for (k = 0; k < self->n_firsts; k++) {
        if ((k && self->firsts[k] <= self->firsts[k - 1])) {
            PyErr_SetString(PyExc_ValueError, "first characters must be sorted");
            return -1;
        }
        if (self->firsts[k] < BMP)
            self->bucket[self->firsts[k]] = (int32_t)k;
    }
    for (k = 0; k < BMP; k++)
        self->char_logp[k] = self->unknown_char;
    while (PyDict_Next(chars, &position, &key, &value)) {
        double logp = PyFloat_AsDouble(value);
        if (!PyUnicode_Check(key) || PyUnicode_GET_LENGTH(key) != 1 || (logp == -1.0 && PyErr_Occurred())) {
            PyErr_SetString(PyExc_TypeError, "char_logp maps single characters to floats");
            return -1;
        }
        if (PyUnicode_READ_CHAR(key, 0) < BMP)
            self->char_logp[PyUnicode_READ_CHAR(key, 0)] = logp;
    }
    Py_INCREF(chars);
    self->char_dict = chars;
    return 0;
}

static void
Lattice_dealloc(Lattice *self)
{
    if (self->words_buffer.obj)
        PyBuffer_Release(&self->words_buffer);
    if (self->prefixes_buffer.obj)
        PyBuffer_Release(&self->prefixes_buffer);
    if (self->freqs_buffer.obj)
        PyBuffer_Release(&self->freqs_buffer);
    PyMem_Free(self->words.starts);
    PyMem_Free(self->prefixes.starts);
    PyMem_Free(self->bucket);
    PyMem_Free(self->openings);
    PyMem_Free(self->remembered);
    PyMem_Free(self->firsts);
    PyMem_Free(self->word_ends);
    PyMem_Free(self->prefix_ends);
    PyMem_Free(self->char_logp);
    Py_XDECREF(self->char_dict);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyMethodDef Lattice_methods[] = {
    {"support", (PyCFunction)Lattice_support, METH_VARARGS,
     "support(text, index) -> (float, bool): Lexicon.support, computed here."},
    {"support_around", (PyCFunction)Lattice_support_around, METH_VARARGS,
     "support_around(text, index, masked) -> (float, bool): Lexicon.support_around, computed here."},
    {"in_word", (PyCFunction)Lattice_in_word, METH_VARARGS,
     "in_word(text, index) -> bool: Lexicon.in_word, computed here."},
    {NULL, NULL, 0, NULL},
};

PyTypeObject LatticeType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "jiaokan.encodings._lattice.Lattice",
    .tp_doc = "The lexicon's word lattice over the compiled lexicon's sorted tables.",
    .tp_basicsize = sizeof(Lattice),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Lattice_init,
    .tp_dealloc = (destructor)Lattice_dealloc,
    .tp_methods = Lattice_methods,
};

static PyMethodDef module_functions[] = {
    {"score_candidates", jk_score_candidates, METH_VARARGS,
     "score_candidates(lattice, flat, ranges, starts, table, classes, usage, decorated, weights, candidate) -> "
     "(candidates, lines): FounderScorer.score, computed here (_founder_scores.c)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef lattice_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_lattice",
    .m_doc = "The lexicon's word lattice and the Founder scorer, compiled (see lexicon.py, founder_scores.py).",
    .m_size = -1,
    .m_methods = module_functions,
};

PyMODINIT_FUNC
PyInit__lattice(void)
{
    PyObject *module;
    if (PyType_Ready(&LatticeType) < 0)
        return NULL;
    module = PyModule_Create(&lattice_module);
    if (module == NULL)
        return NULL;
    Py_INCREF(&LatticeType);
    if (PyModule_AddObject(module, "Lattice", (PyObject *)&LatticeType) < 0) {
        Py_DECREF(&LatticeType);
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
