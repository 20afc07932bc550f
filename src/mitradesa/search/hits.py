"""What a search answers: hits of one kind each, ranked, grouped by kind."""

from __future__ import annotations

from dataclasses import dataclass, field

from mitradesa.regions.names import normalize_name

# The kinds in the order their groups are shown.
KINDS = ("region", "partner", "mou", "agreement", "umkm", "household", "group")


@dataclass(frozen=True)
class Hit:
    kind: str  # one of KINDS
    title: str
    href: str
    score: float
    key: str = ""  # the region code or the record's number
    region_kind: str = ""  # regions: desa, kecamatan, …
    matched: str = ""  # regions: the spelling or alias that matched
    place: str = ""  # where it is: the village and kecamatan, or a region's ancestors
    person: str = ""  # the owner or the head of the household
    nik: str = ""  # already masked as the user may see it
    kk: str = ""  # already masked as the user may see it
    note: str = ""  # the partner's kind, the agreement's stage, the sector


@dataclass
class Results:
    query: str
    by_number: bool = False  # the query is a 16-digit NIK or KK number
    refused: bool = False  # … and the user's role may not search by it
    groups: dict[str, list[Hit]] = field(default_factory=dict)  # kind → hits shown
    totals: dict[str, int] = field(default_factory=dict)  # kind → all hits found

    @property
    def count(self) -> int:
        return sum(self.totals.values())

    def add(self, kind: str, hits: list[Hit], limit: int) -> None:
        if not hits:
            return
        ranked = sorted(hits, key=lambda h: (-h.score, h.title.casefold(), h.key))
        self.groups[kind] = ranked[:limit]
        self.totals[kind] = len(ranked)

    def ordered(self) -> list[tuple[str, list[Hit]]]:
        """The group holding the best hit first (a UMKM named "Kerupuk …" before villages
        whose names merely look like "kerupuk"); equal bests keep the order of KINDS."""
        present = [kind for kind in KINDS if kind in self.groups]
        present.sort(key=lambda kind: -self.groups[kind][0].score)
        return [(kind, self.groups[kind]) for kind in present]


def name_score(query: str, *names: str) -> float:
    """How well a name matches: exact beats prefix beats word start beats inside; 0 when
    some word of the query is in none of the names."""
    wanted = normalize_name(query)
    best = 0.0
    for name in names:
        key = normalize_name(name)
        if not key or not wanted:
            continue
        coverage = len(wanted) / max(len(key), 1)
        if key == wanted:
            score = 100.0
        elif key.startswith(wanted):
            score = 86.0 + 10.0 * coverage
        elif f" {wanted}" in f" {key}":
            score = 84.0 + 10.0 * coverage
        elif wanted in key:
            score = 80.0 + 10.0 * coverage
        elif all(word in key for word in wanted.split()):
            score = 70.0 + 10.0 * coverage
        else:
            continue
        best = max(best, score)
    return best
