"""The command line: click only; the work is done by the stages."""
from __future__ import annotations

import contextlib
import errno
import json
import os
import signal
import sys
from pathlib import Path

import click

from .errors import Problem, Problems, as_json, command_arg, printable


class _Folder(click.Path):
    """A path that is not empty: click reads "" (`--out "$DIR"`, the variable not set) as the current folder."""

    def __init__(self, **kwargs):
        super().__init__(path_type=Path, **kwargs)

    def convert(self, value, param, ctx):
        if isinstance(value, str) and not value.strip():
            self.fail("it is empty: name a folder (`.` for the current one)", param, ctx)
        return super().convert(value, param, ctx)


SITE = click.argument("site", default=".", type=_Folder())  # require_site says why one is not a folder


def _utf(stream) -> bool:
    return (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "") in ("utf8", "utf8sig")


def echo_json(text: str) -> None:
    """JSON on stdout: as it is where stdout is UTF-8, else with JSON's own escapes for all but ASCII
    (a Windows console's code page, a pipe in an old locale), which any encoding carries."""
    click.echo(text if _utf(sys.stdout) else json.dumps(json.loads(text), indent=2))


def checkout_path(site: Path) -> str:
    """The site's folder as GitHub names files, relative to the checkout (GITHUB_WORKSPACE, else the current
    folder), so that the annotations of a site kept in a sub-folder land on its files: `site/`, or '' where the
    site is that folder or outside it."""
    try:
        rel = os.path.relpath(site.resolve(), Path(os.environ.get("GITHUB_WORKSPACE") or os.getcwd()).resolve())
    except (OSError, ValueError):  # no current folder; another drive on Windows
        return ""
    return "" if rel == "." or rel == ".." or rel.startswith(".." + os.sep) else Path(rel).as_posix() + "/"


def report(problems: list[Problem], fmt: str = "text", site: Path | None = None) -> None:
    """Print problems: text on stderr, json or github annotations on stdout (their paths from the checkout)."""
    if fmt == "json":
        echo_json(as_json(problems))
    elif fmt == "github":
        where = checkout_path(site) if site is not None else ""
        for p in problems:
            click.echo(p.github(where))
    else:
        for p in problems:
            click.echo(p.text(), err=True)


def counted(n: int, noun: str) -> str:
    """`1 article`, `2 articles`."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def summary(result) -> str:
    return ", ".join((counted(result.articles, "article"), counted(result.annotations, "annotation"),
                      counted(result.flags, "flag")))


def progress_bar(label: str, total: int):
    """A progress bar on an interactive terminal that can redraw a line, for a long build; otherwise nothing (nor
    in CI, whose terminals are logs: CircleCI, `docker run -t` set CI and a terminal)."""
    if total < 500 or sys.stderr is None or not sys.stderr.isatty() or os.environ.get("TERM") == "dumb" or os.environ.get("CI"):
        return None
    try:
        columns = os.get_terminal_size(sys.stderr.fileno()).columns
    except (OSError, ValueError):
        columns = 80
    label = f"{label} {total}"
    # the line, "label  [bar]  100%", kept short of the terminal's width: a line that wraps is redrawn from its
    # last row only, and a narrow terminal (20 columns) filled with a new broken bar at every step
    width = min(36, columns - len(label) - 12)
    if width < 10:
        return None
    bar = click.progressbar(length=total, label=label, file=sys.stderr, width=width)
    bar.__enter__()
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        bar.update(n)
        if done >= total:
            bar.__exit__(None, None, None)

    return tick


def require_site(site: Path, hint: str = "SITE") -> None:
    try:
        if site.is_dir():
            return
        why = "is not a folder"
    except OSError as exc:  # a name too long for the system, say (Path.is_dir raises for that)
        why = f"cannot be reached: {exc.strerror or exc}"
    raise click.BadParameter(f"{printable(str(site), 300)} {why}", param_hint=hint)


class _Commands(click.Group):
    """Ctrl-C exits 130, as shells expect of an interrupted command (click's own answer, "Aborted!" and 1, would
    read as "problems in the site's files"): while click reads the arguments as while a command runs."""

    def make_context(self, *args, **kwargs):
        with _interrupted_exits_130():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx):
        with _interrupted_exits_130():
            return super().invoke(ctx)


@contextlib.contextmanager
def _interrupted_exits_130():
    from .parallel import too_late_to_stop

    too_late_to_stop(False)  # (each command's own work may be stopped)
    try:
        yield
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        raise click.exceptions.Exit(130) from None


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]},
             epilog="SITE is the site's folder (default: the current folder). Problems print as "
                    "path:line:col: error: message. Exit codes: 0 done, 1 problems in the site's files, 2 wrong usage.")
@click.version_option(package_name="glossator")
def main() -> None:
    """Glossator: a static site generator for annotated reading."""


@main.command(short_help="Check the site, writing nothing; every problem at once.")
@SITE
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True,
              help="text: path:line:col: error: message lines on stderr; json: one array on stdout; "
                   "github: ::error annotations on stdout, for GitHub Actions (paths from the checkout).")
def check(site: Path, fmt: str) -> None:
    """Check everything a build checks, writing nothing; report every problem at once. Exit 1 when
    there is an error (warnings alone exit 0)."""
    from .build import (config_in_error, host_said, host_warning, look_for_search_body, output_problems,
                        search_body_problem, static_problems)
    from .output import static_files
    from .parallel import too_late_to_stop
    from .read.load import load_site
    from .rootlinks import dead_link_problems, passage_ids, rooted_link_problems
    from .render import (ASSETS, environment, only_in_templates, own_template_errors, plan, render_despite, render_problems,
                         template_problems)

    require_site(site)
    model, problems = load_site(site)
    copies = static_files(site, ASSETS)
    problems.items.extend(host_said(host_warning(site, model.config), problems))
    if not config_in_error(problems):
        problems.items.extend(output_problems(site, site / model.config.output, checking=True))
        problems.items.extend(rooted_link_problems(site, model.articles, model.config.base_url, set(copies)))
    env = environment(site)
    problems.items.extend(template_problems(site, env))
    if only_in_templates(problems.errors):  # what build does next: render every page (here writing nothing)
        jobs = plan(model, None, env)
        looked = render_problems(model, env=env, known=problems.items, jobs=jobs,
                                 use=look_for_search_body if model.config.search else None)
        problems.items.extend(search_body_problem(looked, copies))  # as build says it, once the index is made
        problems.items.extend(dead_link_problems(site, model.articles, {job.path for job in jobs} | set(copies),
                                                 passage_ids(model.articles)))
        if not problems.errors:
            problems.items.extend(static_problems(copies, jobs))
    elif render_despite(site, model.config):  # as build does: a template's own mistakes, said now too
        problems.items.extend(own_template_errors(render_problems(model, env=env, known=problems.items)))
    found = problems.sorted()
    too_late_to_stop()  # (all is found: what it says is said whole)
    report(found, fmt, site)
    errors = [p for p in found if p.severity == "error"]
    if fmt == "text":
        annotations = sum(len(a.annotations) for a in model.articles)
        state = f"{len(errors)} error(s)" if errors else "ok"
        loaded = counted(annotations, "annotation") + (" that load and anchor" if errors else "")  # (not those in error)
        click.echo(f"check: {state}: {counted(len(model.articles), 'article')}, {loaded}", err=True)
    sys.exit(1 if errors else 0)


@main.command(short_help="Write the site (atomically: a failed build changes nothing).")
@SITE
@click.option("--out", type=_Folder(file_okay=False),
              help="Output folder (default: site.toml's output). A folder not made by glossator must be empty.")
@click.option("--base-url", help="Override site.toml's base_url.")
@click.option("--no-cache", is_flag=True, help="Ignore SITE/.glossator-cache (costs time; without git, "
              "also the record of what the annotations last anchored against).")
def build(site: Path, out: Path | None, base_url: str | None, no_cache: bool) -> None:
    """Write the site; a failed build leaves the previous output as it was."""
    from .build import build as run_build
    from .output import published

    require_site(site)
    from .read.config import base_url_problem

    if base_url is not None and base_url_problem(base_url):
        raise click.BadParameter(base_url_problem(base_url), param_hint="--base-url")
    if base_url is not None and not base_url.endswith("/"):
        base_url += "/"
    result = run_build(site, out, base_url, use_cache=not no_cache, progress=progress_bar)
    report(result.problems)
    if not result.ok:
        errors = sum(1 for p in result.problems if p.severity == "error")
        kept = ("the previous output is unchanged" if result.out is not None and published(result.out)
                else "nothing was written")
        click.echo(f"build failed: {errors} error(s); {kept}", err=True)
        sys.exit(1)
    if result.unchanged:
        click.echo(f"unchanged: {summary(result)} in {result.seconds:.2f}s; {printable(str(result.out))} is up to date")
        return
    indexed = (f" (search index {result.search_bytes / 1e6:.1f} MB in {result.search_seconds:.2f}s)"
               if result.search_bytes else "")
    click.echo(f"built {summary(result)} in {result.seconds:.2f}s{indexed} into {printable(str(result.out))}")


@main.command(short_help="Propose new anchors for passages of edited articles.")
@SITE
@click.option("--write", is_flag=True, help="Apply the proposals to the annotation files.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: a unified diff of the annotation files; json: one array of findings on stdout.")
def reanchor(site: Path, write: bool, fmt: str) -> None:
    """Find where the passages of annotations that no longer anchor went; propose new anchors as a
    reviewable patch. Exit 1 when a passage is orphaned (no place is certain)."""
    from .parallel import too_late_to_stop
    from .reanchor.site import as_diff, as_json, as_text_orphans, patches, site_findings

    require_site(site)
    warnings = Problems()
    findings = site_findings(site, warnings=warnings)
    from .history import refused

    why = refused(site)  # (git missing, or refusing to be asked: the findings, if any, are of the text alone)
    if why is not None:
        warnings.warning("site.toml", 1, 1, why)
    too_late_to_stop()  # (all is found: what it says is said whole, and what it writes written whole)
    for problem in warnings.sorted():
        click.echo(problem.text(), err=True)
    changes = patches(site, findings)
    if write:  # what a write killed last time left behind
        from .output import tidy_in_place

        for folder in {os.path.realpath(site / "annotations"), *(os.path.dirname(os.path.realpath(site / p.file))
                                                                for p in changes)}:
            tidy_in_place(Path(folder))
    if fmt == "json":
        echo_json(as_json(findings))
    else:
        for patch in changes:
            if patch.after != patch.before:  # (a file whose every proposal was refused: said below, no empty diff)
                click.echo(as_diff(patch), nl=False)
        for line in as_text_orphans(findings):
            click.echo(line)
    for patch in changes:
        for line, col, why in patch.refused:
            click.echo(f"{patch.file}:{line}:{col}: error: this proposal cannot be written: {why}", err=True)
    unwritten = 0
    if write:
        from .output import write_in_place

        changed = [patch for patch in changes if patch.after != patch.before]
        failed = write_in_place({site / patch.file: patch.after.encode("utf-8") for patch in changed})
        for patch in changed:  # a read-only file or folder, a full disk: every file stays as it was
            exc = failed.get(site / patch.file)
            if exc is not None:
                click.echo(f"{patch.file}:1:1: error: cannot write the proposals into this file: "
                           f"{exc.strerror or exc}", err=True)
        if failed:
            unwritten = sum(len(patch.findings) for patch in changed)  # (the others are not written either)
    orphans = sum(1 for f in findings if f.new is None) + sum(len(p.refused) for p in changes)
    if fmt == "text":
        refused = {(p.file, line, col) for p in changes for line, col, _ in p.refused}  # (counted as orphaned)
        moved = sum(1 for f in findings if f.status == "moved" and (f.file, f.line, f.col) not in refused)
        edited = sum(1 for f in findings if f.status == "edited" and (f.file, f.line, f.col) not in refused)
        done = (("written" if write else "proposed") if moved or edited else "nothing to propose" if orphans
                else "files not read (said above)" if warnings.errors else "every passage anchors where it was written"
                + (", where that could be checked (said above)" if warnings.items else ""))
        if unwritten:  # a full disk, a read-only file: the errors above say which files
            done = f"{unwritten} of them not written" if unwritten < moved + edited else "not written"
        click.echo(f"reanchor: {moved} moved, {edited} edited, {orphans} orphaned; {done}", err=True)
    sys.exit(1 if orphans or unwritten or warnings.errors else 0)


@main.command(short_help="Write annotations/SLUG.yaml for an existing article.")
@click.argument("slug")
@click.option("--site", default=".", show_default=True, type=_Folder(), help="The site folder.")
def new(slug: str, site: Path) -> None:
    """Write annotations/SLUG.yaml for an existing article (never overwrites)."""
    from .scaffold import new_annotation_file

    require_site(site, "'--site'")
    from .slugs import is_slug

    if not is_slug(slug):  # (a path too: "/" and "." are not in a slug)
        from .scaffold import not_a_slug

        raise click.BadParameter(not_a_slug(site, slug), param_hint="SLUG")
    problems = new_annotation_file(site, slug)
    report(problems)
    sys.exit(1 if problems else 0)


def _host(ctx, param, value: str) -> str:
    """--host as an address: `[::1]` (as a URL writes it) is ::1. An empty one (`--host "$HOST"`, the variable not
    set) is wrong usage: the system reads "" as every address of the machine, the drafts open to its networks."""
    value = value.strip()
    if value.startswith("[") and value.endswith("]"):
        value = value[1:-1]
    if not value:
        raise click.BadParameter("it is empty: name an address of this machine (127.0.0.1, the default, keeps the "
                                 "drafts to yourself)", ctx, param)
    return value


@main.command(short_help="Build, serve and rebuild on every save.")
@SITE
@click.option("--host", default="127.0.0.1", show_default=True, callback=_host, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on (0: any free port).")
def serve(site: Path, host: str, port: int) -> None:
    """Build, serve at http://HOST:PORT/ (whatever base_url says), and rebuild and reload on every save;
    a broken edit shows its errors and the last good site stays served (Ctrl-C stops)."""
    from .serve import run

    require_site(site)
    sys.exit(run(site, host, port))


@main.command(short_help="Write a new, working site with one example article.")
@click.argument("directory", metavar="DIR", type=_Folder())
def init(directory: Path) -> None:
    """Write a new, working site with one example article into DIR (new or empty)."""
    from .scaffold import InitRefused, init_site

    try:
        written = init_site(directory)
    except InitRefused as exc:
        click.echo(Problem(str(exc.path), 1, 1, exc.message).text(), err=True)  # (a whole folder or file: 1:1)
        sys.exit(2 if exc.usage else 1)
    for rel in written:
        click.echo(f"wrote {rel}")
    shown = printable(str(directory), 300)  # (a name with a line break, or a terminal's escape, shown escaped)
    click.echo(f"a new site is in {shown}: try `{program_name()} serve {command_arg(shown)}`, then edit annotations/*.yaml")
    click.echo("keep it in git (git init, add, commit): notes then say who wrote them and when, "
               "and `glossator reanchor` follows passages when articles change (without git, build before you "
               "edit an article: the build remembers what its notes were written against)")


def program_name() -> str:
    """The command as the user typed it, for usage errors' "Try '… --help'" and the command init proposes:
    `python3 -m builder` run so (the interpreter's name as typed), else `glossator`."""
    argv = getattr(sys, "orig_argv", [])
    main_spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    if main_spec is not None and main_spec.name == "builder.__main__" and argv:
        return f"{os.path.basename(argv[0]) or 'python3'} -m builder"
    return "glossator"


def run() -> None:
    """The `glossator` program: `main`, then an exit that leaves the memory to the system. Python's own
    exit frees a built site object by object first (0.2 s of a 1,000-article build); every file is
    written and closed, and every child process waited for, by the time a command returns."""
    for stream in (sys.stdout, sys.stderr):  # an encoding short of Unicode shows `\u2014`, never a traceback
        if stream is not None and not _utf(stream) and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    from .parallel import on_ctrl_c, on_terminate

    if signal.getsignal(signal.SIGINT) != signal.SIG_IGN:  # (ignored, as a shell script's `glossator build &` has
        signal.signal(signal.SIGINT, on_ctrl_c)  # it, it stays so) Python's own, but no Ctrl-C is lost where it lands
    for ending in (signal.SIGTERM, signal.SIGHUP):  # `timeout`, CI runners, `docker stop`; a terminal closed
        if signal.getsignal(ending) == signal.SIG_DFL:  # (one that the caller ignores, as nohup does, stays ignored)
            signal.signal(ending, on_terminate)  # ends at once, as by default, but leaves nothing half-written
    try:
        main(prog_name=program_name())
        code = 0
    except SystemExit as exc:
        code = exc.code
    except KeyboardInterrupt:  # Ctrl-C outside a command (while click reads the arguments or imports)
        print("interrupted", file=sys.stderr)
        code = 130
    except OSError as exc:  # what a command prints found no room (`> /dev/full`, a full disk under a log)
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EPIPE, errno.EBADF):
            raise
        try:
            print(f"glossator: cannot write the output: {exc.strerror or exc}", file=sys.stderr, flush=True)
        except OSError:
            pass
        code = 1
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:  # (None: started with it closed, `glossator build >&-`)
                stream.flush()
    except OSError:  # a closed pipe (`glossator check | head`): what is left unsaid cannot be said
        code = code or 1
    os._exit(code or 0)


if __name__ == "__main__":  # pragma: no cover
    run()
