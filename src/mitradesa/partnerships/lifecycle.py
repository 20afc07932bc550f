"""The agreement lifecycle as an explicit state machine, pure: no database.

persiapan → penawaran → penyusunan → penandatanganan → pelaksanaan → evaluasi → selesai,
with perubahan (an amendment, back to the stage it left) and pengakhiran (termination with a
reason, to `diakhiri`) from any active stage. A step is allowed only when what it needs is
there; `missing_for` names what is not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from mitradesa.formatting import percent
from mitradesa.partnerships.vocab import DOCUMENT_KINDS, MINIMUM_CONTENT, STAGES
from mitradesa.reports.formatting import long_date

FORWARD = ("persiapan", "penawaran", "penyusunan", "penandatanganan", "pelaksanaan",
           "evaluasi", "selesai")
TERMINAL = frozenset({"selesai", "diakhiri"})
ACTIVE = frozenset(STAGES) - TERMINAL
# An amendment of a signed agreement needs a signed addendum to take effect.
SIGNED = frozenset({"pelaksanaan", "evaluasi"})

# Documents each stage needs before it can be entered.
REQUIRED_DOCUMENTS: dict[str, tuple[str, ...]] = {
    "penawaran": ("keputusan_musdes", "rkp_desa", "analisis_biaya_manfaat", "kak"),
    "penyusunan": ("surat_penawaran",),
    "penandatanganan": ("draf_perjanjian",),
    "pelaksanaan": ("perjanjian_ditandatangani",),
}
# Documents each village of the agreement makes for itself (its Musdes decides, its RKP Desa
# lists the cooperation): required once per village, not once per agreement.
PER_VILLAGE_DOCUMENTS = frozenset({"keputusan_musdes", "rkp_desa"})
# Steps that cannot be undone: the user confirms them.
IRREVERSIBLE = frozenset({"selesai", "diakhiri"})
# Closing with less than this share of the committed money spent needs a reason.
LOW_REALISATION = 0.8


@dataclass(frozen=True)
class AgreementFacts:
    """What the lifecycle needs to know of an agreement."""

    stage: str
    stage_before_change: str | None = None
    villages: int = 0
    partners: int = 0
    scope: int = 0
    filled: frozenset[str] = frozenset()  # minimum-content fields that are filled in
    documents: frozenset[str] = frozenset()  # document kinds uploaded
    signed_on: bool = False
    commitments: int = 0
    reports: int = 0  # verified progress reports
    evaluated: bool = False
    village_codes: tuple[str, ...] = ()
    # (kind, village code) for each per-village document and the villages it is for
    village_documents: frozenset[tuple[str, str]] = frozenset()
    village_names: dict[str, str] = field(default_factory=dict, compare=False)
    start_date: date | None = None
    end_date: date | None = None
    committed_rupiah: int = 0
    spent_rupiah: int = 0  # verified
    today: date = field(default_factory=date.today)


def next_stages(facts: AgreementFacts) -> list[str]:
    """Every stage reachable in one step from where the agreement is (allowed or not)."""
    if facts.stage in TERMINAL:
        return []
    if facts.stage == "perubahan":
        return [facts.stage_before_change or "penyusunan", "diakhiri"]
    position = FORWARD.index(facts.stage)
    return [FORWARD[position + 1], "perubahan", "diakhiri"]


def missing_for(facts: AgreementFacts, target: str, *, note: str = "",
                confirmed: bool = True) -> list[str]:
    """What is missing before the agreement may enter `target`, in words; [] when allowed.
    `confirmed`: the user confirmed an irreversible step (selesai, pengakhiran)."""
    if target not in STAGES:
        return [f"tahap “{target}” tidak dikenal"]
    if target not in next_stages(facts):
        current = STAGES[facts.stage]
        return [f"dari tahap {current} tidak bisa langsung ke tahap {STAGES[target]}"]
    missing: list[str] = []
    if target == "diakhiri" and not note.strip():
        missing.append("alasan pengakhiran")
    if target == "perubahan" and not note.strip():
        missing.append("alasan perubahan")
    if facts.stage == "perubahan" and facts.stage_before_change in SIGNED and target != "diakhiri":
        missing += _documents(facts, ("adendum",))
    if target == "penawaran":
        missing += _basics(facts)
    if target == "penandatanganan":
        missing += [f"isi perjanjian: {label}" for key, label in MINIMUM_CONTENT.items()
                    if key not in facts.filled]
    if target == "pelaksanaan":
        if not facts.signed_on:
            missing.append("tanggal penandatanganan")
        if facts.commitments == 0:
            missing.append("sedikitnya satu komitmen kegiatan")
    if target == "evaluasi" and facts.reports == 0:
        missing.append("sedikitnya satu laporan kemajuan")
    if target == "selesai":
        if not facts.evaluated:
            missing.append("hasil evaluasi")
        missing += _closing(facts, note)
    missing += _documents(facts, REQUIRED_DOCUMENTS.get(target, ()))
    if target in IRREVERSIBLE and not confirmed:
        missing.append(f"konfirmasi bahwa tahap {STAGES[target]} tidak dapat dibatalkan")
    return missing


def _closing(facts: AgreementFacts, note: str) -> list[str]:
    """Closing before the start cannot be; closing early or with little of the money spent
    needs a reason."""
    if facts.start_date and facts.today < facts.start_date:
        return [f"kerja sama baru dimulai {long_date(facts.start_date)}; belum dapat "
                "diselesaikan"]
    if note.strip():
        return []
    missing = []
    if facts.end_date and facts.today < facts.end_date:
        missing.append(f"alasan penutupan sebelum tanggal selesai {long_date(facts.end_date)}")
    if facts.committed_rupiah and facts.spent_rupiah < LOW_REALISATION * facts.committed_rupiah:
        share = facts.spent_rupiah * 100 // facts.committed_rupiah
        missing.append(f"alasan penutupan dengan realisasi terverifikasi {share}% dari "
                       f"komitmen (di bawah {percent(LOW_REALISATION)})")
    return missing


def _basics(facts: AgreementFacts) -> list[str]:
    missing = []
    if facts.villages == 0:
        missing.append("sedikitnya satu desa")
    if facts.partners == 0:
        missing.append("sedikitnya satu mitra")
    if facts.scope == 0:
        missing.append("lingkup kerja sama (mis. UMKM, pertanian)")
    return missing


def _documents(facts: AgreementFacts, kinds: tuple[str, ...]) -> list[str]:
    missing = []
    for kind in kinds:
        if kind in PER_VILLAGE_DOCUMENTS:
            missing += [f"dokumen: {DOCUMENT_KINDS[kind]} desa {facts.village_names.get(c, c)}"
                        for c in facts.village_codes if (kind, c) not in facts.village_documents]
        elif kind not in facts.documents:
            missing.append(f"dokumen: {DOCUMENT_KINDS[kind]}")
    return missing
