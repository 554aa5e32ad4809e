/* builder/_slots.c: `made(cls, values)`, an instance of a slotted class made from its slots' values.

   The model's frozen dataclasses pickle as `made(cls, values)` (builder/model.py, where `made` is the rule
   and the fallback wherever this module is not built): what `cls(*values)` makes, since their __init__ only
   sets each field in order. Here each slot is set by its member descriptor, in C, instead of by a Python
   __init__ that calls object.__setattr__ once per field: a parallel load unpickles some fifty of these per
   article in the parent, one after another. tests/test_slots_native.py holds the two equal. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

#ifndef SOURCE_SHA256
#error "build with -DSOURCE_SHA256=\"<sha256 of this file>\" (builder/native.py does)"
#endif

static PyObject *descriptors = NULL; /* class -> its slots' member descriptors, in __slots__ order */
static PyObject *no_args = NULL;

static PyObject *descriptors_of(PyTypeObject *cls) {
    /* (a new reference) the member descriptors of cls.__slots__, looked up once per class */
    PyObject *found = PyDict_GetItemWithError(descriptors, (PyObject *)cls);
    if (found != NULL) {
        Py_INCREF(found);
        return found;
    }
    if (PyErr_Occurred())
        return NULL;
    PyObject *slots = PyObject_GetAttrString((PyObject *)cls, "__slots__");
    if (slots == NULL)
        return NULL;
    PyObject *names = PySequence_Tuple(slots);
    Py_DECREF(slots);
    if (names == NULL)
        return NULL;
    Py_ssize_t n = PyTuple_GET_SIZE(names);
    PyObject *out = PyTuple_New(n);
    if (out == NULL) {
        Py_DECREF(names);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *descriptor = PyObject_GetAttr((PyObject *)cls, PyTuple_GET_ITEM(names, i));
        if (descriptor == NULL || !Py_IS_TYPE(descriptor, &PyMemberDescr_Type)) {
            if (descriptor != NULL)
                PyErr_Format(PyExc_TypeError, "made: %R of %s is not a slot", PyTuple_GET_ITEM(names, i), cls->tp_name);
            Py_XDECREF(descriptor);
            Py_DECREF(names);
            Py_DECREF(out);
            return NULL;
        }
        PyTuple_SET_ITEM(out, i, descriptor);
    }
    Py_DECREF(names);
    if (PyDict_SetItem(descriptors, (PyObject *)cls, out) < 0) {
        Py_DECREF(out);
        return NULL;
    }
    return out;
}

static PyObject *made(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 2 || !PyType_Check(args[0]) || !PyTuple_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "made(cls, values): a class and a tuple");
        return NULL;
    }
    PyTypeObject *cls = (PyTypeObject *)args[0];
    PyObject *values = args[1];
    PyObject *slots = descriptors_of(cls);
    if (slots == NULL)
        return NULL;
    Py_ssize_t n = PyTuple_GET_SIZE(slots);
    if (PyTuple_GET_SIZE(values) != n) {
        PyErr_Format(PyExc_TypeError, "made: %s has %zd slots, %zd values given", cls->tp_name, n,
                     PyTuple_GET_SIZE(values));
        Py_DECREF(slots);
        return NULL;
    }
    PyObject *obj = cls->tp_new(cls, no_args, NULL); /* object.__new__(cls) */
    for (Py_ssize_t i = 0; obj != NULL && i < n; i++) {
        PyObject *descriptor = PyTuple_GET_ITEM(slots, i);
        if (Py_TYPE(descriptor)->tp_descr_set(descriptor, obj, PyTuple_GET_ITEM(values, i)) < 0)
            Py_CLEAR(obj);
    }
    Py_DECREF(slots);
    return obj;
}

static PyMethodDef methods[] = {
    {"made", (PyCFunction)(void (*)(void))made, METH_FASTCALL,
     "made(cls, values): an instance of the slotted class cls, its slots set to values in __slots__ order"},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_slots", NULL, -1, methods};

PyMODINIT_FUNC PyInit__slots(void) {
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    descriptors = PyDict_New();
    no_args = PyTuple_New(0);
    if (descriptors == NULL || no_args == NULL || PyModule_AddStringConstant(m, "SOURCE_SHA256", SOURCE_SHA256) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
