"""Errors with stable exit codes. The API raises these; the CLI turns them into messages."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    BAD_ARGS = 2
    INPUT_FILE_ERROR = 3
    UNDECODABLE = 4


class JiaokanError(Exception):
    """Base error: ``str(error)`` is one line naming the file and the problem."""

    exit_code = ExitCode.INPUT_FILE_ERROR

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class InputFileError(JiaokanError):
    """The input cannot be read, or is empty."""


class UndecodableError(JiaokanError):
    """The bytes are binary or in no supported text encoding."""

    exit_code = ExitCode.UNDECODABLE
