"""Cached and parallel builds give the same bytes as a plain one; a bad cache is never trusted."""
from __future__ import annotations

import os
import shutil
import signal
import tempfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder import parallel
from builder.cli import main

SMALL = Path(__file__).parent / "sites" / "small"


def build(*args) -> str:
    result = CliRunner().invoke(main, ["build", *map(str, args)])
    assert result.exit_code == 0, result.output + result.stderr
    return result.output


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def site_copy(tmp_path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(SMALL, site, ignore=shutil.ignore_patterns(".glossator-cache", "_site"))
    return site


def test_parallel_and_cached_builds_match_a_plain_build(tmp_path, monkeypatch):
    site = site_copy(tmp_path)
    monkeypatch.setenv("GLOSSATOR_JOBS", "1")
    build(site, "--out", tmp_path / "plain", "--no-cache")
    monkeypatch.setenv("GLOSSATOR_JOBS", "2")
    monkeypatch.setattr(parallel, "MIN_TASKS", 1)  # fork even for this small site
    build(site, "--out", tmp_path / "parallel", "--no-cache")
    build(site, "--out", tmp_path / "cold")  # fills the cache
    assert (site / ".glossator-cache/articles/gangs.pickle").exists()
    (site / "content/gangs.txt").touch()  # inputs look changed: a real build, from the cache
    build(site, "--out", tmp_path / "warm")
    plain = tree(tmp_path / "plain")
    for other in ("parallel", "cold", "warm"):
        assert tree(tmp_path / other) == plain, other


def test_shared_work_gives_every_result_in_order_computed_here_and_in_a_worker(monkeypatch):
    """Loading shares the tasks between this process and the workers: the results come in task order,
    every one once, each ticked; a task's error is raised here, wherever it ran."""
    monkeypatch.setenv("GLOSSATOR_JOBS", "2")
    n, ticks = parallel.MIN_TASKS * 3, []

    def task(i):
        time.sleep(0.005)  # long enough that the worker is up before this process has done everything
        return i, os.getpid()

    done = parallel.share(task, n, progress=ticks.append)
    assert [i for i, _ in done] == list(range(n)) and sum(ticks) == n
    assert len({pid for _, pid in done}) == 2 and os.getpid() in {pid for _, pid in done}
    with pytest.raises(ZeroDivisionError):
        parallel.share(lambda i: 1 / (i - n // 2), n)


def test_work_done_meanwhile_runs_here_on_this_process_results_until_it_is_done(monkeypatch):
    """`meanwhile` (what a build prepares while the workers load) runs in this process, between its own
    chunks, given their results, until it says it is done; the results are the same either way."""
    monkeypatch.setenv("GLOSSATOR_JOBS", "2")
    n, seen = parallel.MIN_TASKS * 3, []

    def task(i):
        time.sleep(0.005)
        return i, os.getpid()

    def meanwhile(results) -> bool:
        seen.append([pid for _, pid in results])
        return len(seen) == 2

    done = parallel.share(task, n, meanwhile=meanwhile)
    assert [i for i, _ in done] == list(range(n))
    assert len(seen) == 2 and all(pid == os.getpid() for chunk in seen for pid in chunk)
    assert all(len(chunk) == parallel.SHARE_CHUNK for chunk in seen)


def test_a_cold_build_imports_jinja_while_its_workers_load_not_before():
    """The templates' code (Jinja, every page's module) is imported by the build's `meanwhile`, once
    workers load the articles: importing the build and loading a site need none of it."""
    import subprocess
    import sys

    code = ("import sys; import builder.build, builder.read.load; "
            "from builder.read.load import load_site; load_site(sys.argv[1]); "
            "print(sorted(m for m in sys.modules if m == 'jinja2' or m.startswith('builder.render')))")
    found = subprocess.run([sys.executable, "-c", code, str(SMALL)], capture_output=True, text=True,
                           cwd=Path(__file__).parents[1], check=True).stdout
    assert found.strip() == "[]"


def test_the_pool_thread_that_minds_the_workers_sleeps_while_results_come(monkeypatch):
    """multiprocessing's Pool wakes its worker-minding thread whenever a result waits in the pipe, and it
    spins until the result thread has read it, taking the interpreter's lock from this process's share
    of the work (0.1 s of each 1,000 articles loaded): ours wakes only when a worker ends or the pool closes."""
    import multiprocessing.pool

    monkeypatch.setenv("GLOSSATOR_JOBS", "2")
    woken, maintain = [], multiprocessing.pool.Pool._maintain_pool

    def counted(*args):
        woken.append(1)
        return maintain(*args)

    monkeypatch.setattr(multiprocessing.pool.Pool, "_maintain_pool", staticmethod(counted))
    n = parallel.MIN_TASKS * 4
    assert parallel.share(lambda i: (i, "x" * 20_000), n) == [(i, "x" * 20_000) for i in range(n)]
    assert parallel.run(lambda i: (i, "x" * 20_000), n) == [(i, "x" * 20_000) for i in range(n)]
    assert len(woken) <= 6  # once as each pool starts, once or twice as it closes


_AT_START: dict = {}  # in a forked worker: its signal mask as `_worker_start` began


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="no signal masks on this system")
@pytest.mark.parametrize("spread", [parallel.run, parallel.share])
def test_a_worker_is_forked_with_ctrl_c_held_until_it_has_set_its_own_handlers(monkeypatch, spread):
    """A Ctrl-C (or SIGTERM) that reached a worker before its `_worker_start` ran the parent's handler there:
    a KeyboardInterrupt's traceback printed from inside multiprocessing. Held from the fork, it waits."""
    monkeypatch.setenv("GLOSSATOR_JOBS", "2")
    start = parallel._worker_start

    def recording_start():
        _AT_START["mask"] = signal.pthread_sigmask(signal.SIG_BLOCK, [])
        start()

    monkeypatch.setattr(parallel, "_worker_start", recording_start)

    def task(i):
        if "mask" not in _AT_START:  # `share` runs some tasks in this process: slowly, so the worker takes some
            time.sleep(0.005)
            return None
        now = signal.pthread_sigmask(signal.SIG_BLOCK, [])
        return ({signal.SIGINT, signal.SIGTERM, signal.SIGHUP} <= _AT_START["mask"],
                signal.getsignal(signal.SIGINT) == signal.SIG_IGN, signal.SIGINT in now or signal.SIGTERM in now)

    results = set(spread(task, parallel.MIN_TASKS * 4)) - {None}
    assert results == {(True, True, False)}  # held from the fork, ignored, then let through
    assert not {signal.SIGINT, signal.SIGTERM} & signal.pthread_sigmask(signal.SIG_BLOCK, [])  # the parent's as before


def test_an_unchanged_site_is_not_rebuilt_but_a_damaged_output_is(tmp_path):
    site = site_copy(tmp_path)
    build(site)
    assert build(site).startswith("unchanged:")
    (site / "_site/articles/reply/index.html").unlink()
    assert build(site).startswith("built ")
    assert (site / "_site/articles/reply/index.html").exists()


def test_the_record_of_a_build_holds_the_digest_of_what_it_published(tmp_path, make_site, monkeypatch):
    """The build takes each page's digest where it writes the page (in a worker), not by reading the output
    again: its record must still hold the digest of the folder as it lies on disk, read file by file, the
    file of static/ that replaces a page, the search index and the assets included."""
    import json

    from builder.cache import BuildRecord, tree_digest

    monkeypatch.setenv("GLOSSATOR_JOBS", "2")
    files = many_articles(parallel.MIN_TASKS + 6)
    files["static/404.html"] = "<!DOCTYPE html><title>lost</title>"  # replaces the page made there
    site = make_site(tmp_path / "site", files)
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["build", str(site), "--out", str(out)]).exit_code == 0
    record = json.loads(BuildRecord(site, out).path.read_text())
    assert record["output"] == tree_digest(out)
    assert (out / "404.html").read_text() == files["static/404.html"]
    assert CliRunner().invoke(main, ["build", str(site), "--out", str(out)]).stdout.startswith("unchanged:")


def test_a_folder_digest_follows_links_inside_the_site_and_takes_others_by_their_text(tmp_path):
    """tree_digest: a linked file or folder inside `root` is read through (an edit there is an edit of the site),
    a link out of it is taken by the text of the link (what it points to is never read), each linked folder once."""
    from builder.cache import tree_digest

    root, outside = tmp_path / "site", tmp_path / "elsewhere"
    (root / "content" / "sub").mkdir(parents=True)
    outside.mkdir()
    (root / "content" / "a.txt").write_text("one")
    (root / "shared.txt").write_text("two")
    (root / "content" / "sub" / "b.txt").write_text("three")
    (outside / "secret.txt").write_text("four")
    (root / "content" / "linked.txt").symlink_to(root / "shared.txt")
    (root / "content" / "out.txt").symlink_to(outside / "secret.txt")
    (root / "content" / "again").symlink_to(root / "content" / "sub")  # a linked folder inside the site: read through
    before = tree_digest(root / "content", root)
    (outside / "secret.txt").write_text("changed")
    assert tree_digest(root / "content", root) == before  # never read
    (root / "shared.txt").write_text("changed")
    assert tree_digest(root / "content", root) != before  # read through the link
    before = tree_digest(root / "content", root)
    (root / "content" / "sub" / "b.txt").write_text("3")
    assert tree_digest(root / "content", root) != before
    names = {"a.txt": "one", "sub/b.txt": "3"}
    from builder.cache import file_digest

    known = {rel: file_digest(text.encode()) for rel, text in names.items()}
    assert tree_digest(root / "content", root, known) == tree_digest(root / "content", root)
    known["a.txt"] = file_digest(b"something else")  # taken as given, not read
    assert tree_digest(root / "content", root, known) != tree_digest(root / "content", root)


def _same_size_and_times(path: Path, old: str, new: str) -> None:
    """Edit a file as rsync -a, tar or touch -r leave it: same size, same modification time."""
    assert len(old) == len(new)
    st = path.stat()
    path.write_text(path.read_text().replace(old, new))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def test_unchanged_is_decided_by_content_not_times_or_sizes(tmp_path, monkeypatch):
    site = site_copy(tmp_path)
    build(site)
    page = site / "_site/articles/reply/index.html"
    _same_size_and_times(page, "<title>", "<TITLE>")  # a defaced page
    assert build(site).startswith("built ")
    assert "<title>" in page.read_text()
    assert build(site).startswith("unchanged:")
    page.unlink()  # a page deleted
    assert build(site).startswith("built ")
    assert page.exists()
    text = site / "content/gangs.txt"  # an input edited, size and time kept
    _same_size_and_times(text, "they said", "THEY SAID")
    assert build(site).startswith("built ")
    assert "THEY SAID" in (site / "_site/articles/gangs/index.html").read_text()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the feed's date comes from it
    assert build(site).startswith("built ")
    assert "2023-11-14T22:13:20Z" in (site / "_site/feed.xml").read_text()


def test_a_changed_article_is_read_again_not_taken_from_the_cache(tmp_path):
    site = site_copy(tmp_path)
    build(site)
    text = site / "content/gangs.txt"
    text.write_text(text.read_text().replace("they said", "they told us"))
    build(site)
    assert "they told us" in (site / "_site/articles/gangs/index.html").read_text()


def test_articles_a_worker_loads_and_caches_come_back_as_loaded(tmp_path, make_site, monkeypatch):
    """A worker sends what it loaded and cached as the cache entry's own pickle (cache.Pickled): the build's
    process gets the same articles and problems as a load without the cache."""
    import pickle

    from builder.cache import ArticleCache, Pickled
    from builder.read import load

    assert pickle.loads(pickle.dumps(Pickled(pickle.dumps(("key", ("value", [1])))))) == ("value", [1])
    site = make_site(tmp_path / "site", many_articles(parallel.MIN_TASKS + 6))
    load_article, workers = load.load_article, tmp_path / "workers"

    def slow(*args):  # long enough that the worker loads some, whoever forks first
        time.sleep(0.002)
        if parallel.in_worker():
            workers.touch()
        return load_article(*args)

    monkeypatch.setenv("GLOSSATOR_JOBS", "2")
    monkeypatch.setattr(load, "load_article", slow)
    cached, said = load.load_site(site, ArticleCache(site))
    plain, plain_said = load.load_site(site)
    assert workers.exists() and (site / ".glossator-cache/articles/a000.pickle").exists()
    assert cached.articles == plain.articles and said.items == plain_said.items


def test_an_article_with_the_longest_slug_is_kept_and_used(tmp_path, make_site, monkeypatch):
    """A slug may be 250 bytes (content/SLUG.yaml is 255): its entry's name is cut short with a digest, where
    "SLUG.pickle" was too long to write, silently, and each build loaded the article again. The next build uses it;
    an entry of an article gone is still removed."""
    from builder.read import load

    slug = "a" * 250
    site = make_site(tmp_path / "site", {**many_articles(1), f"content/{slug}.txt": "Long\n\nThe gangs met.\n",
                                         f"annotations/{slug}.yaml": "annotations:\n  - quote: gangs met\n    note: n\n"})
    monkeypatch.setenv("GLOSSATOR_JOBS", "1")
    build(site)
    (site / f"content/{slug}.txt").touch()  # inputs look changed: a real build
    loaded, load_article = [], load.load_article
    monkeypatch.setattr(load, "load_article", lambda *args: loaded.append(args) or load_article(*args))
    build(site)
    assert loaded == []  # both from the cache
    (site / "content/a000.txt").unlink()
    (site / "annotations/a000.yaml").unlink()
    build(site)
    [entry] = (site / ".glossator-cache/articles").iterdir()
    assert entry.name.startswith("a" * 200 + ".") and len(entry.name) < 255


def test_an_article_saved_while_it_loads_is_read_again_next_time(tmp_path, monkeypatch):
    """The cache keys an article by the bytes it was loaded from: a file saved just after loading read it (an
    editor saving during a build) must not leave the old article under the new file's key."""
    from builder.read import files

    site = site_copy(tmp_path)
    text = site / "content/gangs.txt"
    edited = text.read_text().replace("they said", "they told us")
    read = files.read

    def saved_meanwhile(path, rel, problems, *limit):
        data = read(path, rel, problems, *limit)
        if rel == "content/gangs.txt" and "they said" in data.decode():
            text.write_text(edited)  # the editor's save lands right after the read
        return data

    monkeypatch.setenv("GLOSSATOR_JOBS", "1")
    monkeypatch.setattr(files, "read", saved_meanwhile)
    build(site)
    assert "they told us" not in (site / "_site/articles/gangs/index.html").read_text()  # built from what was read
    monkeypatch.setattr(files, "read", read)
    build(site)
    assert "they told us" in (site / "_site/articles/gangs/index.html").read_text()


def test_a_corrupt_or_foreign_cache_is_rebuilt_never_trusted(tmp_path):
    site = site_copy(tmp_path)
    build(site, "--out", tmp_path / "plain", "--no-cache")
    build(site)
    entry = site / ".glossator-cache/articles/gangs.pickle"
    entry.write_bytes(b"\x00" * 40 + b"not a pickle")  # corrupt
    other = site / ".glossator-cache/articles/reply.pickle"
    data = other.read_bytes()
    other.write_bytes(bytes(32) + data[32:])  # a valid pickle under a signature that is not ours
    (site / "content/gangs.txt").touch()
    build(site, "--out", tmp_path / "again")
    assert tree(tmp_path / "again") == tree(tmp_path / "plain")
    assert entry.read_bytes()[:40] != b"\x00" * 40  # rewritten


def test_no_cache_writes_no_cache(tmp_path):
    site = site_copy(tmp_path)
    build(site, "--no-cache")
    assert not (site / ".glossator-cache").exists()


def test_a_renamed_file_is_not_served_from_the_cache(tmp_path, make_site):
    """x.txt renamed to x.md: the same bytes, read as Markdown now, and errors name the new file."""
    from builder.cache import ArticleCache
    from builder.read.load import load_site

    site = make_site(tmp_path, {"content/x.txt": "Title\n\nSome *emphasis* here.\n",
                                "annotations/x.yaml": "annotations:\n  - quote: Some emphasis here\n    note: n\n"})
    _, first = load_site(site, ArticleCache(site))  # as plain text, the stars are in the text
    assert [p.file for p in first.errors] == ["annotations/x.yaml"]
    (site / "content/x.txt").rename(site / "content/x.md")
    (site / "annotations/x.yaml").rename(site / "annotations/x.yml")
    model, problems = load_site(site, ArticleCache(site))
    assert problems.errors == []
    article = model.article("x")
    assert (article.kind, article.path, article.annotation_path) == ("md", "content/x.md", "annotations/x.yml")


def test_later_pages_see_what_earlier_pages_left_across_processes(tmp_path, monkeypatch):
    """Flag and tag pages reuse the passages the article pages rendered: in forked workers too, where
    what a worker leaves travels back to the parent, which hands it all to the workers before they make
    the later pages."""
    from builder.output import write_tree
    from builder.render import PageJob
    from builder.render.plan import Memo

    monkeypatch.setenv("GLOSSATOR_JOBS", "2")
    memo = Memo()
    n = parallel.MIN_TASKS + 6
    first = [PageJob(f"a{i}.txt", frozenset(), lambda: b"a", lambda i=i: {i: f"left by a{i} in {os.getpid()}".encode()}, memo)
             for i in range(n)]
    later = [PageJob(f"b{i}.txt", frozenset(), lambda i=i: memo.get(i, b"nothing"), later=True) for i in range(n)]
    write_tree(tmp_path, later + first, {})  # given in any order: the later ones still wait
    found = [(tmp_path / f"b{i}.txt").read_text() for i in range(n)]
    assert all(text.startswith(f"left by a{i} in ") for i, text in enumerate(found)), found[:3]
    assert str(os.getpid()) not in {text.rsplit(" ", 1)[1] for text in found}  # left in the workers, not here


def test_template_problems_come_in_page_order_though_the_later_pages_are_made_last_first(monkeypatch):
    """make_pages makes the later pages in reverse (the longest first, so the workers finish together):
    the problems it finds still come in page order, the earlier pages' first."""
    from builder.errors import Problem, ProblemError
    from builder.render import PageJob
    from builder.render.plan import make_pages

    def failing(path: str):
        def make() -> bytes:
            raise ProblemError(Problem(path, 1, 1, "broken"))
        return make

    monkeypatch.setenv("GLOSSATOR_JOBS", "2")
    n = parallel.MIN_TASKS + 6
    jobs = [PageJob(f"{kind}{i}", frozenset(), failing(f"{kind}{i}") if i % 3 == 0 else (lambda: b""), later=kind == "b")
            for kind in "ba" for i in range(n)]
    found = [p.file for p in make_pages(jobs, lambda job, data: None)]
    assert found == [f"a{i}" for i in range(0, n, 3)] + [f"b{i}" for i in range(0, n, 3)]


def test_the_search_index_is_the_same_whatever_order_pages_are_written_in(tmp_path, make_site, monkeypatch, request):
    """Workers finish in any order, and a folder may list its entries in any order: two builds give
    the same output, search index included, byte for byte."""
    files = {"site.toml": 'title = "t"\nbase_url = "https://example.org/"\n'}
    for i in range(parallel.MIN_TASKS + 6):
        files[f"content/a{i:03}.txt"] = f"Article {i}\n\nThe mayor said the {i} gangs met in town {i}.\n"
        files[f"annotations/a{i:03}.yaml"] = f'annotations:\n  - quote: "the {i} gangs met"\n    flags: [anonymous-source]\n    note: Who says so?\n'
    site = make_site(tmp_path / "site", files)
    # on tmpfs a folder lists entries in the order they were made (ext4 lists them by a hash of the name)
    shm = Path("/dev/shm")
    outs = Path(tempfile.mkdtemp(dir=shm)) if shm.is_dir() and os.access(shm, os.W_OK) else tmp_path
    request.addfinalizer(lambda: shutil.rmtree(outs, ignore_errors=True))
    build(site, "--out", outs / "one", "--no-cache")
    run = parallel.run

    def backwards(task, count, progress=None):  # the last page written first
        done = {i: task(i) for i in reversed(range(count))}
        return [done[i] for i in range(count)]

    monkeypatch.setattr(parallel, "run", backwards)
    build(site, "--out", outs / "two", "--no-cache")
    monkeypatch.setattr(parallel, "run", run)
    one, two = tree(outs / "one"), tree(outs / "two")
    assert any(name.startswith("search/data/t/") for name in one)
    assert sorted(one) == sorted(two) and [n for n in one if one[n] != two[n]] == []


def test_the_markdown_parser_is_made_before_the_pages_are_forked(tmp_path, make_site):
    """Plain text with a note in Markdown: the page plan makes the parser, in the process the workers
    are forked from (each worker making its own took 0.07 s per worker per wave); plain notes never need it,
    nor do notes whose only Markdown is simple emphasis."""
    from builder import markdown
    from builder.read.load import load_site
    from builder.render import plan

    for note, made in (("Plain words.", 0), ("Nobody is *named*.", 0), ("Nobody is `named`.", 1)):
        markdown.parser.cache_clear()
        site = make_site(tmp_path / str(made), {"content/a.txt": "One sentence here.\n",
                                                "annotations/a.yaml": f"annotations:\n  - quote: One sentence\n    note: {note}\n"})
        model, problems = load_site(site)
        assert not problems.errors and markdown.parser.cache_info().currsize == 0  # loading needed no parser
        plan(model)
        assert markdown.parser.cache_info().currsize == made


def test_a_site_with_more_texts_than_are_worth_reading_gets_the_parser_unread(monkeypatch):
    """Past LOOK_AT plain texts, the parser is made without reading the rest (reading each costs about 5 µs,
    making the parser about 0.03 s: at 4,000 articles the look took 0.17 s before the pages could start)."""
    from builder import markdown

    read = []
    monkeypatch.setattr(markdown, "LOOK_AT", 3)
    for texts, made in ((["Plain."] * 3, 0), (["Plain."] * 4, 1), (["Plain.", "`code`"], 1)):
        markdown.parser.cache_clear()
        markdown.ready(read.append(t) or t for t in texts)
        assert markdown.parser.cache_info().currsize == made
    assert len(read) == 3 + 4 + 2  # (the fourth plain text is taken, never looked at)


def test_a_build_without_the_cache_never_reads_the_builders_source(tmp_path):
    """The builder's source is hashed into the cache's keys, and only there: a build with --no-cache
    (and `check`) never reads it, in a git work tree too (it took 4 ms of every start)."""
    from builder import cache

    cache._code_version.cache_clear()
    build(site_copy(tmp_path), "--out", tmp_path / "out", "--no-cache")
    build(Path(__file__).parent.parent, "--out", tmp_path / "repo", "--no-cache")  # the repo's own site, in git
    assert cache._code_version.cache_info().currsize == 0
    build(site_copy(tmp_path / "again"), "--out", tmp_path / "cached")
    assert cache._code_version.cache_info().currsize == 1


def parallel_children() -> list:
    import multiprocessing

    return multiprocessing.active_children()


def test_parts_run_one_after_another_in_the_same_workers(monkeypatch):
    """parallel.kept: each part's results in order, from workers forked once for all the parts; what the
    parent does between parts (and `meanwhile`, here, while the workers start) changes nothing they hold."""
    monkeypatch.setenv("GLOSSATOR_JOBS", "2")
    n, seen = parallel.MIN_TASKS * 2, []

    def task(i):
        time.sleep(0.002)
        return i, os.getpid()

    with parallel.kept(task, n) as part:
        assert part.forked
        first = list(part(range(n // 2)))
        second = list(part(range(n // 2, n), meanwhile=lambda: seen.append(os.getpid())))
    assert [i for i, _ in first + second] == list(range(n))
    workers = {pid for _, pid in first}
    assert len(workers) == 2 and os.getpid() not in workers and {pid for _, pid in second} <= workers
    assert seen == [os.getpid()] and not parallel_children()


def test_a_part_given_up_midway_ends_its_workers_without_waiting_for_the_rest(monkeypatch):
    monkeypatch.setenv("GLOSSATOR_JOBS", "2")
    started = time.perf_counter()
    with pytest.raises(RuntimeError):
        with parallel.kept(lambda i: time.sleep(0.01) or i, 2000) as part:
            for i in part(range(2000)):
                if i == 5:
                    raise RuntimeError("given up")
    assert time.perf_counter() - started < 10 and not parallel_children()  # (2000 tasks would take 10 s)


def test_the_later_pages_reuse_the_passages_other_workers_rendered_or_render_them_where_none_are_handed(
        tmp_path, make_site, monkeypatch):
    """Each listed passage is rendered once, by the worker that made its article's page: the workers read the
    others' from the parent's handover. Where that cannot be written (a full disk, no temporary folder), a
    worker renders the passages it lacks again: the same site."""
    import importlib

    from builder.render import runtime

    plan = importlib.import_module("builder.render.plan")  # (the module: builder.render.plan names its function)
    renders = tmp_path / "renders"
    render = runtime.render

    def counted(template, names, *whole):
        if template.name == "_passage.html":
            with open(renders, "a") as f:
                f.write(f"{names['p']['id']} {os.getpid()}\n")
            time.sleep(0.005)  # (a page takes this long at least: the forked worker has its share even where it
        return render(template, names, *whole)  # starts late, on a machine running other tests)

    monkeypatch.setattr(runtime, "render", counted)
    monkeypatch.setenv("GLOSSATOR_JOBS", "1")
    files = many_articles(parallel.MIN_TASKS + 6)
    files["annotations/a001.yaml"] += "    tags: [gangs]\n"
    site = make_site(tmp_path / "site", files)
    build(site, "--out", tmp_path / "one", "--no-cache")
    listed = len(renders.read_text().splitlines())
    assert listed == parallel.MIN_TASKS + 6
    monkeypatch.setenv("GLOSSATOR_JOBS", "2")
    for name, broken in (("handed", None), ("no file", "TemporaryFile"), ("cut short", "_write")):
        renders.unlink()
        if broken == "TemporaryFile":
            monkeypatch.setattr(plan.tempfile, "TemporaryFile", lambda: (_ for _ in ()).throw(OSError(28, "full")))
        if broken == "_write":
            monkeypatch.undo()
            monkeypatch.setattr(runtime, "render", counted)
            monkeypatch.setenv("GLOSSATOR_JOBS", "2")
            monkeypatch.setattr(plan, "_write", lambda *args: (_ for _ in ()).throw(OSError(28, "full")))
        build(site, "--out", tmp_path / name, "--no-cache")
        made = renders.read_text().splitlines()
        assert len({line.split()[1] for line in made}) == 2, name  # in both workers
        assert (len(made) == listed) == (broken is None), (name, len(made))
        assert tree(tmp_path / name) == tree(tmp_path / "one"), name


def many_articles(count: int) -> dict[str, str]:
    files = {"site.toml": 'title = "t"\nbase_url = "https://example.org/"\n'}
    for i in range(count):
        files[f"content/a{i:03}.txt"] = f"Article {i}\n\nThe mayor said the {i} gangs met in town {i}.\n"
        files[f"annotations/a{i:03}.yaml"] = f'annotations:\n  - quote: "the {i} gangs met"\n    flags: [anonymous-source]\n    note: Who says so?\n'
    return files


def test_the_search_index_made_beside_the_last_pages_is_the_one_made_after_them(tmp_path, make_site):
    """The index's merge runs in the build's process while the workers make the flag, tag and graph pages
    (nothing of static/ in it): the same index as when it waits for every page and static/'s files (a page
    static/ replaces)."""
    files = many_articles(parallel.MIN_TASKS + 6)
    site = make_site(tmp_path / "site", files)
    build(site, "--out", tmp_path / "beside", "--no-cache")
    files["static/about.txt"] = "about"
    files["static/articles/a000/index.html"] = (tmp_path / "beside/articles/a000/index.html").read_text()
    other = make_site(tmp_path / "other", files)
    build(other, "--out", tmp_path / "after", "--no-cache")
    beside, after = tree(tmp_path / "beside"), tree(tmp_path / "after")
    index = [path for path in beside if path.startswith("search/data/")]
    assert len(index) > parallel.MIN_TASKS
    assert {path: beside[path] for path in index} == {path: after[path] for path in index}


def test_a_search_index_that_fails_beside_the_last_pages_publishes_nothing(tmp_path, make_site, monkeypatch):
    """A full disk met by the index's merge, while the workers make the later pages: said as the output's
    problem, nothing published, no worker left behind."""
    from builder import search

    def full(*args, **kwargs):
        (tmp_path / "merged by").write_text(str(os.getpid()))
        raise OSError(28, "No space left on device")

    site = make_site(tmp_path / "site", many_articles(parallel.MIN_TASKS + 6))
    monkeypatch.setattr(search, "_merge", full)
    result = CliRunner().invoke(main, ["build", str(site), "--out", str(tmp_path / "out"), "--no-cache"])
    assert result.exit_code == 1
    assert "out:1:1: error: cannot write the site here: No space left on device; nothing was written" in result.stderr
    assert int((tmp_path / "merged by").read_text()) == os.getpid()  # in the build's process, beside the workers
    assert not parallel_children()
    assert not (tmp_path / "out").exists() and sorted(p.name for p in tmp_path.iterdir()) == ["merged by", "site"]


def test_a_signal_held_while_another_thread_runs_waits_until_the_block_ends():
    """`held` blocked Ctrl-C in the calling thread alone: with another thread alive (serve's server, a test's
    leftover), the kernel handed the signal to that thread and Python ran the handler at once, in the middle
    of the renames `reanchor --write` holds it for (CI saw half of them written). It now waits for the end."""
    import threading
    import time

    from builder.parallel import held

    got = []
    before = signal.signal(signal.SIGINT, lambda *_: got.append(time.monotonic()))
    other = threading.Event()
    threading.Thread(target=other.wait, args=(10,), daemon=True).start()
    try:
        with held():
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)
            inside = list(got)
        assert (inside, len(got)) == ([], 1)
    finally:
        other.set()
        signal.signal(signal.SIGINT, before)
