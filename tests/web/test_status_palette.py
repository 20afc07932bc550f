"""The five status colours (Sangat Tertinggal → Mandiri): white text on each badge reaches
4.5:1 (WCAG 1.4.3), no two look alike to a deuteranope or protanope (Machado et al. 2009,
severity 1, compared in CIELAB), and the charts and the PDF use the same five as app.css."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from mitradesa.reports.charts import STATUS_COLORS as CHART_COLORS
from mitradesa.web.pages.idm import STATUS_COLORS as PAGE_COLORS

SRC = Path(__file__).resolve().parents[2] / "src" / "mitradesa"
CSS = (SRC / "web" / "static" / "app.css").read_text(encoding="utf-8")
STATUSES = ["SANGAT TERTINGGAL", "TERTINGGAL", "BERKEMBANG", "MAJU", "MANDIRI"]
DEUTERANOPIA = ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
                (-0.011820, 0.042940, 0.968881))
PROTANOPIA = ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
              (-0.003882, -0.048116, 1.051998))
MIN_DISTANCE = 15.0  # CIELAB ΔE76; the old Maju/Mandiri greens were 2–11 apart


def badge_colours() -> dict[str, str]:
    found = {}
    for status in STATUSES:
        css_class = status.lower().replace(" ", "-")
        match = re.search(rf"\.status-{css_class} \{{ background: (#[0-9a-f]{{6}}); \}}", CSS)
        assert match, css_class
        found[status] = match.group(1)
    return found


def linear(hex_colour: str) -> tuple[float, ...]:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    return tuple(channel(int(hex_colour[i:i + 2], 16)) for i in (1, 3, 5))


def luminance(rgb: tuple[float, ...]) -> float:
    return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]


def simulate(matrix, rgb: tuple[float, ...]) -> tuple[float, ...]:
    return tuple(min(1.0, max(0.0, sum(m * c for m, c in zip(row, rgb, strict=True))))
                 for row in matrix)


def lab(rgb: tuple[float, ...]) -> tuple[float, float, float]:
    r, g, b = rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116
    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def distance(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    return sum((p - q) ** 2 for p, q in zip(lab(a), lab(b), strict=True)) ** 0.5


@pytest.mark.parametrize("status", STATUSES)
def test_white_text_on_each_status_badge_reaches_4_5_to_1(status):
    contrast = 1.05 / (luminance(linear(badge_colours()[status])) + 0.05)
    assert contrast >= 4.5, (status, round(contrast, 2))


@pytest.mark.parametrize("vision", ["normal", "deuteranopia", "protanopia"])
def test_no_two_statuses_look_alike(vision):
    matrix = {"deuteranopia": DEUTERANOPIA, "protanopia": PROTANOPIA}.get(vision)
    seen = {s: (simulate(matrix, linear(c)) if matrix else linear(c))
            for s, c in badge_colours().items()}
    close = [(a, b, round(distance(seen[a], seen[b]), 1))
             for a, b in itertools.combinations(STATUSES, 2)
             if distance(seen[a], seen[b]) < MIN_DISTANCE]
    assert close == []


def test_charts_and_the_pdf_use_the_badge_colours():
    colours = badge_colours()
    assert colours == PAGE_COLORS
    assert colours == CHART_COLORS
    report = (SRC / "reports" / "templates" / "regency_report.html").read_text(encoding="utf-8")
    for status, colour in colours.items():
        assert f".st-{status.replace(' ', '-')} {{ color: {colour}; }}" in report, status
