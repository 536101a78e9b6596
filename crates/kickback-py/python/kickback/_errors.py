"""The exceptions of :mod:`kickback`.

Every error the package raises about an input or the settings is a
:class:`KickbackError`; its message is the one the ``kickback`` command
prints, and ``file``, ``line`` and ``column`` say where (``None`` when not
known).
"""

from __future__ import annotations

from typing import Optional


class KickbackError(Exception):
    """An error from kickback.

    Attributes:
        message: What went wrong and what to do, as the CLI says it.
        file: The file (or folder, zip) it is about, when known.
        line: 1-based line in ``file``, when known.
        column: 1-based column in ``file``, when known.
    """

    def __init__(
        self,
        message: str,
        file: Optional[str] = None,
        line: Optional[int] = None,
        column: Optional[int] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column

    def __reduce__(self):  # picklable (Spark ships exceptions between processes)
        return (type(self), (self.message, self.file, self.line, self.column))


class ReadError(KickbackError, ValueError):
    """A recording could not be read: missing file, unknown layout, a cell
    that is not a number (``file:line:column`` in the message and in the
    attributes), too few samples, ..."""


class SettingsError(KickbackError, ValueError):
    """A setting or read option is unknown or out of range (the same
    message as the CLI's), or the settings file is invalid."""
