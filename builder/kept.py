"""What the builder compiles once per installation, kept beside the package as Python keeps its .pyc
files: the built-in templates (render/templates.py) and the annotation schema's compiled check
(read/schema.py), each of which took 0.03 to 0.1 s of every build. Where the folder cannot be written,
nothing is kept; a kept file is replaced whole or not at all (builds running side by side read one or
the other), and whoever reads it treats a damaged one as missing. `make_all`, run at install
(hatch_build.py), spares a newcomer's first build the making (2.6 times the time of the next, on a small site);
`compile_modules`, run there too, the package's own bytecode."""
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


def compile_modules(package: Path = FOLDER.parent) -> bool:
    """The package's modules compiled to bytecode in their __pycache__ folders, as pip compiles what it installs: run
    from a source tree (`pip install -e .`, or `python3 -m builder` in the repository), Python reads them there, and
    where it may not write them itself (PYTHONDONTWRITEBYTECODE, a read-only tree) it compiled every module again on
    each run: 0.35 s of a build's CPU, as much as a small site's whole build. A module edited since is compiled
    again as before (its file's time and size are checked). Whether every module was compiled."""
    import compileall

    return bool(compileall.compile_dir(package, quiet=2, workers=1))


def make_all() -> None:
    """Everything kept made now, as the first build would: the built-in templates compiled, the annotation
    schema's check for a file and for front matter, the search's list of combining marks."""
    import tempfile

    from .read.schema import _fast_validator
    from .render.templates import environment, warm
    from .search import _word

    with tempfile.TemporaryDirectory() as empty:  # a site of no templates of its own: every built-in one
        warm(environment(Path(empty)))
    _fast_validator.cache_clear()  # (made already in this process, they would not be kept again)
    _word.cache_clear()
    for part in (None, "article"):
        _fast_validator(part)
    _word()

