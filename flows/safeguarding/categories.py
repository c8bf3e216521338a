"""What kind of risk a concern is about, and how urgently staff must act on it."""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    """Urgent concerns are re-sent to staff every 15 minutes; serious ones every hour."""

    URGENT = "urgent"
    SERIOUS = "serious"


class Category(StrEnum):
    """The kinds of concern the safeguarding rules and the answers can raise."""

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

    @property
    def severity(self) -> Severity:
        """Urgent where a life may be at risk now; serious otherwise."""
        if self in {Category.SUICIDE_SELF_HARM, Category.DANGER_NOW}:
            return Severity.URGENT
        return Severity.SERIOUS

    @property
    def label(self) -> str:
        """How staff read the category in an alert, a list or a report."""
        return CATEGORY_LABELS[self]


CATEGORY_LABELS: dict[Category, str] = {
    Category.SUICIDE_SELF_HARM: "suicide or self-harm",
    Category.DANGER_NOW: "in danger now, or asked for help now",
    Category.PHYSICAL_HARM: "physical harm",
    Category.SEXUAL_HARM: "sexual harm or exploitation",
    Category.ONLINE_GROOMING: "online grooming",
    Category.THREATS: "threats",
    Category.COERCION_SECRECY: "coercion or secrecy",
    Category.RESTRAINT_DEPRIVATION: "restraint, locking in or deprivation",
    Category.NEGLECT: "neglect",
    Category.BULLYING: "bullying",
    Category.MISSING: "going missing or running away",
    Category.FEELING_UNSAFE: "feeling unsafe",
}

SEVERITY_ORDER = {Severity.URGENT: 0, Severity.SERIOUS: 1}

GRAVITY_ORDER = {category: position for position, category in enumerate(Category)}
"""Which concern a text is filed under when it shows several of the same severity: the
order above, gravest first, so "he touched me and said not to tell" is sexual harm with
secrecy, not the other way round."""
