"""A plan as an Excel workbook (XlsxWriter), headings in Bahasa Indonesia:
"Ringkasan per Pendana" (the objective, the optimal plan beside the greedy one, and each
funder's budget and spending), "Kegiatan" (the chosen activities and who pays) and
"Desa Naik Status" (villages whose status changes, checked with the IDM engine)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mitradesa.analysis.planning.inputs import KIND_TITLES
from mitradesa.formatting import number
from mitradesa.io.exports import open_workbook

if TYPE_CHECKING:
    from mitradesa.analysis.planning import Plan
    from mitradesa.analysis.planning.result import PlanResult


def _summary_rows(result: PlanResult) -> list:
    return [
        result.objective_value,
        result.total_cost,
        result.total_idm_gain,
        result.bottom20_before,
        result.bottom20_after,
        len(result.status_changes),
        len(result.chosen),
        result.solver_status,
        "" if result.mip_gap is None else result.mip_gap,
        result.solve_seconds,
    ]


def write_plan_xlsx(plan: Plan, path: str | Path) -> Path:
    path = Path(path)
    book = open_workbook(path)
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "#,##0"})
    idm = book.add_format({"num_format": "0.0000"})
    pct = book.add_format({"num_format": "0.00%"})
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1,
                            "text_wrap": True})

    sheet = book.add_worksheet("Ringkasan per Pendana")
    sheet.set_column(0, 0, 38)
    sheet.set_column(1, 6, 20)
    sheet.write(0, 0, "Tujuan", bold)
    sheet.write(0, 1, plan.objective_title)
    sheet.write(1, 0, "Total anggaran (Rp)", bold)
    sheet.write_number(1, 1, plan.total_budget, money)
    sheet.write_row(3, 0, ["Ukuran", "Rencana optimal (MIP)", "Rencana greedy"], head)
    labels = ["Nilai tujuan", "Total biaya (Rp)", "Kenaikan total IDM",
              "Rata-rata IDM 20% terbawah, awal", "Rata-rata IDM 20% terbawah, akhir",
              "Jumlah desa naik status", "Jumlah kegiatan", "Status solver",
              "Celah optimalitas (MIP gap)", "Waktu hitung (detik)"]
    formats = [None, money, idm, idm, idm, None, None, None, pct, None]
    for k, (label, a, b) in enumerate(zip(labels, _summary_rows(plan.optimal),
                                          _summary_rows(plan.greedy), strict=True)):
        sheet.write(4 + k, 0, label)
        sheet.write(4 + k, 1, a, formats[k])
        sheet.write(4 + k, 2, b, formats[k])
    top = 6 + len(labels)
    sheet.write_row(top, 0, ["Kode pendana", "Nama", "Jenis", "Anggaran (Rp)",
                             "Terpakai, optimal (Rp)", "Sisa, optimal (Rp)",
                             "Terpakai, greedy (Rp)"], head)
    for k, (mine, other) in enumerate(zip(plan.optimal.spending, plan.greedy.spending,
                                          strict=True)):
        f = mine.funder
        row = top + 1 + k
        sheet.write_row(row, 0, [f.id, f.name or f.id, KIND_TITLES[f.kind]])
        sheet.write_number(row, 3, f.budget, money)
        sheet.write_number(row, 4, mine.spent, money)
        sheet.write_number(row, 5, mine.remaining, money)
        sheet.write_number(row, 6, other.spent, money)

    sheet = book.add_worksheet("Kegiatan")
    sheet.set_column(0, 1, 16)
    sheet.set_column(2, 6, 12)
    sheet.set_column(7, 7, 60)
    sheet.write_row(0, 0, ["Kode desa", "Kecamatan", "Indikator", "Skor awal", "Skor akhir",
                           "Biaya (Rp)", "Tambahan IDM", "Dibiayai oleh (Rp)"], head)
    for row, a in enumerate(plan.optimal.activities(), start=1):
        sheet.write_row(row, 0, [a.code, a.kecamatan, a.label, a.score_from, a.score_to])
        sheet.write_number(row, 5, a.cost, money)
        sheet.write_number(row, 6, a.idm_gain, idm)
        sheet.write(row, 7, "; ".join(f"{fid}: {number(amount)}"
                                      for fid, amount in a.payments))

    sheet = book.add_worksheet("Desa Naik Status")
    sheet.set_column(0, 5, 18)
    sheet.write_row(0, 0, ["Kode desa", "Kecamatan", "IDM awal", "IDM akhir", "Status awal",
                           "Status akhir"], head)
    for row, s in enumerate(plan.optimal.status_changes, start=1):
        sheet.write_row(row, 0, [s.code, s.kecamatan])
        sheet.write_number(row, 2, s.idm_before, idm)
        sheet.write_number(row, 3, s.idm_after, idm)
        sheet.write_row(row, 4, [s.status_before, s.status_after])
    book.close()
    return path
