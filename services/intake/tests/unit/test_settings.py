"""The intake's own settings: the environment names operators rely on (moved from the shared settings)."""

from __future__ import annotations

import pytest

from bonemet_intake.settings import IntakeSettings


def test_listen_address_and_body_bound_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BONEMET_INTAKE_HOST", "0.0.0.0")
    monkeypatch.setenv("BONEMET_INTAKE_PORT", "9091")
    monkeypatch.setenv("BONEMET_INTAKE_MAX_BODY_BYTES", "1024")

    settings = IntakeSettings()

    assert (settings.intake_host, settings.intake_port, settings.intake_max_body_bytes) == ("0.0.0.0", 9091, 1024)


def test_a_bad_port_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BONEMET_INTAKE_PORT", "eighty")
    with pytest.raises(ValueError, match="intake_port"):
        IntakeSettings()
