"""Builders for partnership tests: a partner, an agreement, documents that pass the checks."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from mitradesa.partnerships import services
from mitradesa.partnerships.lifecycle import PER_VILLAGE_DOCUMENTS, REQUIRED_DOCUMENTS
from tests.conftest import LOH_SUMBER, SEPATIN

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
CONTENT = {
    "ruang_lingkup": "Penguatan UMKM dan produktivitas pertanian",
    "bidang": "Ekonomi desa",
    "tata_cara_pelaksanaan": "Pendampingan bulanan oleh mitra bersama pendamping desa",
    "hak_kewajiban": "Mitra membiayai pelatihan; desa menyediakan peserta dan tempat",
    "pendanaan": "Dana CSR mitra",
    "value_rupiah": 750_000_000,
    "tata_cara_perubahan": "Adendum atas kesepakatan para pihak",
    "penyelesaian_perselisihan": "Musyawarah, lalu mediasi oleh DPMD",
    "start_date": date(2025, 9, 1),
    "end_date": date(2027, 8, 31),
}


def partner(db, name: str = "PT Tambang Contoh", sectors=("umkm", "pertanian")):
    return services.create_partner(db, None, name=name, kind="csr_swasta",
                                   sectors=list(sectors), area_codes=[SEPATIN[:8]])


def agreement(db, partners, villages=(SEPATIN, LOH_SUMBER), **content):
    return services.create_agreement(
        db, None, title="Penguatan ekonomi desa", partner_ids=[p.id for p in partners],
        village_codes=list(villages), scope=["umkm", "pertanian"], **content,
    )


def upload(db, agreement, kind: str, store: Path, content: bytes = PDF, villages=()):
    return services.add_document(db, None, agreement, kind=kind, filename=f"{kind}.pdf",
                                 content=content + kind.encode() + "".join(villages).encode(),
                                 store_dir=store, village_codes=list(villages))


def upload_for(db, agreement, stage: str, store: Path) -> None:
    """What `stage` needs; a document each village makes is uploaded once per village."""
    for kind in REQUIRED_DOCUMENTS.get(stage, ()):
        if kind in PER_VILLAGE_DOCUMENTS:
            for code in agreement.village_codes:
                upload(db, agreement, kind, store, villages=[code])
        else:
            upload(db, agreement, kind, store)


def walk_to(db, agreement, stage: str, store: Path) -> None:
    """Take an agreement with full content forward to `stage`, supplying what each step needs."""
    order = ["penawaran", "penyusunan", "penandatanganan", "pelaksanaan", "evaluasi", "selesai"]
    for target in order[: order.index(stage) + 1]:
        upload_for(db, agreement, target, store)
        if target == "pelaksanaan":
            # signed on 20 August 2025, or on its last day if it ended before then
            signed = min(date(2025, 8, 20), agreement.end_date or date.max)
            services.update_agreement(db, None, agreement, signed_on=signed)
            services.add_commitment(db, None, agreement, activity="Pelatihan pemasaran daring",
                                    budget_rupiah=150_000_000, indicators=["IKE 1", "IKE 9"])
        if target == "evaluasi":
            services.add_report(db, None, agreement, reported_on=date(2025, 12, 1),
                                summary="Pelatihan angkatan pertama", spent_rupiah=40_000_000)
        if target == "selesai":
            services.record_evaluation(db, None, agreement, evaluated_on=date(2027, 9, 1),
                                       summary="Tercapai", rating=4)
        # closing before the end date needs a reason
        services.advance(db, None, agreement, target,
                         "Ditutup lebih awal untuk pengujian" if target == "selesai" else "")
