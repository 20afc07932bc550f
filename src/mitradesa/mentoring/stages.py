"""Stage models, needs assessment and graduation criteria, pure: no database.

A program's stage model is a list of stage names, the last being graduation ("mandiri").
The needs assessment answers yes/no questions, each tied to the stage that meets that need;
a beneficiary is placed at the first stage whose need is not met. Graduation is never a
placement: it happens only when the program's explicit criteria all hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mitradesa.formatting import rupiah
from mitradesa.mentoring.vocab import DEFAULT_STAGES, LEGALITY, WELFARE_CLASSES

# question key → (the stage, 1-based, that meets the need, the question in Indonesian)
DEFAULT_NEEDS: tuple[tuple[str, int, str], ...] = (
    ("produksi", 2, "Sudah berproduksi / punya kegiatan usaha yang berjalan?"),
    ("mutu_legalitas", 3, "Mutu produk dan legalitasnya (NIB, PIRT/halal) sudah memadai?"),
    ("akses_pasar", 4, "Sudah menjual secara teratur ke pembeli tetap?"),
)

CRITERIA_LABELS: dict[str, str] = {
    "omzet_minimal": "omzet bulanan paling sedikit {value}",
    "pendapatan_minimal": "pendapatan rumah tangga bulanan paling sedikit {value}",
    "kontrak_pembeli": "memiliki kontrak pasok dengan pembeli",
    "di_atas_prasejahtera": "kelas kesejahteraan di atas prasejahtera",
    "legalitas": "memiliki legalitas {value}",
    "tenaga_kerja_minimal": "tenaga kerja paling sedikit {value} orang",
}
MONEY_CRITERIA = frozenset({"omzet_minimal", "pendapatan_minimal"})


@dataclass(frozen=True)
class BeneficiaryState:
    """The latest known facts of a beneficiary, as graduation criteria read them."""

    monthly_turnover: int | None = None
    household_income: int | None = None
    welfare_class: str | None = None
    employees: int | None = None
    buyer_contracts: int = 0
    legality: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class CriterionCheck:
    label: str
    met: bool
    detail: str


def _rupiah(value: int) -> str:
    return rupiah(value)


def criterion_label(criterion: dict[str, Any]) -> str:
    kind, value = criterion["kind"], criterion.get("value")
    shown = _rupiah(int(value)) if kind in MONEY_CRITERIA and value is not None else (
        LEGALITY.get(str(value), value))
    return CRITERIA_LABELS[kind].format(value=shown)


def validate_criteria(criteria: list[dict[str, Any]]) -> list[dict[str, Any]]:
    clean = []
    for criterion in criteria:
        kind = criterion.get("kind")
        if kind not in CRITERIA_LABELS:
            raise ValueError(f"kriteria kelulusan “{kind}” tidak dikenal; pilih dari: "
                             f"{', '.join(CRITERIA_LABELS)}")
        needs_value = "{value}" in CRITERIA_LABELS[kind]
        value = criterion.get("value")
        if needs_value and kind == "legalitas" and value not in LEGALITY:
            raise ValueError(f"legalitas “{value}” tidak dikenal; pilih dari: "
                             f"{', '.join(LEGALITY)}")
        whole = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        if needs_value and kind != "legalitas" and not whole:
            raise ValueError(f"kriteria “{kind}” memerlukan angka bulat tidak negatif")
        clean.append({"kind": kind, "value": value} if needs_value else {"kind": kind})
    return clean


def check_criteria(criteria: list[dict[str, Any]], state: BeneficiaryState) -> list[CriterionCheck]:
    checks = []
    for criterion in criteria:
        kind, value = criterion["kind"], criterion.get("value")
        label = criterion_label(criterion)
        if kind == "omzet_minimal":
            have = state.monthly_turnover
            met = have is not None and have >= value
            detail = f"omzet terakhir {_rupiah(have)}" if have is not None else "belum diukur"
        elif kind == "pendapatan_minimal":
            have = state.household_income
            met = have is not None and have >= value
            detail = f"pendapatan terakhir {_rupiah(have)}" if have is not None else "belum diukur"
        elif kind == "kontrak_pembeli":
            met = state.buyer_contracts > 0
            detail = f"{state.buyer_contracts} kontrak"
        elif kind == "di_atas_prasejahtera":
            met = state.welfare_class not in (None, "prasejahtera")
            detail = WELFARE_CLASSES.get(state.welfare_class or "", "belum dinilai")
        elif kind == "legalitas":
            met = value in state.legality
            detail = ", ".join(LEGALITY[k] for k in sorted(state.legality)) or "belum ada"
        else:  # tenaga_kerja_minimal
            have = state.employees
            met = have is not None and have >= value
            detail = f"{have} orang" if have is not None else "belum diukur"
        checks.append(CriterionCheck(label, met, detail))
    return checks


def place(answers: dict[str, bool], needs: tuple[tuple[str, int, str], ...] = DEFAULT_NEEDS,
          stage_count: int = len(DEFAULT_STAGES)) -> int:
    """The stage (1-based) of the first unmet need; the stage before graduation when every
    need is met (graduation itself needs the criteria)."""
    for key, stage, _question in sorted(needs, key=lambda n: n[1]):
        if not answers.get(key, False):
            return stage
    return stage_count - 1
