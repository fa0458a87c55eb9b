"""``bonemet bench [--quick] [--only LETTERS] [--json FILE]``: the figures of docs/performance.md, measured in one run.

(a) the yardstick (raw redis-py pipelined XADD + XREADGROUP/XACK + R4B validation, in one process);
(b) intake throughput over HTTP with the recommender, notifier and audit archiver running (single
resources and 100-entry batch Bundles), with each process's CPU per accepted resource, the batch figure
with durable acknowledgement (fsync before 2xx, the default) and without it (none); (c) end-to-end
latency at 500 resources/s of mixed traffic, for stat alerts (sent at once) and settled alerts (net of the
notifier's settle window) apart; (d) engine evaluations/s, in one process and in one process per core at
once; (e) state bytes per patient for 10,000 synthetic patients; (f) bulk import of a local NDJSON export of
50,000 resources through the shared acceptance path (the puller's code), as a ratio to (a); (g) CDS Hooks
patient-view latency with a stored suggestion (the CDS service as its own process, tokens checked), with
discovery as the same run's baseline; (h) the intake's accepted rate, answer p99 and stat-alert p99 at offered
loads from 100 to 2,000 resources/s; (i) scale-out: the same backlog worked off by one and by two replicas of
the recommender and the notifier.

(d), (e), (f) and (g) are measured first, with the machine to themselves; then the services start as
separate processes (as ``bonemet demo`` starts them) for (c), (h) and (b), and again for (i); the yardstick
(a) runs right before and right after the batch figure of (b). A command, not a test: the targets are
reported, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import orjson
from rich.console import Console
from rich.table import Table

from bonemet_cli.bench import bulk, cds, inprocess, pipeline
from bonemet_cli.bench.stats import TARGETS, ratio, summary
from bonemet_cli.bench.traffic import Traffic

console = Console(soft_wrap=True, stderr=False)


@dataclass(frozen=True)
class Plan:
    yardstick: int
    engine_s: float
    e2e_s: float
    throughput_s: float
    synthetic: int
    cds_s: float
    sweep_s: float
    scale_resources: int


FULL = Plan(
    20_000, engine_s=3.0, e2e_s=20.0, throughput_s=10.0, synthetic=200, cds_s=10.0, sweep_s=6.0, scale_resources=30_000
)
QUICK = Plan(
    5_000, engine_s=1.0, e2e_s=8.0, throughput_s=5.0, synthetic=60, cds_s=3.0, sweep_s=3.0, scale_resources=12_000
)
SWEEP_RATES = [100.0, 250.0, 500.0, 1_000.0, 1_500.0, 2_000.0]
"""(h) offered loads, resources/s."""
CDS_PATIENTS = 200
E2E_RATE = 500.0
STATE_PATIENTS = 10_000


FIGURES = "abcdefghi"


def _figures(text: str) -> frozenset[str]:
    chosen = frozenset(part.strip() for part in text.replace(",", " ").split())
    unknown = chosen - set(FIGURES)
    if not chosen or unknown:
        raise argparse.ArgumentTypeError(f"letters among {', '.join(FIGURES)}; not {', '.join(sorted(unknown))}")
    return chosen


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bonemet bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="shorter runs (under two minutes; about one on a quiet two-core machine)"
    )
    parser.add_argument(
        "--only",
        type=_figures,
        default=frozenset(FIGURES),
        metavar="LETTERS",
        help="measure only these figures, e.g. 'b' or 'c,d' (default: all); the yardstick (a) runs whenever "
        "a ratio to it is measured (b, d, f)",
    )
    parser.add_argument("--json", type=Path, default=None, metavar="FILE", help="also write the figures as JSON")
    parser.add_argument(
        "--plots",
        type=Path,
        default=None,
        metavar="DIR",
        help="also draw PNGs there (matplotlib): latency CDF of (c), throughput and p99 against offered load "
        "(h), CPU share per process during (b) batch",
    )
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    only: frozenset[str] = args.only
    started = time.monotonic()
    run = f"b{int(time.time())}"
    today = datetime.now(UTC).date()
    command = "bonemet bench" + (" --quick" if args.quick else "")
    if only != frozenset(FIGURES):
        command += f" --only {','.join(sorted(only))}"
    results: dict[str, Any] = {
        "machine": _machine(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": command,
        "quick": args.quick,
        "figures": "".join(sorted(only)),
        "load_average_at_start": _load_average(),
    }
    if "d" in only:
        with console.status("(d) engine ..."):
            patients = inprocess.engine_patients(Traffic(run + "e", today, seed=4), plan.synthetic)
            results.update(inprocess.engine(patients, plan.engine_s))
    if "e" in only:
        with console.status(f"(e) state of {STATE_PATIENTS:,} patients ..."):
            results.update(inprocess.state(Traffic(run + "s", today, seed=5), STATE_PATIENTS))
    if "f" in only:
        with console.status(f"(f) bulk import of {bulk.BULK_RESOURCES:,} resources ..."):
            exported = Traffic(run + "f", today, seed=10).mixed()
            results.update(bulk.bulk_import([next(exported) for _ in range(bulk.BULK_RESOURCES)]))
    if "g" in only:
        with console.status("(g) CDS Hooks patient-view ..."):
            results.update(cds.patient_view(Traffic(run + "g", today, seed=11), CDS_PATIENTS, plan.cds_s))
    mixed = Traffic(run + "y", today, seed=6).mixed()
    yardstick_items = [next(mixed) for _ in range(plan.yardstick)]

    def yardstick(when: str) -> dict[str, float]:
        with console.status(f"(a) yardstick, {when} ..."):
            return inprocess.yardstick(yardstick_items)

    if only & set("bch"):
        with console.status("starting intake, recommender, notifier ..."):
            results.update(asyncio.run(_pipeline(plan, run, today, yardstick, only)))
    if "i" in only:
        for replicas in (1, 2):
            with console.status(f"(i) scale-out, {replicas} recommender and notifier replicas ..."):
                traffic = Traffic(f"{run}i{replicas}", today, seed=12)
                measured = asyncio.run(pipeline.scale_out(traffic, plan.scale_resources, replicas))
                results.update({f"scale_out_{replicas}_{key}": value for key, value in measured.items()})
        for figure in ("recommender", "pipeline"):
            results[f"scale_out_{figure}_ratio"] = ratio(
                results.get(f"scale_out_2_{figure}_resources_per_s"),
                results.get(f"scale_out_1_{figure}_resources_per_s"),
            )
    samples = results.pop(pipeline.SAMPLES, {})
    if "b" not in only and only & set("adf"):
        results.update(yardstick("alone"))
    results["ratio"] = ratio(results.get("intake_batch_resources_per_s"), results.get("yardstick_resources_per_s"))
    results["ratio_durability_none"] = ratio(
        results.get("intake_batch_durability_none_resources_per_s"), results.get("yardstick_resources_per_s")
    )
    results["durability_fsync_throughput_share"] = ratio(
        results.get("intake_batch_resources_per_s"), results.get("intake_batch_durability_none_resources_per_s")
    )
    results["bulk_ratio"] = ratio(results.get("bulk_import_resources_per_s"), results.get("yardstick_resources_per_s"))
    for key, rate in (
        ("engine_ratio_one_process", "engine_evals_per_s"),
        ("engine_ratio_all_cores", "engine_evals_per_s_all_cores"),
    ):
        results[key] = ratio(results.get(rate), results.get("yardstick_resources_per_s"))
    results["bench_seconds"] = round(time.monotonic() - started, 1)
    document = summary(results)
    _print(document)
    if args.json is not None:
        args.json.write_bytes(orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n")
        console.print(f"written to {args.json}")
    if args.plots is not None:
        from bonemet_cli.bench import plots as drawing  # matplotlib is a development dependency: imported only here

        for path in drawing.draw(document, samples, args.plots):
            console.print(f"drawn {path}")
    return 0


async def _pipeline(
    plan: Plan, run: str, today: date, yardstick: Callable[[str], dict[str, float]], only: frozenset[str]
) -> dict[str, Any]:
    """Each pipeline figure on fresh services and a fresh server, so none inherits another's backlog.

    The yardstick (a) is measured right before and right after the batch figure (b) and averaged: this
    machine's speed drifts by tens of percent within a minute (a shared host), so a yardstick measured
    earlier in the run can be far from the speed the batch figure ran at. Both are reported."""
    out: dict[str, Any] = {}
    if "c" in only:
        with pipeline.running_pipeline() as running:
            console.print(f"services up; (c) end to end at {E2E_RATE:g} resources/s for {plan.e2e_s:g} s ...")
            out.update(await pipeline.end_to_end(running, Traffic(run + "c", today, seed=7), E2E_RATE, plan.e2e_s))
    if "h" in only:
        with pipeline.running_pipeline() as running:
            console.print(f"services up; (h) offered load {SWEEP_RATES[0]:g}-{SWEEP_RATES[-1]:g} resources/s ...")
            sweep = Traffic(run + "h", today, seed=13)
            out["load_sweep"] = await pipeline.offered_load_sweep(running, sweep, SWEEP_RATES, plan.sweep_s)
    if "b" not in only:
        return out
    # The batch figure twice in a row, with the default durability (fsync before 2xx) and without it
    # (none), inside one yardstick bracket: what durable acknowledgement costs (docs/decisions/0014).
    runs = (("batch", 100, 3, 9, None), ("batch_durability_none", 100, 3, 9, "none"), ("single", None, 8, 8, None))
    for name, batch, connections, seed, durability in runs:
        if name == "batch":
            before = yardstick("before")
        with pipeline.running_pipeline(durability=durability) as running:
            what = "100-entry batch Bundles" if batch else "single resources"
            what += f", durability {durability}" if durability else ""
            console.print(f"services up; (b) intake throughput, {what}, for {plan.throughput_s:g} s ...")
            traffic = Traffic(run + name.replace("_", "-"), today, seed=seed)  # ids: no "_" in FHIR
            await pipeline.warm_up(running, traffic)
            result = await pipeline.throughput(
                running, traffic, plan.throughput_s, batch=batch, connections=connections
            )
            out[f"intake_{name}_resources_per_s"] = result["resources_per_s"]
            out[f"intake_{name}_rejected"] = result["rejected"]
            out[f"intake_{name}_clients_out_of_work"] = result["clients_out_of_work"]
            out[f"intake_{name}_request_p99_ms"] = result["request_p99_ms"]
            out.update({f"{name}_{key}": value for key, value in result.items() if key.startswith("cpu_")})
            out[f"recommender_backlog_after_{name}"] = pipeline.recommender_backlog(running.url)
            if name == "batch":
                out["recommender_drain_per_s"] = await pipeline.drain_rate(running.url, 3.0)
        if name == "batch_durability_none":
            out.update(_bracketed(before, yardstick("after")))
    return out


def _bracketed(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """The yardstick figures as the mean of the two runs around (b), with each run's total kept."""
    merged = {key: (before[key] + after[key]) / 2 for key in before if key.endswith("_per_s")}
    merged["yardstick_resources"] = before["yardstick_resources"] + after["yardstick_resources"]
    merged["yardstick_before_b_resources_per_s"] = before["yardstick_resources_per_s"]
    merged["yardstick_after_b_resources_per_s"] = after["yardstick_resources_per_s"]
    return merged


def _load_average() -> float | None:
    """1-minute load average: above ~0.5 something else is using the machine and the figures suffer."""
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _machine() -> str:
    import os

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {sys.version.split()[0]}, {platform.system()} {platform.release()}"


def _fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"
    else:
        text = f"{value:,}" if isinstance(value, int) else str(value)
    return f"{text}{unit}"


def _print(doc: dict[str, Any]) -> None:
    table = Table(title=f"bonemet bench ({doc['command']}, {doc['date']})", show_lines=False)
    table.add_column("figure")
    table.add_column("value", justify="right")
    table.add_column("target", justify="right")
    targets = {t.key: t for t in TARGETS}
    rows = [
        ("(a) yardstick: validate + pipelined XADD + XREADGROUP/XACK", "yardstick_resources_per_s", " res/s"),
        ("    measured right before (b) batch", "yardstick_before_b_resources_per_s", " res/s"),
        ("    measured right after (b) batch", "yardstick_after_b_resources_per_s", " res/s"),
        ("    R4B validation alone", "yardstick_validate_per_s", " res/s"),
        ("(b) intake, single resources (8 clients)", "intake_single_resources_per_s", " res/s"),
        ("(b) intake, 100-entry batch Bundles (3 clients)", "intake_batch_resources_per_s", " res/s"),
        ("    batch ingest / yardstick", "ratio", ""),
        ("    batch request p99 (fsync before 2xx, the default)", "intake_batch_request_p99_ms", " ms"),
        ("(b) same, durability none (2xx right after EXEC)", "intake_batch_durability_none_resources_per_s", " res/s"),
        ("    batch ingest / yardstick, durability none", "ratio_durability_none", ""),
        ("    batch request p99, durability none", "intake_batch_durability_none_request_p99_ms", " ms"),
        ("    fsync throughput / none throughput", "durability_fsync_throughput_share", ""),
        ("    recommender drain rate after (b)", "recommender_drain_per_s", " ev/s"),
        ("(c) end to end, stat alerts p50 (2xx -> outbox file)", "e2e_stat_p50_ms", " ms"),
        ("(c) end to end, stat alerts p99", "e2e_stat_p99_ms", " ms"),
        ("    stat alerts seen", "e2e_stat_notifications", ""),
        ("(c) end to end, settled alerts p50 (net of the window)", "e2e_settled_p50_ms", " ms"),
        ("(c) end to end, settled alerts p99 (net of the window)", "e2e_settled_p99_ms", " ms"),
        ("    settled alerts seen", "e2e_settled_notifications", ""),
        ("    settle window", "e2e_settle_window_s", " s"),
        ("    offered / achieved load", "e2e_achieved_resources_per_s", " res/s"),
        ("    lesions / notifications seen", "e2e_notifications", ""),
        ("(d) engine evaluations/s (evaluate: decision + hash)", "engine_evals_per_s", " /s"),
        ("    with Bundle and rendering built", "engine_evals_with_bundle_per_s", " /s"),
        ("    one engine process per core, all together", "engine_evals_per_s_all_cores", " /s"),
        ("    one process / yardstick", "engine_ratio_one_process", ""),
        ("    one process per core / yardstick", "engine_ratio_all_cores", ""),
        ("(e) state bytes per patient (MEMORY USAGE)", "state_bytes_per_patient", " B"),
        ("    used_memory delta per patient", "state_used_memory_delta_per_patient", " B"),
        ("(f) bulk import, local NDJSON, shared acceptance path", "bulk_import_resources_per_s", " res/s"),
        ("    bulk import / yardstick", "bulk_ratio", ""),
        ("(g) CDS patient-view p50, stored suggestion", "cds_patient_view_p50_ms", " ms"),
        ("(g) CDS patient-view p99", "cds_patient_view_p99_ms", " ms"),
        ("    discovery p99 (baseline: HTTP + token check)", "cds_discovery_p99_ms", " ms"),
        ("    patient-view p99 / discovery p99", "cds_patient_view_p99_over_discovery", ""),
        (
            "(i) scale-out: 1 recommender + 1 notifier, until drained",
            "scale_out_1_recommender_resources_per_s",
            " res/s",
        ),
        ("    2 recommenders + 2 notifiers, same load", "scale_out_2_recommender_resources_per_s", " res/s"),
        ("    2 replicas / 1 replica (recommender drained)", "scale_out_recommender_ratio", ""),
        ("    2 replicas / 1 replica (notifier drained too)", "scale_out_pipeline_ratio", ""),
        (
            "    busiest of the 2 recommenders' share of their CPU",
            "scale_out_2_recommender_busiest_replica_cpu_share",
            "",
        ),
    ]
    for label, key, unit in rows:
        target = targets.get(key)
        verdict = ""
        if target is not None:
            met = target.met(doc.get(key))
            mark = {True: "[green]met[/]", False: "[red]missed[/]", None: "n/a"}[met]
            verdict = f"{'>=' if target.at_least else '<='} {target.limit:g} {mark}"
        value = _fmt(doc.get(key), unit)
        if key == "e2e_notifications":
            value = f"{_fmt(doc.get('e2e_lesions'))} / {_fmt(doc.get(key))}"
        if key == "engine_evals_per_s_all_cores":
            value += f" ({_fmt(doc.get('engine_processes'))} processes)"
        if key == "e2e_achieved_resources_per_s":
            value = f"{_fmt(doc.get('e2e_offered_resources_per_s'))} / {_fmt(doc.get(key))}"
        table.add_row(label, value, verdict)
    console.print(table)
    for point in doc.get("load_sweep") or []:
        console.print(
            f"(h) offered {_fmt(point['offered_resources_per_s'])} res/s: accepted "
            f"{_fmt(point['accepted_resources_per_s'])} res/s, answer p99 {_fmt(point['request_p99_ms'])} ms, "
            f"stat alert p99 {_fmt(point['stat_p99_ms'])} ms ({point['stat_notifications']} alerts)"
        )
    spent = [
        f"{name} {doc[key]:,.0f}"
        for name in ("intake", "recommender", "notifier", "audit", "server", "client")
        if isinstance(doc.get(key := f"batch_cpu_us_per_resource_{name}"), float)
    ]
    if spent:
        cores = inprocess.usable_cores()
        console.print(
            f"CPU per accepted resource during (b) batch, µs: {', '.join(spent)}; "
            f"total {doc.get('batch_cpu_us_per_resource_total', 0):,.0f} ({cores} cores: at most "
            f"{cores * 1e6 / max(doc.get('batch_cpu_us_per_resource_total') or 1, 1):,.0f} resources/s)"
        )
    console.print(
        f"machine: {doc['machine']}; load average at start {doc.get('load_average_at_start')}; "
        f"{doc.get('bench_seconds')} s"
    )


__all__ = ["main"]
