"""What the builder compiles once per installation, kept beside the package as Python keeps its .pyc
files: the built-in templates (render/templates.py) and the annotation schema's compiled check
(read/schema.py), each of which took 0.03 to 0.1 s of every build. Where the folder cannot be written,
nothing is kept; a kept file is replaced whole or not at all (builds running side by side read one or
the other), and whoever reads it treats a damaged one as missing."""
from __future__ import annotations

import contextlib
import os
from pathlib import Path

FOLDER = Path(__file__).resolve().parent / "__pycache__"


def read(name: str) -> bytes | None:
    """The bytes kept under `name` (a relative path), or None."""
    try:
        return (FOLDER / name).read_bytes()
    except OSError:
        return None


def write(name: str, data: bytes) -> None:
    """Keep `data` under `name`, if the folder can be written."""
    kept = FOLDER / name
    tmp = kept.with_name(f".{kept.name}.{os.getpid()}")
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, kept)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
