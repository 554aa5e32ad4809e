"""Hatchling's build hook (pyproject.toml: [tool.hatch.build.targets.wheel.hooks.custom]): compiles the fast
paths builder/_*.c with builder/native.py, beside builder/*.py (for `pip install -e .`, and for
`python3 -m builder` run from the repository) and, for `pip install .`, into the wheel too, which is then
for this platform only. Where compiling fails the install goes on, with a one-line warning (shown by
`pip install -v`); the builder then reads with the Python code each C file mirrors.

Then the package's modules compiled to bytecode beside them (kept.compile_modules), and what the first build would
compile and keep (builder/kept.py: the built-in templates, the schema's check),
made with the package's own code and kept the same two ways: otherwise a newcomer's first build takes 2.6
times as long as the next. Where that fails (a build without the dependencies [build-system] asks for), the
first build makes it, as before."""
from __future__ import annotations

import importlib.util
import shutil
import sys
import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompiledReaders(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        builder = Path(self.root) / "builder"
        spec = importlib.util.spec_from_file_location("glossator_native", builder / "native.py")
        native = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(native)  # (by its path: the package's dependencies are not installed yet)
        self.scratch = Path(tempfile.mkdtemp())  # (the wheel takes the modules from here: the source tree may
        built: list[Path] = []  # be read-only)
        problems = native.build_all(self.scratch, built)
        for module in built:
            try:
                native.place(module, builder)
            except OSError as error:
                problems.append(f"{module.name} not beside builder/*.py: {error}")
        if problems:
            self.app.display_warning("warning: Glossator's compiled readers are not built, the Python ones are used: "
                                     + "; ".join(problems))
        if built and version != "editable":
            for module in built:
                build_data["force_include"][str(module)] = f"builder/{module.name}"
            build_data["pure_python"] = False
            build_data["infer_tag"] = True
        if not self._compile_modules(builder):
            self.app.display_warning("warning: builder/*.py are not compiled to bytecode at install; each run compiles them")
        kept = self.scratch / "kept"
        try:
            self._make_kept(kept, builder / "__pycache__")
        except Exception as error:  # (never the install's end: the first build makes them)
            self.app.display_warning(f"warning: the built-in templates are not compiled at install, the first build will: {error}")
            return
        if version != "editable":
            for path in kept.rglob("*"):
                if path.is_file():  # (Python's own .pyc files pip makes at install: the wheel holds no __pycache__ else)
                    build_data["force_include"][str(path)] = f"builder/__pycache__/{path.relative_to(kept).as_posix()}"
            build_data["pure_python"] = False  # (compiled for this Python)
            build_data["infer_tag"] = True

    def _compile_modules(self, package: Path) -> bool:
        """kept.compile_modules on this source tree's package (by its path, as native.py above)."""
        spec = importlib.util.spec_from_file_location("glossator_kept", package / "kept.py")
        kept = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(kept)
            return kept.compile_modules(package)
        except Exception:  # (never the install's end: each run compiles them, as before)
            return False

    def _make_kept(self, scratch: Path, beside: Path) -> None:
        """kept.make_all with this source tree's package, into `scratch`, then copied into `beside`."""
        sys.path.insert(0, self.root)
        try:
            from builder import kept

            kept.FOLDER = scratch
            kept.make_all()
        finally:
            sys.path.remove(self.root)
            for name in [name for name in sys.modules if name == "builder" or name.startswith("builder.")]:
                del sys.modules[name]
        shutil.copytree(scratch, beside, dirs_exist_ok=True)

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        shutil.rmtree(self.scratch, ignore_errors=True)
