/* builder/_yamlnodes.c: `compose(text)`, the node tree of a YAML text, as `yaml.compose(text, Loader=_Loader)`
   makes it (builder/read/yamlsrc.py, which stays the rule and the fallback).

   Both read the text with libyaml's parser, of the same version (PyYAML's wheel holds its own copy of libyaml
   0.2.5; this module links the system's, Debian's libyaml-dev), and make the same nodes from its events:
   yaml.nodes' ScalarNode, SequenceNode and MappingNode, with the same attributes in the same order; their tags
   as _Loader resolves them (a plain scalar's by yamlsrc._plain_tag, called only where its first character
   is one an implicit resolver looks at, and remembered in yamlsrc._plain_tags, as _Loader does); their marks
   of a type of this module, with the fields of PyYAML's. What PyYAML does for each node in Python (its
   resolver's calls, each node's __init__, six arguments parsed for each mark) is done here in C: an
   annotation file's tree in about half the instructions. Beside the nodes it makes the plain data that
   yamlsrc.to_python would make of them, and each mapping's `written`, where to_python would report nothing
   (no merge key, no key written twice, no other tag, no list or mapping as a key): the root's `plain`, which
   to_python takes.

   Whatever it would not make exactly as PyYAML does, it leaves to PyYAML: `compose` returns NotImplemented
   for a text with a syntax error (PyYAML then says where), an anchor, an alias, an explicit tag, a
   directive, more than one document, or nesting past MAX_DEPTH. tests/test_yamlnodes_native.py holds the
   two equal on every YAML file of the repository and its tests. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <yaml.h>

#ifndef SOURCE_SHA256
#error "build with -DSOURCE_SHA256=\"<sha256 of this file>\" (builder/native.py does)"
#endif

#define MAX_DEPTH 2000 /* past yamlsrc.MAX_DEPTH (1,000), which is checked before */
#define PLAIN_DEPTH 100 /* deeper, the plain data are left to to_python (which may find them too deep to read) */

/* set by `setup` */
static PyObject *ScalarNode, *SequenceNode, *MappingNode, *plain_tag, *plain_tags;
static char resolved_first[128]; /* first characters (ASCII) an implicit resolver looks at */
static int resolved_empty;       /* whether the empty plain scalar is looked at (the null resolver's "") */
/* made at import */
static PyObject *STR_TAG, *SEQ_TAG, *MAP_TAG, *NULL_TAG, *BOOL_TAG, *INT_TAG, *FLOAT_TAG, *STREAM_NAME, *STYLES[5], *no_args;
static PyObject *TRUE_WORDS, *UNDERSCORE, *NOTHING;
static PyObject *s_tag, *s_value, *s_start_mark, *s_end_mark, *s_style, *s_flow_style, *s_written, *s_plain, *s_lower;

typedef struct {
    yaml_parser_t parser;
    yaml_event_t event;
    int held;  /* whether `event` holds an event not yet used */
    int depth;
    int plain;  /* whether the plain data are still made beside the nodes (see compose_node) */
} State;

/* NULL with no exception set: leave this text to PyYAML */
#define LEAVE NULL

static int next_event(State *s) {
    /* 1 where `event` holds the next event, 0 where libyaml found an error */
    if (!s->held) {
        if (!yaml_parser_parse(&s->parser, &s->event))
            return 0;
        s->held = 1;
    }
    return 1;
}

static void drop_event(State *s) {
    yaml_event_delete(&s->event);
    s->held = 0;
}

/* A node's mark: where it starts or ends (PyYAML's marks hold the same fields: name, index, line and column,
   0-based, and buffer and pointer, None), made in C without the six arguments a mark's __init__ parses. */
typedef struct {
    PyObject_HEAD
    Py_ssize_t index, line, column;
} MarkObject;

static PyObject *mark_name(PyObject *self, void *closure) { return Py_NewRef(STREAM_NAME); }
static PyObject *mark_none(PyObject *self, void *closure) { Py_RETURN_NONE; }

static PyObject *mark_str(PyObject *self) {
    MarkObject *m = (MarkObject *)self;
    return PyUnicode_FromFormat("  in \"%U\", line %zd, column %zd", STREAM_NAME, m->line + 1, m->column + 1);
}

static PyMemberDef mark_members[] = {
    {"index", T_PYSSIZET, offsetof(MarkObject, index), READONLY, NULL},
    {"line", T_PYSSIZET, offsetof(MarkObject, line), READONLY, NULL},
    {"column", T_PYSSIZET, offsetof(MarkObject, column), READONLY, NULL},
    {NULL}};

static PyGetSetDef mark_getset[] = {
    {"name", mark_name, NULL, NULL, NULL},
    {"buffer", mark_none, NULL, NULL, NULL},
    {"pointer", mark_none, NULL, NULL, NULL},
    {NULL}};

static PyMethodDef mark_methods[] = {
    {"get_snippet", (PyCFunction)mark_none, METH_NOARGS, NULL},
    {NULL}};

static PyTypeObject MarkType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "builder._yamlnodes.Mark",
    .tp_basicsize = sizeof(MarkObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Where a node starts or ends: index, line and column (0-based), as PyYAML's marks",
    .tp_str = mark_str,
    .tp_members = mark_members,
    .tp_getset = mark_getset,
    .tp_methods = mark_methods,
};

static PyObject *mark(yaml_mark_t at) {
    MarkObject *m = PyObject_New(MarkObject, &MarkType);
    if (m != NULL) {
        m->index = (Py_ssize_t)at.index;
        m->line = (Py_ssize_t)at.line;
        m->column = (Py_ssize_t)at.column;
    }
    return (PyObject *)m;
}

static PyObject *node(PyObject *cls, PyObject *tag, PyObject *value, PyObject *start, PyObject *end,
                      PyObject *style_name, PyObject *style) {
    /* (a new reference) an instance of cls with the attributes its __init__ sets, in its order */
    PyObject *out = ((PyTypeObject *)cls)->tp_new((PyTypeObject *)cls, no_args, NULL);
    if (out == NULL)
        return NULL;
    if (PyObject_SetAttr(out, s_tag, tag) < 0 || PyObject_SetAttr(out, s_value, value) < 0 ||
        PyObject_SetAttr(out, s_start_mark, start) < 0 || PyObject_SetAttr(out, s_end_mark, end) < 0 ||
        PyObject_SetAttr(out, style_name, style) < 0) {
        Py_DECREF(out);
        return NULL;
    }
    return out;
}

static PyObject *scalar_tag(const yaml_event_t *e, PyObject *value) {
    /* (a new reference) _Loader.resolve's tag for a scalar without an explicit tag */
    if (!e->data.scalar.plain_implicit) /* quoted, or a block scalar: text */
        return Py_NewRef(STR_TAG);
    size_t length = e->data.scalar.length;
    unsigned char first = length ? e->data.scalar.value[0] : 0;
    if (length ? (first >= 128 || !resolved_first[first]) : !resolved_empty)
        return Py_NewRef(STR_TAG);
    PyObject *known = PyDict_GetItemWithError(plain_tags, value);
    if (known != NULL)
        return Py_NewRef(known);
    if (PyErr_Occurred())
        return NULL;
    return PyObject_CallOneArg(plain_tag, value);
}

static int same(PyObject *tag, PyObject *known) {
    return tag == known || PyUnicode_Compare(tag, known) == 0;
}

static PyObject *plain_scalar(PyObject *tag, PyObject *value) {
    /* (a new reference) yamlsrc._scalar's value of a scalar with one of the plain tags; NULL with no exception
       set for another tag (merge, value: to_python says what it makes of them) */
    if (same(tag, STR_TAG))
        return Py_NewRef(value);
    if (same(tag, NULL_TAG))
        return Py_NewRef(Py_None);
    if (same(tag, BOOL_TAG)) {
        PyObject *lower = PyObject_CallMethodNoArgs(value, s_lower);
        int yes = lower ? PySequence_Contains(TRUE_WORDS, lower) : -1;
        Py_XDECREF(lower);
        return yes < 0 ? NULL : Py_NewRef(yes ? Py_True : Py_False);
    }
    int is_int = same(tag, INT_TAG);
    if (!is_int && !same(tag, FLOAT_TAG))
        return NULL;
    PyObject *bare = PyUnicode_Replace(value, UNDERSCORE, NOTHING, -1);
    if (bare == NULL)
        return NULL;
    PyObject *out = is_int ? PyLong_FromUnicodeObject(bare, 0) : PyFloat_FromString(bare);
    Py_DECREF(bare);
    if (out == NULL && PyErr_ExceptionMatches(PyExc_ValueError)) { /* ("017", "1:30", ".inf": the text) */
        PyErr_Clear();
        out = Py_NewRef(value);
    }
    return out;
}

static PyObject *compose_node(State *s, PyObject **plain);

static PyObject *compose_scalar(State *s, PyObject **plain) {
    yaml_event_t *e = &s->event;
    PyObject *value = PyUnicode_DecodeUTF8((const char *)e->data.scalar.value, e->data.scalar.length, "strict");
    if (value == NULL) { /* (libyaml checks the UTF-8 it reads: not met) */
        PyErr_Clear();
        return LEAVE;
    }
    PyObject *tag = scalar_tag(e, value);
    PyObject *start = tag ? mark(e->start_mark) : NULL;
    PyObject *end = start ? mark(e->end_mark) : NULL;
    PyObject *style = NULL;
    switch (e->data.scalar.style) {
    case YAML_PLAIN_SCALAR_STYLE: style = STYLES[0]; break;
    case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = STYLES[1]; break;
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = STYLES[2]; break;
    case YAML_LITERAL_SCALAR_STYLE: style = STYLES[3]; break;
    case YAML_FOLDED_SCALAR_STYLE: style = STYLES[4]; break;
    default: style = Py_None;
    }
    PyObject *out = end ? node(ScalarNode, tag, value, start, end, s_style, style) : NULL;
    if (out != NULL && s->plain) {
        *plain = plain_scalar(tag, value);
        if (*plain == NULL) {
            if (PyErr_Occurred())
                Py_CLEAR(out);
            s->plain = 0;
        }
    }
    Py_DECREF(value);
    Py_XDECREF(tag);
    Py_XDECREF(start);
    Py_XDECREF(end);
    drop_event(s);
    return out;
}

static PyObject *compose_collection(State *s, int mapping, PyObject **plain) {
    /* a sequence's or a mapping's node, its items composed until its end event; and, while s->plain holds, its
       plain data as yamlsrc.to_python makes them (a list; a dict, its keys the keys' texts, each key once), and a
       mapping's `written` as to_python leaves it ({key: (key node, value node)}, no merge) */
    yaml_event_t *e = &s->event;
    int style = mapping ? (int)e->data.mapping_start.style : (int)e->data.sequence_start.style;
    PyObject *flow = (style == (mapping ? YAML_FLOW_MAPPING_STYLE : YAML_FLOW_SEQUENCE_STYLE)) ? Py_True
                   : (style == (mapping ? YAML_BLOCK_MAPPING_STYLE : YAML_BLOCK_SEQUENCE_STYLE)) ? Py_False : Py_None;
    PyObject *items = PyList_New(0);
    PyObject *start = items ? mark(e->start_mark) : NULL;
    PyObject *out = start ? node(mapping ? MappingNode : SequenceNode, mapping ? MAP_TAG : SEQ_TAG, items, start,
                                 Py_None, s_flow_style, flow) : NULL;
    PyObject *data = NULL, *written = NULL;
    Py_XDECREF(start);
    drop_event(s);
    if (out == NULL) {
        Py_XDECREF(items);
        return NULL;
    }
    if (s->plain) {
        data = mapping ? PyDict_New() : PyList_New(0);
        written = mapping ? PyDict_New() : NULL;
        if (data == NULL || (mapping && written == NULL))
            goto leave;
    }
    yaml_event_type_t end_type = mapping ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT;
    for (;;) {
        if (!next_event(s))
            goto leave;
        if (s->event.type == end_type)
            break;
        PyObject *key_plain = NULL, *value_plain = NULL;
        PyObject *key = compose_node(s, &key_plain);
        if (key == NULL)
            goto leave;
        PyObject *item = key;
        if (mapping) {
            PyObject *value = compose_node(s, &value_plain);
            if (value == NULL) {
                Py_DECREF(key);
                Py_XDECREF(key_plain);
                goto leave;
            }
            item = PyTuple_Pack(2, key, value);
            Py_DECREF(value);
        }
        int failed = item == NULL || PyList_Append(items, item) < 0;
        if (!failed && s->plain && data != NULL) {
            if (!mapping) {
                failed = PyList_Append(data, key_plain) < 0;
            } else if (Py_TYPE(key) != (PyTypeObject *)ScalarNode) { /* a list or mapping as a key: to_python says */
                s->plain = 0;
            } else {
                PyObject *text = PyObject_GetAttr(key, s_value);  /* the key as written: to_python's keys */
                int seen = text ? PyDict_Contains(data, text) : -1;
                if (seen == 1) /* written twice: to_python says so */
                    s->plain = 0;
                else
                    failed = seen < 0 || PyDict_SetItem(data, text, value_plain) < 0 ||
                             PyDict_SetItem(written, text, item) < 0;
                Py_XDECREF(text);
            }
        }
        if (mapping)
            Py_DECREF(key);
        Py_XDECREF(item);
        Py_XDECREF(key_plain);
        Py_XDECREF(value_plain);
        if (failed)
            goto leave;
    }
    PyObject *end = mark(s->event.end_mark);
    drop_event(s);
    if (end == NULL || PyObject_SetAttr(out, s_end_mark, end) < 0) {
        Py_XDECREF(end);
        goto leave;
    }
    Py_DECREF(end);
    if (s->plain && written != NULL) {
        PyObject *pair = PyTuple_Pack(2, written, Py_False);
        if (pair == NULL || PyObject_SetAttr(out, s_written, pair) < 0) {
            Py_XDECREF(pair);
            goto leave;
        }
        Py_DECREF(pair);
    }
    if (s->plain)
        *plain = Py_NewRef(data);
    Py_XDECREF(data);
    Py_XDECREF(written);
    Py_DECREF(items);
    return out;
leave:
    Py_XDECREF(data);
    Py_XDECREF(written);
    Py_DECREF(items);
    Py_DECREF(out);
    return NULL;
}

static PyObject *compose_node(State *s, PyObject **plain) {
    /* (a new reference) the node that starts at the next event; NULL: an exception, or LEAVE. Its plain data
       (a new reference) in *plain, while s->plain holds: set to 0 where the data are not all plain */
    if (!next_event(s))
        return LEAVE;
    yaml_event_t *e = &s->event;
    if (++s->depth > MAX_DEPTH) {
        s->depth--;
        return LEAVE;
    }
    if (s->depth > PLAIN_DEPTH)
        s->plain = 0;
    PyObject *out = LEAVE;
    switch (e->type) {
    case YAML_SCALAR_EVENT:
        if (e->data.scalar.anchor == NULL && e->data.scalar.tag == NULL)
            out = compose_scalar(s, plain);
        break;
    case YAML_SEQUENCE_START_EVENT:
        if (e->data.sequence_start.anchor == NULL && e->data.sequence_start.tag == NULL)
            out = compose_collection(s, 0, plain);
        break;
    case YAML_MAPPING_START_EVENT:
        if (e->data.mapping_start.anchor == NULL && e->data.mapping_start.tag == NULL)
            out = compose_collection(s, 1, plain);
        break;
    default: /* an alias */
        break;
    }
    s->depth--;
    return out;
}

static PyObject *compose_stream(State *s) {
    /* the single document's root node, Py_None for none, NULL: an exception, or LEAVE */
    if (!next_event(s) || s->event.type != YAML_STREAM_START_EVENT)
        return LEAVE;
    drop_event(s);
    if (!next_event(s))
        return LEAVE;
    if (s->event.type == YAML_STREAM_END_EVENT)
        return Py_NewRef(Py_None);
    if (s->event.type != YAML_DOCUMENT_START_EVENT || s->event.data.document_start.version_directive != NULL ||
        s->event.data.document_start.tag_directives.start != s->event.data.document_start.tag_directives.end)
        return LEAVE;
    drop_event(s);
    PyObject *plain = NULL;
    PyObject *root = compose_node(s, &plain);
    if (root == NULL) {
        Py_XDECREF(plain);
        return NULL;
    }
    if (next_event(s) && s->event.type == YAML_DOCUMENT_END_EVENT) {
        drop_event(s);
        if (next_event(s) && s->event.type == YAML_STREAM_END_EVENT) {
            /* the plain data, for to_python: root.plain = (data,) */
            PyObject *kept = s->plain && plain ? PyTuple_Pack(1, plain) : NULL;
            Py_XDECREF(plain);
            if (kept != NULL) {
                int set = PyObject_SetAttr(root, s_plain, kept);
                Py_DECREF(kept);
                if (set < 0) {
                    Py_DECREF(root);
                    return NULL;
                }
            } else if (PyErr_Occurred()) {
                Py_DECREF(root);
                return NULL;
            }
            return root;
        }
    }
    Py_XDECREF(plain);
    Py_DECREF(root);
    return LEAVE;
}

static PyObject *compose(PyObject *module, PyObject *text) {
    if (ScalarNode == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "builder._yamlnodes.setup() was not called");
        return NULL;
    }
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "compose() takes a str");
        return NULL;
    }
    Py_ssize_t size;
    const char *utf8 = PyUnicode_AsUTF8AndSize(text, &size);
    if (utf8 == NULL) { /* a lone surrogate: PyYAML says so */
        PyErr_Clear();
        Py_RETURN_NOTIMPLEMENTED;
    }
    State s;
    if (!yaml_parser_initialize(&s.parser))
        return PyErr_NoMemory();
    s.held = 0;
    s.depth = 0;
    s.plain = 1;
    /* (its encoding found by libyaml, as PyYAML leaves it: a BOM at the start is then not a character) */
    yaml_parser_set_input_string(&s.parser, (const unsigned char *)utf8, (size_t)size);
    PyObject *root = compose_stream(&s);
    if (s.held)
        yaml_event_delete(&s.event);
    yaml_parser_delete(&s.parser);
    if (root == NULL && !PyErr_Occurred())
        Py_RETURN_NOTIMPLEMENTED;
    return root;
}

static PyObject *setup(PyObject *module, PyObject *args) {
    PyObject *scalar, *sequence, *mapping, *tag_of, *tags, *firsts;
    if (!PyArg_ParseTuple(args, "OOOOO!U", &scalar, &sequence, &mapping, &tag_of, &PyDict_Type, &tags, &firsts))
        return NULL;
    if (!PyType_Check(scalar) || !PyType_Check(sequence) || !PyType_Check(mapping)) {
        PyErr_SetString(PyExc_TypeError, "setup() takes the three node classes first");
        return NULL;
    }
    memset(resolved_first, 0, sizeof resolved_first);
    resolved_empty = 0;
    Py_ssize_t n = PyUnicode_GET_LENGTH(firsts);
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ_CHAR(firsts, i);
        if (c == 0) /* "\0" stands for the empty scalar */
            resolved_empty = 1;
        else if (c < 128)
            resolved_first[c] = 1;
    }
    Py_XSETREF(ScalarNode, Py_NewRef(scalar));
    Py_XSETREF(SequenceNode, Py_NewRef(sequence));
    Py_XSETREF(MappingNode, Py_NewRef(mapping));
    Py_XSETREF(plain_tag, Py_NewRef(tag_of));
    Py_XSETREF(plain_tags, Py_NewRef(tags));
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"setup", setup, METH_VARARGS,
     "setup(ScalarNode, SequenceNode, MappingNode, plain_tag, plain_tags, first_chars): what compose makes "
     "(first_chars: the first characters of plain scalars whose tag plain_tag finds, \"\\0\" for the empty one)"},
    {"compose", compose, METH_O,
     "compose(text): the root node of a YAML text (None: no document), or NotImplemented: left to PyYAML"},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module_def = {PyModuleDef_HEAD_INIT, "_yamlnodes", NULL, -1, methods};

PyMODINIT_FUNC PyInit__yamlnodes(void) {
    if (PyType_Ready(&MarkType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module_def);
    if (m == NULL)
        return NULL;
    if (PyModule_AddObjectRef(m, "Mark", (PyObject *)&MarkType) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    const struct { PyObject **at; const char *text; } texts[] = {
        {&STR_TAG, "tag:yaml.org,2002:str"}, {&SEQ_TAG, "tag:yaml.org,2002:seq"}, {&MAP_TAG, "tag:yaml.org,2002:map"},
        {&NULL_TAG, "tag:yaml.org,2002:null"}, {&BOOL_TAG, "tag:yaml.org,2002:bool"}, {&INT_TAG, "tag:yaml.org,2002:int"},
        {&FLOAT_TAG, "tag:yaml.org,2002:float"}, {&UNDERSCORE, "_"}, {&NOTHING, ""}, {&STREAM_NAME, "<unicode string>"},
        {&STYLES[0], ""}, {&STYLES[1], "'"}, {&STYLES[2], "\""}, {&STYLES[3], "|"}, {&STYLES[4], ">"},
        {&s_tag, "tag"}, {&s_value, "value"}, {&s_start_mark, "start_mark"}, {&s_end_mark, "end_mark"},
        {&s_style, "style"}, {&s_flow_style, "flow_style"}, {&s_written, "written"}, {&s_plain, "plain"},
        {&s_lower, "lower"}};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        if ((*texts[i].at = PyUnicode_InternFromString(texts[i].text)) == NULL) {
            Py_DECREF(m);
            return NULL;
        }
    }
    TRUE_WORDS = Py_BuildValue("(ssss)", "true", "yes", "on", "y");
    no_args = PyTuple_New(0);
    if (TRUE_WORDS == NULL || no_args == NULL || PyModule_AddStringConstant(m, "SOURCE_SHA256", SOURCE_SHA256) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
