"""Re-anchoring when an article changes (SPEC 10): `glossator reanchor`, and drift in `check` and `build`.

    align.py     pure: carry a passage across an edit (word alignment), search the text alone, and
                 the smallest change of prefix/suffix/occurrence that anchors on a place
    drift.py     one article: which annotations (and body bounds) need a look, with what proposal
    site.py      a whole site: findings, drift problems for check/build, the patch (diff, JSON, write)
    yamledit.py  surgical in-place edits of an annotation file's fields
"""
