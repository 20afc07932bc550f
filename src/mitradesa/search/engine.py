"""The search itself: which sources run for a query, in which order, with how many hits."""

from __future__ import annotations

from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.regions.codes import RegionCodeError, normalize_code
from mitradesa.search import sources
from mitradesa.search.hits import Results
from mitradesa.search.numbers import may_search_numbers, personal_number

MAX_QUERY = 100
BY_NAME = {
    "region": sources.regions,
    "partner": sources.partners,
    "mou": sources.mous,
    "agreement": sources.agreements,
    "umkm": sources.umkm,
    "household": sources.households,
    "group": sources.groups,
}
BY_NUMBER = {"umkm": sources.umkm_by_number, "household": sources.households_by_number}


def search(session: Session, user: User, query: str, *, within: str | None = None,
           limit: int = 10) -> Results:
    """Everything `user` may see that matches `query`, up to `limit` hits of each kind.

    A 16-digit query is a NIK or KK number: looked up exactly, and only for the roles that
    see those numbers whole (`Results.refused` for the others)."""
    text = " ".join(query.split())[:MAX_QUERY]
    results = Results(query=text)
    within = _region_code(within)
    if not text:
        return results
    number = personal_number(text)
    if number is not None:
        results.by_number = True
        if not may_search_numbers(user):
            results.refused = True
            return results
        for kind, find in BY_NUMBER.items():
            results.add(kind, find(session, user, number, within), limit)
        return results
    for kind, find in BY_NAME.items():
        if kind != "region" and not any(ch.isalpha() for ch in text):
            continue  # digits alone are a region code, not a name
        results.add(kind, find(session, user, text, within), limit)
    return results


def _region_code(raw: str | None) -> str | None:
    """`within` as a dotted code; anything that is not a code limits nothing."""
    if not raw or not raw.strip():
        return None
    try:
        return normalize_code(raw)
    except RegionCodeError:
        return None
