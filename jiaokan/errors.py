"""Errors, one class per failure, each with its exit code. The API raises these; the CLI turns
them into one line on stderr and the exit status."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """The exit status of every command."""

    OK = 0
    PARTIAL = 1  # batch: some inputs failed (each is an error record in the manifest)
    BAD_ARGS = 2  # a usage error (argparse's own code)
    INPUT_FILE_ERROR = 3  # missing, unreadable, empty, encrypted, signed or damaged input
    UNDECODABLE = 4  # binary data, or bytes in no supported encoding; not a PDF
    NOTHING_TO_DO = 5  # batch: no PDF or text file in the folder
    MISSING_DEPENDENCY = 6  # an optional package the option needs is not installed
    INTERNAL = 70  # an unexpected failure (a bug): one line, --debug for the traceback
    INTERRUPTED = 130  # Ctrl-C


class JiaokanError(Exception):
    """Base error: ``str(error)`` is one line naming the file and the problem."""

    exit_code = ExitCode.INPUT_FILE_ERROR

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class UsageError(JiaokanError):
    """Options that cannot go together (an output over an input, say); ``path`` names the
    option's value."""

    exit_code = ExitCode.BAD_ARGS


class InputFileError(JiaokanError):
    """The input cannot be read, or is empty."""


class EncryptedPdfError(InputFileError):
    """The PDF is encrypted: it must be decrypted first (or, for fix-pdf with an owner
    password only, forced)."""


class SignedPdfError(InputFileError):
    """The PDF is digitally signed: a rewrite would break the signature."""


class DamagedPdfError(InputFileError):
    """The PDF cannot be parsed: truncated, damaged, or without pages."""


class UndecodableError(JiaokanError):
    """The bytes are binary or in no supported text encoding."""

    exit_code = ExitCode.UNDECODABLE


class NotPdfError(UndecodableError):
    """A file given as a PDF does not start with a PDF header."""


class NothingToDoError(JiaokanError):
    """A batch folder holds no PDF or text file."""

    exit_code = ExitCode.NOTHING_TO_DO


class MissingDependencyError(JiaokanError):
    """An option needs a package that is not installed (``path`` names the option)."""

    exit_code = ExitCode.MISSING_DEPENDENCY
