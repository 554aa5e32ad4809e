"""Glossator: a static site generator for annotated reading.

Module map (data flows top to bottom; each SPEC promise has one owner):

- cli.py            the command line (SPEC 8): click only, exit codes, problem reports
- build.py          `glossator build`, the whole story in one screen: load, plan, publish
- read/             from disk to checked data (SPEC 1-4, 7)
    config.py       site.toml
    content.py      content files: discovery, slugs, decoding, front matter split
    text.py         an article's visible text (plain and Markdown) with its paragraph pieces
    yamlsrc.py      safe YAML with positions (duplicate keys, tags, node lookup)
    yamlhints.py    the usual cause of a YAML syntax error (quoting, indentation), where it is
    schema.py       the annotation JSON Schema, errors located and worded
    layer.py        annotation files and front matter parsed into model objects
    load.py         load_site / load_article: all of the above for each article, then linking
- anchoring.py      quote -> span in the visible text (SPEC 4); anchorhints.py: "did you mean" when it is not found
- excerpts.py       SPEC 12's excerpt windows: what of an article a page of excerpts may show
- history.py        the site's git history, read with the `git` command in a few batched calls
- reanchor/         SPEC 10: `glossator reanchor`, drift errors for check/build (see its __init__)
- linking.py        references resolved, relations both ways, implied flags, reading order (SPEC 5, 6)
- model.py          the frozen dataclasses every stage passes on
- render/           pages as bytes, writing nothing (SPEC 9)
    templates.py    the Jinja environment, template errors as located problems
    urls.py         where pages live under base_url
    views.py        view dicts for templates (notes, cross-links, index rows)
    weave.py        passages woven into the text as nested <mark>s
    pages.py        the article page and the passage lists of flag and tag pages
    feeds.py        Atom feeds and the sitemap
    jsonld.py       W3C Web Annotation export
    plan.py         every output file with what it depends on
- searchpage.py     what the search index reads of one article page (SPEC 11); search.py makes the index of it
- _searchpage.c     searchpage._visible, _words and _hooks, search._pieces and _post compiled (the Python stays
                    the rule and the fallback; tests hold them equal)
- _fragments.c      render/fragments.py's directive (after its haystack) and Haystack's searched text compiled
                    (the same: the Python is the rule and the fallback)
- _slots.c          model.made compiled: how the model's frozen dataclasses are unpickled and copied (the same)
- native.py         building (hatch_build.py, at install) and loading such compiled modules
- output.py         the only writer of the output: atomic folder swap and single files
- cache.py          everything under SITE/.glossator-cache
- parallel.py       forked workers for loading and rendering
- scaffold.py       `glossator init` and `glossator new`
- serve/            `glossator serve`: engine.py (rebuild what changed), folder.py (write what changed),
                    server.py (HTTP, livereload), overlay.py (problems panel, placeholder), watch.py (file events)
"""

import os
import sys

import _signal  # (the signal module without its enum: see __main__)

CTRL_C: list[int] = []  # a Ctrl-C that came while the program loaded: noted here, answered by __main__.main


def _note(signum, frame) -> None:
    CTRL_C.append(signum)


def _the_program() -> bool:
    """Whether Python is running Glossator itself, not a program or a test that imports it: the `glossator`
    script, or `python3 -m builder` (while runpy looks for the module, sys.argv[0] is "-m", and the module's
    name is in sys.orig_argv just before sys.argv's other items)."""
    argv = getattr(sys, "argv", None) or [""]  # (Python embedded in another program may have none)
    if argv[0] == "-m":
        return sys.orig_argv[-len(argv)].removeprefix("-m") in ("builder", "builder.__main__")
    return os.path.basename(argv[0]) == "glossator"


# The first thing the program does: a Ctrl-C from here on is noted, not raised, while the program loads (what
# Python does before this line, its start and the script's first imports, says a Ctrl-C there its own way).
if _signal.getsignal(_signal.SIGINT) is _signal.default_int_handler and _the_program():  # (ignored, it stays so)
    _signal.signal(_signal.SIGINT, _note)

__version__ = "0.1.0"
