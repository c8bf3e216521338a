"""The detector read on first use: most commands never check a word, and reading and
compiling every safeguarding rule takes most of a second at each start."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import cast, get_args

from flows.safeguarding.detector import DEFAULT_RULES, Detector, Finding, load_detector
from flows.safeguarding.model import MODEL_NAME, ConcernModel
from flows.safeguarding.rules import CATEGORIES_NAME, rule_files
from flows.safeguarding.text import Language

LANGUAGES: tuple[str, ...] = get_args(Language)


class DeferredDetector(Detector):
    """A folder's detector that reads, checks and compiles its rules and model only when a
    text is first checked: most commands never check words, and reading the rules takes most
    of a second at every start. Its languages come from each rules file's `language:` line."""

    def __init__(self, folder: Path, languages: tuple[Language, ...]) -> None:
        self.languages = languages
        self._folder = folder
        self._loaded: Detector | None = None

    def ready(self) -> Detector:
        """The detector itself, read and compiled now; FlowError lists every problem."""
        if self._loaded is None:
            self._loaded = load_detector(self._folder)
        return self._loaded

    @property
    def model(self) -> ConcernModel | None:
        """The trained second opinion, read on first use."""
        return self.ready().model

    def findings(self, text: str) -> list[Finding]:
        """As Detector.findings, reading the rules first if this is the first text."""
        return self.ready().findings(text)


_LANGUAGE_LINE = re.compile(r"^language:\s*[\"']?([a-z]+)", re.MULTILINE)


def deferred_detector(folder: Path = DEFAULT_RULES) -> Detector:
    """The detector from a folder of rules files, read on first use (see DeferredDetector);
    `load_detector` reads and checks everything at once, as `flows check` needs."""
    paths = [*rule_files(folder), *folder.glob(CATEGORIES_NAME), *folder.glob(MODEL_NAME)]
    stamps = tuple((path.name, path.stat().st_mtime_ns) for path in paths)
    return _deferred_detector(folder.resolve(), stamps)


@lru_cache(maxsize=8)
def _deferred_detector(folder: Path, stamps: tuple[tuple[str, int], ...]) -> Detector:
    languages: list[Language] = []
    for path in rule_files(folder):
        found = _LANGUAGE_LINE.search(path.read_text(encoding="utf-8"))
        if found is None or found.group(1) not in LANGUAGES:
            return load_detector(folder)  # let the full read say what is wrong, and where
        languages.append(cast(Language, found.group(1)))
    if not languages:
        return load_detector(folder)
    return DeferredDetector(folder, tuple(languages))
