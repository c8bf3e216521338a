"""The small pattern language of the safeguarding rules, compiled to regular expressions.

A pattern is words separated by spaces, matched against a text's words after both went
through the same folding (see text.py). Besides plain words:

    hit+            the word and its forms: hit, hits, hitting
    suicid*         any word that starts with these letters: suicide, suicidal
    (a|b c|d)       one of these, each one or more words
    (a|b)?          one of these, or nothing
    ...             up to four other words
    {name}          a list named under `lists:` in the same rules file
    ~taro           (Welsh) the word and its mutations: taro, daro, nharo, tharo

Every pattern is anchored on one word it cannot match without, so a text is only tried
against the few patterns whose anchor word it contains.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from flows.safeguarding.text import CLAUSE_WORDS, Language, fold, skeleton

GAP_WORDS = 4

IRREGULAR: dict[str, tuple[str, ...]] = {
    "beat": ("beaten",), "bite": ("bit", "bitten"), "throw": ("threw", "thrown"),
    "hold": ("held",), "take": ("took", "taken"), "make": ("made",), "send": ("sent",),
    "tell": ("told",), "say": ("said",), "feel": ("felt",), "shake": ("shook", "shaken"),
    "keep": ("kept",), "leave": ("left",), "give": ("gave", "given"), "get": ("got", "gotten"),
    "run": ("ran",), "go": ("went", "gone"), "do": ("did", "done"), "see": ("saw", "seen"),
    "buy": ("bought",), "catch": ("caught",), "fight": ("fought",), "stick": ("stuck",),
    "drive": ("drove", "driven"), "hide": ("hid", "hidden"), "steal": ("stole", "stolen"),
    "sleep": ("slept",), "meet": ("met",), "lie": ("lay", "lain"), "hang": ("hung",),
    "swear": ("swore", "sworn"), "break": ("broke", "broken"), "fall": ("fell", "fallen"),
    "strike": ("struck",), "think": ("thought",), "want": (), "die": ("dying", "died"),
    "tie": ("tying", "tied"), "find": ("found",), "lose": ("lost",), "pay": ("paid",),
    "overdose": ("overdosing",), "come": ("came",), "wake": ("woke", "woken"),
    "bully": ("bullies", "bullied", "bullying"), "try": ("tries", "tried", "trying"),
    "cry": ("cries", "cried", "crying"), "starve": ("starving", "starved"),
}  # fmt: skip

MUTATIONS: dict[str, tuple[str, ...]] = {
    "p": ("b", "mh", "ph"),
    "t": ("d", "nh", "th"),
    "c": ("g", "ngh", "ch"),
    "b": ("f", "m"),
    "d": ("dd", "n"),
    "g": ("", "ng"),
    "m": ("f",),
    "ll": ("l",),
    "rh": ("r",),
}


class PatternError(ValueError):
    """A pattern that cannot be read; the message says what to write instead."""


def inflections(base: str) -> set[str]:
    """An English word with its -s, -ed and -ing forms (and the irregular ones we know)."""
    forms = {base, *IRREGULAR.get(base, ())}
    if base in IRREGULAR and base.endswith("y") and len(IRREGULAR[base]) >= 3:
        return forms
    if base.endswith(("s", "sh", "ch", "x", "z")):
        forms.add(base + "es")
    else:
        forms.add(base + "s")
    stem = base[:-1] if base.endswith("e") and not base.endswith("ee") else base
    forms.update({stem + "ed", stem + "ing", base + "ed"} if not base.endswith("e") else
                 {base + "d", stem + "ing"})  # fmt: skip
    return forms


def mutations(word: str) -> set[str]:
    """A Welsh word with its soft, nasal and aspirate mutations: taro -> daro, nharo, tharo."""
    forms = {word}
    for radical in sorted(MUTATIONS, key=len, reverse=True):
        if word.startswith(radical):
            rest = word[len(radical) :]
            forms.update(mutated + rest for mutated in MUTATIONS[radical])
            break
    return {form for form in forms if form}


def _norm(word: str) -> str:
    return skeleton(fold(word).replace("'", "").replace("-", ""))


@dataclass(frozen=True)
class Anchor:
    """Words a pattern cannot match without: exact words, or word beginnings."""

    words: frozenset[str]
    prefixes: frozenset[str]


@dataclass
class _Piece:
    regex: str
    anchor: Anchor | None
    optional: bool = False
    negator: bool = False
    span: int = 1


class _Parser:
    def __init__(self, pattern: str, language: Language, negators: frozenset[str]) -> None:
        self.pattern = pattern
        self.language = language
        self.negators = negators
        self.items = re.findall(r"\(|\)\??|\||\.\.\.|[^\s()|]+", pattern)
        self.position = 0

    def fail(self, problem: str) -> PatternError:
        return PatternError(f"pattern {self.pattern!r}: {problem}")

    def sequence(self, closing: bool) -> list[_Piece]:
        pieces: list[_Piece] = []
        while self.position < len(self.items):
            item = self.items[self.position]
            if item in {"|"} or item.startswith(")"):
                if not closing:
                    raise self.fail(f"'{item}' without an opening '('")
                break
            self.position += 1
            if item == "(":
                pieces.append(self.group())
            elif item == "...":
                gap = f"(?:[^ ]+ ){{0,{GAP_WORDS}}}"
                pieces.append(_Piece(gap, None, optional=True, span=GAP_WORDS))
            else:
                pieces.append(self.word(item))
        return pieces

    def group(self) -> _Piece:
        alternatives: list[list[_Piece]] = []
        while True:
            alternatives.append(self.sequence(closing=True))
            if self.position >= len(self.items):
                raise self.fail("a '(' is never closed with ')'")
            item = self.items[self.position]
            self.position += 1
            if item == "|":
                continue
            optional = item == ")?"
            break
        if any(not alternative for alternative in alternatives) and not optional:
            raise self.fail("an empty alternative in ( | ); remove the extra '|'")
        if not optional and len(alternatives) > 1:
            unmatched = [alt for alt in alternatives if alt and all(not p.regex for p in alt)]
            if unmatched and len(unmatched) < len(alternatives):
                raise self.fail(
                    "a choice in ( | ) is only words that split sentences (and, so, until, "
                    "except...), which are never matched, so the whole group may be left "
                    "out; take that choice out, or write ( | )? if that is what you mean"
                )
        regex = "(?:" + "|".join("".join(p.regex for p in alt) for alt in alternatives) + ")"
        anchors = [_first_anchor(alt) for alt in alternatives]
        anchor = None
        if all(a is not None for a in anchors):
            anchor = Anchor(
                frozenset().union(*(a.words for a in anchors if a)),
                frozenset().union(*(a.prefixes for a in anchors if a)),
            )
        negator = any(p.negator for alt in alternatives for p in alt)
        span = max(sum(p.span for p in alt) for alt in alternatives)
        return _Piece(regex + ("?" if optional else ""), anchor, optional, negator, span)

    def word(self, item: str) -> _Piece:
        if item == "&" or _norm(item) in CLAUSE_WORDS[self.language]:
            if fold(item) not in CLAUSE_WORDS[self.language] and item != "&":
                raise self.fail(
                    f"'{item}' reads as '{_norm(item)}', a word that only splits sentences "
                    "and is never matched; use another word"
                )
            return _Piece("", None, optional=True, span=0)
        if item.endswith("*"):
            stem = item[:-1]
            stems = (
                {_norm(form) for form in mutations(fold(stem[1:]))}
                if stem.startswith("~")
                else {_norm(stem)}
            )
            if any(len(each) < 3 for each in stems):
                raise self.fail(f"'{item}' is too short to match word beginnings safely")
            regex = "(?:" + "|".join(sorted(map(re.escape, stems))) + ")[^ ]* "
            return _Piece(regex, Anchor(frozenset(), frozenset(stems)))
        if item.endswith("+"):
            forms = {_norm(form) for form in inflections(fold(item[:-1]))}
        elif item.startswith("~"):
            forms = {_norm(form) for form in mutations(fold(item[1:]))}
        else:
            forms = {_norm(item)}
        forms.discard("")
        if not forms or not all(re.fullmatch(r"[a-z0-9]+", form) for form in forms):
            raise self.fail(f"'{item}' is not a word; use letters, '+', '*' or '~'")
        regex = "(?:" + "|".join(sorted(map(re.escape, forms))) + ") "
        negator = bool(forms & self.negators)
        return _Piece(regex, Anchor(frozenset(forms), frozenset()), negator=negator)


def _rarity(piece: _Piece) -> tuple[int, int]:
    """How common a piece's words are: an anchor should be a word that ordinary text lacks."""
    assert piece.anchor is not None
    common = len(piece.anchor.words & STOP_WORDS)
    short_prefixes = sum(len(prefix) < 4 for prefix in piece.anchor.prefixes)
    shortest = min((len(word) for word in piece.anchor.words), default=9)
    size = len(piece.anchor.words) + 5 * len(piece.anchor.prefixes)
    return (common + short_prefixes, size - shortest)


def _first_anchor(pieces: list[_Piece]) -> Anchor | None:
    """The rarest word a sequence cannot match without."""
    required = [piece for piece in pieces if not piece.optional and piece.anchor is not None]
    return min(required, key=_rarity).anchor if required else None


STOP_WORDS = frozenset(
    _norm(word)
    for word in str.split("""
    me my i to a the he she they him her them us it you your in on of was is be am are
    and not no never noone none nothing do did does done get got gets getting go went
    going have has had can could would will at for with from by up out all so that this
    there what like just really very been being some any one make made take took said
    say told tell want wanted know think see people staff time day night home house room
    school mum dad here always often feel felt back off over into about if or an as too
    then now more much good look time change let stay better living life way lot things
    thing stuff kind nice fi yn y fy ei e hi wedi mae o ar i r n dw ddim dim yr a ac
    oedd roedd ni nhw we bod fod
    """)
)
"""Words too common to anchor on: a pattern anchors on a rarer word it needs."""


@dataclass(frozen=True)
class CompiledPattern:
    """One pattern as a regular expression over ' w1 w2 ... ', with its anchor words and
    the most words a match can span (so it is only searched near its anchor)."""

    source: str
    regex: re.Pattern[str]
    anchor: Anchor
    holds_negation: bool
    span: int
    required: tuple[frozenset[str], ...] = ()
    """For each part a match needs, the words one of which must be in the text (parts that
    may match by word beginnings are left out): a cheap test before the regex."""


@cache  # the rule check and the detector compile the same patterns, at every start
def compile_pattern(pattern: str, language: Language, negators: frozenset[str]) -> CompiledPattern:
    """Compile one pattern; PatternError says what is wrong with it."""
    parser = _Parser(pattern, language, negators)
    pieces = parser.sequence(closing=False)
    if not pieces or all(piece.optional for piece in pieces):
        raise parser.fail("it needs at least one word that is not optional")
    required = [p for p in pieces if not p.optional and p.anchor is not None]
    if not required:
        raise parser.fail("it needs one plain word, list or group to anchor on")

    anchor = min(required, key=_rarity).anchor
    assert anchor is not None
    regex = re.compile(" " + "".join(piece.regex for piece in pieces))
    span = sum(piece.span for piece in pieces)
    needed = tuple(
        piece.anchor.words for piece in required if piece.anchor and not piece.anchor.prefixes
    )
    return CompiledPattern(pattern, regex, anchor, any(p.negator for p in pieces), span, needed)
