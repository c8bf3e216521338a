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
