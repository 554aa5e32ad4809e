"""Hatchling's build hook (pyproject.toml: [tool.hatch.build.targets.wheel.hooks.custom]): compiles the fast
paths builder/_*.c with builder/native.py, beside builder/*.py (for `pip install -e .`, and for
`python3 -m builder` run from the repository) and, for `pip install .`, into the wheel too, which is then
for this platform only. Where compiling fails the install goes on, with a one-line warning (shown by
`pip install -v`); the builder then reads with the Python code each C file mirrors."""
from __future__ import annotations

import importlib.util
import sysconfig
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompiledReaders(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        builder = Path(self.root) / "builder"
        spec = importlib.util.spec_from_file_location("glossator_native", builder / "native.py")
        native = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(native)  # (by its path: the package's dependencies are not installed yet)
        problems = native.build_all(builder)
        if problems:
            self.app.display_warning("warning: Glossator's compiled readers are not built, the Python ones are used: "
                                     + "; ".join(problems))
            return
        if version != "editable":
            for name in native.SOURCES:
                built = builder / f"{name}{sysconfig.get_config_var('EXT_SUFFIX')}"
                build_data["force_include"][str(built)] = f"builder/{built.name}"
            build_data["pure_python"] = False
            build_data["infer_tag"] = True
