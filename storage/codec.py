"""How engine messages and answers are turned into text for storage, and back."""

from __future__ import annotations

import json

from flows.outputs import Button, Message


def encode_message(message: Message) -> str:
    """A message as JSON, for the outbox."""
    return json.dumps(
        {
            "text": message.text,
            "kind": message.kind,
            "buttons": [[[b.label, b.value] for b in row] for row in message.buttons],
            "prompt": message.prompt,
            "replaces_prompt": message.replaces_prompt,
        },
        ensure_ascii=False,
    )


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
