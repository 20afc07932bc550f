"""IKS, IKE, IKL, IDM, status, target, minimum and increase — exactly as the ministry does.

Rules (verified on every published 2021–2023 village-year):
- each sub-index is the sum of its integer scores over 5 × its size;
- IDM is the mean of the three; the status is classified on the unrounded IDM, bounds
  exclusive below and inclusive above;
- the published figures are those floats printed with 14 significant digits (PHP);
- PENAMBAHAN = float(SKOR_MINIMAL) − the published IDM (negative for MANDIRI);
- NILAI of an indicator = (5 − skor) / (5 · n_index) / 3: the IDM gain of raising it to 5.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mitradesa.idm.errors import IdmInputError
from mitradesa.idm.scheme import Scheme, load_scheme


def published_float(value: float, digits: int = 14) -> float:
    """The float the API shows: `value` printed with `digits` significant digits."""
    return float(f"{value:.{digits}g}")


def classify(idm: float, scheme: Scheme) -> int:
    """Index of the status whose inclusive upper bound first holds `idm`."""
    for position, status in enumerate(scheme.statuses):
        if idm <= status.upper:
            return position
    return len(scheme.statuses) - 1


@dataclass(frozen=True)
class IdmFigures:
    iks: float
    ike: float
    ikl: float
    idm: float
    status: str
    target_status: str
    skor_minimal: str
    penambahan: float
    nilai: tuple[float, ...]

    @property
    def status_code(self) -> int:
        return load_scheme().status_names().index(self.status)


def validate_scores(scores: Sequence[object], scheme: Scheme | None = None) -> list[int]:
    scheme = scheme or load_scheme()
    if len(scores) != scheme.indicator_count:
        raise IdmInputError(
            f"seharusnya {scheme.indicator_count} skor indikator, ada {len(scores)}"
        )
    from mitradesa.idm.catalogue import indicator_label

    clean: list[int] = []
    for position, value in enumerate(scores):
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            else:
                raise IdmInputError(
                    f"{indicator_label(position)}: skor harus bilangan bulat, bukan {value!r}"
                )
        if not 0 <= value <= scheme.max_score:
            raise IdmInputError(
                f"{indicator_label(position)}: skor {value} di luar 0–{scheme.max_score}"
            )
        clean.append(value)
    return clean


def figures_from_sums(sums: Sequence[int], scheme: Scheme) -> tuple[float, ...]:
    """(iks, ike, ikl, idm_raw) unrounded, from the sub-index score sums."""
    raw = [
        total / (scheme.max_score * index.size)
        for total, index in zip(sums, scheme.indices, strict=True)
    ]
    return (*raw, sum(raw) / len(raw))


def nilai_of(score: int, index_size: int, scheme: Scheme) -> float:
    top = scheme.max_score
    return (top - score) / (top * index_size) / len(scheme.indices)


def compute(scores: Sequence[object], scheme_name: str = "idm2016") -> IdmFigures:
    """All published figures of one village-year from its scores in catalogue order."""
    scheme = load_scheme(scheme_name)
    clean = validate_scores(scores, scheme)
    slices = scheme.slices()
    sums = [sum(clean[slices[i.code]]) for i in scheme.indices]
    *parts, idm_raw = figures_from_sums(sums, scheme)
    digits = scheme.significant_digits
    position = classify(idm_raw, scheme)
    status = scheme.statuses[position]
    target = scheme.statuses[min(position + 1, len(scheme.statuses) - 1)]
    idm = published_float(idm_raw, digits)
    sizes = [i.size for i in scheme.indices for _ in range(i.size)]
    return IdmFigures(
        iks=published_float(parts[0], digits),
        ike=published_float(parts[1], digits),
        ikl=published_float(parts[2], digits),
        idm=idm,
        status=status.name,
        target_status=target.name,
        skor_minimal=status.skor_minimal,
        penambahan=float(status.skor_minimal) - idm,
        nilai=tuple(nilai_of(s, n, scheme) for s, n in zip(clean, sizes, strict=True)),
    )


def format_nilai(value: float) -> str:
    """NILAI as the API prints it: 8 decimals, "0" when the indicator is already at 5."""
    return "0" if value == 0 else f"{value:.8f}"
