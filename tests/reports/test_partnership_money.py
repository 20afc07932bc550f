"""Money DPMD signs: a realisation split across villages keeps every rupiah in the regency
report and the partner report, and only verified progress reports count."""

from __future__ import annotations

from datetime import date

from mitradesa.partnerships import services
from mitradesa.reports.partner_data import partner_report
from mitradesa.reports.regency_programs import partnership_section
from tests.partnerships.fixtures import CONTENT, agreement, partner, walk_to

THREE = ("64.02.02.2001", "64.02.02.2002", "64.02.02.2003")  # three desa of Loa Kulu


def test_the_regency_report_states_the_realisation_as_entered(db, tmp_path, make_user):
    funder = partner(db, "PT Tiga Desa")
    deal = agreement(db, [funder], villages=THREE, **CONTENT)
    walk_to(db, deal, "pelaksanaan", tmp_path)  # a commitment of 150,000,000 for all three
    services.add_report(db, None, deal, reported_on=date(2026, 1, 10),
                        summary="Tahap kedua", spent_rupiah=1_000_000_000)
    services.add_commitment(db, None, deal, activity="Sisa", budget_rupiah=100)
    # a partner's own report waits for DPMD and does not count yet
    user = make_user("mitra.tiga", "mitra", organisation=funder.name)
    services.add_partner_member(db, None, funder, user)
    services.add_report(db, user, deal, reported_on=date(2026, 2, 1), summary="Belum dicek",
                        spent_rupiah=7)
    db.commit()
    section = partnership_section(db, "64.02.02")
    # split three ways: 1,000,000,000, not 999,999,999 (the partner's 7 not yet verified)
    assert section.spent == 1_000_000_000
    assert section.committed == 150_000_100
    report = partner_report(db, funder, None, date.today())
    assert report.spent == 1_000_000_000 and report.committed == 150_000_100
    assert sorted(v.spent_rupiah for v in report.villages) == [
        333_333_333, 333_333_333, 333_333_334]
