"""One baseline and one "latest": the graduation check, the UMKM card, the success story, the
program dashboard, the API rows and the beneficiaries export agree. The baseline is the first
measurement on or after the enrolment; the latest is the one with the latest date, and on one
date the one recorded last."""

from __future__ import annotations

import re
from datetime import date

import pytest

from mitradesa.mentoring import beneficiaries, enrolments, outcomes, programs, queries
from mitradesa.mentoring.models import Outcome
from mitradesa.mentoring.spreadsheets import export_rows
from tests.conftest import SEPATIN, login


@pytest.fixture
def measured(db):
    program = programs.create_program(
        db, None, name="Pendampingan UMKM Pesisir", funder="apbd", target_type="umkm",
        village_codes=[SEPATIN], graduation_criteria=[
            {"kind": "omzet_minimal", "value": 20_000_000}])
    shop = beneficiaries.register_umkm(db, None, name="Kerupuk Udang", owner_name="Rahmah",
                                       village_code=SEPATIN, monthly_turnover_rupiah=3_000_000)
    enrolment = enrolments.enrol(db, None, program, on=date(2025, 8, 14), umkm_id=shop.id)
    # A figure from before the enrolment (an old import): never the baseline.
    enrolment.outcomes.append(Outcome(measured_on=date(2025, 8, 1),
                                      monthly_turnover_rupiah=1_000_000))
    db.flush()
    for on, turnover in ((date(2025, 10, 1), 12_000_000),
                         (date(2025, 10, 1), 11_000_000),   # same day, recorded later: wins
                         (date(2025, 9, 1), 5_000_000)):    # recorded last, dated earlier
        outcomes.record_outcome(db, None, enrolment, measured_on=on,
                                monthly_turnover_rupiah=turnover)
    db.commit()
    return enrolment


def test_baseline_and_latest_follow_their_definition(measured):
    assert outcomes.enrolment_baseline(measured).monthly_turnover_rupiah == 3_000_000
    assert outcomes.enrolment_baseline(measured).measured_on == date(2025, 8, 14)
    latest = outcomes.enrolment_latest(measured)
    assert (latest.monthly_turnover_rupiah, latest.measured_on) == (11_000_000,
                                                                   date(2025, 10, 1))


def test_every_place_reads_the_same_latest_turnover(client, make_user, db, measured):
    check = outcomes.graduation_checks(db, measured)[0]
    assert check.detail == "omzet terakhir Rp11.000.000"
    row = queries.enrolment_row(measured, None)
    assert row["baseline"]["omzet_bulanan"] == 3_000_000
    assert row["terbaru"]["omzet_bulanan"] == 11_000_000
    story = queries.success_story(db, measured.umkm)
    assert (story.baseline.monthly_turnover_rupiah, story.latest.monthly_turnover_rupiah) == (
        3_000_000, 11_000_000)
    assert queries.dashboard(db, measured.program, None).change.median == 8_000_000
    columns, rows = export_rows(db, measured.program)
    assert rows[0][columns.index("omzet_bulanan")] == 11_000_000
    db.expire_all()
    assert measured.umkm.monthly_turnover_rupiah == 11_000_000

    make_user("admin.dpmd", "admin")
    login(client, "admin.dpmd")
    card = client.get(f"/pendampingan/umkm/{measured.umkm_id}").text
    assert re.search(r'id="omzet">Rp11\.000\.000', card)
    page = client.get(f"/pendampingan/umkm/{measured.umkm_id}/kisah-sukses").text
    assert re.search(r'id="omzet-terbaru">Rp11\.000\.000', page)
    assert "omzet terakhir Rp11.000.000" in client.get(
        f"/pendampingan/peserta/{measured.id}").text
    dashboard = client.get(f"/api/v1/programs/{measured.program_id}").json()["dasbor"]
    assert dashboard["perubahan"]["median"] == 8_000_000
