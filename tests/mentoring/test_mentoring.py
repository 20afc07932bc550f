"""Economic mentoring: staged by need, graduation only on explicit criteria, history kept."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mitradesa.errors import ConflictError, PermissionDeniedError
from mitradesa.mentoring import beneficiaries, enrolments, markets, outcomes, programs, queries
from mitradesa.mentoring.errors import GraduationRefusedError, MentoringError
from mitradesa.mentoring.stages import DEFAULT_NEEDS, place
from tests.conftest import LOH_SUMBER, SEPATIN, SUNGAI_MERIAM

KK = "6402040101230001"
NIK = "6402045506800002"


def household(db, kk=KK, welfare="prasejahtera", village=SEPATIN, nik=NIK, income=1_200_000):
    return beneficiaries.register_household(
        db, None, kk_number=kk, head_name="Siti Aminah", head_nik=nik, village_code=village,
        welfare_class=welfare, members=4, monthly_income_rupiah=income)


def umkm(db, nik=NIK, village=SEPATIN):
    return beneficiaries.register_umkm(
        db, None, name="Kerupuk Udang Sepatin", owner_name="Siti Aminah", owner_nik=nik,
        village_code=village, sector="olahan pangan", products="kerupuk udang",
        employees=2, monthly_turnover_rupiah=3_000_000)


def program(db, target="umkm", criteria=None, villages=(SEPATIN, SUNGAI_MERIAM)):
    return programs.create_program(
        db, None, name=f"Pendampingan {target}", funder="apbd", target_type=target,
        village_codes=list(villages), budget_rupiah=100_000_000,
        graduation_criteria=criteria or [{"kind": "omzet_minimal", "value": 10_000_000},
                                         {"kind": "kontrak_pembeli"},
                                         {"kind": "legalitas", "value": "pirt"}])


def test_kk_must_have_16_digits_and_is_registered_once(db):
    with pytest.raises(MentoringError, match="Nomor KK harus 16 angka"):
        household(db, kk="12345")
    first = household(db)
    with pytest.raises(ConflictError, match=f"rumah tangga nomor {first.id}"):
        household(db, village=LOH_SUMBER)


def test_enrolment_keeps_a_baseline_and_assessment_places_by_first_unmet_need(db):
    business = umkm(db)
    enrolment = enrolments.enrol(db, None, program(db), on=date(2025, 1, 10), umkm_id=business.id)
    assert enrolment.stage == 1 and enrolment.outcomes[0].monthly_turnover_rupiah == 3_000_000
    enrolments.assess(db, None, enrolment, on=date(2025, 1, 20),
                    answers={"produksi": True, "mutu_legalitas": False, "akses_pasar": False})
    assert enrolment.stage == 3  # quality and legality
    assert [c.to_stage for c in enrolment.stage_changes] == [1, 3]


def test_graduation_is_refused_until_every_criterion_holds(db):
    business = umkm(db)
    enrolment = enrolments.enrol(db, None, program(db), on=date(2025, 1, 10), umkm_id=business.id)
    with pytest.raises(GraduationRefusedError) as refused:
        enrolments.graduate(db, None, enrolment, on=date(2025, 6, 1))
    assert refused.value.unmet == ["omzet bulanan paling sedikit Rp10.000.000",
                                   "memiliki kontrak pasok dengan pembeli",
                                   "memiliki legalitas PIRT"]
    assert "omzet terakhir Rp3.000.000" in refused.value.message
    beneficiaries.update_umkm(db, None, business, pirt="P-IRT 2066402010123")
    outcomes.record_outcome(db, None, enrolment, measured_on=date(2025, 9, 1),
                            monthly_turnover_rupiah=12_500_000, employees=5)
    buyer = markets.create_buyer(db, None, name="Hotel Tepian Mahakam", kind="hotel")
    markets.create_contract(db, None, buyer_id=buyer.id, umkm_id=business.id,
                             product="kerupuk udang", price_rupiah=85_000,
                             start_date=date(2025, 8, 1), volume_per_month=60)
    enrolments.graduate(db, None, enrolment, on=date(2025, 10, 1))
    assert (enrolment.status, enrolment.stage, enrolment.leave_reason) == ("lulus", 5, "lulus")
    with pytest.raises(MentoringError, match="sudah lulus"):
        enrolments.move_stage(db, None, enrolment, 2, note="x")


def test_the_last_stage_is_reached_only_through_graduation(db):
    enrolment = enrolments.enrol(db, None, program(db), on=date(2025, 1, 10),
                               umkm_id=umkm(db).id)
    with pytest.raises(MentoringError, match="lewat kelulusan"):
        enrolments.move_stage(db, None, enrolment, 5)
    enrolments.move_stage(db, None, enrolment, 4)
    with pytest.raises(MentoringError, match="catatan alasannya"):
        enrolments.move_stage(db, None, enrolment, 2)


def test_leaving_keeps_the_record_with_reason_and_date(db):
    home = household(db)
    plan = program(db, "household", [{"kind": "di_atas_prasejahtera"}])
    enrolment = enrolments.enrol(db, None, plan, on=date(2025, 1, 5), household_id=home.id)
    enrolments.leave(db, None, enrolment, reason="pindah", on=date(2025, 4, 1), note="ke Samarinda")
    rows = [queries.enrolment_row(e, None) for e in queries.program_enrolments(db, plan, None)]
    assert rows[0]["status"] == "keluar" and rows[0]["alasan_keluar"] == "pindah"
    assert rows[0]["keluar"] == "2025-04-01"


def test_household_graduates_when_it_rises_above_prasejahtera(db):
    home = household(db)
    plan = program(db, "household", [{"kind": "di_atas_prasejahtera"},
                                     {"kind": "pendapatan_minimal", "value": 2_500_000}])
    enrolment = enrolments.enrol(db, None, plan, on=date(2025, 1, 5), household_id=home.id)
    with pytest.raises(GraduationRefusedError):
        enrolments.graduate(db, None, enrolment, on=date(2025, 6, 1))
    outcomes.record_outcome(db, None, enrolment, measured_on=date(2025, 12, 1),
                            household_income_rupiah=2_800_000, welfare_class="ks1")
    enrolments.graduate(db, None, enrolment, on=date(2025, 12, 2))
    assert home.welfare_class == "ks1" and enrolment.status == "lulus"


def test_wrong_target_and_village_outside_the_program_are_refused(db):
    plan = program(db, villages=(SUNGAI_MERIAM,))
    with pytest.raises(MentoringError, match="bukan desa sasaran"):
        enrolments.enrol(db, None, plan, on=date(2025, 1, 1), umkm_id=umkm(db).id)
    with pytest.raises(MentoringError, match="untuk UMKM"):
        enrolments.enrol(db, None, plan, on=date(2025, 1, 1), household_id=household(db).id)


def test_dashboard_counts_stages_graduation_rate_and_turnover_change(db):
    plan = program(db, criteria=[{"kind": "omzet_minimal", "value": 5_000_000}])
    done = enrolments.enrol(db, None, plan, on=date(2025, 1, 1), umkm_id=umkm(db).id)
    outcomes.record_outcome(db, None, done, measured_on=date(2025, 6, 1),
                            monthly_turnover_rupiah=7_000_000)
    enrolments.graduate(db, None, done, on=date(2025, 6, 2))
    other = beneficiaries.register_umkm(db, None, name="Amplang Bu Rini", owner_name="Rini",
                                   village_code=SUNGAI_MERIAM, monthly_turnover_rupiah=1_000_000)
    busy = enrolments.enrol(db, None, plan, on=date(2025, 1, 1), umkm_id=other.id)
    enrolments.move_stage(db, None, busy, 2)
    outcomes.record_outcome(db, None, busy, measured_on=date(2025, 6, 1),
                            monthly_turnover_rupiah=2_000_000)
    board = queries.dashboard(db, plan, None)
    assert dict(board.per_stage)["Keterampilan dasar / produksi"] == 1
    assert dict(board.per_stage)["Mandiri (lulus)"] == 1
    assert board.graduation_rate == 0.5
    assert (board.change.count, board.change.median) == (2, 2_500_000)
    assert [k.name for k in board.by_kecamatan] == ["Anggana"]


def test_people_in_several_programs_and_unreached_prasejahtera_are_listed(db):
    home = household(db)
    business = umkm(db)  # the same person (NIK) owns the business
    enrolments.enrol(db, None, program(db, "household", [{"kind": "di_atas_prasejahtera"}]),
                   on=date(2025, 1, 1), household_id=home.id)
    enrolments.enrol(db, None, program(db), on=date(2025, 1, 1), umkm_id=business.id)
    lonely = household(db, kk="6402040101230009", nik="6402045506800009", village=SUNGAI_MERIAM)
    several = queries.served_by_several(db)
    assert [p.key for p in several] == [f"NIK {NIK}"]
    assert len(several[0].programs) == 2
    assert [h.id for h in queries.unreached_prasejahtera(db)] == [lonely.id]


def test_nik_is_masked_for_roles_that_do_not_need_it(db, make_user):
    enrolment = enrolments.enrol(db, None, program(db), on=date(2025, 1, 1), umkm_id=umkm(db).id)
    viewer = make_user("lihat", "viewer", [])
    pendamping = make_user("pendamping", "pendamping", [SEPATIN])
    assert queries.enrolment_row(enrolment, viewer)["nik"] == "************0002"
    assert queries.enrolment_row(enrolment, pendamping)["nik"] == NIK


def test_an_operator_cannot_register_in_another_village(db, make_user):
    operator = make_user("op.sepatin", "operator_desa", [SEPATIN])
    with pytest.raises(PermissionDeniedError):
        beneficiaries.register_umkm(db, operator, name="X", owner_name="Y", village_code=LOH_SUMBER)


def test_success_story_is_built_from_records(db):
    business = umkm(db)
    enrolment = enrolments.enrol(db, None, program(db), on=date(2025, 1, 10), umkm_id=business.id)
    outcomes.record_outcome(db, None, enrolment, measured_on=date(2025, 9, 1),
                            monthly_turnover_rupiah=12_500_000)
    buyer = markets.create_buyer(db, None, name="Hotel Tepian Mahakam", kind="hotel")
    contract = markets.create_contract(db, None, buyer_id=buyer.id, umkm_id=business.id,
                                        product="kerupuk udang", price_rupiah=85_000,
                                        start_date=date(2025, 8, 1))
    markets.record_delivery(db, None, contract, delivered_on=date(2025, 8, 15), volume=60,
                             value_rupiah=5_100_000)
    story = queries.success_story(db, business)
    assert story.baseline.monthly_turnover_rupiah == 3_000_000
    assert story.latest.monthly_turnover_rupiah == 12_500_000
    assert story.delivered_value == 5_100_000 and story.delivered_volume == {"kg": 60}


@given(st.dictionaries(st.sampled_from([n[0] for n in DEFAULT_NEEDS]), st.booleans()))
def test_placement_never_graduates_and_follows_the_first_unmet_need(answers):
    stage = place(answers)
    assert 2 <= stage <= 4
    unmet = [n[1] for n in DEFAULT_NEEDS if not answers.get(n[0], False)]
    assert stage == (min(unmet) if unmet else 4)
