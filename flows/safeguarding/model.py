"""A small trained second opinion for the safeguarding rules: it can only ever raise amber.

Rules catch the phrasings someone thought of; a classifier trained on many people's words
(benchmarks/train_concern_model.py, from the tuning corpus only) may notice a disclosure
written in a way no rule foresaw. It is logistic regression over word and character n-grams,
shipped as plain JSON weights: no scikit-learn, no numpy and nothing downloaded at run time.
Without the file there is simply no second opinion; the rules work alone.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from flows.problems import FlowError, Problem

MODEL_NAME = "model.json"
FORMAT = "exit-interviews concern model 1"
CHAR_GRAMS = (4, 5)
WORD_CACHE_SIZE = 50000
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_DIGIT_LETTERS = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "@": "a"})


def fold_for_model(text: str) -> str:
    """Lower case, accents and punctuation gone, text-speak digits read as letters ("k1ll"),
    so that the model sees one form of each word however it was typed."""
    lowered = text.lower().translate(_DIGIT_LETTERS)
    if not lowered.isascii():
        decomposed = unicodedata.normalize("NFKD", lowered)
        lowered = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_WORD.sub(" ", lowered)


def word_grams(word: str) -> list[str]:
    """A word and its pieces of four and five letters, edges marked, so misspellings and
    Welsh mutations ("mhlentyn", "plentyn") still share most pieces with a learnt word."""
    marked = f"<{word}>"
    pieces = [
        f"#{marked[i : i + size]}" for size in CHAR_GRAMS for i in range(len(marked) - size + 1)
    ]
    return [word, *pieces]


def gram_counts(text: str) -> dict[str, int]:
    """The n-grams the model weighs, with how often each counts: every distinct word with
    its pieces, and every distinct pair of words in a row."""
    words = fold_for_model(text).split()
    counts: dict[str, int] = {}
    for word in set(words):
        for gram in word_grams(word):
            counts[gram] = counts.get(gram, 0) + 1
    for pair in {f"{a} {b}" for a, b in pairwise(words)}:
        counts[pair] = counts.get(pair, 0) + 1
    return counts


@dataclass(frozen=True)
class ConcernModel:
    """Trained weights and the score above which an answer is worth a person's look today."""

    bias: float
    weights: dict[str, float]
    threshold: float
    corpus_sha256: str
    _by_word: dict[str, tuple[float, int]] = field(default_factory=dict, compare=False)

    def _word(self, word: str) -> tuple[float, int]:
        """A word's summed weight and number of n-grams; remembered, since words recur."""
        known = self._by_word.get(word)
        if known is None:
            grams = word_grams(word)
            get = self.weights.get
            known = (sum([get(gram, 0.0) for gram in grams]), len(grams))
            if len(self._by_word) < WORD_CACHE_SIZE:
                self._by_word[word] = known
        return known

    def score(self, text: str) -> float:
        """How strongly the answer resembles the disclosures the model learnt from, 0 to 1.
        The same sum as over gram_counts, taken a word at a time to be quick."""
        words = fold_for_model(text).split()
        if not words:
            return 0.0
        total, count = 0.0, 0
        for word in set(words):
            weight, grams = self._word(word)
            total += weight
            count += grams
        pairs = {f"{a} {b}" for a, b in pairwise(words)}
        get = self.weights.get
        total += sum([get(pair, 0.0) for pair in pairs])
        count += len(pairs)
        raw = self.bias + total / math.sqrt(count)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, raw))))

    def concerned(self, text: str) -> bool:
        """Whether the answer passes the threshold chosen on held-out authors."""
        return self.score(text) >= self.threshold

    def strongest(self, text: str) -> tuple[int, int] | None:
        """Where the word that pushed the score up most stands in the text, for staff to see
        why it was raised; None where it cannot be placed."""
        words = set(fold_for_model(text).split())
        word = max(sorted(words), key=lambda word: self._word(word)[0], default=None)
        lowered = text.lower()
        found = re.search(rf"\b{re.escape(word)}\b", lowered) if word else None
        return found.span() if found is not None and len(lowered) == len(text) else None


def read_model(path: Path) -> ConcernModel | None:
    """The model in a file, None where there is no file (the rules then work alone);
    FlowError where the file is there but broken, so a bad release is noticed at start-up."""
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError(f"format is not {FORMAT!r}")
        weights = {str(gram): float(weight) for gram, weight in data["weights"].items()}
        model = ConcernModel(
            bias=float(data["bias"]),
            weights=weights,
            threshold=float(data["threshold"]),
            corpus_sha256=str(data["corpus_sha256"]),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise FlowError(
            [
                Problem(
                    path,
                    None,
                    f"the concern model cannot be read ({error}); run "
                    "`python -m benchmarks.train_concern_model` again or delete the file",
                )
            ]
        ) from error
    if not 0.0 < model.threshold < 1.0:
        raise FlowError([Problem(path, None, "the concern model's threshold must be in (0, 1)")])
    return model
