#!/usr/bin/env python3
"""Sanity-check a site written by generate.py (either mode):

    check_corpus.py SITE

Every quote (and body.start / body.end) occurs exactly once in its article's text, compared after
SPEC section 4's normalisation (NFC, white space runs as one space, curly quotes as straight ones,
ends trimmed), and inside the body when there is one; ids are unique per file; every reference
(slug, slug#id, #id) resolves; every flag is defined; the four flags are all used. Needs PyYAML.
Exit 0 when all is well, 1 with one line per problem otherwise.
"""
import os
import re
import sys
import tomllib
import unicodedata

import yaml

CURLY = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
MARKUP = set("*_`[]<>#&\\|~")


def norm(s: str) -> str:
    s = unicodedata.normalize("NFC", s).translate(CURLY)
    return re.sub(r"\s+", " ", s)


def article_text(path: str) -> str:
    raw = open(path, encoding="utf-8").read()
    if path.endswith(".md"):
        m = re.match(r"---\n.*?\n---\n", raw, re.S)
        raw = raw[m.end():] if m else raw
        bad = MARKUP & set(raw)
        if bad:
            raise ValueError(f"markup characters {sorted(bad)} in {path}: visible text differs")
    return norm(raw)


def main(site: str) -> int:
    problems = []
    conf = tomllib.load(open(os.path.join(site, "site.toml"), "rb"))
    defined = {"anonymous-source", "rebuttal", "retraction", *conf.get("flags", {})}
    texts, files = {}, {}
    for name in sorted(os.listdir(os.path.join(site, "content"))):
        slug = name.rsplit(".", 1)[0]
        texts[slug] = article_text(os.path.join(site, "content", name))
    for name in sorted(os.listdir(os.path.join(site, "annotations"))):
        slug = name.rsplit(".", 1)[0]
        if slug not in texts:
            problems.append(f"{name}: no article")
        files[slug] = yaml.safe_load(open(os.path.join(site, "annotations", name), encoding="utf-8"))
    ids = {slug: [a["id"] for a in d.get("annotations", [])] for slug, d in files.items()}
    used, n_ann, n_refs = set(), 0, 0

    def resolve(slug, ref, where):
        nonlocal n_refs
        n_refs += 1
        if ref.startswith(("http://", "https://")):
            return
        target, _, aid = ref.partition("#")
        target = target or slug
        if target not in texts:
            problems.append(f"{where}: {ref}: no article {target}")
        elif aid and aid not in ids.get(target, []):
            problems.append(f"{where}: {ref}: no annotation {aid} in {target}")

    for slug, d in files.items():
        text = texts.get(slug, "")
        art = d.get("article", {}) or {}
        lo, hi = 0, len(text)
        if "body" in art:
            s, e = norm(art["body"]["start"]).strip(), norm(art["body"]["end"]).strip()
            for q in (s, e):
                if text.count(q) != 1:
                    problems.append(f"{slug}: body quote {q!r} occurs {text.count(q)} times")
            lo, hi = text.find(s), text.find(e) + len(e)
        used.update(art.get("flags", []))
        if len(set(ids[slug])) != len(ids[slug]):
            problems.append(f"{slug}: duplicate ids")
        for a in d.get("annotations", []):
            n_ann += 1
            where = f"{slug}#{a.get('id')}"
            q = norm(a["quote"]).strip()
            c = text.count(q)
            if c != 1:
                problems.append(f"{where}: quote occurs {c} times: {q!r}")
            elif not (lo <= text.find(q) and text.find(q) + len(q) <= hi):
                problems.append(f"{where}: quote outside body")
            for f in a.get("flags", []):
                if f not in defined:
                    problems.append(f"{where}: undefined flag {f}")
                used.add(f)
            if not (a.get("flags") or a.get("note") or any(
                    k in a for k in ("rebuts", "retracts", "supports", "see"))):
                problems.append(f"{where}: says nothing")
            for rel in ("rebuts", "retracts", "supports", "see"):
                refs = a.get(rel, [])
                for ref in [refs] if isinstance(refs, str) else refs:
                    resolve(slug, ref, where)
                    if rel == "rebuts":
                        used.add("rebuttal")
                    if rel == "retracts":
                        used.add("retraction")
    missing = defined - used
    if missing:
        problems.append(f"flags never used: {sorted(missing)}")
    for p in problems:
        print(p)
    print(f"check_corpus: {len(texts)} articles, {n_ann} annotations, {n_refs} references, "
          f"flags used {sorted(used)}: {'OK' if not problems else f'{len(problems)} problems'}",
          file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
