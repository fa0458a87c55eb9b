#!/usr/bin/env python3
"""The project's two commands, needing nothing but Python 3.11:

    python3 dev.py demo    # run the whole pipeline on the embedded server with synthetic events
    python3 dev.py test    # lint, type-check and run every test suite

Both create ./.venv on first use (and again whenever a requirements, constraints or pyproject file
changes) and install the pinned dependencies into it. Extra arguments go to `bonemet demo` or pytest.
"""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import subprocess
import sys
import venv
from pathlib import Path
from shutil import which

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"
STAMP = VENV / ".bonemet-installed"
PINNED = ["requirements.txt", "requirements-dev.txt", "requirements-local.txt", "constraints.txt"]
LOCAL_REDIS = ("127.0.0.1", 6379)


def run(*command: str | Path, env: dict[str, str] | None = None) -> int:
    print("+", " ".join(str(c) for c in command), flush=True)
    return subprocess.call([str(c) for c in command], cwd=ROOT, env=env)


def check(*command: str | Path, env: dict[str, str] | None = None) -> None:
    if run(*command, env=env) != 0:
        sys.exit(1)


def install() -> None:
    sources = [ROOT / name for name in PINNED] + sorted(ROOT.glob("**/pyproject.toml"))
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in sources if p.exists() and ".venv" not in p.parts))
    if STAMP.exists() and STAMP.read_text() == digest.hexdigest():
        return
    if not PYTHON.exists():
        print(f"creating {VENV}", flush=True)
        venv.create(VENV, with_pip=True)
    pip = [PYTHON, "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    check(*pip, "-r", "requirements-dev.txt", "-c", "constraints.txt")
    check(*pip, "--no-deps", "-r", "requirements-local.txt")
    STAMP.write_text(digest.hexdigest())


CHROMIUM = Path("/usr/bin/chromium")


def ensure_browser() -> None:
    """Debian's chromium for the review page's browser test (services/audit); nothing when present."""
    if CHROMIUM.exists() or sys.platform != "linux" or not Path("/usr/bin/apt-get").exists():
        return
    if os.geteuid() != 0:
        print(f"note: {CHROMIUM} is absent; `sudo apt-get install chromium` runs the browser test", flush=True)
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if run("apt-get", "update", "-qq", env=env) != 0 or run("apt-get", "install", "-y", "-qq", "chromium", env=env):
        print("note: installing chromium failed; the browser test will be skipped", flush=True)


def reachable(address: tuple[str, int]) -> bool:
    try:
        with socket.create_connection(address, timeout=0.5):
            return True
    except OSError:
        return False


PEER = ROOT.parent / "shared" / "peers" / "bulk-data-server" / "start.sh"


def start_peer() -> subprocess.Popen[bytes] | None:
    """Start SMART's Bulk Data reference server early, so its first build (minutes) overlaps the lint and
    the tests before it; the tests' ``bulk_data_server`` fixture waits for it (BONEMET_BULK_DATA_ORIGIN)."""
    if os.environ.get("BONEMET_BULK_DATA_ORIGIN") or not PEER.exists() or not (which("node") and which("npm")):
        return None
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    workdir = Path(os.environ.get("BONEMET_BULK_DATA_WORKDIR") or ROOT / ".bonemet" / "peers" / "bulk-data-server")
    log = ROOT / ".bonemet" / "peers" / "server.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as output:
        peer = subprocess.Popen(
            [which("bash") or "/bin/bash", str(PEER), str(port), str(workdir)],
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    os.environ["BONEMET_BULK_DATA_ORIGIN"] = f"http://127.0.0.1:{port}"
    os.environ["BONEMET_BULK_DATA_LOG"] = str(log)
    return peer


def stop_peer(peer: subprocess.Popen[bytes] | None) -> None:
    if peer is not None and peer.poll() is None:
        os.killpg(peer.pid, signal.SIGTERM)
        peer.wait(timeout=30)


def test(extra: list[str]) -> int:
    peer = start_peer()
    try:
        return checked_tests(extra)
    finally:
        stop_peer(peer)


def checked_tests(extra: list[str]) -> int:
    ensure_browser()
    check(BIN / "ruff", "check", ".")
    check(BIN / "ruff", "format", "--check", ".")
    check(
        BIN / "mypy",
        "shared/src",
        "services/intake/src",
        "services/recommender/src",
        "services/notifier/src",
        "services/audit/src",
        "services/cds/src",
        "services/puller/src",
        "cli/src",
    )
    redis_pass = start_redis_pass(extra)
    failed = run(PYTHON, "-m", "pytest", *extra) != 0
    failed = finish_redis_pass(redis_pass) or failed
    return 1 if failed else 0


def start_redis_pass(extra: list[str]) -> tuple[subprocess.Popen[bytes], Path] | None:
    """The server-facing tests once more on the machine's own Redis, so both server families (Valkey and
    Redis) stay covered; run beside the main pass (it mostly waits on servers: the second core is free)."""
    if os.environ.get("BONEMET_REDIS_URL") or not reachable(LOCAL_REDIS):
        return None
    # durability none: the machine's Redis 7.0 has no WAITAOF, so it cannot confirm fsync (docs/decisions/0014)
    env = {
        **os.environ,
        "BONEMET_REDIS_URL": f"redis://{LOCAL_REDIS[0]}:{LOCAL_REDIS[1]}",
        "BONEMET_DURABILITY": "none",
    }
    log = ROOT / ".bonemet" / "redis-pass.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    print(f"+ (beside it, logged to {log}) pytest -m redis against Redis at {env['BONEMET_REDIS_URL']}", flush=True)
    with log.open("wb") as output:
        command = [str(PYTHON), "-m", "pytest", "-m", "redis", "-p", "no:cacheprovider", *extra]
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT), log


def finish_redis_pass(redis_pass: tuple[subprocess.Popen[bytes], Path] | None) -> bool:
    """Wait for it and print what it said; True when it failed."""
    if redis_pass is None:
        return False
    process, log = redis_pass
    code = process.wait()
    print(f"the same tests against Redis ({log}):", flush=True)
    sys.stdout.write(log.read_text(errors="replace"))
    return code != 0


def main() -> int:
    if sys.version_info < (3, 11):
        sys.exit("bonemet needs Python 3.11 or newer")
    if len(sys.argv) < 2 or sys.argv[1] not in {"demo", "test"}:
        print(__doc__)
        return 2
    install()
    command, extra = sys.argv[1], sys.argv[2:]
    if command == "demo":
        return run(BIN / "bonemet", "demo", *extra)
    return test(extra)


if __name__ == "__main__":
    sys.exit(main())
