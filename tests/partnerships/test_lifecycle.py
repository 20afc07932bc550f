"""The agreement lifecycle: each step needs what Permendagri 96/2017 asks; refusals say what
is missing."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mitradesa.errors import PermissionDeniedError
from mitradesa.partnerships import services
from mitradesa.partnerships.errors import PartnershipError, TransitionRefusedError
from mitradesa.partnerships.lifecycle import FORWARD, AgreementFacts, missing_for, next_stages
from mitradesa.partnerships.vocab import STAGES
from tests.conftest import SUNGAI_MERIAM
from tests.partnerships.fixtures import CONTENT, PNG, agreement, partner, upload, walk_to


def test_agreement_cannot_be_offered_without_musdes_rkp_cost_benefit_and_kak(db, tmp_path):
    deal = agreement(db, [partner(db)])
    upload(db, deal, "kak", tmp_path)
    with pytest.raises(TransitionRefusedError) as refused:
        services.advance(db, None, deal, "penawaran")
    assert refused.value.missing == [
        "dokumen: Berita acara / keputusan Musyawarah Desa desa Sepatin",
        "dokumen: Berita acara / keputusan Musyawarah Desa desa Loh Sumber",
        "dokumen: Kutipan RKP Desa yang memuat kerja sama desa Sepatin",
        "dokumen: Kutipan RKP Desa yang memuat kerja sama desa Loh Sumber",
        "dokumen: Catatan analisis biaya dan manfaat",
    ]
    assert "Belum dapat masuk tahap Penawaran" in refused.value.message
    assert deal.stage == "persiapan"


def test_agreement_cannot_be_signed_without_its_minimum_content(db, tmp_path):
    deal = agreement(db, [partner(db)], ruang_lingkup="UMKM", bidang="Ekonomi")
    walk_to(db, deal, "penyusunan", tmp_path)
    upload(db, deal, "draf_perjanjian", tmp_path)
    with pytest.raises(TransitionRefusedError) as refused:
        services.advance(db, None, deal, "penandatanganan")
    assert "isi perjanjian: hak dan kewajiban" in refused.value.missing
    assert "isi perjanjian: jangka waktu (tanggal mulai dan selesai)" in refused.value.missing
    assert "isi perjanjian: ruang lingkup" not in refused.value.missing


def test_a_complete_agreement_walks_from_persiapan_to_selesai_with_a_timeline(db, tmp_path):
    deal = agreement(db, [partner(db)], **CONTENT)
    walk_to(db, deal, "selesai", tmp_path)
    assert deal.stage == "selesai"
    assert [e.to_stage for e in deal.events] == list(FORWARD)
    with pytest.raises(TransitionRefusedError):
        services.advance(db, None, deal, "perubahan", note="terlambat")


def test_execution_needs_the_signed_agreement_a_signing_date_and_a_commitment(db, tmp_path):
    deal = agreement(db, [partner(db)], **CONTENT)
    walk_to(db, deal, "penandatanganan", tmp_path)
    with pytest.raises(TransitionRefusedError) as refused:
        services.advance(db, None, deal, "pelaksanaan")
    assert refused.value.missing == [
        "tanggal penandatanganan", "sedikitnya satu komitmen kegiatan",
        "dokumen: Perjanjian yang sudah ditandatangani",
    ]


def test_content_is_locked_once_signing_starts_and_changes_through_an_amendment(db, tmp_path):
    deal = agreement(db, [partner(db)], **CONTENT)
    walk_to(db, deal, "pelaksanaan", tmp_path)
    with pytest.raises(PartnershipError, match="terkunci"):
        services.update_agreement(db, None, deal, value_rupiah=900_000_000)
    with pytest.raises(TransitionRefusedError, match="alasan perubahan"):
        services.advance(db, None, deal, "perubahan")
    services.advance(db, None, deal, "perubahan", note="Tambah desa Sungai Meriam")
    services.update_agreement(db, None, deal, village_codes=[*deal.village_codes, SUNGAI_MERIAM])
    with pytest.raises(TransitionRefusedError, match="Adendum"):
        services.advance(db, None, deal, "pelaksanaan")
    upload(db, deal, "adendum", tmp_path)
    services.advance(db, None, deal, "pelaksanaan")
    assert deal.stage == "pelaksanaan" and SUNGAI_MERIAM in deal.village_codes


def test_termination_needs_a_reason_and_ends_the_agreement(db):
    deal = agreement(db, [partner(db)])
    with pytest.raises(TransitionRefusedError, match="alasan pengakhiran"):
        services.advance(db, None, deal, "diakhiri")
    services.advance(db, None, deal, "diakhiri", note="Mitra menarik diri")
    assert deal.stage == "diakhiri" and deal.termination_reason == "Mitra menarik diri"
    with pytest.raises(PartnershipError, match="tidak dapat diubah"):
        services.update_agreement(db, None, deal, title="Baru")


def test_reports_come_only_during_execution(db):
    deal = agreement(db, [partner(db)])
    with pytest.raises(PartnershipError, match="tahap pelaksanaan atau evaluasi"):
        services.add_report(db, None, deal, reported_on=date(2025, 10, 1), summary="x")


def test_uploads_are_checked_by_content_not_name(db, tmp_path):
    deal = agreement(db, [partner(db)])
    with pytest.raises(PartnershipError, match="hanya PDF, JPEG, PNG"):
        services.add_document(db, None, deal, kind="kak", filename="kak.pdf",
                              content=b"<html>not a pdf</html>", store_dir=tmp_path)
    photo = services.add_document(db, None, deal, kind="foto", filename="../../etc/foto.png",
                                  content=PNG, store_dir=tmp_path)
    assert photo.content_type == "image/png" and photo.filename == "foto.png"
    assert photo.size == len(PNG) and len(photo.sha256) == 64


def test_a_mitra_of_another_partner_may_not_report_or_change(db, make_user):
    ours, theirs = partner(db), partner(db, "Yayasan Lain")
    deal = agreement(db, [ours])
    outsider = make_user("mitra.lain", "mitra", organisation="Yayasan Lain")
    services.add_partner_member(db, None, theirs, outsider)
    with pytest.raises(PermissionDeniedError):
        services.advance(db, outsider, deal, "diakhiri", note="x")
    from mitradesa.partnerships.access import can_see_agreement

    assert not can_see_agreement(db, outsider, deal)
    insider = make_user("mitra.kita", "mitra", organisation="PT Tambang Contoh")
    services.add_partner_member(db, None, ours, insider)
    assert can_see_agreement(db, insider, deal)


stages = st.sampled_from([s for s in STAGES if s not in ("selesai", "diakhiri")])


@given(stages, st.sampled_from(list(STAGES)))
def test_only_listed_next_stages_are_ever_allowed(stage, target):
    facts = AgreementFacts(stage=stage, stage_before_change="pelaksanaan", villages=1,
                           partners=1, scope=1, signed_on=True, commitments=1, reports=1,
                           evaluated=True, documents=frozenset({"adendum"}),
                           filled=frozenset({"ruang_lingkup"}))
    if target not in next_stages(facts):
        assert missing_for(facts, target, note="alasan") != []


@given(stages)
def test_termination_is_possible_from_every_active_stage_with_a_reason(stage):
    facts = AgreementFacts(stage=stage)
    assert missing_for(facts, "diakhiri", note="Mitra menarik diri") == []
    assert missing_for(facts, "diakhiri") == ["alasan pengakhiran"]
