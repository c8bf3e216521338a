"""How easy the words are to read: the Flesch-Kincaid grade of every text of five words or
more that a person sees (the flow's words, the engine's buttons and replies, the web
chat's page words), for the easy-read version and the ordinary one, with the median grade
and the longest sentence. Issue 28's targets: easy read at most grade 2.0 with no sentence
over 10 words; ordinary at most 4.0 with none over 15.

The grade is worked out here (textstat would pull in nltk): 0.39 x words a sentence +
11.8 x syllables a word - 15.59, with syllables counted from pyphen's hyphenation (British
English), which is close enough to compare versions and spot the long sentences.

Run: .venv/bin/python -m benchmarks.readability"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pyphen
import yaml

from bot.core.notices import NOTICES
from bot.web.words import CHROME
from flows.wording import WORDS

DEFINITIONS = Path(__file__).resolve().parents[1] / "flows" / "definitions"
NOT_SHOWN = frozenset(
    {
        "id",
        "seed",
        "kind",
        "when",
        "concern",
        "concern_category",
        "helplines",
        "answers",
        "question",
        "version",
        "audience",
        "languages",
        "title_staff",
        "talk_who",
    }
)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d+")


@cache
def _dictionary() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_GB")


def syllables(word: str) -> int:
    """A word's syllables, from where it can be hyphenated."""
    return max(1, _dictionary().inserted(word.lower()).count("-") + 1)


def sentences(text: str) -> list[list[str]]:
    """The text's sentences, each as its words (emoji and symbols are not words)."""
    found = (WORD.findall(part) for part in SENTENCE_END.split(text))
    return [words for words in found if words]


def grade(text: str) -> float:
    """The Flesch-Kincaid grade of one text."""
    said = sentences(text)
    words = [word for sentence in said for word in sentence]
    if not words:
        return 0.0
    per_sentence = len(words) / len(said)
    per_word = sum(syllables(word) for word in words) / len(words)
    return 0.39 * per_sentence + 11.8 * per_word - 15.59


def _strings(node: object, key: str = "") -> Iterator[str]:
    """Every English text a person sees in a flow file."""
    if key in NOT_SHOWN:
        return
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for name, value in node.items():
            if name == "cy":
                continue
            yield from _strings(value, str(name))
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value, key)


def texts(easy_read: bool) -> list[str]:
    """Everything of five words or more that a person of this version sees, in English."""
    flow = "children-home-easy-read.yaml" if easy_read else "children-home.yaml"
    found = list(_strings(yaml.safe_load((DEFINITIONS / flow).read_text(encoding="utf-8"))))
    suffix = "_easy"
    for key, forms in WORDS.items():
        if easy_read or not key.endswith(suffix):
            if easy_read and f"{key}{suffix}" in WORDS:
                continue
            found.append(forms["en"])
    for forms in CHROME.values():
        found.append(forms.get("en_easy", forms["en"]) if easy_read else forms["en"])
    found.extend(forms["en"] for key, forms in NOTICES.items() if key.startswith("web_"))
    return [text for text in found if len(WORD.findall(text)) >= 5]


def report(easy_read: bool, most: int) -> tuple[float, int, str, int]:
    """The median grade, the longest sentence with its length in words, and how many
    sentences are longer than `most` words."""
    said = [s for text in texts(easy_read) for s in sentences(text)]
    longest = max(said, key=len)
    over = sum(1 for s in said if len(s) > most)
    median = statistics.median(grade(text) for text in texts(easy_read))
    return median, len(longest), " ".join(longest), over


def main() -> None:
    """Print both versions' figures beside the targets."""
    for name, easy, target, most in (("easy read", True, 2.0, 10), ("ordinary", False, 4.0, 15)):
        median, length, sentence, over = report(easy, most)
        print(
            f"{name:10} median grade {median:4.1f} (target <= {target}); longest sentence "
            f"{length} words (target <= {most}; {over} over): {sentence!r}"
        )


if __name__ == "__main__":
    main()
