"""Demo mentoring: an UMKM program funded by the demo partnership, with a shrimp-cracker
business of a coastal village that now supplies hotels, and a household program for
prasejahtera families. Names, numbers (KK, NIK) and figures are made up."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from mitradesa.demo.partnerships import LOA_KULU_KOTA, LOH_SUMBER
from mitradesa.mentoring import beneficiaries, enrolments, markets, outcomes, programs
from mitradesa.mentoring.models import Program
from mitradesa.partnerships.models import Commitment

SEPATIN = "64.02.04.2001"  # a fishing village of the Mahakam delta (Anggana)
UMKM_CRITERIA = [{"kind": "omzet_minimal", "value": 10_000_000}, {"kind": "kontrak_pembeli"},
                 {"kind": "legalitas", "value": "pirt"}]
HOUSEHOLD_CRITERIA = [{"kind": "di_atas_prasejahtera"},
                      {"kind": "pendapatan_minimal", "value": 2_500_000}]


def _kk(village: int, number: int) -> str:
    return f"64020{village:02d}{number:09d}"[:16].ljust(16, "0")


def load_demo_mentoring(session: Session) -> bool:
    """Create the demo programs once; False when they are already there."""
    if session.scalar(select(Program.id).where(Program.demo.is_(True))):
        return False
    training = session.scalar(select(Commitment).where(Commitment.activity.like("Pelatihan%")))
    umkm_program = programs.create_program(
        session, None, name="Pendampingan UMKM Olahan Pangan Pesisir dan Lingkar Tambang",
        funder="kemitraan" if training else "apbd", commitment_id=training.id if training else None,
        funder_note="Komitmen BAZNAS dalam kerja sama demo", target_type="umkm",
        village_codes=[SEPATIN, LOH_SUMBER, LOA_KULU_KOTA], budget_rupiah=450_000_000,
        start_date=date(2025, 9, 1), end_date=date(2027, 1, 31),
        graduation_criteria=UMKM_CRITERIA, demo=True,
    )
    crackers = beneficiaries.register_umkm(
        session, None, name="Kerupuk Udang Bunda Sepatin", owner_name="Hj. Rahmah",
        owner_nik="6402045203780001", village_code=SEPATIN, sector="olahan hasil perikanan",
        products="kerupuk udang, amplang", nib="9120001234567", employees=3,
        capital_rupiah=8_000_000, monthly_turnover_rupiah=4_500_000, demo=True,
    )
    cracker_enrolment = enrolments.enrol(session, None, umkm_program, on=date(2025, 9, 10),
                                       umkm_id=crackers.id)
    enrolments.assess(session, None, cracker_enrolment, on=date(2025, 9, 12),
                    answers={"produksi": True, "mutu_legalitas": False, "akses_pasar": False})
    beneficiaries.update_umkm(session, None, crackers, pirt="2066402010231-30")
    enrolments.move_stage(session, None, cracker_enrolment, 4, note="PIRT terbit",
                          on=date(2026, 1, 20))
    hotel = markets.create_buyer(session, None, name="Hotel Tepian Mahakam (demo)",
                                  kind="hotel", address="Tenggarong", demo=True)
    contract = markets.create_contract(
        session, None, buyer_id=hotel.id, umkm_id=crackers.id, product="kerupuk udang",
        unit="kg", price_rupiah=90_000, volume_per_month=80, start_date=date(2026, 2, 1))
    for month, volume in ((2, 60), (3, 75), (4, 80), (5, 85)):
        markets.record_delivery(session, None, contract, delivered_on=date(2026, month, 25),
                                 volume=volume, value_rupiah=volume * 90_000)
    outcomes.record_outcome(session, None, cracker_enrolment, measured_on=date(2026, 5, 31),
                            monthly_turnover_rupiah=13_800_000, employees=7)
    enrolments.graduate(session, None, cracker_enrolment, on=date(2026, 6, 5))

    enrolled = [cracker_enrolment.id]
    for name, owner, nik, village, turnover, stage in (
        ("Keripik Pisang Loa Kulu", "Suryani", "6402024107850003", LOA_KULU_KOTA, 2_000_000, 2),
        ("Gula Aren Loh Sumber", "Muhammad Yusuf", "6402021506790004", LOH_SUMBER, 3_200_000, 3),
    ):
        business = beneficiaries.register_umkm(
            session, None, name=name, owner_name=owner, owner_nik=nik, village_code=village,
            sector="olahan pangan", monthly_turnover_rupiah=turnover, demo=True)
        enrolment = enrolments.enrol(session, None, umkm_program, on=date(2025, 9, 15),
                                   umkm_id=business.id)
        enrolments.move_stage(session, None, enrolment, stage, on=date(2025, 10, 20))
        enrolled.append(enrolment.id)
        outcomes.record_outcome(session, None, enrolment, measured_on=date(2026, 5, 31),
                                monthly_turnover_rupiah=int(turnover * 1.4))

    for held_on, topic in ((date(2025, 10, 8), "Higiene dan keamanan pangan"),
                           (date(2025, 11, 12), "Pengemasan dan label untuk PIRT"),
                           (date(2026, 1, 21), "Menawarkan produk ke hotel dan toko oleh-oleh")):
        programs.record_session(session, None, umkm_program, held_on=held_on, kind="pelatihan",
                                mentor="Pendamping BAZNAS (demo)", topic=topic,
                                attended=enrolled)

    household_program = programs.create_program(
        session, None, name="Graduasi Keluarga Prasejahtera Pesisir", funder="dana_desa",
        target_type="household", village_codes=[SEPATIN], budget_rupiah=120_000_000,
        start_date=date(2025, 7, 1), end_date=date(2026, 12, 31),
        graduation_criteria=HOUSEHOLD_CRITERIA, demo=True,
    )
    for number, (head, income, served) in enumerate((
        ("Abdul Karim", 1_100_000, True), ("Nurhayati", 900_000, True),
        ("Samsul Bahri", 1_300_000, True), ("Wahidah", 800_000, False),
    ), start=1):
        home = beneficiaries.register_household(
            session, None, kk_number=_kk(4, number), head_name=head, village_code=SEPATIN,
            welfare_class="prasejahtera", members=4, p3ke_decile=1,
            monthly_income_rupiah=income, demo=True)
        if served:
            enrolment = enrolments.enrol(session, None, household_program, on=date(2025, 7, 10),
                                       household_id=home.id)
            enrolments.assess(session, None, enrolment, on=date(2025, 7, 15),
                            answers={"produksi": number != 2, "mutu_legalitas": False})
    session.flush()
    return True
