"""Synthetic IDM scores for Kutai Kartanegara's desa, 2019–2024.

The status counts per year follow the published Kukar counts where they are known (2023:
76 Mandiri, 69 Maju, 48 Berkembang; 2024: 87, 83, 23) and a plausible rise before. Each
village keeps its place in a fixed ranking, so no village falls back from year to year. The
scores are made up; the results are stored with figures_source = "demo".
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from mitradesa.db.base import utcnow
from mitradesa.db.bulk import insert_rows
from mitradesa.db.codes import under
from mitradesa.idm import compute, load_scheme
from mitradesa.idm_records.models import IdmResult
from mitradesa.regions.models import Region

REGION = "64.02"
SEED = 6402
# Per year: MANDIRI, MAJU, BERKEMBANG, TERTINGGAL, SANGAT TERTINGGAL (193 desa).
STATUS_COUNTS: dict[int, tuple[int, int, int, int, int]] = {
    2019: (8, 41, 117, 27, 0),
    2020: (14, 55, 107, 17, 0),
    2021: (33, 68, 84, 8, 0),
    2022: (58, 72, 60, 3, 0),
    2023: (76, 69, 48, 0, 0),  # published
    2024: (87, 83, 23, 0, 0),  # published
}
ORDER = ("MANDIRI", "MAJU", "BERKEMBANG", "TERTINGGAL", "SANGAT TERTINGGAL")

Progress = Callable[[int, int, str], None]


def _noop(done: int, total: int, stage: str) -> None:
    del done, total, stage


def _bands() -> dict[str, tuple[float, float]]:
    scheme = load_scheme()
    bands: dict[str, tuple[float, float]] = {}
    lower = 0.0
    for status in scheme.statuses:
        bands[status.name] = (lower, min(status.upper, 1.0))
        lower = status.upper
    return bands


def scores_for(status: str, rng: np.random.Generator) -> list[int]:
    """50 scores whose IDM falls inside `status`, near a random point of its band."""
    low, high = _bands()[status]
    target = rng.uniform(low + 0.2 * (high - low), high - 0.2 * (high - low))
    scores = np.clip(np.rint(rng.normal(target * 5, 1.1, 50)), 0, 5).astype(int)
    for _ in range(400):
        figures = compute(scores.tolist())
        if figures.status == status and abs(figures.idm - target) < 0.02:
            break
        position = int(rng.integers(50))
        step = 1 if figures.idm < target else -1
        scores[position] = int(np.clip(scores[position] + step, 0, 5))
    if compute(scores.tolist()).status != status:
        raise RuntimeError(f"could not draw scores for {status}")  # never seen; a safety net
    return scores.tolist()


def load_demo_idm(session: Session, progress: Progress = _noop) -> int:
    """Insert the demo village-years that are not stored yet; returns how many were added."""
    villages = list(session.scalars(
        select(Region.code).where(under(Region.code, REGION), Region.kind == "desa",
                                  Region.active.is_(True)).order_by(Region.code)
    ))
    existing = set(session.execute(
        select(IdmResult.village_code, IdmResult.year).where(
            under(IdmResult.village_code, REGION))
    ).all())
    rng = np.random.default_rng(SEED)
    ranking = list(rng.permutation(villages))  # best first, the same every year
    rows = []
    total = len(STATUS_COUNTS) * len(ranking)
    now = utcnow()
    for step, (year, counts) in enumerate(sorted(STATUS_COUNTS.items())):
        statuses = [s for s, n in zip(ORDER, counts, strict=True) for _ in range(n)]
        statuses += [ORDER[-2]] * (len(ranking) - len(statuses))
        progress(step * len(ranking), total, "membuat data IDM demo")
        for code, status in zip(ranking, statuses, strict=False):
            if (code, year) in existing:
                continue
            scores = scores_for(status, rng)
            figures = compute(scores)
            rows.append({
                "village_code": code, "year": year, "scheme": "idm2016", "given_code": code,
                "scores": "".join(map(str, scores)), "iks": figures.iks, "ike": figures.ike,
                "ikl": figures.ikl, "idm": figures.idm, "status": figures.status,
                "target_status": figures.target_status, "skor_minimal": figures.skor_minimal,
                "penambahan": figures.penambahan, "figures_source": "demo",
                "discrepancy": None, "import_id": None, "updated_at": now,
            })
    progress(total, total, "membuat data IDM demo")
    return insert_rows(session, IdmResult.__table__, rows)
