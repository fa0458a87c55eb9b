"""CPU time of each process of the pipeline, read from ``/proc`` (Linux; elsewhere nothing is reported).

Throughput on a shared host drifts by tens of percent within a minute; the CPU each service spends per
accepted resource moves much less, so it says where a change helped (docs/performance.md)."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from pathlib import Path

from bonemet_cli.supervisor import Supervisor

_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_s(pid: int) -> float | None:
    """User + system CPU seconds of ``pid`` (its threads included), or None when it cannot be read."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / _TICKS


def _server_pids() -> list[int]:
    """The embedded server: this process's children whose command is a valkey/redis server."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name, _, rest = stat.partition(") ")
        if int(rest.split()[1]) == os.getpid() and ("valkey" in name or "redis" in name):
            found.append(int(entry.name))
    return found


def snapshot(supervisor: Supervisor) -> dict[str, float]:
    """CPU seconds so far of every service (replicas summed), of the server and of this process (the load
    client), and the wall clock; empty where ``/proc`` is not there."""
    if not Path("/proc/self/stat").exists():
        return {}
    taken: dict[str, float] = {"wall": time.monotonic(), "client": time.process_time()}
    for child in supervisor.children:
        if child.process is not None:
            service = child.module.removeprefix("bonemet_")
            taken[service] = taken.get(service, 0.0) + (cpu_s(child.process.pid) or 0.0)
    taken["server"] = sum(cpu_s(pid) or 0.0 for pid in _server_pids())
    return taken


def per_resource(before: Mapping[str, float], after: Mapping[str, float], resources: int) -> dict[str, float]:
    """``cpu_us_per_resource_<process>`` and ``cpu_share_<process>`` (of one core) over the window."""
    if not before or not after or resources <= 0:
        return {}
    wall = after["wall"] - before["wall"]
    out: dict[str, float] = {}
    for name in after:
        if name == "wall" or name not in before:
            continue
        spent = after[name] - before[name]
        out[f"cpu_us_per_resource_{name}"] = spent / resources * 1e6
        out[f"cpu_share_{name}"] = spent / wall if wall > 0 else 0.0
    out["cpu_us_per_resource_total"] = sum(v for k, v in out.items() if k.startswith("cpu_us_per_resource_"))
    return out
