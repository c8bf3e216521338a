"""The web chat's own fixed words (the start page and its error pages), in English and in
Welsh. The Welsh was drafted by a non-native writer and must be checked, like the rest
(docs/welsh.md). Where the person's language is not known yet, a page says everything in
both, Welsh first (the Welsh Language Standards' order for a bilingual page)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.notices import notice
from flows.text import Language

WEB_WORDS: dict[str, dict[Language, str]] = {
    "start_intro": {
        "en": "You have been invited to an exit interview. When you are ready, tap Start. "
        "Nobody else can use this link once you have started.",
        "cy": "Rydych chi wedi cael gwahoddiad i gyfweliad gadael. Pan fyddwch chi'n barod, "
        "tapiwch Dechrau. All neb arall ddefnyddio'r ddolen hon ar ôl i chi ddechrau.",
    },
    "start_button": {"en": "Start", "cy": "Dechrau"},
    "start_again": {
        "en": "Something on this page had gone out of date. Please tap Start again.",
        "cy": "Roedd rhywbeth ar y dudalen hon wedi dyddio. Tapiwch Dechrau eto.",
    },
    "ended": {
        "en": "This interview has ended. Nothing from it is shown here any more. If you were "
        "sent a new link, please open it.",
        "cy": "Mae'r cyfweliad hwn wedi dod i ben. Does dim byd ohono'n cael ei ddangos yma "
        "mwyach. Os cawsoch chi ddolen newydd, agorwch hi.",
    },
    "too_many_tries": {
        "en": "There have been too many tries with links that do not work. Please wait 15 "
        "minutes, then open the link you were sent.",
        "cy": "Mae gormod o ymdrechion wedi bod gyda dolenni nad ydynt yn gweithio. Arhoswch "
        "15 munud, yna agorwch y ddolen a anfonwyd atoch chi.",
    },
    "not_found": {
        "en": "Sorry, there is no page here. Please open the link you were sent.",
        "cy": "Mae'n ddrwg gen i, does dim tudalen yma. Agorwch y ddolen a anfonwyd atoch chi.",
    },
    "bad_request": {
        "en": "Sorry, that did not reach us properly. Please go back and try again.",
        "cy": "Mae'n ddrwg gen i, wnaeth hynny ddim ein cyrraedd yn iawn. Ewch yn ôl a "
        "rhowch gynnig arall arni.",
    },
    "too_big": {
        "en": "Sorry, that was too much to send at once. Please send something shorter.",
        "cy": "Mae'n ddrwg gen i, roedd hynny'n ormod i'w anfon ar unwaith. Anfonwch rywbeth "
        "byrrach.",
    },
    "too_slow": {
        "en": "Sorry, that took too long to arrive. Please check your connection and try again.",
        "cy": "Mae'n ddrwg gen i, cymerodd hynny ormod o amser i gyrraedd. Gwiriwch eich "
        "cysylltiad a rhowch gynnig arall arni.",
    },
    "busy": {
        "en": "Sorry, a lot of recordings are arriving at once. Please try again in a minute, "
        "or type your answer.",
        "cy": "Mae'n ddrwg gen i, mae llawer o recordiadau'n cyrraedd ar unwaith. Rhowch "
        "gynnig arall arni mewn munud, neu teipiwch eich ateb.",
    },
}


@dataclass(frozen=True)
class Said:
    """One paragraph of a page, with the language it is written in."""

    language: Language
    text: str


def in_language(key: str, language: Language | None) -> list[Said]:
    """A fixed text of the web chat's own (or a shared notice) in the person's language, or
    in both, Welsh first, where it is not known."""
    languages: tuple[Language, ...] = ("cy", "en") if language is None else (language,)
    texts = WEB_WORDS.get(key)
    if texts is None:
        return [Said(each, notice(key, each)) for each in languages]
    return [Said(each, texts.get(each) or texts["en"]) for each in languages]


CHROME: dict[str, dict[str, str]] = {
    "controls": {"en": "Other buttons", "cy": "Botymau eraill"},
    "_back": {"en": "Back", "cy": "Yn ôl", "en_easy": "Go back", "cy_easy": "Mynd yn ôl"},
    "_skip": {"en": "Skip", "cy": "Hepgor", "en_easy": "Skip this", "cy_easy": "Hepgor hwn"},
    "_help": {"en": "Help", "cy": "Cymorth", "en_easy": "Get help", "cy_easy": "Cael help"},
    "_pause": {"en": "Pause", "cy": "Oedi", "en_easy": "Have a break", "cy_easy": "Cael seibiant"},
    "_stop": {"en": "Stop", "cy": "Stopio"},
    "progress": {
        "en": "Question {n} of {total}. About {minutes} minutes left.",
        "cy": "Cwestiwn {n} o {total}. Tua {minutes} munud ar ôl.",
        "en_easy": "Question {n} of {total}. About {minutes} minutes to go.",
        "cy_easy": "Cwestiwn {n} o {total}. Tua {minutes} munud i fynd.",
    },
    "review": {"en": "Your answers", "cy": "Eich atebion"},
    "change": {"en": "Change", "cy": "Newid", "en_easy": "Change this", "cy_easy": "Newid hwn"},
    "unsure_offer": {
        "en": "You weren't sure about {n} questions. Look at them again?",
        "cy": "Doeddech chi ddim yn siŵr am {n} cwestiwn. Edrych arnyn nhw eto?",
        "en_easy": "You were not sure about {n} questions. Look again?",
        "cy_easy": "Doeddech chi ddim yn siŵr am {n} cwestiwn. Edrych eto?",
    },
    "unsure_offer_one": {
        "en": "You weren't sure about 1 question. Look at it again?",
        "cy": "Doeddech chi ddim yn siŵr am 1 cwestiwn. Edrych arno eto?",
        "en_easy": "You were not sure about 1 question. Look again?",
        "cy_easy": "Doeddech chi ddim yn siŵr am 1 cwestiwn. Edrych eto?",
    },
    "unsure_keep": {
        "en": "If you leave them, your answers stay as they are.",
        "cy": "Os gadewch chi nhw, bydd eich atebion yn aros fel y maen nhw.",
        "en_easy": "Or leave them. Your answers stay the same.",
        "cy_easy": "Neu gadewch nhw. Bydd eich atebion yr un fath.",
    },
    "look_again": {"en": "Look again", "cy": "Edrych eto"},
    "type_answer": {
        "en": "Type your answer",
        "cy": "Teipiwch eich ateb",
        "en_easy": "Type here",
        "cy_easy": "Teipiwch yma",
    },
    "write_anything": {
        "en": "Something else to tell us? Write it here",
        "cy": "Rhywbeth arall i'w ddweud wrthon ni? Ysgrifennwch yma",
        "en_easy": "Want to tell us something? Write here",
        "cy_easy": "Eisiau dweud rhywbeth? Ysgrifennwch yma",
    },
    "send": {"en": "Send", "cy": "Anfon"},
    "record": {
        "en": "Or record your answer",
        "cy": "Neu recordiwch eich ateb",
        "en_easy": "Or say it out loud",
        "cy_easy": "Neu dwedwch e'n uchel",
    },
    "send_recording": {
        "en": "Send the recording",
        "cy": "Anfon y recordiad",
        "en_easy": "Send it",
        "cy_easy": "Anfon e",
    },
    "leave": {
        "en": "Leave this page quickly",
        "cy": "Gadael y dudalen hon yn gyflym",
        "en_easy": "Leave now",
        "cy_easy": "Gadael nawr",
    },
    "leave_hint": {
        "en": "This takes you to another website at once. Your answers are saved.",
        "cy": "Mae hyn yn mynd â chi i wefan arall ar unwaith. Mae eich atebion wedi'u cadw.",
        "en_easy": "Tap to go fast. You can come back later.",
        "cy_easy": "Tapiwch i fynd yn gyflym. Gallwch ddod yn ôl wedyn.",
    },
    "about": {"en": "About this chat", "cy": "Am y sgwrs hon"},
    "about_title": {"en": "About this chat", "cy": "Am y sgwrs hon"},
    "about_text": {
        "en": "This chat asks about your time in care. It is free, open-source software.",
        "cy": "Mae'r sgwrs hon yn holi am eich amser mewn gofal. Meddalwedd rydd, cod agored yw hi.",
    },
    "about_pictures": {
        "en": "The pictures are by",
        "cy": "Mae'r lluniau gan",
    },
    "finished": {
        "en": "Thank you. Your answers are sent. This chat cannot send you messages "
        "later. The person who sent you the link will be in touch. They will phone you, "
        "send you a letter or tell your worker what happens next.",
        "cy": "Diolch. Mae eich atebion wedi'u hanfon. All y sgwrs hon ddim anfon "
        "negeseuon atoch chi wedyn. Bydd y person a anfonodd y ddolen atoch chi'n "
        "cysylltu. Byddan nhw'n eich ffonio, yn anfon llythyr atoch chi neu'n "
        "dweud wrth eich gweithiwr beth sy'n digwydd nesaf.",
        "en_easy": "Thank you! Your answers are sent. This chat cannot send you messages. "
        "The person who sent the link will get in touch. They will phone you. Or they "
        "will send a letter. Or they will tell your worker.",
        "cy_easy": "Diolch! Mae eich atebion wedi'u hanfon. All y sgwrs hon ddim anfon "
        "negeseuon. Bydd y person a anfonodd y ddolen yn dweud beth sy'n digwydd. Byddan "
        "nhw'n eich ffonio. Neu byddan nhw'n anfon llythyr. Neu byddan nhw'n dweud wrth "
        "eich gweithiwr.",
    },
}
"""The web page's own words around the chat. An easy-read person sees the "_easy" form
where there is one (the same words where the plain ones are already short)."""


def chrome_words(language: Language, easy_read: bool) -> dict[str, str]:
    """Every word of the page around the chat, in the person's language and version."""
    suffix = "_easy" if easy_read else ""
    return {
        key: forms.get(language + suffix) or forms.get(language) or forms["en"]
        for key, forms in CHROME.items()
    }
