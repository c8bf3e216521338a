"""The parts of a Cloud API webhook post this channel reads, as typed models.

Anything else in a post (contacts' profile names, other fields, kinds of message we do not
take) is left unread: a profile name is personal data we have no use for."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class _Part(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class TextBody(_Part):
    """The words of a text message."""

    body: str = ""


class Reply(_Part):
    """The reply button or list row a person chose: our id for it, and its title."""

    id: str
    title: str = ""


class Interactive(_Part):
    """A tap on a reply button or a list row."""

    type: str
    button_reply: Reply | None = None
    list_reply: Reply | None = None

    @property
    def reply(self) -> Reply | None:
        """The button or list row the person chose."""
        return self.button_reply or self.list_reply


class Media(_Part):
    """A voice note or other file, to be fetched from the Cloud API by its id."""

    id: str
    mime_type: str = "application/octet-stream"


class InboundMessage(_Part):
    """One message a person sent."""

    sender: str = Field(alias="from")
    id: str
    timestamp: str = ""
    type: str
    text: TextBody | None = None
    interactive: Interactive | None = None
    button: TextBody | None = None
    audio: Media | None = None


class StatusError(_Part):
    """Why the Cloud API could not deliver a message."""

    code: int = 0
    title: str = ""


class StatusUpdate(_Part):
    """What became of a message we sent."""

    id: str
    status: str
    timestamp: str = ""
    errors: list[StatusError] = Field(default_factory=list)

    @property
    def failure(self) -> str | None:
        """The first error's code and title, when the message failed."""
        if not self.errors:
            return None
        return f"{self.errors[0].code} {self.errors[0].title}".strip()


class Metadata(_Part):
    """Which of the business's numbers a change is for."""

    phone_number_id: str = ""


class ChangeValue(_Part):
    """The messages and statuses of one change."""

    metadata: Metadata = Field(default_factory=Metadata)
    messages: list[InboundMessage] = Field(default_factory=list)
    statuses: list[StatusUpdate] = Field(default_factory=list)


class Change(_Part):
    """One change in a post; only the `messages` field is ours."""

    field: str = ""
    value: ChangeValue = Field(default_factory=ChangeValue)


class Entry(_Part):
    """One Business account's changes."""

    changes: list[Change] = Field(default_factory=list)


class WebhookPost(_Part):
    """A whole post from the Cloud API."""

    object: str = ""
    entry: list[Entry] = Field(default_factory=list)

    def for_number(self, phone_number_id: str) -> list[ChangeValue]:
        """The message changes addressed to this deployment's number (a Business account
        can have several numbers; the others are not ours to answer)."""
        return [
            change.value
            for entry in self.entry
            for change in entry.changes
            if change.field == "messages"
            and change.value.metadata.phone_number_id == phone_number_id
        ]


class MalformedPost(Exception):
    """A signed post that is not a Cloud API webhook; nothing in it is applied."""


def parse_post(body: bytes) -> WebhookPost:
    """The post's typed contents; MalformedPost if it is not a webhook post."""
    try:
        return WebhookPost.model_validate_json(body)
    except ValidationError as error:
        raise MalformedPost(str(error.error_count())) from error
