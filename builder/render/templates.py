"""The Jinja environment (site templates over the built-in ones) and template errors as located problems."""
from __future__ import annotations

from pathlib import Path

import jinja2

from ..errors import Problem

PACKAGE = Path(__file__).resolve().parent.parent
ASSETS = PACKAGE / "assets"


def builtin_templates() -> Path:
    for candidate in (PACKAGE / "templates", PACKAGE.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the built-in templates are missing from the installation")


class _Environment(jinja2.Environment):
    """Views are plain dicts: look `x.key` up as a key first, skipping Jinja's failing getattr."""

    def getattr(self, obj, attribute):
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def environment(site_root: Path) -> jinja2.Environment:
    loaders = []
    if (site_root / "templates").is_dir():
        loaders.append(jinja2.FileSystemLoader(site_root / "templates"))
    loaders.append(jinja2.FileSystemLoader(builtin_templates()))
    env = _Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters["date"] = lambda d: d.isoformat() if d else ""
    env.filters["long_date"] = lambda d: f"{d.day} {d.strftime('%B')} {d.year}" if d else ""
    return env


def template_error(exc: Exception, site_root: Path) -> Problem:
    """`templates/x.html:line: error: …` for a template that fails to compile or to render."""
    name, line = None, 1
    if isinstance(exc, jinja2.TemplateSyntaxError):
        name, line = exc.filename or exc.name, exc.lineno or 1
    else:
        tb = exc.__traceback__
        while tb is not None:
            fname = tb.tb_frame.f_code.co_filename
            if fname.endswith((".html", ".xml", ".j2")):
                name, line = fname, tb.tb_lineno
            tb = tb.tb_next
    shown = "templates/?"
    if name:
        path = Path(name)
        try:
            shown = path.resolve().relative_to(site_root.resolve()).as_posix()
        except ValueError:
            shown = f"templates/{path.name} (built-in)"
    message = getattr(exc, "message", None) or str(exc)
    return Problem(shown, line, 1, f"template error: {message}")


def template_problems(site_root: Path) -> list[Problem]:
    """Syntax errors in the site's own templates (what `check` can know without rendering)."""
    folder = site_root / "templates"
    if not folder.is_dir():
        return []
    env = environment(site_root)
    found = []
    for path in sorted(folder.rglob("*.html")):
        try:
            env.get_template(path.relative_to(folder).as_posix())
        except jinja2.TemplateSyntaxError as exc:
            found.append(template_error(exc, site_root))
    return found
