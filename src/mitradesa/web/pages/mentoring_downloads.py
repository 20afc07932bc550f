"""The mentoring lists as downloads (UMKM, households, groups, buyers, a program's
participants): the rows the page lists for the user (every one, not only the first 200), NIK
and KK numbers as `mitradesa.masking` lets the user's role see them, as
`table_downloads.Table`s."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from mitradesa.accounts.models import User
from mitradesa.mentoring.models import Buyer, Group, Household, Program, Umkm
from mitradesa.mentoring.queries import mask_nik
from mitradesa.mentoring.vocab import LEGALITY, WELFARE_CLASSES
from mitradesa.web.pages.mentoring_forms import BUYER_LABELS, STATUS_LABELS
from mitradesa.web.table_downloads import Column, Table
from mitradesa.web.templating import N_

Gettext = Callable[[str], str]
UMKM_COLUMNS = (
    Column(N_("Business"), width=30), Column(N_("Owner"), width=24),
    Column(N_("Owner's NIK"), width=20), Column(N_("Village code"), width=14),
    Column(N_("Village"), width=20), Column(N_("Sector"), width=18),
    Column(N_("Permits"), width=16), Column(N_("Employees"), "int", 10),
    Column(N_("Monthly turnover"), "rupiah", 16),
)
HOUSEHOLD_COLUMNS = (
    Column(N_("Head of household"), width=26), Column(N_("Head's NIK"), width=20),
    Column(N_("KK number"), width=20), Column(N_("Village code"), width=14),
    Column(N_("Village"), width=20), Column(N_("Welfare class"), width=22),
    Column(N_("Members"), "int", 10), Column(N_("Monthly income"), "rupiah", 16),
)
GROUP_COLUMNS = (
    Column(N_("Group"), width=30), Column(N_("Village code"), width=14),
    Column(N_("Village"), width=20), Column(N_("Sector"), width=18),
    Column(N_("Members"), "int", 10),
)
BUYER_COLUMNS = (
    Column(N_("Buyer"), width=30), Column(N_("Kind"), width=22), Column(N_("Address"), width=30),
    Column(N_("Contact"), width=24), Column(N_("Contracts"), "int", 10),
    Column(N_("Delivered value"), "rupiah", 16),
)
PARTICIPANT_COLUMNS = (
    Column(N_("Name"), width=28), Column(N_("Owner"), width=24), Column(N_("NIK"), width=20),
    Column(N_("KK number"), width=20), Column(N_("Village code"), width=14),
    Column(N_("Village"), width=20), Column(N_("Stage"), width=24),
    Column(N_("Status"), width=12), Column(N_("Enrolled on"), "date", 14),
    Column(N_("Left on"), "date", 14), Column(N_("Baseline (Rp)"), "rupiah", 16),
    Column(N_("Latest (Rp)"), "rupiah", 16), Column(N_("Latest measured on"), "date", 14),
)


def _search(q: str) -> list[tuple[str, Any]]:
    return [(N_("Search"), q)]


def umkm_table(items: Sequence[Umkm], names: Mapping[str, str], user: User, q: str) -> Table:
    rows = [(u.name, u.owner_name, mask_nik(u.owner_nik, user), u.village_code,
             names.get(u.village_code, u.village_code), u.sector,
             ", ".join(label for key, label in LEGALITY.items() if getattr(u, key)),
             u.employees, u.monthly_turnover_rupiah) for u in items]
    return Table(name=N_("UMKM"), slug="umkm", columns=UMKM_COLUMNS, rows=rows,
                 filters=_search(q), demo=any(u.demo for u in items))


def household_table(items: Sequence[Household], names: Mapping[str, str], user: User,
                    q: str) -> Table:
    rows = [(h.head_name, mask_nik(h.head_nik, user), mask_nik(h.kk_number, user),
             h.village_code, names.get(h.village_code, h.village_code),
             WELFARE_CLASSES.get(h.welfare_class, h.welfare_class), h.members,
             h.monthly_income_rupiah) for h in items]
    return Table(name=N_("Households"), slug="rumah-tangga", columns=HOUSEHOLD_COLUMNS,
                 rows=rows, filters=_search(q), demo=any(h.demo for h in items))


def group_table(items: Sequence[Group], names: Mapping[str, str], q: str) -> Table:
    rows = [(g.name, g.village_code, names.get(g.village_code, g.village_code), g.sector,
             len(g.members)) for g in items]
    return Table(name=N_("Business groups"), slug="kelompok-usaha", columns=GROUP_COLUMNS,
                 rows=rows, filters=_search(q), demo=any(g.demo for g in items))


def buyer_table(buyers: Sequence[Buyer], supplied: Mapping[int, Mapping[str, int]],
                gettext: Gettext) -> Table:
    rows = []
    for b in buyers:
        figures = supplied.get(b.id, {"contracts": 0, "value": 0})
        rows.append((b.name, gettext(BUYER_LABELS.get(b.kind, b.kind)), b.address, b.contact,
                     figures["contracts"], figures["value"]))
    return Table(name=N_("Buyers"), slug="pembeli", columns=BUYER_COLUMNS, rows=rows,
                 demo=any(b.demo for b in buyers))


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _money(figures: Mapping[str, Any]) -> Any:
    return figures.get("omzet_bulanan", figures.get("pendapatan_rumah_tangga"))


def participant_table(program: Program, rows: Sequence[Mapping[str, Any]],
                      names: Mapping[str, str], gettext: Gettext, demo: bool) -> Table:
    """The participants as the program page lists them (`queries.enrolment_row`, whose NIK
    and KK are already masked for the user)."""
    table_rows = [(
        r["nama"], r.get("pemilik", ""), r.get("nik", ""), r.get("no_kk", ""), r["desa"],
        names.get(r["desa"], r["desa"]), f"{r['tahap']}. {r['nama_tahap']}",
        gettext(STATUS_LABELS.get(r["status"], r["status"])), _day(r["terdaftar"]),
        _day(r["keluar"]), _money(r["baseline"]), _money(r["terbaru"]),
        _day(r["terbaru"].get("tanggal")),
    ) for r in rows]
    return Table(name=N_("Participants"), slug=f"peserta-program-{program.id}",
                 columns=PARTICIPANT_COLUMNS, rows=table_rows,
                 filters=[(N_("Program"), program.name)], demo=demo)
