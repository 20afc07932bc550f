"""The demo Indeks Desa 2025 of Kukar: 193 desa, Kaltim-like counts, one step from 2024."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from importlib import resources

import numpy as np
from sqlalchemy import select

from mitradesa.demo.idm import load_demo_idm
from mitradesa.demo.indeks_desa import ORDER, draw, load_demo_indeks_desa
from mitradesa.demo.loading import load_demo
from mitradesa.idm.indeks_desa import (
    DIMENSIONS,
    check_levels,
    compute_many,
    scores_from_strings,
    status_of_total,
)
from mitradesa.idm_records.models import IdmResult
from mitradesa.indeks_desa_records.models import IndeksDesaResult
from mitradesa.regions.models import Region

TODAY = date(2026, 12, 7)
KALTIM = {"MANDIRI": 257, "MAJU": 347, "BERKEMBANG": 234, "TERTINGGAL": 3,
          "SANGAT TERTINGGAL": 0}


def _results(db):
    return list(db.scalars(select(IndeksDesaResult).where(
        IndeksDesaResult.village_code.like("64.02.%")).order_by(IndeksDesaResult.village_code)))


def test_kukar_gets_an_indeks_desa_2025_for_its_193_desa_labelled_demo(db):
    load_demo_idm(db)
    assert load_demo_indeks_desa(db) == 193
    results = _results(db)
    assert len(results) == 193 and {r.year for r in results} == {2025}
    assert {r.figures_source for r in results} == {"demo"}
    kinds = set(db.scalars(select(Region.kind).where(
        Region.code.in_([r.village_code for r in results]))))
    assert kinds == {"desa"}  # no kelurahan, no desa persiapan
    counts = Counter(r.status for r in results)
    for status, published in KALTIM.items():
        expected = published / sum(KALTIM.values()) * 193
        assert abs(counts[status] - expected) <= max(3, 0.1 * expected), (status, counts)
    assert counts["SANGAT TERTINGGAL"] == 0


def test_every_village_is_within_one_status_of_its_2024_demo_idm(db):
    load_demo_idm(db)
    load_demo_indeks_desa(db)
    before = dict(db.execute(select(IdmResult.village_code, IdmResult.status).where(
        IdmResult.village_code.like("64.02.%"), IdmResult.year == 2024)).tuples().all())
    moves = Counter((before[r.village_code], r.status) for r in _results(db))
    assert all(abs(ORDER.index(a) - ORDER.index(b)) <= 1 for a, b in moves), moves
    # The two families are different measures: some villages do move, up and down.
    assert moves[("MANDIRI", "MAJU")] > 0 and moves[("MAJU", "MAJU")] > 0


def test_item_scores_are_allowed_levels_and_give_the_stored_figures(db):
    load_demo_idm(db)
    load_demo_indeks_desa(db)
    results = _results(db)
    scores = scores_from_strings([r.scores for r in results])
    assert scores.shape == (193, 127)
    assert check_levels(scores) == []
    figures = compute_many(scores)
    assert [r.total for r in results] == figures.total.tolist()
    assert [r.status for r in results] == list(figures.status_names())
    assert all(r.status == status_of_total(r.total) for r in results)
    assert [r.nilai for r in results] == [round(float(v), 2) for v in figures.nilai]
    for position, dimension in enumerate(DIMENSIONS):
        assert [getattr(r, dimension.key) for r in results] == \
            np.asarray(figures.dimensions)[:, position].tolist()
    # Profiles, not flat lines: items differ within a village and villages differ.
    assert all(len(set(r.scores)) >= 3 for r in results)
    assert len({r.scores for r in results}) == 193


def test_demo_load_adds_the_indeks_desa_once_and_the_same_each_time(db, tmp_path):
    report = load_demo(db, tmp_path, TODAY)
    assert report.indeks_desa_villages == 193
    first = {r.village_code: (r.scores, r.status) for r in _results(db)}
    again = load_demo(db, tmp_path, TODAY)
    assert again.indeks_desa_villages == 0 and again.idm_village_years == 0
    assert {r.village_code: (r.scores, r.status) for r in _results(db)} == first
    # A village removed is drawn again exactly as before (seeded), the others untouched.
    gone = db.scalar(select(IndeksDesaResult).where(
        IndeksDesaResult.village_code == "64.02.04.2001"))
    db.delete(gone)
    db.flush()
    assert load_demo(db, tmp_path, TODAY).indeks_desa_villages == 1
    assert {r.village_code: (r.scores, r.status) for r in _results(db)} == first


def test_the_draw_is_seeded_and_needs_no_shared_data():
    previous = ["MANDIRI"] * 87 + ["MAJU"] * 83 + ["BERKEMBANG"] * 23
    statuses, scores = draw(previous)
    again_statuses, again_scores = draw(previous)
    assert statuses == again_statuses and np.array_equal(scores, again_scores)
    # The profile it draws from is committed in the package: aggregates only, small.
    path = resources.files("mitradesa.demo").joinpath("indeks_desa_profiles.json")
    profile = json.loads(path.read_text(encoding="utf-8"))
    assert len(path.read_bytes()) < 50_000 and "64.02" not in path.read_text(encoding="utf-8")
    assert len(profile["levels"]) == 127
