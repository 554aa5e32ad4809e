#!/usr/bin/env python3
"""Random edits to a site's articles, and where their annotations land: the wrong attaches a user would meet.

    python3 bench/reanchor_fuzz.py SITE [--trials 50] [--seed 1] [--git [--steps]] [--write] [--md]

Each trial copies SITE's content, annotations and site.toml to a temporary folder (with --git, as a
commit), applies one to three random edits to one plain-text article (paragraphs inserted, deleted,
duplicated, swapped; a typo, a word or a figure changed inside a passage; the passage's sentence
deleted or rewritten; a sentence moved or added beside it; lines rewrapped; a pull quote or a
correction that repeats a passage's old words), tracking where every annotated passage went (with
--git, the edit is a second commit; with --steps, each edit a commit of its own). With --write, `glossator reanchor --write` runs first. Then the
site is loaded and checked, and each annotation counted as:
- right: attached where its passage went;
- orphan: not attached, or `check` reports an error on it (false-orphan: its passage was not touched);
- lost-ok: its passage was deleted, and it is not attached or is reported;
- wrong: attached anywhere else, with no error: the one outcome that must not happen.
Without --git, a passage edited while a copy of its old words stays elsewhere is a wrong attach that
nothing in the text can tell (SPEC 10: a quote that matches as written is taken as it is).
With --md, the plain-text article is first written as Markdown (its title a heading, some paragraphs
list items, words outside the passages emphasised or linked), and the edits also emphasise or link
words inside a passage, and make paragraphs list items or headings; where a passage went is read from
the Markdown's visible text.
"""
import argparse, json, os, random, re, shutil, subprocess, sys, tempfile, collections
from pathlib import Path

TREE = os.environ.get("TREE", str(Path(__file__).resolve().parents[1]))  # the Glossator checkout to try
sys.path.insert(0, TREE)
from builder.read.load import load_site  # noqa
ENV = {**os.environ, "PYTHONPATH": TREE, "GIT_CONFIG_GLOBAL": "/dev/null"}

PARA = re.compile(r"\n\s*\n")


class Text:
    """A text and the spans tracked through edits: span -> (start, end) or None, and touched."""
    def __init__(self, text, spans, md=False):
        self.text = text
        self.md = md  # the text is Markdown source (spans are offsets in it)
        self.spans = dict(spans)
        self.touched = {k: False for k in spans}

    def splice(self, a, b, new, moved=None):
        d = len(new) - (b - a)
        for k, sp in self.spans.items():
            if sp is None:
                continue
            s, e = sp
            if e <= a:
                continue
            if s >= b:
                self.spans[k] = (s + d, e + d)
            elif s <= a and e >= b:  # the edit inside the span
                self.spans[k] = (s, e + d)
                self.touched[k] = True
            elif s >= a and e <= b:  # the span inside the edited part
                self.spans[k] = None
            else:  # partial overlap: what is left of the span
                self.touched[k] = True
                ns, ne = (s, a) if s < a else (a + len(new), e + d)
                self.spans[k] = (ns, ne) if ne - ns >= 3 else None
        self.text = self.text[:a] + new + self.text[b:]

    def move(self, a, b, to):
        """Move text[a:b] to position `to` (outside [a, b]), spans inside it going along."""
        block = self.text[a:b]
        inside = {k: (sp[0] - a, sp[1] - a) for k, sp in self.spans.items() if sp and sp[0] >= a and sp[1] <= b}
        for k in inside:
            self.spans[k] = None
        self.splice(a, b, "")
        if to > b:
            to -= b - a
        self.splice(to, to, block)
        for k, (s, e) in inside.items():
            self.spans[k] = (to + s, to + e)


def paragraphs(text):
    """(start, end) of each paragraph."""
    out, at = [], 0
    for m in PARA.finditer(text):
        if m.start() > at:
            out.append((at, m.start()))
        at = m.end()
    if at < len(text):
        out.append((at, len(text.rstrip())))
    return out


def sentences(text, a, b):
    out, at = [], a
    for m in re.finditer(r"[.!?][\"'”’]?\s+", text[a:b]):
        out.append((at, a + m.end()))
        at = a + m.end()
    if at < b:
        out.append((at, b))
    return out


WORD = re.compile(r"[A-Za-z]{4,}")
NUM = re.compile(r"\d+")


def edit(t: Text, rng, donors, keys):
    kinds = (["emphasis_in_quote", "link_in_quote", "listify", "heading"] if t.md else []) + ["insert_para", "delete_para", "dup_para", "swap_para", "typo_in_quote", "word_in_quote",
             "delete_sentence_with_quote", "number_in_quote", "move_sentence", "reflow", "insert_sentence_near_quote",
             "rewrite_sentence_with_quote", "correction_appended", "corrected_with_note", "pull_quote",
             "merge_paras", "restyle_quotes", "words_into_quote"]
    kind = rng.choice(kinds)
    ps = paragraphs(t.text)
    live = [k for k in keys if t.spans[k]]
    others = [d for d in donors if d not in t.text]
    if kind == "insert_para" and others:  # (a site whose other articles have no long paragraph: none to insert)
        at = rng.choice(ps)[1]
        t.splice(at, at, "\n\n" + rng.choice(others))  # another article's
    elif kind == "delete_para" and len(ps) > 3:
        a, b = rng.choice(ps[1:])
        t.splice(a, b, "")
    elif kind == "dup_para":
        i = rng.randrange(len(ps))
        a, b = ps[i]
        j = rng.randrange(len(ps))
        if abs(j - i) <= 1:  # a copy right beside it: nothing tells the two apart, so no truth to check against
            return None
        at = ps[j][1]
        t.splice(at, at, "\n\n" + t.text[a:b])  # spans stay with the original (the copy is new text)
    elif kind == "swap_para" and len(ps) > 2:
        i = rng.randrange(1, len(ps) - 1)
        (a, b), (c, d) = ps[i], ps[i + 1]
        t.move(c, d, a)
        t.splice(a + (d - c), a + (d - c), "\n\n")
    elif kind in ("typo_in_quote", "word_in_quote", "number_in_quote", "delete_sentence_with_quote",
                  "insert_sentence_near_quote", "rewrite_sentence_with_quote") and live:
        k = rng.choice(live)
        s, e = t.spans[k]
        if kind == "typo_in_quote":
            words = [m for m in WORD.finditer(t.text, s, e)]
            if not words:
                return None
            m = rng.choice(words)
            i = m.start() + rng.randrange(1, len(m.group()) - 1)
            op = rng.choice(["drop", "swap", "double"])
            if op == "drop":
                t.splice(i, i + 1, "")
            elif op == "double":
                t.splice(i, i, t.text[i])
            else:
                t.splice(i, i + 2, t.text[i + 1] + t.text[i])
        elif kind == "word_in_quote":
            words = [m for m in WORD.finditer(t.text, s, e)]
            if not words:
                return None
            m = rng.choice(words)
            t.splice(m.start(), m.end(), rng.choice(["reportedly", "several", "formerly", "largely", "others"]))
        elif kind == "number_in_quote":
            nums = list(NUM.finditer(t.text, s, e))
            if not nums:
                return None
            m = rng.choice(nums)
            t.splice(m.start(), m.end(), str(int(m.group()) + rng.choice([1, 9, 27])))
        else:
            para = next(((a, b) for a, b in ps if a <= s < b), None)
            if para is None:
                return None
            sent = next(((a, b) for a, b in sentences(t.text, *para) if a <= s < b), None)
            if sent is None:
                return None
            if kind == "delete_sentence_with_quote":
                if sent[1] < e:
                    return None
                t.splice(sent[0], sent[1], "")
            elif kind == "insert_sentence_near_quote":
                at = rng.choice([sent[0], sent[1]])
                t.splice(at, at, rng.choice(["This was reported earlier in the week. ", "Officials gave no further details. ",
                                             "The ministry did not respond to questions. "]))
            else:  # most of the sentence rewritten: the passage is gone
                if sent[1] < e:
                    return None
                t.splice(sent[0], sent[1], "A spokesman later gave a different account of these events, which we could not verify. ")
    elif kind in ("correction_appended", "corrected_with_note", "pull_quote") and live:
        k = rng.choice(live)
        s, e = t.spans[k]
        old = t.text[s:e]
        if kind == "corrected_with_note":
            words = list(WORD.finditer(t.text, s, e)) + list(NUM.finditer(t.text, s, e))
            if not words:
                return None
            m = rng.choice(words)
            new = str(int(m.group()) + 3) if m.group().isdigit() else rng.choice(["reportedly", "several", "formerly", "largely"])
            t.splice(m.start(), m.end(), new)
        if kind == "pull_quote":
            at = ps[min(2, len(ps) - 1)][1]
            t.splice(at, at, "\n\n\u201c" + old + "\u201d")
        else:
            end = len(t.text.rstrip())
            t.splice(end, end, "\n\nCorrection: an earlier version of this article said that " + old + ". We regret the error.")
    elif kind == "merge_paras" and len(ps) > 2:
        i = rng.randrange(len(ps) - 1)
        t.splice(ps[i][1], ps[i + 1][0], " ")
    elif kind == "restyle_quotes":  # house style: curly quotes and apostrophes straight, or the other way
        pairs = [("\u2019", "'"), ("\u201c", '"'), ("\u201d", '"')] if rng.random() < 0.5 else [("'", "\u2019")]
        for old, new in pairs:
            for i in [m.start() for m in re.finditer(re.escape(old), t.text)][::-1]:
                t.splice(i, i + 1, new)
    elif kind == "words_into_quote" and live:  # a few words written inside a passage: it is edited
        k = rng.choice(live)
        s, e = t.spans[k]
        spaces = [m.start() for m in re.finditer(" ", t.text[s:e])]
        if not spaces:
            return None
        at = s + rng.choice(spaces)
        t.splice(at, at, rng.choice([" also", " reportedly", " in 2011", " and others"]))
    elif kind == "move_sentence" and len(ps) > 2:
        a, b = rng.choice(ps)
        ss = sentences(t.text, a, b)
        if len(ss) < 2:
            return None
        sa, sb = rng.choice(ss)
        to = rng.choice(ps)
        to = to[1]
        if sa <= to <= sb:
            return None
        t.move(sa, sb, to)
        t.splice(to if to < sa else to - (sb - sa), to if to < sa else to - (sb - sa), " ")
    elif kind in ("emphasis_in_quote", "link_in_quote") and live:  # the visible words stay: the passage is unchanged
        k = rng.choice(live)
        s, e = t.spans[k]
        words = list(re.finditer(r"[A-Za-z]{4,}(?: [A-Za-z]{2,}){0,2}", t.text[s:e]))
        if not words:
            return None
        m = rng.choice(words)
        a, b = s + m.start(), s + m.end()
        close = "*" if kind == "emphasis_in_quote" else "](https://example.org/source)"
        t.splice(b, b, close)
        t.splice(a, a, "*" if kind == "emphasis_in_quote" else "[")
    elif kind in ("listify", "heading") and len(ps) > 2:
        a, b = rng.choice(ps[1:])
        if t.text[a] in "-#*" or (kind == "heading" and b - a > 200):
            return None
        t.splice(a, a, "- " if kind == "listify" else "## ")
    elif kind == "reflow":
        a, b = rng.choice(ps)
        spaces = [m.start() for m in re.finditer(r" ", t.text[a:b])]
        for i in sorted(rng.sample(spaces, min(len(spaces), 3)), reverse=True):
            t.splice(a + i, a + i + 1, "\n")
    else:
        return None
    return kind


def as_markdown(t: Text, rng):
    """The plain text written as Markdown, spans tracked: the title a heading, some paragraphs list items, and
    words outside every passage emphasised or linked."""
    ps = paragraphs(t.text)
    inside = lambda i: any(sp and sp[0] - 1 <= i <= sp[1] + 1 for sp in t.spans.values())
    marks = []
    for a, b in ps[1:]:
        for m in re.finditer(r"[A-Za-z]{5,}", t.text[a:b]):
            if rng.random() < 0.04 and not inside(a + m.start()) and not inside(a + m.end()):
                marks.append((a + m.start(), a + m.end(), rng.choice(["*", "link"])))
    for a, b, how in sorted(marks, reverse=True):
        t.splice(b, b, "*" if how == "*" else "](https://example.org/a)")
        t.splice(a, a, "*" if how == "*" else "[")
    ps = paragraphs(t.text)
    for a, b in ps[1:][::-1]:
        if rng.random() < 0.2 and t.text[a] not in "-#*0123456789>":
            t.splice(a, a, "- ")
    t.splice(0, 0, "# ")
    t.touched = {k: False for k in t.touched}


def visible_spans(text: str, spans: dict) -> dict:
    """The spans of Markdown source, as offsets in its visible text (None where a span is gone from it)."""
    from builder.read.text import markdown_flow
    marked, at = [], []
    for k, sp in spans.items():
        if sp:
            at += [(sp[0], 2 * len(marked)), (sp[1], 2 * len(marked) + 1)]
            marked.append(k)
    source = text
    for i, code in sorted(at, reverse=True):
        source = source[:i] + chr(0xE000 + code) + source[i:]
    shown = markdown_flow(source).text
    found, seen = {}, 0
    for i, c in enumerate(shown):
        if 0xE000 <= ord(c) < 0xE000 + 2 * len(marked):
            found[ord(c) - 0xE000] = i - seen
            seen += 1
    out = {k: None for k in spans}
    for n, k in enumerate(marked):
        s, e = found.get(2 * n), found.get(2 * n + 1)
        out[k] = (s, e) if s is not None and e is not None and e > s else None
    return out, re.sub("[\ue000-\uf8ff]", "", shown)


def run(cmd, cwd):
    return subprocess.run(cmd, cwd=cwd, env=ENV, capture_output=True, text=True)


def trial(site, rng, use_git, write, donors, keep=False, md=False, steps=False):
    tmp = Path(tempfile.mkdtemp(prefix="glossator-fuzz-"))
    try:
        for name in ("content", "annotations", "site.toml"):
            src = site / name
            (shutil.copytree if src.is_dir() else shutil.copy)(src, tmp / name)
        model, _ = load_site(tmp, None)
        article = rng.choice([a for a in model.articles if a.kind == "txt"])
        keys = [a.id for a in article.annotations]
        donors = [d for d in donors if d not in article.text]  # (its own paragraph put back after its sentence was cut is no other article's)
        t = Text(article.text, {a.id: (a.start, a.end) for a in article.annotations}, md)
        original = {a.id: article.text[a.start:a.end] for a in article.annotations}
        path = article.path
        if md:  # the article as Markdown, committed so
            as_markdown(t, rng)
            Path(tmp, path).unlink()
            path = Path(str(path)[: -len(".txt")] + ".md")
            Path(tmp, path).write_text(t.text)
        lines = {a.id: (a.loc.line, a.last_line) for a in article.annotations}
        if use_git:
            g = ["git", "-c", "user.name=A", "-c", "user.email=a@x", "-c", "init.defaultBranch=main"]
            run(g + ["init", "-q"], tmp); run(g + ["add", "-A"], tmp); run(g + ["commit", "-qm", "start"], tmp)
        done = []
        for _ in range(rng.randint(1, 3)):
            if k := edit(t, rng, donors, keys):
                done.append(k)
                if use_git and steps:  # each edit its own commit: reanchor reads the versions between
                    Path(tmp, path).write_text(t.text)
                    run(g + ["commit", "-qam", f"edit {len(done)}"], tmp)
        if not done:
            return None
        Path(tmp, path).write_text(t.text)
        if use_git and not steps:
            run(g + ["commit", "-qam", "edit"], tmp)
        if write:
            run([sys.executable, "-m", "builder", "reanchor", ".", "--write"], tmp)
        model, problems = load_site(tmp, None)
        check = run([sys.executable, "-m", "builder", "check", ".", "--format", "json"], tmp)
        errors = [p for p in json.loads(check.stdout or "[]") if p["severity"] == "error"]
        now = next(a for a in model.articles if a.slug == article.slug) if any(a.slug == article.slug for a in model.articles) else None
        where = {a.id: (a.start, a.end) for a in now.annotations} if now else {}
        layer = f"annotations/{article.slug}.yaml"
        truths, shown = visible_spans(t.text, t.spans) if md else (t.spans, t.text)
        results = []
        for k in keys:
            # reported: an error at its lines (or naming it), or at a body bound, which holds the whole file back
            flagged = any(p["file"] == layer and (p["message"].startswith("body.") or lines[k][0] <= p["line"] <= lines[k][1]
                                                  or f"'{k}'" in p["message"] or f'"{k}"' in p["message"]) for p in errors)
            truth, at = truths[k], where.get(k)
            if at is None or flagged and not write:
                outcome = "orphan" if truth else "lost-ok"
            elif truth is None:
                outcome = "wrong" if not flagged else "lost-ok"
            else:
                overlap = min(at[1], truth[1]) - max(at[0], truth[0])
                outcome = "right" if overlap > 0 else ("wrong" if not flagged else "orphan")
            if outcome == "orphan" and truth and not t.touched[k]:
                outcome = "false-orphan"
            results.append((k, outcome, truth, at, original[k], now.text[at[0]:at[1]] if at and now else None))
        return article.slug, done, results, shown, [p["message"][:300] for p in errors]
    finally:
        if keep:
            print("kept", tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def run_trials(site: Path, trials: int, seed: int, use_git: bool, write: bool, keep: int = -1, md: bool = False,
               steps: bool = False):
    """Yield, per trial that made an edit: (number, slug, edits, results, text, errors)."""
    rng = random.Random(seed)
    model, _ = load_site(site, None)
    donors = [d for a in model.articles for d in PARA.split(a.text)[1:] if len(d) > 200]
    for n in range(trials):
        got = trial(site, rng, use_git, write, donors, keep=n == keep, md=md, steps=steps)
        if got is not None:
            yield (n, *got)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("--trials", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--git", action="store_true")
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--md", action="store_true", help="write the article as Markdown first, and edit its Markdown")
    ap.add_argument("--steps", action="store_true", help="with --git, commit each edit on its own")
    ap.add_argument("--show", default="wrong,false-orphan", help="outcomes to print, with the check's errors")
    ap.add_argument("--keep", type=int, default=-1, help="keep the folder of this trial, to look at")
    args = ap.parse_args()
    tally = collections.Counter()
    for n, slug, done, results, text, errs in run_trials(args.site, args.trials, args.seed, args.git, args.write, args.keep, args.md,
                                                               args.steps):
        if any(o in args.show.split(",") for _, o, *_ in results):
            print("  errors:", *errs, sep="\n    ")
        for k, outcome, truth, at, quote, landed in results:
            tally[outcome] += 1
            if outcome in args.show.split(","):
                said = repr(text[truth[0]:truth[1]]) if truth else "deleted"
                print(f"trial {n} {slug} {done}: {k}: {outcome}\n   quote:  {quote!r}\n   landed: {landed!r}\n   truth:  {said}")
    print(dict(tally))


if __name__ == "__main__":
    main()
