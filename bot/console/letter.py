"""The printable letter that goes with an invitation: one A4 page, in the person's
language, in plain words: what it is for, how long it takes, who sees the answers (never a
promise of secrecy), how to start, and where to get help (the flow's own helplines)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.context import AppContext
from flows.text import Language, pick

WORDS: dict[str, dict[str, dict[str, str]]] = {
    "young_person": {
        "en": {
            "heading": "Your exit interview",
            "hello": "Hello {name},",
            "what": "You are leaving {place}. We would like to hear what it was like for you: "
            "what was good, and what could be better. Your answers help make things better "
            "for the young people who live there next.",
            "long": "It takes about 10 to 15 minutes, on a phone. You can skip any question, "
            "take a break, or stop at any time. You do not have to do it.",
            "who": "Your answers are read by a few staff whose job is to listen and act on "
            "them, such as your Independent Reviewing Officer. If you tell us something that "
            "makes us worried about your safety or someone else's, we have to tell a member "
            "of staff whose job is to keep young people safe.",
            "start": "How to start: scan the square code with your phone's camera, or type "
            "the link. The link is only for you and works until {until}.",
            "questions": "Questions? Ask the person who gave you this letter.",
        },
    },
    "foster_carer": {
        "en": {
            "heading": "Your exit interview",
            "hello": "Dear {name},",
            "what": "You are leaving fostering. This is your independent exit interview: it "
            "asks about your time as a foster carer and why you are leaving, so the service "
            "can learn from it.",
            "long": "It takes about 15 minutes. You can skip any question, take a break, or "
            "stop at any time. Taking part is your choice.",
            "who": "Your answers are read by a few staff whose job is to learn from them and "
            "act on them. If you tell us something that makes us worried about a child's "
            "safety, we have to pass it on to staff whose job is to keep children safe.",
            "start": "How to start: scan the square code with your phone's camera, or type "
            "the link. The link is only for you and works until {until}.",
            "questions": "Questions? Contact your fostering service.",
        },
        "cy": {
            "heading": "Eich cyfweliad gadael",
            "hello": "Annwyl {name},",
            "what": "Rydych chi'n gadael maethu. Dyma eich cyfweliad gadael annibynnol: mae'n "
            "gofyn am eich amser fel gofalwr maeth a pham rydych chi'n gadael, er mwyn i'r "
            "gwasanaeth ddysgu ohono.",
            "long": "Mae'n cymryd tua 15 munud. Gallwch chi hepgor unrhyw gwestiwn, cymryd "
            "seibiant, neu stopio unrhyw bryd. Eich dewis chi yw cymryd rhan.",
            "who": "Mae ychydig o staff yn darllen eich atebion, a'u gwaith yw dysgu ohonyn "
            "nhw a gweithredu arnyn nhw. Os byddwch chi'n dweud rhywbeth sy'n gwneud i ni "
            "boeni am ddiogelwch plentyn, mae'n rhaid i ni ei rannu â staff sydd â'r gwaith "
            "o gadw plant yn ddiogel.",
            "start": "Sut i ddechrau: sganiwch y cod sgwâr gyda chamera eich ffôn, neu "
            "teipiwch y ddolen. Mae'r ddolen ar eich cyfer chi yn unig ac mae'n gweithio tan "
            "{until}.",
            "questions": "Cwestiynau? Cysylltwch â'ch gwasanaeth maethu.",
        },
    },
}


@dataclass(frozen=True)
class Letter:
    """The letter's words, ready for the page."""

    language: str
    title: str
    heading: str
    hello: str
    paragraphs: tuple[str, ...]
    start: str
    help_intro: str
    helplines: tuple[str, ...]
    questions: str


def letter_for(
    app: AppContext, flow_id: str, language: str | None, name: str, place: str | None, until: str
) -> Letter:
    """The letter in the person's language (the flow's first language if none was set)."""
    flow = app.flows[flow_id]
    by_language = WORDS[flow.audience]
    wanted = language or flow.languages[0]
    lang: Language = "cy" if wanted == "cy" and "cy" in by_language else "en"
    words = by_language[lang]
    lines = []
    for organisation_id in flow.helplines:
        organisation = app.help.get(organisation_id)
        if organisation is not None:
            lines.append(organisation.line(lang).removeprefix("• "))
    return Letter(
        lang,
        pick(flow.title, lang),
        words["heading"],
        words["hello"].format(name=name),
        (
            words["what"].format(place=place or "your home"),
            words["long"],
            words["who"],
        ),
        words["start"].format(until=until),
        pick(flow.help_intro, lang),
        tuple(lines),
        words["questions"],
    )
