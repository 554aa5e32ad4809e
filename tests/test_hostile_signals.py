"""Ctrl-C and kill -9 in the middle of a build that runs on several cores: it stops, says so, and
leaves the published site as it was and no process behind."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PARAGRAPH = "The harbour board met on Tuesday. Officials said the ferry contract was signed in March. " * 40


def many_articles(site: Path, count: int = 200) -> Path:
    (site / "content").mkdir(parents=True)
    (site / "site.toml").write_text('title = "T"\nbase_url = "https://example.org/"\n')
    for i in range(count):
        (site / "content" / f"a{i}.txt").write_text(f"Article {i}\n\n" + (PARAGRAPH + "\n\n") * 10)
    return site


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def as_in_a_terminal() -> None:
    """SIGHUP, SIGTERM and SIGINT at their defaults, as in a terminal, whatever the tests' own caller ignores (nohup;
    a shell's background job starts with SIGINT ignored, which the build keeps so: test_serve.py's Ctrl-C-ignored)."""
    for ending in (signal.SIGHUP, signal.SIGTERM, signal.SIGINT):
        signal.signal(ending, signal.SIG_DFL)


def start_build(site: Path, out: Path, preexec=as_in_a_terminal) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GLOSSATOR_JOBS": "2"}
    return subprocess.Popen([sys.executable, "-m", "builder", "build", str(site), "--out", str(out), "--no-cache"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            start_new_session=True, preexec_fn=preexec)


def when_workers_run(build: subprocess.Popen) -> list[int]:
    """The build's worker processes, once it has forked them (and given them a moment to work)."""
    deadline = time.monotonic() + 60
    while not (workers := children(build.pid)) and build.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    if not workers:
        pytest.skip("the build never forked workers here")
    time.sleep(0.3)
    return workers


def built_then_changed(tmp_path: Path) -> tuple[Path, Path, dict]:
    """A site of many articles built into `out`, then an article changed: the site, out, and out's files."""
    site = many_articles(tmp_path / "site")
    out = tmp_path / "out"
    assert start_build(site, out).wait(120) == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (site / "content" / "a0.txt").write_text("Changed\n\nA new text.\n")
    return site, out, before


def stderr_once_ended(build: subprocess.Popen) -> str:
    """What a signalled build wrote on stderr, once it has ended (it fails the test if it hangs)."""
    try:
        return build.communicate(timeout=30)[1]
    except subprocess.TimeoutExpired:
        os.killpg(build.pid, signal.SIGKILL)
        build.communicate()
        pytest.fail("the signalled build hangs")


def ctrl_c_once_told(command: list[str], delay: float, env: dict) -> tuple[bool, subprocess.Popen, str]:
    """Run `command`, which writes a byte to the file descriptor in env["TOLD"] (or its argument "{told}") once the
    moment to time from has come; send it Ctrl-C `delay` seconds after. (Whether it told, the process, its stderr.)"""
    ready, told = os.pipe()
    run = subprocess.Popen([str(told) if a == "{told}" else a for a in command], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, pass_fds=(told,), preexec_fn=as_in_a_terminal,
                           env={**os.environ, "PYTHONPATH": str(ROOT), "TOLD": str(told), **env})
    os.close(told)
    started = os.read(ready, 1)
    os.close(ready)
    time.sleep(delay)
    run.send_signal(signal.SIGINT)
    return bool(started), run, stderr_once_ended(run)


def gone(pid: int, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            if state == "Z":  # dead, its parent not yet told
                return True
        except (ProcessLookupError, FileNotFoundError):
            return True
        time.sleep(0.05)
    return False


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
@pytest.mark.parametrize("group", [True, False], ids=["ctrl-c", "kill-int"])
def test_ctrl_c_while_workers_render_stops_the_build_and_keeps_the_site(tmp_path, group):
    """Ctrl-C in a terminal interrupts the whole process group: each worker used to die printing a
    KeyboardInterrupt traceback (and a pool can wait for ever for a dead worker's task). The parent
    alone (`kill -INT`) could hang in Pool.terminate, writing to the pipe the workers' unread results
    had filled. Either way the build now ends at once, exit 130, in one line."""
    site, out, before = built_then_changed(tmp_path)
    build = start_build(site, out)
    # once pages are being written: a moment after the first workers fork (the loading wave), a quick
    # machine had sometimes published already (exit 0), or was exiting after it (exit 130, site changed)
    if not when_publishing(build, out, "articles"):
        build.kill()
        pytest.skip("the build ended before it could be stopped there")
    (os.killpg if group else os.kill)(build.pid, signal.SIGINT)
    err = stderr_once_ended(build)
    assert build.returncode == 130, err
    assert err.strip().splitlines()[-1] == "interrupted" and "Traceback" not in err, err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
def test_a_build_killed_outright_takes_its_workers_with_it(tmp_path):
    """kill -9 of the build: its workers used to run on, then print a traceback of a broken pipe into
    the user's terminal. They now end with it, and the next build publishes the site."""
    site = many_articles(tmp_path / "site")
    out = tmp_path / "out"
    build = start_build(site, out)
    workers = when_workers_run(build)
    os.kill(build.pid, signal.SIGKILL)
    build.wait()
    try:
        assert all(gone(w, 10) for w in workers), "the workers outlive the build"
    finally:
        for w in workers:
            try:
                os.kill(w, signal.SIGKILL)
            except ProcessLookupError:
                pass
    _, err = build.communicate()
    assert "Traceback" not in err, err
    again = start_build(site, out)
    _, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    assert (out / "articles" / "a199" / "index.html").is_file()


def test_ctrl_c_before_a_command_runs_is_one_line_not_a_traceback(tmp_path):
    """Ctrl-C while click still reads the arguments (or a module loads) was outside the commands'
    own handler: a KeyboardInterrupt traceback and exit 1."""
    script = ("from builder import cli\n"
              "def interrupted(**kwargs):\n    raise KeyboardInterrupt\n"
              "cli.main = interrupted\ncli.run()\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert (done.returncode, done.stderr) == (130, "interrupted\n")


def test_ctrl_c_while_the_program_loads_is_one_line_not_a_traceback():
    """Ctrl-C in the first half second, while `glossator` imported click (an outside audit: a traceback, 3 of 10
    times): the entry point (builder.__main__.main, which `python3 -m builder` runs too) answers it."""
    script = ("import builtins, sys\nreal = builtins.__import__\n"
              "def slow(name, *args, **kwargs):\n"
              "    if name == 'click':\n        raise KeyboardInterrupt\n"
              "    return real(name, *args, **kwargs)\n"
              "builtins.__import__ = slow\nfrom builder.__main__ import main\nmain()\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert (done.returncode, done.stderr) == (130, "interrupted\n")


@pytest.mark.parametrize("command", ["build", "check", "reanchor"])
def test_ctrl_c_at_any_moment_of_the_first_300_ms_is_one_line_never_a_traceback(tmp_path, command):
    """An outside audit sent Ctrl-C 0 to 300 ms into a command: a traceback 15 times in 40, landing while `run` imported
    what its Ctrl-C handler needs (exit -2), or "Aborted!" and exit 1 from click while it read the arguments.
    The clock starts at the program's first line (builder.__main__ imported): before it Python itself is starting
    (its site hooks, runpy, the `glossator` script's own `import re`), and says any Ctrl-C there its own way."""
    site = many_articles(tmp_path / "site", 3)
    out = tmp_path / "out"
    assert start_build(site, out).wait(120) == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (site / "content" / "a0.txt").write_text("Changed\n\nA new text.\n")
    args = [command, str(site)] + (["--out", str(out), "--no-cache"] if command == "build" else [])
    # (named as the `glossator` script is: its first line of ours, builder/__init__, takes Ctrl-C over; as `-c`, the
    # moment between telling and main() was this test's own, and under load a Ctrl-C there was a traceback of it)
    program = ("import os, sys\nsys.argv[0] = 'glossator'\nfrom builder.__main__ import main\nos.write(int(sys.argv[1]), b'.')\n"
               "sys.argv[1:2] = []\nmain()\n")
    for delay in [i * 0.3 / 19 for i in range(20)]:
        started, run, err = ctrl_c_once_told([sys.executable, "-c", program, "{told}", *args], delay, {})
        assert started and "Traceback" not in err, f"{delay * 1000:.0f} ms: {err}"
        assert run.returncode in (0, 130), f"{delay * 1000:.0f} ms: exit {run.returncode}: {err}"
        if run.returncode == 130:
            assert err == "interrupted\n", f"{delay * 1000:.0f} ms: {err}"
            assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
        else:  # (done before the Ctrl-C came)
            before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}


# The `glossator` script as pip writes it, with one line more: a finder that says when Python looks for builder/__main__
# (builder/__init__, the program's first line, has run; Python's start and the script's imports are before it).
SCRIPT = """import os, re, sys
class Told:
    def find_spec(name, path=None, target=None):
        if name == "builder.__main__":
            os.write(int(os.environ["TOLD"]), b".")
sys.meta_path.insert(0, Told)
from builder.__main__ import main
if __name__ == '__main__':
    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])
    sys.exit(main())
"""


def test_ctrl_c_while_the_glossator_script_loads_the_program_is_one_line_never_a_traceback(tmp_path):
    """The `glossator` script imports builder.__main__, then calls main(), which took Ctrl-C over: a Ctrl-C
    in between (Python finding and loading builder/__main__, the script's own `re.sub`, about 1.5 ms) was a
    KeyboardInterrupt traceback, 28 times in 40. builder/__init__, the first of ours that runs, takes it over now."""
    site = many_articles(tmp_path / "site", 3)
    script = tmp_path / "bin" / "glossator"  # (named so: the program is told by its name)
    script.parent.mkdir()
    script.write_text(SCRIPT)
    for delay in [i * 0.002 / 14 for i in range(15)]:
        started, run, err = ctrl_c_once_told([sys.executable, str(script), "check", str(site)], delay, {})
        assert started and (run.returncode, err) == (130, "interrupted\n"), f"{delay * 1000:.2f} ms: {err}"


def test_ctrl_c_in_the_callback_that_frees_an_import_lock_comes_just_after_it_never_as_a_traceback():
    """A command imports modules as it goes: Ctrl-C that landed in importlib's callback that frees a module's lock
    (1 time in 60 above) was printed there, "Exception ignored in: <function _get_module_lock.<locals>.cb>" and a
    traceback, and lost until a checkpoint. It now comes once the callback is done. (Here a callback named as
    importlib's, whose moment can be chosen.)"""
    script = ("import os, signal, sys, time, weakref\nfrom builder import parallel\n"
              "signal.signal(signal.SIGINT, parallel.on_ctrl_c)\nnames = {'os': os, 'signal': signal}\n"
              "exec(compile('def cb(ref):\\n    os.kill(os.getpid(), signal.SIGINT)\\n    for i in range(1000):\\n        pass\\n',"
              " '<frozen importlib._bootstrap>', 'exec'), names)\n"
              "class Lock:\n    pass\nlock = Lock()\nref = weakref.ref(lock, names['cb'])\n"
              "try:\n    del lock\n    time.sleep(2)  # (the build going on)\n    print('not interrupted')\n"
              "except KeyboardInterrupt:\n    print('interrupted', file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, preexec_fn=as_in_a_terminal)
    assert (done.stdout, done.stderr) == ("", "interrupted\n")


def test_a_closed_standard_output_is_no_traceback(tmp_path):
    """`glossator build SITE >&-` (a CI step that closes it): the site is built and it exits 0; it ended with an
    AttributeError traceback and exit 1 (an outside audit)."""
    site = many_articles(tmp_path / "site", 3)
    for command in (["check", str(site)], ["build", str(site)]):
        done = subprocess.run([sys.executable, "-m", "builder", *command], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, pass_fds=(), close_fds=True,
                              preexec_fn=lambda: os.close(1))
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert (site / "_site" / "index.html").is_file()


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # the swallowed one, printed
def test_a_ctrl_c_swallowed_where_it_landed_still_stops_the_build(monkeypatch):
    """A Ctrl-C that lands in a weakref callback (as when a wave's locks are freed) is only printed there
    ("Exception ignored"): the build went on and published, exit 0. The next checkpoint raises it again."""
    import weakref

    from builder import parallel

    monkeypatch.setattr(parallel, "_INTERRUPTED", False)
    monkeypatch.setattr(parallel, "_TOO_LATE", False)  # (an in-process build that published before left it set)
    done = []

    def task(i: int) -> int:
        done.append(i)
        if i == 1:
            weakref.finalize(type("Lock", (), {})(), lambda: os.kill(os.getpid(), signal.SIGINT) or time.sleep(1))
        return i

    old = signal.signal(signal.SIGINT, parallel.on_ctrl_c)
    try:
        with pytest.raises(KeyboardInterrupt):
            parallel.run(task, 5)  # (in this process: too few tasks to fork for)
    finally:
        signal.signal(signal.SIGINT, old)
    assert done == [0, 1]


def when_publishing(build: subprocess.Popen, out: Path, inside: str) -> bool:
    """Wait until the build writes its new folder beside `out` (and `inside` it, if given)."""
    deadline = time.monotonic() + 60
    while build.poll() is None and time.monotonic() < deadline:
        for fresh in out.parent.glob(f".{out.name}.new-*"):
            if not inside or (fresh / inside).exists():
                return True
        time.sleep(0.005)
    return False


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
@pytest.mark.parametrize("inside", ["", "search"], ids=["page-waves", "search-wave"])
@pytest.mark.parametrize("ending", [signal.SIGTERM, signal.SIGHUP], ids=["sigterm", "sighup"])
def test_sigterm_or_sighup_while_publishing_leaves_nothing_beside_the_site(tmp_path, inside, ending):
    """SIGTERM (what `timeout`, CI runners and `docker stop` send, to the whole process group) ended the
    build at once, silently, exit -15, leaving a half-written site beside the output (megabytes, until
    some later build) and its lock file. It still ends at once, but tidily: exit 143, one line."""
    site, out, before = built_then_changed(tmp_path)
    build = start_build(site, out)
    if not when_publishing(build, out, inside):
        build.kill()
        pytest.skip("the build ended before it could be stopped there")
    workers = children(build.pid)
    os.killpg(build.pid, ending)  # (SIGHUP: the terminal closed)
    err = stderr_once_ended(build)
    assert (build.returncode, err) == (128 + ending, "terminated\n")
    assert all(gone(w, 10) for w in workers), "the workers outlive the build"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
def test_a_sighup_that_nohup_ignores_stays_ignored(tmp_path):
    """`nohup glossator build`: the terminal closing must not end the build, nor its workers."""
    site, out, _ = built_then_changed(tmp_path)
    build = start_build(site, out, preexec=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN))
    if not when_publishing(build, out, ""):
        build.kill()
        pytest.skip("the build ended before it could be signalled there")
    os.killpg(build.pid, signal.SIGHUP)
    assert build.wait(120) == 0, build.communicate()[1]
    assert (out / "articles" / "a0" / "index.html").read_text().count("A new text.") >= 1


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
def test_a_ctrl_c_that_the_caller_ignores_stays_ignored(tmp_path):
    """`glossator build &` in a shell script starts with SIGINT ignored (a Ctrl-C is for the script's foreground
    command): it was ignored while Python loaded, then honoured once the command ran, the build ending or not
    by when the key was pressed. It now stays ignored throughout, as an ignored SIGHUP does."""
    site, out, _ = built_then_changed(tmp_path)

    def ignoring_ctrl_c():
        as_in_a_terminal()
        signal.signal(signal.SIGINT, signal.SIG_IGN)

    build = start_build(site, out, preexec=ignoring_ctrl_c)
    if not when_publishing(build, out, "articles"):
        build.kill()
        pytest.skip("the build ended before it could be signalled there")
    os.killpg(build.pid, signal.SIGINT)
    err = stderr_once_ended(build)
    assert build.returncode == 0 and "interrupted" not in err, err
    assert (out / "articles" / "a0" / "index.html").read_text().count("A new text.") >= 1


def test_sigterm_just_as_the_new_folder_is_made_leaves_nothing_beside_the_site(tmp_path):
    """Under load (the browser tests running beside it), SIGHUP came just after the build had made its new
    folder beside the output, before the folder was marked as the build's and registered to be removed: an
    empty folder stayed there for good, which no later build would know as its own. The folder is now made,
    marked and registered with the signals held. (Here the signal is sent from inside the making.)"""
    site = many_articles(tmp_path / "site", count=3)
    out = tmp_path / "out"
    script = f"""
import os, signal, sys
from builder import cli, output
make = output._beside
def beside(out, kind):
    folder = make(out, kind)
    if kind == "new":
        os.kill(os.getpid(), signal.SIGTERM)
    return folder
output._beside = beside
sys.argv = ["glossator", "build", {str(site)!r}, "--out", {str(out)!r}, "--no-cache"]
cli.run()
"""
    done = subprocess.run([sys.executable, "-c", script], env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
                          text=True, timeout=120, preexec_fn=as_in_a_terminal)
    assert (done.returncode, done.stderr) == (128 + signal.SIGTERM, "terminated\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_ctrl_c_once_the_new_site_is_published_is_too_late_to_stop_the_build(tmp_path):
    """Ctrl-C that came after the new site was swapped in, while the build recorded and said what it did, was
    answered "interrupted" and exit 130, as if nothing had been published, with the new site out (CI, the
    Ctrl-C test of the first 300 ms under load). The build is done then: it says so, and exits 0."""
    site = many_articles(tmp_path / "site", count=3)
    out = tmp_path / "out"
    script = f"""
import os, signal, sys
from builder import build, cli
publish = build.publish
def published(*args, **kwargs):
    publish(*args, **kwargs)
    os.kill(os.getpid(), signal.SIGINT)
build.publish = published
sys.argv = ["glossator", "build", {str(site)!r}, "--out", {str(out)!r}, "--no-cache"]
cli.run()
"""
    done = subprocess.run([sys.executable, "-c", script], env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
                          text=True, timeout=120, preexec_fn=as_in_a_terminal)
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    assert done.stdout.startswith("built 3 articles") and (out / "index.html").is_file()


@pytest.mark.parametrize("command, module, name", [("check", "cli", "report"), ("reanchor", "reanchor.site", "patches")])
def test_ctrl_c_once_check_or_reanchor_has_found_everything_lets_it_say_all_of_it(tmp_path, command, module, name):
    """Ctrl-C that came once `check` or `reanchor` had found everything, as it said it, cut its report short
    and answered "interrupted", exit 130, under what it had said. It now says all of it and exits as it would."""
    site = many_articles(tmp_path / "site", count=3)
    script = f"""
import os, signal, sys
from builder import cli
import builder.{module} as module
then = module.{name}
def told(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGINT)
    return then(*args, **kwargs)
module.{name} = told
sys.argv = ["glossator", {command!r}, {str(site)!r}]
cli.run()
"""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    plain = subprocess.run([sys.executable, "-m", "builder", command, str(site)], env=env, capture_output=True, text=True, timeout=120)
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120,
                          preexec_fn=as_in_a_terminal)
    assert (done.returncode, done.stdout, done.stderr) == (plain.returncode, plain.stdout, plain.stderr)
    assert "interrupted" not in done.stderr
