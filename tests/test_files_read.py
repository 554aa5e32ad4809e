"""files.read asks the system for as many bytes as the file holds, and still reads a file whose size it
cannot know beforehand (a pipe, a file that grows) whole, up to the limit."""
from __future__ import annotations

import contextlib
import os
import threading

import pytest

from builder.errors import Problems
from builder.read import files


def test_a_file_is_read_whole(tmp_path):
    path = tmp_path / "a.txt"
    for data in (b"", b"x", "Déjà vu.\n".encode() * 5000):
        path.write_bytes(data)
        assert files.read(path, "a.txt", Problems()) == data


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_whose_size_is_unknown_is_read_whole(tmp_path):
    path = tmp_path / "pipe.txt"
    os.mkfifo(path)
    data = b"text that the system gives size 0 beforehand\n" * 100

    def write():
        with open(path, "wb") as f:
            f.write(data)

    writer = threading.Thread(target=write)
    writer.start()
    problems = Problems()
    assert files.read(path, "pipe.txt", problems) == data
    writer.join()
    assert not problems.items


def test_a_pipe_that_passes_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MAX_BYTES", 1000)
    path = tmp_path / "pipe.txt"
    os.mkfifo(path)

    def write():
        with open(path, "wb") as f, contextlib.suppress(BrokenPipeError):
            f.write(b"x" * 5000)

    writer = threading.Thread(target=write)
    writer.start()
    problems = Problems()
    assert files.read(path, "pipe.txt", problems) is None
    writer.join()
    assert "reads articles of at most" in problems.items[0].message
