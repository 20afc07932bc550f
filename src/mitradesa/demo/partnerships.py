"""The demo cooperation, modelled on the one DPMD Kukar signed in August 2025: a regency MoU
with a mining company, BAZNAS Kukar and a foundation, for Lung Anai, Loa Sumber (Loh
Sumber), Loa Kulu Kota, Jembayan Tengah and the desa persiapan Loa Duri Seberang; scope UMKM
strengthening, agricultural productivity and community business mentoring.

Names of the partners are made up except BAZNAS; every record is marked demo and labelled.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from mitradesa.demo import DEMO_LABEL
from mitradesa.demo.pdf import simple_pdf
from mitradesa.partnerships import services
from mitradesa.partnerships.lifecycle import PER_VILLAGE_DOCUMENTS
from mitradesa.partnerships.models import Agreement, Mou, Partner
from mitradesa.regions.models import Region
from mitradesa.regions.persiapan import add_desa_persiapan

LUNG_ANAI = "64.02.02.2010"
LOH_SUMBER = "64.02.02.2005"
LOA_KULU_KOTA = "64.02.02.2004"
JEMBAYAN_TENGAH = "64.02.02.2011"
LOA_DURI_ILIR = "64.02.03.2007"
PERSIAPAN_NAME = "Loa Duri Seberang"
NOTE = f"{DEMO_LABEL}: dibuat untuk peragaan, bukan data resmi."

CONTENT = {
    "ruang_lingkup": "Penguatan UMKM, peningkatan produktivitas pertanian dan pendampingan "
                     "usaha masyarakat di desa lingkar tambang.",
    "bidang": "Ekonomi desa",
    "tata_cara_pelaksanaan": "Rencana kerja tahunan disusun bersama desa; kegiatan dilaksanakan "
                             "mitra dengan pendamping desa; laporan triwulanan ke DPMD.",
    "hak_kewajiban": "Mitra mendanai dan melaksanakan kegiatan; desa menyediakan peserta, lahan "
                     "percontohan dan data; DPMD memantau dan mengevaluasi.",
    "pendanaan": "Dana CSR PT Tambang Mahakam Sejahtera dan zakat produktif BAZNAS Kukar; "
                 "bukan dari APB Desa.",
    "tata_cara_perubahan": "Perubahan dengan adendum atas kesepakatan para pihak.",
    "penyelesaian_perselisihan": "Musyawarah; bila tidak tercapai, mediasi oleh DPMD.",
}


def _upload(session: Session, agreement: Agreement, kind: str, store: Path, title: str) -> None:
    """One demo document, or one for each village where each village makes its own."""
    villages = agreement.village_codes if kind in PER_VILLAGE_DOCUMENTS else [None]
    for code in villages:
        content = simple_pdf([DEMO_LABEL, title, agreement.title, *([code] if code else [])])
        services.add_document(session, None, agreement, kind=kind, filename=f"{kind}-demo.pdf",
                              content=content, store_dir=store, title=f"{title} ({DEMO_LABEL})",
                              village_codes=[code] if code else [])


def _persiapan(session: Session) -> str:
    existing = session.scalar(select(Region.code).where(
        Region.parent_code == LOA_DURI_ILIR, Region.name == PERSIAPAN_NAME))
    if existing:
        return existing
    return add_desa_persiapan(session, LOA_DURI_ILIR, PERSIAPAN_NAME).code


def _date_events(agreement: Agreement, days: list[date]) -> None:
    """Demo agreements went through their stages before the moment of loading."""
    for event, day in zip(agreement.events, days, strict=True):
        event.at = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
    agreement.stage_changed_at = agreement.events[-1].at


def load_demo_partnerships(session: Session, store: Path, today: date) -> bool:
    """Create the scenario once; False when it is already there."""
    if session.scalar(select(Mou.id).where(Mou.demo.is_(True))):
        return False
    persiapan = _persiapan(session)
    mine = services.create_partner(
        session, None, name="PT Tambang Mahakam Sejahtera (demo)", kind="csr_swasta",
        sectors=["umkm", "pertanian", "pendampingan_usaha", "lingkungan"],
        area_codes=["64.02.02", "64.02.03"], contact_name="Bagian CSR",
        notes=f"{NOTE} Ring 1 tambang: Loa Kulu dan Loa Janan.",
    )
    baznas = services.create_partner(
        session, None, name="BAZNAS Kabupaten Kutai Kartanegara (demo)",
        kind="baznas_filantropi", sectors=["umkm", "pendampingan_usaha"], notes=NOTE,
    )
    foundation = services.create_partner(
        session, None, name="Yayasan Desa Mandiri Mahakam (demo)", kind="yayasan_lsm",
        sectors=["pertanian", "pendampingan_usaha", "perikanan"], area_codes=["64.02.03"],
        notes=NOTE,
    )
    mou = services.create_mou(
        session, None, title="Nota Kesepahaman Penguatan Ekonomi Desa Lingkar Tambang",
        number="DEMO/NK/08/2025", region_code="64.02", signatory="Bupati Kutai Kartanegara",
        partner_ids=[mine.id, baznas.id, foundation.id], signed_on=date(2025, 8, 14),
        start_date=date(2025, 8, 14), end_date=date(2028, 8, 13),
        scope=["umkm", "pertanian", "pendampingan_usaha"], notes=NOTE, demo=True,
    )
    main = services.create_agreement(
        session, None, title="PKS Penguatan UMKM dan Produktivitas Pertanian Loa Kulu",
        number="DEMO/PKS/01/2025", mou_id=mou.id, partner_ids=[mine.id, baznas.id],
        village_codes=[LUNG_ANAI, LOH_SUMBER, LOA_KULU_KOTA, JEMBAYAN_TENGAH],
        scope=["umkm", "pertanian", "pendampingan_usaha"], demo=True,
        value_rupiah=1_250_000_000, start_date=date(2025, 9, 1), end_date=date(2027, 1, 31),
        **CONTENT,
    )
    for stage, documents in (
        ("penawaran", (("keputusan_musdes", "Berita acara Musyawarah Desa"),
                       ("rkp_desa", "Kutipan RKP Desa 2026"),
                       ("analisis_biaya_manfaat", "Catatan analisis biaya dan manfaat"),
                       ("kak", "Kerangka Acuan Kerja"))),
        ("penyusunan", (("surat_penawaran", "Surat penawaran kerja sama"),)),
        ("penandatanganan", (("draf_perjanjian", "Rancangan perjanjian"),)),
        ("pelaksanaan", (("perjanjian_ditandatangani", "Perjanjian bertanda tangan"),)),
    ):
        for kind, title in documents:
            _upload(session, main, kind, store, title)
        if stage == "pelaksanaan":
            services.update_agreement(session, None, main, signed_on=date(2025, 8, 28))
            services.add_commitment(
                session, None, main, activity="Pelatihan dan pemasaran daring UMKM kerupuk "
                "dan olahan pangan", budget_rupiah=450_000_000, partner_id=baznas.id,
                village_codes=[LOH_SUMBER, LOA_KULU_KOTA], indicators=["IKE 1", "IKE 8"],
                due_date=date(2026, 12, 31))
            services.add_commitment(
                session, None, main, activity="Demplot padi dan hortikultura dengan alat "
                "pascapanen", budget_rupiah=600_000_000, partner_id=mine.id,
                village_codes=[LUNG_ANAI, JEMBAYAN_TENGAH], indicators=["IKE 1", "IKE 9"],
                due_date=date(2026, 12, 31))
            services.add_commitment(
                session, None, main, activity="Pendampingan BUMDes dan koperasi desa",
                budget_rupiah=200_000_000, partner_id=mine.id, indicators=["IKE 9"])
        services.advance(session, None, main, stage, note="")
    first, second, third = main.commitments
    services.add_report(session, None, main, reported_on=date(2025, 12, 15),
                        summary="Pelatihan angkatan 1: 42 pelaku UMKM, 12 mulai berjualan daring.",
                        spent_rupiah=120_000_000, commitment_id=first.id, progress_percent=30)
    services.add_report(session, None, main, reported_on=date(2026, 3, 20),
                        summary="Demplot padi 4 ha di Lung Anai, panen pertama 5,1 ton/ha.",
                        spent_rupiah=210_000_000, commitment_id=second.id,
                        village_code=LUNG_ANAI, progress_percent=40)
    services.add_report(session, None, main, reported_on=date(2026, 6, 30),
                        summary="Dua BUMDes menyusun rencana usaha; koperasi tani terbentuk di "
                                "Jembayan Tengah.", spent_rupiah=60_000_000,
                        commitment_id=third.id, progress_percent=35)
    _date_events(main, [date(2025, 6, 10), date(2025, 7, 1), date(2025, 7, 21),
                        date(2025, 8, 20), date(2025, 8, 28)])
    offer = services.create_agreement(
        session, None, title="PKS Pendampingan Usaha Masyarakat Loa Duri Seberang",
        number="DEMO/PKS/02/2025", mou_id=mou.id, partner_ids=[foundation.id],
        village_codes=[persiapan], scope=["pendampingan_usaha", "pertanian"], demo=True,
    )
    for kind, title in (("keputusan_musdes", "Berita acara Musyawarah Desa"),
                        ("rkp_desa", "Kutipan RKP Desa 2026"),
                        ("analisis_biaya_manfaat", "Catatan analisis biaya dan manfaat"),
                        ("kak", "Kerangka Acuan Kerja")):
        _upload(session, offer, kind, store, title)
    services.advance(session, None, offer, "penawaran")
    _date_events(offer, [today - timedelta(days=120), today - timedelta(days=75)])
    draft = services.create_agreement(
        session, None, title="Rencana kerja sama perikanan Loa Kulu", mou_id=mou.id,
        partner_ids=[foundation.id], village_codes=[JEMBAYAN_TENGAH], scope=["perikanan"],
        demo=True,
    )
    _date_events(draft, [today - timedelta(days=20)])
    session.flush()
    return True


def demo_partner_names(session: Session) -> list[str]:
    return list(session.scalars(select(Partner.name).where(Partner.name.like("%(demo)"))))
