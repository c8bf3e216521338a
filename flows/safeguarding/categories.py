"""What kind of risk a concern is about, how urgently staff must act on it, and what they do
next: the facts live in definitions/safeguarding/categories.yaml for a safeguarding lead."""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from flows.problems import FlowError, Problem, line_of, read_yaml, validation_problems

CATEGORIES_FILE = (
    Path(__file__).resolve().parents[1] / "definitions" / "safeguarding" / ("categories.yaml")
)


class Severity(StrEnum):
    """Urgent concerns are re-sent to staff every 15 minutes; serious ones every hour."""

    URGENT = "urgent"
    SERIOUS = "serious"


class Tier(StrEnum):
    """Red: staff are alerted at once and again until someone acknowledges it by name.
    Amber: a possible concern a person reads today (a task and a daily digest), never an
    urgent push; staff can raise it to red or close it with a reason."""

    RED = "red"
    AMBER = "amber"


class Category(StrEnum):
    """The kinds of concern the safeguarding rules and the answers can raise. Values are
    stored with every concern, so a value is never changed or removed."""

    SUICIDE_SELF_HARM = "suicide_self_harm"
    DANGER_NOW = "danger_now"
    PHYSICAL_HARM = "physical_harm"
    SEXUAL_HARM = "sexual_harm_exploitation"
    ONLINE_GROOMING = "online_grooming"
    THREATS = "threats"
    COERCION_SECRECY = "coercion_secrecy"
    RESTRAINT_DEPRIVATION = "restraint_deprivation"
    NEGLECT = "neglect"
    BULLYING = "bullying"
    MISSING = "missing"
    FEELING_UNSAFE = "feeling_unsafe"
    ALLEGATION_AGAINST_STAFF = "allegation_against_staff"
    EMOTIONAL_ABUSE = "emotional_abuse"
    DOMESTIC_ABUSE = "domestic_abuse"
    CRIMINAL_EXPLOITATION = "criminal_exploitation"
    ONLINE_ABUSE = "online_abuse"
    CHILD_ON_CHILD = "child_on_child"
    YOUTH_VIOLENCE_WEAPONS = "youth_violence_weapons"
    FGM = "fgm"
    FORCED_MARRIAGE_HONOUR = "forced_marriage_honour"
    RADICALISATION = "radicalisation"
    MODERN_SLAVERY_TRAFFICKING = "modern_slavery_trafficking"
    SUBSTANCE_MISUSE = "substance_misuse"
    CONTACT_WITH_RISK = "contact_with_risk"

    @property
    def severity(self) -> Severity:
        """Urgent where a life may be at risk now; serious otherwise."""
        return category_facts()[self].severity

    @property
    def next_step(self) -> str:
        """The one line an alert shows: what staff do next for this kind of concern."""
        return category_facts()[self].next_step

    @property
    def label(self) -> str:
        """How staff read the category in an alert, a list or a report."""
        return category_facts()[self].label

    @property
    def source(self) -> str:
        """The guidance the next step comes from, for a safeguarding lead to check."""
        return category_facts()[self].source


class CategoryFacts(BaseModel):
    """What a safeguarding lead needs to know about one category."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    severity: Severity
    label: str = Field(min_length=3, max_length=80)
    next_step: str = Field(min_length=10, max_length=200)
    source: str = Field(min_length=3)


class _CategoriesFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    categories: dict[Category, CategoryFacts]


def read_categories(path: Path = CATEGORIES_FILE) -> dict[Category, CategoryFacts]:
    """The categories file, checked: every category the code knows, each with a severity,
    a label, a next step and its source; FlowError lists every problem with its line."""
    data, index = read_yaml(path)
    try:
        parsed = _CategoriesFile.model_validate(data)
    except ValidationError as error:
        raise FlowError(validation_problems(path, index, error)) from None
    missing = [category.value for category in Category if category not in parsed.categories]
    if missing:
        raise FlowError(
            [
                Problem(
                    path,
                    line_of(index, ("categories",)),
                    f"no entry for {', '.join(missing)}; add a severity, label, next_step "
                    "and source for each",
                )
            ]
        )
    return dict(parsed.categories)


@cache
def category_facts() -> dict[Category, CategoryFacts]:
    """The shipped categories, read once."""
    return read_categories(CATEGORIES_FILE)


SEVERITY_ORDER = {Severity.URGENT: 0, Severity.SERIOUS: 1}
TIER_ORDER = {Tier.RED: 0, Tier.AMBER: 1}

GRAVITY_ORDER = {category: position for position, category in enumerate(Category)}
"""Which concern a text is filed under when it shows several of the same severity: the
order above, gravest first, so "he touched me and said not to tell" is sexual harm with
secrecy, not the other way round."""
