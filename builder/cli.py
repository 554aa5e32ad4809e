"""The command line: click only; the work is done by the stages."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import Problem, as_json

SITE = click.argument("site", default=".", type=click.Path(file_okay=False, path_type=Path))


def report(problems: list[Problem], fmt: str = "text") -> None:
    """Print problems: text on stderr, json or github annotations on stdout."""
    if fmt == "json":
        click.echo(as_json(problems))
    elif fmt == "github":
        for p in problems:
            click.echo(p.github())
    else:
        for p in problems:
            click.echo(p.text(), err=True)


def progress_bar(label: str, total: int):
    """A progress bar on an interactive terminal, for a long build; otherwise nothing."""
    if total < 500 or not sys.stderr.isatty():
        return None
    bar = click.progressbar(length=total, label=f"{label} {total}", file=sys.stderr)
    bar.__enter__()
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        bar.update(n)
        if done >= total:
            bar.__exit__(None, None, None)

    return tick


def require_site(site: Path) -> None:
    if not site.is_dir():
        raise click.BadParameter(f"{site} is not a folder", param_hint="SITE")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="glossator")
def main() -> None:
    """Glossator: a static site generator for annotated reading."""


@main.command()
@SITE
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True)
def check(site: Path, fmt: str) -> None:
    """Check everything a build checks, writing nothing; report every problem at once."""
    from .read.load import load_site
    from .render import template_problems

    require_site(site)
    model, problems = load_site(site)
    problems.items.extend(template_problems(site))
    found = problems.sorted()
    report(found, fmt)
    errors = [p for p in found if p.severity == "error"]
    if fmt == "text":
        annotations = sum(len(a.annotations) for a in model.articles)
        state = f"{len(errors)} error(s)" if errors else "ok"
        click.echo(f"check: {state}: {len(model.articles)} articles, {annotations} annotations", err=True)
    sys.exit(1 if errors else 0)


@main.command()
@SITE
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Output folder (default: site.toml's output).")
@click.option("--base-url", help="Override site.toml's base_url.")
@click.option("--no-cache", is_flag=True, help="Ignore SITE/.glossator-cache (costs only time).")
def build(site: Path, out: Path | None, base_url: str | None, no_cache: bool) -> None:
    """Write the site; a failed build leaves the previous output as it was."""
    from .build import build as run_build
    from .output import OutputRefused

    require_site(site)
    if base_url is not None and not (base_url.startswith(("http://", "https://", "/"))):
        raise click.BadParameter("should be an http(s) URL or a path starting with /", param_hint="--base-url")
    if base_url is not None and not base_url.endswith("/"):
        base_url += "/"
    try:
        result = run_build(site, out, base_url, use_cache=not no_cache, progress=progress_bar)
    except OutputRefused as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    report(result.problems)
    if not result.ok:
        errors = sum(1 for p in result.problems if p.severity == "error")
        click.echo(f"build failed: {errors} error(s); the previous output is unchanged", err=True)
        sys.exit(1)
    if result.unchanged:
        click.echo(f"unchanged: {result.articles} articles, {result.annotations} annotations, {result.flags} flags "
                   f"in {result.seconds:.2f}s; {result.out} is up to date")
        return
    click.echo(
        f"built {result.articles} articles, {result.annotations} annotations, {result.flags} flags "
        f"in {result.seconds:.2f}s into {result.out}"
    )


@main.command()
@click.argument("slug")
@click.option("--site", default=".", type=click.Path(file_okay=False, path_type=Path), help="The site folder.")
def new(slug: str, site: Path) -> None:
    """Write annotations/SLUG.yaml for an existing article (never overwrites)."""
    from .scaffold import new_annotation_file

    require_site(site)
    problems = new_annotation_file(site, slug)
    report(problems)
    sys.exit(1 if problems else 0)


@main.command()
@SITE
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on (0: any free port).")
def serve(site: Path, host: str, port: int) -> None:
    """Build, serve at http://HOST:PORT/, and rebuild and reload on every save (Ctrl-C stops)."""
    from .serve import run

    require_site(site)
    sys.exit(run(site, host, port))


@main.command()
@click.argument("directory", metavar="DIR", type=click.Path(path_type=Path))
def init(directory: Path) -> None:
    """Write a new, working site with one example article into DIR (new or empty)."""
    from .scaffold import InitRefused, init_site

    try:
        written = init_site(directory)
    except InitRefused as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    for rel in written:
        click.echo(f"wrote {rel}")
    click.echo(f"a new site is in {directory}: try `glossator serve {directory}`, then edit annotations/*.yaml")


if __name__ == "__main__":  # pragma: no cover
    main()
