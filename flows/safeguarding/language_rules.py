"""One language's safeguarding rules, compiled and indexed by anchor word, and the
findings they make in a text: negation, idioms, typos, half matches and spans. The
Detector (detector.py) holds one of these per language."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from flows.safeguarding.categories import Category, Severity, Tier
from flows.safeguarding.patterns import STOP_WORDS, CompiledPattern, compile_pattern
from flows.safeguarding.rules import RuleFile
from flows.safeguarding.text import (
    NEGATORS,
    SCOPE_ENDS,
    Language,
    Words,
    expand_token,
    original_span,
    rough_tokens,
    word_places,
    words_of,
)

NEGATION_WINDOW = 3
SHORT_TEXT = 240
PREFIX_KEY = 3
WORD_CACHE_SIZE = 50000
# "wouldn't stop hitting me", "never stopped": a negated stop means it went on.
_NEGATION_FLIPS = frozenset({"stop", "stops", "stoped", "stoping", "quit", "end", "ended", "leave"})
_NEGATION_FILLERS = frozenset(
    {"once", "ever", "even", "really", "actually", "properly", "physically", "deliberately",
     "seriously", "at", "all", "erioed", "unwaith", "wir"}
)  # fmt: skip
_PRONOUNS_AFTER_NO = frozenset(
    {"he", "she", "they", "i", "we", "you", "it", "my", "the", "his", "her", "their", "a",
     "and", "but", "e", "hi", "nhw", "fi"}
)  # fmt: skip


TYPO_MIN_LENGTH = 7
# Real words one letter short of a trigger word, never read as its typo.
NOT_TYPOS = frozenset({"strange", "strang", "scared", "bruise", "hiting", "threat", "beaten"})


def _typo_map(anchors: frozenset[str]) -> dict[str, str]:
    """Each long trigger word with one letter missing or two letters swapped ("tuoched"),
    and each -ing word with its g dropped ("makin"), mapped back to the word."""
    typos: dict[str, str] = {}

    def add(typo: str, word: str) -> None:
        if typo != word and typo not in anchors and typo not in NOT_TYPOS:
            typos.setdefault(typo, word)

    for word in sorted(anchors):
        if word.endswith("ing") and len(word) >= 5:
            add(word[:-1], word)
        if len(word) < TYPO_MIN_LENGTH - 1:
            continue
        for position in range(1, len(word) - 1):
            add(word[:position] + word[position + 1] + word[position] + word[position + 2 :], word)
        if len(word) < TYPO_MIN_LENGTH:
            continue
        for position in range(len(word)):
            add(word[:position] + word[position + 1 :], word)
    return typos


@dataclass(frozen=True)
class Finding:
    """One kind of concern found in a text. It holds no words of the text."""

    category: Category
    rule: str
    language: Language
    tier: Tier = Tier.RED
    span: tuple[int, int] | None = None
    """Where in the text the words that raised it stand (start, end), to highlight them for
    staff; None where it is not known."""

    @property
    def severity(self) -> Severity:
        return self.category.severity


@dataclass(frozen=True)
class _Entry:
    pattern: CompiledPattern
    rule: str
    category: Category
    unless: tuple[CompiledPattern, ...]
    tier: Tier
    half_match: bool = False


class LanguageRules:
    """One language's rules, indexed by anchor word so a text tries only a few."""

    def __init__(self, rules: RuleFile) -> None:
        self.language: Language = rules.language
        self.negators = NEGATORS[rules.language]
        self.scope_ends = SCOPE_ENDS[rules.language]
        self.unless = tuple(
            compile_pattern(rules.expand(p), rules.language, self.negators) for p in rules.unless
        )
        self.by_word: dict[str, list[_Entry]] = defaultdict(list)
        self.by_prefix: dict[str, list[tuple[str, _Entry]]] = defaultdict(list)
        for rule in rules.rules:
            own_unless = tuple(
                compile_pattern(rules.expand(p), rules.language, self.negators) for p in rule.unless
            )
            for source in rule.patterns:
                compiled = compile_pattern(rules.expand(source), rules.language, self.negators)
                entry = _Entry(
                    compiled, rule.id, rule.category, own_unless, rule.tier, rule.half_match
                )
                for word in compiled.anchor.words:
                    self.by_word[word].append(entry)
                for prefix in compiled.anchor.prefixes:
                    self.by_prefix[prefix[:PREFIX_KEY]].append((prefix, entry))
        self.anchor_words = frozenset(self.by_word)
        self._word_entries: dict[str, tuple[_Entry, ...]] = {}
        self._token_may_anchor: dict[str, bool] = {}
        self._word_idioms: dict[str, tuple[int, ...]] = {}
        self.typos = _typo_map(self.anchor_words)

    def _entries_of(self, word: str) -> tuple[_Entry, ...]:
        """The patterns a word anchors, exactly or as a word beginning; remembered."""
        known = self._word_entries.get(word)
        if known is None:
            entries = list(self.by_word.get(word, ()))
            for prefix, entry in self.by_prefix.get(word[:PREFIX_KEY], ()):
                if word.startswith(prefix):
                    entries.append(entry)
            known = tuple(entries)
            if len(self._word_entries) < WORD_CACHE_SIZE:
                self._word_entries[word] = known
        return known

    def candidates(self, words: Words) -> list[tuple[_Entry, list[int]]]:
        """The patterns whose anchor the text holds, with the word positions it holds it at."""
        found: dict[int, tuple[_Entry, list[int]]] = {}
        entries_of = self._entries_of
        for index, word in enumerate(words.words):
            for entry in entries_of(word):
                held = found.get(id(entry))
                if held is None:
                    found[id(entry)] = (entry, [index])
                elif held[1][-1] != index:
                    held[1].append(index)
        return list(found.values())

    def idioms_present(self, words: Words) -> tuple[CompiledPattern, ...]:
        """The file-wide idioms whose anchor the text holds: the only ones worth trying."""
        known = self._word_idioms
        held: set[int] = set()
        for word in words.vocabulary:
            positions = known.get(word)
            if positions is None:
                positions = tuple(
                    position
                    for position, idiom in enumerate(self.unless)
                    if word in idiom.anchor.words
                    or any(word.startswith(prefix) for prefix in idiom.anchor.prefixes)
                )
                if len(known) < WORD_CACHE_SIZE:
                    known[word] = positions
            held.update(positions)
        return tuple(self.unless[position] for position in sorted(held))

    @staticmethod
    def windows(words: Words, anchors: list[int], span: int) -> list[tuple[int, int]]:
        """Character ranges of `joined` around each anchor wide enough for any match."""
        last = len(words.words) - 1
        starts = words.starts
        ranges: list[tuple[int, int]] = []
        for index in anchors:
            first = index - span if index > span else 0
            end = index + span if index + span < last else last
            start_char = starts[first] - 1
            end_char = starts[end] + len(words.words[end]) + 1
            if ranges and start_char <= ranges[-1][1]:
                if end_char > ranges[-1][1]:
                    ranges[-1] = (ranges[-1][0], end_char)
            else:
                ranges.append((start_char, end_char))
        return ranges

    def negated(self, words: Words, first: int) -> bool:
        """Whether a negation just before the match, in its clause, says it did not happen.
        Adverbs like 'once' or 'ever' do not use up the reach ("never once raised a hand")."""
        clause = words.clause[first]
        budget = NEGATION_WINDOW
        back = first - 1
        while back >= 0 and budget > 0:
            if words.clause[back] != clause:
                return False
            word = words.words[back]
            if word in self.scope_ends:
                return False
            if word in self.negators:
                following = words.words[back + 1] if back + 1 < len(words.words) else ""
                if word in {"no", "na"} and following in _PRONOUNS_AFTER_NO:
                    back -= 1
                    budget -= 1
                    continue
                return following not in _NEGATION_FLIPS
            if word not in _NEGATION_FILLERS:
                budget -= 1
            back -= 1
        return False

    def excused(
        self,
        words: Words,
        span: tuple[int, int],
        unless: tuple[CompiledPattern, ...],
        idioms: tuple[CompiledPattern, ...],
    ) -> bool:
        """Whether an idiom that never counts covers the match ("killing time")."""
        first, last = span
        present = words.vocabulary
        own = tuple(
            idiom
            for idiom in unless
            if not present.isdisjoint(idiom.anchor.words)
            or any(word.startswith(p) for p in idiom.anchor.prefixes for word in present)
        )
        match_start, match_end = words.starts[first] - 1, words.starts[last] + 1
        for idiom in (*idioms, *own):
            start, end = self.windows(words, [first, last], idiom.span)[0]
            for found in idiom.regex.finditer(words.joined, start, end):
                if found.start() < match_end and match_start < found.end() - 1:
                    return True
        return False

    def _matches(
        self,
        words: Words,
        entry: _Entry,
        anchors: list[int],
        idioms: tuple[CompiledPattern, ...],
    ) -> tuple[int, int] | None:
        """The first and last word of the first match that counts, or None."""
        pattern = entry.pattern
        joined = words.joined
        ranges = (
            [(0, len(joined))]
            if len(joined) < SHORT_TEXT
            else self.windows(words, anchors, pattern.span)
        )
        for start, end in ranges:
            for match in pattern.regex.finditer(words.joined, start, end):
                first = words.index_at(match.start() + 1)
                if not pattern.holds_negation and self.negated(words, first):
                    continue
                last = words.index_at(match.end() - 2)
                if self.excused(words, (first, last), entry.unless, idioms):
                    continue
                return first, last
        return None

    def _half_match(
        self,
        words: Words,
        entry: _Entry,
        anchors: list[int],
        idioms: tuple[CompiledPattern, ...],
    ) -> tuple[int, int] | None:
        """The first anchor word of a red rule that stands in the text, not negated and not
        in an idiom, with at least half the other parts the pattern needs, though the pattern
        did not match: a possible concern for amber."""
        if entry.pattern.anchor.words <= STOP_WORDS and not entry.pattern.anchor.prefixes:
            return None
        required = entry.pattern.required
        present = sum(1 for needed in required if needed & words.vocabulary)
        if len(required) < 2 or 2 * present < len(required) or present < 2:
            return None
        for index in anchors:
            if self.negated(words, index):
                continue
            if self.excused(words, (index, index), entry.unless, idioms):
                continue
            return index, index
        return None

    def may_match(self, folded: str) -> bool:
        """Whether any anchor word of these rules could be in the text at all; each distinct
        token's answer is remembered, since this runs for every answer."""
        known = self._token_may_anchor
        for token in set(rough_tokens(folded)):
            hit = known.get(token)
            if hit is None:
                hit = any(self._entries_of(word) for word in expand_token(token, self.language))
                if len(known) < WORD_CACHE_SIZE:
                    known[token] = hit
            if hit:
                return True
        return False

    def corrected(self, words: Words) -> Words:
        """The words with a missing-letter typo of a trigger word put right ("tuched")."""
        typos = self.typos
        if not any(word in typos for word in words.words):
            return words
        fixed = tuple(typos.get(word, word) for word in words.words)
        return Words(fixed, words.clause, " " + " ".join(fixed) + " ", words.prepared)

    def findings(self, text: str, folded: str) -> list[Finding]:
        words = self.corrected(words_of(text, self.language, folded))
        if not words.words:
            return []
        found: dict[Category, Finding] = {}
        places: tuple[tuple[int, int], ...] = ()
        idioms: tuple[CompiledPattern, ...] | None = None
        for entry, anchors in self.candidates(words):
            already = found.get(entry.category)
            if already is not None and (already.tier is Tier.RED or entry.tier is Tier.AMBER):
                continue
            tier, rule = entry.tier, entry.rule
            matched = None
            if _holds_all(words.vocabulary, entry.pattern.required):
                if idioms is None:
                    idioms = self.idioms_present(words)
                matched = self._matches(words, entry, anchors, idioms)
            if matched is None and entry.half_match and already is None:
                if idioms is None:
                    idioms = self.idioms_present(words)
                matched = self._half_match(words, entry, anchors, idioms)
                tier, rule = Tier.AMBER, f"{entry.rule}_half"
            if matched is None:
                continue
            places = places or word_places(words.prepared, self.language)
            start, end = places[matched[0]][0], places[matched[1]][1]
            span = original_span(text, words.prepared, start, end)
            found[entry.category] = Finding(entry.category, rule, self.language, tier, span)
        return list(found.values())


def _holds_all(vocabulary: frozenset[str], required: tuple[frozenset[str], ...]) -> bool:
    """Whether the text holds one of the words of every part a pattern needs."""
    return not any(vocabulary.isdisjoint(needed) for needed in required)
