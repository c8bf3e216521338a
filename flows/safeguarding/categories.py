"""What kind of risk a concern is about, and how urgently staff must act on it."""

from __future__ import annotations

from enum import StrEnum


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
    def next_step(self) -> str:
        """The one line an alert shows: what staff do next for this kind of concern."""
        return NEXT_STEPS[self]

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

NEXT_STEPS: dict[Category, str] = {
    Category.SUICIDE_SELF_HARM: "Check the young person is safe now; if life is at risk call 999.",
    Category.DANGER_NOW: "Make sure they are safe now; if they are in danger call 999.",
    Category.PHYSICAL_HARM: "Refer to children's social care today; if staff or a carer, tell the LADO.",
    Category.SEXUAL_HARM: "Refer to children's social care and the police today.",
    Category.ONLINE_GROOMING: "Refer to children's social care today; keep any messages as evidence.",
    Category.THREATS: "Check they are safe now; refer to social care or the police today.",
    Category.COERCION_SECRECY: "Talk to the designated safeguarding lead today.",
    Category.RESTRAINT_DEPRIVATION: "Tell the registered manager and the LADO within one working day.",
    Category.NEGLECT: "Refer to children's social care today.",
    Category.BULLYING: "Talk to the young person's social worker this week.",
    Category.MISSING: "Follow the missing-from-care protocol; tell their social worker today.",
    Category.FEELING_UNSAFE: "Talk to them and their social worker today about why.",
}

SEVERITY_ORDER = {Severity.URGENT: 0, Severity.SERIOUS: 1}

GRAVITY_ORDER = {category: position for position, category in enumerate(Category)}
"""Which concern a text is filed under when it shows several of the same severity: the
order above, gravest first, so "he touched me and said not to tell" is sexual harm with
secrecy, not the other way round."""
