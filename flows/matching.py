"""Understanding what a person typed as one of the buttons on screen."""

from __future__ import annotations

import functools
import re
import unicodedata

from flows.outputs import Button
from flows.welsh_answers import typed_welsh_answers
from flows.wording import THUMBS, YES_NO_WORDS

_NOT_WORD = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")
_TYPED_WELSH = typed_welsh_answers()


def normalise(text: str) -> str:
    """Lower case, accents and emoji and punctuation gone, spaces single: 'Siŵr!' -> 'siwr'."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'").replace("'", ""))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", _NOT_WORD.sub(" ", plain.lower())).strip()


@functools.lru_cache(maxsize=4096)
def _label_words(label: str) -> str:
    """A button label, normalised once: labels are the flow's words and repeat on every
    typed answer (the person's own words are never kept here)."""
    return normalise(label)


def match_button(text: str, buttons: list[Button]) -> Button | None:
    """The button whose words the person typed, so typing 'yes' works like tapping Yes."""
    bare = "".join(ch for ch in text.strip() if not 0x1F3FB <= ord(ch) <= 0x1F3FF)
    if bare in THUMBS:
        return next((b for b in buttons if b.value == THUMBS[bare]), None)
    wanted = normalise(text)
    if not wanted:
        return None
    for button in buttons:
        if _label_words(button.label) == wanted or button.value.lstrip("_") == wanted:
            return button
    for value, words in YES_NO_WORDS.items():
        if wanted in words:
            return next((b for b in buttons if b.value == value), None)
    if wanted in _TYPED_WELSH:
        return next((b for b in buttons if b.value == _TYPED_WELSH[wanted]), None)
    return None
