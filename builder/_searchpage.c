/* builder/_searchpage.c: a compiled `_visible` for the search index's page reader, and the words it reads.

   This mirrors `_visible(page, position)` of builder/searchpage.py, which stays the rule (and the reader
   wherever this module is not built): `visible(page, position)` returns exactly what `_visible` returns,
   (texts, anchors, ends), or None where it declines the page and the Python reader reads it instead.
   tests/test_searchpage_native.py holds the two equal, on built sites' pages and on random HTML-ish text.
   More, each with its rule in Python and held equal the same way (on random inputs): `content(texts, ends)`
   is searchpage._words with its words joined, `count_pieces` is search._pieces (term_counts' pieces), `hooks`
   is searchpage._hooks and `post` is search._post (the index's postings); `plainly_nfc` is a sure "already
   NFC" for texts of Latin letters and punctuation (checked over every code point by unicodedata).

   What each regex of searchpage.py means here (`\s` is Unicode whitespace, Py_UNICODE_ISSPACE, as in `re`):
   - _TAG `<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>|<!--.*?-->`: at a "<", an optional "/" then an ASCII letter,
     the name is the longest run of ASCII letters and digits, the attributes run to the first ">" after it
     (no ">" anywhere after: no tag); else "<!--" and the first "-->" after it; else not a match there.
   - _SKIPPED (with _ATTRS): attributes are walked one by one, each `\s+NAME` with an optional `="…"` or
     `=VALUE`; every step of that walk is forced (no two ways to read an attribute), so the lazy `*?`
     only decides which match is found, and whether one is found is what this walk says.
   - _ID `\sid="([^"]*)"`, searched only where the attributes hold ' id="' (a space, literally).
   - `_tags(name)` `<(/?)NAME(?=[\s>/])` with re.I, in `_end_of`: re.I matches "ſ" to "s" and "K" (Kelvin)
     to "k", so a non-ASCII character compared there declines the page (never on the built-in templates).
   - `unescape`: texts whose every "&" begins "&#34;", "&#39;", "&lt;", "&gt;", "&amp;" or "&quot;" are
     unescaped here (what html.unescape makes of them); any other "&" calls searchpage.unescape itself.
   The element names of BLOCKS, VOID and RAW come from searchpage.py through `configure`.

   Every read of the page is bounds-checked against its length; the page is read in its own PEP 393 kind.
   After a change, besides the tests, run `python3 bench/native_check.py OUT --sanitize` on a built site: the
   built pages and the tests' random pages through a build of this file under AddressSanitizer and UBSan. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

#ifndef SOURCE_SHA256
#error "build with -DSOURCE_SHA256=\"<sha256 of this file>\" (builder/native.py does)"
#endif

/* ---- element names of BLOCKS, VOID and RAW (set by `configure`) ---- */

enum { BLOCK = 1, VOID_ = 2, RAW = 4 };
#define NAME_MAX_LEN 15 /* longer names are in no set (configure refuses longer ones) */
#define SLOTS 256       /* open addressing, at most 128 names */

typedef struct {
    char name[NAME_MAX_LEN + 1];
    Py_ssize_t len;
    int flags;
} Slot;

static Slot slots[SLOTS];
static int configured = 0;
static PyObject *unescape_fn = NULL; /* searchpage.unescape: the texts the quick unescape does not take */
static PyObject *s_space, *k_element, *k_id, *k_location, *zero, *minus_one;

static unsigned hash_name(const char *name, Py_ssize_t len) {
    unsigned h = 2166136261u; /* FNV-1a */
    for (Py_ssize_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)name[i]) * 16777619u;
    return h;
}

static Slot *slot_of(const char *name, Py_ssize_t len) {
    /* the slot holding `name`, or the empty slot where it would go */
    unsigned i = hash_name(name, len) % SLOTS;
    while (slots[i].len && !(slots[i].len == len && memcmp(slots[i].name, name, (size_t)len) == 0))
        i = (i + 1) % SLOTS;
    return &slots[i];
}

static int flags_of(const char *name, Py_ssize_t len) {
    return len > NAME_MAX_LEN ? 0 : slot_of(name, len)->flags;
}

static int add_names(PyObject *names, int flag) {
    PyObject *iterator = PyObject_GetIter(names), *item;
    int count = 0;
    if (iterator == NULL)
        return -1;
    while ((item = PyIter_Next(iterator)) != NULL) {
        Py_ssize_t len;
        const char *name = PyUnicode_Check(item) && PyUnicode_IS_ASCII(item) ? PyUnicode_AsUTF8AndSize(item, &len) : NULL;
        int ok = name != NULL && len > 0 && len <= NAME_MAX_LEN;
        for (Py_ssize_t i = 0; ok && i < len; i++)
            ok = (name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9');
        if (ok) {
            Slot *slot = slot_of(name, len);
            if (slot->len == 0) {
                ok = ++count < SLOTS / 2;
                memcpy(slot->name, name, (size_t)len);
                slot->len = len;
            }
            slot->flags |= flag;
        }
        Py_DECREF(item);
        if (!ok) {
            Py_DECREF(iterator);
            PyErr_SetString(PyExc_ValueError, "element names are lower-case ASCII letters and digits, at most 15");
            return -1;
        }
    }
    Py_DECREF(iterator);
    return PyErr_Occurred() ? -1 : 0;
}

static PyObject *configure(PyObject *self, PyObject *args) {
    PyObject *blocks, *voids, *raws, *unescape;
    if (!PyArg_ParseTuple(args, "OOOO:configure", &blocks, &voids, &raws, &unescape))
        return NULL;
    memset(slots, 0, sizeof slots);
    configured = 0;
    if (add_names(blocks, BLOCK) < 0 || add_names(voids, VOID_) < 0 || add_names(raws, RAW) < 0)
        return NULL;
    Py_INCREF(unescape);
    Py_XSETREF(unescape_fn, unescape);
    configured = 1;
    Py_RETURN_NONE;
}

/* ---- reading the page ---- */

typedef struct {
    PyObject *str;
    int kind;
    const void *data;
    Py_ssize_t n;
    Py_ssize_t gt_from, gt_at;   /* the last search for ">": from where, and what it found (-1: none) */
    Py_ssize_t end_from, end_at; /* the same for "-->" */
} Page;

static inline Py_UCS4 at(const Page *p, Py_ssize_t i) { /* callers check 0 <= i < p->n */
    return PyUnicode_READ(p->kind, p->data, i);
}

static Py_ssize_t find_char(const Page *p, Py_UCS4 ch, Py_ssize_t from, Py_ssize_t to) {
    /* the first index of `ch` in [from, to), or -1 */
    if (from < 0)
        from = 0;
    if (to > p->n)
        to = p->n;
    if (from >= to)
        return -1;
    if (p->kind == PyUnicode_1BYTE_KIND) {
        const Py_UCS1 *d = p->data, *found = memchr(d + from, (int)ch, (size_t)(to - from));
        return found ? found - d : -1;
    }
    /* a wider kind: memchr for `ch`'s low byte, which is one of the bytes of a character equal to `ch` (in
       either byte order), and the character holding each hit compared whole (quick for the ASCII characters
       searched: their low byte is seldom another character's) */
    const char *d = p->data, *end = d + to * p->kind;
    for (const char *b = d + from * p->kind; (b = memchr(b, (int)(ch & 0xFF), (size_t)(end - b))) != NULL; b++) {
        Py_ssize_t i = (b - d) / p->kind;
        if (at(p, i) == ch)
            return i;
    }
    return -1;
}

static int has_at(const Page *p, Py_ssize_t i, Py_ssize_t end, const char *ascii) {
    /* whether the ASCII text `ascii` is at i, wholly before `end` */
    for (; *ascii; ascii++, i++)
        if (i >= end || at(p, i) != (Py_UCS4)(unsigned char)*ascii)
            return 0;
    return 1;
}

static int contains(const Page *p, Py_ssize_t from, Py_ssize_t to, const char *ascii) {
    for (Py_ssize_t i = from; i < to; i++)
        if (has_at(p, i, to, ascii))
            return 1;
    return 0;
}

static Py_ssize_t next_gt(Page *p, Py_ssize_t from) {
    /* the first ">" at or after `from` (-1: none); the last answer serves while it still holds */
    if (!(p->gt_from <= from && (p->gt_at < 0 || p->gt_at >= from))) {
        p->gt_from = from;
        p->gt_at = find_char(p, '>', from, p->n);
    }
    return p->gt_at;
}

static Py_ssize_t next_comment_end(Page *p, Py_ssize_t from) {
    /* the first "-->" at or after `from` (-1: none), cached as next_gt */
    if (!(p->end_from <= from && (p->end_at < 0 || p->end_at >= from))) {
        Py_ssize_t i = from;
        p->end_from = from;
        p->end_at = -1;
        while ((i = find_char(p, '>', i, p->n)) >= 0) {
            if (i - 2 >= from && at(p, i - 1) == '-' && at(p, i - 2) == '-') {
                p->end_at = i - 2;
                break;
            }
            i++;
        }
    }
    return p->end_at;
}

static inline int is_alpha(Py_UCS4 c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static inline int is_alnum(Py_UCS4 c) { return is_alpha(c) || (c >= '0' && c <= '9'); }
static inline Py_UCS4 ascii_lower(Py_UCS4 c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

typedef struct {
    Py_ssize_t start, end;            /* the whole match */
    int comment, closing;
    Py_ssize_t name, attrs, attrs_end; /* the name runs from `name` to `attrs`, the attributes to `attrs_end` */
} Tag;

static int next_tag(Page *p, Py_ssize_t from, Tag *tag) {
    /* _TAG.search(page, from): 1 with `tag` filled, or 0 */
    Py_ssize_t i = from;
    while ((i = find_char(p, '<', i, p->n)) >= 0) {
        Py_ssize_t q = i + 1;
        int closing = q < p->n && at(p, q) == '/';
        q += closing;
        if (q < p->n && is_alpha(at(p, q))) {
            Py_ssize_t name = q, gt;
            while (q < p->n && is_alnum(at(p, q)))
                q++;
            if ((gt = next_gt(p, q)) >= 0) {
                *tag = (Tag){i, gt + 1, 0, closing, name, q, gt};
                return 1;
            }
        }
        if (has_at(p, i, p->n, "<!--")) {
            Py_ssize_t end = next_comment_end(p, i + 4);
            if (end >= 0) {
                *tag = (Tag){i, end + 3, 1, 0, 0, 0, 0};
                return 1;
            }
        }
        i++;
    }
    return 0;
}

static int skipped(const Page *p, Py_ssize_t i, Py_ssize_t end) {
    /* _SKIPPED.match(attrs) for attributes in [i, end): some `\s+` then a mark, after whole attributes */
    for (;;) {
        Py_ssize_t j = i;
        while (j < end && Py_UNICODE_ISSPACE(at(p, j)))
            j++;
        if (j == i)
            return 0;
        if (has_at(p, j, end, "data-search-ignore")) { /* (?=[\s=/]|$) */
            Py_ssize_t k = j + 18;
            if (k == end || at(p, k) == '=' || at(p, k) == '/' || Py_UNICODE_ISSPACE(at(p, k)))
                return 1;
        }
        if (has_at(p, j, end, "class=\"note")) {
            Py_ssize_t k = has_at(p, j + 11, end, "ref") ? j + 14 : has_at(p, j + 11, end, "-history") ? j + 19 : end;
            if (k < end && (at(p, k) == '"' || Py_UNICODE_ISSPACE(at(p, k))))
                return 1;
        }
        /* else an attribute: its name [^\s"'>=/]+, then ="[^"]*" or =[^\s"'>]+ or nothing */
        i = j;
        while (i < end) {
            Py_UCS4 c = at(p, i);
            if (Py_UNICODE_ISSPACE(c) || c == '"' || c == '\'' || c == '>' || c == '=' || c == '/')
                break;
            i++;
        }
        if (i == j)
            return 0;
        if (i < end && at(p, i) == '=') {
            if (i + 1 < end && at(p, i + 1) == '"') {
                Py_ssize_t quote = find_char(p, '"', i + 2, end);
                if (quote < 0)
                    return 0;
                i = quote + 1;
            } else {
                Py_ssize_t k = i + 1;
                while (k < end) {
                    Py_UCS4 c = at(p, k);
                    if (Py_UNICODE_ISSPACE(c) || c == '"' || c == '\'' || c == '>')
                        break;
                    k++;
                }
                if (k == i + 1)
                    return 0;
                i = k;
            }
        }
    }
}

static Py_ssize_t end_of(const Page *p, const char *name, Py_ssize_t len, Py_ssize_t from) {
    /* _end_of(page, name, from): after the closing tag of the element opened before `from` (-2: declined) */
    Py_ssize_t depth = 1, i = from;
    while ((i = find_char(p, '<', i, p->n)) >= 0) {
        Py_ssize_t q = i + 1, k;
        int closing = q < p->n && at(p, q) == '/';
        q += closing;
        for (k = 0; k <= len && q + k < p->n; k++) { /* the name, then the lookahead's character */
            Py_UCS4 c = at(p, q + k);
            if (c >= 128)
                return -2; /* re.I's Unicode case folding */
            if (k == len ? !(c == '>' || c == '/' || Py_UNICODE_ISSPACE(c)) : ascii_lower(c) != (Py_UCS4)name[k])
                break;
        }
        if (k == len + 1) {
            depth += closing ? -1 : 1;
            if (depth == 0) {
                Py_ssize_t gt = find_char(p, '>', q + len - 1, p->n);
                return gt < 0 ? p->n : gt + 1;
            }
            i = q + len;
        } else
            i++;
    }
    return p->n;
}

static PyObject *unescaped(const Page *p, Py_ssize_t from, Py_ssize_t to, Py_ssize_t amp) {
    /* unescape(page[from:to]) where `amp` is its first "&" (or -1) */
    static const struct { const char *escape; Py_ssize_t len; char ch; } escapes[] = {
        {"&#34;", 5, '"'}, {"&#39;", 5, '\''}, {"&lt;", 4, '<'}, {"&gt;", 4, '>'}, {"&amp;", 5, '&'}, {"&quot;", 6, '"'}};
    if (amp < 0)
        return PyUnicode_Substring(p->str, from, to);
    for (Py_ssize_t i = amp; i >= 0; i = find_char(p, '&', i + 1, to)) {
        size_t e = 0;
        while (e < sizeof escapes / sizeof *escapes && !has_at(p, i, to, escapes[e].escape))
            e++;
        if (e == sizeof escapes / sizeof *escapes) { /* an "&" of another kind: searchpage.unescape's own way */
            PyObject *text = PyUnicode_Substring(p->str, from, to), *result;
            if (text == NULL)
                return NULL;
            result = PyObject_CallOneArg(unescape_fn, text);
            Py_DECREF(text);
            if (result != NULL && !PyUnicode_CheckExact(result)) {
                Py_DECREF(result);
                PyErr_SetString(PyExc_TypeError, "unescape did not return a str");
                return NULL;
            }
            return result;
        }
    }
    /* every "&" begins an escape: copy in the page's own kind, each escape as its character */
    char *buffer = PyMem_Malloc((size_t)(to - from) * (size_t)p->kind + 1);
    Py_ssize_t out = 0;
    PyObject *result;
    if (buffer == NULL)
        return PyErr_NoMemory();
    for (Py_ssize_t i = from; i < to; out++) {
        Py_UCS4 c = at(p, i);
        if (c == '&') {
            size_t e = 0;
            while (!has_at(p, i, to, escapes[e].escape)) /* (one of them is there: checked above) */
                e++;
            c = (Py_UCS4)escapes[e].ch;
            i += escapes[e].len;
        } else
            i++;
        PyUnicode_WRITE(p->kind, buffer, out, c);
    }
    result = PyUnicode_FromKindAndData(p->kind, buffer, out);
    PyMem_Free(buffer);
    return result;
}

static int append_new(PyObject *list, PyObject *item) { /* list.append(item), the reference given away */
    int failed = item == NULL || PyList_Append(list, item) < 0;
    Py_XDECREF(item);
    return failed ? -1 : 0;
}

static int add_anchor(const Page *p, const Tag *tag, const char *name, Py_ssize_t len, int open_word,
                      PyObject *texts, PyObject *anchors, PyObject *ends) {
    /* _ID.search(attrs): the first `\sid="` (one without a closing quote has none after it either) */
    for (Py_ssize_t i = tag->attrs; i < tag->attrs_end; i++) {
        if (Py_UNICODE_ISSPACE(at(p, i)) && has_at(p, i + 1, tag->attrs_end, "id=\"")) {
            Py_ssize_t quote = find_char(p, '"', i + 5, tag->attrs_end);
            PyObject *anchor, *element, *id;
            if (quote < 0)
                return 0;
            if ((anchor = PyDict_New()) == NULL)
                return -1;
            element = PyUnicode_FromStringAndSize(name, len);
            id = element ? unescaped(p, i + 5, quote, find_char(p, '&', i + 5, quote)) : NULL;
            if (id == NULL || PyDict_SetItem(anchor, k_element, element) < 0 || PyDict_SetItem(anchor, k_id, id) < 0 ||
                PyDict_SetItem(anchor, k_location, open_word ? minus_one : zero) < 0) {
                Py_XDECREF(element);
                Py_XDECREF(id);
                Py_DECREF(anchor);
                return -1;
            }
            Py_DECREF(element);
            Py_DECREF(id);
            if (append_new(anchors, anchor) < 0 || append_new(ends, PyLong_FromSsize_t(PyList_GET_SIZE(texts))) < 0)
                return -1;
            return 0;
        }
    }
    return 0;
}

enum { DONE = 0, DECLINED = 1, FAILED = -1 };

static int read_visible(Page *p, Py_ssize_t position, PyObject *texts, PyObject *anchors, PyObject *ends) {
    /* the loop of `_visible`, step for step */
    int open_word = 0;
    Py_ssize_t depth = 0;
    Tag tag;
    while (next_tag(p, position, &tag)) {
        if (tag.start != position) {
            PyObject *text = unescaped(p, position, tag.start, find_char(p, '&', position, tag.start));
            if (text == NULL)
                return FAILED;
            if (PyUnicode_GET_LENGTH(text) > 0) {
                open_word = !Py_UNICODE_ISSPACE(PyUnicode_READ_CHAR(text, PyUnicode_GET_LENGTH(text) - 1));
                if (PyList_Append(texts, text) < 0) {
                    Py_DECREF(text);
                    return FAILED;
                }
            }
            Py_DECREF(text);
        }
        position = tag.end;
        if (tag.comment)
            continue;
        char name[NAME_MAX_LEN + 1];
        Py_ssize_t len = tag.attrs - tag.name;
        char *lower = len <= NAME_MAX_LEN ? name : PyMem_Malloc((size_t)len + 1);
        if (lower == NULL) {
            PyErr_NoMemory();
            return FAILED;
        }
        for (Py_ssize_t i = 0; i < len; i++)
            lower[i] = (char)ascii_lower(at(p, tag.name + i)); /* (ASCII letters and digits) */
        lower[len] = 0;
        int flags = flags_of(lower, len), step, with_id = 0, result = DONE;
        if (tag.closing)
            step = -1;
        else {
            int void_ = (flags & VOID_) || (tag.attrs_end > tag.attrs && at(p, tag.attrs_end - 1) == '/');
            if ((flags & RAW) || (!void_ && skipped(p, tag.attrs, tag.attrs_end)))
                step = 2;
            else {
                step = void_ ? 0 : 1;
                with_id = contains(p, tag.attrs, tag.attrs_end, " id=\"");
            }
        }
        if (open_word && (flags & BLOCK)) {
            if (PyList_Append(texts, s_space) < 0)
                result = FAILED;
            open_word = 0;
        }
        if (result != DONE)
            ;
        else if (step == 0 || step == 1) {
            depth += step;
            if (with_id && add_anchor(p, &tag, lower, len, open_word, texts, anchors, ends) < 0)
                result = FAILED;
        } else if (step == -1) {
            if (--depth <= 0)
                position = -1; /* the body's end */
        } else {
            Py_ssize_t end = end_of(p, lower, len, position);
            if (end == -2)
                result = DECLINED;
            position = end;
        }
        if (lower != name)
            PyMem_Free(lower);
        if (result != DONE || position < 0)
            return result;
    }
    return DONE;
}

static PyObject *visible(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    Page p;
    Py_ssize_t position;
    PyObject *texts, *anchors, *ends, *result = NULL;
    int outcome;
    if (!configured) {
        PyErr_SetString(PyExc_RuntimeError, "configure() first");
        return NULL;
    }
    if (nargs != 2 || !PyUnicode_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "visible(page: str, position: int)");
        return NULL;
    }
    if ((position = PyLong_AsSsize_t(args[1])) == -1 && PyErr_Occurred())
        return NULL;
    p = (Page){args[0], PyUnicode_KIND(args[0]), PyUnicode_DATA(args[0]), PyUnicode_GET_LENGTH(args[0]), 0, -1, 0, -1};
    p.gt_from = p.end_from = p.n + 1; /* (nothing searched yet) */
    if (position < 0) /* (the rule slices page[position:…] from the end there: never asked by read_page) */
        Py_RETURN_NONE;
    if (position > p.n) /* (finditer's pos) */
        position = p.n;
    texts = PyList_New(0);
    anchors = PyList_New(0);
    ends = PyList_New(0);
    if (texts && anchors && ends) {
        outcome = read_visible(&p, position, texts, anchors, ends);
        if (outcome == DONE)
            result = PyTuple_Pack(3, texts, anchors, ends);
        else if (outcome == DECLINED)
            result = Py_NewRef(Py_None);
    }
    Py_XDECREF(texts);
    Py_XDECREF(anchors);
    Py_XDECREF(ends);
    return result;
}

/* ---- the words of the texts (searchpage._words, as read_page uses it) ---- */

typedef struct {
    Py_ssize_t words, letters; /* words begun so far, and their characters */
    Py_UCS4 maxchar;           /* the largest character of a word */
    int in_word;               /* the last character read is a word's */
} Scan;

static void scan_text(Scan *s, PyObject *text) {
    /* `text`'s characters after those read: words are runs of characters that are not Py_UNICODE_ISSPACE,
       as str.split() has them, and a word goes on across the edge of two texts (none between them) */
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (Py_UNICODE_ISSPACE(c))
            s->in_word = 0;
        else {
            if (!s->in_word)
                s->words++;
            s->in_word = 1;
            s->letters++;
            if (c > s->maxchar)
                s->maxchar = c;
        }
    }
}

static PyObject *content(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    /* (" ".join(parts), len(parts), before) of `parts, before = _words(texts, ends)`, or None (declined) where
       a text is empty (the rule's edge test reads each text's last character) or an end is not an index of
       `texts` from 0 to len(texts). With texts that are never empty, the rule's words are those of
       "".join(texts).split(), a word across the edge of two slices of texts one word, and before[i] the
       number of words begun in texts[:max(ends[:i + 1])] (a word across that edge counts before it), then
       all the words' number (the rule's `before` ends so). */
    PyObject *texts, *ends, *before = NULL, *joined = NULL, *result = NULL;
    Py_ssize_t n, done = 0;
    Scan s = {0, 0, 0, 0};
    if (nargs != 2 || !PyList_CheckExact(args[0]) || !PyList_CheckExact(args[1])) {
        PyErr_SetString(PyExc_TypeError, "content(texts: list[str], ends: list[int])");
        return NULL;
    }
    texts = args[0];
    ends = args[1];
    n = PyList_GET_SIZE(texts);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *text = PyList_GET_ITEM(texts, i);
        if (!PyUnicode_CheckExact(text) || PyUnicode_GET_LENGTH(text) == 0)
            Py_RETURN_NONE;
    }
    if ((before = PyList_New(PyList_GET_SIZE(ends) + 1)) == NULL) /* (the rule's last: all the words) */
        return NULL;
    for (Py_ssize_t e = 0; e < PyList_GET_SIZE(ends); e++) {
        PyObject *item = PyList_GET_ITEM(ends, e), *count;
        Py_ssize_t end = PyLong_CheckExact(item) ? PyLong_AsSsize_t(item) : -1;
        if (end == -1 && PyErr_Occurred())
            PyErr_Clear();
        if (end < 0 || end > n) {
            Py_DECREF(before);
            Py_RETURN_NONE;
        }
        for (; done < end; done++)
            scan_text(&s, PyList_GET_ITEM(texts, done));
        if ((count = PyLong_FromSsize_t(s.words)) == NULL)
            goto failed;
        PyList_SET_ITEM(before, e, count);
    }
    for (; done < n; done++)
        scan_text(&s, PyList_GET_ITEM(texts, done));
    if ((joined = PyLong_FromSsize_t(s.words)) == NULL)
        goto failed;
    PyList_SET_ITEM(before, PyList_GET_SIZE(ends), joined);
    /* the words again, written one space apart */
    if ((joined = PyUnicode_New(s.words ? s.letters + s.words - 1 : 0, s.maxchar)) == NULL)
        goto failed;
    {
        int out_kind = PyUnicode_KIND(joined), in_word = 0;
        void *out = PyUnicode_DATA(joined);
        Py_ssize_t o = 0;
        for (Py_ssize_t t = 0; t < n; t++) {
            PyObject *text = PyList_GET_ITEM(texts, t);
            int kind = PyUnicode_KIND(text);
            const void *data = PyUnicode_DATA(text);
            for (Py_ssize_t i = 0; i < PyUnicode_GET_LENGTH(text); i++) {
                Py_UCS4 c = PyUnicode_READ(kind, data, i);
                if (Py_UNICODE_ISSPACE(c))
                    in_word = 0;
                else {
                    if (!in_word && o > 0)
                        PyUnicode_WRITE(out_kind, out, o++, ' ');
                    in_word = 1;
                    PyUnicode_WRITE(out_kind, out, o++, c);
                }
            }
        }
    }
    result = Py_BuildValue("(NnN)", joined, s.words, before);
    return result;
failed:
    Py_XDECREF(before);
    Py_XDECREF(joined);
    return NULL;
}

/* ---- the pieces of a text between spaces (search.term_counts) ---- */

typedef struct {
    Py_ssize_t start, len, count;
    Py_uhash_t hash;
    int plain; /* wholly ASCII letters and digits */
} Piece;

typedef struct {
    Piece *pieces;      /* in the order first seen */
    Py_ssize_t n, room; /* pieces, and the room for them */
    Py_ssize_t *slots;  /* 1 + an index of `pieces`, or 0: open addressing on the hash */
    size_t mask;        /* slots - 1 (a power of two, at least twice the pieces) */
} Pieces;

static int grow(Pieces *t) {
    /* twice the slots, the pieces placed again */
    size_t size = (t->mask + 1) * 2;
    Py_ssize_t *slots = PyMem_Calloc(size, sizeof *slots);
    Piece *pieces = PyMem_Realloc(t->pieces, size / 2 * sizeof *pieces);
    if (slots == NULL || pieces == NULL) {
        PyMem_Free(slots);
        if (pieces != NULL)
            t->pieces = pieces;
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < t->n; i++) {
        size_t at = pieces[i].hash & (size - 1);
        while (slots[at])
            at = (at + 1) & (size - 1);
        slots[at] = i + 1;
    }
    PyMem_Free(t->slots);
    t->slots = slots;
    t->pieces = pieces;
    t->room = (Py_ssize_t)(size / 2);
    t->mask = size - 1;
    return 0;
}

static int count_piece(Pieces *t, int kind, const char *data, Py_ssize_t start, Py_ssize_t len, int plain) {
    /* one more of the piece text[start:start + len] */
    Py_uhash_t hash = (Py_uhash_t)14695981039346656037ull; /* FNV-1a over its bytes (the text has one kind) */
    const unsigned char *bytes = (const unsigned char *)data + start * kind;
    for (Py_ssize_t i = 0; i < len * kind; i++)
        hash = (hash ^ bytes[i]) * (Py_uhash_t)1099511628211ull;
    size_t at = hash & t->mask;
    for (; t->slots[at]; at = (at + 1) & t->mask) {
        Piece *piece = &t->pieces[t->slots[at] - 1];
        if (piece->hash == hash && piece->len == len &&
            memcmp(data + piece->start * kind, bytes, (size_t)(len * kind)) == 0) {
            piece->count++;
            return 0;
        }
    }
    t->pieces[t->n] = (Piece){start, len, 1, hash, plain};
    t->slots[at] = ++t->n;
    return t->n * 2 > t->room ? grow(t) : 0;
}

static inline int may_fold(Py_UCS4 c) {
    /* whether search.fold may drop c: every mark of search._MARKS is one of these (they are U+0300..U+06FF and the
       break hints; the rest of that block, Greek, Cyrillic, Hebrew and Arabic letters, is only declined too) */
    return (c >= 0x300 && c < 0x700) || c == 0xAD || c == 0x200B || c == 0x2060 || c == 0xFEFF;
}

static inline int joint(Py_UCS4 c) {
    /* whether c may stand between two digits of one number: search.JOINTS */
    return c == '.' || c == ',' || c == ':' || c == '/' || c == 0x2044;
}

static PyObject *find_numbers(int kind, const char *data, Py_ssize_t n) {
    /* search._NUMBER.findall of the text: runs of decimal digits (\d: Py_UNICODE_ISDECIMAL, as `re` reads it) with
       a `joint` (a point, comma, colon or slash) between each two, at least one; each as long as it goes, the next
       looked for after it */
    PyObject *found = PyList_New(0);
    Py_ssize_t i = 0;
    if (found == NULL)
        return NULL;
    while (i < n) {
        if (!Py_UNICODE_ISDECIMAL(PyUnicode_READ(kind, data, i))) {
            i++;
            continue;
        }
        Py_ssize_t start = i, parts = 0;
        while (i < n && Py_UNICODE_ISDECIMAL(PyUnicode_READ(kind, data, i)))
            i++;
        while (i + 1 < n && joint(PyUnicode_READ(kind, data, i)) &&
               Py_UNICODE_ISDECIMAL(PyUnicode_READ(kind, data, i + 1))) {
            for (i++; i < n && Py_UNICODE_ISDECIMAL(PyUnicode_READ(kind, data, i)); i++)
                ;
            parts++;
        }
        if (parts) {
            PyObject *number = PyUnicode_FromKindAndData(kind, data + start * kind, i - start);
            if (number == NULL || PyList_Append(found, number) < 0) {
                Py_XDECREF(number);
                Py_DECREF(found);
                return NULL;
            }
            Py_DECREF(number);
        }
    }
    return found;
}

static PyObject *count_pieces(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    /* count_pieces(text, between, english, counts): counts into the empty dict `counts` what
       `counts.update(spaced.split())` counts (first seen, first in order), `spaced` being `text` with its ASCII
       letters lowered (str.lower() of a text whose other characters are their own Py_UNICODE_TOLOWER: the
       tests hold that for every code point; None, nothing counted, for a text with another) and each character of
       `between` replaced by a space; returns search._pieces's two lists: the pieces that are not wholly ASCII
       letters and digits, and, if `english`, those of four characters or more that end in "s"
       (each in the order of `counts`); and the text's numbers, as search.numbers finds them (None where the text
       holds a character `may_fold`: then search.numbers finds them). */
    PyObject *text, *between, *counts, *odd = NULL, *changing = NULL, *numbers = NULL, *result = NULL;
    int kind, english, plain = 1, marked = 0;
    char *lowered = NULL; /* the text's characters, its ASCII letters lowered */
    const char *data;
    Py_ssize_t n, start = -1;
    unsigned char ascii_between[128] = {0};
    Pieces t = {NULL, 0, 0, NULL, 63};
    if (nargs != 4 || !PyUnicode_Check(args[0]) || !PyUnicode_Check(args[1]) || !PyDict_Check(args[3]) ||
        PyDict_GET_SIZE(args[3]) != 0) {
        PyErr_SetString(PyExc_TypeError, "count_pieces(text: str, between: str, english: bool, counts: dict (empty))");
        return NULL;
    }
    text = args[0];
    between = args[1];
    if ((english = PyObject_IsTrue(args[2])) < 0)
        return NULL;
    counts = args[3];
    int between_kind = PyUnicode_KIND(between);
    const void *between_data = PyUnicode_DATA(between);
    Py_ssize_t between_n = PyUnicode_GET_LENGTH(between);
    for (Py_ssize_t i = 0; i < between_n; i++) {
        Py_UCS4 c = PyUnicode_READ(between_kind, between_data, i);
        if (c < 128)
            ascii_between[c] = 1;
    }
    kind = PyUnicode_KIND(text);
    n = PyUnicode_GET_LENGTH(text);
    if ((lowered = PyMem_Malloc((size_t)(n * kind) + 1)) == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, PyUnicode_DATA(text), i);
        if (c >= 128 && Py_UNICODE_TOLOWER(c) != c) { /* (str.lower()'s to make: declined) */
            result = Py_NewRef(Py_None);
            goto done;
        }
        marked = marked || may_fold(c);
        PyUnicode_WRITE(kind, lowered, i, ascii_lower(c));
    }
    data = lowered;
    if ((t.slots = PyMem_Calloc(t.mask + 1, sizeof *t.slots)) == NULL ||
        (t.pieces = PyMem_Malloc((t.mask + 1) / 2 * sizeof *t.pieces)) == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    t.room = (Py_ssize_t)(t.mask + 1) / 2;
    for (Py_ssize_t i = 0; i <= n; i++) {
        int apart = 1; /* the end of the text, a space or a character of `between` */
        Py_UCS4 c = 0;
        if (i < n) {
            c = PyUnicode_READ(kind, data, i);
            if (c < 128)
                apart = ascii_between[c] || Py_UNICODE_ISSPACE(c);
            else {
                apart = Py_UNICODE_ISSPACE(c);
                for (Py_ssize_t b = 0; !apart && b < between_n; b++)
                    apart = PyUnicode_READ(between_kind, between_data, b) == c;
            }
        }
        if (!apart) {
            if (start < 0) {
                start = i;
                plain = 1;
            }
            plain = plain && is_alnum(c);
        } else if (start >= 0) {
            if (count_piece(&t, kind, data, start, i - start, plain) < 0)
                goto done;
            start = -1;
        }
    }
    if ((odd = PyList_New(0)) == NULL || (changing = PyList_New(0)) == NULL)
        goto done;
    for (Py_ssize_t i = 0; i < t.n; i++) {
        Piece *piece = &t.pieces[i];
        PyObject *key = PyUnicode_FromKindAndData(kind, data + piece->start * kind, piece->len), *count;
        if (key == NULL)
            goto done;
        count = PyLong_FromSsize_t(piece->count);
        int failed = count == NULL || PyDict_SetItem(counts, key, count) < 0 ||
                     (!piece->plain && PyList_Append(odd, key) < 0) ||
                     (english && piece->len > 3 && PyUnicode_READ(kind, data, piece->start + piece->len - 1) == 's' &&
                      PyList_Append(changing, key) < 0);
        Py_XDECREF(count);
        Py_DECREF(key);
        if (failed)
            goto done;
    }
    if ((numbers = marked ? Py_NewRef(Py_None) : find_numbers(kind, data, n)) == NULL)
        goto done;
    result = PyTuple_Pack(3, odd, changing, numbers);
done:
    PyMem_Free(lowered);
    PyMem_Free(t.slots);
    PyMem_Free(t.pieces);
    Py_XDECREF(odd);
    Py_XDECREF(changing);
    Py_XDECREF(numbers);
    return result;
}

/* ---- whether a text is in NFC at a glance (read_page's content) ---- */

static PyObject *plainly_nfc(PyObject *self, PyObject *text) {
    /* plainly_nfc(text): True where every character is below U+0300 or in U+2002..U+206F (Latin letters,
       general punctuation: each is NFC_QC=Yes with combining class 0, which the tests check by unicodedata, so
       the text is its own NFC); False otherwise (unicodedata.normalize decides) */
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "plainly_nfc(text: str)");
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    if (kind != PyUnicode_1BYTE_KIND)
        for (Py_ssize_t i = 0; i < n; i++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, i);
            if (c >= 0x300 && !(c >= 0x2002 && c < 0x2070))
                Py_RETURN_FALSE;
        }
    Py_RETURN_TRUE;
}

/* ---- the page's search hooks (read_page's `_HOOK` loop) ---- */

static int add_hook(const Page *p, int filter, Py_ssize_t name, Py_ssize_t name_end, Py_ssize_t value,
                    Py_ssize_t value_end, PyObject *filters, PyObject *meta) {
    /* filters.setdefault(unescape(name), []).append(unescape(value)), or meta[unescape(name)] = unescape(value) */
    PyObject *key = unescaped(p, name, name_end, find_char(p, '&', name, name_end)), *item = NULL, *list;
    int failed = 1;
    if (key == NULL || (item = unescaped(p, value, value_end, find_char(p, '&', value, value_end))) == NULL)
        goto done;
    if (!filter) {
        failed = PyDict_SetItem(meta, key, item) < 0;
        goto done;
    }
    if ((list = PyDict_GetItemWithError(filters, key)) == NULL) {
        if (PyErr_Occurred() || (list = PyList_New(0)) == NULL)
            goto done;
        failed = PyDict_SetItem(filters, key, list) < 0 || PyList_Append(list, item) < 0;
        Py_DECREF(list);
    } else
        failed = !PyList_Check(list) || PyList_Append(list, item) < 0;
done:
    Py_XDECREF(key);
    Py_XDECREF(item);
    return failed ? -1 : 0;
}

static PyObject *hooks(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    /* hooks(page, filters, meta): what read_page's loop over `_HOOK.findall(page)` puts in its two dicts.
       `<span data-search-(filter|meta)="([^"]*)">([^<]*)</span>` has one way to match at each "<": the name
       runs to the first '"' after it, the value to the first "<" after it; no match there: the next "<". */
    Page p;
    PyObject *filters, *meta;
    if (!configured) {
        PyErr_SetString(PyExc_RuntimeError, "configure() first");
        return NULL;
    }
    if (nargs != 3 || !PyUnicode_Check(args[0]) || !PyDict_CheckExact(args[1]) || !PyDict_CheckExact(args[2])) {
        PyErr_SetString(PyExc_TypeError, "hooks(page: str, filters: dict, meta: dict)");
        return NULL;
    }
    p = (Page){args[0], PyUnicode_KIND(args[0]), PyUnicode_DATA(args[0]), PyUnicode_GET_LENGTH(args[0]), 0, -1, 0, -1};
    filters = args[1];
    meta = args[2];
    for (Py_ssize_t i = find_char(&p, '<', 0, p.n); i >= 0; i = find_char(&p, '<', i + 1, p.n)) {
        Py_ssize_t name = i + 18, name_end, value_end;
        int filter;
        if (!has_at(&p, i, p.n, "<span data-search-"))
            continue;
        if (has_at(&p, name, p.n, "filter=\"")) {
            filter = 1;
            name += 8;
        } else if (has_at(&p, name, p.n, "meta=\"")) {
            filter = 0;
            name += 6;
        } else
            continue;
        if ((name_end = find_char(&p, '"', name, p.n)) < 0 || !has_at(&p, name_end, p.n, "\">"))
            continue;
        if ((value_end = find_char(&p, '<', name_end + 2, p.n)) < 0 || !has_at(&p, value_end, p.n, "</span>"))
            continue;
        if (add_hook(&p, filter, name, name_end, name_end + 2, value_end, filters, meta) < 0)
            return NULL;
        i = value_end + 6; /* (the match's last character, ">") */
    }
    Py_RETURN_NONE;
}

/* ---- the postings of the index (search._merge's loop) ---- */

static PyObject *post(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    /* post(postings, doc, counts): for each term, count of `counts` in order, postings[term] += [doc, count]
       (a new list [doc, count] for a new term), as search._merge's loop does */
    PyObject *postings, *doc, *counts, *term, *count;
    Py_ssize_t pos = 0;
    if (nargs != 3 || !PyDict_CheckExact(args[0]) || !PyDict_Check(args[2])) {
        PyErr_SetString(PyExc_TypeError, "post(postings: dict, doc, counts: dict)");
        return NULL;
    }
    postings = args[0];
    doc = args[1];
    counts = args[2];
    while (PyDict_Next(counts, &pos, &term, &count)) {
        PyObject *posting = PyDict_GetItemWithError(postings, term);
        if (posting == NULL) {
            if (PyErr_Occurred() || (posting = PyList_New(2)) == NULL)
                return NULL;
            PyList_SET_ITEM(posting, 0, Py_NewRef(doc));
            PyList_SET_ITEM(posting, 1, Py_NewRef(count));
            int failed = PyDict_SetItem(postings, term, posting) < 0;
            Py_DECREF(posting);
            if (failed)
                return NULL;
        } else if (!PyList_CheckExact(posting)) {
            PyErr_SetString(PyExc_TypeError, "a posting that is not a list");
            return NULL;
        } else if (PyList_Append(posting, doc) < 0 || PyList_Append(posting, count) < 0)
            return NULL;
    }
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"configure", configure, METH_VARARGS,
     "configure(blocks, void, raw, unescape): searchpage.py's BLOCKS, VOID, RAW and unescape."},
    {"visible", (PyCFunction)(void (*)(void))visible, METH_FASTCALL,
     "visible(page, position): searchpage._visible(page, position), or None where it declines the page."},
    {"content", (PyCFunction)(void (*)(void))content, METH_FASTCALL,
     "content(texts, ends): (\" \".join(parts), len(parts), before) of searchpage._words(texts, ends), or None."},
    {"count_pieces", (PyCFunction)(void (*)(void))count_pieces, METH_FASTCALL,
     "count_pieces(text, between, english, counts): search._pieces(text.lower()'s pieces, english, counts), and search.numbers(text) or None."},
    {"plainly_nfc", plainly_nfc, METH_O,
     "plainly_nfc(text): True where every character is one that leaves a text in NFC (a sure answer), else False."},
    {"hooks", (PyCFunction)(void (*)(void))hooks, METH_FASTCALL,
     "hooks(page, filters, meta): read_page's filters and metadata of the page's search hooks, into the dicts."},
    {"post", (PyCFunction)(void (*)(void))post, METH_FASTCALL,
     "post(postings, doc, counts): search._merge's postings of one page's term counts."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_searchpage", NULL, -1, methods};

PyMODINIT_FUNC PyInit__searchpage(void) {
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    s_space = PyUnicode_InternFromString(" ");
    k_element = PyUnicode_InternFromString("element");
    k_id = PyUnicode_InternFromString("id");
    k_location = PyUnicode_InternFromString("location");
    zero = PyLong_FromLong(0);
    minus_one = PyLong_FromLong(-1);
    if (!s_space || !k_element || !k_id || !k_location || !zero || !minus_one ||
        PyModule_AddStringConstant(m, "SOURCE_SHA256", SOURCE_SHA256) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
