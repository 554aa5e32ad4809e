"""The schema editors are pointed at (schema/annotations.schema.json, through each annotation file's
first line) agrees with `check`: a file check accepts validates, and the mistakes the schema can
express (a misspelt field, a verdict without its claim) are flagged by it too, as an editor shows them."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from builder.read.load import load_site

REPO = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((REPO / "schema" / "annotations.schema.json").read_text("utf-8"))
GOOD_SITES = [REPO] + sorted(p for p in (REPO / "tests" / "sites").iterdir() if (p / "annotations").is_dir())
BROKEN = REPO / "tests" / "broken"


class _Editor(yaml.SafeLoader):
    """YAML as the YAML language server reads it (1.2: `2012-10-24` is text, not a date)."""


_Editor.yaml_implicit_resolvers = {k: [(t, r) for t, r in v if t != "tag:yaml.org,2002:timestamp"]
                                   for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def schema_errors(path: Path) -> list[str]:
    data = yaml.load(path.read_text("utf-8"), Loader=_Editor)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in jsonschema.Draft202012Validator(SCHEMA).iter_errors(data)]


@pytest.mark.parametrize("site", GOOD_SITES, ids=lambda p: p.name)
def test_every_file_check_accepts_validates(site):
    _, problems = load_site(site)
    assert problems.errors == []
    for path in sorted((site / "annotations").glob("*.y*ml")):
        assert schema_errors(path) == [], path


@pytest.mark.parametrize("case, says", [
    ("unknown-field", "was unexpected"),
    ("unknown-article-field", "was unexpected"),
    ("unknown-top-level-key", "was unexpected"),
    ("source-unknown-field", "is not valid"),
    ("verdict-without-claim", "'claim' is a dependency of 'verdict'"),
])
def test_mistakes_check_rejects_are_flagged_in_the_editor_too(case, says):
    (path,) = (BROKEN / case / "annotations").glob("*.yaml")
    assert any(says in e for e in schema_errors(path)), schema_errors(path)


def test_numbers_check_reads_as_written_slugs_are_not_flagged_in_the_editor(tmp_path):
    """`id: 2024`, `see: 2024`, `sources: [2024]`: check takes each as written (SPEC 3, 5), so an editor shows no error."""
    from tests.conftest import write_site

    site = write_site(tmp_path / "site", {
        "site.toml": 'title = "Numbers"\n',
        "content/2024.txt": "The year\n\nThe budget rose in 2024.\n",
        "content/report.txt": "Report\n\nThe mayor said the budget rose.\n",
        "annotations/report.yaml": "annotations:\n  - id: 2024\n    quote: The mayor said\n    note: See the year.\n"
                                   "    see: 2024\n    sources: [2024]\n",
    })
    _, problems = load_site(site)
    assert problems.errors == []
    assert schema_errors(site / "annotations" / "report.yaml") == []
