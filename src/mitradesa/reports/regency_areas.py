"""The summary section of a regency report from the loaded years' arrays: status counts per
year and the rows per area (kecamatan, kabupaten or village). Used for an index family
without the IDM's stored region summary (the Indeks Desa)."""

from __future__ import annotations

from collections import Counter, defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mitradesa.analysis.data import YearData
from mitradesa.db.codes import under
from mitradesa.regions.models import Region


def desa_without_data(session: Session, region: Region, data: YearData) -> int:
    """Desa under the region (the Indeks Desa covers desa only) with no figures this year."""
    total = session.scalar(select(func.count()).select_from(Region).where(
        under(Region.code, region.code), Region.kind == "desa")) or 0
    return max(int(total) - len(data.codes), 0)


def area_rows(session: Session, region: Region, data: YearData) -> tuple[str, list[tuple]]:
    """(label, rows of (code, name, villages, mean value, status counts, status|None)), the
    highest mean first: villages of a kecamatan, kecamatan of a kabupaten, kabupaten of a
    province."""
    if region.kind == "kecamatan":
        rows = [(c, n, 1, float(v), Counter({s: 1}), s) for c, n, v, s in
                zip(data.codes, data.names, data.value, data.status, strict=True)]
        return "Desa", sorted(rows, key=lambda r: (-r[3], r[0]))
    label = "Kabupaten/kota" if region.kind == "provinsi" else "Kecamatan"
    groups: dict[str, list[int]] = defaultdict(list)
    for i, kecamatan in enumerate(data.kecamatan):
        key = kecamatan.rsplit(".", 1)[0] if region.kind == "provinsi" else kecamatan
        groups[key].append(i)
    names = dict(session.execute(select(Region.code, Region.name).where(
        Region.code.in_(list(groups)))).all())
    rows = [(code, names.get(code, code), len(members),
             float(data.value[members].mean()), Counter(data.status[i] for i in members), None)
            for code, members in groups.items()]
    return label, sorted(rows, key=lambda r: (-r[3], r[0]))
