/* builder/_fragments.c: a passage's text fragment, compiled.

   This mirrors fragments.directive of builder/render/fragments.py after its window and haystack (the paragraphs
   of the passage, _words_before, _words_after, _best's best-first search over forms, _form and the fallback),
   which stays the rule (and the code wherever this module is not built): `directive(text, lo, hi, start, end,
   searched, wanted_start, wanted_end)` returns the same `text=…` ("" for None), or None where it declines (a lone
   surrogate in a word it reads; an empty first or last paragraph, where the rule raises), and the Python
   code runs instead. And `haystack(body)`: the searched text Haystack makes of an article's body, with its runs of
   white space, where the body takes Haystack's quickest route, else None (Haystack._searched then makes it).
   tests/test_fragments_native.py holds each equal to its rule.

   How each Python rule is read here:
   - white space, for str.split and for _PARAGRAPH's `\s`, is Py_UNICODE_ISSPACE; `\n\s*\n` matches in a run
     of white space exactly where the run holds two newlines (then from its first to its last), so the
     paragraphs are the words between such runs. _words_before's and _words_after's widening windows
     find what one scan to the paragraph's edge (or lo, hi) finds.
   - a word's lowercase is str.lower (called for any word that is not ASCII), and a part's lowercase is its
     words' lowercases joined by " ": the same as the joined part lowered, since str.lower looks past a
     character only for a final sigma, and a space (neither cased nor case-ignorable) stops that look.
   - isalnum of one character is Py_UNICODE_ISALNUM, as str.isalnum of a one-character str.
   - the two strings Haystack._needles finds for a word and its neighbour (joined by " " or glued) are
     found in one pass: every place of the left part (or of the word), then " "+rest or rest right after.
     Of the two needles' first whole matches _next keeps the earlier, and that is the first here. Glued
     where letters or digits meet (which _needles does not search) is never whole: the same places.
   - encode(part) and _encoded_length(part): each UTF-8 byte of the part as it is, if unreserved
     (A-Z a-z 0-9 _ .), else as %XX (uppercase hex).
   The text is read in its own PEP 393 kind; every read is bounds-checked against its length.
   After a change, besides the tests, run `python3 bench/native_check.py OUT --sanitize`. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>
#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#define PAIRS_BY_SSE2 1
#endif

#ifndef SOURCE_SHA256
#error "build with -DSOURCE_SHA256=\"<sha256 of this file>\" (builder/native.py does)"
#endif

#define MAX_WORDS 6 /* fragments.MAX_WORDS: words taken from each edge */
#define SIDE (MAX_WORDS + 1)
#define KEYS (SIDE * SIDE * SIDE * SIDE)
#define NONE (-1)

/* ---- the searched text ---- */

typedef struct {
    int kind;
    const void *data;
    Py_ssize_t n;
} Text;

typedef struct {
    const Py_UCS4 *s;
    Py_ssize_t n;
} Part;

static inline Py_UCS4 char_at(const Text *t, Py_ssize_t i) { return PyUnicode_READ(t->kind, t->data, i); }

static inline int alnum_at(const Text *t, Py_ssize_t i) {
    const Py_UCS4 c = char_at(t, i); /* (ASCII: letters and digits, as Py_UNICODE_ISALNUM says) */
    return c < 128 ? ((c | 32) - 'a' < 26u) | (c - '0' < 10u) : Py_UNICODE_ISALNUM(c);
}

/* Whether the part is in the text at pos (wholly inside it). */
static int eq_at(const Text *t, Py_ssize_t pos, Part p) {
    if (pos < 0 || pos > t->n - p.n)
        return 0;
    Py_ssize_t i;
    switch (t->kind) {
    case PyUnicode_1BYTE_KIND: {
        const Py_UCS1 *d = (const Py_UCS1 *)t->data + pos;
        for (i = 0; i < p.n; i++)
            if (d[i] != p.s[i])
                return 0;
        return 1;
    }
    case PyUnicode_2BYTE_KIND: {
        const Py_UCS2 *d = (const Py_UCS2 *)t->data + pos;
        for (i = 0; i < p.n; i++)
            if (d[i] != p.s[i])
                return 0;
        return 1;
    }
    default: {
        const Py_UCS4 *d = (const Py_UCS4 *)t->data + pos;
        for (i = 0; i < p.n; i++)
            if (d[i] != p.s[i])
                return 0;
        return 1;
    }
    }
}

/* The first i in [from, upto] where the text holds c, or NONE. */
static Py_ssize_t scan(const Text *t, Py_UCS4 c, Py_ssize_t from, Py_ssize_t upto) {
    if (from < 0)
        from = 0;
    if (upto > t->n - 1)
        upto = t->n - 1;
    if (from > upto)
        return NONE;
    Py_ssize_t i;
    switch (t->kind) {
    case PyUnicode_1BYTE_KIND: {
        if (c > 0xFF)
            return NONE;
        const Py_UCS1 *d = (const Py_UCS1 *)t->data;
        const Py_UCS1 *hit = memchr(d + from, (int)c, (size_t)(upto - from + 1));
        return hit ? hit - d : NONE;
    }
    case PyUnicode_2BYTE_KIND: {
        if (c > 0xFFFF)
            return NONE;
        const Py_UCS2 *d = (const Py_UCS2 *)t->data;
        const Py_UCS2 cc = (Py_UCS2)c;
        for (i = from; i <= upto; i++)
            if (d[i] == cc)
                return i;
        return NONE;
    }
    default: {
        const Py_UCS4 *d = (const Py_UCS4 *)t->data;
        for (i = from; i <= upto; i++)
            if (d[i] == c)
                return i;
        return NONE;
    }
    }
}

/* The last i in [from, upto] where the text holds c, or NONE. */
static Py_ssize_t rscan(const Text *t, Py_UCS4 c, Py_ssize_t from, Py_ssize_t upto) {
    if (from < 0)
        from = 0;
    if (upto > t->n - 1)
        upto = t->n - 1;
    Py_ssize_t i;
    switch (t->kind) {
    case PyUnicode_1BYTE_KIND: {
        if (c > 0xFF)
            return NONE;
        const Py_UCS1 *d = (const Py_UCS1 *)t->data;
        for (i = upto; i >= from; i--)
            if (d[i] == c)
                return i;
        return NONE;
    }
    case PyUnicode_2BYTE_KIND: {
        if (c > 0xFFFF)
            return NONE;
        const Py_UCS2 *d = (const Py_UCS2 *)t->data;
        for (i = upto; i >= from; i--)
            if (d[i] == c)
                return i;
        return NONE;
    }
    default: {
        const Py_UCS4 *d = (const Py_UCS4 *)t->data;
        for (i = upto; i >= from; i--)
            if (d[i] == c)
                return i;
        return NONE;
    }
    }
}

/* The first i in [from, upto] where the text holds c0 and c1 after it, or NONE (upto < n - 1). Eight or
   sixteen places at a time where SSE2 is at hand. */
static Py_ssize_t scan2(const Text *t, Py_UCS4 c0, Py_UCS4 c1, Py_ssize_t from, Py_ssize_t upto) {
    if (from < 0)
        from = 0;
    if (upto > t->n - 2)
        upto = t->n - 2;
    Py_ssize_t i = from;
    switch (t->kind) {
    case PyUnicode_1BYTE_KIND: {
        if (c0 > 0xFF || c1 > 0xFF)
            return NONE;
        const Py_UCS1 *d = (const Py_UCS1 *)t->data;
#ifdef PAIRS_BY_SSE2
        const __m128i v0 = _mm_set1_epi8((char)c0), v1 = _mm_set1_epi8((char)c1);
        for (; i + 16 <= upto + 1; i += 16) { /* reads d[i, i + 17): upto + 2 <= n */
            __m128i x = _mm_loadu_si128((const __m128i *)(d + i)), y = _mm_loadu_si128((const __m128i *)(d + i + 1));
            int mask = _mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(x, v0), _mm_cmpeq_epi8(y, v1)));
            if (mask)
                return i + __builtin_ctz(mask);
        }
#endif
        for (; i <= upto; i++)
            if (d[i] == c0 && d[i + 1] == c1)
                return i;
        return NONE;
    }
    case PyUnicode_2BYTE_KIND: {
        if (c0 > 0xFFFF || c1 > 0xFFFF)
            return NONE;
        const Py_UCS2 *d = (const Py_UCS2 *)t->data;
#ifdef PAIRS_BY_SSE2
        const __m128i v0 = _mm_set1_epi16((short)c0), v1 = _mm_set1_epi16((short)c1);
        for (; i + 8 <= upto + 1; i += 8) { /* reads d[i, i + 9): upto + 2 <= n */
            __m128i x = _mm_loadu_si128((const __m128i *)(d + i)), y = _mm_loadu_si128((const __m128i *)(d + i + 1));
            int mask = _mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi16(x, v0), _mm_cmpeq_epi16(y, v1)));
            if (mask)
                return i + (__builtin_ctz(mask) >> 1);
        }
#endif
        for (; i <= upto; i++)
            if (d[i] == c0 && d[i + 1] == c1)
                return i;
        return NONE;
    }
    default: {
        const Py_UCS4 *d = (const Py_UCS4 *)t->data;
        for (; i <= upto; i++)
            if (d[i] == c0 && d[i + 1] == c1)
                return i;
        return NONE;
    }
    }
}

/* The last i in [from, upto] where the text holds c0 and c1 after it, or NONE. */
static Py_ssize_t rscan2(const Text *t, Py_UCS4 c0, Py_UCS4 c1, Py_ssize_t from, Py_ssize_t upto) {
    if (from < 0)
        from = 0;
    if (upto > t->n - 2)
        upto = t->n - 2;
    Py_ssize_t i = upto;
    switch (t->kind) {
    case PyUnicode_1BYTE_KIND: {
        if (c0 > 0xFF || c1 > 0xFF)
            return NONE;
        const Py_UCS1 *d = (const Py_UCS1 *)t->data;
#ifdef PAIRS_BY_SSE2
        const __m128i v0 = _mm_set1_epi8((char)c0), v1 = _mm_set1_epi8((char)c1);
        for (; i - 15 >= from; i -= 16) { /* places i - 15 .. i: reads d[i - 15, i + 2) */
            __m128i x = _mm_loadu_si128((const __m128i *)(d + i - 15)), y = _mm_loadu_si128((const __m128i *)(d + i - 14));
            int mask = _mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(x, v0), _mm_cmpeq_epi8(y, v1)));
            if (mask)
                return i - 15 + (31 - __builtin_clz(mask));
        }
#endif
        for (; i >= from; i--)
            if (d[i] == c0 && d[i + 1] == c1)
                return i;
        return NONE;
    }
    case PyUnicode_2BYTE_KIND: {
        if (c0 > 0xFFFF || c1 > 0xFFFF)
            return NONE;
        const Py_UCS2 *d = (const Py_UCS2 *)t->data;
#ifdef PAIRS_BY_SSE2
        const __m128i v0 = _mm_set1_epi16((short)c0), v1 = _mm_set1_epi16((short)c1);
        for (; i - 7 >= from; i -= 8) { /* places i - 7 .. i: reads d[i - 7, i + 2) */
            __m128i x = _mm_loadu_si128((const __m128i *)(d + i - 7)), y = _mm_loadu_si128((const __m128i *)(d + i - 6));
            int mask = _mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi16(x, v0), _mm_cmpeq_epi16(y, v1)));
            if (mask)
                return i - 7 + ((31 - __builtin_clz(mask)) >> 1);
        }
#endif
        for (; i >= from; i--)
            if (d[i] == c0 && d[i + 1] == c1)
                return i;
        return NONE;
    }
    default: {
        const Py_UCS4 *d = (const Py_UCS4 *)t->data;
        for (; i >= from; i--)
            if (d[i] == c0 && d[i + 1] == c1)
                return i;
        return NONE;
    }
    }
}

/* The first place in [from, upto] where the part starts, or NONE. */
static Py_ssize_t find(const Text *t, Part p, Py_ssize_t from, Py_ssize_t upto) {
    if (upto > t->n - p.n)
        upto = t->n - p.n;
    for (;;) {
        Py_ssize_t i = p.n > 1 ? scan2(t, p.s[0], p.s[1], from, upto) : scan(t, p.s[0], from, upto);
        if (i == NONE || eq_at(t, i, p))
            return i;
        from = i + 1;
    }
}

/* The last place in [0, upto] where the part starts, or NONE. */
static Py_ssize_t rfind(const Text *t, Part p, Py_ssize_t upto) {
    if (upto > t->n - p.n)
        upto = t->n - p.n;
    for (;;) {
        Py_ssize_t i = p.n > 1 ? rscan2(t, p.s[0], p.s[1], 0, upto) : rscan(t, p.s[0], 0, upto);
        if (i == NONE || eq_at(t, i, p))
            return i;
        upto = i - 1;
    }
}

/* Haystack._whole: no letter or digit joined on at either edge of the n characters at w. */
static int whole(const Text *t, Py_ssize_t w, Py_ssize_t n) {
    return !(w > 0 && alnum_at(t, w) && alnum_at(t, w - 1)) &&
           !(w + n < t->n && alnum_at(t, w + n - 1) && alnum_at(t, w + n));
}

/* Whether `rest` follows at `at`, joined by one space or glued. */
static int joined(const Text *t, Py_ssize_t at, Part rest) {
    return (at < t->n && char_at(t, at) == ' ' && eq_at(t, at + 1, rest)) || eq_at(t, at, rest);
}

/* Haystack._next: the first w in [at, to] where `word` occurs as whole words right after `left` or right
   before `right` (one of them empty, or both), or NONE. */
static Py_ssize_t next(const Text *t, Part left, Part word, Part right, Py_ssize_t at, Py_ssize_t to) {
    if (left.n) {
        const Py_ssize_t L = left.n;
        Py_ssize_t q = at - L - 1 > 0 ? at - L - 1 : 0;
        const Py_ssize_t upto = to - L; /* the glued word at q + L, the spaced one after */
        for (;;) {
            q = find(t, left, q, upto);
            if (q == NONE)
                return NONE;
            Py_ssize_t w = q + L;
            if (w < t->n && char_at(t, w) == ' ')
                w++;
            if (w >= at && w <= to && eq_at(t, w, word) && whole(t, w, word.n))
                return w;
            q++;
        }
    }
    Py_ssize_t w = at > 0 ? at : 0;
    for (;;) {
        w = find(t, word, w, to);
        if (w == NONE)
            return NONE;
        if (whole(t, w, word.n) && (!right.n || joined(t, w + word.n, right)))
            return w;
        w++;
    }
}

/* Haystack._last: the last place where `word` occurs as whole words right before `right` (or alone). */
static Py_ssize_t last(const Text *t, Part word, Part right) {
    Py_ssize_t w = t->n;
    for (;;) {
        w = rfind(t, word, w);
        if (w == NONE)
            return NONE;
        if (whole(t, w, word.n) && (!right.n || joined(t, w + word.n, right)))
            return w;
        w--;
    }
}

/* Haystack._followed: the suffix right after `stop` (a space between allowed), or no suffix. */
static int followed(const Text *t, Py_ssize_t stop, Part suffix) {
    return !suffix.n || eq_at(t, stop, suffix) || (stop < t->n && char_at(t, stop) == ' ' && eq_at(t, stop + 1, suffix));
}

/* ---- the words of a passage ---- */

typedef struct {
    Py_ssize_t count;
    Py_UCS4 *low;           /* the words lowercase, joined by " " */
    Py_ssize_t *low_at;     /* word i at [low_at[2i], low_at[2i+1]) of low */
    char *enc;              /* the words as written, encoded, joined by "%20" */
    Py_ssize_t *enc_at;     /* word i at [enc_at[2i], enc_at[2i+1]) of enc */
} Words;

static const char HEX[] = "0123456789ABCDEF";

static int unreserved(Py_UCS4 c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
}

/* Characters taken by c encoded (its UTF-8 bytes, each %XX but an unreserved one). */
static Py_ssize_t encoded_size(Py_UCS4 c) {
    return c < 0x80 ? (unreserved(c) ? 1 : 3) : c < 0x800 ? 6 : c < 0x10000 ? 9 : 12;
}

static char *percent(char *out, unsigned byte) {
    *out++ = '%';
    *out++ = HEX[byte >> 4];
    *out++ = HEX[byte & 15];
    return out;
}

static char *encode_char(char *out, Py_UCS4 c) {
    if (c < 0x80) {
        if (unreserved(c))
            *out++ = (char)c;
        else
            out = percent(out, c);
    } else if (c < 0x800) {
        out = percent(out, 0xC0 | (c >> 6));
        out = percent(out, 0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out = percent(out, 0xE0 | (c >> 12));
        out = percent(out, 0x80 | ((c >> 6) & 0x3F));
        out = percent(out, 0x80 | (c & 0x3F));
    } else {
        out = percent(out, 0xF0 | (c >> 18));
        out = percent(out, 0x80 | ((c >> 12) & 0x3F));
        out = percent(out, 0x80 | ((c >> 6) & 0x3F));
        out = percent(out, 0x80 | (c & 0x3F));
    }
    return out;
}

static void words_free(Words *w) {
    PyMem_Free(w->low_at); /* (the one block: low_at, enc_at, low, enc) */
    memset(w, 0, sizeof *w);
}

/* Fill `w` with the words at spans[2i] .. spans[2i + 1] of src: 1, or 0 where the search declines them (a lone
   surrogate: not encodable, the Python rule raises), or -1 with an exception set. */
static int words_read(PyObject *src, const Py_ssize_t *spans, Py_ssize_t count, Words *w) {
    memset(w, 0, sizeof *w);
    const int kind = PyUnicode_KIND(src);
    const void *data = PyUnicode_DATA(src);
    PyObject *few[16] = {NULL}; /* the lowercase of each word that is not ASCII */
    PyObject **lowered = count <= 16 ? few : PyMem_Calloc(count, sizeof(PyObject *));
    if (lowered == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    int result = 0;
    Py_ssize_t low_size = 0, enc_size = 0, i, j;
    for (i = 0; i < count; i++) {
        const Py_ssize_t s = spans[2 * i], e = spans[2 * i + 1];
        int ascii = 1;
        for (j = s; j < e; j++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, j);
            if (c >= 0xD800 && c <= 0xDFFF)
                goto done;
            ascii &= c < 0x80;
            enc_size += encoded_size(c);
        }
        if (ascii) {
            low_size += e - s;
        } else { /* str.lower, as the rule lowers it */
            PyObject *word = PyUnicode_Substring(src, s, e);
            lowered[i] = word ? PyObject_CallMethod(word, "lower", NULL) : NULL;
            Py_XDECREF(word);
            if (lowered[i] == NULL || !PyUnicode_Check(lowered[i]) ||
                PyUnicode_GET_LENGTH(lowered[i]) == 0) {
                result = lowered[i] == NULL ? -1 : 0;
                goto done;
            }
            low_size += PyUnicode_GET_LENGTH(lowered[i]);
        }
    }
    w->count = count;
    w->low_at = PyMem_Malloc(sizeof(Py_ssize_t) * (4 * count + 2) + sizeof(Py_UCS4) * (low_size + count + 1) +
                             enc_size + 3 * count + 1);
    if (w->low_at == NULL) {
        PyErr_NoMemory();
        result = -1;
        goto done;
    }
    w->enc_at = w->low_at + 2 * count + 1;
    w->low = (Py_UCS4 *)(w->enc_at + 2 * count + 1);
    w->enc = (char *)(w->low + low_size + count + 1);
    Py_ssize_t lo = 0;
    char *out = w->enc;
    for (i = 0; i < count; i++) {
        const Py_ssize_t s = spans[2 * i], e = spans[2 * i + 1];
        if (i) {
            w->low[lo++] = ' ';
            memcpy(out, "%20", 3);
            out += 3;
        }
        w->low_at[2 * i] = lo;
        w->enc_at[2 * i] = out - w->enc;
        for (j = s; j < e; j++)
            out = encode_char(out, PyUnicode_READ(kind, data, j));
        if (lowered[i] == NULL) {
            for (j = s; j < e; j++) {
                Py_UCS4 c = PyUnicode_READ(kind, data, j);
                w->low[lo++] = c >= 'A' && c <= 'Z' ? c + 32 : c;
            }
        } else {
            PyObject *low = lowered[i];
            const int lkind = PyUnicode_KIND(low);
            const void *ldata = PyUnicode_DATA(low);
            for (j = 0; j < PyUnicode_GET_LENGTH(low); j++)
                w->low[lo++] = PyUnicode_READ(lkind, ldata, j);
        }
        w->low_at[2 * i + 1] = lo;
        w->enc_at[2 * i + 1] = out - w->enc;
    }
    result = 1;
done:
    for (i = 0; i < count; i++)
        Py_XDECREF(lowered[i]);
    if (lowered != few)
        PyMem_Free(lowered);
    if (result != 1)
        words_free(w);
    return result;
}

/* ---- the words of a passage and of its context, read from the article's text ---- */

static inline int space_at(const Text *t, Py_ssize_t i) { return Py_UNICODE_ISSPACE(char_at(t, i)); }

/* Whether the white space at [a, b) breaks a paragraph (_PARAGRAPH, `\n\s*\n`, matches in it: two newlines). */
static int breaks(const Text *t, Py_ssize_t a, Py_ssize_t b) {
    int newlines = 0;
    for (; a < b && newlines < 2; a++)
        newlines += char_at(t, a) == '\n';
    return newlines == 2;
}

/* The words (str.split's) of [a, b) as spans into `spans` (room for (b - a + 1) / 2 words), how many, and
   where each paragraph break falls: *first_break, the words before the first, *last_break, before the last
   (both -1 when none). */
static Py_ssize_t passage_words(const Text *t, Py_ssize_t a, Py_ssize_t b, Py_ssize_t *spans,
                                Py_ssize_t *first_break, Py_ssize_t *last_break) {
    Py_ssize_t count = 0, i = a;
    *first_break = *last_break = -1;
    for (;;) {
        Py_ssize_t j = i;
        while (j < b && space_at(t, j))
            j++;
        if (breaks(t, i, j)) {
            if (*first_break < 0)
                *first_break = count;
            *last_break = count;
        }
        if (j == b)
            return count;
        i = j;
        while (j < b && !space_at(t, j))
            j++;
        spans[2 * count] = i;
        spans[2 * count + 1] = j;
        count++;
        i = j;
    }
}

/* _words_before: the last MAX_WORDS words of the paragraph that runs up to `at` (not before lo), as spans. */
static Py_ssize_t words_before(const Text *t, Py_ssize_t lo, Py_ssize_t at, Py_ssize_t *spans) {
    Py_ssize_t found[2 * MAX_WORDS], count = 0, i = at;
    while (count < MAX_WORDS) {
        Py_ssize_t j = i;
        while (j > lo && space_at(t, j - 1))
            j--;
        if (j == lo || breaks(t, j, i))
            break;
        i = j;
        while (j > lo && !space_at(t, j - 1))
            j--;
        found[2 * count] = j;
        found[2 * count + 1] = i;
        count++;
        i = j;
    }
    for (Py_ssize_t k = 0; k < count; k++) {
        spans[2 * k] = found[2 * (count - 1 - k)];
        spans[2 * k + 1] = found[2 * (count - 1 - k) + 1];
    }
    return count;
}

/* _words_after: the first MAX_WORDS words of the paragraph that runs on from `at` (not past hi), as spans. */
static Py_ssize_t words_after(const Text *t, Py_ssize_t at, Py_ssize_t hi, Py_ssize_t *spans) {
    Py_ssize_t count = 0, i = at;
    while (count < MAX_WORDS) {
        Py_ssize_t j = i;
        while (j < hi && space_at(t, j))
            j++;
        if (j == hi || breaks(t, i, j))
            break;
        i = j;
        while (j < hi && !space_at(t, j))
            j++;
        spans[2 * count] = i;
        spans[2 * count + 1] = j;
        count++;
        i = j;
    }
    return count;
}

/* Words [i, j) of w, lowercase and joined (empty when i == j). */
static Part low_part(const Words *w, Py_ssize_t i, Py_ssize_t j) {
    Part p = {w->low, 0};
    if (i < j) {
        p.s = w->low + w->low_at[2 * i];
        p.n = w->low_at[2 * j - 1] - w->low_at[2 * i];
    }
    return p;
}

typedef struct {
    const char *s;
    Py_ssize_t n;
} Bytes;

static Bytes enc_part(const Words *w, Py_ssize_t i, Py_ssize_t j) {
    Bytes b = {w->enc, 0};
    if (i < j) {
        b.s = w->enc + w->enc_at[2 * i];
        b.n = w->enc_at[2 * j - 1] - w->enc_at[2 * i];
    }
    return b;
}

static Py_ssize_t enc_len(const Words *w, Py_ssize_t i) { return w->enc_at[2 * i + 1] - w->enc_at[2 * i]; }

/* ---- the search ---- */

typedef struct {
    Py_ssize_t length;
    unsigned char a, b, p, s;
} Form;

typedef struct {
    Form f;
    const char *text;
    Py_ssize_t n;
} Tried;

typedef struct {
    Text t;
    Words before, first, last, after;
    Py_ssize_t wanted0, wanted1;
    Form heap[KEYS];
    Py_ssize_t size;
    unsigned char seen[KEYS];
    signed char alive[SIDE][SIDE];
    Py_ssize_t first_at[SIDE][SIDE]; /* first_start's memo: -2 not asked yet */
    Tried tried[KEYS];
} Search;

static Search search;  /* (one search at a time: the GIL is held throughout, nothing calls back) */
static int busy;

static int before_(const Form *x, const Form *y) {
    if (x->length != y->length)
        return x->length < y->length;
    if (x->a != y->a)
        return x->a < y->a;
    if (x->b != y->b)
        return x->b < y->b;
    if (x->p != y->p)
        return x->p < y->p;
    return x->s < y->s;
}

static void push(Search *S, int a, int b, int p, int s, Py_ssize_t length) {
    const int key = ((a * SIDE + b) * SIDE + p) * SIDE + s;
    if (S->seen[key])
        return;
    S->seen[key] = 1;
    Form f = {length, (unsigned char)a, (unsigned char)b, (unsigned char)p, (unsigned char)s};
    Py_ssize_t i = S->size++;
    while (i > 0) {
        Py_ssize_t up = (i - 1) / 2;
        if (!before_(&f, &S->heap[up]))
            break;
        S->heap[i] = S->heap[up];
        i = up;
    }
    S->heap[i] = f;
}

static Form pop(Search *S) {
    Form top = S->heap[0], f = S->heap[--S->size];
    Py_ssize_t i = 0;
    for (;;) {
        Py_ssize_t c = 2 * i + 1;
        if (c >= S->size)
            break;
        if (c + 1 < S->size && before_(&S->heap[c + 1], &S->heap[c]))
            c++;
        if (!before_(&S->heap[c], &f))
            break;
        S->heap[i] = S->heap[c];
        i = c;
    }
    if (S->size)
        S->heap[i] = f;
    return top;
}

/* The four parts of form (a, b, p, s), lowercase (_parts, lowered). */
static void low_parts(const Search *S, int a, int b, int p, int s, Part out[4]) {
    out[0] = low_part(&S->before, S->before.count - p, S->before.count);
    out[1] = low_part(&S->first, 0, a ? a : S->first.count);
    out[2] = low_part(&S->last, S->last.count - b, S->last.count);
    out[3] = low_part(&S->after, 0, s);
}

static Py_ssize_t first_start(Search *S, int a, int p) {
    if (S->first_at[a][p] == -2) {
        Part parts[4], empty = {NULL, 0};
        low_parts(S, a, 0, p, 0, parts);
        S->first_at[a][p] = next(&S->t, parts[0], parts[1], empty, 0, PY_SSIZE_T_MAX);
    }
    return S->first_at[a][p];
}

/* Haystack.selects_only: 1 or 0, or -1 where the rule would fail (an end whose last match is gone). */
static int selects_only(Search *S, int a, int b, int p, int s) {
    const Text *t = &S->t;
    Part parts[4], empty = {NULL, 0};
    low_parts(S, a, b, p, s, parts);
    const Part prefix = parts[0], start = parts[1], end = parts[2], suffix = parts[3];
    if (!end.n) {
        if (S->wanted1 != S->wanted0 + start.n)
            return 0;
        Py_ssize_t hit = NONE, at = 0;
        for (int k = 0; k < 2; k++) { /* the first two matches followed by the suffix */
            do {
                hit = next(t, prefix, start, empty, at, PY_SSIZE_T_MAX);
                at = hit + 1;
            } while (hit != NONE && !followed(t, hit + start.n, suffix));
            if (k == 0 && hit != S->wanted0)
                return 0;
        }
        return hit == NONE;
    }
    if (first_start(S, a, p) != S->wanted0)
        return 0;
    if (next(t, empty, end, suffix, S->wanted0 + start.n, PY_SSIZE_T_MAX) != S->wanted1 - end.n)
        return 0;
    Py_ssize_t final = last(t, end, suffix);
    if (final == NONE)
        return -1;
    return next(t, prefix, start, empty, S->wanted0 + 1, final - start.n) == NONE;
}

/* The encoded form of (a, b, p, s), as _form(*_parts(...)) writes it, into out (NUL not written). */
static Py_ssize_t form_text(const Search *S, const Form *f, char *out) {
    Bytes prefix = enc_part(&S->before, S->before.count - f->p, S->before.count);
    Bytes start = enc_part(&S->first, 0, f->a ? f->a : S->first.count);
    Bytes end = enc_part(&S->last, S->last.count - f->b, S->last.count);
    Bytes suffix = enc_part(&S->after, 0, f->s);
    if (out == NULL) /* (only its size) */
        return prefix.n + 2 + start.n + 1 + end.n + 2 + suffix.n;
    char *o = out;
    if (prefix.n) {
        memcpy(o, prefix.s, prefix.n);
        o += prefix.n;
        memcpy(o, "-,", 2);
        o += 2;
    }
    memcpy(o, start.s, start.n);
    o += start.n;
    if (end.n) {
        *o++ = ',';
        memcpy(o, end.s, end.n);
        o += end.n;
    }
    if (suffix.n) {
        memcpy(o, ",-", 2);
        o += 2;
        memcpy(o, suffix.s, suffix.n);
        o += suffix.n;
    }
    return o - out;
}

static int tried_before(const Tried *x, const Tried *y) {
    Py_ssize_t n = x->n < y->n ? x->n : y->n;
    int c = memcmp(x->text, y->text, n);
    if (c || x->n != y->n)
        return c ? c < 0 : x->n < y->n;
    Form fx = x->f, fy = y->f;
    fx.length = fy.length = 0;
    return before_(&fx, &fy);
}

/* _best's loop: 1 with the winning form in *found, 0 where none, -1 where declined, -2 on an error. */
static int run(Search *S, Form *found) {
    Words *before = &S->before, *first = &S->first, *last = &S->last, *after = &S->after;
    const int single = S->first.low == S->last.low;
    const int n_starts = first->count < MAX_WORDS ? first->count : MAX_WORDS;
    const int n_ends = last->count < MAX_WORDS ? last->count : MAX_WORDS;
    const int n_prefixes = before->count, n_suffixes = after->count;
    const Py_ssize_t room = single ? last->count : 2 * MAX_WORDS;
    Tried *tried = S->tried;
    char *texts = NULL;
    Py_ssize_t texts_size = 0;
    int result = 0;
    if (single)
        push(S, 0, 0, 0, 0, first->enc_at[2 * first->count - 1]);
    if (room > 1)
        push(S, 1, 1, 0, 0, enc_len(first, 0) + 1 + enc_len(last, last->count - 1));
    while (S->size) {
        const Py_ssize_t length = S->heap[0].length;
        Py_ssize_t n_tried = 0, i;
        while (S->size && S->heap[0].length == length) {
            Form f = pop(S);
            const int a = f.a, b = f.b, p = f.p, s = f.s;
            if (b && S->alive[a][p] < 0)
                S->alive[a][p] = first_start(S, a, p) == S->wanted0;
            if (b && !S->alive[a][p]) {
                if (a < n_starts && a + b < room)
                    push(S, a + 1, b, p, s, length + enc_len(first, a) + 3);
                if (p < n_prefixes)
                    push(S, a, b, p + 1, s, length + enc_len(before, before->count - p - 1) + (p ? 3 : 2));
            } else {
                tried[n_tried++].f = f;
            }
        }
        if (n_tried > 1) { /* in their forms' order, then their keys' (insertion sort: a few) */
            Py_ssize_t need = 0;
            for (i = 0; i < n_tried; i++)
                need += form_text(S, &tried[i].f, NULL);
            if (need > texts_size) {
                PyMem_Free(texts);
                texts = PyMem_Malloc(need);
                texts_size = need;
                if (texts == NULL) {
                    PyErr_NoMemory();
                    return -2;
                }
            }
            char *o = texts;
            for (i = 0; i < n_tried; i++) {
                tried[i].text = o;
                tried[i].n = form_text(S, &tried[i].f, o);
                o += tried[i].n;
            }
            for (i = 1; i < n_tried; i++) {
                Tried x = tried[i];
                Py_ssize_t j = i;
                while (j > 0 && tried_before(&x, &tried[j - 1])) {
                    tried[j] = tried[j - 1];
                    j--;
                }
                tried[j] = x;
            }
        }
        for (i = 0; i < n_tried; i++) {
            const int a = tried[i].f.a, b = tried[i].f.b, p = tried[i].f.p, s = tried[i].f.s;
            int only = selects_only(S, a, b, p, s);
            if (only) {
                result = only;
                *found = tried[i].f;
                goto done;
            }
            if (p < n_prefixes)
                push(S, a, b, p + 1, s, length + enc_len(before, before->count - p - 1) + (p ? 3 : 2));
            if (s < n_suffixes)
                push(S, a, b, p, s + 1, length + enc_len(after, s) + (s ? 3 : 2));
            if (a && a < n_starts && a + b < room)
                push(S, a + 1, b, p, s, length + enc_len(first, a) + 3);
            if (a && b < n_ends && a + b < room)
                push(S, a, b + 1, p, s, length + enc_len(last, last->count - b - 1) + 3);
        }
    }
done:
    PyMem_Free(texts);
    return result;
}

/* The text of an ASCII buffer, "text=" before it. */
static PyObject *text_directive(const char *form, Py_ssize_t n) {
    PyObject *out = PyUnicode_New(5 + n, 127);
    if (out != NULL) {
        memcpy(PyUnicode_DATA(out), "text=", 5);
        memcpy((char *)PyUnicode_DATA(out) + 5, form, n);
    }
    return out;
}

/* fragments.directive after its window and haystack: directive(text, lo, hi, start, end, searched, wanted_start,
   wanted_end), where searched is the haystack's text and wanted its positions of start and end: the
   `text=…` directive of the passage [start, end) of `text` published in [lo, hi), or None where declined. */
static PyObject *directive(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 8) {
        PyErr_SetString(PyExc_TypeError, "directive(text, lo, hi, start, end, searched, wanted_start, wanted_end)");
        return NULL;
    }
    PyObject *text = args[0], *searched = args[5];
    Py_ssize_t number[8];
    for (int k = 1; k < 8; k++)
        if (k != 5 && (number[k] = PyLong_AsSsize_t(args[k])) == -1 && PyErr_Occurred())
            return NULL;
    const Py_ssize_t lo = number[1], hi = number[2], start = number[3], end = number[4], wanted0 = number[6],
                     wanted1 = number[7];
    if (!PyUnicode_CheckExact(text) || !PyUnicode_CheckExact(searched) || !(0 <= lo && lo <= start && start <= end && end <= hi &&
                                           hi <= PyUnicode_GET_LENGTH(text)) || busy)
        Py_RETURN_NONE;
    busy = 1;
    Search *S = &search;
    memset(&S->before, 0, sizeof S->before);
    memset(&S->first, 0, sizeof S->first);
    memset(&S->last, 0, sizeof S->last);
    memset(&S->after, 0, sizeof S->after);
    S->size = 0;
    memset(S->seen, 0, sizeof S->seen);
    memset(S->alive, -1, sizeof S->alive);
    for (int a = 0; a < SIDE; a++)
        for (int p = 0; p < SIDE; p++)
            S->first_at[a][p] = -2;
    S->t.kind = PyUnicode_KIND(searched);
    S->t.data = PyUnicode_DATA(searched);
    S->t.n = PyUnicode_GET_LENGTH(searched);
    S->wanted0 = wanted0;
    S->wanted1 = wanted1;
    const Text src = {PyUnicode_KIND(text), PyUnicode_DATA(text), PyUnicode_GET_LENGTH(text)};
    PyObject *result = NULL;
    char *form = NULL;
    int ok = 0, aliased = 0;
    Py_ssize_t context[2 * MAX_WORDS], first_break, last_break;
    Py_ssize_t *spans = PyMem_Malloc(sizeof(Py_ssize_t) * (end - start + 4));
    if (spans == NULL) {
        PyErr_NoMemory();
        ok = -1;
        goto declined;
    }
    /* the passage's paragraphs (_PARAGRAPH.split): its first and last paragraph's words; single: one paragraph */
    const Py_ssize_t count = passage_words(&src, start, end, spans, &first_break, &last_break);
    const int single = first_break < 0;
    const Py_ssize_t n_first = single ? count : first_break, n_last = single ? count : count - last_break;
    if (!n_first || !n_last) /* (an empty paragraph: the rule fails) */
        goto declined;
    if ((ok = words_read(text, context, words_before(&src, lo, start, context), &S->before)) != 1 ||
        (ok = words_read(text, spans, n_first, &S->first)) != 1 ||
        (ok = words_read(text, context, words_after(&src, end, hi, context), &S->after)) != 1)
        goto declined;
    if (single)
        S->last = S->first, aliased = 1;
    else if ((ok = words_read(text, spans + 2 * last_break, n_last, &S->last)) != 1)
        goto declined;
    Form found;
    ok = run(S, &found);
    if (ok == 1) {
        form = PyMem_Malloc(form_text(S, &found, NULL));
        result = form ? text_directive(form, form_text(S, &found, form)) : PyErr_NoMemory();
    } else if (ok == 0) { /* repeated word for word, context and all: the whole passage, or its first and last word,
                             which browsers show at its first copy; "" (no link) where that is another one */
        Bytes whole = enc_part(&S->first, 0, S->first.count), one = enc_part(&S->first, 0, 1),
              other = enc_part(&S->last, S->last.count - 1, S->last.count);
        form = PyMem_Malloc(whole.n + one.n + 1 + other.n);
        if (first_start(S, single ? 0 : 1, 0) != S->wanted0) {
            result = PyUnicode_FromStringAndSize("", 0);
        } else if (form == NULL) {
            result = PyErr_NoMemory();
        } else if (single) {
            memcpy(form, whole.s, whole.n);
            result = text_directive(form, whole.n);
        } else {
            memcpy(form, one.s, one.n);
            form[one.n] = ',';
            memcpy(form + one.n + 1, other.s, other.n);
            result = text_directive(form, one.n + 1 + other.n);
        }
    } else if (ok == -1) {
        result = Py_None;
        Py_INCREF(result);
    }
    goto done;
declined:
    if (ok != -1) { /* (-1 from words_read, or no memory: an exception is set) */
        result = Py_None;
        Py_INCREF(result);
    }
done:
    PyMem_Free(form);
    PyMem_Free(spans);
    words_free(&S->before);
    words_free(&S->first);
    if (aliased)
        memset(&S->last, 0, sizeof S->last);
    else
        words_free(&S->last);
    words_free(&S->after);
    busy = 0;
    return result;
}

#if defined(__GNUC__)
#define INLINE static inline __attribute__((always_inline))
#else
#define INLINE static inline
#endif

/* A run's end and how much the text shrank up to it, appended: 0, or -1 on an error. */
static int add_run(PyObject *ends, PyObject *shrunk, Py_ssize_t end, Py_ssize_t total) {
    PyObject *at = PyLong_FromSsize_t(end), *less = PyLong_FromSsize_t(total);
    int failed = at == NULL || less == NULL || PyList_Append(ends, at) < 0 || PyList_Append(shrunk, less) < 0;
    Py_XDECREF(at);
    Py_XDECREF(less);
    return failed ? -1 : 0;
}

#ifdef PAIRS_BY_SSE2
/* Eight UCS-2 characters at d (d[-1] readable) written lowercase into out, where each is printable ASCII, " " or
   "\n" and no two of " " and "\n" are neighbours (d[-1] too): 1, else 0 (nothing written). */
static inline int hay_block2(const Py_UCS2 *d, Py_UCS2 *out) {
    const __m128i x = _mm_loadu_si128((const __m128i *)d), before = _mm_loadu_si128((const __m128i *)(d - 1));
    const __m128i newline = _mm_cmpeq_epi16(x, _mm_set1_epi16('\n'));
    const __m128i space = _mm_or_si128(_mm_cmpeq_epi16(x, _mm_set1_epi16(' ')), newline);
    const __m128i space_before = _mm_or_si128(_mm_cmpeq_epi16(before, _mm_set1_epi16(' ')),
                                              _mm_cmpeq_epi16(before, _mm_set1_epi16('\n')));
    /* (signed: a character from 0x8000 up is below 32 here, so not printable ASCII) */
    const __m128i printable = _mm_and_si128(_mm_cmpgt_epi16(x, _mm_set1_epi16(31)), _mm_cmplt_epi16(x, _mm_set1_epi16(127)));
    if (_mm_movemask_epi8(_mm_or_si128(printable, space)) != 0xFFFF || _mm_movemask_epi8(_mm_and_si128(space, space_before)))
        return 0;
    const __m128i upper = _mm_and_si128(_mm_cmpgt_epi16(x, _mm_set1_epi16('A' - 1)), _mm_cmplt_epi16(x, _mm_set1_epi16('Z' + 1)));
    __m128i low = _mm_add_epi16(x, _mm_and_si128(upper, _mm_set1_epi16(32)));
    low = _mm_or_si128(_mm_andnot_si128(newline, low), _mm_and_si128(newline, _mm_set1_epi16(' ')));
    _mm_storeu_si128((__m128i *)out, low);
    return 1;
}

/* The same for sixteen Latin-1 characters. */
static inline int hay_block1(const Py_UCS1 *d, Py_UCS1 *out) {
    const __m128i x = _mm_loadu_si128((const __m128i *)d), before = _mm_loadu_si128((const __m128i *)(d - 1));
    const __m128i newline = _mm_cmpeq_epi8(x, _mm_set1_epi8('\n'));
    const __m128i space = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(' ')), newline);
    const __m128i space_before = _mm_or_si128(_mm_cmpeq_epi8(before, _mm_set1_epi8(' ')),
                                              _mm_cmpeq_epi8(before, _mm_set1_epi8('\n')));
    const __m128i printable = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(31)), _mm_cmplt_epi8(x, _mm_set1_epi8(127)));
    if (_mm_movemask_epi8(_mm_or_si128(printable, space)) != 0xFFFF || _mm_movemask_epi8(_mm_and_si128(space, space_before)))
        return 0;
    const __m128i upper = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('A' - 1)), _mm_cmplt_epi8(x, _mm_set1_epi8('Z' + 1)));
    __m128i low = _mm_add_epi8(x, _mm_and_si128(upper, _mm_set1_epi8(32)));
    low = _mm_or_si128(_mm_andnot_si128(newline, low), _mm_and_si128(newline, _mm_set1_epi8(' ')));
    _mm_storeu_si128((__m128i *)out, low);
    return 1;
}
#endif

/* The body collapsed and lowered into out (its kind, room for n), the runs of two or more into ends and
   shrunk: the length written, or -1 where declined, -2 on an error; *wide: the largest character past
   ASCII (kind: a constant, once inlined). Blocks of plain ASCII words by SSE2 where at hand. */
INLINE Py_ssize_t hay_fill(int kind, const void *data, Py_ssize_t n, void *out, PyObject *ends, PyObject *shrunk,
                           Py_UCS4 *wide) {
    Py_ssize_t o = 0, total = 0, i = 0;
    int prev = 0;
    while (i < n) {
#ifdef PAIRS_BY_SSE2
        if (kind == PyUnicode_2BYTE_KIND && i >= 1 && i + 8 <= n &&
            hay_block2((const Py_UCS2 *)data + i, (Py_UCS2 *)out + o)) {
            i += 8, o += 8;
            prev = PyUnicode_READ(kind, out, o - 1) == ' ';
            continue;
        }
        if (kind == PyUnicode_1BYTE_KIND && i >= 1 && i + 16 <= n &&
            hay_block1((const Py_UCS1 *)data + i, (Py_UCS1 *)out + o)) {
            i += 16, o += 16;
            prev = PyUnicode_READ(kind, out, o - 1) == ' ';
            continue;
        }
#endif
        const Py_ssize_t stop = i + 8 < n ? i + 8 : n; /* (then a block again) */
        while (i < stop) {
            const Py_UCS4 c = PyUnicode_READ(kind, data, i);
            const int space = c == ' ' || c == '\n';
            if ((c < 32 && c != '\n') || c == 127)
                return -1;
            if (c > 127) {
                if (!Py_UNICODE_ISPRINTABLE(c) || Py_UNICODE_TOLOWER(c) != c)
                    return -1;
                if (c > *wide)
                    *wide = c;
            }
            if (space && prev) { /* a run's second: on to its end */
                Py_ssize_t j = i + 1;
                while (j < n && (PyUnicode_READ(kind, data, j) == ' ' || PyUnicode_READ(kind, data, j) == '\n'))
                    j++;
                total += j - i;
                if (add_run(ends, shrunk, j, total) < 0)
                    return -2;
                i = j;
                prev = 0; /* (a character that is not white space, or the end, is next) */
                continue;
            }
            PyUnicode_WRITE(kind, out, o, space ? ' ' : c - 'A' < 26u ? c + 32 : c);
            o++, i++;
            prev = space;
        }
    }
    return o;
}

/* Haystack.__init__ where the body's only white space is " " and "\n", every other character is printable
   and only ASCII letters change case (its ASCII-bytes route): (text, run_ends, shrunk), or None. A character
   unchanged by Py_UNICODE_TOLOWER is unchanged by str.lower (only "İ" lowers to two characters, and it
   changes; "Σ" changes whatever its neighbours). The text keeps the body's kind: only white space goes, and
   only ASCII letters change. */
static PyObject *haystack(PyObject *self, PyObject *body) {
    if (!PyUnicode_CheckExact(body))
        Py_RETURN_NONE;
    const int kind = PyUnicode_KIND(body);
    const void *data = PyUnicode_DATA(body);
    const Py_ssize_t n = PyUnicode_GET_LENGTH(body);
    PyObject *text = PyUnicode_New(n, PyUnicode_MAX_CHAR_VALUE(body)), *ends = PyList_New(0), *shrunk = PyList_New(0);
    Py_UCS4 wide = 0;
    Py_ssize_t size = -2;
    if (text == NULL || ends == NULL || shrunk == NULL)
        goto error;
    if (n) {
        void *out = PyUnicode_DATA(text);
        size = kind == PyUnicode_1BYTE_KIND   ? hay_fill(PyUnicode_1BYTE_KIND, data, n, out, ends, shrunk, &wide)
               : kind == PyUnicode_2BYTE_KIND ? hay_fill(PyUnicode_2BYTE_KIND, data, n, out, ends, shrunk, &wide)
                                              : hay_fill(PyUnicode_4BYTE_KIND, data, n, out, ends, shrunk, &wide);
        const int canonical = kind == (wide > 0xFFFF ? PyUnicode_4BYTE_KIND : wide > 0xFF ? PyUnicode_2BYTE_KIND
                                                                                         : PyUnicode_1BYTE_KIND) &&
                              PyUnicode_IS_ASCII(body) == (wide == 0);
        if (size == -1 || (size >= 0 && !canonical)) { /* (declined; or the body is not canonical, nor the text) */
            Py_DECREF(text);
            Py_DECREF(ends);
            Py_DECREF(shrunk);
            Py_RETURN_NONE;
        }
        if (size < 0 || (size < n && PyUnicode_Resize(&text, size) < 0))
            goto error;
    }
    return Py_BuildValue("(NNN)", text, ends, shrunk);
error:
    Py_XDECREF(text);
    Py_XDECREF(ends);
    Py_XDECREF(shrunk);
    return NULL;
}

static PyMethodDef methods[] = {
    {"haystack", haystack, METH_O,
     "haystack(body): (text, run_ends, shrunk) of Haystack's ASCII-bytes route, or None where it declines."},
    {"directive", (PyCFunction)(void (*)(void))directive, METH_FASTCALL,
     "directive(text, lo, hi, start, end, searched, wanted_start, wanted_end): fragments.directive's text=..., "
     "or None where it declines."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_fragments", NULL, -1, methods};

PyMODINIT_FUNC PyInit__fragments(void) {
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    if (PyModule_AddStringConstant(m, "SOURCE_SHA256", SOURCE_SHA256) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
