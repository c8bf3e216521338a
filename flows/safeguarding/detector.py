"""Finding signs that someone may be at risk in what they wrote.

A safety net, not a judge: it is tuned to miss as little as possible, accepts some false
alarms, and never replaces a person reading every free-text answer. It understands word
forms, text-speak and misspellings (text.py), negation just before a match ("nobody hurt
me"), idioms that never count ("killed it at football"), and sentences about someone else
("she told me her dad hits her").
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

from flows.problems import FlowError, Problem
from flows.safeguarding.categories import (
    GRAVITY_ORDER,
    SEVERITY_ORDER,
    TIER_ORDER,
    Category,
    Tier,
    read_categories,
)
from flows.safeguarding.language_rules import Finding, LanguageRules
from flows.safeguarding.model import MODEL_NAME, ConcernModel, read_model
from flows.safeguarding.rules import CATEGORIES_NAME, RuleFile, read_rule_file, rule_files
from flows.safeguarding.text import Language, fold

__all__ = ["DEFAULT_RULES", "Detector", "Finding", "default_detector", "load_detector"]

DEFAULT_RULES = Path(__file__).resolve().parents[1] / "definitions" / "safeguarding"


class Detector:
    """Every language's rules together: a text is checked against all of them, since people
    mix Welsh and English."""

    def __init__(self, rule_sets: list[RuleFile], model: ConcernModel | None = None) -> None:
        if not rule_sets:
            raise FlowError([])
        self.languages: tuple[Language, ...] = tuple(rules.language for rules in rule_sets)
        self._rules = [LanguageRules(rules) for rules in rule_sets]
        self._model = model

    @property
    def model(self) -> ConcernModel | None:
        """The trained second opinion, None where the rules work alone."""
        return self._model

    def ready(self) -> Detector:
        """This detector with every rule compiled and the model read: a server asks at
        start-up so that a broken rules file stops it there, not at someone's first answer."""
        return self

    def findings(self, text: str) -> list[Finding]:
        """Each kind of concern the text shows, red before amber, then most urgent and
        gravest first; [] when none."""
        if not text or not text.strip():
            return []
        found: dict[Category, Finding] = {}
        folded = fold(text)
        language: Language = "en"
        for rules in self._rules:
            if rules.language != "en" and not rules.may_match(folded):
                continue
            language = rules.language
            for finding in rules.findings(text, folded):
                already = found.get(finding.category)
                if already is None or (already.tier is Tier.AMBER and finding.tier is Tier.RED):
                    found[finding.category] = finding
        if not found and self.model is not None and self.model.concerned(text):
            # The trained second opinion: amber only, where no rule found anything.
            span = self.model.strongest(text)
            return [Finding(Category.FEELING_UNSAFE, "model", language, Tier.AMBER, span)]
        return sorted(
            found.values(),
            key=lambda f: (
                TIER_ORDER[f.tier],
                SEVERITY_ORDER[f.severity],
                GRAVITY_ORDER[f.category],
            ),
        )


def load_detector(folder: Path = DEFAULT_RULES) -> Detector:
    """The detector from a folder of rules files; FlowError lists every problem in them.
    Loaded once per version of the files, since compiling the rules takes a moment."""
    paths = [*rule_files(folder), *folder.glob(CATEGORIES_NAME), *folder.glob(MODEL_NAME)]
    stamps = tuple((path.name, path.stat().st_mtime_ns) for path in paths)
    return _load_detector(folder.resolve(), stamps)


@lru_cache(maxsize=8)
def _load_detector(folder: Path, stamps: tuple[tuple[str, int], ...]) -> Detector:
    problems = []
    rule_sets = []
    for path in rule_files(folder):
        try:
            rule_sets.append(read_rule_file(path))
        except FlowError as error:
            problems.extend(error.problems)
    categories = folder / CATEGORIES_NAME
    if categories.exists():
        try:
            read_categories(categories)
        except FlowError as error:
            problems.extend(error.problems)
    if problems:
        raise FlowError(problems)
    if not rule_sets:
        raise FlowError([Problem(folder, None, "no safeguarding rules files here; add en.yaml")])
    return Detector(rule_sets, read_model(folder / MODEL_NAME))


@cache
def default_detector() -> Detector:
    """The shipped rules, loaded once."""
    return load_detector(DEFAULT_RULES)
