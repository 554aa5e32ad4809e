"""The compiled fast paths (builder/_*.c, each mirroring a Python rule that stays the fallback): how one is
built (by hatch_build.py at install, with the interpreter's own compiler settings) and loaded (a module
built from another version of its C source is not used). Standard library only: hatch_build.py loads this
file by its path, before the package's dependencies are installed."""
from __future__ import annotations

import hashlib
import importlib
import shlex
import shutil
import subprocess
import sysconfig
import tempfile
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).parent
SOURCES = ("_searchpage", "_fragments", "_slots", "_yamlnodes", "_htmlbytes")  # builder/<name>.c, each built as the module builder.<name>
LIBRARIES = {"_yamlnodes": ("-lyaml",)}  # the libraries a module links (libyaml: Debian's libyaml-dev)


def source_hash(source: Path) -> str:
    """The SHA-256 of a C source, as the module built from it holds it (SOURCE_SHA256)."""
    return hashlib.sha256(source.read_bytes()).hexdigest()


def load(name: str) -> ModuleType | None:
    """The module builder.<name>, or None where it is not built or was built from another builder/<name>.c."""
    try:
        module = importlib.import_module(f"{__package__}.{name}")
    except ImportError:
        return None
    source = HERE / f"{name}.c"
    if source.exists() and getattr(module, "SOURCE_SHA256", None) != source_hash(source):
        return None
    return module


def compiler() -> list[str] | None:
    """The C compiler this interpreter was built with, where it is on PATH."""
    command = shlex.split(sysconfig.get_config_var("CC") or "")
    return command if command and shutil.which(command[0]) else None


def build(source: Path, into: Path, flags: tuple[str, ...] = (), libraries: tuple[str, ...] = ()) -> Path:
    """Compile one C source into `into` as an extension module of this interpreter (its compiler, CFLAGS,
    CCSHARED, LDSHARED, headers and EXT_SUFFIX), `flags` added, linked with `libraries`; the file appears whole
    or not at all.
    Raises OSError or subprocess.CalledProcessError (with the compiler's output) where it fails."""
    cc = compiler()
    if cc is None:
        raise OSError(f"no C compiler ({sysconfig.get_config_var('CC')!r} is not on PATH)")
    config = sysconfig.get_config_var
    target = into / f"{source.stem}{config('EXT_SUFFIX')}"
    with tempfile.TemporaryDirectory() as scratch:
        objects, built = Path(scratch) / "module.o", Path(scratch) / target.name
        define = f'-DSOURCE_SHA256="{source_hash(source)}"'
        for command in (
                [*cc, *shlex.split(config("CFLAGS") or ""), *shlex.split(config("CCSHARED") or ""), *flags,
                 f"-I{sysconfig.get_paths()['include']}", define, "-c", str(source), "-o", str(objects)],
                [*shlex.split(config("LDSHARED") or f"{cc[0]} -shared"), *flags, str(objects), *libraries, "-o", str(built)]):
            subprocess.run(command, check=True, capture_output=True, text=True)
        return place(built, into)


def place(built: Path, folder: Path) -> Path:
    """Copy a built module into `folder` by a rename there: a process importing it meanwhile sees the old
    module or the new one, never half of one."""
    folder.mkdir(parents=True, exist_ok=True)
    target, partial = folder / built.name, folder / f".{built.name}.partial"
    shutil.copyfile(built, partial)
    partial.replace(target)
    return target


def build_all(into: Path = HERE, built: list[Path] | None = None) -> list[str]:
    """Build every module of SOURCES into `into` (each added to `built`); what went wrong, one line each
    (empty: all built)."""
    problems = []
    for name in SOURCES:
        try:
            (built if built is not None else []).append(build(HERE / f"{name}.c", into, libraries=LIBRARIES.get(name, ())))
        except subprocess.CalledProcessError as error:
            first = next((line for line in (error.stderr or "").splitlines() if "error" in line), error.stderr)
            problems.append(f"{name}: {first.strip() if first else error}")
        except OSError as error:
            problems.append(f"{name}: {error}")
    return problems
