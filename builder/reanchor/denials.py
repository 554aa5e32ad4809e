"""Whether an edit changed a passage's sense while leaving its words: denials and negations ("not", "denied",
"which was a lie"…) written or removed beside it, in its sentence, or in the passage itself. Word lists and
the rules that tell a denial from a word that only looks like one ("no doubt", "a disputed election", "the
town lies on the river", "workers were dismissed")."""
from __future__ import annotations

import re
from collections import Counter

from ..anchorhints import in_a_correction
from ..anchoring import NormText, normalise
from .likeness import PUNCT, UNSPACED_CHAR, word_span, words
from .names import NUMBER_WORDS

_NEGATION = re.compile(r"\b(not|no|never|nor|neither|none|nobody|nothing|nowhere|cannot|\w+n['\u02bc]t"
                       r"|pas|jamais|aucun|aucune|rien|nunca|jam[aá]s|nadie|ninguna?|ning[uú]n|n[aã]o|nenhuma?|non|nessuno"
                       r"|nicht|kein|keine|keinen|keinem|keiner|nie|niemals|niemand"
                       r"|den(?:y|ies|ied|ying|ial)|false(?:ly|hood)?|untrue|wrong(?:ly)?|incorrect(?:ly)?|inaccurate"
                       r"|erroneous(?:ly)?|mistaken(?:ly)?|disput(?:e|es|ed|ing)|refut(?:e|es|ed|ing)"
                       r"|retract(?:s|ed|ing)?|debunk(?:s|ed|ing)?|baseless|unfounded|rumou?r(?:s|ed)?|hoax(?:es)?"
                       r"|reject(?:s|ed|ing)?|dismiss(?:es|ed|ing)?|fake|fabricat(?:ed|ion)|bogus|misleading"
                       r"|lie[sd]?|lying|liars?)\b",
                       re.IGNORECASE)
_NEGATES = frozenset("not no never nor neither none nobody nothing nowhere cannot pas jamais aucun aucune rien nunca jamás "
                     "jamas nadie ninguno ninguna ningún ningun não nao nenhum nenhuma non nessuno nicht kein keine keinen "
                     "keinem keiner nie niemals niemand".split())  # each counted as "not" (in French, English, Spanish,
# Portuguese, Italian, German: "ne … pas" is "pas" alone, its "ne" (or "n’") left aside)
# before these, a negation denies nothing ("there was no doubt …", "not only … but", "never before matched")
_NOT_AFTER = {"no": ("doubt", "matter", "small", "sooner"), "not": ("only", "far", "least"), "never": ("before",)}
# in Chinese, a character that negates or denies what follows it (but not in these words: "however", "very",
# "future", …); in Japanese, verb endings that negate
_DENIAL_UNSPACED = frozenset("不没沒未否无無非谣謠驳駁假错錯")
_NOT_A_DENIAL = frozenset("不过 不過 不久 不断 不斷 不仅 不僅 不但 不少 不同 非常 未来 未來 无论 無論 无疑 無疑 假期 假如 错过 錯過".split())
_NOT_AN_ENDING = ("少なくない",)  # "not a few": many
_DENIAL_ENDINGS = ("ない", "なかっ", "ません", "否定", "否認")


def denial_words(text: str) -> frozenset:
    """The words of a text that deny what it says (negations, "denied", "wrong"...), each counted
    ('not' twice is not 'not' once); every negation ("didn't", "nobody", "never") counts as "not"."""
    found = _denials(text)
    return frozenset(f"{w}" if n == 1 else f"{w} ×{n}" for w, n in found.items())


def _denials(text: str) -> Counter:
    """The denials of a whole text (a quote, a passage), counted as `_denied` counts them."""
    text = normalise(text)
    ws = words(text)
    return _denied(ws, text, list(range(len(ws))))


def _as_denial(word: str) -> str:
    return "not" if word in _NEGATES or word.endswith(("n't", "n\u02bct")) else word  # (and a modifier letter apostrophe)


def _unspaced_denials(text: str) -> Counter:
    """The negating characters and endings of Chinese or Japanese text."""
    found: Counter = Counter()
    for i, c in enumerate(text):
        if c in _DENIAL_UNSPACED and text[i : i + 2] not in _NOT_A_DENIAL:
            found[c] += 1
    for ending in _DENIAL_ENDINGS:
        found[ending] += text.count(ending) - sum(text.count(idiom) for idiom in _NOT_AN_ENDING if ending in idiom)
    return found


DENIAL_NEAR = 6  # words beside a passage, in its sentence, where a denial written or removed changes its sense
UNSPACED_WORD = 0.4  # a character of a script written without spaces, in words
_SENTENCE_END = re.compile(r"[.!?:;…。！？；：][\"'”’)\]」』]*$")
_CLAUSE_END = re.compile(r"[,;:—–(][\"'”’)\]」』]*$")
_DASHES = ("—", "–", "-", "--")  # a dash standing alone, between words
_ABBREVIATION = frozenset("mr mrs ms dr prof st mt jr sr gen sen rep gov lt col capt sgt no vs etc inc ltd co corp "
                          "jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun".split())
_QUOTES = PUNCT + "“”‘’«»_*"  # (and a plain text's emphasis: "_not_", "*never*")


def flipped_denials(align, old: tuple, new: tuple) -> frozenset:
    """The denials (negations, "denied", "wrong"…) the edit put beside a passage, or took away: up to
    DENIAL_NEAR words before or after it, in its sentence and paragraph, that are new words, or old words
    that were not in its sentence before (two sentences merged); or, in the old text, words the edit
    removed. The two are counted against each other ("didn't" removed for "did not" added is no change).
    A denial that only moved out of the sentence, or further along it, was not written. A clause right after
    the passage that comments on it (see `_comment`: "…, which was a lie", "… – not true") is about what it
    says: its denials count, its negations do not ("…, which is no longer standing": of a thing named in it),
    but those of the truth do (", which was not true", see `_of_truth`)."""
    (o_flow, o_norm, os, oe), (n_flow, n_norm, ns, ne) = old, new
    o_span, n_span = word_span(align.ow, os, oe), word_span(align.nw, ns, ne)
    if o_span is None or n_span is None:
        return frozenset()

    def denials(ws, norm, flow, span, keep) -> Counter:
        claimed = _claimed(ws, norm, flow, *span)
        beside = _denied(ws, norm.text, [k for k in _beside(ws, norm, flow, *span) if keep(k)], span, claimed)
        clause, of_it = _comment(ws, norm.text, span[1])
        comment = _denied(ws, norm.text, [k for k in clause if keep(k)], span, claimed or of_it, negations=False)
        return beside + comment

    was_beside = set(_beside(align.ow, o_norm, o_flow, *o_span, limit=None)) | set(_comment(align.ow, o_norm.text, o_span[1])[0])
    removed = denials(align.ow, o_norm, o_flow, o_span, lambda k: k not in align.forward)
    added = denials(align.nw, n_norm, n_flow, n_span, lambda k: align.backward.get(k) not in was_beside)
    return frozenset({w for w in added if added[w] > removed[w]} | {w for w in removed if removed[w] > added[w]})


def _comment(ws: list, text: str, j: int) -> tuple[list[int], bool]:
    """The words of a clause right after word j (the passage's last) that comments on what it says, to the
    clause's end, at most DENIAL_NEAR words, and whether it points back at it as a claim: after a comma,
    one that starts with "which" (", which was a lie"), a claim noun (", a claim the council denies") or
    "but" and a word that points back (", but that was false"); after a dash, any ("— which was a lie",
    "– not true"). ([], False) when none follows: ", which was a record", ", but that was expected" are
    comments too, with no denial in them."""
    dash = j + 1 < len(ws) and text[ws[j + 1][0] : ws[j + 1][1]] in _DASHES
    start = j + 2 if dash else j + 1
    head, following = _word(ws, text, start), _word(ws, text, start + 1)
    of_it = (head == "which" or head in _CLAIM_NOUNS or (head in _DETERMINERS and following in _CLAIM_NOUNS)
             or (head == "but" and following in _CLAIM_POINTERS))
    if start >= len(ws) or not (dash or (of_it and _CLAUSE_END.search(text[ws[j][0] : ws[j][1]]))):
        return [], False
    out = []
    for k in range(start, min(len(ws), start + DENIAL_NEAR)):
        out.append(k)
        word = text[ws[k][0] : ws[k][1]]
        if _CLAUSE_END.search(word) or _SENTENCE_END.search(word) or word in _DASHES:
            break
    return out, of_it


def _word(ws: list, text: str, k: int) -> str:
    """Word k, lower-cased, without the punctuation around it; "" past either end."""
    return text[ws[k][0] : ws[k][1]].strip(_QUOTES).lower() if 0 <= k < len(ws) else ""


def _claimed(ws: list, norm: NormText, flow: str, i: int, j: int) -> bool:
    """Whether a claim noun ("reports", "claims"…) stands in the passage (words i..j) or before it in its
    sentence ("Reports that [the plan was approved] were dismissed")."""
    before = [k for k in _beside(ws, norm, flow, i, j, limit=None) if k < i]
    return any(_word(ws, norm.text, k) in _CLAIM_NOUNS for k in [*before, *range(i, j + 1)])


def _beside(ws: list, norm: NormText, flow: str, i: int, j: int, limit: float | None = DENIAL_NEAR):
    """The indexes of the words before word i and after word j, in their sentence and paragraph, up to
    `limit` words on each side (a character of a script without spaces counts as UNSPACED_WORD)."""
    text = norm.text

    def clause(k: int) -> bool:  # word k ends a clause, or is a dash
        word = text[ws[k][0] : ws[k][1]]
        return bool(_CLAUSE_END.search(word)) or word in ("—", "–", "-")

    def apart(a: int, b: int, after: bool) -> bool:  # a sentence ends with word a, or a blank line stands between
        word = text[ws[a][0] : ws[a][1]]  # a and b; after the passage, a clause too ("…, which is no longer standing")
        if after and (clause(a) or clause(b) and len(text[ws[b][0] : ws[b][1]]) == 1):
            return True
        if _SENTENCE_END.search(word):
            core = word.rstrip("\"'”’)]")
            bare = core[:-1].lower() if core.endswith(".") else None  # "Dr.", "a.m.", "U.S." end no sentence
            if bare is None or not (bare in _ABBREVIATION or "." in bare or len(bare) == 1):
                return True
        return "\n\n" in flow[norm.end(ws[a][1]) : norm.start(ws[b][0])]

    def aside(k: int) -> int | None:  # word k closes an aside: the word before it that opens it (within DENIAL_NEAR)
        for m in range(k - 1, max(-1, k - 1 - DENIAL_NEAR), -1):
            if apart(m, m + 1, False):
                return None
            if clause(m):
                return m
        return None

    for step, at in ((-1, i), (1, j)):
        k, taken = at + step, 0.0
        if step < 0 and k >= 0 and clause(k):  # right after an aside ("The mill, which is no longer standing, [Q]"):
            k -= 1  # its words say nothing of the passage; the words before it do
            while k >= 0 and not clause(k) and not apart(k, k + 1, False):
                k -= 1
        while 0 <= k < len(ws) and not (apart(k, k + 1, False) if step < 0 else apart(k - 1, k, True)):
            if step < 0 and clause(k) and (opens := aside(k)) is not None:
                k = opens  # an aside further back ("It is not true, as the mayor said, that [Q]"): skipped, uncounted
                continue
            if step > 0 and _word(ws, text, k) in _OWN_CLAUSE:
                break  # "… asked not to be named because they were not authorised": its negations are its own
            taken += UNSPACED_WORD if ws[k][1] - ws[k][0] == 1 and UNSPACED_CHAR.match(text, ws[k][0]) else 1
            if limit is not None and taken > limit:
                break
            yield k
            k += step


def _denied(ws: list, text: str, ks: list[int], passage: tuple[int, int] | None = None, claimed: bool = False,
            negations: bool = True) -> Counter:
    """The denials among these words, as counted (every negation as "not"; "No 10" is a number; "lie" only
    as a noun, see `_a_lie`; in Chinese and Japanese, the negating characters and endings of the run of
    these words). `passage`: its first and last word, when these are the words beside it: after it,
    "dismiss", "reject" and "deny" count only as a denial of a claim (see `_denies_a_claim`; `claimed`: a
    claim noun stands before it). `negations`: whether negations ("not", "never"…) count, or only denials."""
    found: Counter = Counter()
    run = []
    for k in sorted(ks):
        word = text[ws[k][0] : ws[k][1]].strip(_QUOTES)
        run.append(word if not run or k == prev + 1 else "|" + word)
        prev = k
        if passage is not None and k == passage[0] - 1 and _former(ws, text, k):
            found["former value"] += 1
            continue
        if not _NEGATION.fullmatch(word):
            continue
        w = word.lower()
        following = text[ws[k + 1][0] : ws[k + 1][1]].lower() if k + 1 < len(ws) else ""
        if (w == "no" and following[:1].isdigit()) or following.strip(_QUOTES) in _NOT_AFTER.get(w, ()):
            continue
        if w == "disputed" and _word(ws, text, k - 1) in _DETERMINERS and following.strip(_QUOTES) not in _CLAIM_NOUNS:
            continue  # "a disputed election": which election, not a denial ("the disputed claims that …" is one)
        if (not negations and _as_denial(w) == "not" and not _of_truth(ws, text, k)) or (w in ("lie", "lies", "lying") and not _a_lie(ws, text, k)):
            continue
        if passage is not None and k > passage[1] and _REFUSALS.fullmatch(w) and not _denies_a_claim(ws, text, k, claimed):
            continue
        found[_as_denial(w)] += 1
    if _withdrawn(ws, text, ks, passage):
        found["earlier version"] += 1
    return +(found + _unspaced_denials("".join(run)) if negations else found)


def _withdrawn(ws: list, text: str, ks: list[int], passage: tuple[int, int] | None) -> bool:
    """Whether these words open a correction that quotes an earlier version of the article (`in_a_correction`: "An
    earlier version of this article said [Q]"), where the passage is now the words withdrawn: beside a passage, one
    that it stands in, opened by some of these words; in a text of its own (no passage), one that a sentence opens."""
    if not ks:
        return False
    if passage is None:
        ends = [m.start() for m in re.finditer(r"[.!?…](?=\s|$)", text)] + [len(text)]
        return any(in_a_correction(text, e) is not None for e in ends)
    at = ws[passage[0]][0]
    said = in_a_correction(text, at)
    return said is not None and any(at - len(said) - 1 <= ws[k][0] < at for k in ks)


# after a passage, these start a clause of its own (a cause, a time, a condition, a person named in it): a negation
# there is of that clause, not the passage's ("who asked not to be named because they were not authorised to speak")
_OWN_CLAUSE = frozenset("because when while after before until unless if who whom whose".split())
# right before a passage, these give it as what it was, no longer what it is: "£449 (was £499)", "formerly the Grand
# Hotel", "down from 12%"
_FORMER = frozenset("formerly previously originally".split())
_CHANGED_FROM = frozenset("down up reduced cut lowered raised increased decreased".split())


def _former(ws: list, text: str, k: int) -> bool:
    """Whether word k, right before a passage, says the passage is a former value or wording: "formerly",
    "previously", "originally"; "was" opening a parenthesis ("(was £499)"); "from" after "down", "up", "cut"…"""
    word = _word(ws, text, k)
    return (word in _FORMER or word == "was" and text[ws[k][0]] == "("
            or word == "from" and _word(ws, text, k - 1) in _CHANGED_FROM)


# "dismiss", "reject", "deny" also tell of events ("workers were dismissed", "he was denied bail"): see `_denies_a_claim`
_REFUSALS = re.compile(r"dismiss(?:es|ed|ing)?|reject(?:s|ed|ing)?|den(?:y|ies|ied|ying)")
_CLAIM_NOUNS = frozenset("report reports claim claims allegation allegations accusation accusations suggestion "
                         "suggestions rumour rumours rumor rumors story statement statements assertion assertions idea "
                         "ideas notion notions theory theories speculation version versions finding findings".split())
_DETERMINERS = frozenset("a an the this that its their his her our".split())  # before an adjective
_CLAIM_POINTERS = frozenset("it this that these those such as".split())  # right after the verb: what was said
_BE = frozenset("am is are was were be been being get gets got gotten getting".split())
# before "lie" or "lies", these make it the noun ("a lie", "were lies", "a pack of lies"); not "The town lies on …"
_LIE_AFTER = frozenset("a an the of such is are was were be been being".split())
_LIE_ADJECTIVES = frozenset("all complete total outright blatant big barefaced bald-faced downright utter pure white "
                            "damned deliberate".split())


# after a negation, what says it is of the truth of what came before (", which was not true"); the adverbs between
_TRUTH = frozenset("true correct accurate right factual so".split())
_HEDGES = frozenset("entirely quite really wholly completely strictly altogether at all".split())


def _of_truth(ws: list, text: str, k: int) -> bool:
    """Whether negation k denies the truth of what came before: "not true", "not entirely accurate", "not the case",
    "never true" (", which was not true"); not "no longer standing", "not far from"."""
    n = k + 1
    while _word(ws, text, n) in _HEDGES:
        n += 1
    return _word(ws, text, n) in _TRUTH or (_word(ws, text, n) == "the" and _word(ws, text, n + 1) == "case")


def _a_lie(ws: list, text: str, k: int) -> bool:
    """Whether "lie", "lies" or "lying" (word k) says that something is untrue: "lie" and "lies" as a noun, after
    an article, "of" or a form of "be" ("It is a lie that …", "…, which was a complete lie", "were all lies"); any
    of them before "about" what is not a distance ("The minister lies about the cost"; not "The town lies about
    5 km from …"); "lying" that ends its clause ("…, but he was lying."). The verb of place is none ("The town
    lies on the river", "was lying in the valley"). ("lied" and "liar" always are.)"""
    word = _word(ws, text, k)
    if word == "lying":
        raw = text[ws[k][0] : ws[k][1]]
        if k + 1 >= len(ws) or _SENTENCE_END.search(raw) or _CLAUSE_END.search(raw):
            return True
    else:
        before = _word(ws, text, k - 1)
        if before in _LIE_ADJECTIVES:
            before = _word(ws, text, k - 2)
        if before in _LIE_AFTER or before.endswith(("'s", "’s")):
            return True
    if _word(ws, text, k + 1) != "about":
        return False
    what = _word(ws, text, k + 2)
    return not (what[:1].isdigit() or what in NUMBER_WORDS or what in ("a", "an", "half", "halfway", "midway"))


def _denies_a_claim(ws: list, text: str, k: int, claimed: bool) -> bool:
    """Whether "dismiss", "reject" or "deny" (word k), written after the passage, denies a claim, not tells of an
    event. Before the passage it always counts: the passage is, or is inside, its object ("dismissed claims
    [the plan was approved]"). After it, it counts when its object is the claim: a claim noun stands before the
    passage in its sentence, or in it (`claimed`: "Reports that [Q] were dismissed"); or, in the active, the
    next word is "it", "this", "that", "as"… ("denied it", "dismissed as rumour"), a claim noun is among the
    next three ("rejected the ministry's claims"), or nothing follows ("…, but officials denied."). In the
    passive after a form of "be" with no claim before, it tells of something done to someone: "…until workers
    were dismissed in 1950", "…until the appeal was rejected", "…and he was denied bail"; so does an active
    verb with another object ("…until the owner dismissed the workers")."""
    if claimed:
        return True
    before = _word(ws, text, k - 1)
    if before.endswith("ly"):  # "were quickly dismissed"
        before = _word(ws, text, k - 2)
    if before in _BE:
        return False
    word = text[ws[k][0] : ws[k][1]]
    if k + 1 >= len(ws) or _SENTENCE_END.search(word) or _CLAUSE_END.search(word):
        return True
    following = [_word(ws, text, k + d) for d in (1, 2, 3)]
    return following[0] in _CLAIM_POINTERS or any(w in _CLAIM_NOUNS for w in following)


# a word and its opposite: a correction that swaps one for the other reverses what the passage says ("up to 40% lower"
# -> "up to 40% higher"), as a negation does; so does a word and its own negative ("lawful" -> "unlawful", _NEGATING)
_OPPOSITES = (("lower", "higher"), ("low", "high"), ("lowest", "highest"), ("less", "more"), ("fewer", "more"),
              ("least", "most"), ("increase", "decrease"), ("increased", "decreased"), ("increases", "decreases"),
              ("rise", "fall"), ("rises", "falls"), ("rose", "fell"), ("risen", "fallen"), ("rising", "falling"),
              ("up", "down"), ("above", "below"), ("over", "under"), ("better", "worse"), ("best", "worst"),
              ("gain", "loss"), ("gains", "losses"), ("profit", "loss"), ("profits", "losses"), ("surplus", "deficit"), ("won", "lost"), ("win", "lose"), ("wins", "loses"),
              ("guilty", "innocent"), ("convicted", "acquitted"), ("approved", "rejected"), ("accepted", "rejected"),
              ("confirmed", "denied"), ("admitted", "denied"), ("true", "false"), ("always", "never"), ("all", "none"),
              ("before", "after"), ("for", "against"), ("support", "oppose"), ("supported", "opposed"),
              ("supports", "opposes"), ("leads", "trails"), ("led", "trailed"), ("ahead", "behind"), ("most", "few"),
              ("many", "few"), ("increase", "cut"), ("safe", "dangerous"), ("open", "closed"), ("allowed", "banned"),
              ("passed", "failed"), ("succeeded", "failed"), ("included", "excluded"), ("alive", "dead"),
              ("must", "may"), ("shall", "may"),  # (a duty made a discretion, or the reverse)
              ("will", "may"), ("will", "might"), ("will", "could"))  # (a certainty made a possibility)
_NEGATING = ("un", "in", "im", "il", "ir", "non", "non-", "dis")  # "safe" -> "unsafe", "legal" -> "illegal"
_OPPOSITE: dict[str, set[str]] = {}
for _a, _b in _OPPOSITES:
    _OPPOSITE.setdefault(_a, set()).add(_b)
    _OPPOSITE.setdefault(_b, set()).add(_a)
_ANSWERS = frozenset("yes no oui non sí ja nein sim não".split())  # an answer that opens a passage
# a comparison turned into an equality ("paid less than" -> "paid the same as"): the passage no longer says the difference
_COMPARATIVES = frozenset("less more fewer higher lower greater smaller larger bigger better worse earlier later longer "
                          "shorter cheaper faster slower older younger".split())
_EQUALITIES = ("the same as", "as much as", "as many as", "as high as", "as low as", "equal to")


def turned(quote: str, passage: str) -> frozenset:
    """The words of a quote that its passage now has in their opposite ("lower -> higher") or their own negative ("lawful
    -> unlawful"), a word of the quote gone from the passage and its opposite new there; or an answer turned ("No. …" -> "Yes. …"). (A negation added or
    removed: `denial_words`.)"""
    wa, wb = ([w.strip(_QUOTES).casefold() for w in normalise(t).split()] for t in (quote, passage))
    ta, tb = Counter(wa), Counter(wb)
    gone, new = [w for w in ta if tb[w] < ta[w]], [o for o in tb if ta[o] < tb[o]]
    found = {f"{w} -> {o}" for w in gone for o in new if o in _OPPOSITE.get(w, ()) or min(len(w), len(o)) >= 3 and any(
        o == p + w or w == p + o for p in _NEGATING)}
    if wa and wb and wa[0] != wb[0] and wa[0] in _ANSWERS and wb[0] in _ANSWERS:
        found.add(f"{wa[0]} -> {wb[0]}")
    if tb["than"] < ta["than"]:  # (a comparison gone: "less than" -> "the same as")
        a, b = f" {' '.join(wa)} ", f" {' '.join(wb)} "
        found |= {f"{w} than -> {e}" for w in ta if w in _COMPARATIVES and tb[w] < ta[w]
                  for e in _EQUALITIES if b.count(f" {e} ") > a.count(f" {e} ")}
    return frozenset(found)
