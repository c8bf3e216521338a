"""Turning what a person typed into words a rule can match, however it was typed.

Teenagers on phones and carers in a hurry write without punctuation, with text-speak,
digits for letters, look-alike letters, repeated letters and misspellings. Each rule word
and each typed word go through the same steps, so both sides meet in the middle:
lower case, accents and look-alikes folded, contractions and text-speak expanded, digits
inside words read as letters, and every run of a repeated letter cut to one ("killl" and
"kil" both become "kil").
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Literal

Language = Literal["en", "cy"]

# Cyrillic and Greek letters that look like Latin ones, and other stand-ins.
_LOOK_ALIKES = str.maketrans(
    {
        "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i",
        "ј": "j", "ѕ": "s", "к": "k", "м": "m", "т": "t", "в": "b", "н": "h", "ԁ": "d",
        "ӏ": "l", "ɪ": "i", "ʀ": "r", "ᴀ": "a", "ᴇ": "e", "ᴏ": "o", "α": "a", "ε": "e", "ο": "o", "ι": "i", "κ": "k", "ν": "v", "τ": "t",
        "ρ": "p", "υ": "u", "χ": "x", "ß": "ss", "æ": "ae", "ø": "o", "ł": "l", "đ": "d",
    }
)  # fmt: skip
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_APOSTROPHES = re.compile("[\u2018\u2019\u201b\u02bc\u0060\u00b4']")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b"})
_SYMBOL_LETTERS = str.maketrans({"@": "a", "$": "s", "!": "i", "|": "i", "€": "e"})
_SYMBOL_INSIDE = re.compile(r"(?<=[a-z])[@$!|€]+(?=[a-z])|(?<![a-z0-9])[@$](?=[a-z])")
_WORD = re.compile(r"[a-z0-9]+")
_BREAKS = frozenset('.!?;:,\n\r()[]"\u201c\u201d\u2026\u2013\u2014 ')
_TOKEN = re.compile(r"[a-z0-9]+|[.!?;:,\n\r()\[\]\"\u201c\u201d\u2026\u2013\u2014]+|\s-\s")
_CLAUSE_BREAK = re.compile(r"[.!?;:,\n\r()\[\]\"“”…–—]+|\s-\s")
_REPEATS = re.compile(r"([a-z])\1+")
_SPELLED_HINT = re.compile(r"[.\-_*][a-z][.\-_*]")
_SYMBOL_HINT = re.compile("[@$!|\u20ac]")
_SPELLED_OUT = re.compile(r"\b(?:[a-z][.\-_*]){2,}[a-z]\b")

_THERE_CY = re.compile(
    r"\b(ma|mae|oes|does|sy|roedd|oedd|odd|boi|dyn|hogan|hogyn|peth|lle|fan|ty) na\b"
)
"""Welsh 'na after a verb or a noun is 'there' or 'that' ("ma 'na fideo", "y boi 'na"),
not the negation 'na': read as 'yna', so it cannot undo what follows."""
_WONT_TO = re.compile(r"\bwont (?:to|2)\b")
"""'wont' is 'will not' ("they wont let me"), except before 'to', where it is 'want'."""
_CONTRACTION = re.compile(r"\b(can't|won't|ain't)\b|n't\b|'(?:d|ll|ve|re|m|s)\b")
_CONTRACTED = {
    "can't": "can not", "won't": "will not", "ain't": "am not", "n't": " not", "'d": " would",
    "'ll": " will", "'ve": " have", "'re": " are", "'m": " am", "'s": "s",
}  # fmt: skip

# Text-speak and common spellings, word for words (the right side in plain English).
TEXT_SPEAK_EN: dict[str, str] = {
    "wanna": "want to", "wana": "want to", "wanted2": "wanted to", "gonna": "going to",
    "gona": "going to", "gunna": "going to", "gotta": "got to", "hafta": "have to",
    "kms": "kill myself", "kys": "kill yourself", "kmsl": "kill myself", "sh": "self harm",
    "unalive": "kill", "unalived": "killed", "unaliving": "killing",
    "sewerslide": "suicide", "suey": "suicide", "sui": "suicide",
    "od": "overdose", "oding": "overdosing",
    "wont": "will not", "dy": "die", "sed": "said", "sez": "says", "ascared": "scared",
    "askared": "scared", "scaired": "scared", "hurted": "hurt", "nobudy": "noone",
    "nobodi": "noone", "sef": "self", "slef": "self", "tuch": "touch", "tuchd": "touched",
    "tuched": "touched", "tucht": "touched", "tuches": "touches", "tuchs": "touches",
    "tuching": "touching", "tuchin": "touching", "wnt": "want", "whant": "want",
    "wnna": "want to", "b": "be", "c": "see",
    "y": "why", "n": "and", "u": "you", "ya": "you", "yu": "you", "ur": "your", "youre": "you are", "r": "are",
    "im": "i am", "ive": "i have", "id": "i would", "i'd": "i would",
    "dont": "do not", "dnt": "do not", "didnt": "did not", "didn": "did not",
    "dint": "did not", "didint": "did not", "doesnt": "does not", "cant": "can not",
    "cannot": "can not", "wasnt": "was not", "wasn": "was not",
    "werent": "were not", "isnt": "is not", "arent": "are not", "aint": "am not",
    "havent": "have not", "hasnt": "has not", "hadnt": "had not", "wouldnt": "would not",
    "couldnt": "could not", "shouldnt": "should not", "mustnt": "must not", "neva": "never",
    "nvr": "never", "no1": "noone", "nobody": "noone", "nobdy": "noone",
     "nuthin": "nothing", "nuffin": "nothing",
    "nothin": "nothing", "sum1": "someone", "some1": "someone", "any1": "anyone",
    "every1": "everyone", "evry1": "everyone", "b4": "before", "2": "to", "4": "for",
    "2day": "today", "2nite": "tonight", "2night": "tonight", "tonite": "tonight",
    "nite": "night", "l8r": "later", "h8": "hate", "h8s": "hates", "m8": "mate",
    "m8s": "mates", "gr8": "great", "cuz": "because", "coz": "because", "cos": "because",
    "bc": "because", "bcos": "because", "becuz": "because", "becos": "because",
    "ppl": "people", "pple": "people", "pic": "picture", "pics": "pictures", "pix": "pictures",
    "nudez": "nudes", "rn": "right now", "tbh": "to be honest", "bf": "boyfriend",
    "gf": "girlfriend", "hes": "he is", "shes": "she is", "theyre": "they are",
    "hed": "he would", "theyd": "they would", "itll": "it will", "thats": "that is",
    "whats": "what is", "dunno": "do not know", "idk": "i do not know", "pls": "please",
    "plz": "please", "plez": "please", "smth": "something", "sumthin": "something",
    "somethin": "something", "evry": "every", "evryday": "every day", "everyday": "every day",
    "alot": "a lot", "wiv": "with", "wid": "with", "fink": "think", "dyin": "dying",
    "ded": "dead", "luv": "love", "tho": "though", "thru": "through", "bruv": "brother",
    "bro": "brother", "sis": "sister", "mam": "mum", "mom": "mum", "mummy": "mum",
    "daddy": "dad", "stepdad": "step dad", "stepmum": "step mum",     "lockd": "locked", "hitted": "hit", "beated": "beat", "punshed": "punched",
    "slaped": "slapped", "kiled": "killed", "kil": "kill", "kilin": "killing",
    "sucide": "suicide", "suicde": "suicide", "suiside": "suicide", "suicid": "suicide",
    "sucidal": "suicidal", "suicdal": "suicidal", "suisidal": "suicidal",
    "suicidel": "suicidal", "selfharm": "self harm", "selfharming": "self harming",
    "self-harm": "self harm", "cuting": "cutting", "cutin": "cutting",
    "hurtin": "hurting", "hittin": "hitting", "touchin": "touching", "beatin": "beating",
    "kickin": "kicking", "punchin": "punching", "slappin": "slapping", "grabbin": "grabbing",
    "threatnd": "threatened", "threatend": "threatened", "thretened": "threatened",
    "groomd": "groomed", "rapd": "raped",     "scard": "scared", "scaird": "scared", "frighten": "frightened",
    "frightend": "frightened",     "overdoes": "overdose", "overdos": "overdose", "overdoze": "overdose",
    "stabbd": "stabbed", "jumpin": "jumping", "bein": "being",
    "tellin": "telling", "sayin": "saying", "goin": "going", "comin": "coming",
    "leavin": "leaving", "livin": "living", "sleepin": "sleeping", "feelin": "feeling",
    "doin": "doing", "makin": "making", "takin": "taking", "gettin": "getting",
    "sendin": "sending", "runnin": "running", "nuthing": "nothing", "fr": "for",
    "tuk": "took", "dosnt": "does not", "dosent": "does not", "doesent": "does not",
    "wudnt": "would not", "cudnt": "could not", "wuz": "was", "woz": "was", "agen": "again",
    "hav": "have", "theyll": "they will", "youll": "you will", "hell be": "he will be", "frm": "from", "wen": "when", "wk": "week", "ppls": "peoples",
    }  # fmt: skip

TEXT_SPEAK_CY: dict[str, str] = {
    "isio": "eisiau", "isie": "eisiau", "ishe": "eisiau", "ishio": "eisiau", "moen": "eisiau",
    "dwi": "dw i", "dwin": "dw i yn",
    "dwim": "dw i ddim", "sai": "dw i ddim", "smo": "dyw ddim", "nagw": "nac ydw",
    "ma": "mae", "odd": "oedd",     "fe": "e", "fo": "e", "efe": "e",     "overdose": "gorddos",     "hunan-niweidio": "hunan niweidio",
    }  # fmt: skip


def skeleton(word: str) -> str:
    """A word with each run of a repeated letter cut to one: 'killlll' -> 'kil'."""
    return _REPEATS.sub(r"\1", word)


def _skeletons(words: set[str]) -> frozenset[str]:
    return frozenset(skeleton(word) for word in words)


NEGATORS: dict[Language, frozenset[str]] = {
    "en": _skeletons(
        {"not", "no", "never", "noone", "none", "nothing", "neither", "nor", "without",
         "nobody", "nowhere", "hardly", "barely"}
    ),
    "cy": _skeletons({"ddim", "dim", "neb", "erioed", "byth", "nid", "nad", "na", "nac", "heb"}),
}  # fmt: skip
"""Words that, just before a match, can mean it did not happen ("nobody hurt me")."""

# Words that end the reach of a negation: a new subject or a subordinate clause starts.
SCOPE_ENDS: dict[Language, frozenset[str]] = {
    "en": _skeletons(
        {"me", "him", "her", "them", "us", "why", "what", "how", "where", "that", "which",
         "who", "since", "until", "if", "whether", "know", "think", "remember", "said",
         "says", "say", "told", "tell", "tells", "but", "yet"}
    ),
    "cy": _skeletons({"fi", "e", "hi", "nhw", "ni", "pam", "beth", "sut", "ble", "bod", "os"}),
}  # fmt: skip

CLAUSE_WORDS: dict[Language, frozenset[str]] = {
    "en": _skeletons(
        {"and", "but", "when", "because", "so", "then", "after", "before", "while", "though",
         "although", "whereas", "also", "plus", "except", "until", "til", "till", "cause"}
    ),
    "cy": _skeletons({"ac", "ond", "pan", "achos", "oherwydd", "felly", "wedyn", "tra", "hefyd"}),
}  # fmt: skip


@dataclass
class Words:
    """A text as matchable words: `joined` is ' w1 w2 ... ' for regular expressions, and
    `clause` numbers each word's clause."""

    words: tuple[str, ...]
    clause: tuple[int, ...]
    joined: str
    prepared: str = ""
    """The folded text the words were read from, to find them again for staff."""

    @cached_property
    def starts(self) -> tuple[int, ...]:
        """The character offset of each word in `joined`."""
        offsets = []
        position = 1
        for word in self.words:
            offsets.append(position)
            position += len(word) + 1
        return tuple(offsets)

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """The distinct words, for checking whether an idiom's words are there at all."""
        return frozenset(self.words)

    def index_at(self, offset: int) -> int:
        """The word that begins at (or contains) a character offset in `joined`."""
        return bisect_right(self.starts, offset) - 1


def fold(text: str) -> str:
    """Lower case with accents, look-alikes and invisible characters gone."""
    if text.isascii():
        return text.lower()
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    text = text.casefold().translate(_LOOK_ALIKES)
    decomposed = unicodedata.normalize("NFKD", text)
    if decomposed.isascii():
        return decomposed
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _read_leet(word: str) -> str:
    if word.isdigit() or not any(ch.isalpha() for ch in word):
        return word
    return word.translate(_LEET)


@lru_cache(maxsize=4096)
def _expand(word: str, language: Language) -> tuple[str, ...]:
    table = TEXT_SPEAK_EN if language == "en" else TEXT_SPEAK_CY
    spoken = table.get(word)
    if spoken is None:
        read = _read_leet(word)
        spoken = table.get(read, read)
    return tuple(skeleton(part) for part in spoken.split())


def _prepared(folded: str, language: Language) -> str:
    if "'" in folded or "\u2019" in folded or "`" in folded:
        folded = _APOSTROPHES.sub("'", folded)
        if language == "en":
            folded = _CONTRACTION.sub(lambda m: _CONTRACTED[m.group(0)], folded)
        folded = folded.replace("'", " " if language == "cy" else "")
    if _SPELLED_HINT.search(folded):
        folded = _SPELLED_OUT.sub(lambda m: re.sub(r"[.\-_*]", "", m.group(0)), folded)
    if _SYMBOL_HINT.search(folded):
        folded = _SYMBOL_INSIDE.sub(lambda m: m.group(0).translate(_SYMBOL_LETTERS), folded)
    if language == "cy" and " na " in folded:
        folded = _THERE_CY.sub(r"\1 yna", folded)
    if language == "en" and "wont" in folded:
        folded = _WONT_TO.sub("want to", folded)
    if language == "en" and "no" in folded:
        folded = folded.replace("no one", "noone").replace("no-one", "noone")
    return folded


def rough_tokens(folded: str) -> list[str]:
    """The tokens a text may hold, cheaply, before any language's reading of them: with
    expand_token, a superset of the words words_of would find, to skip a language's rules
    when none of their anchor words is there."""
    return _WORD.findall(folded.replace("'", " "))


def expand_token(token: str, language: Language) -> tuple[str, ...]:
    """The words one typed token stands for in a language (text-speak, digits, repeats)."""
    return _expand(token, language)


_BREAK = ""
"""Marks a clause break among a token's words: punctuation, or a word like 'and'."""
_TOKEN_WORDS: dict[Language, dict[str, tuple[str, ...]]] = {"en": {}, "cy": {}}
_TOKEN_CACHE_SIZE = 20000


def _token_words(raw: str, language: Language) -> tuple[str, ...]:
    """A typed token as the words rules match, with _BREAK where a clause ends."""
    if raw[0] in _BREAKS:
        return (_BREAK,)
    clause_words = CLAUSE_WORDS[language]
    return tuple(_BREAK if word in clause_words else word for word in _expand(raw, language))


def words_of(text: str, language: Language, folded: str | None = None) -> Words:
    """The text as words for one language's rules, with clause boundaries marked.
    `folded` is fold(text), when the caller has it already. This runs for every answer in
    every language, so each distinct token is read once and remembered."""
    prepared = _prepared(fold(text) if folded is None else folded, language)
    known = _TOKEN_WORDS[language]
    words: list[str] = []
    clauses: list[int] = []
    add_word, add_clause = words.append, clauses.append
    clause = 1
    for raw in _TOKEN.findall(prepared):
        parts = known.get(raw)
        if parts is None:
            parts = _token_words(raw, language)
            if len(known) < _TOKEN_CACHE_SIZE:
                known[raw] = parts
        for word in parts:
            if word:
                add_word(word)
                add_clause(clause)
            else:
                clause += 1
    return Words(tuple(words), tuple(clauses), " " + " ".join(words) + " ", prepared=prepared)


def word_places(prepared: str, language: Language) -> tuple[tuple[int, int], ...]:
    """Where each word of words_of came from in the prepared text (start, end): worked out
    only when a rule matched, to point staff at the words."""
    known = _TOKEN_WORDS[language]
    places: list[tuple[int, int]] = []
    add = places.append
    for token in _TOKEN.finditer(prepared):
        parts = known.get(token.group()) or _token_words(token.group(), language)
        if len(parts) == 1:
            if parts[0]:
                add(token.span())
            continue
        span = token.span()
        places.extend(span for word in parts if word)
    return tuple(places)


def original_span(text: str, prepared: str, start: int, end: int) -> tuple[int, int]:
    """Where a stretch of the prepared text stands in what the person typed, so staff see
    the very words highlighted: exact where folding kept every character in place, else
    each end word found where it should be, else an estimate in proportion."""
    if len(prepared) == len(text):
        return start, end
    lowered = text.lower()
    scale = len(text) / max(len(prepared), 1)

    def locate(position: int, word: str, at_end: bool) -> int:
        guess = int(position * scale)
        before = lowered.rfind(word, 0, guess + len(word) + 1)
        after = lowered.find(word, guess)
        found = [p for p in (before, after) if p >= 0]
        if not found:
            return min(guess, len(text))
        best = min(found, key=lambda p: abs(p - guess))
        return best + len(word) if at_end else best

    first_word = prepared[start:end].split(" ")[0]
    last_word = prepared[start:end].split(" ")[-1]
    first = locate(start, first_word, False)
    last = locate(end - len(last_word), last_word, True)
    return (first, last) if last > first else (first, min(len(text), first + end - start))
