"""Dates that cannot be are refused with a message naming the date (14 Agustus 2025); stage
steps keep the day they happened, entered by the user, beside the moment they were recorded."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from mitradesa.mentoring import beneficiaries, enrolments, outcomes, programs
from mitradesa.mentoring.errors import MentoringError
from mitradesa.reports.formatting import long_date
from tests.conftest import SEPATIN, csrf_of, login

ENROLLED = date(2025, 8, 14)
CRITERIA = [{"kind": "omzet_minimal", "value": 10_000_000}]


@pytest.fixture
def enrolled(db):
    program = programs.create_program(
        db, None, name="Pendampingan UMKM Pesisir", funder="apbd", target_type="umkm",
        village_codes=[SEPATIN], graduation_criteria=CRITERIA, start_date=date(2025, 8, 1))
    shop = beneficiaries.register_umkm(db, None, name="Kerupuk Udang", owner_name="Rahmah",
                                       village_code=SEPATIN, monthly_turnover_rupiah=3_000_000)
    enrolment = enrolments.enrol(db, None, program, on=ENROLLED, umkm_id=shop.id)
    db.commit()
    return enrolment


def test_the_date_helper_is_the_reports_one():
    assert long_date(ENROLLED) == "14 Agustus 2025"


def test_an_outcome_before_the_enrolment_or_in_the_future_is_refused(db, enrolled):
    with pytest.raises(MentoringError) as early:
        outcomes.record_outcome(db, None, enrolled, measured_on=date(2025, 8, 1),
                                monthly_turnover_rupiah=5_000_000)
    assert "1 Agustus 2025" in early.value.message and "14 Agustus 2025" in early.value.message
    later = date.today() + timedelta(days=5)
    with pytest.raises(MentoringError) as future:
        outcomes.record_outcome(db, None, enrolled, measured_on=later,
                                monthly_turnover_rupiah=5_000_000)
    assert long_date(later) in future.value.message
    db.rollback()
    assert len(enrolments.get_enrolment(db, enrolled.id).outcomes) == 1


def test_an_assessment_before_the_enrolment_is_refused(db, enrolled):
    with pytest.raises(MentoringError) as refused:
        enrolments.assess(db, None, enrolled, on=date(2025, 8, 13), answers={"produksi": True})
    assert "13 Agustus 2025" in refused.value.message
    assert "14 Agustus 2025" in refused.value.message


def test_a_session_before_the_program_start_or_its_attendees_enrolment_is_refused(
        db, enrolled):
    program = enrolled.program
    with pytest.raises(MentoringError) as before_start:
        programs.record_session(db, None, program, held_on=date(2025, 7, 30), kind="pelatihan",
                                mentor="Bu Wati", topic="Higiene", attended=[])
    assert "30 Juli 2025" in before_start.value.message
    assert "1 Agustus 2025" in before_start.value.message
    with pytest.raises(MentoringError) as before_enrolment:
        programs.record_session(db, None, program, held_on=date(2025, 8, 10), kind="pelatihan",
                                mentor="Bu Wati", topic="Higiene", attended=[enrolled.id])
    assert "10 Agustus 2025" in before_enrolment.value.message
    assert "14 Agustus 2025" in before_enrolment.value.message


def test_an_enrolment_far_ahead_or_before_the_program_start_is_refused(db, enrolled):
    other = beneficiaries.register_umkm(db, None, name="Amplang", owner_name="Rini",
                                        village_code=SEPATIN)
    far = date.today() + timedelta(days=31)
    with pytest.raises(MentoringError) as ahead:
        enrolments.enrol(db, None, enrolled.program, on=far, umkm_id=other.id)
    assert long_date(far) in ahead.value.message
    with pytest.raises(MentoringError) as early:
        enrolments.enrol(db, None, enrolled.program, on=date(2025, 7, 1), umkm_id=other.id)
    assert "1 Juli 2025" in early.value.message and "1 Agustus 2025" in early.value.message
    soon = date.today() + timedelta(days=30)
    assert enrolments.enrol(db, None, enrolled.program, on=soon, umkm_id=other.id).enrolled_on \
        == soon


def test_graduation_and_leaving_cannot_be_dated_before_the_enrolment(db, enrolled):
    with pytest.raises(MentoringError) as refused:
        enrolments.leave(db, None, enrolled, reason="pindah", on=date(2025, 8, 2))
    assert "2 Agustus 2025" in refused.value.message
    with pytest.raises(MentoringError):
        enrolments.graduate(db, None, enrolled, on=date(2025, 8, 2))


def test_a_stage_step_keeps_the_day_it_happened(db, enrolled):
    enrolments.move_stage(db, None, enrolled, 3, on=date(2025, 9, 2))
    step = enrolled.stage_changes[-1]
    assert step.occurred_on == date(2025, 9, 2)
    assert step.at.date() == date.today()  # recorded now
    with pytest.raises(MentoringError) as early:
        enrolments.move_stage(db, None, enrolled, 2, note="mundur", on=date(2025, 8, 1))
    assert "1 Agustus 2025" in early.value.message
    with pytest.raises(MentoringError):
        enrolments.move_stage(db, None, enrolled, 2, note="mundur",
                              on=date.today() + timedelta(days=3))
    enrolments.move_stage(db, None, enrolled, 2, note="mundur")
    assert enrolled.stage_changes[-1].occurred_on == date.today()  # default today


def test_the_api_and_pages_take_and_show_the_day_a_step_happened(client, make_user, db, enrolled):
    make_user("admin.dpmd", "admin")
    login(client, "admin.dpmd")
    moved = client.post(f"/api/v1/enrolments/{enrolled.id}/stage",
                        json={"tahap": 3, "tanggal": "2025-09-02"},
                        headers={"X-CSRF-Token": csrf_of(client)})
    assert moved.status_code == 200, moved.text
    assert moved.json()["riwayat_tahap"][-1]["tanggal"] == "2025-09-02"
    page = client.post(f"/pendampingan/peserta/{enrolled.id}/tahap",
                       data={"tahap": "4", "tanggal": "2025-10-06",
                             "csrf_token": csrf_of(client)}, follow_redirects=True)
    assert page.status_code == 200
    assert "6 Okt 2025" in page.text and "2 Sep 2025" in page.text
    story = client.get(f"/pendampingan/umkm/{enrolled.umkm_id}/kisah-sukses").text
    assert "6 Okt 2025" in story and "2 Sep 2025" in story
    refused = client.post(f"/api/v1/enrolments/{enrolled.id}/outcomes",
                          json={"tanggal": "2025-08-01", "omzet_bulanan": 1},
                          headers={"X-CSRF-Token": csrf_of(client)})
    assert refused.status_code == 400
    assert "1 Agustus 2025" in refused.json()["error"]["message"]
