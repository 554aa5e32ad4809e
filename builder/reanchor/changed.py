"""Which articles' text may differ from what their annotations were written against, asked of git by
content; and drift, for `check` and `build`, which only those articles can have. A site whose articles
are as their annotations last saw them (the usual build) needs no more of re-anchoring than this: the
aligner and rapidfuzz, 0.035 s to import, are loaded only when an article changed."""
from __future__ import annotations

import re
from pathlib import Path

from .. import parallel
from ..anchoring import normalise
from ..errors import Problems
from ..history import Files, History
from ..read.content import KINDS, decode
from ..read.layer import anchors_in


_BODY_KEY = re.compile(rb"body[\"']?[ \t]*:")  # a `body:` key (plain or quoted, block or flow): where bounds may be


def normal(text: str | None) -> str | None:
    """A quote (or any text) as re-anchoring compares it: normalised as anchoring does, no spaces at the ends."""
    return normalise(text).strip(" ") if text is not None else None


def drift_problems(site: Path, articles, problems: Problems, history: History | None = "auto", files: Files | None = None) -> None:
    """Report, as errors, annotations that anchor now but on another passage than they were written for.
    Only articles whose text changed since their annotation file's first commit are looked at (and only
    for those is the aligner loaded). `files`: see may_drift."""
    if history == "auto":
        history = History.open(site)
    work = drift_work(site, articles, history, files)
    if work:
        from .site import examined

        for one in work.values():
            report_drift(examined(*one), problems)


def drift_work(site: Path, articles, history: History | None, files: Files | None = None) -> dict[str, tuple]:
    """{content file: what examining it takes} of those of these loaded articles that `may_drift`, what they
    need of git read first, in batched calls: `drift_problems` in parts, for a caller that examines each
    article apart (reanchor.site.examined, then report_drift), in worker processes."""
    if history is None:
        return {}
    annotated = [a for a in articles if a.annotation_path]
    changed = may_drift(site, history, [(a.path, a.kind, a.annotation_path) for a in annotated], files)
    if not changed:
        return {}
    from .site import article_work

    return article_work(site, [a for a in annotated if a.path in changed], history)


def report_drift(findings, problems: Problems) -> None:
    """The findings that are drift, as errors; of the others (their quote does not anchor, which anchoring reports
    with the text alone: "did you mean" the passage most like it), what the history says, as a warning beside it."""
    for finding in findings:
        if finding.waits:
            continue  # (what it waits on is said at the bound)
        # (a body bound is named: where it lands decides which passages count as inside the article)
        who = finding.id if finding.id in ("body.start", "body.end") else "this annotation"
        if not finding.drift:
            said = (f"`glossator reanchor` proposes its passage ({finding.reason})"  # (which says the line)
                    if finding.new is not None else
                    f"its passage is still there, but its sense changed ({finding.reason})" if finding.reversal else
                    f"the history finds no certain place for its passage ({finding.reason}): a passage suggested for it "
                    "may be another that reads alike" + ("" if "by hand" in finding.reason else  # (said once)
                                                         "; re-read the article and set the quote by hand"))
            problems.warning(finding.file, finding.line, finding.col, f"the article changed since {who} was written: {said}")
            continue
        what = (f"{who} now anchors on words that a correction quotes from an earlier version of the article"
                if finding.withdrawn else
                f"{who}'s passage is where it was, but the words beside it changed its sense" if finding.sense else
                f"{who} now anchors on a passage that the history cannot confirm is the one it was written for"
                if finding.status == "orphaned" else f"{who} now anchors on another passage than the one it was written for")
        fix = ("re-read the article and set its quote, prefix, suffix or occurrence by hand (`glossator reanchor` "
               "finds no certain place to propose)" if finding.status == "orphaned" else
               "run `glossator reanchor` to review the fix")
        problems.error(finding.file, finding.line, finding.col, f"{what} ({finding.reason}): {fix}")


def may_drift(site: Path, history: History | None, articles: list[tuple[str, str, str]], files: Files | None = None) -> set[str]:
    """Of these (content file, kind, annotation file), the content files whose text may differ from what
    an annotation of theirs was written against: with uncommitted changes, or not the same bytes as in
    some commit of the annotation file. Compared by content, not by date: a branch merged late brings
    edits dated before the annotations, and a merge commit can edit the text without listing it.
    `files`: the files as the caller read them (else read here)."""
    if history is None:
        return set()
    files = files or Files(site)
    changed, asked = set(), []
    for content_rel, kind, layer_rel in articles:
        if not history.touched.get(content_rel) or not history.touched.get(layer_rel):
            continue  # no history for one of them: nothing to compare with
        now = files.get(content_rel)[0]
        if history.head.get(content_rel) != now:
            changed.add(content_rel)
            continue
        for sha in history.touched[layer_rel]:
            asked.append((content_rel, now, sha, article_names(history, content_rel, kind, layer_rel, sha)))
    found = history.blobs_at([(sha, rel) for _, _, sha, names in asked for rel, _ in names])
    for content_rel, now, sha, names in asked:
        if next((found[(sha, rel)] for rel, _ in names if found[(sha, rel)]), None) != now:
            changed.add(content_rel)
    # the same text, but body bounds moved since an annotation was written: what occurrences count changed
    layers = {content_rel: layer_rel for content_rel, _, layer_rel in articles}
    same = [c for c in {c for c, *_ in asked} - changed if len(history.touched.get(layers[c], [])) > 1
            or history.head.get(layers[c]) != files.get(layers[c])[0]]
    steps = {c: [(sha, history.path_at(layers[c], sha)) for sha in history.touched.get(layers[c], [])] for c in same}
    blobs = history.blobs_at([step for found in steps.values() for step in found])  # (in one batch, as above)
    data = history.read_blobs([b for b in blobs.values() if b])
    bodied = []  # (content file, the versions of its annotation file), where bounds may be: most files have none
    for content_rel in same:
        texts = {data[blobs[step]] for step in steps[content_rel] if blobs[step] in data}
        texts.add((site / layers[content_rel]).read_bytes())
        if any(_BODY_KEY.search(t) for t in texts):  # ("body" in a note's words is no key)
            bodied.append((content_rel, list(texts)))

    def moved(i: int) -> bool:
        """Whether the versions of an annotation file set other body bounds (each parsed: 0.6 ms; across cores)."""
        return len({_body(decode(t, "", Problems())) for t in bodied[i][1]} - {None}) > 1

    changed.update(c for (c, _), did in zip(bodied, parallel.share(moved, len(bodied)), strict=True) if did)
    return changed


def _body(text: str | None) -> tuple | None:
    """The body quotes of an annotation file's text, as read (None where it does not read)."""
    if text is None:
        return None
    anchors = anchors_in(text)
    return tuple(normal(anchors[n][0]) if n in anchors else None for n in ("body.start", "body.end"))


def article_names(history: History, content_rel: str, kind: str, layer_rel: str, sha: str) -> list[tuple[str, str]]:
    """[(file, kind)] the article may have had in commit `sha`, likeliest first: its name then (renames
    followed), or that name with the other suffix (a .txt replaced by a .md); then the names its annotation
    file had then gives it (git saw that file renamed, but the article, much rewritten in the same commit,
    as deleted and added)."""
    then = history.path_at(content_rel, sha)
    stem, _, suffix = then.rpartition(".")
    names = [(then, KINDS.get("." + suffix, kind))] + [(stem + ext, k) for ext, k in KINDS.items() if ext != "." + suffix]
    layer_then = history.path_at(layer_rel, sha)
    if layer_then != layer_rel:
        folder = content_rel.rpartition("/")[0]
        slug = layer_then.rpartition("/")[2].rpartition(".")[0]
        names += [(f"{folder}/{slug}{ext}", k) for ext, k in KINDS.items() if (f"{folder}/{slug}{ext}", k) not in names]
    return names
