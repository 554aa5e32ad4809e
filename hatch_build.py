"""Hatchling's build hook (pyproject.toml: [tool.hatch.build.targets.wheel.hooks.custom]): compiles the fast
paths builder/_*.c with builder/native.py, beside builder/*.py (for `pip install -e .`, and for
`python3 -m builder` run from the repository) and, for `pip install .`, into the wheel too, which is then
for this platform only. Where compiling fails the install goes on, with a one-line warning (shown by
`pip install -v`); the builder then reads with the Python code each C file mirrors."""
from __future__ import annotations

import importlib.util
import shutil
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

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        shutil.rmtree(self.scratch, ignore_errors=True)
