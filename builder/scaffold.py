"""`glossator new` and `glossator init`: files that start a user off, never over theirs."""
from __future__ import annotations

import json
from pathlib import Path

from .articles import KINDS, discover, load_source
from .errors import Problem, Problems, did_you_mean

SCHEMA_LINE = "# yaml-language-server: $schema=../schema/annotations.schema.json\n"


def new_annotation_file(site: Path, slug: str) -> list[Problem]:
    problems = Problems()
    contents = discover(site, "content", KINDS, problems)
    target = site / "annotations" / f"{slug}.yaml"
    rel = f"annotations/{slug}.yaml"
    if slug not in contents:
        problems.error(rel, 1, 1, f'no article "{slug}" in content/{did_you_mean(slug, contents)}')
        return problems.items
    for existing in (target, target.with_suffix(".yml")):
        if existing.exists():
            problems.error(f"annotations/{existing.name}", 1, 1, "already exists: glossator new never overwrites a file")
            return problems.items
    source = load_source(site, slug, contents[slug], problems)
    if source is None:
        return problems.items
    title = (source.front or {}).get("title") or source.first_line
    _write_schema(site)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        SCHEMA_LINE
        + "article:\n"
        + f"  title: {json.dumps(str(title), ensure_ascii=False)}\n"
        + "  # author: \n  # publication: \n  # published: YYYY-MM-DD\n\n"
        + "annotations: []\n"
        + "  # - id: first-claim\n"
        + "  #   quote: \"a passage copied from the article\"\n"
        + "  #   flags: [anonymous-source]\n"
        + "  #   note: Why this passage deserves a note.\n",
        encoding="utf-8",
    )
    print(f"wrote {rel}")
    return []


def _write_schema(site: Path) -> None:
    """Put the schema where the `$schema=` line of annotation files points, for editors."""
    from .annotations import schema

    path = site / "schema" / "annotations.schema.json"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(schema(), indent=2) + "\n", encoding="utf-8")
