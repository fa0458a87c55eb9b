"""What can go wrong talking to the EHR, in three kinds the callers treat differently."""

from __future__ import annotations


class ConfigError(Exception):
    """The puller cannot work as configured; the message names the setting (never a key or a token)."""


class EhrError(Exception):
    """The EHR answered something bonemet cannot go on with (status and OperationOutcome codes only)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class EhrUnavailable(EhrError):
    """The EHR did not answer usefully after the retries: try again later."""
