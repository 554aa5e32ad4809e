"""The W3C Web Annotation test suite's MUST assertions (tests/w3c), run over annotations.jsonld files.

    python tests/w3c_suite.py OUTPUT_FOLDER…    # prints each failure and the counts
"""
from __future__ import annotations

import json
import sys
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent / "w3c"


@lru_cache(maxsize=None)
def assertions() -> tuple:
    """(name, validator) for every assertion annotationMusts.test lists."""
    import jsonschema
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    registry = Registry().with_resources(
        (path.name, Resource.from_contents(json.loads(path.read_text("utf-8")), default_specification=DRAFT4))
        for path in sorted((HERE / "definitions").glob("*.json")))
    listed = json.loads((HERE / "annotations" / "annotationMusts.test").read_text("utf-8"))["assertions"]
    out = []
    for rel in listed:
        schema = json.loads((HERE / rel).read_text("utf-8"))
        assert schema["expectedResult"] == "valid" and schema["assertionType"] == "must", rel
        validator = jsonschema.Draft4Validator(schema, registry=registry,
                                               format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
        out.append((Path(rel).stem, validator))
    return tuple(out)


def uri_format_is_checked() -> bool:
    """Without rfc3987, jsonschema lets any string pass as a URI."""
    import jsonschema

    return not jsonschema.Draft4Validator.FORMAT_CHECKER.conforms("not a uri", "uri")


def failures(annotation: dict) -> list[str]:
    """The names of the assertions this annotation fails."""
    return [name for name, validator in assertions() if not validator.is_valid(annotation)]


def exported(folder: Path) -> list[tuple[str, dict]]:
    """(file#id, annotation) for every annotation of every annotations.jsonld under folder."""
    out = []
    for path in sorted(folder.rglob("annotations.jsonld")):
        doc = json.loads(path.read_text("utf-8"))
        for item in doc["first"]["items"]:
            out.append((f"{path.relative_to(folder).as_posix()}#{item['id'].rpartition('#')[2]}", item))
    return out


def main(folders: list[str]) -> int:
    total = failing = count = 0
    for folder in folders:
        for name, item in exported(Path(folder)):
            total += 1
            failed = failures(item)
            if failed:
                failing += 1
                count += len(failed)
                print(f"{folder}/{name}: {', '.join(failed)}")
    print(f"{failing} of {total} annotations fail, {count} assertion failures "
          f"({len(assertions())} assertions; URI format checked: {uri_format_is_checked()})")
    return 1 if count else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
