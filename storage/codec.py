"""How engine messages and answers are turned into text for storage, and back."""

from __future__ import annotations

import json

from flows.outputs import Button, Message


def encode_message(message: Message, concern_id: int | None = None) -> str:
    """A message as JSON, for the outbox; `concern_id` marks a staff alert to acknowledge."""
    return json.dumps(
        {
            "text": message.text,
            "kind": message.kind,
            "buttons": [[[b.label, b.value] for b in row] for row in message.buttons],
            "prompt": message.prompt,
            "replaces_prompt": message.replaces_prompt,
            "concern_id": concern_id,
        },
        ensure_ascii=False,
    )


def concern_of(payload: str) -> int | None:
    """The concern a staff alert is about, if the payload is one."""
    value = json.loads(payload).get("concern_id")
    return int(value) if value is not None else None


def decode_message(payload: str) -> Message:
    """The message an outbox row holds."""
    data = json.loads(payload)
    return Message(
        text=data["text"],
        kind=data["kind"],
        buttons=tuple(
            tuple(Button(label, value) for label, value in row) for row in data["buttons"]
        ),
        prompt=data["prompt"],
        replaces_prompt=data["replaces_prompt"],
    )


def encode_value(value: str | list[str]) -> str:
    return json.dumps(value, ensure_ascii=False)


def decode_value(text: str) -> str | list[str]:
    value = json.loads(text)
    if isinstance(value, list):
        return [str(v) for v in value]
    return str(value)
