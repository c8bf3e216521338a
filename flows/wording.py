"""The engine's own words (buttons, gentle corrections, reminders), in English and Welsh.

Flow files hold the questions; these are the words every flow shares, so they read the
same from one question to the next. Welsh lines were written for a Welsh speaker to check;
see docs/welsh.md.
"""

from __future__ import annotations

from typing import Final

from flows.text import Language

WORDS: Final[dict[str, dict[Language, str]]] = {
    "skip": {"en": "⏭ Skip", "cy": "⏭ Hepgor"},
    "back": {"en": "⬅ Back", "cy": "⬅ Yn ôl"},
    "pause": {"en": "⏸ Pause", "cy": "⏸ Oedi"},
    "stop": {"en": "⏹ Stop", "cy": "⏹ Stopio"},
    "help": {"en": "🆘 Help", "cy": "🆘 Cymorth"},
    "unsafe": {
        "en": "🚨 I need help now / I don't feel safe",
        "cy": "🚨 Mae angen help arna i nawr / Dw i ddim yn teimlo'n ddiogel",
    },
    "talk": {"en": "🙋 Talk to a person", "cy": "🙋 Siarad â pherson"},
    "voice_taken": {
        "en": "🎤 Thank you. A person will listen to it. You can send more, or tap Next.",
        "cy": "🎤 Diolch. Bydd person yn gwrando arno. Gallwch anfon mwy, neu dapio Nesaf.",
    },
    "voice_not_here": {
        "en": "🎤 I can only take a voice answer when I ask you to type. Please tap a button.",
        "cy": "🎤 Dim ond pan fydda i'n gofyn i chi deipio y galla i gymryd ateb llais. "
        "Tapiwch fotwm.",
    },
    "talk_ask_how": {
        "en": "Someone can contact you. How would you like that?",
        "cy": "Gall rhywun gysylltu â chi. Sut hoffech chi hynny?",
    },
    "talk_ask_number": {
        "en": "What number should they call? Type it here. Or tap the button if they have it.",
        "cy": "Pa rif ddylen nhw ei ffonio? Teipiwch e yma. Neu tapiwch y botwm os oes ganddyn nhw fe.",
    },
    "talk_ask_when": {
        "en": "When is a good time?",
        "cy": "Pryd mae'n amser da?",
    },
    "talk_chat": {"en": "💬 A message here", "cy": "💬 Neges yma"},
    "talk_phone": {"en": "📞 A phone call", "cy": "📞 Galwad ffôn"},
    "talk_known": {"en": "☎ They have my number", "cy": "☎ Mae fy rhif ganddyn nhw"},
    "talk_cancel": {"en": "✖ Not now", "cy": "✖ Dim nawr"},
    "talk_morning": {"en": "🌅 Morning", "cy": "🌅 Bore"},
    "talk_afternoon": {"en": "☀ Afternoon", "cy": "☀ Prynhawn"},
    "talk_evening": {"en": "🌙 Evening", "cy": "🌙 Noswaith"},
    "talk_any": {"en": "🕐 Any time", "cy": "🕐 Unrhyw bryd"},
    "talk_not_now": {
        "en": "OK. You can ask to talk to a person any time. Tap Help.",
        "cy": "Iawn. Gallwch chi ofyn i siarad â pherson unrhyw bryd. Tapiwch Cymorth.",
    },
    "talk_who": {"en": "Someone from the team", "cy": "Rhywun o'r tîm"},
    "talk_by_chat": {"en": "with a message here", "cy": "gyda neges yma"},
    "talk_by_phone": {"en": "by phone", "cy": "ar y ffôn"},
    "talk_when_morning": {"en": "in the morning", "cy": "yn y bore"},
    "talk_when_afternoon": {"en": "in the afternoon", "cy": "yn y prynhawn"},
    "talk_when_evening": {"en": "in the evening", "cy": "gyda'r nos"},
    "talk_when_any": {"en": "at any time", "cy": "unrhyw bryd"},
    "talk_done": {
        "en": "Thank you. {who} will contact you {how}, {when}. "
        "This is usually by the end of the next working day. "
        "If you are in danger now, call 999.",
        "cy": "Diolch. Bydd {who} yn cysylltu â chi {how}, {when}. "
        "Fel arfer, bydd hyn erbyn diwedd y diwrnod gwaith nesaf. "
        "Os ydych chi mewn perygl nawr, ffoniwch 999.",
    },
    "unsafe_now": {
        "en": "Thank you for telling us. We are telling a member of staff now. "
        "If you are in danger right now, call 999.",
        "cy": "Diolch am ddweud wrthon ni. Rydyn ni'n dweud wrth aelod o staff nawr. "
        "Os ydych chi mewn perygl nawr, ffoniwch 999.",
    },
    "amber_note": {
        "en": "If anything is worrying you, 🆘 Help shows who you can talk to, "
        "and 🙋 Talk to a person asks someone to get in touch.",
        "cy": "Os oes unrhyw beth yn eich poeni, mae 🆘 Cymorth yn dangos pwy y gallwch siarad "
        "â nhw, ac mae 🙋 Siarad â pherson yn gofyn i rywun gysylltu â chi.",
    },
    "aside_edited": {
        "en": "I saw you changed a message. I keep what you first sent. To change an answer, "
        "tap Back, or change it at the end when you see all your answers.",
        "cy": "Gwelais i eich bod wedi newid neges. Dw i'n cadw beth anfonoch chi gyntaf. "
        "I newid ateb, tapiwch Yn ôl, neu newidiwch e ar y diwedd pan welwch chi'ch atebion i gyd.",
    },
    "aside_caption": {
        "en": "Sorry, I can't open photos or files here. Please type your answer, or tap a button.",
        "cy": "Mae'n ddrwg gen i, alla i ddim agor lluniau na ffeiliau yma. "
        "Teipiwch eich ateb, neu tapiwch fotwm.",
    },
    "failsafe_not_saved": {
        "en": "Sorry, we could not save that just now. We have kept it and will carry on "
        "in a moment. You do not need to send it again. If you need to talk to someone now:",
        "cy": "Mae'n ddrwg gennym, doedd dim modd cadw hynny nawr. Rydyn ni wedi'i gadw a "
        "byddwn ni'n parhau mewn munud. Does dim angen ei anfon eto. Os oes angen siarad "
        "â rhywun nawr:",
    },
    "failsafe_catching_up": {
        "en": "Got it. We are still catching up with what you sent before, and will carry on "
        "in a moment. If you need to talk to someone now:",
        "cy": "Diolch. Rydyn ni'n dal i ddal i fyny â beth anfonoch chi o'r blaen, a byddwn "
        "ni'n parhau mewn munud. Os oes angen siarad â rhywun nawr:",
    },
    "finished_told": {
        "en": "This interview has ended, but we have read what you sent and a member of staff "
        "will be told.",
        "cy": "Mae'r cyfweliad hwn wedi dod i ben, ond rydyn ni wedi darllen beth anfonoch chi "
        "a bydd aelod o staff yn cael gwybod.",
    },
    "yes": {"en": "👍 Yes", "cy": "👍 Ie"},
    "no": {"en": "👎 No", "cy": "👎 Na"},
    "not_sure": {"en": "🤷 Not sure", "cy": "🤷 Ddim yn siŵr"},
    "next": {"en": "➡ Next", "cy": "➡ Nesaf"},
    "done": {"en": "✅ Done", "cy": "✅ Wedi gorffen"},
    "yes_easy": {"en": "😀 Yes", "cy": "😀 Ie"},
    "no_easy": {"en": "🙁 No", "cy": "🙁 Na"},
    "not_sure_easy": {"en": "🤔 Not sure", "cy": "🤔 Ddim yn siŵr"},
    "yes_neutral_easy": {"en": "✔ Yes", "cy": "✔ Ie"},
    "no_neutral_easy": {"en": "✖ No", "cy": "✖ Na"},
    "not_sure_neutral_easy": {"en": "🤔 Not sure", "cy": "🤔 Ddim yn siŵr"},
    "type_answer_easy": {"en": "✏ Type here.", "cy": "✏ Teipiwch yma."},
    "pick_many_easy": {
        "en": "👆 Tap all that fit. Then tap Done.",
        "cy": "👆 Tapiwch bob un. Yna tapiwch Wedi gorffen.",
    },
    "supported_intro": {
        "en": "🤝 Hello to the adult helping. Please let them answer in their own words. "
        "Do not answer for them.",
        "cy": "🤝 Helo i'r oedolyn sy'n helpu. Gadewch iddyn nhw ateb yn eu geiriau eu hunain. "
        "Peidiwch ag ateb drostyn nhw.",
    },
    "resume": {"en": "▶ Carry on", "cy": "▶ Parhau"},
    "consent_yes": {"en": "👍 Yes, let's start", "cy": "👍 Ie, dewch i ni ddechrau"},
    "consent_later": {"en": "⏸ Not now", "cy": "⏸ Nid nawr"},
    "consent_more": {"en": "ℹ Tell me more", "cy": "ℹ Dweud mwy wrtha i"},
    "keep_answer": {"en": "✔ Keep my answer", "cy": "✔ Cadw fy ateb"},
    "consent_no": {"en": "👋 No, thank you", "cy": "👋 Dim diolch"},
    "keep": {"en": "💾 Keep what I said", "cy": "💾 Cadw fy atebion"},
    "delete": {"en": "🗑 Delete what I said", "cy": "🗑 Dileu fy atebion"},
    "confirm": {"en": "✅ Yes, send it", "cy": "✅ Ie, anfonwch e"},
    "change": {"en": "✏ Change an answer", "cy": "✏ Newid ateb"},
    "to_summary": {"en": "↩ Back to my answers", "cy": "↩ Yn ôl i fy atebion"},
    "skipped": {"en": "skipped", "cy": "wedi'i hepgor"},
    "skip_cleared": {
        "en": "OK. I took out your answer to that question. You can go back and answer it again.",
        "cy": "Iawn. Rydw i wedi tynnu eich ateb i'r cwestiwn hwnnw. Gallwch fynd yn ôl a'i "
        "ateb eto.",
    },
    "you_said": {"en": "You said: {answer}.", "cy": "Dywedoch chi: {answer}."},
    "section": {"en": "Part {n} of {total}: {title}", "cy": "Rhan {n} o {total}: {title}"},
    "type_answer": {
        "en": "Type your answer. You can send more than one message.",
        "cy": "Teipiwch eich ateb. Gallwch anfon mwy nag un neges.",
    },
    "got_text": {
        "en": "Got it. Add more, or tap Next when you have finished.",
        "cy": "Diolch. Ychwanegwch fwy, neu tapiwch Nesaf pan fyddwch wedi gorffen.",
    },
    "pick_many": {
        "en": "Tap all that fit. Then tap Done.",
        "cy": "Tapiwch bob un sy'n addas. Yna tapiwch Wedi gorffen.",
    },
    "tap_button": {
        "en": "Sorry, I did not understand. Please tap one of the buttons.",
        "cy": "Mae'n ddrwg gen i, wnes i ddim deall. Tapiwch un o'r botymau, os gwelwch yn dda.",
    },
    "out_of_range": {
        "en": "Please pick a number from 1 to {top}, or tap a button.",
        "cy": "Dewiswch rif o 1 i {top}, neu tapiwch fotwm.",
    },
    "stale_button": {
        "en": "That button was for an earlier question. Here is where you are now.",
        "cy": "Roedd y botwm yna ar gyfer cwestiwn cynharach. Dyma ble rydych chi nawr.",
    },
    "first_question": {
        "en": "This is the first question.",
        "cy": "Dyma'r cwestiwn cyntaf.",
    },
    "nothing_to_skip": {
        "en": "There is no question to skip here.",
        "cy": "Does dim cwestiwn i'w hepgor yma.",
    },
    "too_long": {
        "en": "Thank you, that is a lot. Tap Next to carry on.",
        "cy": "Diolch, mae hynny'n llawer. Tapiwch Nesaf i barhau.",
    },
    "paused": {
        "en": "OK, we have paused. Your answers are saved. Send any message or tap Carry on "
        "when you are ready.",
        "cy": "Iawn, rydyn ni wedi oedi. Mae eich atebion wedi'u cadw. Anfonwch unrhyw neges "
        "neu tapiwch Parhau pan fyddwch chi'n barod.",
    },
    "resumed": {
        "en": "Welcome back. Here is where you were.",
        "cy": "Croeso'n ôl. Dyma ble roeddech chi.",
    },
    "stop_confirm": {
        "en": "Do you want to stop? That is OK. Shall we keep what you said so far, or delete it?",
        "cy": "Ydych chi eisiau stopio? Mae hynny'n iawn. Ydyn ni'n cadw beth ddywedoch chi hyd yma, "
        "neu'n ei ddileu?",
    },
    "stopped_keep": {
        "en": "You have stopped. We will keep what you said so far. Thank you for your time.",
        "cy": "Rydych chi wedi stopio. Byddwn ni'n cadw beth ddywedoch chi hyd yma. "
        "Diolch am eich amser.",
    },
    "stopped_delete": {
        "en": "You have stopped. We will delete what you said. Thank you for your time.",
        "cy": "Rydych chi wedi stopio. Byddwn ni'n dileu beth ddywedoch chi. Diolch am eich amser.",
    },
    "summary_intro": {
        "en": "Here is what you told us. Do you want to change anything?",
        "cy": "Dyma beth ddywedoch chi wrthon ni. Ydych chi eisiau newid unrhyw beth?",
    },
    "summary_ask": {
        "en": "Nothing is sent until you say so. Is this right?",
        "cy": "Does dim yn cael ei anfon nes i chi ddweud. Ydy hyn yn gywir?",
    },
    "pick_section": {
        "en": "Which part do you want to change?",
        "cy": "Pa ran ydych chi eisiau ei newid?",
    },
    "pick_question": {
        "en": "Which question do you want to change?",
        "cy": "Pa gwestiwn ydych chi eisiau ei newid?",
    },
    "finished": {
        "en": "This interview has ended. Thank you. If you need help, tap Help.",
        "cy": "Mae'r cyfweliad hwn wedi dod i ben. Diolch. Os oes angen help arnoch chi, tapiwch Cymorth.",
    },
    "reminder_first": {
        "en": "Hello again. Your interview is waiting for you. Carry on whenever you are ready.",
        "cy": "Helo eto. Mae eich cyfweliad yn aros amdanoch chi. Parhewch pryd bynnag y byddwch "
        "chi'n barod.",
    },
    "reminder_last": {
        "en": "This is the last reminder. Your interview will close soon. You can still carry on.",
        "cy": "Dyma'r nodyn atgoffa olaf. Bydd eich cyfweliad yn cau cyn bo hir. Gallwch barhau o hyd.",
    },
    "expired": {
        "en": "This interview has now closed. Thank you for what you told us.",
        "cy": "Mae'r cyfweliad hwn wedi cau nawr. Diolch am beth ddywedoch chi wrthon ni.",
    },
    "language_offer": {
        "en": "Croeso! Welcome!\nHoffech chi siarad Cymraeg neu Saesneg?\n"
        "Would you like to use Welsh or English?",
        "cy": "Croeso! Welcome!\nHoffech chi siarad Cymraeg neu Saesneg?\n"
        "Would you like to use Welsh or English?",
    },
    "language_cy": {"en": "Cymraeg", "cy": "Cymraeg"},
    "language_en": {"en": "English", "cy": "English"},
}

YES_NO_WORDS: Final[dict[str, frozenset[str]]] = {
    "yes": frozenset(
        {
            "yes",
            "y",
            "yeah",
            "yep",
            "yup",
            "ye",
            "yea",
            "ok",
            "okay",
            "ie",
            "iawn",
            "do",
            "oes",
            "ydw",
            "ydy",
            "ydyn",
            "oeddwn",
            "oedd",
            "oeddwn i",
            "ydw i",
            "dw i",
            "wnes",
            "wnaeth",
            "gwnes",
            "gwnaeth",
            "cefais",
            "ces",
            "bydden",
            "byddwn",
            "hoffwn",
            "hoffwn i",
        }
    ),
    "no": frozenset(
        {
            "no",
            "n",
            "nope",
            "nah",
            "na",
            "naa",
            "naddo",
            "nac oes",
            "nag oes",
            "nac ydw",
            "nag ydw",
            "nac ydy",
            "nag ydy",
            "nac oeddwn",
            "nag oeddwn",
            "nac oedd",
            "nag oedd",
            "dim",
            "ddim",
            "na dim",
            "nid",
            "nadw",
            "nagw",
            "nagoes",
            "nagoedd",
            "na wnes",
            "na ches",
            "dim diolch",
            "na fyddwn",
            "na hoffwn",
        }
    ),
    "not_sure": frozenset(
        {"not sure", "notsure", "unsure", "dunno", "dont know", "idk", "maybe", "ddim yn siwr"}
    ),
}


THUMBS: Final[dict[str, str]] = {"👍": "yes", "👎": "no", "🤷": "not_sure"}
"""A typed thumb means the same as tapping the button that shows it."""


def say(key: str, language: Language, **values: object) -> str:
    """One of the engine's phrases in the person's language, with values filled in."""
    text = WORDS[key].get(language) or WORDS[key]["en"]
    return text.format(**values) if values else text
