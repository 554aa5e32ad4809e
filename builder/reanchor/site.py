"""`glossator reanchor`, and drift for `check` and `build`: findings for a whole site, shown as a
reviewable patch or JSON, applied in place with `--write`."""
from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path

from .. import parallel
from ..errors import Problems
from ..history import History, repo, shallow_boundary, shallow_gap, unread_gap
from ..read.config import load_config
from ..read.content import KINDS, discover, load_source
from ..read.layer import load_annotation_file
from ..read.load import no_article, no_site_here
from .changed import may_drift
from .drift import ArticleCheck, Finding, targets
from .record import Records
from .versions import bounds_of
from .yamledit import EditRefused, edit_fields, read_back

LAYERS = {".yaml": "yaml", ".yml": "yaml"}


@dataclass(frozen=True, slots=True)
class Patch:
    """The new text of one annotation file, and the findings it applies."""

    file: str
    before: str
    after: str
    findings: tuple[Finding, ...]
    refused: tuple[tuple[int, int, str], ...] = ()  # findings that could not be written in place: (line, col, why)


def site_findings(site: Path, history: History | None = "auto", warnings: Problems | None = None) -> list[Finding]:
    """Every annotation and body bound of the site that needs a look, in file and line order (and, in
    `warnings`, that a shallow clone hides what the history would show, and the errors of the site's files
    that do not read: the passages they hold, or would, cannot all be looked at)."""
    problems = Problems()
    if no_site_here(site, problems):
        if warnings is not None:
            warnings.items.extend(problems.errors)
        return []
    git_repo = repo(site) if history == "auto" else None  # (what one `git rev-parse` says, asked once)
    if history == "auto":
        history = History.open(site, git_repo) if git_repo is not None else None
    config = load_config(site, problems)
    renamed: dict[str, str] = {}
    contents = discover(site, "content", KINDS, problems, renamed)
    layers = discover(site, "annotations", LAYERS, problems, follow=renamed)
    no_article(site, contents, layers, problems.errors, problems)  # (an article renamed: its passages, unlooked at)
    slugs = [slug for slug in sorted(layers) if slug in contents]

    def load(i: int):
        slug = slugs[i]
        unread = Problems()
        source = load_source(site, slug, contents[slug], unread)
        rel = layers[slug].relative_to(site).as_posix()
        parsed = load_annotation_file(layers[slug], rel, slug, config, unread if source is not None else Problems())
        return ((source, rel, parsed) if source is not None and parsed is not None and not parsed.partial else None), unread.errors

    loaded = []
    said = warnings.items if warnings is not None else []  # (what cannot be looked at, and why)
    said.extend(problems.errors)  # (a file that does not read, or a field that does not: its annotations are not all looked at)
    for found, errors in parallel.share(load, len(slugs)):
        if found is not None:
            loaded.append(found)
        said.extend(errors)
    if history is not None and not history.read:  # (the text alone, then)
        said.extend(unread_gap([rel for _, rel, _ in loaded]))
        history = None
    changed = may_drift(site, history, [(source.path, source.kind, rel) for source, rel, _ in loaded])
    if history is not None:
        said.extend(shallow_gap(history, [rel for _, rel, _ in loaded], shallow_boundary(site, git_repo)))

    records = Records(site) if history is None else None  # without git, what the last build anchored against

    def work_of(source, rel, parsed, history):
        body = (("body.start", parsed.meta.get("body_start")), ("body.end", parsed.meta.get("body_end")))
        record = records.get(source.slug) if records is not None else None
        return _work(site, source.flow, source.path, source.kind, rel, parsed.annotations, body, history, record)

    # what git says of the changed articles read here, in batched calls; every article examined in the workers
    read = {source.path: work_of(source, rel, parsed, history) for source, rel, parsed in loaded if source.path in changed}
    _read_first(list(read.values()), history)

    def examine(i: int) -> list[Finding]:
        source, rel, parsed = loaded[i]
        return examined(*(read.get(source.path) or work_of(source, rel, parsed, None)))

    said.extend(unread_gap([check.layer_rel for check, _, _ in read.values() if check.unread]))
    found = [finding for findings in parallel.share(examine, len(loaded)) for finding in findings]
    return sorted(found, key=lambda f: (f.file, f.line, f.col))


def article_work(site: Path, articles, history: History) -> dict[str, tuple]:
    """{content file: (check, body, targets)} of these loaded articles (those whose text changed), what
    they need of git read first (`examined` each then, in any process)."""
    work = {}
    for article in articles:
        body = (("body.start", article.meta.body_start), ("body.end", article.meta.body_end))
        work[article.path] = _work(site, article.flow, article.path, article.kind, article.annotation_path,
                                   article.annotations + article.unanchored, body, history)
    _read_first(list(work.values()), history)
    return work


def _work(site: Path, flow, content_rel: str, kind: str, layer_rel: str, annotations, body, history, record=None):
    """(check, body, targets) of one article; `history` None when its text has not changed since (or without git:
    then `record`, what the last build anchored against, where one is kept)."""
    content = site / content_rel
    check = ArticleCheck(flow, content_rel, kind, layer_rel, history, content.read_bytes(), (site / layer_rel).read_bytes(),
                         record)
    return check, body, targets(annotations, body)


def _read_first(work, history: History | None) -> None:
    """The old versions that examining these articles reads first, read in batched calls (remembered); a check
    whose versions git could not read is marked `unread` (a partial clone whose remote is gone)."""
    if history is None:
        return
    steps = [check.first_steps(found) for check, _, found in work]
    first = history.blobs_at([v for found in steps for v in found])
    history.read_blobs([b for b in first.values() if b is not None])
    pairs = [[(sha, rel) for sha in {check.last_commit(t) for t in found} if sha for rel, _ in check.article_paths(sha)]
             if check.history else [] for check, _, found in work]
    then = history.blobs_at([p for found in pairs for p in found])
    history.read_blobs([b for b in then.values() if b is not None])
    for (check, _, _), step, pair in zip(work, steps, pairs):
        asked = {first[v] for v in step} | {then[p] for p in pair} | {check.layer_rel, check.content_rel}
        check.unread = bool(asked & history.unread)


def examined(check, body, found) -> list[Finding]:
    """The findings of one article's work (`_work`)."""
    # the body bounds first: where one went is where the annotations' occurrences are counted from
    # (counted over the whole text, furniture and all, they would seem to have drifted)
    of_body = {t.id: check.examine(t, (0, 0)) for t in found if t.body}
    quotes = tuple(q.text if q is not None else None for _, q in body)
    bounds = bounds_of(check.norm, *(of_body[name].new.quote if of_body.get(name) and of_body[name].new else q
                                     for (name, _), q in zip(body, quotes)))
    lost = [name for name, f in of_body.items() if f is not None and f.new is None]  # bounds whose place is not
    # certain: where occurrences are counted is not either, so the annotations wait until they are set (those that
    # no longer anchor are said, waiting on them)
    findings = [f for f in (of_body[t.id] if t.body else check.waiting(t, bounds, lost) if lost else
                            check.examine(t, bounds, quotes) for t in found) if f is not None]
    if not any(f.id.startswith("body.") for f in findings):
        findings.extend(filter(None, [check.misordered(found)]))
    return findings


def patches(site: Path, findings: list[Finding]) -> list[Patch]:
    """The proposals of the findings, applied file by file (bottom up, so positions hold)."""
    out = []
    by_file: dict[str, list[Finding]] = {}
    for f in findings:
        if f.new is not None:
            by_file.setdefault(f.file, []).append(f)
    for file, group in sorted(by_file.items()):
        before = (site / file).read_bytes().decode("utf-8")
        bom = "\ufeff" if before.startswith("\ufeff") else ""  # a BOM (Notepad's) is kept, and kept out of the positions
        text, done, refused = before[len(bom):], [], []
        for f in sorted(group, key=lambda f: (f.line, f.col), reverse=True):
            changes = _changes(f)
            try:
                edited = edit_fields(text, f.line, f.col, changes, body=f.id.startswith("body."))
            except EditRefused as exc:
                refused.append((f.line, f.col, f"{f.id}: {exc}"))
                continue
            if read_back(edited) is None:
                refused.append((f.line, f.col, f"{f.id}: the edit would not read back as YAML"))
                continue
            text = edited
            done.append(f)
        out.append(Patch(file, before, bom + text, tuple(sorted(done, key=lambda f: f.line)), tuple(refused)))
    return out


def _changes(f: Finding) -> dict:
    """The fields a proposal changes: {name: new value, or None to remove it}."""
    if f.id.startswith("body."):
        return {"start" if f.id == "body.start" else "end": f.new.quote}
    out = {}
    for name in ("quote", "prefix", "suffix", "occurrence"):
        old, new = getattr(f.old, name), getattr(f.new, name)
        if old != new:
            out[name] = new
    return out


def as_diff(patch: Patch) -> str:
    """A unified diff of one file, each hunk preceded by a comment that says why."""
    a, b = patch.before.splitlines(keepends=True), patch.after.splitlines(keepends=True)
    out = [f"--- a/{patch.file}\n", f"+++ b/{patch.file}\n"]
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for group in matcher.get_grouped_opcodes(3):
        first, last = group[0], group[-1]
        touched = [f for f in patch.findings if first[1] < f.line <= last[2]]
        for f in touched or patch.findings[:1]:
            out.append(f"# {f.id}: {f.reason}\n")  # (a reason starts with its status: "moved: …")
        out.append(f"@@ -{first[1] + 1},{last[2] - first[1]} +{first[3] + 1},{last[4] - first[3]} @@\n")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out.extend(" " + line for line in a[i1:i2])
                continue
            out.extend("-" + line for line in a[i1:i2])
            out.extend("+" + line for line in b[j1:j2])
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in out)


def as_json(findings: list[Finding]) -> str:
    rows = []
    for f in findings:
        row = {"file": f.file, "line": f.line, "id": f.id, "status": f.status}
        if f.new is not None:
            for name in ("quote", "prefix", "suffix", "occurrence"):
                if getattr(f.new, name) != getattr(f.old, name):
                    row[name] = getattr(f.new, name)
        row.update({"old_line": f.old_line, "new_line": f.new_line, "reason": f.reason})
        rows.append(row)
    return json.dumps(rows, indent=2, ensure_ascii=False)


def as_text_orphans(findings: list[Finding]) -> list[str]:
    """One comment line per orphaned annotation (they have no hunk)."""
    return [f"# {f.file}:{f.line}: {f.id}: {f.reason}" for f in findings if f.new is None]
