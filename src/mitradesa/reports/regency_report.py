"""The regency report as PDF (WeasyPrint), with matplotlib charts as SVG."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from mitradesa.analysis.families import family
from mitradesa.demo import DEMO_LABEL
from mitradesa.idm import STATUS_TITLES
from mitradesa.reports import formatting
from mitradesa.reports.regency_data import STATUSES, RegencyReport

KIND_TITLES = {"provinsi": "Provinsi", "kabupaten": "Kabupaten", "kota": "Kota",
               "kecamatan": "Kecamatan"}


def signed(value: int | None) -> str:
    if value is None:
        return "—"
    return f"+{value}" if value > 0 else ("±0" if value == 0 else f"−{-value}")


def sigma_words(sigma: list[dict[str, Any]], label: str = "IDM") -> str:
    """σ-convergence in words: did the CV of the index (`label`) fall from the first to the
    last year?"""
    if len(sigma) < 2:
        return "Baru ada satu tahun data; σ-konvergensi belum dapat dinilai."
    first, last = sigma[0], sigma[-1]
    values = (f"CV {label} {formatting.index4(first['cv'])} ({first['tahun']}) menjadi "
              f"{formatting.index4(last['cv'])} ({last['tahun']})")
    if last["cv"] < first["cv"]:
        return f"{values}: sebaran {label} antardesa menyempit — ada σ-konvergensi."
    if last["cv"] > first["cv"]:
        return f"{values}: sebaran {label} antardesa melebar — tidak ada σ-konvergensi."
    return f"{values}: sebaran {label} antardesa tetap."


def beta_words(beta: dict[str, Any] | None, label: str = "IDM") -> str:
    """β-convergence in words, with b, its 95% interval and the number of villages."""
    if beta is None:
        return ("β-konvergensi belum dapat dihitung (perlu dua tahun data dan sedikitnya tiga "
                f"desa dengan {label} yang berbeda).")
    figures = (f"b = {formatting.index4(beta['slope'])} (selang kepercayaan 95%: "
               f"{formatting.index4(beta['ci_low'])} s.d. {formatting.index4(beta['ci_high'])}; "
               f"{beta['villages']} desa, {beta['from']}–{beta['to']})")
    if beta["converging"]:
        return (f"{figures}: desa yang {label}-nya lebih rendah pada {beta['from']} tumbuh lebih "
                "cepat — desa yang tertinggal mengejar (β-konvergensi).")
    if beta["ci_low"] > 0:
        return (f"{figures}: desa yang {label}-nya lebih tinggi tumbuh lebih cepat — jarak "
                "antardesa melebar.")
    return (f"{figures}: selang kepercayaan memuat 0 — belum terbukti desa yang tertinggal "
            "mengejar.")


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("mitradesa.reports", "templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True,
                      lstrip_blocks=True)
    env.filters.update(rupiah=formatting.rupiah, index4=formatting.index4,
                       percent=formatting.percent, long_date=formatting.long_date,
                       signed=signed, status_title=lambda s: STATUS_TITLES.get(s, s))
    env.globals.update(DEMO_LABEL=DEMO_LABEL, STATUSES=STATUSES, KIND_TITLES=KIND_TITLES,
                       sigma_words=sigma_words, beta_words=beta_words)
    return env


def charts(report: RegencyReport) -> dict[str, str]:
    from mitradesa.reports import charts as draw  # matplotlib: only when a PDF is made

    convergence = report.inequality.convergence
    beta = convergence["beta"]
    drawn = {"status": draw.status_counts(report.idm.years, report.idm.counts_by_year,
                                          STATUSES)}
    if len(report.idm.years) > 1:  # one year has no convergence to show
        drawn["convergence"] = draw.convergence(
            [(s["tahun"], s["cv"]) for s in convergence["sigma"]],
            report.inequality.beta_start, report.inequality.beta_growth,
            beta["slope"] if beta else None, report.family.label)
    return drawn


def render_html(report: RegencyReport) -> str:
    """The report on its index family: values with that family's decimals (IDM 0,7123;
    Indeks Desa nilai 95,59), its parts, and the contribution on its own family."""
    index = report.family
    env = _environment()
    env.filters["value"] = lambda v: formatting.figure(v, index.decimals)
    env.filters["cvalue"] = lambda v: formatting.figure(
        v, family(report.contribution_details.family).decimals)
    ineq = report.inequality.summary
    return env.get_template("regency_report.html").render(
        report=report, charts=charts(report),
        parts=[*zip(index.component_keys, index.components, strict=True),
               (index.value_key, index.label)],
        ineq_rows=[(index.label, ineq), *((name, ineq["by_index"][key]) for key, name in
                                          zip(index.component_keys, index.components,
                                              strict=True))])


def pdf_bytes(report: RegencyReport) -> bytes:
    from weasyprint import HTML  # heavy import: only when a PDF is asked for

    return HTML(string=render_html(report)).write_pdf()


def write_pdf(report: RegencyReport, path: Path) -> Path:
    path.write_bytes(pdf_bytes(report))
    return path
