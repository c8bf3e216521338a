"""An interview's status as staff see it. The engine owns it: it follows from the phase."""

from __future__ import annotations

from enum import StrEnum

from flows.state import InterviewState, Phase


class Status(StrEnum):
    """Where an interview stands, in the words staff use in lists and reports."""

    INVITED = "invited"
    CONSENTED = "consented"
    IN_PROGRESS = "in_progress"
    PAUSED = "paused"
    COMPLETED = "completed"
    STOPPED = "stopped"
    DECLINED = "declined"
    EXPIRED = "expired"
    ERASED = "erased"


FINISHED_STATUSES = frozenset(
    {Status.COMPLETED, Status.STOPPED, Status.DECLINED, Status.EXPIRED, Status.ERASED}
)

_STATUS_OF_PHASE = {
    Phase.NEW: Status.INVITED,
    Phase.LANGUAGE: Status.INVITED,
    Phase.CONSENT: Status.INVITED,
    Phase.COMPLETED: Status.COMPLETED,
    Phase.STOPPED: Status.STOPPED,
    Phase.DECLINED: Status.DECLINED,
    Phase.EXPIRED: Status.EXPIRED,
}


def status_of(state: InterviewState) -> Status:
    """The status staff see, from where the engine says the person is."""
    if state.phase in _STATUS_OF_PHASE:
        return _STATUS_OF_PHASE[state.phase]
    if state.phase is Phase.PAUSED:
        before_consent = state.resume_phase in {Phase.CONSENT, Phase.LANGUAGE}
        return Status.INVITED if before_consent else Status.PAUSED
    if not state.answers and not state.skipped and not state.history:
        return Status.CONSENTED
    return Status.IN_PROGRESS
