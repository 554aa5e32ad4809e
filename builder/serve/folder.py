"""serve's output folder: pages and static files written only when their bytes change (known by digest),
a static file winning over a page of the same name, as in a build."""
from __future__ import annotations

import errno
import hashlib
from pathlib import Path

from ..errors import ProblemError
from ..output import remove_file, static_files, write_atomic
from ..render import ASSETS


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


class ServeFolder:
    """What serve has written to its output folder, by digest."""

    def __init__(self, site: Path, out: Path):
        self.out = out
        self.digests: dict[str, bytes] = {}  # page path -> digest of the bytes written there
        self.static_digests: dict[str, bytes] = {}  # static file's path -> digest of the bytes copied there
        self._inside = out.resolve().is_relative_to(site)  # the serve folder goes with the site's

    def forget(self) -> None:
        """Nothing is known to be written (a new site folder: everything is written anew)."""
        self.digests, self.static_digests = {}, {}

    def write_page(self, path: str, data: bytes) -> bool:
        """Write a page unless its bytes are there already, or a static file has its name; whether written."""
        if path in self.static_digests:  # a static file of the same name wins, as in a build
            return False
        digest = _digest(data)
        if self.digests.get(path) == digest:
            return False
        self.write(path, data)
        self.digests[path] = digest
        return True

    def write(self, rel: str, data: bytes) -> None:
        if self._inside and not self.out.is_dir():  # never made again under a site folder that went (see Preview._update)
            raise FileNotFoundError(errno.ENOENT, "the preview folder is gone", str(self.out))
        write_atomic(self.out, rel, data)

    def copy_statics(self, site: Path, pages) -> tuple[list[str], set[str]]:
        """Copy the static files that changed, remove those that went: (the paths changed, the pages of
        `pages` to render again, where a static file that stood in their place went)."""
        changed, again = [], set()
        try:
            copies = static_files(site, ASSETS)
        except (OSError, ProblemError):
            copies = {}
        for rel, source in copies.items():
            try:
                data = source.read_bytes()
            except OSError:
                continue
            digest = _digest(data)
            if self.static_digests.get(rel) != digest:
                self.write(rel, data)
                self.static_digests[rel] = digest
                changed.append(rel)
        for rel in set(self.static_digests) - set(copies):
            del self.static_digests[rel]
            if rel not in pages:
                remove_file(self.out, rel)
            else:
                self.digests.pop(rel, None)
                again.add(rel)
            changed.append(rel)
        return changed, again
