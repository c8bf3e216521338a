"""The one service both channels use: lock, load, step, save in one transaction, return.

Nothing here decides what the interview does (the engine does) or how a record is kept
(storage does). A channel turns its input into an engine input, calls this, and sends
what comes back, only after the commit.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.core.clock import Clock
from bot.core.locks import KeyedLocks
from bot.core.logs import log_error
from flows import Flow, InterviewState, step
from flows.events import Event
from flows.help import HelpDirectory
from flows.inputs import Input, Start, Timeout
from flows.loader import flow_from_text
from flows.safeguarding import default_detector
from storage import Storage
from storage.errors import StaleStateError
from storage.known_states import KnownState
from storage.records import InterviewRef, OutgoingMessage
from storage.web_sessions import is_web_chat

RETRY_LATER = timedelta(hours=1)
ATTEMPTS_WHEN_CHANGED = 3
"""How often one input is tried again when its interview was changed by another command
or process between reading it and saving the step (each time from a fresh read)."""


class UnknownFlowError(Exception):
    """An interview names a flow this deployment does not have."""


@dataclass
class Reply:
    """What one input produced, after it was committed."""

    interview_id: str
    messages: list[OutgoingMessage] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    concern_ids: list[int] = field(default_factory=list)
    chosen: str | None = None
    duplicate: bool = False
    # A button pressed on a message of another interview than the one this chat is taking
    # (forged, or from an interview long over): nothing was applied.
    not_this_interview: bool = False
    state: InterviewState | None = None
    ref: InterviewRef | None = None


class InterviewService:
    """Runs inputs through the engine, one at a time for each interview."""

    def __init__(
        self,
        storage: Storage,
        flows: Mapping[str, Flow],
        clock: Clock,
        directory: HelpDirectory | None = None,
    ) -> None:
        self.storage = storage
        self.flows = flows
        self.clock = clock
        self.directory = directory
        self._locks = KeyedLocks()
        self._versions: dict[str, Flow] = {}

    async def flow_for(self, flow_id: str, version: str) -> Flow:
        """The flow an interview runs on: the version it started on, kept in the database,
        even if the file has changed since; the current one if that version was never kept."""
        current = self.flows.get(flow_id)
        if current is not None and (current.version == version or not version):
            return current
        if version in self._versions:
            return self._versions[version]
        source = await self.storage.flow_versions.source(version) if version else None
        if source is None or self.directory is None:
            return self.flow(flow_id)
        detector = (current.safeguarding if current else None) or default_detector()
        older = flow_from_text(source, f"{flow_id}@{version}", self.directory, detector)
        self._versions[version] = older
        return older

    def flow(self, flow_id: str) -> Flow:
        try:
            return self.flows[flow_id]
        except KeyError:
            raise UnknownFlowError(
                f"This deployment has no flow '{flow_id}'. Check EXIT_FLOWS_DIR, or run "
                "'exit-interviews flows list'."
            ) from None

    async def answer_in_chat(
        self,
        chat_id: int,
        inp: Input,
        *,
        incoming: str | None,
        update_id: int | None = None,
        pressed_in: str | None = None,
    ) -> Reply | None:
        """Apply one input from a chat to the interview it is taking: one read (the
        interview by chat), one engine step, one committed transaction. None if the chat is
        taking no interview. `pressed_in` is the interview a pressed button belongs to; a
        press from any other is refused."""
        async with self._locks.hold(("chat", chat_id)):
            for _ in range(ATTEMPTS_WHEN_CHANGED):
                loaded = await self.storage.interviews.load_for_chat(chat_id)
                if loaded is None:
                    return None
                ref, known = loaded
                if pressed_in is not None and pressed_in != ref.id:
                    return Reply(ref.id, not_this_interview=True, ref=ref)
                flow = await self.flow_for(ref.flow_id, ref.flow_version)
                async with self._locks.hold(ref.id):
                    with contextlib.suppress(StaleStateError):
                        return await self._apply(
                            ref, flow, known, inp, incoming, update_id, chat_id
                        )
            raise StaleStateError()

    async def handle(
        self,
        interview_id: str,
        make_input: Input | None = None,
        *,
        incoming: str | None = None,
        update_id: int | None = None,
        chat_id: int | None = None,
    ) -> Reply:
        """Apply one input to one interview and commit all of it before returning."""
        async with self._locks.hold(interview_id):
            for _ in range(ATTEMPTS_WHEN_CHANGED):
                known = await self.storage.interviews.state_to_step(interview_id)
                flow = await self.flow_for(known.state.flow_id, known.flow_version)
                inp = make_input if make_input is not None else Start(at=self.clock())
                if (
                    isinstance(inp, Start)
                    and known.state.phase.value == "new"
                    and inp.language is None
                ):
                    summary = await self.storage.interviews.get(interview_id)
                    if summary.language in flow.languages and len(flow.languages) > 1:
                        inp = Start(at=inp.at, language=summary.language, web=inp.web)
                with contextlib.suppress(StaleStateError):
                    return await self._apply(
                        interview_id, flow, known, inp, incoming, update_id, chat_id
                    )
            raise StaleStateError()

    async def _apply(
        self,
        interview: InterviewRef | str,
        flow: Flow,
        known: KnownState,
        inp: Input,
        incoming: str | None,
        update_id: int | None,
        chat_id: int | None,
    ) -> Reply:
        interview_id = interview if isinstance(interview, str) else interview.id
        result = step(flow, known.state, inp)
        saved = await self.storage.steps.save_step(
            interview_id,
            result,
            at=inp.at,
            incoming=incoming,
            update_id=update_id,
            chat_id=chat_id,
            started_from=known,
        )
        ref = interview if isinstance(interview, InterviewRef) else None
        if saved is None:
            return Reply(interview_id, duplicate=True, ref=ref)
        return Reply(
            interview_id,
            saved.outbox,
            result.events,
            saved.concern_ids,
            result.chosen,
            state=result.state,
            ref=ref,
        )

    async def open_invitation(
        self, token: str, chat_id: int, *, update_id: int | None = None
    ) -> Reply:
        """Link a chat to its interview by token and start (or show again) where it is."""
        now = self.clock()
        interview_id = await self.storage.interviews.redeem(token, chat_id, now)
        return await self.handle(
            interview_id,
            Start(at=now, web=is_web_chat(chat_id)),
            incoming="/start",
            update_id=update_id,
            chat_id=chat_id,
        )

    async def fire_due(self, now: datetime) -> list[Reply]:
        """Feed a Timeout to every interview whose reminder or closing time has come. Each
        on its own: one that cannot be processed is logged at ERROR, put off for an hour so
        it does not fill the log, and never stops the others."""
        replies = []
        for interview_id in await self.storage.interviews.due(now):
            try:
                summary = await self.storage.interviews.get(interview_id)
                replies.append(
                    await self.handle(interview_id, Timeout(at=now), chat_id=summary.chat_id)
                )
            except Exception as error:  # one interview must never stop the others
                log_error(
                    "interview_timeout_failed",
                    interview=interview_id,
                    error=type(error).__name__,
                    action="check the interview's flow is still in EXIT_FLOWS_DIR",
                )
                await self.storage.interviews.postpone(interview_id, now + RETRY_LATER)
        return replies
