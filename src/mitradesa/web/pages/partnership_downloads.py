"""The partnership lists as downloads (agreements, partners, MoUs): the rows the page lists
for the user, with its filters, as `table_downloads.Table`s."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from mitradesa.partnerships.models import Agreement, Mou, Partner
from mitradesa.partnerships.vocab import PARTNER_KINDS, SECTORS, STAGES
from mitradesa.web.table_downloads import Column, Table
from mitradesa.web.templating import N_

AGREEMENT_COLUMNS = (
    Column(N_("Agreement"), width=40), Column(N_("Number"), width=18),
    Column(N_("Stage"), width=16), Column(N_("Partners"), width=30),
    Column(N_("Villages"), width=30), Column(N_("Value (Rp)"), "rupiah", 18),
    Column(N_("Start date"), "date", 14), Column(N_("End date"), "date", 14),
)
PARTNER_COLUMNS = (
    Column(N_("Name"), width=36), Column(N_("Kind"), width=22), Column(N_("Sectors"), width=30),
    Column(N_("Operating area"), width=30), Column(N_("Agreements"), "int", 12),
    Column(N_("Active"), "flag", 8),
)
MOU_COLUMNS = (
    Column(N_("MoU"), width=40), Column(N_("Number"), width=18),
    Column(N_("Partners"), width=30), Column(N_("Scope"), width=30),
    Column(N_("Signed on"), "date", 14), Column(N_("Start date"), "date", 14),
    Column(N_("End date"), "date", 14), Column(N_("Agreements"), "int", 12),
)


def _sectors(codes: Sequence[str]) -> str:
    return ", ".join(SECTORS.get(code, code) for code in codes)


def agreements_table(agreements: Sequence[Agreement], names: Mapping[str, str],
                     filters: Sequence[tuple[str, Any]]) -> Table:
    rows = [(a.title, a.number, STAGES.get(a.stage, a.stage),
             ", ".join(p.name for p in a.partners),
             ", ".join(names.get(c, c) for c in a.village_codes), a.value_rupiah,
             a.start_date, a.end_date) for a in agreements]
    return Table(name=N_("Agreements"), slug="perjanjian-kerja-sama", columns=AGREEMENT_COLUMNS,
                 rows=rows, filters=filters, demo=any(a.demo for a in agreements))


def partners_table(partners: Sequence[Partner], counts: Mapping[int, int],
                   names: Mapping[str, str]) -> Table:
    rows = [(p.name, PARTNER_KINDS.get(p.kind, p.kind), _sectors(p.sectors),
             ", ".join(names.get(c, c) for c in p.area_codes), counts.get(p.id, 0),
             p.active) for p in partners]
    return Table(name=N_("Partners"), slug="mitra", columns=PARTNER_COLUMNS, rows=rows)


def mous_table(mous: Sequence[Mou], counts: Mapping[int, int]) -> Table:
    rows = [(m.title, m.number, ", ".join(p.name for p in m.partners), _sectors(m.scope),
             m.signed_on, m.start_date, m.end_date, counts.get(m.id, 0)) for m in mous]
    return Table(name=N_("Memoranda of understanding"), slug="mou", columns=MOU_COLUMNS,
                 rows=rows, demo=any(m.demo for m in mous))
