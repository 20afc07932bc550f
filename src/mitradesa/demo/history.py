"""Earlier demo interventions, so the contribution analysis has years before and after a
start within the demo IDM (2019–2024): a farmer field school partnership in six desa of
Sebulu (2021–2022, completed and evaluated) and a mentoring program for fish-processing
groups in six desa of Kembang Janggut (from 2022).

Made up like the rest of the demo and marked demo. The demo IDM was drawn without any
effect of these interventions, so whatever the analysis finds on them is noise: they show
how the analysis works, not what the interventions did.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from mitradesa.demo import DEMO_LABEL
from mitradesa.demo.partnerships import CONTENT, NOTE, _date_events, _upload
from mitradesa.mentoring import beneficiaries, enrolments, programs
from mitradesa.mentoring.models import Program
from mitradesa.partnerships import services
from mitradesa.partnerships.models import Agreement

NUMBER = "DEMO/PKS/03/2021"
PROGRAM = "Pendampingan Kelompok Pengolah Ikan Kembang Janggut"
# Sebulu: Segihan, Sumber Sari, Giri Agung, Sanggulan, Lekaq Kidau, Mekar Jaya.
FIELD_SCHOOL = ["64.02.07.2006", "64.02.07.2007", "64.02.07.2009", "64.02.07.2012",
                "64.02.07.2013", "64.02.07.2014"]
# Kembang Janggut: Genting Tanah, Loa Sakoh, Hambau, Kelekat, Long Beleh Modang, Muai.
FISH_GROUPS = {"64.02.10.2001": "Genting Tanah", "64.02.10.2002": "Loa Sakoh",
               "64.02.10.2003": "Hambau", "64.02.10.2005": "Kelekat",
               "64.02.10.2008": "Long Beleh Modang", "64.02.10.2009": "Muai"}
STEPS = (
    ("penawaran", (("keputusan_musdes", "Berita acara Musyawarah Desa"),
                   ("rkp_desa", "Kutipan RKP Desa 2021"),
                   ("analisis_biaya_manfaat", "Catatan analisis biaya dan manfaat"),
                   ("kak", "Kerangka Acuan Kerja"))),
    ("penyusunan", (("surat_penawaran", "Surat penawaran kerja sama"),)),
    ("penandatanganan", (("draf_perjanjian", "Rancangan perjanjian"),)),
    ("pelaksanaan", (("perjanjian_ditandatangani", "Perjanjian bertanda tangan"),)),
    ("evaluasi", ()),
    ("selesai", (("laporan_evaluasi", "Laporan evaluasi"),)),
)


def _field_school(session: Session, store: Path) -> None:
    school = services.create_partner(
        session, None, name="Yayasan Tani Lestari Kukar (demo)", kind="yayasan_lsm",
        sectors=["pertanian", "pendampingan_usaha"], area_codes=["64.02.07"], notes=NOTE)
    agreement = services.create_agreement(
        session, None, title="PKS Sekolah Lapang Pertanian Sebulu 2021–2022", number=NUMBER,
        partner_ids=[school.id], village_codes=FIELD_SCHOOL, scope=["pertanian"], demo=True,
        value_rupiah=540_000_000, start_date=date(2021, 3, 1), end_date=date(2022, 12, 31),
        **{**CONTENT,
           "ruang_lingkup": "Sekolah lapang padi dan jagung, alat pascapanen, kelompok tani.",
           "pendanaan": "Dana hibah yayasan; bukan dari APB Desa."})
    for stage, documents in STEPS:
        for kind, title in documents:
            _upload(session, agreement, kind, store, title)
        if stage == "pelaksanaan":
            services.update_agreement(session, None, agreement, signed_on=date(2021, 2, 15))
            services.add_commitment(
                session, None, agreement, activity="Sekolah lapang padi dan jagung",
                budget_rupiah=360_000_000, partner_id=school.id, village_codes=FIELD_SCHOOL,
                indicators=["IKE 1"], due_date=date(2022, 12, 31))
            services.add_commitment(
                session, None, agreement, activity="Alat pascapanen untuk kelompok tani",
                budget_rupiah=180_000_000, partner_id=school.id,
                village_codes=FIELD_SCHOOL[:3], indicators=["IKE 9"],
                due_date=date(2022, 6, 30))
        if stage == "evaluasi":
            first, second = agreement.commitments
            services.add_report(session, None, agreement, reported_on=date(2021, 9, 30),
                                summary="Sekolah lapang musim pertama: 180 petani di enam desa.",
                                spent_rupiah=170_000_000, commitment_id=first.id,
                                progress_percent=50)
            services.add_report(session, None, agreement, reported_on=date(2022, 11, 30),
                                summary="Musim kedua selesai; tiga kelompok tani menerima "
                                        "pengering jagung.", spent_rupiah=350_000_000,
                                commitment_id=second.id, progress_percent=100)
        if stage == "selesai":
            services.record_evaluation(
                session, None, agreement, evaluated_on=date(2023, 2, 20), rating=4,
                summary=f"Kegiatan terlaksana sesuai rencana ({DEMO_LABEL}).",
                recommendation="Lanjutkan dengan pemasaran hasil panen bersama BUMDes.")
        services.advance(session, None, agreement, stage)
    _date_events(agreement, [date(2020, 10, 5), date(2020, 11, 2), date(2020, 12, 7),
                             date(2021, 1, 25), date(2021, 2, 15), date(2023, 1, 10),
                             date(2023, 2, 20)])


def _fish_groups(session: Session) -> None:
    program = programs.create_program(
        session, None, name=PROGRAM, funder="apbd", target_type="group",
        village_codes=list(FISH_GROUPS), budget_rupiah=300_000_000,
        start_date=date(2022, 2, 1), end_date=date(2026, 12, 31),
        graduation_criteria=[{"kind": "omzet_minimal", "value": 15_000_000},
                             {"kind": "kontrak_pembeli"}], demo=True)
    for number, (code, village) in enumerate(FISH_GROUPS.items()):
        group = beneficiaries.create_group(
            session, None, name=f"Kelompok Pengolah Ikan {village} (demo)", village_code=code,
            sector="olahan hasil perikanan", products="ikan asin, abon ikan", demo=True)
        enrolment = enrolments.enrol(session, None, program, on=date(2022, 2, 15),
                                    group_id=group.id)
        enrolments.move_stage(session, None, enrolment, 2 + number % 3, on=date(2022, 6, 1))


def load_demo_history(session: Session, store: Path) -> bool:
    """Create the earlier interventions once; False when they are already there."""
    created = False
    if not session.scalar(select(Agreement.id).where(Agreement.number == NUMBER)):
        _field_school(session, store)
        created = True
    if not session.scalar(select(Program.id).where(Program.name == PROGRAM,
                                                   Program.demo.is_(True))):
        _fish_groups(session)
        created = True
    session.flush()
    return created
