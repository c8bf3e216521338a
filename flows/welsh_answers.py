"""Welsh yes and no: Welsh has no one word for either, so a question is answered in the
form its own verb takes ("Gawsoch chi...?" "Do" / "Naddo"; "Oes...?" "Oes" / "Nac oes").

Each yes/no question of a Welsh flow names its form (`welsh_yes_no: do`); the engine still
stores "yes" and "no", so reports and transcripts for staff do not change.
"""

from __future__ import annotations

from typing import Final, Literal

WelshYesNo = Literal[
    "ydw",
    "ydy",
    "ydyn",
    "ydych",
    "wyt",
    "oes",
    "do",
    "bydd",
    "byddwn",
    "oedd",
    "oeddwn",
    "oedden",
    "hoffwn",
    "gallwn",
    "ie",
]

WELSH_YES_NO: Final[dict[str, tuple[str, str]]] = {
    "ydw": ("Ydw", "Nac ydw"),
    "ydy": ("Ydy", "Nac ydy"),
    "ydyn": ("Ydyn", "Nac ydyn"),
    "ydych": ("Ydych", "Nac ydych"),
    "wyt": ("Wyt", "Nac wyt"),
    "oes": ("Oes", "Nac oes"),
    "do": ("Do", "Naddo"),
    "bydd": ("Bydd", "Na fydd"),
    "byddwn": ("Byddwn", "Na fyddwn"),
    "oedd": ("Oedd", "Nac oedd"),
    "oeddwn": ("Oeddwn", "Nac oeddwn"),
    "oedden": ("Oedden", "Nac oedden"),
    "hoffwn": ("Hoffwn", "Na hoffwn"),
    "gallwn": ("Gallwn", "Na allwn"),
    "ie": ("Ie", "Na"),
}
"""The answer words of each form: the first is yes, the second no. "ie" is for questions
that do not start with a verb ("Ai chi...?")."""


def welsh_answer_word(form: str | None, value: str) -> str | None:
    """The Welsh word for a yes or no in this question's form, or None where the form is
    not set or the answer is neither yes nor no (not sure has one Welsh wording)."""
    if form is None or value not in {"yes", "no"}:
        return None
    yes, no = WELSH_YES_NO[form]
    return yes if value == "yes" else no


def typed_welsh_answers() -> dict[str, str]:
    """Every form's words, normalised, to the answer they give: a carer who types "naddo"
    or "nac oes" has answered no, whichever form the question takes."""
    typed: dict[str, str] = {}
    for yes, no in WELSH_YES_NO.values():
        typed[yes.lower()] = "yes"
        typed[no.lower()] = "no"
    return typed
