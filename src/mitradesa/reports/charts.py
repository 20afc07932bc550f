"""Charts for PDF reports, drawn with matplotlib as SVG data URIs for WeasyPrint.

Only the object-oriented API is used (no pyplot). The style is set with `rc_context`, which
changes matplotlib's global settings for a moment, so drawing is serialised by a lock (the web
server renders reports in threads).
"""

from __future__ import annotations

import base64
import io
import threading
from collections.abc import Sequence

import matplotlib
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from mitradesa.idm import STATUS_TITLES

# The same colours as the status badges of the web pages (app.css).
STATUS_COLORS = {
    "SANGAT TERTINGGAL": "#752227",
    "TERTINGGAL": "#79330a",
    "BERKEMBANG": "#8a6d0e",
    "MAJU": "#126a68",
    "MANDIRI": "#1347ac",
}
INK = "#1d2a24"
GRID = "#dde7e1"
CM = 1 / 2.54
_LOCK = threading.Lock()
FONT = {"font.family": "DejaVu Sans", "font.size": 8, "axes.edgecolor": "#9bb0a4",
        "axes.labelcolor": INK, "xtick.color": INK, "ytick.color": INK}


def _figure(width_cm: float, height_cm: float) -> Figure:
    return Figure(figsize=(width_cm * CM, height_cm * CM), layout="constrained")


def _svg(figure: Figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _decimal(value: float, digits: int) -> str:
    return f"{value:.{digits}f}".replace(".", ",").replace("-", "−")


COMMA = FuncFormatter(lambda value, _position: _decimal(value, 2))


def status_counts(years: Sequence[int], counts: dict[int, dict[str, int]],
                  statuses: Sequence[str]) -> str:
    """Stacked bars: villages per status (lowest at the bottom) per year."""
    with _LOCK, matplotlib.rc_context(FONT):
        figure = _figure(18, 6.2)
        axes = figure.add_subplot()
        x = np.arange(len(years))
        bottom = np.zeros(len(years))
        for status in statuses:
            values = np.array([counts.get(y, {}).get(status, 0) for y in years], dtype=float)
            bars = axes.bar(x, values, bottom=bottom, color=STATUS_COLORS[status], width=0.62,
                            label=STATUS_TITLES[status])
            labels = [str(int(v)) if v >= 6 else "" for v in values]
            axes.bar_label(bars, labels=labels, label_type="center", color="white", fontsize=7)
            bottom += values
        axes.set_xticks(x, [str(y) for y in years])
        axes.set_ylabel("Jumlah desa")
        axes.spines[["top", "right"]].set_visible(False)
        axes.grid(axis="y", color=GRID, linewidth=0.6)
        axes.set_axisbelow(True)
        handles, labels = axes.get_legend_handles_labels()
        axes.legend(handles[::-1], labels[::-1], loc="center left", bbox_to_anchor=(1.01, 0.5),
                    frameon=False)
        return _svg(figure)


def convergence(sigma: Sequence[tuple[int, float]], start: np.ndarray, growth: np.ndarray,
                slope: float | None, label: str = "IDM") -> str:
    """Left: CV of the index (`label`: IDM or Indeks Desa, one family only) per year
    (σ-convergence). Right: annual change against the starting level, with the fitted line
    (β-convergence)."""
    with _LOCK, matplotlib.rc_context(FONT):
        figure = _figure(18, 4.7)
        left, right = figure.subplots(1, 2, width_ratios=[1, 1.25])
        years = [str(y) for y, _ in sigma]
        values = [v for _, v in sigma]
        left.plot(years, values, marker="o", color="#1f6f4a", linewidth=1.6)
        for x, v in zip(years, values, strict=True):
            left.annotate(_decimal(v, 3), (x, v), textcoords="offset points", xytext=(0, 6),
                          ha="center", fontsize=7)
        left.set_title(f"σ: koefisien variasi {label} per tahun", fontsize=8.5, loc="left")
        left.set_ylabel("CV")
        top = max(values) if values else 1
        left.set_ylim(0, top * 1.25 if top else 1)
        if len(start):
            right.scatter(start, growth, s=9, color="#3d8a4f", alpha=0.65, linewidths=0)
            right.axhline(0, color="#9bb0a4", linewidth=0.8)
            if slope is not None:
                intercept = float(np.mean(growth) - slope * np.mean(start))
                xs = np.linspace(start.min(), start.max(), 2)
                right.plot(xs, intercept + slope * xs, color="#a8302b", linewidth=1.4,
                           label=f"b = {_decimal(slope, 4)}")
                right.legend(frameon=False, loc="upper right")
            right.xaxis.set_major_formatter(COMMA)
            right.set_xlabel(f"{label} tahun awal")
            right.set_ylabel(f"perubahan {label} per tahun")
        else:
            right.text(0.5, 0.5, "perlu dua tahun data atau lebih", ha="center", va="center",
                       transform=right.transAxes)
            right.set_xticks([])
            right.set_yticks([])
        right.set_title("β: pertumbuhan terhadap tingkat awal", fontsize=8.5, loc="left")
        for axes in (left, right):
            axes.yaxis.set_major_formatter(COMMA)
            axes.spines[["top", "right"]].set_visible(False)
            axes.grid(color=GRID, linewidth=0.6)
            axes.set_axisbelow(True)
        return _svg(figure)
