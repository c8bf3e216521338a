"""What can go wrong with stored interviews, each with a message that says what to do."""

from __future__ import annotations


class StorageError(Exception):
    """Base of every storage error."""


class WrongKeyError(StorageError):
    """The data key does not open this database."""

    def __init__(self) -> None:
        super().__init__(
            "EXIT_DATA_KEY does not match the key this database was created with. "
            "Set EXIT_DATA_KEY to the original key (see SECURITY.md), or point EXIT_DATABASE "
            "at a new file."
        )


class MissingKeyError(StorageError):
    """No data key was configured."""

    def __init__(self) -> None:
        super().__init__(
            "EXIT_DATA_KEY is not set. Run 'exit-interviews keygen' and put the key it prints "
            "in EXIT_DATA_KEY (or in the .env file). Keep a copy somewhere safe."
        )


class StaleStateError(StorageError):
    """A step was refused: the interview changed after its state was read (another
    command or process wrote it first). Read it again and repeat the step."""

    def __init__(self) -> None:
        super().__init__(
            "The interview changed while this answer was being saved; read it again and retry."
        )


class InvitationError(StorageError):
    """An invitation token cannot be used: unknown, used already, or expired."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"invitation {reason}")


class AccessDenied(StorageError):
    """A member of staff asked for something outside what they may see."""


class NotFound(StorageError):
    """No record with that id."""


class UnknownStaffError(StorageError):
    """A staff command named someone who is not registered."""


class StorageUnavailable(StorageError):
    """The database cannot be used right now: locked by another process for longer than the
    busy timeout, the disk is full, or a file cannot be read. Inputs are parked and retried."""

    def __init__(self, problem: str) -> None:
        self.problem = problem
        super().__init__(
            f"The database cannot be used right now ({problem}). Nothing is lost: inputs are "
            "kept in the safety journal and applied when it is back. Check disk space and that "
            "no other program holds the database."
        )


class DatabaseFileError(StorageError):
    """EXIT_DATABASE names a file that cannot be opened as this program's database."""

    def __init__(self, path: object, problem: str) -> None:
        super().__init__(
            f"EXIT_DATABASE ({path}) cannot be opened ({problem}). Point it at a writable "
            "folder, or at a database made by exit-interviews; a new file is created if none "
            "is there."
        )
