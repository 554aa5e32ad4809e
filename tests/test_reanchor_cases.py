"""Edit cases (tests/reanchor/*.yaml): an article before and after an edit, one annotation, and what
must become of it, each run with git history (two commits) and without (the text alone).

In `after`, [[ and ]] mark the passage the annotation must end on (they are removed). `expect` is
one of `unchanged` (no finding; it anchors on the mark), `moved` or `edited` (a proposal that, once
written, anchors exactly on the mark and passes `check`), or `orphaned` (no proposal). Without
history, `expect_plain` applies when given (`undetected`: the text alone cannot see it, no finding).
`kind` is the article's format (txt or md); `kind_before`, when given, the format it had when annotated;
`annotated_first`: the annotation file was committed one commit before the article; `uncommitted`: the
edit is left in the work tree, not committed; `between`: versions of the article committed one by one after the
annotation and before `after` (without history, only `after` is seen); `annotation_after` (replacing the
annotation) and `extra_after` (annotations added beside it): the annotation file as it stands after the edit,
changed in the same commit.
Each case runs a third way, `record`: without git, the site built once before the edit (its annotation file and
`before`: the build keeps a record of the text it anchored against, reanchor/record.py), then edited. That record
stands in for the history: `expect_record` applies when given, else `expect` (each of the `between` versions is
built too). A case whose annotation did not anchor cleanly before the edit keeps no record: `expect_plain` then.
A proposal that lands anywhere but the mark is a wrong attach: there must be none.
"""
from __future__ import annotations

import atexit
import functools
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import yaml

from builder.read.load import load_site
from builder.reanchor.site import patches, site_findings
from builder.reanchor.yamledit import read_back

CASES = Path(__file__).parent / "reanchor"


def _cases():
    out = []
    for path in sorted(CASES.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text("utf-8")):
            for history in ("git", "plain", "record"):
                out.append(pytest.param(case, history, id=f"{path.stem}:{case['name']}:{history}"))
    return out


def _unmark(text: str) -> tuple[str, tuple[int, int] | None]:
    if "[[" not in text:
        return text, None
    s = text.index("[[")
    e = text.index("]]") - 2
    return text.replace("[[", "", 1).replace("]]", "", 1), (s, e)


def _layer(case, after: bool = False) -> str:
    ann = {"id": "the-note", **case["annotation_after" if after and "annotation_after" in case else "annotation"], "note": "A note."}
    extra = [{**a, "note": "Another note."} for a in case.get("extra_after", [])] if after else []
    doc = {"annotations": [ann, *extra]}
    if "body" in case:
        doc = {"article": {"body": case["body"]}, **doc}
    return "# written by hand\n" + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=1000)


def _git(site: Path, *args: str, stdin: bytes | None = None) -> None:
    subprocess.run(["git", *args], cwd=site, check=True, capture_output=True, input=stdin)


@functools.cache
def _empty_repo() -> tuple[Path, str]:
    """A `.git` folder as `git init` leaves it (no hooks, the committer set), made once and copied into each case's
    site, and the branch its HEAD names."""
    top = Path(tempfile.mkdtemp(prefix="reanchor-cases-"))
    atexit.register(shutil.rmtree, top, True)
    _git(top, "init", "-q", "--template=")
    _git(top, "config", "user.name", "Ann Otator")
    _git(top, "config", "user.email", "ann@example.org")
    return top / ".git", (top / ".git" / "HEAD").read_text("utf-8").split(": ", 1)[1].strip()


def _commit(branch: str, message: str, files: dict[str, str | None]) -> bytes:
    """One commit of a `git fast-import` stream: the files changed (None: removed), on top of the branch's last."""
    when = f"Ann Otator <ann@example.org> {int(time.time())} +0000"
    out = [f"commit {branch}\nauthor {when}\ncommitter {when}\n".encode(), _data(message + "\n")]
    for path, text in files.items():
        out.append(f"D {path}\n".encode() if text is None else f"M 100644 inline {path}\n".encode() + _data(text))
    return b"".join(out)


def _data(text: str) -> bytes:
    raw = text.encode("utf-8")
    return b"data %d\n%s\n" % (len(raw), raw)


def _history(site: Path, case, after: str, kind: str) -> None:
    """The site's git history, as a writer would have made it: the article annotated (`annotated_first`: the
    annotation file committed one commit before the article), each of `between` committed, then the correction (the
    annotation file as it stands after it, a .txt replaced by a .md, say) committed, or (`uncommitted`) left in the
    work tree. All commits in one `git fast-import`, then the index read from the last."""
    git_dir, branch = _empty_repo()
    shutil.copytree(git_dir, site / ".git")
    was = case.get("kind_before", kind)
    config = (site / "site.toml").read_text("utf-8")
    layer, article = _layer(case), f"content/a.{was}"
    stream = []
    if case.get("annotated_first"):
        stream.append(_commit(branch, "Annotate the article", {"annotations/a.yaml": layer}))
        stream.append(_commit(branch, "Publish the article", {article: case["before"], "site.toml": config}))
    else:
        stream.append(_commit(branch, "Annotate the article", {"annotations/a.yaml": layer, article: case["before"],
                                                              "site.toml": config}))
    for n, version in enumerate(case.get("between", []), 1):
        stream.append(_commit(branch, f"Update {n}", {article: version}))
    (site / "annotations" / "a.yaml").write_text(_layer(case, after=True), "utf-8")
    (site / "content" / f"a.{kind}").write_text(after, "utf-8")
    if not case.get("uncommitted"):
        stream.append(_commit(branch, "The publisher's correction", {
            "annotations/a.yaml": _layer(case, after=True), **({article: None} if was != kind else {}),
            f"content/a.{kind}": after}))
    _git(site, "fast-import", "--quiet", stdin=b"".join(stream))
    _git(site, "reset", "-q")
    if case.get("uncommitted") and was != kind:  # `git rm` of the old file staged, the new one not added
        _git(site, "rm", "-q", "--cached", article)


def make_site(tmp: Path, case, history: bool | str) -> tuple[Path, tuple[int, int] | None]:
    """The site after the edit: with git history (`history` True or "git"), without (False or "plain"), or without
    git but built once before the edit ("record")."""
    if history == "record":
        return _recorded_site(tmp, case)
    history = history in (True, "git")
    site = tmp / "site"
    (site / "content").mkdir(parents=True)
    (site / "annotations").mkdir()
    (site / "site.toml").write_text('title = "Cases"\nbase_url = "https://example.org/"\n', "utf-8")
    after, mark = _unmark(case["after"])
    kind = case.get("kind", "txt")
    (site / "annotations" / "a.yaml").write_text(_layer(case, after=not history), "utf-8")
    if history:
        _history(site, case, after, kind)
    else:
        (site / "content" / f"a.{kind}").write_text(after, "utf-8")
    return site, mark


def _recorded_site(tmp: Path, case) -> tuple[Path, tuple[int, int] | None]:
    """Without git: the article as it was annotated, built once (which keeps the record), then edited."""
    site = tmp / "site"
    (site / "content").mkdir(parents=True)
    (site / "annotations").mkdir()
    (site / "site.toml").write_text('title = "Cases"\nbase_url = "https://example.org/"\n', "utf-8")
    after, mark = _unmark(case["after"])
    kind, was = case.get("kind", "txt"), case.get("kind_before", case.get("kind", "txt"))
    (site / "annotations" / "a.yaml").write_text(_layer(case), "utf-8")
    (site / "content" / f"a.{was}").write_text(case["before"], "utf-8")
    # the record a build keeps (its loading writes it, as here: the pages' 30 ms more a case are left out); a case
    # whose quote did not anchor cleanly then keeps no record
    _, problems = load_site(site, records="write")
    recorded = (site / ".glossator-cache" / "anchored" / "a.json").exists()
    assert recorded == (not problems.errors), [p.text() for p in problems.items]
    for version in case.get("between", []):  # built at each version (a build that fails keeps the record it had)
        (site / "content" / f"a.{was}").write_text(version, "utf-8")
        load_site(site, records="write")
    (site / "content" / f"a.{was}").unlink()
    (site / "content" / f"a.{kind}").write_text(after, "utf-8")
    (site / "annotations" / "a.yaml").write_text(_layer(case, after=True), "utf-8")
    return site, mark


def anchored(site: Path):
    """(errors, {id: span}, body) of the site as check sees it."""
    model, problems = load_site(site)
    errors = [p for p in problems.items if p.severity == "error"]
    article = model.articles[0] if model.articles else None
    if "body" in str((site / "annotations" / "a.yaml").read_text()) and article is not None:
        body = article.body
    else:
        body = None
    spans = {a.id: (a.start, a.end) for a in article.annotations} if article else {}
    return errors, spans, body, article.text if article else ""


def at_mark(case, got, mark, text) -> bool:
    """Whether a span is the expected passage: the [[ ]] mark, or `expect_text` (once in the visible text, or
    its `expect_nth` place)."""
    if "expect_text" in case:
        want = case["expect_text"]
        if "expect_nth" in case:  # the text stands more than once: the nth time it stands, counted from 1
            starts = [i for i in range(len(text)) if text.startswith(want, i)]
            return got is not None and len(starts) >= case["expect_nth"] and got == (starts[case["expect_nth"] - 1], starts[case["expect_nth"] - 1] + len(want))
        return got is not None and " ".join(text[got[0]:got[1]].split()) == want and " ".join(text.split()).count(want) == 1
    return got == mark


@pytest.mark.parametrize("case,history", _cases())
def test_case(case, history, tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    site, mark = make_site(tmp_path, case, history)
    if history == "record" and not (site / ".glossator-cache" / "anchored" / "a.json").exists():
        history = "plain"  # (not built cleanly before the edit: no record, the text alone decides)
    expect = {"git": case["expect"], "plain": case.get("expect_plain", case["expect"]),
              "record": case.get("expect_record", case["expect"])}[history]
    history = history != "plain"  # (the record stands in for the history: check fails where it finds drift)
    target = case.get("target", "the-note")
    findings = [f for f in site_findings(site) if f.id == target]
    assert len(findings) <= 1
    found = findings[0] if findings else None
    if expect == "undetected":
        assert found is None
        return
    if expect == "unchanged":
        assert found is None, found.reason
        errors, spans, body, text = anchored(site)
        assert not errors
        if mark or "expect_text" in case:
            assert target != "the-note" or at_mark(case, spans.get(target), mark, text)
        return
    assert found is not None, "expected a finding"
    if expect == "orphaned":
        assert found.new is None, f"a proposal where none is certain: {found.reason}"
        assert found.status == "orphaned"
        if history:  # the silent failure is now an error
            errors = anchored(site)[0]
            assert errors, "check passes on an annotation whose passage is gone"
        return
    assert found.status == expect, found.reason
    assert found.new is not None
    if history:
        errors = anchored(site)[0]
        assert errors, "check passes on an annotation that drifted or no longer anchors"
    before = (site / "annotations" / "a.yaml").read_text("utf-8")
    [patch] = patches(site, [found])
    assert read_back(patch.after) is not None
    (site / "annotations" / "a.yaml").write_text(patch.after, "utf-8")
    changed = [line for line in patch.after.splitlines() if line not in before.splitlines()]
    assert all(line.split(":")[0].strip() in ("quote", "prefix", "suffix", "occurrence", "start", "end") for line in changed), changed
    if (site / ".git").exists():
        _git(site, "commit", "-qam", "Reanchor")
    errors, spans, body, text = anchored(site)
    assert not errors, [e.text() for e in errors]
    got = spans[target] if not target.startswith("body.") else (body[0] if target == "body.start" else None, body[1] if target == "body.end" else None)
    if target == "body.start":
        assert got[0] == mark[0]
    elif target == "body.end":
        assert got[1] == mark[1]
    else:
        assert at_mark(case, got, mark, text), "a wrong attach"


# an occurrence-numbered quote, and a correction that adds a repeat before it (`[[…]]`: where it belongs now)
DECLINED = {"before": "Harbour\n\nMarlow Marine declined to comment.\n\nA spokesman for Coastline declined to comment further.\n",
            "after": "Harbour\n\nThe port authority declined to comment.\n\nMarlow Marine declined to comment.\n\n"
                     "A spokesman for Coastline [[declined to comment]] further.\n",
            "annotation": {"quote": "declined to comment", "occurrence": 2}}


@pytest.mark.parametrize("edit", [("quote: declined to comment", 'quote: "declined to comment"'),
                                  ("occurrence: 2", "occurrence: 2  # the Coastline one")], ids=["re-quoted", "commented"])
def test_reformatting_the_quote_does_not_vouch_for_its_passage(tmp_path, monkeypatch, edit):
    """Re-quoting the quote (a YAML formatter) or a comment beside it, committed after the article changed, leaves
    the values that choose the passage as they were: it was still written against the article before the change."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    site, mark = make_site(tmp_path, DECLINED, history=True)
    layer = site / "annotations" / "a.yaml"
    assert edit[0] in layer.read_text("utf-8")
    layer.write_text(layer.read_text("utf-8").replace(*edit), "utf-8")
    _git(site, "commit", "-qam", "Format the annotations")
    errors = anchored(site)[0]
    assert errors and "another passage" in errors[0].message, [e.text() for e in errors]
    [found] = [f for f in site_findings(site) if f.id == "the-note"]
    assert found.status == "moved" and found.new.occurrence == 3, found.reason


@pytest.mark.parametrize("same_commit", [False, True], ids=["note-fixed-later", "note-fixed-with-the-correction"])
def test_editing_a_note_does_not_vouch_for_its_passage(tmp_path, monkeypatch, same_commit):
    """A typo fixed in a note after the article changed (or in the same commit) is no sign anyone looked
    at the passage again: the drift is still found, from the commit that last changed the quote's lines."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    site, mark = make_site(tmp_path, DECLINED, history=True)
    layer = site / "annotations" / "a.yaml"
    if same_commit:
        _git(site, "reset", "-q", "--soft", "HEAD~1")
    layer.write_text(layer.read_text("utf-8").replace("note: A note.", "note: Coastline's response."), "utf-8")
    _git(site, "commit", "-qam", "Fix a typo in the note")
    errors = anchored(site)[0]
    assert errors and "another passage" in errors[0].message, [e.text() for e in errors]
    [found] = [f for f in site_findings(site) if f.id == "the-note"]
    assert found.status == "moved" and found.new.occurrence == 3, found.reason


def test_giving_or_renaming_an_id_does_not_vouch_for_its_passage(tmp_path, monkeypatch):
    """An `id:` given to an annotation (or renamed) after the article changed leaves its anchoring values as they
    were: older versions are read by those values, not by the new id, and the drift is still found."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    site, mark = make_site(tmp_path, DECLINED, history=True)
    layer = site / "annotations" / "a.yaml"
    assert "the-note" in layer.read_text("utf-8")
    # the quote's own line changes too (its indentation): that commit is the last to touch it
    layer.write_text("annotations:\n  - quote: declined to comment\n    id: coastline\n    occurrence: 2\n    note: A note.\n", "utf-8")
    _git(site, "commit", "-qam", "Name the annotation")
    errors = anchored(site)[0]
    assert errors and "another passage" in errors[0].message, [e.text() for e in errors]
    [found] = [f for f in site_findings(site) if f.id == "coastline"]
    assert found.status == "moved" and found.new.occurrence == 3, found.reason


# scorers' minutes traded: "in the 12th minute" now stands in the other scorer's sentence, which was there before
MINUTES = {"before": "Match report\n\nAdeyemi opened the scoring in the 12th minute with a header. Kovac equalised in the 67th minute "
                     "with a shot.\n",
           "after": "Match report\n\nAdeyemi opened the scoring in the 67th minute with a header. Kovac equalised in the 12th minute "
                    "with a shot.\n",
           "annotation": {"quote": "in the 12th minute"}}


def test_an_orphan_says_why_the_place_that_reads_like_it_is_another_passage(tmp_path, monkeypatch):
    """The orphan's reason names the cause that holds for the places left out (here, text that was there before),
    not every cause the history might have found (it listed three at once, joined by "or")."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    site, _ = make_site(tmp_path, MINUTES, history=True)
    [found] = [f for f in site_findings(site) if f.id == "the-note"]
    assert found.status == "orphaned" and found.new is None
    assert "is another passage: text that was there before" in found.reason, found.reason
    assert "reworded where it stood" not in found.reason and "traded places" not in found.reason, found.reason
