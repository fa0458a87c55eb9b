"""``bonemet bench --plots DIR``: the run's figures as PNGs (matplotlib, drawn off-screen).

Each picture is drawn only from what the run measured; a figure left out with ``--only`` is simply not drawn.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display: files only

import matplotlib.pyplot as plt

from bonemet_cli.bench.stats import TARGETS

PROCESSES = ("intake", "recommender", "notifier", "audit", "server", "client")


def draw(document: Mapping[str, Any], samples: Mapping[str, Sequence[float]], folder: Path) -> list[Path]:
    """The PNGs of this run in ``folder``: latency CDF (c), load sweep (h), CPU share (b batch)."""
    folder.mkdir(parents=True, exist_ok=True)
    caption = f"{document.get('command')}, {document.get('date')}\n{document.get('machine')}"
    drawn = [
        _latency_cdf(samples, caption, folder / "latency-cdf.png"),
        _load_sweep(document.get("load_sweep") or [], caption, folder / "offered-load.png"),
        _cpu_share(document, caption, folder / "cpu-share.png"),
    ]
    return [path for path in drawn if path is not None]


def _latency_cdf(samples: Mapping[str, Sequence[float]], caption: str, path: Path) -> Path | None:
    series = {
        "stat (as measured)": samples.get("stat_ms") or [],
        "settled (net of the window)": samples.get("settled_ms") or [],
    }
    if not any(series.values()):
        return None
    figure, axes = plt.subplots(figsize=(7, 4.5))
    for label, values in series.items():
        ordered = sorted(values)
        if ordered:
            fractions = [(i + 1) / len(ordered) for i in range(len(ordered))]
            axes.step(ordered, fractions, where="post", label=f"{label}, n={len(ordered)}")
    limit = next(t.limit for t in TARGETS if t.key == "e2e_stat_p99_ms")
    axes.axvline(limit, color="grey", linestyle=":", label=f"p99 target {limit:g} ms")
    axes.axhline(0.99, color="grey", linestyle="--", linewidth=0.8)
    axes.set_xscale("log")
    axes.set_xlabel("end-to-end latency, 2xx to notification file (ms, log scale)")
    axes.set_ylabel("fraction of alerts")
    axes.set_title("(c) alert latency at 500 resources/s")
    axes.legend(loc="lower right")
    return _save(figure, caption, path)


def _load_sweep(points: Sequence[Mapping[str, Any]], caption: str, path: Path) -> Path | None:
    if not points:
        return None
    offered = [p["offered_resources_per_s"] for p in points]
    figure, rate_axes = plt.subplots(figsize=(7, 4.5))
    rate_axes.plot(offered, offered, color="grey", linestyle=":", label="offered")
    rate_axes.plot(offered, [p["accepted_resources_per_s"] for p in points], marker="o", label="accepted (2xx)")
    rate_axes.set_xlabel("offered load (resources/s, single resources)")
    rate_axes.set_ylabel("resources/s")
    latency_axes = rate_axes.twinx()
    latency_axes.plot(offered, [p["request_p99_ms"] for p in points], marker="s", color="tab:red", label="answer p99")
    latency_axes.plot(
        offered, [p["stat_p99_ms"] for p in points], marker="^", color="tab:purple", label="stat alert p99"
    )
    latency_axes.set_yscale("log")
    latency_axes.set_ylabel("p99 (ms, log scale)")
    handles = rate_axes.get_legend_handles_labels()
    more = latency_axes.get_legend_handles_labels()
    rate_axes.legend(handles[0] + more[0], handles[1] + more[1], loc="upper left")
    rate_axes.set_title("(h) throughput and p99 against offered load")
    return _save(figure, caption, path)


def _cpu_share(document: Mapping[str, Any], caption: str, path: Path) -> Path | None:
    shares = {name: document.get(f"batch_cpu_share_{name}") for name in PROCESSES}
    shown = {name: share for name, share in shares.items() if isinstance(share, int | float)}
    if not shown:
        return None
    figure, axes = plt.subplots(figsize=(7, 4.5))
    bars = axes.bar(list(shown), [share * 100 for share in shown.values()], color="tab:blue")
    for bar, name in zip(bars, shown, strict=True):
        per_resource = document.get(f"batch_cpu_us_per_resource_{name}")
        if isinstance(per_resource, int | float):
            top = (bar.get_x() + bar.get_width() / 2, bar.get_height())
            axes.annotate(f"{per_resource:,.0f} µs/res", top, ha="center", va="bottom", fontsize=8)
    axes.set_ylabel("CPU, % of one core")
    axes.set_title("(b) CPU per process during 100-entry batch ingest")
    return _save(figure, caption, path)


def _save(figure: Any, caption: str, path: Path) -> Path:
    figure.text(0.01, 0.01, caption, fontsize=6, color="grey", va="bottom")
    figure.tight_layout(rect=(0, 0.06, 1, 1))
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
