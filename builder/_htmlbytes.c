/* builder/_htmlbytes.c: `encode(page)`, a page's text in UTF-8 where it holds no character HTML forbids, as
   builder/render/plan.py's html_bytes (the rule, and the fallback) writes it.

   html_bytes encodes each page (str.encode: some ten instructions a character, for a text holding one
   typographic quote), then reads the bytes for the characters HTML forbids (plan._NOT_HTML: the controls but
   tab, line feed, form feed and carriage return; U+007F to U+009F; the noncharacters U+FDD0 to U+FDEF, U+FFFE and
   U+FFFF), about nine more a byte. Here both are two passes over the text (one to count the bytes and look,
   one to write them), eight characters at a time (SSE2; four elsewhere) where they are ASCII.

   `encode` returns None where the page holds a character HTML forbids, or a lone surrogate: html_bytes then
   writes it as its rule says (U+FFFD for the one, "?" for the other). tests/test_htmlbytes_native.py holds
   the two equal. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#ifndef SOURCE_SHA256
#error "build with -DSOURCE_SHA256=\"<sha256 of this file>\" (builder/native.py does)"
#endif

static inline int forbidden(Py_UCS4 c) {
    /* plan._NOT_HTML's characters, and the lone surrogates (which html_bytes writes as "?") */
    if (c < 0x20)
        return !(c == '\t' || c == '\n' || c == '\f' || c == '\r');
    if (c < 0x7F)
        return 0;
    if (c <= 0x9F)
        return 1;
    return (c >= 0xD800 && c <= 0xDFFF) || (c >= 0xFDD0 && c <= 0xFDEF) || c == 0xFFFE || c == 0xFFFF;
}

static inline int utf8_length(Py_UCS4 c) { return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4; }

static inline char *put(char *out, Py_UCS4 c) {
    if (c < 0x80) {
        *out++ = (char)c;
    } else if (c < 0x800) {
        *out++ = (char)(0xC0 | (c >> 6));
        *out++ = (char)(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        *out++ = (char)(0xE0 | (c >> 12));
        *out++ = (char)(0x80 | ((c >> 6) & 0x3F));
        *out++ = (char)(0x80 | (c & 0x3F));
    } else {
        *out++ = (char)(0xF0 | (c >> 18));
        *out++ = (char)(0x80 | ((c >> 12) & 0x3F));
        *out++ = (char)(0x80 | ((c >> 6) & 0x3F));
        *out++ = (char)(0x80 | (c & 0x3F));
    }
    return out;
}

#ifdef __SSE2__
#include <emmintrin.h>
/* Eight UCS-2 characters at a time: a mask of those that are not printable ASCII (0x20 to 0x7E) or a line feed */
#define STEP 8
static inline int plain_step(const Py_UCS2 *at) {
    __m128i v = _mm_loadu_si128((const __m128i *)at);
    __m128i high = _mm_andnot_si128(_mm_cmpeq_epi16(_mm_and_si128(v, _mm_set1_epi16((short)0xFF80)), _mm_setzero_si128()),
                                    _mm_set1_epi16(-1));
    __m128i control = _mm_andnot_si128(_mm_cmpeq_epi16(v, _mm_set1_epi16('\n')), _mm_cmplt_epi16(v, _mm_set1_epi16(0x20)));
    __m128i del = _mm_cmpeq_epi16(v, _mm_set1_epi16(0x7F));
    return _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(high, control), del)) == 0;
}
static inline int ascii_step(const Py_UCS2 *at) {
    __m128i v = _mm_loadu_si128((const __m128i *)at);
    return _mm_movemask_epi8(_mm_cmpeq_epi16(_mm_and_si128(v, _mm_set1_epi16((short)0xFF80)), _mm_setzero_si128())) == 0xFFFF;
}
static inline void put_step(char *out, const Py_UCS2 *at) {
    __m128i v = _mm_loadu_si128((const __m128i *)at);
    _mm_storel_epi64((__m128i *)out, _mm_packus_epi16(v, v));
}
#else
/* Four UCS-2 characters (one 64-bit word) that are all printable ASCII (0x20 to 0x7E): no lane at 0x80 or more,
   none below 0x20 (adding 0x60 carries it to 0x80), none 0x7F (adding 0x01 then carries it to 0x80). */
#define STEP 4
#define LANES_HIGH 0xFF80FF80FF80FF80ULL
#define LANES_0x80 0x0080008000800080ULL
static inline int plain_step(const Py_UCS2 *at) {
    uint64_t w;
    memcpy(&w, at, 8);
    return (w & LANES_HIGH) == 0 && ((w + 0x0060006000600060ULL) & LANES_0x80) == LANES_0x80 &&
           ((w + 0x0001000100010001ULL) & LANES_0x80) == 0;
}
static inline int ascii_step(const Py_UCS2 *at) {
    uint64_t w;
    memcpy(&w, at, 8);
    return (w & LANES_HIGH) == 0;
}
static inline void put_step(char *out, const Py_UCS2 *at) {
    for (int k = 0; k < 4; k++)
        out[k] = (char)at[k];
}
#endif

static PyObject *encode_ucs2(const Py_UCS2 *text, Py_ssize_t n) {
    /* pass 1: the size in UTF-8, and whether any character is forbidden */
    Py_ssize_t size = 0, i = 0;
    for (; i + STEP <= n; i += STEP) {
        if (plain_step(text + i)) {
            size += STEP;
            continue;
        }
        for (int k = 0; k < STEP; k++) {
            Py_UCS4 c = text[i + k];
            if (forbidden(c))
                Py_RETURN_NONE;
            size += utf8_length(c);
        }
    }
    for (; i < n; i++) {
        if (forbidden(text[i]))
            Py_RETURN_NONE;
        size += utf8_length(text[i]);
    }
    PyObject *out = PyBytes_FromStringAndSize(NULL, size);
    if (out == NULL)
        return NULL;
    char *p = PyBytes_AS_STRING(out);
    /* pass 2: the bytes (STEP of them where the characters are ASCII; the output has room: each is one byte) */
    for (i = 0; i + STEP <= n; i += STEP) {
        if (ascii_step(text + i)) {
            put_step(p, text + i);
            p += STEP;
            continue;
        }
        for (int k = 0; k < STEP; k++)
            p = put(p, text[i + k]);
    }
    for (; i < n; i++)
        p = put(p, text[i]);
    return out;
}

static PyObject *encode(PyObject *module, PyObject *page) {
    if (!PyUnicode_Check(page)) {
        PyErr_SetString(PyExc_TypeError, "encode() takes a str");
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(page);
    int kind = PyUnicode_KIND(page);
    const void *data = PyUnicode_DATA(page);
    if (kind == PyUnicode_2BYTE_KIND)
        return encode_ucs2((const Py_UCS2 *)data, n);
    /* Latin-1 and ASCII texts, and those past the BMP: one character at a time */
    Py_ssize_t size = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (forbidden(c))
            Py_RETURN_NONE;
        size += utf8_length(c);
    }
    if (size == n && PyUnicode_IS_ASCII(page))
        return PyBytes_FromStringAndSize((const char *)data, n);
    PyObject *out = PyBytes_FromStringAndSize(NULL, size);
    if (out == NULL)
        return NULL;
    char *p = PyBytes_AS_STRING(out);
    for (Py_ssize_t i = 0; i < n; i++)
        p = put(p, PyUnicode_READ(kind, data, i));
    return out;
}

static PyMethodDef methods[] = {
    {"encode", encode, METH_O,
     "encode(page): page.encode('utf-8'), or None where it holds a character HTML forbids or a lone surrogate"},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module_def = {PyModuleDef_HEAD_INIT, "_htmlbytes", NULL, -1, methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__htmlbytes(void) {
    PyObject *m = PyModule_Create(&module_def);
    if (m != NULL && PyModule_AddStringConstant(m, "SOURCE_SHA256", SOURCE_SHA256) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
