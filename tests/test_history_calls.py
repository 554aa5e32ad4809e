"""What reading a site's history costs in git processes (2 to 4 ms each, more on a loaded CI runner), and that
the blobs the log tells are those git gives."""
from __future__ import annotations

import subprocess

from builder.history import History
from builder.read.load import load_site
from builder.reanchor.site import site_findings
from tests.test_reanchor_cli import CLAIMS, CLAIMS_AFTER, SHIFT_LAYER, git, site_with


def git_processes(monkeypatch) -> list:
    """The argument lists of the git processes started from now on (the list grows as they start)."""
    started = []
    real = subprocess.Popen.__init__

    def counted(self, args, *rest, **options):
        if args and args[0] == "git":
            started.append(args)
        real(self, args, *rest, **options)

    monkeypatch.setattr(subprocess.Popen, "__init__", counted)
    return started


def test_checking_and_reanchoring_an_edited_site_runs_few_git_processes(tmp_path, monkeypatch):
    """`reanchor` then `check` of a site whose article changed after it was annotated read its history twice,
    asking git 23 times (the commit, the prefix and the shallow file in three calls each time; blob ids one
    `cat-file` each time, their bytes one each again): about 11 do, the drift found as before."""
    site = site_with(tmp_path, CLAIMS, SHIFT_LAYER, CLAIMS_AFTER)
    started = git_processes(monkeypatch)
    [found] = [f for f in site_findings(site) if f.id == "armed"]
    _, problems = load_site(site)
    assert found.status == "moved" and found.new is not None, found.reason
    assert any("another passage" in p.message for p in problems.items if p.severity == "error")
    assert len(started) <= 10, [" ".join(a[a.index("--no-optional-locks") + 1:] if "--no-optional-locks" in a else a)
                                for a in started]


def test_the_blobs_the_log_tells_are_those_git_gives_even_after_a_merge_that_changed_a_file(tmp_path):
    """On a history without merges each file's blob in each commit is told by the log (the newest change at or before
    it); a merge can change a file without the log listing it: there git is asked, and the answers are git's."""
    site = site_with(tmp_path, CLAIMS, SHIFT_LAYER, None)
    git(site, "checkout", "-qb", "side")
    (site / "content" / "other.txt").write_text("Other\n")
    git(site, "add", "-A")
    git(site, "commit", "-qm", "Another story")
    git(site, "checkout", "-q", "-")
    (site / "content" / "story.txt").write_text(CLAIMS_AFTER)
    git(site, "commit", "-qam", "An earlier statement")
    linear = History.open(site)
    git(site, "merge", "-q", "--no-ff", "--no-commit", "side")
    (site / "content" / "story.txt").write_text(CLAIMS_AFTER + "\nA line the merge added.\n")
    git(site, "commit", "-qam", "Merge, and a line more")
    merged = History.open(site)
    for history in (linear, merged):
        wanted = [(sha, rel) for sha in history.order for rel in ("content/story.txt", "content/other.txt",
                                                                  "annotations/story.yaml", "content/story.md")]
        lines = subprocess.run(["git", "cat-file", "--batch-check"], cwd=site, input="".join(f"{s}:{r}\n" for s, r in wanted),
                               capture_output=True, text=True, check=True).stdout.splitlines()
        expected = {w: (line.split(" ")[0] if " blob " in line else None) for w, line in zip(wanted, lines)}
        assert history.blobs_at(wanted) == expected
        data = (site / "content" / "story.txt").read_bytes() if history is merged else None
        assert data is None or history.clean("content/story.txt", data)
    assert len(merged.order) == 4 and sum(v is not None for v in expected.values()) == 10


def test_a_site_outside_git_starts_no_git_process(tmp_path, monkeypatch):
    """A build, a check and a reanchor of a site in no repository asked git three times each whether it was in one
    (the commit, whether git refused the repository, the repository's filters): a look for .git in the site's folder
    and above it answers that. In a repository made meanwhile, git is asked again."""
    from builder.build import build

    site = site_with(tmp_path, CLAIMS, SHIFT_LAYER, None, history=False)
    started = git_processes(monkeypatch)
    build(site, tmp_path / "out")
    (site / "content" / "story.txt").write_text(CLAIMS_AFTER)
    findings = site_findings(site)
    load_site(site)
    assert started == [] and findings, started
    git(site, "init", "-q")
    site_findings(site)
    assert started, "a repository made meanwhile is read"


def test_reanchor_asks_git_about_the_repository_once_and_a_cached_log_tells_blobs(tmp_path, monkeypatch, run_cli):
    """`reanchor` asked `git rev-parse` again (whether git refuses the repository) after its history had read it; a
    build after an edit restored the log from the cache without each file's blob in each commit, and asked git for
    them (two `cat-file --batch-check`)."""
    from builder.build import build

    site = site_with(tmp_path, CLAIMS, SHIFT_LAYER, None)
    assert build(site, tmp_path / "out").ok
    (site / "content" / "story.txt").write_text(CLAIMS_AFTER)
    started = git_processes(monkeypatch)
    again = build(site, tmp_path / "out")
    assert any("another passage" in p.message for p in again.problems), again.problems
    assert not [a for a in started if "--batch-check" in a], started
    started.clear()
    code, out, err = run_cli("reanchor", site)
    assert code == 0 and "moved" in err, err
    assert sum("rev-parse" in a for a in started) == 1, started


def test_a_site_in_a_folder_of_the_repository_named_not_in_utf8_is_checked_against_its_history(tmp_path, run_cli):
    """Judge63: a site kept in a folder of its repository named in Latin-1 (b"caf\\xe9/site", from an old disk):
    git names it in bytes, read as UTF-8 with U+FFFD, and none of the site's files was found in the log. The
    history silently unread, an `occurrence` that now lands on another passage anchored there, with no error (a
    wrong attach) and `reanchor` proposed nothing. Both find it, as in a folder named in UTF-8."""
    repo = tmp_path / "repo"
    site = repo / "caf\udce9" / "site"
    (site / "content").mkdir(parents=True)
    (site / "annotations").mkdir()
    (site / "site.toml").write_text('title = "T"\nbase_url = "https://example.org/"\n')
    (site / "content" / "story.txt").write_text(CLAIMS)
    (site / "annotations" / "story.yaml").write_text(SHIFT_LAYER)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Annotate the story")
    (site / "content" / "story.txt").write_text(CLAIMS_AFTER)
    code, _, err = run_cli("check", site)
    assert code == 1 and "annotations/story.yaml:4:12: error: this annotation now anchors on another passage" in err, err
    assert "Traceback" not in err
    findings = site_findings(site)
    assert [f.status for f in findings] == ["moved"] and findings[0].new.occurrence == 2
