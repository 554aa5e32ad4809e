"""The search index (SPEC 11): built from the finished article pages, read by assets/search.js.

Only article pages are indexed, and in them the article's title and body (`data-search-body`), less
what is marked `data-search-ignore`, note references and notes' git history: flag, tag and index
pages quote passages again and would be found twice. The index is plain JSON in FOLDER:
- `meta.json`: each page's length in words (pages are numbered in the order of their paths), the
  filters (name -> value -> pages), the stemming rule, the shards there are (a word whose shard is not
  one is in no page: nothing is asked for it);
- `t/<hex of the first two letters>.json`: {term: [doc, count, doc, count, …]} for the terms that
  start with those letters (a query reads the shards of its words only);
- `f/<doc>.json`: what a result shows, read for the results on screen only: its path, title,
  visible text, anchors (where each passage and note starts, in words), filters and metadata.
Terms are runs of letters, digits and combining marks (`words`) of the text in NFC, lower-cased, accents dropped (`fold`: "café"
is found by "cafe" and "café"), of one character or more ("X", "(a)", the "3" of "§ 3"; "_" parts words:
"Ministry_Of_Housing" is found by "housing", and by itself, its three words); a number with points or commas
between its digits ("3.3", "4,200") is a term too, beside its parts (`_NUMBER`). In an
English site plurals lose their ending (`stem`). In scripts written without spaces (Chinese,
Japanese, Thai…) each two characters in a row are a term (a lone one is a term too). search.js
splits and stems a query by the same rules, so the two must change together.
"""
from __future__ import annotations

import contextlib
import os
import re
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import orjson

from . import kept
from .anchoring import BREAK_HINTS, UNSPACED
from .errors import Problem
from .output import write_page
from .searchpage import _NATIVE, read_page
from .slugs import PLAIN


FOLDER = "search/data"  # where the index lives in the output, beside search/index.html
PAGES = "articles/*/index.html"  # the pages it indexes
VERSION = 1  # of the format search.js reads


# signs that stand for a word, each a word of its own: "§ 12" and "¶ 2" are how a law or a ruling is cited, "‰" is "per
# mille" (heldout62: a release citing "§ 14 ¶ 2" could not be searched for them). search.js's SIGNS
SIGNS = "§¶‰"


@lru_cache(maxsize=1)
def _word() -> re.Pattern:
    """A word: one of SIGNS, or a run of `\\w` and of combining marks (Unicode's M: Devanagari's vowel signs, Arabic's
    vowels), which `\\w` alone leaves out, cutting "भारत" to "भ" "रत" (`words` parts words at the "_" that `\\w` holds).
    search.js's WORD is the same. Made on first use (a site in ASCII never asks); listing the marks takes
    0.03 s, so the list is kept (`kept`) once made."""
    name = f"search-marks-{unicodedata.unidata_version}.txt"
    data = kept.read(name)
    if data is not None and data.isascii():
        with contextlib.suppress(re.error):  # (damaged: made again)
            return re.compile(f"[{SIGNS}]|[\\w{data.decode()}]+")
    marks = _marks()
    kept.write(name, marks.encode())
    return re.compile(f"[{SIGNS}]|[\\w{marks}]+")


def words(text: str) -> list[str]:
    """The words of a text: `_word()`'s runs, "_" between them (`\\w` holds it; a reader looks for "housing" in
    "Ministry_Of_Housing")."""
    return _word().findall(text.replace("_", " ") if "_" in text else text)


def _marks() -> str:
    """Every combining mark of this Python's Unicode, as regular expression ranges."""
    marks, start = [], None
    for cp in [*range(0x30000), *range(0xE0000, 0xE0200), 0x10FFFF]:
        if unicodedata.category(chr(cp))[0] == "M":
            start = cp if start is None else start
        elif start is not None:
            marks.append(f"\\U{start:08x}-\\U{cp - 1:08x}")
            start = None
    return "".join(marks)


def stem(term: str, english: bool) -> str:
    """A plural's ending removed, in English only: "cartels" → "cartel", "stories" → "story". search.js's stem() is the same."""
    if not english or len(term) < 4 or not term.endswith("s"):
        return term
    if term.endswith("ies") and len(term) > 4:
        return term[:-3] + "y"
    if term.endswith(("sses", "xes", "zes", "ches", "shes")):
        return term[:-2]
    if term.endswith(("ss", "us", "is")):
        return term
    return term[:-1]


@lru_cache(maxsize=1)
def _unspaced() -> re.Pattern:
    """A run of a script without spaces, compiled when a text first holds a word not of ASCII (2 ms of every run)."""
    return re.compile(f"([{UNSPACED}]+)")


# the marks a reader may type or leave out: accents on Latin, Greek and Cyrillic letters, Arabic's and Hebrew's vowel points
# and break hints (anchoring.BREAK_HINTS), which a reader never types: "infra\u00adstructure" is found by "infrastructure"
_MARKS = f"\u0300-\u036f\u064b-\u065f\u0670\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7{BREAK_HINTS}"
_ACCENTS = re.compile(f"[{_MARKS}]")


def compatible(text: str) -> str:
    """The text with each character written as its plain form (NFKC): a reader types "NO2", "PM2.5", "m3", "fi" and
    "46.2" for the "NO₂", "PM₂.₅", "m³", "ﬁ" and full-width "４６．２" a text may hold, and the micro sign µ is Greek μ
    (heldout60: a science release's NO₂ and µg/m³ were not found)."""
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


# the micro sign (Greek μ once `compatible`) before a Latin letter, a unit's prefix ("µg/m³", "μL"), which a reader types as
# "u" ("ug/m3"): no Greek word has a Latin letter after its μ (heldout62: "ug" found nothing in a release's µg/m³).
# search.js's MICRO
_MICRO = re.compile("\u03bc(?=[a-z])")


def fold(text: str) -> str:
    """The text lower-cased (after `compatible`), without the marks of _ACCENTS ("naïve" → "naive", "الْعَرَبِيَّة" →
    "العربية"), its letters of PLAIN as plain ones and a unit's µ as "u" (_MICRO): a reader types a word either way;
    nor soft hyphens and the like. Marks that are part of how a word is spelt (Devanagari's vowel signs) stay.
    search.js's fold() is the same."""
    if text.isascii():
        return text.lower()
    bare = unicodedata.normalize("NFC", _ACCENTS.sub("", unicodedata.normalize("NFD", compatible(text).lower()))).translate(PLAIN)
    return _MICRO.sub("u", bare) if "\u03bc" in bare else bare


# Arabic's article "al-" written joined to its word, after a conjunction or preposition of one letter or not
# ("المجلس", "والمجلس", "بالمجلس"; "للمجلس", "وللمجلس": li- and al- made one)
_ARTICLE = re.compile("^[\u0648\u0641\u0628\u0643]?\u0627\u0644|^[\u0648\u0641]?\u0644\u0644")


def without_article(word: str) -> str | None:
    """An Arabic word without its article ("المجلس" → "مجلس"), which a reader types as often as with it: the
    index holds both (heldout59: "مجلس", "قاضية" found nothing in a report that writes "المجلس", "القاضية").
    None for any other word. search.js's withoutArticle() is the same."""
    found = _ARTICLE.match(word) if "\u0627\u0644" in word or "\u0644\u0644" in word else None
    return word[found.end():] if found and len(word) - found.end() > 1 else None


def _spaced_terms(word: str, english: bool) -> list[str]:
    """A word of a script written with spaces as the index holds it: stemmed; an Arabic word with its article, also
    without it."""
    without = without_article(word)
    return [stem(word, english)] if without is None else [stem(word, english), stem(without, english)]


# a number written with points or commas between its digits ("3.3", "1.2.4", "4,200", the "3.5" of "$3.5bn"), or colons or
# slashes (a score "2:1", a time "1:45.32", "24/7", and "½" once `compatible`, "1⁄2"): a reader types it whole, and "3.3"
# is not every page that holds a "3" (heldout59: a ruling's paragraphs; heldout63: "2:1" found every "2" and "1" of a
# sports report, "½" every "1" and "2"). search.js's NUMBER, builder/_searchpage.c's JOINT.
JOINTS = ".,:/\u2044"
_NUMBER = re.compile(f"\\d+(?:[{JOINTS}]\\d+)+")


# where a number may be: a point, or a comma, before a digit or a mark that `fold` drops (found each by a regex that
# begins with it: a regex that begins with a digit, or with [.,], tries every place of the text, 0.23 s and 0.06 s for
# the 6.5 MB of 1,000 articles; these take 0.03 s)
_POINTS = (re.compile(f"\\.(?=[\\d{_MARKS}])"), re.compile(f",(?=[\\d{_MARKS}])"))
_RARE = JOINTS[2:]  # the joints few texts hold between digits: looked for with str.find (a regex's scan for each of
# them added 0.045 ms to a 6 KB text in Cyrillic, which builder/_searchpage.c leaves to `numbers`; these take 0.005)
_AROUND = re.compile(f"[\\d{JOINTS}{_MARKS}]*")  # what a number and the marks in it may be made of


def numbers(text: str) -> list[str]:
    """The numbers (`_NUMBER`) of a text, as `terms` finds them in its folded text: only the marks `fold` drops
    can stand between a digit and a point (lowering, NFD and NFC make no digit, point or comma); each is found
    in the digits, points, commas and marks around a point or comma (nothing else can be part of it)."""
    found, end = [], 0
    places = [point.start() for points in _POINTS for point in points.finditer(text)]
    for joint in _RARE:
        at = text.find(joint)
        while at >= 0:
            after = text[at + 1 : at + 2]
            if after.isdecimal() or (after > "\u00ac" and _ACCENTS.match(after)):  # (no mark is ASCII, nor below U+00AD)
                places.append(at)
            at = text.find(joint, at + 1)
    for at in sorted(places):
        if at < end:  # (in the number before)
            continue
        start = at
        while start and (text[start - 1].isdecimal() or _ACCENTS.match(text[start - 1])):
            start -= 1
        if start < at:  # (else no digit before it: a number is found from the point or comma after)
            end = _AROUND.match(text, at).end()
            around = text[start:end]
            found += _NUMBER.findall(around if around.isascii() else _ACCENTS.sub("", around))
    return found


def terms(text: str, english: bool, query: bool = False) -> list[str]:
    """The terms of a text, in order, as the index holds them: each word (an Arabic word with its article, then
    without it), and each number (`_NUMBER`) before its words. A `query`'s, as search.js looks them up: a number
    stands for the words wholly inside it ("3.3" is looked for whole, not also as "3" and "3")."""
    found = []
    folded = fold(text)
    spans = [match.span() for match in _NUMBER.finditer(folded)]
    number = 0
    for match in _word().finditer(folded.replace("_", " ") if "_" in folded else folded):
        token, (start, end) = match.group(), match.span()
        while number < len(spans) and spans[number][0] < end:  # a number begins before this word ends
            found.append(folded[slice(*spans[number])])
            number += 1
        if query and any(left <= start and end <= right for left, right in spans):
            continue
        if not _unspaced().search(token):
            found.extend(_spaced_terms(token, english))
            continue
        for i, run in enumerate(_unspaced().split(token)):
            if i % 2 == 0:  # between runs of unspaced script: a word of a spaced one
                if run:
                    found.extend(_spaced_terms(run, english))
            elif len(run) == 1:
                found.append(run)
            else:
                found.extend(run[j : j + 2] for j in range(len(run) - 1))
    return found


# characters that are never part of a word, the commonest between words: `term_counts` splits at them as at spaces
_BETWEEN = ".,;:!?\"'()“”‘’-"


def _changing(word: str, english: bool) -> bool:
    """Whether `term_counts` may stem a word: in English, one of four or more characters that ends in "s" (a stem
    keeps its own)."""
    return english and word[-1] == "s" and len(word) > 3


def _pieces(text: str, english: bool, counts: Counter) -> tuple[list[str], list[str]]:
    """Counts into the empty `counts` the pieces of the lower-cased text between spaces and `_BETWEEN`; returns
    those that are not one word of ASCII letters and digits, and those `_changing`. The rule of
    builder/_searchpage.c's `count_pieces`."""
    spaced = text.lower()
    for char in _BETWEEN:
        spaced = spaced.replace(char, " ")
    counts.update(spaced.split())
    return ([piece for piece in counts if not (piece.isalnum() and piece.isascii())],
            [word for word in counts if _changing(word, english)])


def term_counts(text: str, english: bool) -> Counter:
    """How often each term occurs in a text: Counter(terms(text)), faster: the pieces between spaces (and
    `_BETWEEN`) are counted, and only the pieces that are not one word of ASCII letters and digits split by `words`."""
    counts = Counter()
    text = compatible(text)  # (its pieces and numbers as `terms` reads them: "PM₂.₅" holds the number "2.5")
    if _NATIVE is not None:  # (builder/_searchpage.c: the same pieces, counted in the same order, and the numbers; it lowers
        # ASCII letters, and declines, None, a text with a letter that str.lower() changes: then it is given text.lower())
        odd, changing, points = (_NATIVE.count_pieces(text, _BETWEEN, english, counts)
                                 or _NATIVE.count_pieces(text.lower(), _BETWEEN, english, counts)
                                 or (*_pieces(text, english, counts), None))
    else:
        (odd, changing), points = _pieces(text, english, counts), None
    if odd:
        if _unspaced().search("".join(odd)):
            return Counter(terms(text, english))
        for piece in odd:
            times = counts.pop(piece)
            for word in words(fold(piece)):
                counts[word] += times
                if (without := without_article(word)) is not None:
                    counts[without] += times
        changing = [word for word in counts if _changing(word, english)]
    for word in changing:
        if (stemmed := stem(word, True)) != word:
            counts[stemmed] += counts.pop(word)
    if points is None and any(joint in text for joint in JOINTS):  # (pieces are split at them: numbers are counted whole)
        points = numbers(text)
    if points:
        counts.update(points)
    return counts


def _shard(term: str) -> str:
    """The file a term's postings are in: its first two characters, in hexadecimal UTF-8 (safe on any file system)."""
    return term[:2].encode("utf-8").hex()


def _dump(data) -> bytes:
    """Compact JSON, keys sorted (the same bytes as `json.dumps(…, separators=(",", ":"), sort_keys=True)`)."""
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)


def page_text(data: bytes, text: str | None = None) -> str:
    """A page's bytes as Path.read_text(encoding="utf-8", errors="replace") reads them, newlines translated, faster;
    `text`: what they decode to, where it is known (the page just made: plan.text_of)."""
    if text is None:
        text = data.decode("utf-8", "replace")
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _page_text(path: str) -> str:
    with open(path, "rb") as f:
        return page_text(f.read())


def is_page(path: str) -> bool:
    """Whether search indexes the output file at `path` (relative, "/"-separated): PAGES, as a glob matches it."""
    parts = path.split("/")
    return len(parts) == 3 and parts[0] == "articles" and parts[1] != "" and parts[2] == "index.html"


def _read(text: str, url: str, english: bool, fragment_path: str) -> tuple[int, Counter, dict, bytes | None]:
    """What the index keeps of one article page (`text`, at `url`: "articles/x/"): its word count, its terms
    counted, its filters and its fragment, written to `fragment_path` (None, nothing written: no body to index)."""
    found = read_page(text)
    if found is None:  # (a site's own article template without a body to index)
        return 0, Counter(), {}, None
    data, words = found
    data["url"] = url
    fragment = _dump(data)
    write_page(fragment_path, fragment)
    counts = term_counts(data["content"], english)
    for term, count in term_counts(" ".join([data["meta"].get("title", ""), data["meta"].get("byline", "")]), english).items():
        counts.setdefault(term, count)  # a headline's and a byline's words find their article too (the text's own
        # counts kept: a title line may be in the text)
    return words, counts, data["filters"], fragment


@dataclass(frozen=True)
class Written:
    """What `index` wrote."""

    size: int  # bytes of the index
    seconds: float  # a build's: once its pages are made (which read the article pages as they go, `Indexing`)
    unmarked: tuple[str, ...] = ()  # article pages ("articles/x/") with no element marked data-search-body: not indexed

    def problem(self, static=frozenset()) -> Problem | None:
        """Said when pages were left out: a site's own article.html without the mark (made before it was
        renamed). A page that static/ replaces (its output paths: `static`) is the site's to mark."""
        left = [page for page in self.unmarked if f"{page}index.html" not in static]
        if not left:
            return None
        return Problem("templates/article.html", 1, 1, f"{len(left)} article page{'s have' if len(left) > 1 else ' has'} "
                       "no element marked data-search-body, so search leaves them out: mark the element that holds "
                       "the article's text and notes, as the built-in article.html does (when search used Pagefind, "
                       "the marks were data-pagefind-body, -ignore, -filter and -meta: rename them)", "warning")


def _bundle(bundle: Path) -> str:
    """The index's folders made (`bundle` and its f/, t/); the fragments' folder, as text (pathlib's paths took 0.03 ms a page)."""
    (bundle / "f").mkdir(parents=True, exist_ok=True)
    (bundle / "t").mkdir(exist_ok=True)
    return os.fspath(bundle / "f")


def _english(language: str) -> bool:
    return language.split("-")[0].lower() == "en"


def index(folder: Path, language: str, bundle: Path | None = None, known: dict | None = None) -> Written:
    """Index the article pages of the output `folder` into `bundle` (default folder/FOLDER); `language`: the
    site's (English plurals are stemmed). Given `known` (serve keeps it from one index to the next: path ->
    what was read of it), only the pages written since are read again. A build reads its pages as it makes
    them instead (`Indexing`). Raises OSError."""
    started = time.perf_counter()
    bundle = bundle or folder / FOLDER
    pages = sorted(p.parent.relative_to(folder).as_posix() + "/" for p in folder.glob(PAGES))
    english = _english(language)
    top, fragments = os.fspath(folder), _bundle(bundle)

    def read(doc: int):
        path = f"{top}/{pages[doc]}index.html"
        if known is not None:
            stat = os.stat(path)
            signature = (stat.st_mtime_ns, stat.st_size, english)
            if pages[doc] in known and known[pages[doc]][0] == signature:
                _, fragment, *read_before = known[pages[doc]]
                if fragment is not None:
                    write_page(f"{fragments}/{doc}.json", fragment)
                return (*read_before, fragment is not None)
        words, counts, their_filters, fragment = _read(_page_text(path), pages[doc], english, f"{fragments}/{doc}.json")
        if known is not None:
            known[pages[doc]] = (signature, fragment, words, counts, their_filters)
        return words, counts, their_filters, fragment is not None

    unmarked = _merge(bundle, pages, (read(doc) for doc in range(len(pages))), english)
    if known is not None:
        for gone in known.keys() - set(pages):
            del known[gone]
    return Written(_size(bundle), time.perf_counter() - started, unmarked)


def _post(postings: dict[str, list[int]], doc: int, counts: dict[str, int]) -> None:
    """Each term's posting in `postings` extended by the page `doc` and its count there (a new term's made).
    The rule of builder/_searchpage.c's `post`."""
    posting_of = postings.get
    for term, count in counts.items():  # (one look-up a term: 0.045 s for the 280,000 of 1,000 articles, 0.064 with two)
        posting = posting_of(term)
        if posting is None:
            postings[term] = [doc, count]
        else:
            posting += (doc, count)


def _merge(bundle: Path, pages: list[str], read, english: bool) -> tuple[str, ...]:
    """The postings and meta.json of the pages, given what was `read` of each, in order (as `_read` gives it,
    with whether it had a body to index, not its fragment), written into `bundle`; the pages without a body."""
    postings: dict[str, list[int]] = {}
    filters: dict[str, dict[str, list[int]]] = {}
    lengths = []
    unmarked = []
    post = _NATIVE.post if _NATIVE is not None else _post
    for doc, (words, counts, their_filters, marked) in enumerate(read):
        lengths.append(words)
        if not marked:
            unmarked.append(pages[doc])
        post(postings, doc, counts)
        for name, values in their_filters.items():
            for value in dict.fromkeys(values):
                filters.setdefault(name, {}).setdefault(value, []).append(doc)
    shards: dict[str, dict] = {}
    for term, posting in postings.items():
        shards.setdefault(_shard(term), {})[term] = posting
    for name, shard in shards.items():
        (bundle / "t" / f"{name}.json").write_bytes(_dump(shard))
    (bundle / "meta.json").write_bytes(_dump({"version": VERSION, "stem": "en" if english else "",
                                              "pages": lengths, "filters": filters, "shards": sorted(shards)}))
    return tuple(unmarked)


def _size(bundle: Path) -> int:
    """Bytes of the files in `bundle` (by os.walk: 6 ms for 1,000 articles' index, pathlib's rglob took 17)."""
    return sum(os.stat(os.path.join(folder, name)).st_size for folder, _, names in os.walk(bundle) for name in names)


@dataclass(frozen=True)
class Indexing:
    """A build's search index, made with its pages: the worker that renders an article page reads it there
    (`reader`), writes its fragment and hands back only what the merge needs; `finish` reads the pages that
    static/ replaces (what is published), once copied, and writes the postings and meta.json. No page is
    read back from disk but those."""

    english: bool  # English plurals are stemmed
    docs: dict  # the output path of each article page the folder will hold -> its number (the order of their paths)
    from_folder: frozenset  # those read from the folder once it is complete: the pages static/ replaces
    # (all of them where static/ holds files of the index's own folder: they are written over, as before)
    early: bool  # `finish` may run before static/ is copied (beside the last pages): it reads none of it

    @classmethod
    def of(cls, language: str, paths, copies) -> Indexing:
        """For an output of the page `paths` made and then the `copies` (static/'s output paths) copied."""
        pages = sorted({path for path in [*paths, *copies] if is_page(path)}, key=lambda path: path[: -len("index.html")])
        over = any(rel.startswith(f"{FOLDER}/") for rel in copies)
        from_folder = frozenset(pages if over else [p for p in pages if p in copies])
        return cls(_english(language), {path: doc for doc, path in enumerate(pages)}, from_folder,
                   not over and not from_folder)

    def reader(self, folder: Path):
        """Run in the build's process before the pages are made: the index's folders made in `folder`, and a
        function (output path, page's bytes) -> what `finish` needs of the page, its fragment written (None
        for a page read otherwise), to run where each page is made."""
        from .render.plan import text_of as made_text  # (the render stack: imported where pages are made)

        fragments = _bundle(folder / FOLDER)
        docs, skip, english = self.docs, self.from_folder, self.english

        def read(path: str, data: bytes):
            if path not in docs or path in skip:
                return None
            words, counts, filters, fragment = _read(page_text(data, made_text(data)), path[: -len("index.html")], english,
                                                     f"{fragments}/{docs[path]}.json")
            # the counts as JSON: the parent keeps them until every page is made, and 300 terms a page as a
            # dict took 30 KB there (120 MB at 4,000 articles), as bytes a tenth of it, and less to unpickle
            return words, orjson.dumps(counts), filters, fragment is not None

        return read

    def finish(self, folder: Path, read: dict) -> Written:
        """The index of the complete `folder`, given what `reader`'s function gave for each page (output path ->)."""
        started = time.perf_counter()
        bundle = folder / FOLDER
        fragments, top = os.fspath(bundle / "f"), os.fspath(folder)

        def of(path: str, doc: int):
            if path in read:
                words, counts, filters, marked = read[path]
                return words, orjson.loads(counts), filters, marked
            words, counts, filters, fragment = _read(_page_text(f"{top}/{path}"), path[: -len("index.html")],
                                                     self.english, f"{fragments}/{doc}.json")
            return words, counts, filters, fragment is not None

        pages = [path[: -len("index.html")] for path in self.docs]
        unmarked = _merge(bundle, pages, (of(path, doc) for path, doc in self.docs.items()), self.english)
        return Written(_size(bundle), time.perf_counter() - started, unmarked)
