/* builder/_notes.c: one note of an article page, as templates/_note.html renders it (with the partials it
   includes, _verdict.html and _note_original.html), in C.

   `note(note, site, ui, href, note_history)` returns the note's HTML as text, byte for byte what the
   built-in templates make of the same view (render/views.py's note dict), or None where the note holds
   anything this file does not expect (a key missing, a value of another type, text that is not valid
   UTF-8): the template then renders it, as it always can. The templates stay the rule: render/templates.py
   compiles this call into article.html only while the three templates' sources hash to MIRRORS below (a
   changed template is rendered by Jinja until this file is brought level, and tests/test_notes_native.py
   fails meanwhile), and that test holds the two equal on every note of the test sites and a bench corpus.

   What Jinja does with a value, done here the same way: `{{ x }}` escapes text as markupsafe does (& < > " '),
   writes a Markup (a str subclass, given by `setup`) as it is, and an int or a float as str() writes it;
   `{% if x %}` is Python's truth; `x.key` is the dict's key. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

#ifndef SOURCE_SHA256
#error "build with -DSOURCE_SHA256=\"<sha256 of this file>\" (builder/native.py does)"
#endif

/* SHA-256 of templates/_note.html, _verdict.html and _note_original.html, joined in that order (see
   render/templates.py, compiled_partials) */
#define MIRRORS "0db34677dfb9a2b3560d92ffef79984ea74a3b02fb2a8fbe1a13c15ce92cece8"

static PyObject *markup_type = NULL; /* markupsafe.Markup */
static PyObject *date_filter = NULL, *long_date_filter = NULL; /* the environment's `date` and `long_date` */

enum { OK = 0, FAILED = -1, DECLINED = 1 }; /* FAILED: a Python error is set; DECLINED: the template renders it */

/* the view's keys, interned once */
#define KEYS(X) X(id) X(words) X(name) X(flags) X(next) X(prev) X(number) X(crowded) X(word) X(verdict) \
    X(rating) X(label) X(gist) X(quote) X(html) X(claim) X(original) X(links) X(kind) X(warning) X(whole) \
    X(external) X(url) X(title) X(same_article) X(sources) X(tags) X(history) X(by) X(date) X(permalink) \
    X(prev_flagged) X(next_flagged) X(direction)
#define DECLARE(k) static PyObject *k_##k = NULL;
KEYS(DECLARE)

typedef struct {
    char *data;
    Py_ssize_t len, cap;
} Out;

static int grow(Out *o, Py_ssize_t more) {
    if (o->len + more <= o->cap)
        return OK;
    Py_ssize_t cap = o->cap * 2 > o->len + more ? o->cap * 2 : o->len + more + 1024;
    char *data = PyMem_Realloc(o->data, cap);
    if (data == NULL) {
        PyErr_NoMemory();
        return FAILED;
    }
    o->data = data;
    o->cap = cap;
    return OK;
}

static int raw(Out *o, const char *s, Py_ssize_t n) {
    if (grow(o, n) < 0)
        return FAILED;
    memcpy(o->data + o->len, s, n);
    o->len += n;
    return OK;
}

#define LIT(o, s) raw(o, s, (Py_ssize_t)sizeof(s) - 1)

/* the UTF-8 of a str (NULL, declined, where it has none: a lone surrogate) */
static const char *utf8(PyObject *s, Py_ssize_t *n) {
    const char *data = PyUnicode_AsUTF8AndSize(s, n);
    if (data == NULL && PyErr_ExceptionMatches(PyExc_UnicodeError))
        PyErr_Clear();
    return data;
}

static int escaped(Out *o, PyObject *s) {
    Py_ssize_t n;
    const char *p = utf8(s, &n);
    if (p == NULL)
        return PyErr_Occurred() ? FAILED : DECLINED;
    if (grow(o, n) < 0)
        return FAILED;
    const char *end = p + n, *run = p;
    for (; p < end; p++) {
        const char *entity;
        Py_ssize_t size;
        switch (*p) {
        case '&': entity = "&amp;"; size = 5; break;
        case '<': entity = "&lt;"; size = 4; break;
        case '>': entity = "&gt;"; size = 4; break;
        case '"': entity = "&#34;"; size = 5; break;
        case '\'': entity = "&#39;"; size = 5; break;
        default: continue;
        }
        if (raw(o, run, p - run) < 0 || raw(o, entity, size) < 0)
            return FAILED;
        run = p + 1;
    }
    return raw(o, run, end - run);
}

/* {{ v }} */
static int value(Out *o, PyObject *v) {
    if (PyUnicode_CheckExact(v))
        return escaped(o, v);
    if ((PyObject *)Py_TYPE(v) == markup_type) {
        Py_ssize_t n;
        const char *p = utf8(v, &n);
        if (p == NULL)
            return PyErr_Occurred() ? FAILED : DECLINED;
        return raw(o, p, n);
    }
    if (PyLong_CheckExact(v) || PyFloat_CheckExact(v)) {
        PyObject *text = PyObject_Str(v);
        if (text == NULL)
            return FAILED;
        Py_ssize_t n;
        const char *p = PyUnicode_AsUTF8AndSize(text, &n);
        int done = p == NULL ? FAILED : raw(o, p, n);
        Py_DECREF(text);
        return done;
    }
    return DECLINED;
}

/* {{ v|safe }}: text as it is */
static int safe(Out *o, PyObject *v) {
    if (!PyUnicode_CheckExact(v) && (PyObject *)Py_TYPE(v) != markup_type)
        return DECLINED;
    Py_ssize_t n;
    const char *p = utf8(v, &n);
    if (p == NULL)
        return PyErr_Occurred() ? FAILED : DECLINED;
    return raw(o, p, n);
}

/* {{ f(v) }} */
static int called(Out *o, PyObject *f, PyObject *v) {
    PyObject *got = PyObject_CallOneArg(f, v);
    if (got == NULL)
        return FAILED;
    int done = value(o, got);
    Py_DECREF(got);
    return done;
}

/* d.key, borrowed (NULL: declined, or failed where an error is set) */
static PyObject *field(PyObject *d, PyObject *key) {
    if (!PyDict_CheckExact(d))
        return NULL;
    return PyDict_GetItemWithError(d, key);
}

#define FIELD(var, d, key) PyObject *var = field(d, key); if (var == NULL) return PyErr_Occurred() ? FAILED : DECLINED;
#define DO(call) do { int done_ = (call); if (done_ != OK) return done_; } while (0)
#define TRUTH(var, v) int var = PyObject_IsTrue(v); if (var < 0) return FAILED;
#define LIST(v) if (!PyList_CheckExact(v) && !PyTuple_CheckExact(v)) return DECLINED;

/* {{ d.key }} */
static int value_of(Out *o, PyObject *d, PyObject *key) {
    FIELD(v, d, key);
    return value(o, v);
}

/* <span class="flag-word" data-flag="…">…</span> for each of `words` */
static int flag_words(Out *o, PyObject *words) {
    LIST(words);
    Py_ssize_t n = PySequence_Fast_GET_SIZE(words);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *w = PySequence_Fast_GET_ITEM(words, i);
        DO(LIT(o, "<span class=\"flag-word\" data-flag=\""));
        DO(value_of(o, w, k_name));
        DO(LIT(o, "\">"));
        DO(value_of(o, w, k_word));
        DO(LIT(o, "</span> "));
    }
    return OK;
}

/* {{ flags|map(attribute='name')|join(' ') }} (runtime.map_join): each a dict's "name" or, for an object
   with no items (a FlagDef), its attribute, text only */
static int flag_names(Out *o, PyObject *flags) {
    LIST(flags);
    Py_ssize_t n = PySequence_Fast_GET_SIZE(flags);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PySequence_Fast_GET_ITEM(flags, i), *name;
        if (PyDict_CheckExact(item)) {
            name = PyDict_GetItemWithError(item, k_name);
            if (name == NULL)
                return PyErr_Occurred() ? FAILED : DECLINED;
            Py_INCREF(name);
        } else {
            PyTypeObject *t = Py_TYPE(item);
            if ((t->tp_as_mapping && t->tp_as_mapping->mp_subscript) || (t->tp_as_sequence && t->tp_as_sequence->sq_item))
                return DECLINED;
            name = PyObject_GetAttr(item, k_name);
            if (name == NULL) {
                if (!PyErr_ExceptionMatches(PyExc_AttributeError))
                    return FAILED;
                PyErr_Clear();
                return DECLINED;
            }
        }
        int done = PyUnicode_CheckExact(name) ? (i ? LIT(o, " ") : OK) : DECLINED;
        if (done == OK)
            done = escaped(o, name);
        Py_DECREF(name);
        DO(done);
    }
    return OK;
}

/* _verdict.html, given the note's verdict */
static int verdict_word(Out *o, PyObject *verdict) {
    TRUTH(has, verdict);
    if (!has)
        return OK;
    DO(LIT(o, "<span class=\"verdict-word\" data-verdict=\""));
    DO(value_of(o, verdict, k_name));
    DO(LIT(o, "\" data-rating=\""));
    DO(value_of(o, verdict, k_rating));
    DO(LIT(o, "\"><span class=\"vh\">Verdict: </span>"));
    DO(value_of(o, verdict, k_label));
    return LIT(o, "</span> ");
}

/* one of the note's links, the loop's `index` */
static int cross_link(Out *o, PyObject *note, PyObject *link, Py_ssize_t index, PyObject *href) {
    DO(LIT(o, "  <li class=\"xlink\" data-kind=\""));
    DO(value_of(o, link, k_kind));
    DO(LIT(o, "\">"));
    FIELD(warning, link, k_warning);
    TRUTH(warn, warning);
    if (warn) {
        FIELD(whole, link, k_whole);
        TRUTH(is_whole, whole);
        DO(LIT(o, "<strong class=\"warn\">Warning: that "));
        DO(is_whole ? LIT(o, "article") : LIT(o, "passage"));
        DO(LIT(o, " was retracted.</strong> "));
    }
    DO(value_of(o, link, k_label));
    DO(LIT(o, "\n"));
    FIELD(external, link, k_external);
    TRUTH(is_external, external);
    FIELD(url, link, k_url);
    FIELD(title, link, k_title);
    if (is_external) {
        DO(LIT(o, "<a href=\""));
        DO(called(o, href, url));
        DO(LIT(o, "\" rel=\"nofollow\">"));
        DO(value(o, title));
        DO(LIT(o, "</a>"));
        return LIT(o, "</li>\n");
    }
    FIELD(quote, link, k_quote);
    TRUTH(has_quote, quote);
    FIELD(same, link, k_same_article);
    TRUTH(same_article, same);
    char number[32];
    int digits = snprintf(number, sizeof number, "%zd", index);
    DO(LIT(o, "<a href=\""));
    DO(value(o, url));
    DO(LIT(o, "\""));
    if (has_quote) {
        DO(LIT(o, " aria-describedby=\"pv-"));
        DO(value_of(o, note, k_id));
        DO(LIT(o, "."));
        DO(raw(o, number, digits));
        DO(LIT(o, "\""));
    }
    DO(LIT(o, ">"));
    if (!same_article) {
        DO(LIT(o, "<cite><bdi>"));
        DO(value(o, title));
        DO(LIT(o, "</bdi></cite>"));
    }
    if (has_quote) {
        if (!same_article)
            DO(LIT(o, ": "));
        DO(LIT(o, "\xe2\x80\x9c<bdi>"));
        DO(value(o, quote));
        DO(LIT(o, "</bdi>\xe2\x80\x9d"));
    }
    DO(LIT(o, " <span aria-hidden=\"true\">\xe2\x86\x92</span></a>"));
    if (has_quote) {
        DO(LIT(o, "  <span class=\"preview\" id=\"pv-"));
        DO(value_of(o, note, k_id));
        DO(LIT(o, "."));
        DO(raw(o, number, digits));
        DO(LIT(o, "\" role=\"tooltip\" hidden><span class=\"preview-flags\">"));
        FIELD(words, link, k_words);
        DO(flag_words(o, words));
        DO(LIT(o, "</span> <q>"));
        DO(value(o, quote));
        DO(LIT(o, "</q>"));
        FIELD(gist, link, k_gist);
        TRUTH(has_gist, gist);
        if (has_gist) {
            DO(LIT(o, " <span class=\"preview-note\">"));
            DO(value(o, gist));
            DO(LIT(o, "</span>"));
        }
        DO(LIT(o, "</span>"));
    }
    return LIT(o, "</li>\n");
}

static int render(Out *o, PyObject *note, PyObject *site, PyObject *ui, PyObject *href, PyObject *note_history) {
    FIELD(id, note, k_id);
    FIELD(words, note, k_words);
    FIELD(number, note, k_number);
    FIELD(prev, note, k_prev);
    FIELD(next, note, k_next);
    LIST(words);
    Py_ssize_t word_count = PySequence_Fast_GET_SIZE(words);
    TRUTH(has_next, next);
    TRUTH(has_prev, prev);

    DO(LIT(o, "<aside class=\"note\" id=\"note-"));
    DO(value(o, id));
    DO(LIT(o, "\" aria-labelledby=\"note-"));
    DO(value(o, id));
    DO(LIT(o, ".head\" data-note=\""));
    DO(value(o, id));
    DO(LIT(o, "\""));
    if (word_count) {
        DO(LIT(o, " data-flag=\""));
        DO(value_of(o, PySequence_Fast_GET_ITEM(words, 0), k_name));
        DO(LIT(o, "\""));
    }
    DO(LIT(o, " data-flags=\""));
    FIELD(flags, note, k_flags);
    DO(flag_names(o, flags));
    DO(LIT(o, "\""));
    if (!has_next)
        DO(LIT(o, " data-last=\"\""));
    DO(LIT(o, " style=\"--note: --n"));
    DO(value(o, number));
    DO(LIT(o, "; --p: --p"));
    DO(value(o, number));
    DO(LIT(o, "; --s: --s"));
    DO(value(o, number));
    if (has_prev) {
        DO(LIT(o, "; --prev: --n"));
        DO(value(o, prev));
    }
    if (has_next) {
        DO(LIT(o, "; --next: --p"));
        DO(value(o, next));
    }
    DO(LIT(o, "\">\n<details>\n<summary id=\"note-"));
    DO(value(o, id));
    DO(LIT(o, ".head\" class=\"note-head\" data-search-ignore><span class=\"num\">"));
    DO(value(o, number));
    DO(LIT(o, "</span>\n<span class=\"note-flags"));
    FIELD(crowded, note, k_crowded);
    TRUTH(is_crowded, crowded);
    if (is_crowded)
        DO(LIT(o, " long"));
    DO(LIT(o, "\""));
    FIELD(direction, site, k_direction);
    if (!PyUnicode_CheckExact(direction))
        return DECLINED;
    if (PyUnicode_CompareWithASCIIString(direction, "rtl") == 0)
        DO(LIT(o, " dir=\"auto\""));
    DO(LIT(o, ">"));
    DO(flag_words(o, words));
    if (!word_count)
        DO(LIT(o, "<span class=\"flag-word plain\">Note</span>"));
    if (word_count > 1) {
        char more[32];
        DO(LIT(o, "<span class=\"more\" aria-hidden=\"true\">+"));
        DO(raw(o, more, snprintf(more, sizeof more, "%zd", word_count - 1)));
        DO(LIT(o, "</span>"));
    }
    DO(LIT(o, "</span>\n"));
    FIELD(verdict, note, k_verdict);
    DO(verdict_word(o, verdict));
    FIELD(gist, note, k_gist);
    TRUTH(has_gist, gist);
    if (has_gist) {
        DO(LIT(o, "<span class=\"gist\">"));
        DO(value(o, gist));
        DO(LIT(o, "</span>"));
    }
    DO(LIT(o, "<span class=\"vh\">on \xe2\x80\x9c"));
    DO(value_of(o, note, k_quote));
    DO(LIT(o, "\xe2\x80\x9d</span></summary>\n<div class=\"note-body\">\n<div class=\"note-text\">"));
    FIELD(html, note, k_html);
    DO(safe(o, html));
    DO(LIT(o, "</div>\n"));

    /* _note_original.html */
    TRUTH(has_verdict, verdict);
    if (has_verdict) {
        DO(LIT(o, "<p class=\"claim\">Claim rated <strong class=\"verdict-word\" data-verdict=\""));
        DO(value_of(o, verdict, k_name));
        DO(LIT(o, "\">"));
        DO(value_of(o, verdict, k_label));
        DO(LIT(o, "</strong>: \xe2\x80\x9c"));
        DO(value_of(o, verdict, k_claim));
        DO(LIT(o, "\xe2\x80\x9d</p>\n"));
    }
    FIELD(original, note, k_original);
    TRUTH(has_original, original);
    if (has_original) {
        DO(LIT(o, "<p class=\"original-link\" data-search-ignore><a href=\""));
        DO(called(o, href, original));
        DO(LIT(o, "\" rel=\"nofollow\">This passage in the original <span aria-hidden=\"true\">\xe2\x86\x97</span></a></p>\n"));
    }

    FIELD(links, note, k_links);
    TRUTH(has_links, links);
    if (has_links) {
        LIST(links);
        DO(LIT(o, "<ul class=\"xlinks\" data-search-ignore"));
        DO(value(o, ui));
        DO(LIT(o, ">\n"));
        Py_ssize_t n = PySequence_Fast_GET_SIZE(links);
        for (Py_ssize_t i = 0; i < n; i++)
            DO(cross_link(o, note, PySequence_Fast_GET_ITEM(links, i), i + 1, href));
        DO(LIT(o, "</ul>\n"));
    }
    FIELD(sources, note, k_sources);
    TRUTH(has_sources, sources);
    if (has_sources) {
        LIST(sources);
        DO(LIT(o, "<p class=\"sources\" data-search-ignore"));
        DO(value(o, ui));
        DO(LIT(o, ">Sources:\n"));
        Py_ssize_t n = PySequence_Fast_GET_SIZE(sources);
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *source = PySequence_Fast_GET_ITEM(sources, i);
            FIELD(url, source, k_url);
            DO(LIT(o, "<a href=\""));
            DO(called(o, href, url));
            DO(LIT(o, "\" rel=\"nofollow\">"));
            DO(value_of(o, source, k_title));
            DO(LIT(o, "</a>"));
            if (i + 1 < n)
                DO(LIT(o, "; "));
        }
        DO(LIT(o, "</p>\n"));
    }
    FIELD(tags, note, k_tags);
    TRUTH(has_tags, tags);
    if (has_tags) {
        LIST(tags);
        DO(LIT(o, "<p class=\"tags\" data-search-ignore"));
        DO(value(o, ui));
        DO(LIT(o, ">Tags: "));
        Py_ssize_t n = PySequence_Fast_GET_SIZE(tags);
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *tag = PySequence_Fast_GET_ITEM(tags, i);
            DO(LIT(o, "<a href=\""));
            DO(value_of(o, tag, k_url));
            DO(LIT(o, "\">"));
            DO(value_of(o, tag, k_name));
            DO(LIT(o, "</a>"));
            if (i + 1 < n)
                DO(LIT(o, ", "));
        }
        DO(LIT(o, "</p>\n"));
    }
    FIELD(history, note, k_history);
    DO(called(o, note_history, history));
    DO(LIT(o, "<p class=\"byline note-foot\" data-search-ignore"));
    DO(value(o, ui));
    DO(LIT(o, ">"));
    FIELD(by, note, k_by);
    TRUTH(has_by, by);
    if (has_by) {
        DO(LIT(o, "<bdi>"));
        DO(value(o, by));
        DO(LIT(o, "</bdi>"));
    }
    FIELD(date, note, k_date);
    TRUTH(has_date, date);
    if (has_date) {
        DO(LIT(o, ", <time datetime=\""));
        DO(called(o, date_filter, date));
        DO(LIT(o, "\">"));
        DO(called(o, long_date_filter, date));
        DO(LIT(o, "</time>"));
    }
    if (has_by || has_date)
        DO(LIT(o, " \xc2\xb7 "));
    DO(LIT(o, "<a href=\""));
    DO(value_of(o, note, k_permalink));
    DO(LIT(o, "\" role=\"doc-backlink\">Back to the passage</a>"));
    FIELD(prev_flagged, note, k_prev_flagged);
    TRUTH(has_prev_flagged, prev_flagged);
    if (has_prev_flagged) {
        DO(LIT(o, " \xc2\xb7 <a href=\"#"));
        DO(value(o, prev_flagged));
        DO(LIT(o, "\" rel=\"prev\">Previous flagged passage</a>"));
    }
    FIELD(next_flagged, note, k_next_flagged);
    TRUTH(has_next_flagged, next_flagged);
    if (has_next_flagged) {
        DO(LIT(o, " \xc2\xb7 <a href=\"#"));
        DO(value(o, next_flagged));
        DO(LIT(o, "\" rel=\"next\">Next flagged passage</a>"));
    }
    DO(LIT(o, "</p>\n<span class=\"note-end\" id=\""));
    DO(value(o, id));
    return LIT(o, ".end\"></span></div>\n</details>\n</aside>\n");
}

static PyObject *note(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 5) {
        PyErr_SetString(PyExc_TypeError, "note(note, site, ui, href, note_history)");
        return NULL;
    }
    if (markup_type == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "note: setup(Markup, date, long_date) first");
        return NULL;
    }
    Out o = {PyMem_Malloc(4096), 0, 4096};
    if (o.data == NULL)
        return PyErr_NoMemory();
    int done = render(&o, args[0], args[1], args[2], args[3], args[4]);
    PyObject *made = NULL;
    if (done == OK)
        made = PyUnicode_DecodeUTF8(o.data, o.len, NULL);
    else if (done == DECLINED)
        made = Py_NewRef(Py_None);
    PyMem_Free(o.data);
    return made;
}

static PyObject *setup(PyObject *module, PyObject *args) {
    PyObject *markup, *date, *long_date;
    if (!PyArg_ParseTuple(args, "OOO", &markup, &date, &long_date))
        return NULL;
    Py_XSETREF(markup_type, Py_NewRef(markup));
    Py_XSETREF(date_filter, Py_NewRef(date));
    Py_XSETREF(long_date_filter, Py_NewRef(long_date));
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"note", (PyCFunction)(void (*)(void))note, METH_FASTCALL,
     "note(note, site, ui, href, note_history): the note's HTML as _note.html makes it, or None (the template's to render)"},
    {"setup", setup, METH_VARARGS, "setup(Markup, date, long_date): the Markup class and the environment's date filters"},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_notes", NULL, -1, methods};

PyMODINIT_FUNC PyInit__notes(void) {
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
#define INTERN(k) if ((k_##k = PyUnicode_InternFromString(#k)) == NULL) { Py_DECREF(m); return NULL; }
    KEYS(INTERN)
    if (PyModule_AddStringConstant(m, "SOURCE_SHA256", SOURCE_SHA256) < 0
        || PyModule_AddStringConstant(m, "MIRRORS", MIRRORS) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
