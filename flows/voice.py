"""Voice answers in the engine: a voice note at a free-text question is an answer. The
engine keeps only a marker in the answer ("🎤 voice answer, 0:42 [v-…]"); the audio itself
is kept, encrypted, by storage."""

from __future__ import annotations

import re

VOICE_MARK = re.compile(r"🎤 voice answer(?:, (\d+):(\d\d))? \[(v-[0-9a-f]{16})\]")


def voice_words(seconds: int | None) -> str:
    """A voice answer as people read it: "🎤 voice answer, 0:42" (no length if unknown)."""
    return f"🎤 voice answer, {seconds // 60}:{seconds % 60:02d}" if seconds else "🎤 voice answer"


def voice_marker(voice_id: str, seconds: int | None) -> str:
    """How a voice answer stands in the written answer: its length and its reference."""
    return f"{voice_words(seconds)} [{voice_id}]"


def voices_in(answer: str) -> list[str]:
    """The references of the voice answers in a written answer, in order."""
    return [match.group(3) for match in VOICE_MARK.finditer(answer)]


def without_references(answer: str) -> str:
    """An answer as people read it: "🎤 voice answer, 0:42", without the reference."""
    return VOICE_MARK.sub(
        lambda m: voice_words(int(m.group(1)) * 60 + int(m.group(2)) if m.group(1) else None),
        answer,
    )
