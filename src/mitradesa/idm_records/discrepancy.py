"""Published figures against the recomputation: which are official, and what differs.

The ministry's published figures are the decreed ones, so they are kept even where they
disagree with their own scores; the disagreement is a finding shown beside them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from mitradesa.formatting import fixed, index4
from mitradesa.idm.scheme import Scheme
from mitradesa.io.idm_files import IdmRecord

NUMERIC = ("iks", "ike", "ikl", "idm", "penambahan")
CORE = ("iks", "ike", "ikl", "idm", "status")
KNOWN_2024_DEFECT = "cacat data 2024 yang diketahui"
INTERNET_INDICATORS = "IKS 30 Skor Internet Kantor Desa / IKS 31 Skor Akses Internet Warga"
GENERIC_CAUSE = (
    "angka terbitan tidak sama dengan hitungan ulang dari skornya; angka terbitan dipakai "
    "sebagai angka resmi"
)


_SHIFT = re.compile(r"(IKS|IDM) terbitan ([+−]4/\d+)")


def short_cause(cause: str) -> str:
    """A few words for a table cell or a one-line summary; the full cause says why."""
    if not cause.startswith(KNOWN_2024_DEFECT):
        return "tidak sesuai skornya"
    shift = _SHIFT.search(cause)
    return f"cacat 2024: {shift[1]} {shift[2]}" if shift else "cacat 2024: status"


@dataclass(frozen=True)
class Discrepancy:
    file: str
    row: int | None
    kode_desa: str
    tahun: int
    fields: dict[str, tuple[Any, Any]]  # name → (published, recomputed)
    cause: str

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file, "row": self.row, "kode_desa": self.kode_desa, "tahun": self.tahun,
            "fields": {k: {"published": p, "computed": c} for k, (p, c) in self.fields.items()},
            "cause": self.cause,
        }

    def __str__(self) -> str:
        return f"{self._head()} ({short_cause(self.cause)})"

    def full_text(self) -> str:
        return f"{self._head()}: {self.cause}"

    def _head(self) -> str:
        where = f"{self.file}, baris {self.row}" if self.row is not None else self.file
        diffs = ", ".join(
            f"{k.upper()} {_short(p)} ≠ {_short(c)}"
            for k, (p, c) in self.fields.items() if k in CORE
        )
        return f"{where}: {self.kode_desa} {self.tahun}: {diffs}"


def _short(value: Any) -> str:
    return index4(value) if isinstance(value, float) else str(value)


def _number(value: Any) -> tuple[float, float] | None:
    """(value, tolerance): a figure printed to 4 decimals agrees with anything it rounds to."""
    if isinstance(value, float):
        return value, 1e-12
    text = str(value).strip().replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return None
    if number != number or number in (float("inf"), float("-inf")):
        return None
    mantissa = text.lower().split("e")[0]
    decimals = len(mantissa) - mantissa.index(".") - 1 if "." in mantissa else 0
    tolerance = 0.5 * 10.0**-decimals if decimals < 12 else 1e-12
    return number, tolerance


def _published(record: IdmRecord) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for key, value in (record.published or {}).items():
        if value is None or str(value).strip() == "":
            continue
        if key in NUMERIC or key == "skor_minimal":
            parsed = _number(value)
            if parsed is not None:
                clean[key] = parsed
        else:
            clean[key] = str(value).strip().upper()
    return clean


def compare_published(
    record: IdmRecord, computed: dict[str, Any], scheme: Scheme
) -> tuple[dict[str, Any], str, Discrepancy | None]:
    """(official figures, their source, the discrepancy if any) for one village-year."""
    published = _published(record)
    if not published:
        return dict(computed), "computed", None
    differs: dict[str, tuple[Any, Any]] = {}
    for key, value in published.items():
        if key in NUMERIC:
            number, tolerance = value
            if abs(number - computed[key]) > tolerance:
                differs[key] = (number, computed[key])
        elif key == "skor_minimal":
            if abs(value[0] - float(computed[key])) > value[1]:
                differs[key] = (str(record.published[key]).strip(), computed[key])
        elif key in computed and value != computed[key]:
            differs[key] = (value, computed[key])
    if not differs:
        return dict(computed), "published", None
    official = dict(computed)
    if all(key in published for key in CORE):
        official.update({key: published[key][0] for key in NUMERIC if key in published})
        official["status"] = published["status"]
        names = list(scheme.status_names())
        if official["status"] in names:
            position = names.index(official["status"])
            status = scheme.statuses[position]
            official["target_status"] = names[min(position + 1, len(names) - 1)]
            official["skor_minimal"] = status.skor_minimal
            official["penambahan"] = float(status.skor_minimal) - official["idm"]
        for key in ("target_status",):
            if key in published:
                official[key] = published[key]
        if "penambahan" in published:
            official["penambahan"] = published["penambahan"][0]
    finding = Discrepancy(
        file=record.file, row=record.row, kode_desa=record.code, tahun=record.year,
        fields=differs, cause=_likely_cause(record.year, differs),
    )
    return official, "published" if all(k in published for k in CORE) else "computed", finding


def _close(difference: float, step: float) -> bool:
    return abs(abs(difference) - step) < 1e-9


def _likely_cause(year: int, differs: dict[str, tuple[Any, Any]]) -> str:
    """The known 2024 defect shifts IKS by ±4/175, hence IDM by ±4/525, or only the status.

    In 2024 the two internet indicators always show the same score; the published figure
    was computed with one of them 4 points away from what is shown.
    """
    if year < 2024 or {"ike", "ikl"} & differs.keys():
        return GENERIC_CAUSE
    if "iks" in differs and not _close(differs["iks"][0] - differs["iks"][1], 4 / 175):
        return GENERIC_CAUSE
    if "idm" in differs and not _close(differs["idm"][0] - differs["idm"][1], 4 / 525):
        return GENERIC_CAUSE
    if "idm" in differs:
        idm_shift = differs["idm"][0] - differs["idm"][1]
    elif "iks" in differs:
        idm_shift = (differs["iks"][0] - differs["iks"][1]) / 3
    else:
        return (f"{KNOWN_2024_DEFECT}: status terbitan berbeda dari hitungan ulang walau angkanya "
                f"sama; {INTERNET_INDICATORS} disamakan pada data 2024")
    sign = "+" if idm_shift > 0 else "−"
    shown = "lebih rendah" if idm_shift > 0 else "lebih tinggi"
    which = f"IKS terbitan {sign}4/175 ({_signed(idm_shift * 3)}), " if "iks" in differs else ""
    return (
        f"{KNOWN_2024_DEFECT}: {which}IDM terbitan {sign}4/525 ({_signed(idm_shift)}) dari "
        f"hitungan ulang; skor {INTERNET_INDICATORS} yang ditampilkan 4 poin {shown} daripada "
        "yang dipakai untuk angka terbitan (keduanya disamakan pada data 2024)"
    )


def _signed(value: float) -> str:
    return fixed(value, 4, signed=True).replace("-", "−")
