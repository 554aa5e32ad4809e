"""SITE/.glossator-cache: loaded-and-anchored articles, keyed by the content of their inputs.

An entry is used only when its key (the builder's version, the site's config, the article's
two files) matches and its signature checks out: the signature uses a secret kept in the
user's own cache folder, so a cache folder that came with a downloaded site is never
unpickled. Anything stale, corrupt or foreign is ignored and rewritten. Deleting the folder
costs only time.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import pickle
from pathlib import Path

from . import __version__

FOLDER = ".glossator-cache"


def _secret() -> bytes | None:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "glossator"
    path = base / "secret"
    try:
        if not path.exists():
            base.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(os.urandom(32))
        return path.read_bytes()
    except OSError:
        return None


def _code_version() -> bytes:
    """The builder's own source: a cache written by other code is never trusted."""
    h = hashlib.blake2b(__version__.encode(), digest_size=20)
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        h.update(path.read_bytes())
    return h.digest()


CODE = _code_version()


def digest(*parts: bytes) -> str:
    h = hashlib.blake2b(digest_size=20)
    h.update(CODE)
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


class ArticleCache:
    def __init__(self, site: Path):
        self.folder = site / FOLDER / "articles"
        self.secret = _secret()

    def _path(self, slug: str) -> Path:
        return self.folder / f"{slug}.pickle"

    def get(self, slug: str, key: str):
        if self.secret is None:
            return None
        try:
            blob = self._path(slug).read_bytes()
        except OSError:
            return None
        signature, payload = blob[:32], blob[32:]
        if not hmac.compare_digest(signature, hmac.new(self.secret, payload, "sha256").digest()):
            return None
        try:
            stored_key, value = pickle.loads(payload)
        except Exception:  # corrupt: rebuild
            return None
        return value if stored_key == key else None

    def put(self, slug: str, key: str, value) -> None:
        if self.secret is None:
            return
        try:
            payload = pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL)
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = self._path(slug).with_suffix(".tmp")
            tmp.write_bytes(hmac.new(self.secret, payload, "sha256").digest() + payload)
            os.replace(tmp, self._path(slug))
        except (OSError, pickle.PicklingError):
            pass

    def prune(self, slugs) -> None:
        """Drop entries of articles that no longer exist."""
        if not self.folder.is_dir():
            return
        for path in self.folder.glob("*.pickle"):
            if path.stem not in slugs:
                path.unlink(missing_ok=True)
