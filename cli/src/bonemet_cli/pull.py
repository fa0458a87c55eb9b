"""``bonemet pull``: Bulk Data export runs from the command line, with a progress display (docs/ehr-pull.md)."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from bonemet_puller.bootstrap import build
from bonemet_puller.errors import ConfigError, EhrError
from bonemet_puller.exporting import Exporter, ExportFailed, Observer, Report, RunOptions
from bonemet_puller.runs import ConcurrentRun
from bonemet_puller.settings import PullerSettings, get_puller_settings
from bonemet_shared.connecting import SettingError


def run_pull(once: bool, since: str | None, group: str | None, types: str | None, json_file: Path | None) -> int:
    settings = get_puller_settings()
    chosen = tuple(t.strip() for t in types.split(",") if t.strip()) if types else None
    try:
        return asyncio.run(_pull(settings, once, since, group or settings.pull_group, chosen, json_file))
    except KeyboardInterrupt:
        print("bonemet pull: interrupted; the next run resumes this export", file=sys.stderr)
        return 130


async def _pull(
    settings: PullerSettings,
    once: bool,
    since: str | None,
    group: str | None,
    types: tuple[str, ...] | None,
    json_file: Path | None,
) -> int:
    console = Console(stderr=True)
    try:
        puller = await build(settings, types)
    except (ConfigError, SettingError) as exc:
        print(f"bonemet pull: {exc}", file=sys.stderr)
        return 2
    try:
        while True:
            code = await _one_run(puller.exporter, RunOptions(puller.types, group, since), console, json_file)
            if once or code == 2:
                return code
            since = None  # later runs go on from the saved transactionTime
            await asyncio.sleep(settings.pull_interval_s)
    finally:
        await puller.close()


async def _one_run(
    exporter_of: Callable[[Observer], Exporter], options: RunOptions, console: Console, json_file: Path | None
) -> int:
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        files = progress.add_task("export files", total=None)
        lines = progress.add_task("lines accepted", total=None)

        def observe(what: str, amount: int) -> None:
            if what == "files-total":
                progress.update(files, total=amount)
            elif what == "files":
                progress.advance(files, amount)
            elif what == "lines":
                progress.advance(lines, amount)
            elif what == "status":
                progress.update(files, description="export files (the EHR is preparing them)")

        try:
            report = await exporter_of(observe).run(options)
        except ConfigError as exc:
            console.print(f"bonemet pull: {exc}")
            return 2
        except (ExportFailed, EhrError, ConcurrentRun) as exc:
            console.print(f"bonemet pull: {exc}")
            return 1
    _show(report, console)
    if json_file is not None:
        _write_json(json_file, report)
    return 0


def _write_json(path: Path, report: Report) -> None:
    path.write_text(json.dumps(report.as_json(), indent=2) + "\n")


def _show(report: Report, console: Console) -> None:
    counts = report.counts
    console.print(
        f"exported {counts['exported']}: accepted {counts['accepted']}, duplicates {counts['duplicates']}, "
        f"stale {counts['stale']}, rejected {counts['rejected']}; deleted {counts['deleted']}; "
        f"transactionTime {report.transaction_time}; {report.seconds:.1f} s"
    )
    if report.errors:
        console.print("the EHR's error file: " + ", ".join(f"{n} {code}" for code, n in sorted(report.errors.items())))
