"""Scores from raw answers: the known grids only, the rest refused with a reason."""

from __future__ import annotations

import pytest

from mitradesa.idm.indeks_desa import IndeksDesaInputError, find_item
from mitradesa.idm.indeks_desa.derive import PROVISIONAL, derive, grids


@pytest.mark.parametrize(("share", "score"), [(0, 1), (20, 1), (20.5, 2), (60, 3), (80.1, 5),
                                              (100, 5)])
def test_the_share_of_children_in_paud_is_scored_in_quintiles(share, score):
    assert derive(3, share).score == score


def test_uninhabitable_houses_are_scored_the_other_way_round():
    assert derive(34, "10%").score == 5
    assert derive(34, "90").score == 1


def test_a_facility_that_is_there_scores_five_and_one_that_is_not_scores_one():
    posyandu = find_item("Ketersediaan Fasilitas Posyandu di Desa")
    assert derive(posyandu.no, "ya").score == 5
    assert derive(posyandu.label, "tidak").score == 1


def test_an_item_whose_grid_is_unknown_is_refused_rather_than_guessed():
    access = find_item("Kemudahan Akses menuju PAUD/ TK/ Sederajat terdekat di Desa")
    assert access.no not in grids()
    with pytest.raises(IndeksDesaInputError, match="kisi penilaiannya belum diketahui"):
        derive(access.no, 3)


def test_the_grids_are_marked_provisional_and_say_what_they_do():
    assert PROVISIONAL
    assert grids()[34].describe().startswith("0–20% → 5")
    assert derive(3, 50).provisional


@pytest.mark.parametrize("answer", ["banyak", "-5", "101"])
def test_an_answer_that_is_not_a_share_is_refused(answer):
    with pytest.raises(IndeksDesaInputError):
        derive(3, answer)
