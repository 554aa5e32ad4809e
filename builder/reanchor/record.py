"""Without git, the nearest thing to history: SITE/.glossator-cache/anchored/<slug>.json, the article's text
as its annotation file last anchored cleanly in a build (or in serve), and the anchoring values each annotation
had then. An annotation whose values are still those was written against that text, as git's "version the
annotation was written against" says (versions.py); one whose values changed since was written against the text
now. Signed as the cache's entries are: a record that came with a downloaded site is no record, nor is a corrupt
one. Deleting it costs only what it protects: then the text alone decides.
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from pathlib import Path

import orjson

from .. import parallel
from ..cache import _secret, entry_name, own_folder, read_plain
from ..errors import Problems
from ..output import write_atomic
from .changed import normal

FOLDER = "anchored"


@dataclass(frozen=True, slots=True)
class Record:
    """What an article's annotation file last anchored against, cleanly."""

    kind: str  # its format then ("txt" or "md")
    data: bytes  # its bytes then
    digest: str  # the digest of its visible text then (`text_digest`): whether the text changed since
    values: dict  # annotation id -> `values_digest` of its anchoring values then
    body: tuple  # the body quotes then (start, end), as re-anchoring compares them; None where not set

    def written_against(self, target_id: str, fields) -> bool:
        """Whether an annotation (or body bound, by id, and its fields now) still has the values it had when this was
        recorded."""
        return self.values.get(target_id) == values_digest(fields.quote, fields.prefix, fields.suffix, fields.occurrence)


def text_digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def values_digest(quote: str, prefix: str | None, suffix: str | None, occurrence: int | None) -> str:
    """The digest of anchoring values as anchoring compares them: restyling them (curly or straight quotes, white
    space) is no sign the passage was looked at again."""
    values = "\x1f".join(normal(v) if isinstance(v, str) else "\x1e" if v is None else str(v)
                          for v in (quote, prefix, suffix, occurrence))
    return hashlib.blake2b(values.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def _now(article) -> tuple[str, dict, tuple]:
    """(text digest, values by id, body quotes) of a loaded article, as a record keeps them."""
    values = {a.id: values_digest(a.quote.text, a.quote.prefix, a.quote.suffix, a.quote.occurrence)
              for a in (*article.annotations, *article.unanchored)}
    bounds = (("body.start", article.meta.body_start), ("body.end", article.meta.body_end))
    values.update((name, values_digest(q.text, None, None, None)) for name, q in bounds if q is not None)
    return text_digest(article.flow.text), values, tuple(normal(q.text) if q is not None else None for _, q in bounds)


def recorded_drift(site: Path, articles, problems: Problems, records: Records, write: bool) -> None:
    """Without git: drift reported as with git (reanchor.changed.report_drift), for the annotations that still have
    the values they had when their article's record was kept, against the text it kept; and, with `write`, a new
    record for each annotated article that anchors cleanly (no error in its two files) and differs from its record.
    An article whose text and values are as recorded costs a look at its record, nothing more. The articles are
    shared among the workers (a cold build writes a record of each: done one after another, they cost a tenth of
    the build's loading)."""
    broken = {p.file for p in problems.items if p.severity == "error"}
    annotated = [a for a in articles if a.annotation_path and not a.unread]
    if records.list() or write:  # (once, here: the workers forked next know them)
        records.key()

    def examine(i: int) -> tuple[list, bool]:
        """(the drift found, whether a record was written) for one annotated article."""
        article = annotated[i]
        rec = records.get(article.slug)
        digest, values, body = _now(article)
        same = rec is not None and rec.digest == digest and rec.body == body
        if same and rec.values == values:
            return [], False
        found, check = Problems(), None
        if rec is not None and not same and any(rec.values.get(k) == v for k, v in values.items()):
            from .changed import report_drift  # (here: the aligner is loaded only when an article changed since its record)
            from .site import _work, examined

            check, bounds, targets = _work(site, article.flow, article.path, article.kind, article.annotation_path,
                                           (*article.annotations, *article.unanchored),
                                           (("body.start", article.meta.body_start), ("body.end", article.meta.body_end)),
                                           None, rec)
            report_drift(examined(check, bounds, [t for t in targets if rec.written_against(t.id, t.fields)]), found)
        if not write or any(p.severity == "error" for p in found.items) or {article.path, article.annotation_path} & broken:
            return found.items, False
        try:  # (the bytes examining read, else read now: a record is written only when the article changed)
            data = check.content_bytes if check is not None else (site / article.path).read_bytes()
        except OSError:
            return found.items, False
        return found.items, records.put(article.slug, Record(article.kind, data, digest, values, body))

    for article, (found, wrote) in zip(annotated, parallel.share(examine, len(annotated)), strict=True):
        problems.items.extend(found)
        if wrote:  # (serve asks again after writing: the workers' writes are not in this process's listing)
            records.listed(article.slug)


class Records:
    """The records of a site: read by check, build, serve and reanchor; written by build and serve only (check
    writes nothing)."""

    def __init__(self, site: Path):
        self.folder = own_folder(site, FOLDER)  # None: not usable (a link, not a folder), no record read nor written
        self._secret: bytes | None | bool = False  # the key that signs records, looked up once needed (False: not yet)
        self._listed = None

    def key(self) -> bytes | None:
        """The key that signs records (the cache's own), or None (no cache folder of the user's: none read nor
        written). Looked up only where a record is read or written: `check` on a site never built touches none."""
        if self._secret is False:
            self._secret = _secret() if self.folder is not None else None
        return self._secret

    def get(self, slug: str) -> Record | None:
        """The record of an article, or None (none kept, corrupt or foreign)."""
        name = entry_name(slug, ".json")
        if name not in self.list() or self.key() is None:
            return None
        try:
            raw = orjson.loads(read_plain(self.folder / name))
            signature = str(raw.pop("signature", "")).encode()
            if not hmac.compare_digest(signature, self._sign(raw)):
                return None  # (a .txt since replaced by a .md is the same article: its record says which kind it was)
            body = raw["body"]
            return Record(raw["kind"], raw["text"].encode("utf-8"), raw["digest"], dict(raw["values"]),
                          (body[0], body[1]))
        except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError, UnicodeError):  # (not ours)
            return None

    def put(self, slug: str, record: Record) -> bool:
        """Keep an article's record; whether it was written."""
        if self.key() is None:
            return False
        try:  # (an article loads only from UTF-8: kept as it is, not six bytes a letter as \uXXXX)
            raw = {"kind": record.kind, "text": record.data.decode("utf-8"),
                   "digest": record.digest, "values": record.values, "body": list(record.body)}
            raw["signature"] = self._sign(raw).decode()
            write_atomic(self.folder, entry_name(slug, ".json"), orjson.dumps(raw))
        except (OSError, UnicodeError, TypeError):
            return False
        self.listed(slug)
        return True

    def prune(self, slugs) -> None:
        """Drop the records of articles that no longer exist (a new article given the slug starts afresh)."""
        if self.folder is None:
            return
        kept = {entry_name(slug, ".json") for slug in slugs}
        for path in self.folder.glob("*.json") if self.folder.is_dir() else ():
            if path.name not in kept:
                try:
                    path.unlink(missing_ok=True)
                except OSError:
                    pass

    def list(self) -> frozenset[str]:
        """The names of the records kept, from one listing of the folder (a site never built has none: no file is
        opened)."""
        if self._listed is None:
            try:
                self._listed = frozenset(p.name for p in self.folder.iterdir()) if self.folder is not None else frozenset()
            except OSError:
                self._listed = frozenset()
        return self._listed

    def listed(self, slug: str) -> None:
        """An article's record was written (here or by a worker)."""
        if self._listed is not None:
            self._listed |= {entry_name(slug, ".json")}

    def _sign(self, raw: dict) -> bytes:
        return hmac.new(self.key(), orjson.dumps(raw, option=orjson.OPT_SORT_KEYS), "sha256").hexdigest().encode()
