"""Engine messages as Cloud API messages, within WhatsApp's limits.

One choice with up to three answers: reply buttons. More answers, or answers whose words
do not fit a button: a list message (up to ten rows; a row's title is cut to fit and the
whole words go in its description). Choose-several: the same list, which the person comes
back to: each row ticks or unticks an answer and is shown again with the ticks, then
"Done" (one engine input per tap, so every tap is saved and can be taken back, exactly as
on Telegram; numbers typed back would be several inputs in one message). Back, Skip, Pause,
Stop and Help are never buttons here: they are typed words (the engine understands them in
English and Welsh) and a "More" row or button, so they never crowd out the answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flows.model import Flow
from flows.outputs import Button, Message
from flows.text import Language, pick
from flows.wording import WORDS as ENGINE_WORDS

MAX_BUTTONS = 3
MAX_BUTTON_TITLE = 20
MAX_ROWS = 10
MAX_ROW_TITLE = 24
MAX_ROW_DESCRIPTION = 72
MAX_LIST_BUTTON = 20
MAX_INTERACTIVE_BODY = 1024
MAX_TEXT = 4096
MAX_FOOTER = 60
ANSWER_PREFIX = "a"
MORE_ID = "more"
CONTROL_VALUES = ("_back", "_skip", "_pause", "_stop", "_help")
WORDS: dict[str, dict[Language, str]] = {
    "choose": {"en": "Choose", "cy": "Dewis"},
    "answers": {"en": "Answers", "cy": "Atebion"},
    "more": {"en": "More", "cy": "Mwy"},
    "more_body": {
        "en": "You can also type: back, skip, pause, stop or help.",
        "cy": "Gallwch hefyd deipio: yn ôl, hepgor, oedi, stopio neu cymorth.",
    },
    "leave": {
        "en": "To leave quickly, close WhatsApp. To hide this chat: press and hold it in your "
        "chats list, then tap Delete chat (iPhone: swipe left on it, then More, then Delete).",
        "cy": "I adael yn gyflym, caewch WhatsApp. I guddio'r sgwrs hon: pwyswch a daliwch hi "
        "yn eich rhestr sgyrsiau, yna tapiwch Dileu sgwrs (iPhone: llithrwch i'r chwith arni, "
        "yna Mwy, yna Dileu).",
    },
    "footer": {"en": "Or type: back, skip, help", "cy": "Neu teipiwch: yn ôl, hepgor, cymorth"},
}
LEAVE_AFTER = frozenset({"help", "concern"})
"""After help and after a disclosure's reply, how to leave quickly and delete the chat: a
phone someone else picks up shows the whole WhatsApp thread."""
UK_NUMBER = re.compile(r"(?<![\d+])0\d(?:[ -]?\d){6,9}(?!\d)")


@dataclass(frozen=True)
class Outgoing:
    """One Cloud API message body (without the recipient), ready to post."""

    body: dict[str, Any]


def cut(text: str, limit: int) -> str:
    """Text cut to `limit` characters, with an ellipsis when something was cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def tappable(text: str) -> str:
    """UK numbers written as +44 so WhatsApp makes them a tap to call on any phone (short
    numbers such as 999 or 116 123 are tappable as they are)."""
    return UK_NUMBER.sub(lambda m: "+44 " + m.group(0)[1:], text)


def button_id(interview_id: str, prompt: int | None, value: str) -> str:
    """What a reply comes back with: the interview and prompt the answer belongs to."""
    return f"{ANSWER_PREFIX}|{interview_id}|{'' if prompt is None else prompt}|{value}"


@dataclass(frozen=True)
class Press:
    """What a reply's id claims: which interview, which prompt, which value."""

    interview_id: str
    prompt: int | None
    value: str


def more_id(interview_id: str, prompt: int | None) -> str:
    """What the "More" button or row comes back with."""
    return f"{MORE_ID}|{interview_id}|{'' if prompt is None else prompt}"


def parse_button_id(data: str) -> Press | None:
    """The claim in a reply's id, or None if it is not one of ours."""
    parts = data.split("|", 3)
    if len(parts) != 4 or parts[0] != ANSWER_PREFIX:
        return None
    _, interview_id, prompt, value = parts
    if prompt and not prompt.isdigit():
        return None
    return Press(interview_id, int(prompt) if prompt else None, value)


def render(
    message: Message, interview_id: str, language: Language, flow: Flow | None = None
) -> list[Outgoing]:
    """The WhatsApp messages that show one engine message: with the flow's shorter labels
    where the full ones do not fit, and, with the consent, what Meta can see."""
    text = tappable(with_provider_line(message.text, flow, language))
    if message.kind in LEAVE_AFTER:
        text = f"{text}\n\n{WORDS['leave'][language]}"
    buttons = shortened(message.all_buttons(), flow, language)
    answers = [b for b in buttons if b.value not in CONTROL_VALUES]
    has_controls = len(answers) < len(buttons)
    if not answers and not has_controls:
        return _texts(text)
    if len(answers) <= MAX_BUTTONS and all(len(b.label) <= MAX_BUTTON_TITLE for b in answers):
        return _buttons(text, answers, message, interview_id, language, has_controls)
    return _list(text, answers, message, interview_id, language, has_controls)


def with_provider_line(text: str, flow: Flow | None, language: Language) -> str:
    """The consent question, with the flow's line saying what the provider can see (who
    wrote and when, not what): WhatsApp messages reach us through Meta's servers."""
    if flow is None or flow.provider_sees_metadata is None:
        return text
    consent = pick(flow.introduction.consent, language)
    if not consent or consent not in text:
        return text
    return f"{text}\n\n{pick(flow.provider_sees_metadata, language)}"


def shortened(buttons: list[Button], flow: Flow | None, language: Language) -> list[Button]:
    """The buttons, each with the flow's short label where its own is too long for a
    button or a list row (the value, and so the stored answer, is unchanged)."""
    if flow is None or not flow.short_labels:
        return buttons
    short = _short_labels(flow, language)
    answers = [b for b in buttons if b.value not in CONTROL_VALUES]
    limit = MAX_BUTTON_TITLE if len(answers) <= MAX_BUTTONS else MAX_ROW_TITLE
    return [_shorter(b, short) if len(b.label) > limit else b for b in buttons]


def _shorter(button: Button, short: dict[str, str]) -> Button:
    """The button with its short label, keeping a choose-several tick or box before it."""
    if button.label in short:
        return Button(short[button.label], button.value)
    mark, _, words = button.label.partition(" ")
    if words in short:
        return Button(f"{mark} {short[words]}", button.value)
    return button


def _short_labels(flow: Flow, language: Language) -> dict[str, str]:
    """Each full answer label in this language, to its shorter one."""
    found: dict[str, str] = {}
    known = {q.id: q for q in flow.questions()}
    for question_id, values in flow.short_labels.items():
        question = known.get(question_id)
        if question is None:
            continue
        full = {o.id: pick(o.text, language) for o in question.options}
        if question.scale is not None:
            full |= {str(n): pick(t, language) for n, t in enumerate(question.scale.labels, 1)}
        for value, text in values.items():
            if value in full:
                found[full[value]] = pick(text, language)
    return found


def more_list(interview_id: str, prompt: int | None, language: Language) -> Outgoing:
    """The "More" list: Back, Skip, Pause, Stop and Help, for whoever would rather tap."""
    rows = [
        {
            "id": button_id(interview_id, prompt, value),
            "title": cut(ENGINE_WORDS[value[1:]][language], MAX_ROW_TITLE),
        }
        for value in CONTROL_VALUES
    ]
    return Outgoing(
        {
            "type": "interactive",
            "interactive": {
                "type": "list",
                "body": {"text": f"{WORDS['more_body'][language]}\n\n{WORDS['leave'][language]}"},
                "action": {
                    "button": WORDS["more"][language],
                    "sections": [{"title": WORDS["more"][language], "rows": rows}],
                },
            },
        }
    )


def _texts(text: str) -> list[Outgoing]:
    parts = [text[i : i + MAX_TEXT] for i in range(0, len(text), MAX_TEXT)] or [""]
    return [
        Outgoing({"type": "text", "text": {"body": part, "preview_url": False}}) for part in parts
    ]


def _split_body(text: str, limit: int) -> tuple[list[Outgoing], str]:
    """Text that does not fit an interactive body goes first as plain text."""
    if len(text) <= limit:
        return [], text
    head, _, tail = text.rpartition("\n\n")
    if head and len(tail) <= limit:
        return _texts(head), tail
    return _texts(text), "👇"


def _buttons(
    text: str,
    answers: list[Button],
    message: Message,
    interview_id: str,
    language: Language,
    has_controls: bool,
) -> list[Outgoing]:
    before, body = _split_body(text, MAX_INTERACTIVE_BODY)
    interactive: dict[str, Any] = {
        "type": "button",
        "body": {"text": body},
        "action": {
            "buttons": [
                {
                    "type": "reply",
                    "reply": {
                        "id": button_id(interview_id, message.prompt, b.value),
                        "title": b.label,
                    },
                }
                for b in answers
            ]
        },
    }
    if has_controls and len(answers) < MAX_BUTTONS:
        more = {"id": more_id(interview_id, message.prompt), "title": WORDS["more"][language]}
        interactive["action"]["buttons"].append({"type": "reply", "reply": more})
    if has_controls:
        interactive["footer"] = {"text": cut(WORDS["footer"][language], MAX_FOOTER)}
    return [*before, Outgoing({"type": "interactive", "interactive": interactive})]


def _list(
    text: str,
    answers: list[Button],
    message: Message,
    interview_id: str,
    language: Language,
    has_controls: bool,
) -> list[Outgoing]:
    before, body = _split_body(text, MAX_TEXT)
    room = MAX_ROWS - (1 if has_controls and len(answers) < MAX_ROWS else 0)
    pages = [answers[i : i + room] for i in range(0, len(answers), room)]
    sent: list[Outgoing] = list(before)
    for number, page in enumerate(pages):
        rows = [_row(b, interview_id, message.prompt) for b in page]
        sections: list[dict[str, Any]] = [{"title": WORDS["answers"][language], "rows": rows}]
        if has_controls and number == len(pages) - 1 and len(page) < MAX_ROWS:
            sections.append(
                {
                    "title": WORDS["more"][language],
                    "rows": [
                        {
                            "id": more_id(interview_id, message.prompt),
                            "title": WORDS["more"][language],
                            "description": WORDS["more_body"][language],
                        }
                    ],
                }
            )
        sent.append(
            Outgoing(
                {
                    "type": "interactive",
                    "interactive": {
                        "type": "list",
                        "body": {"text": body if number == 0 else "…"},
                        "action": {"button": WORDS["choose"][language], "sections": sections},
                    },
                }
            )
        )
    return sent


def _row(button: Button, interview_id: str, prompt: int | None) -> dict[str, str]:
    row = {
        "id": button_id(interview_id, prompt, button.value),
        "title": cut(button.label, MAX_ROW_TITLE),
    }
    if len(button.label) > MAX_ROW_TITLE:
        row["description"] = cut(button.label, MAX_ROW_DESCRIPTION)
    return row
