"""docs/intake.md's examples, run verbatim against the services as processes.

Every ``sh`` block of the "Examples" section that sends a file of ``examples/`` is run with bash from
the repository root (``BONEMET_FHIR`` and ``TOKEN`` set as the section's setup block sets them, the
URL pointing at this test's intake); the line under it says what the intake answers and which
suggestion line the notifier then writes to the outbox. The docs cannot drift from what the
services do: an example that stops being accepted, or a suggestion that changes, fails here.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson
import pytest
from e2e_processes import poll, running

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "intake.md"


@dataclass(frozen=True)
class Example:
    command: str
    answer: str
    suggestion: str


def examples_section() -> str:
    text = DOC.read_text(encoding="utf-8")
    start = text.index("\n## Examples")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def documented_examples() -> list[Example]:
    """Each sending block and its "Answer: `...`; suggestion: `...`" line."""
    found = re.findall(r"```sh\n(.*?)```\n+Answer: `([^`]+)`; suggestion: `([^`]+)`", examples_section(), re.S)
    return [Example(command.strip(), answer, suggestion) for command, answer, suggestion in found]


def documented_token() -> str:
    match = re.search(r'BONEMET_INTAKE_TOKENS="ehr:([^"]+)"', examples_section())
    assert match, "the Examples section sets BONEMET_INTAKE_TOKENS"
    return match.group(1)


def test_the_section_documents_every_example_file() -> None:
    sent = {name for example in documented_examples() for name in re.findall(r"examples/[\w.-]+", example.command)}
    assert sent == {f"examples/{path.name}" for path in (ROOT / "examples").glob("*.json")}


@pytest.fixture
def intake(redis_url: str, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    if shutil.which("curl") is None:
        pytest.skip("the documented commands use curl")
    extra = {"BONEMET_INTAKE_TOKENS": f"ehr:{documented_token()}", "BONEMET_NOTIFY_SETTLE_S": "1"}
    with running(redis_url, tmp_path, extra_env=extra) as (base, _):
        yield f"{base}/fhir", tmp_path / "outbox"


def outbox_lines(outbox: Path) -> list[str]:
    if not outbox.exists():
        return []
    return [
        line.removeprefix("- ")
        for path in outbox.glob("*.json")
        for line in orjson.loads(path.read_bytes())["text"].splitlines()
    ]


def test_every_documented_example_gives_the_documented_answer_and_suggestion(intake: tuple[str, Path]) -> None:
    fhir, outbox = intake
    examples = documented_examples()
    assert len(examples) >= 6
    env = {"PATH": "/usr/bin:/bin", "BONEMET_FHIR": fhir, "TOKEN": documented_token()}
    for example in examples:
        sent = subprocess.run(
            ["bash", "-c", f"set -o pipefail; {example.command}"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert sent.returncode == 0, (example.command, sent.stdout, sent.stderr)
        answer = orjson.loads(sent.stdout)
        said = answer["resourceType"] if answer["resourceType"] != "Bundle" else answer["type"]
        assert example.answer.startswith(said), (example.command, sent.stdout)
        try:
            poll(lambda example=example: example.suggestion in outbox_lines(outbox))
        except pytest.fail.Exception:
            pytest.fail(f"{example.command}\nanswered {sent.stdout}\noutbox: {outbox_lines(outbox)}")
