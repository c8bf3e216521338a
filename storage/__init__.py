"""The database: schema, migrations and every query. Nothing outside this package writes SQL."""

from storage.crypto import Cipher, new_key
from storage.errors import (
    AccessDenied,
    InvitationError,
    MissingKeyError,
    NotFound,
    StorageError,
    UnknownStaffError,
    WrongKeyError,
)
from storage.records import Actor, InterviewSummary, StaffMember, Transcript
from storage.store import Storage

__all__ = [
    "AccessDenied",
    "Actor",
    "Cipher",
    "InterviewSummary",
    "InvitationError",
    "MissingKeyError",
    "NotFound",
    "StaffMember",
    "Storage",
    "StorageError",
    "Transcript",
    "UnknownStaffError",
    "WrongKeyError",
    "new_key",
]
