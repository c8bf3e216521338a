"""How engine messages and answers are turned into text for storage, and back (orjson: the
standard library's encoder was a tenth of the cost of saving an answer)."""

from __future__ import annotations

import orjson

from flows.outputs import Button, Message
from flows.state import InterviewState


def encode_state(state: InterviewState) -> str:
    """The state as JSON that `InterviewState.model_validate_json` reads back; written on
    every input, and half the cost of pydantic's own encoder. Every field is a string,
    number, flag, enum, time or a container of strings, which orjson writes natively."""
    return orjson.dumps(state.__dict__).decode("utf-8")


def encode_message(
    message: Message,
    concern_id: int | None = None,
    *,
    track: bool = False,
    staff_buttons: bool = False,
) -> str:
    """A message as JSON, for the outbox. `concern_id` marks a staff alert to acknowledge;
    `track` a message whose delivery must be recorded durably (a thank-you); with
    `staff_buttons`, each button's value is its own callback data (staff actions)."""
    return orjson.dumps(
        {
            "text": message.text,
            "kind": message.kind,
            "buttons": [[[b.label, b.value] for b in row] for row in message.buttons],
            "prompt": message.prompt,
            "replaces_prompt": message.replaces_prompt,
            "concern_id": concern_id,
            "track": track,
            "staff_buttons": staff_buttons,
        }
    ).decode("utf-8")


def concern_of(payload: str) -> int | None:
    """The concern a staff alert is about, if the payload is one."""
    value = orjson.loads(payload).get("concern_id")
    return int(value) if value is not None else None


def tracked(payload: str) -> bool:
    """Whether delivering this message must be recorded durably: a concern alert or a
    thank-you, whose delivery (or failure) someone acts on."""
    data = orjson.loads(payload)
    return data.get("concern_id") is not None or bool(data.get("track"))


def has_staff_buttons(payload: str) -> bool:
    """Whether the buttons carry staff actions rather than answers."""
    return bool(orjson.loads(payload).get("staff_buttons"))


def decode_message(payload: str) -> Message:
    """The message an outbox row holds."""
    return open_message(payload)[0]


def open_message(payload: str) -> tuple[Message, int | None]:
    """The message an outbox row holds and the concern it alerts staff to, if any; one
    decoding for both."""
    data = orjson.loads(payload)
    concern = data.get("concern_id")
    return Message(
        text=data["text"],
        kind=data["kind"],
        buttons=tuple(
            tuple(Button(label, value) for label, value in row) for row in data["buttons"]
        ),
        prompt=data["prompt"],
        replaces_prompt=data["replaces_prompt"],
    ), (int(concern) if concern is not None else None)


def encode_value(value: str | list[str]) -> str:
    return orjson.dumps(value).decode("utf-8")


def decode_value(text: str) -> str | list[str]:
    value = orjson.loads(text)
    if isinstance(value, list):
        return [str(v) for v in value]
    return str(value)
