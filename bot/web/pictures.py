"""The pictures beside the words in the easy-read web chat: OpenMoji SVGs (CC BY-SA 4.0,
credited on the about page) served from the web chat's own static files, so they look the
same on every phone, each with its alt text. Telegram keeps its emoji: its buttons carry
only text."""

from __future__ import annotations

from dataclasses import dataclass

from flows.text import Language

OPENMOJI = "/static/openmoji/"


@dataclass(frozen=True)
class Picture:
    """One picture: its file and what it shows, in words, for a screen reader."""

    src: str
    alt: str


_PICTURES: dict[str, tuple[str, dict[Language, str]]] = {
    "yes": ("1F600", {"en": "Happy face", "cy": "Wyneb hapus"}),
    "no": ("1F641", {"en": "Sad face", "cy": "Wyneb trist"}),
    "not_sure": ("1F914", {"en": "Thinking face", "cy": "Wyneb yn meddwl"}),
    "_back": ("2B05", {"en": "Arrow going back", "cy": "Saeth yn mynd yn ôl"}),
    "_skip": ("23ED", {"en": "Arrow going on", "cy": "Saeth yn mynd ymlaen"}),
    "_help": ("1F198", {"en": "Help sign", "cy": "Arwydd help"}),
    "_pause": ("23F8", {"en": "Pause sign", "cy": "Arwydd oedi"}),
    "_stop": ("23F9", {"en": "Stop sign", "cy": "Arwydd stop"}),
    "_done": ("2714", {"en": "Tick", "cy": "Tic"}),
    "_next": ("2714", {"en": "Tick", "cy": "Tic"}),
    "confirm": ("2714", {"en": "Tick", "cy": "Tic"}),
    "change": ("270F", {"en": "Pencil", "cy": "Pensil"}),
    "_talk": ("1F4DE", {"en": "Phone", "cy": "Ffôn"}),
    "_unsafe": ("1F198", {"en": "Help sign", "cy": "Arwydd help"}),
    "_resume": ("1F44B", {"en": "Waving hand", "cy": "Llaw yn chwifio"}),
    "leave": ("1F6AA", {"en": "Door", "cy": "Drws"}),
    "type": ("270F", {"en": "Pencil", "cy": "Pensil"}),
    "record": ("1F3A4", {"en": "Microphone", "cy": "Meicroffon"}),
    "review": ("1F4DD", {"en": "List of answers", "cy": "Rhestr o atebion"}),
    "kind:question": ("1F4AC", {"en": "Speech bubble", "cy": "Swigen siarad"}),
    "kind:info": ("1F4AC", {"en": "Speech bubble", "cy": "Swigen siarad"}),
    "kind:summary": ("1F4DD", {"en": "List of answers", "cy": "Rhestr o atebion"}),
    "kind:help": ("1F4DE", {"en": "Phone", "cy": "Ffôn"}),
    "kind:concern": ("1F4DE", {"en": "Phone", "cy": "Ffôn"}),
    "kind:ending": ("1F31F", {"en": "Star", "cy": "Seren"}),
    "kind:reminder": ("1F44B", {"en": "Waving hand", "cy": "Llaw yn chwifio"}),
}
"""Per button value (the same answer has the same picture in every question) and per kind
of message (every message of the easy-read chat has one)."""


def picture(key: str, language: Language | None) -> Picture | None:
    """The picture for a button's value or a message's kind ("kind:question"), if any."""
    found = _PICTURES.get(key)
    if found is None:
        return None
    code, alt = found
    return Picture(f"{OPENMOJI}{code}.svg", alt[language or "en"])
