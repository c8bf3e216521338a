"""The approved templates: the only messages WhatsApp lets a business send more than a day
after the person last wrote. They carry no names and no answers (Meta can read them).

Their words live in each flow file's `channel_templates:` block, in the flow's languages;
`exit-interviews flows templates` prints them for submission to Meta (with the same
language codes as META_LANGUAGE here)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from flows.model import ChannelTemplate, Flow
from flows.text import Language, pick

TemplateKey = Literal["carry_on", "message_waiting"]
TEMPLATE_KEYS: tuple[TemplateKey, ...] = ("carry_on", "message_waiting")
META_LANGUAGE: dict[Language, str] = {"en": "en_GB", "cy": "cy"}
"""The language codes Meta knows each template's translation by."""


class MissingTemplate(LookupError):
    """No flow holds the template WhatsApp needs."""


def find_template(key: TemplateKey, flow: Flow | None, flows: Iterable[Flow]) -> ChannelTemplate:
    """The template from the interview's own flow, or else from the first flow that has it
    (a reminder must still go out if one flow forgot its block)."""
    if flow is not None and key in flow.channel_templates:
        return flow.channel_templates[key]
    for other in flows:
        if key in other.channel_templates:
            return other.channel_templates[key]
    raise MissingTemplate(
        f"no flow has a channel_templates: {key} block; add one at the end of the flow file"
    )


def template_body(
    key: TemplateKey, language: Language, flow: Flow | None, flows: Iterable[Flow]
) -> tuple[dict[str, Any], str]:
    """The Cloud API body that sends a template, and its words for the transcript."""
    template = find_template(key, flow, flows)
    chosen: Language = language if language in template.text else "en"
    body = {
        "type": "template",
        "template": {"name": template.name, "language": {"code": META_LANGUAGE[chosen]}},
    }
    return body, pick(template.text, chosen)
