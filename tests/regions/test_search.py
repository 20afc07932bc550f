"""Search finds villages the way people type them."""

from __future__ import annotations

import pytest

from mitradesa.regions.search import search_regions
from tests.conftest import LOH_SUMBER, SEPATIN


def first_code(db, query: str, **kwargs) -> str:
    hits = search_regions(db, query, prefer="64.02", **kwargs)
    assert hits, f"nothing found for {query!r}"
    return hits[0].code


@pytest.mark.parametrize(
    "query", ["sepatin", "Sepatin", "SEPATIN", "sepatn", "sepattin", "Désa Sépatin"]
)
def test_sepatin_is_found_despite_case_misspelling_and_diacritics(db, query):
    assert first_code(db, query) == SEPATIN


@pytest.mark.parametrize("query", ["loa sumber", "Loa Sumber", "loh sumber", "loh sumbr"])
def test_loh_sumber_is_found_by_its_press_spelling(db, query):
    assert first_code(db, query) == LOH_SUMBER


def test_press_spelling_match_names_the_spelling_that_matched(db):
    hit = search_regions(db, "loa sumber", prefer="64.02")[0]
    assert hit.matched == "Loa Sumber"


def test_both_bukit_raya_villages_of_kukar_are_found(db):
    codes = {h.code for h in search_regions(db, "bukit raya", within="64.02")}
    assert {"64.02.13.2016", "64.02.16.2002"} <= codes


def test_a_former_name_finds_the_renamed_village(db):
    assert first_code(db, "karya utama", within="64.02") == "64.02.02.2009"


def test_search_by_code_in_either_form(db):
    assert first_code(db, "6402042001") == SEPATIN
    assert first_code(db, "64.02.04.2001") == SEPATIN


def test_nonsense_finds_nothing(db):
    assert search_regions(db, "qqqqzzzz") == []
    assert search_regions(db, "   ") == []


def test_within_limits_results_to_a_region(db):
    hits = search_regions(db, "sumber sari", within="64.02.19")
    assert hits and all(h.code.startswith("64.02.19.") for h in hits)
