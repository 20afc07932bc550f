"""The demo set: Kukar's published status counts, the August 2025 cooperation, all labelled."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import select

from mitradesa.demo.loading import load_demo
from mitradesa.idm_records.models import IdmResult
from mitradesa.partnerships import queries, reminders
from mitradesa.partnerships.models import Agreement, Mou
from mitradesa.regions.models import Region
from tests.conftest import login

TODAY = date(2026, 11, 23)


def test_demo_idm_matches_the_published_kukar_status_counts(db, tmp_path):
    report = load_demo(db, tmp_path, TODAY)
    assert report.idm_village_years == 193 * 6
    counts = Counter(db.execute(
        select(IdmResult.year, IdmResult.status).where(IdmResult.figures_source == "demo")
    ).all())
    assert (counts[(2023, "MANDIRI")], counts[(2023, "MAJU")], counts[(2023, "BERKEMBANG")]) \
        == (76, 69, 48)
    assert (counts[(2024, "MANDIRI")], counts[(2024, "MAJU")], counts[(2024, "BERKEMBANG")]) \
        == (87, 83, 23)
    again = load_demo(db, tmp_path, TODAY)
    assert again.idm_village_years == 0 and again.partnerships_created is False
    assert again.mentoring_created is False and again.history_created is False


def test_demo_cooperation_covers_the_five_villages_and_is_marked_demo(db, tmp_path):
    load_demo(db, tmp_path, TODAY)
    mou = db.scalar(select(Mou).where(Mou.demo.is_(True)))
    assert mou.signed_on == date(2025, 8, 14) and len(mou.partners) == 3
    agreements = list(db.scalars(select(Agreement).where(Agreement.mou_id == mou.id)))
    assert all(a.demo for a in agreements)
    covered = {code for a in agreements for code in a.village_codes}
    names = set(db.scalars(select(Region.name).where(Region.code.in_(covered))))
    assert {"Lung Anai", "Loh Sumber", "Loa Kulu Kota", "Jembayan Tengah",
            "Loa Duri Seberang"} <= names
    persiapan = db.scalar(select(Region).where(Region.name == "Loa Duri Seberang"))
    assert persiapan.kind == "desa_persiapan"
    main = next(a for a in agreements if a.stage == "pelaksanaan")
    assert set(main.scope) == {"umkm", "pertanian", "pendampingan_usaha"}
    kinds = {r.kind for r in reminders.reminders(queries.visible_agreements(db, None), TODAY)}
    assert kinds == {"berakhir", "laporan_terlambat", "tahap_macet"}


def test_demo_idm_is_labelled_on_the_village_and_region_pages(db, tmp_path, client, make_user):
    load_demo(db, tmp_path, TODAY)
    db.commit()
    make_user("staf", "viewer", [])
    login(client, "staf")
    assert "DATA DEMO (sintetis)" in client.get("/desa/64.02.02.2010/idm").text
    assert "DATA DEMO (sintetis)" in client.get("/desa/64.02.02.2010").text
    region = client.get("/wilayah/64.02/idm").text
    assert "DATA DEMO (sintetis)" in region and "terbitan Kemendes PDTT</span>" not in region


def test_demo_mentoring_tells_the_shrimp_cracker_story_from_records(db, tmp_path):
    from mitradesa.mentoring.models import Umkm
    from mitradesa.mentoring.queries import success_story, unreached_prasejahtera

    load_demo(db, tmp_path, TODAY)
    crackers = db.scalar(select(Umkm).where(Umkm.name.like("Kerupuk Udang%")))
    story = success_story(db, crackers)
    assert story.programs[0].status == "lulus"
    assert story.baseline.monthly_turnover_rupiah < story.latest.monthly_turnover_rupiah
    assert story.contracts[0].buyer.kind == "hotel" and story.delivered_volume == {"kg": 300}
    assert [h.head_name for h in unreached_prasejahtera(db, "64.02")] == ["Wahidah"]


def test_demo_history_gives_the_contribution_analysis_years_before_and_after(db, tmp_path):
    from mitradesa.analysis.interventions import contribution_for_region

    load_demo(db, tmp_path, TODAY)
    result, details = contribution_for_region(db, "64.02")
    assert [(s.start_year, s.treated_villages) for s in details.series] == [(2021, 6), (2022, 6)]
    assert result.overall.treated == 12 and result.overall.comparison == 12
    assert details.demo and [t.name for t in details.later][:1] == ["Sepatin"]  # from 2025
    school = next(t for t in details.treated if t.start_year == 2021).intervention
    assert school.title.startswith("PKS Sekolah Lapang") and school.demo
