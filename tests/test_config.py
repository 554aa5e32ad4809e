"""site.toml: builder.config."""
from __future__ import annotations

import pytest

from builder.read.config import BUILTIN_FLAGS, load_config
from builder.errors import Problems


def config_of(tmp_path, text: str | bytes | None):
    if text is not None:
        path = tmp_path / "site.toml"
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    problems = Problems()
    config = load_config(tmp_path, problems)
    return config, [(p.file, p.line, p.col, p.message) for p in problems.sorted()]  # as reported


def test_no_site_toml_gives_the_defaults(tmp_path):
    config, problems = config_of(tmp_path, None)
    assert problems == []
    assert config.base_url == "/" and config.base_url_at is None
    assert config.output == "_site" and config.language == "en"
    assert list(config.flags) == ["anonymous-source", "retraction", "rebuttal"]


def test_every_key(tmp_path):
    config, problems = config_of(tmp_path, '''
title = "A reading"
description = "One line."
base_url = "https://example.org/reading"
language = "es"
default_annotator = "desk"
output = "public"

[flags.sponsored]
label = "Sponsored"
description = "Paid for."

[flags.rebuttal]
label = "Answered"
''')
    assert problems == []
    assert (config.title, config.description, config.language) == ("A reading", "One line.", "es")
    assert config.base_url == "https://example.org/reading/" and config.base_url_at
    assert (config.default_annotator, config.output) == ("desk", "public")
    assert config.flags["sponsored"].label == "Sponsored"
    assert config.flags["sponsored"].description == "Paid for."
    assert not config.flags["sponsored"].builtin
    relabelled = config.flags["rebuttal"]
    assert relabelled.label == "Answered" and relabelled.builtin
    assert relabelled.description == BUILTIN_FLAGS["rebuttal"].description  # kept when not given


def test_flag_without_label_gets_one_from_its_name(tmp_path):
    config, problems = config_of(tmp_path, "[flags.paid-content]\n")
    assert problems == []
    assert config.flags["paid-content"].label == "Paid content"


def test_bom_and_crlf_are_accepted(tmp_path):
    config, problems = config_of(tmp_path, b'\xef\xbb\xbftitle = "A"\r\nlanguage = "fr"\r\n')
    assert problems == []
    assert (config.title, config.language) == ("A", "fr")


def test_unknown_key_is_located_with_a_suggestion(tmp_path):
    _, problems = config_of(tmp_path, 'title = "A"\n\ndefault_anotator = "x"\n')
    assert problems == [("site.toml", 3, 1, 'unknown key "default_anotator" (did you mean "default_annotator"?)')]


def test_unknown_key_near_no_key_lists_the_keys(tmp_path):
    """SPEC 7: an unknown key is an error; where none is spelt alike (`author`, `theme`: a judge's guesses),
    the message names the keys there are rather than nothing."""
    _, problems = config_of(tmp_path, 'author = "Ms Okafor"\n')
    assert problems == [("site.toml", 1, 1, 'unknown key "author" (the keys of site.toml are title, description, base_url, '
                         'language, default_annotator, output, repo_url, flags, verdicts, publish, excerpt_words, search)')]


@pytest.mark.parametrize("line, message", [
    ("title = 3", '"title" should be text, not the number 3'),
    ("language = ['en']", '"language" should be text, not a list'),
    ("default_annotator = 2026-01-05", '"default_annotator" should be text, not the date 2026-01-05'),
    ('excerpt_words = "40"', '"excerpt_words" should be a whole number, 0 or more, not "40"'),
    ("search = 1", '"search" should be true or false, not the number 1'),
    ('base_url = "ftp://example.org/"', 'base_url "ftp://example.org/" should be an http(s) URL'),
    # every link starts with base_url's path: "//reading/" would be read as a host, "index.html/" as a folder
    ('base_url = "https://example.org//reading/"', 'should be the address of the site\'s folder: did you mean "https://example.org/reading/"?'),
    ('base_url = "https://example.org/reading/index.html"', 'did you mean "https://example.org/reading/"?'),
    ('base_url = "https://example.org/a/./b/../"', 'did you mean "https://example.org/a/"?'),
    ('base_url = "/reading//"', 'did you mean "/reading/"?'),
    # a host without its scheme (SPEC 7: base_url is an address; "with a suggestion where one exists")
    ('base_url = "example.org/classe"', 'should be an http(s) URL or a path starting with "/": did you mean "https://example.org/classe/"?'),
    ('base_url = "www.example.org"', 'did you mean "https://www.example.org/"?'),
    ('output = "/tmp/out"', 'output "/tmp/out" must be a folder inside the site'),
    ('output = "../out"', 'output "../out" must be a folder inside the site'),
    ('output = "."', 'output "." must be a folder inside the site'),
    # a shell's "~" and "$HOME": left as they are, the build made a folder named "~" in the site and said "into ~/out"
    ('output = "~/public_html"', '"~" is not expanded here, it would name a folder "~" in the site; to build elsewhere, use'),
    ('output = "$HOME/out"', '"$" is not expanded here, it would name a folder "$HOME" in the site'),
    ('flags = "sponsored"', '"flags" should be a table'),
    # repo_url + the file's path + "#L<line>" is every "Edit this annotation" link: the repository's address, as a
    # browser or a clone shows it, gave links to no file on every page, and the build said nothing
    ('repo_url = "https://github.com/org/site"', 'is the repository, not a folder of its files: edit links such as '
     'https://github.com/org/site/content/x.txt lead nowhere; did you mean "https://github.com/org/site/blob/main/"'),
    ('repo_url = "https://github.com/org/site.git"', 'did you mean "https://github.com/org/site/blob/main/"'),
    ('repo_url = "https://gitlab.com/org/team/site.git"', 'did you mean "https://gitlab.com/org/team/site/-/blob/main/"'),
    ('repo_url = "https://codeberg.org/org/site/"', 'did you mean "https://codeberg.org/org/site/src/branch/main/"'),
    ('repo_url = "https://github.com/org"', 'is an account, not a folder of a repository\'s files: write it as '
     '"https://github.com/org/<repository>/blob/main/"'),
    ('repo_url = "https://github.com/org/site/blob/main/?plain=1"', 'should be the address of a folder, without "?" or "#"'),
])
def test_wrong_values(tmp_path, line, message):
    config, problems = config_of(tmp_path, f'description = "x"\n{line}\n')
    assert [(p[1], p[2]) for p in problems] == [(2, 1)]
    assert message in problems[0][3]
    assert config.output == "_site" and config.base_url in ("/",)


def test_a_repo_url_that_leads_to_no_file_is_a_warning_and_the_pages_have_no_edit_links(tmp_path, make_site):
    """A repository's own address gives edit links to no file: said, and those links left out; the site is built."""
    site = make_site(tmp_path / "site", {"site.toml": 'title = "t"\nrepo_url = "https://github.com/org/site"\n',
                                         "content/a.txt": "A\n\nOfficials deny it.\n",
                                         "annotations/a.yaml": "annotations:\n  - quote: Officials deny it\n    note: N.\n"})
    config, problems = config_of(site, None)
    assert [p[3].endswith("the pages are built without edit links") for p in problems] == [True] and config.repo_url == ""
    from builder.build import build

    result = build(site, tmp_path / "out", use_cache=False)
    assert result.ok and "github.com" not in (tmp_path / "out" / "articles" / "a" / "index.html").read_text()
    assert [(p.severity, p.line) for p in result.problems if "repo_url" in p.message] == [("warning", 2)]


@pytest.mark.parametrize("url", ["https://github.com/org/site/blob/main/", "https://github.com/org/site/tree/main/docs",
                                 "https://gitlab.com/org/team/site/-/blob/main/", "https://git.example.org/org/site"])
def test_a_repo_url_of_a_folder_is_taken(tmp_path, url):
    """A folder of a forge's files, or any address on a host Glossator does not know, is taken as written."""
    config, problems = config_of(tmp_path, f'repo_url = "{url}"\n')
    assert problems == [] and config.repo_url == url.rstrip("/") + "/"


def test_flag_tables_are_checked_key_by_key(tmp_path):
    _, problems = config_of(tmp_path, '''title = "A"

[flags.sponsored]
label = 3
colour = "red"

[flags.Bad_Name]
label = "x"
''')
    assert problems == [
        ("site.toml", 4, 1, "flags.sponsored.label should be text, not the number 3"),
        ("site.toml", 5, 1, 'unknown key "colour" in flags.sponsored (the keys of [flags.sponsored] are label and description)'),
        ("site.toml", 7, 1, 'flag name "Bad_Name" should be lowercase letters, digits, "-" or "_" (did you mean "bad_name"?)'),
    ]


def test_names_written_quoted_are_found_where_they_are_written(tmp_path):
    """TOML lets a key be quoted ("Bad Name" has to be), in a header, a dotted key or a table's own key."""
    _, problems = config_of(tmp_path, '''title = "A"

[flags."Bad Name"]
label = "B"

[verdicts.'Bad V']
label = "V"
rating = 1

[flags]
"Also Bad" = {label = "C"}
''')
    assert [(line, col, message.split(" should")[0]) for _, line, col, message in problems] == [
        (3, 1, 'flag name "Bad Name"'), (6, 1, 'verdict name "Bad V"'), (11, 1, 'flag name "Also Bad"')]


def test_flag_key_positions_are_found_inside_their_own_table(tmp_path):
    _, problems = config_of(tmp_path, '''[flags.a]
label = "A"

[flags.b]
labl = "B"
''')
    assert [(p[1], p[2]) for p in problems] == [(5, 1)]
    assert 'did you mean "label"' in problems[0][3]


def test_toml_syntax_error_is_located(tmp_path):
    _, problems = config_of(tmp_path, 'title = "A"\nlanguage = en\n')
    (file, line, col, message), = problems
    assert (file, line) == ("site.toml", 2)
    assert col == 12
    assert message.startswith("TOML syntax: ") and "line" not in message


def test_toml_that_stops_short_is_located_where_it_stops(tmp_path):
    _, problems = config_of(tmp_path, 'title = "A"\nname = [\n')
    (file, line, col, message), = problems
    assert (file, line, col) == ("site.toml", 2, 9)
    assert message == "TOML syntax: Invalid value"


def test_a_broken_site_toml_is_said_once_not_again_at_every_flag(tmp_path, make_site, run_cli):
    """Its flags and verdicts are unknown because it could not be read: one error, at site.toml."""
    site = make_site(tmp_path / "site", {
        "site.toml": '[flags.sponsored]\nlabel = "Sponsored"\n[verdicts.shaky]\nlabel = "Shaky"\nrating = 1\n',
        "content/a.txt": "Officials say so.\n",
        "annotations/a.yaml": "annotations:\n  - quote: Officials\n    flags: [sponsored]\n    verdict: shaky\n    claim: So.\n"})
    assert run_cli("check", site)[0] == 0
    (site / "site.toml").write_text('[flags.sponsored\nlabel = "Sponsored"\n')
    code, out, err = run_cli("check", site)
    assert code == 1
    assert [line.split(": error:")[0] for line in err.splitlines() if ": error:" in line] == ["site.toml:1:17"]


@pytest.mark.parametrize("tables, said", [
    # two verdicts of a site's own scale on one rating: said at the second
    ('[verdicts.wrong]\nrating = 1\n[verdicts.bad]\nrating = 1\n', [(4, 1, "verdicts.bad has rating 1, as verdicts.wrong does")]),
    # a built-in verdict re-rated onto another's place: said at the rating written
    ('[verdicts.false]\nrating = 2\n', [(2, 1, "verdicts.false has rating 2, as verdicts.misleading does")]),
    ('[verdicts.misleading]\nrating = 1\n', [(2, 1, "verdicts.misleading has rating 1, as verdicts.false does")]),
    # the two built-in verdicts between the ends swapped, and a scale of its own with each verdict in its place:
    # nothing to say (false swapped with misleading is no longer the worst: an error, tests/broken/verdict-*-rated-*)
    ('[verdicts.misleading]\nrating = 3\n[verdicts.unproven]\nrating = 2\n', []),
    ('[verdicts.wrong]\nrating = 1\n[verdicts.shaky]\nrating = 2\n', []),
    # a verdict of the site's own with no rating: that error alone, not also a warning of the 1 read in its place
    ('[verdicts.wrong]\nrating = 1\n[verdicts.odd]\nlabel = "Odd"\n', [(3, 1, 'verdicts.odd needs a "rating"')]),
])
def test_two_verdicts_on_one_rating_are_said(tmp_path, tables, said):
    """Two verdicts given one rating passed silently: pages and ClaimReview then show them as equally bad."""
    _, problems = config_of(tmp_path, tables)
    assert [(line, col, message.split(":")[0]) for _, line, col, message in problems] == said


def test_bad_utf8_is_located(tmp_path):
    _, problems = config_of(tmp_path, b'title = "A"\ndescription = "caf\xe9"\n')
    assert [(p[1], p[2]) for p in problems] == [(2, 19)]
    assert "UTF-8" in problems[0][3]


def test_blank_text_is_no_text_so_the_defaults_stand_in(tmp_path):
    """`title = " "` gave every page an empty <title> (invalid HTML), and a blank flag label an
    invisible flag word; the default stands in instead, and runs of white space read as one space."""
    config, problems = config_of(tmp_path, 'title = "  "\ndefault_annotator = "\\t"\n\n[flags.anonymous-source]\n'
                                           'label = " "\n\n[flags.paid]\nlabel = "  Paid \\n for "\n\n[verdicts.false]\nlabel = ""\n')
    assert problems == []
    assert config.title == "Glossator site"
    assert config.default_annotator == ""
    assert config.flags["anonymous-source"].label == "Anonymous sourcing"
    assert config.flags["paid"].label == "Paid for"
    assert config.verdicts["false"].label == "False"


@pytest.mark.parametrize("text, where, says", [
    ('title = "A"\ntitle = "B"\n', (2, 1), '"title" is set twice (first on line 1): keep one'),
    ('[flags.a]\nlabel = "x"\n[flags.b]\nlabel = "y"\nlabel = "z"\n', (5, 1), '"label" is set twice (first on line 4)'),
    ('[flags.a]\nlabel = "x"\n[flags.a]\n', (3, 1), "[flags.a] is declared twice (first on line 1)"),
    ('language = en\n', (1, 12), 'text needs quotes: language = "en"'),
    ('search = yes\n', (1, 10), "write search = true (lowercase, no quotes)"),
    ('title = "A\nlanguage = "en"\n', (1, 9), 'this text is never closed: end it with " on its line'),
    ('language = "en"\ntitle = "A', (2, 9), 'this text is never closed: end it with " on its line'),  # (the file's end)
    ("title = 'A\n", (1, 9), "this text is never closed: end it with ' on its line"),
    ('title = "A"\ndescription = """Two\nlines\n', (2, 15), 'this text is never closed: end it with """'),
    ("title = 'it's'\n", (1, 13), "the text goes on after its closing ': put text with ' in it in \"…\""),
    ('title = "C:\\docs"\n', (1, 14), "write \\\\ for a backslash, or put the text in '…'"),
    ('title: "A"\n', (1, 6), "written title = value (not title: value)"),
])
def test_toml_slips_are_said_as_such(tmp_path, text, where, says):
    _, problems = config_of(tmp_path, text)
    (file, line, col, message), = problems
    assert (line, col) == where and says in message, message


def test_a_key_or_table_given_twice_hides_no_other_problem(tmp_path):
    """SPEC 8 (every problem at once): a flag defined twice in site.toml, or a key set twice, is a syntax error,
    but the first of the two is what the site meant, so the rest of the file is still checked, and its flags
    and verdicts are known (annotations are checked against them instead of left unchecked)."""
    config, problems = config_of(tmp_path, 'title = "A"\ntitle = "B"\nexcerpt_word = 6\n\n'
                                           '[flags.misquote]\nlabel = "Misquoted"\n\n[verdicts.fair]\nrating = 0\n\n'
                                           '[flags.misquote]\nlabel = "Misquote"\ndescription = "again"\n')
    assert [(line, message.split(":")[0] if "TOML" in message else message[:24]) for _, line, _, message in problems] == [
        (2, "TOML syntax"), (3, 'unknown key "excerpt_wor'), (9, "verdicts.fair.rating sho"), (11, "TOML syntax")]
    assert not config.unread and config.title == "A"
    assert config.flags["misquote"].label == "Misquoted" and list(config.verdicts) == ["fair"]


def test_a_base_url_whose_scheme_is_in_capitals_is_a_valid_url(tmp_path):
    """Schemes are case-insensitive (RFC 3986): HTTPS://… is an http(s) URL, from site.toml or --base-url."""
    from builder.read.config import base_url_problem

    config, problems = config_of(tmp_path, 'base_url = "HTTPS://Desk.Example.org:8443/r/"\n')
    assert problems == [] and config.base_url == "HTTPS://Desk.Example.org:8443/r/"
    assert base_url_problem("Http://example.org/") is None


@pytest.mark.parametrize("text, said, unread", [
    # a statement that runs on over lines (an array, a string open to the end): nothing after its error is read
    ('excerpt_words = [1,\n2\n3]\ntitel = "A"\n', [3], True),
    ('description = """The\ntitel = "A"\n', [1], True),  # (said at its opening: the line to mend)
    ('description = """A \\q\nlanguage = "x"\n"""\n', [1], True),  # (its line 2 is text, not a language)
    # a broken header whose table holds a text that looks like a header: where the table ends is not sure
    ('[flags.paid\ndescription = """Paid.\n[note]\nmore"""\nlanguage = "x"\n', [1], True),
    # a header that lost its "[" (its label is not the table above's, set twice), and a key line that gained one
    # (the rating below it is not missing)
    ('[flags.a]\nlabel = "A"\nflags.paid]\nlabel = "P"\n', [3], True),
    ('[verdicts.fair]\n[label = "Fair"\nrating = 3\n', [2], True),
    # a flag written on the broken line alone (a dotted key): the flags are unknown, not wrong
    ('flags.paid.label = "Paid\ntitel = "A"\n', [1, 2], True),
    # a verdict's header broken: the scale may have been the site's own, so no rating is said to be shared
    ('[verdicts.fair\nrating = 1\n[verdicts.false]\nrating = 2\n', [1], True),
    # a broken line in a flag's own table: that flag, and the others, are still known
    ('[flags.paid]\nlabel = "Paid\ndescription = "x"\n[flags.owned]\nlabel = "Owned"\n', [2], False),
])
def test_a_toml_syntax_error_leaves_out_only_what_it_can_tell_apart(tmp_path, text, said, unread):
    """SPEC 8: every problem at once, and no false one. A broken line is left out and the rest read where the
    line can be told apart from the rest; where it cannot, nothing more is said."""
    config, problems = config_of(tmp_path, text)
    assert [line for _, line, _, _ in problems] == said, problems
    assert config.unread == unread
    if not unread:
        assert {"paid", "owned"} <= set(config.flags)
