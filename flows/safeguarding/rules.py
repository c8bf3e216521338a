"""The safeguarding rules as data: YAML files a safeguarding lead can read and extend,
validated here, with every problem reported at once with its line."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from flows.problems import FlowError, Problem, line_of, read_yaml, validation_problems
from flows.safeguarding.categories import Category, Tier
from flows.safeguarding.patterns import PatternError, compile_pattern
from flows.safeguarding.text import NEGATORS, Language

_LIST_NAME = re.compile(r"\{([a-z_]+)\}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Rule(_Strict):
    """Ways of saying one thing that may mean someone is at risk."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_]*$")
    category: Category
    tier: Tier = Tier.RED
    """red: staff are alerted at once; amber: a possible concern a person reads today."""
    patterns: list[str] = Field(min_length=1)
    unless: list[str] = Field(default_factory=list)
    half_match: bool = False
    """A red rule whose anchor words are a signal on their own: where they stand in a text
    but no pattern matches, an amber finding is raised for a person to read today."""


class RuleFile(_Strict):
    """One language's rules: named word lists, idioms that never count, and the rules."""

    language: Language
    lists: dict[str, str] = Field(default_factory=dict)
    unless: list[str] = Field(default_factory=list)
    rules: list[Rule] = Field(min_length=1)

    def expand(self, pattern: str) -> str:
        """A pattern with every {list} written out; KeyError names an unknown list."""
        for _ in range(5):
            expanded = _LIST_NAME.sub(lambda m: f"({self.lists[m.group(1)]})", pattern)
            if expanded == pattern:
                return expanded
            pattern = expanded
        return pattern


CATEGORIES_NAME = "categories.yaml"


def rule_files(folder: Path) -> list[Path]:
    """The rules files in a folder, one per language (the categories file is not one)."""
    return sorted(path for path in folder.glob("*.yaml") if path.name != CATEGORIES_NAME)


def read_rule_file(path: Path) -> RuleFile:
    """One rules file, checked: structure, list names and every pattern compiled."""
    data, index = read_yaml(path)
    try:
        rules = RuleFile.model_validate(data)
    except ValidationError as error:
        raise FlowError(validation_problems(path, index, error)) from None
    problems: list[Problem] = []
    negators = NEGATORS[rules.language]
    seen: set[str] = set()

    def check(pattern: str, where: tuple[str | int, ...]) -> None:
        try:
            compile_pattern(rules.expand(pattern), rules.language, negators)
        except KeyError as missing:
            problems.append(
                Problem(
                    path,
                    line_of(index, where),
                    f"no list {missing} under 'lists:'; add it or fix the name",
                )
            )
        except PatternError as error:
            problems.append(Problem(path, line_of(index, where), str(error)))

    for position, idiom in enumerate(rules.unless):
        check(idiom, ("unless", position))
    for r, rule in enumerate(rules.rules):
        if rule.id in seen:
            problems.append(
                Problem(path, line_of(index, ("rules", r, "id")), f"rule id '{rule.id}' twice")
            )
        seen.add(rule.id)
        for position, pattern in enumerate(rule.patterns):
            check(pattern, ("rules", r, "patterns", position))
        for position, pattern in enumerate(rule.unless):
            check(pattern, ("rules", r, "unless", position))
    if problems:
        raise FlowError(problems)
    return rules
