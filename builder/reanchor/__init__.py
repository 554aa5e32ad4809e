"""Re-anchoring when an article changes (SPEC 10): `glossator reanchor`, and drift in `check` and `build`.

    drift.py     one article: which annotations (and body bounds) need a look, with what proposal
    versions.py  an article and its annotation file as they were in git: which commit last set each
                 annotation's anchoring values, the article's text then, its alignment with the text now
    align.py     pure: carry a passage across an edit (word alignment), or say why the history cannot
    search.py    pure: the passage in the new text alone, candidates scored on quote, context and position
    names.py     pure: whether a place found without context changed a name or number of the quote
    denials.py   pure: whether an edit wrote or removed a denial or negation beside a passage
    likeness.py  pure: words of a text, short quotes, how alike two texts are
    propose.py   pure: the smallest change of prefix/suffix/occurrence that anchors on a place
    changed.py   which articles changed since their annotations were written (git, by content), and
                 drift problems for check/build: all a build needs where none changed
    site.py      a whole site: findings, the patch (diff, JSON, write)
    yamledit.py  surgical in-place edits of an annotation file's fields
    lines.py     which source lines of two versions of an article are the same line
    record.py    without git: the text each article's annotations last anchored against in a build, standing in
                 for the version git would give (and drift for check/build from it)
"""
