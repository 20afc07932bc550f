"""The agreement lifecycle as an explicit state machine, pure: no database.

persiapan → penawaran → penyusunan → penandatanganan → pelaksanaan → evaluasi → selesai,
with perubahan (an amendment, back to the stage it left) and pengakhiran (termination with a
reason, to `diakhiri`) from any active stage. A step is allowed only when what it needs is
there; `missing_for` names what is not.
"""

from __future__ import annotations

from dataclasses import dataclass

from mitradesa.partnerships.vocab import DOCUMENT_KINDS, MINIMUM_CONTENT, STAGES

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
    reports: int = 0
    evaluated: bool = False


def next_stages(facts: AgreementFacts) -> list[str]:
    """Every stage reachable in one step from where the agreement is (allowed or not)."""
    if facts.stage in TERMINAL:
        return []
    if facts.stage == "perubahan":
        return [facts.stage_before_change or "penyusunan", "diakhiri"]
    position = FORWARD.index(facts.stage)
    return [FORWARD[position + 1], "perubahan", "diakhiri"]


def missing_for(facts: AgreementFacts, target: str, *, note: str = "") -> list[str]:
    """What is missing before the agreement may enter `target`, in words; [] when allowed."""
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
    if target == "selesai" and not facts.evaluated:
        missing.append("hasil evaluasi")
    missing += _documents(facts, REQUIRED_DOCUMENTS.get(target, ()))
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
    return [f"dokumen: {DOCUMENT_KINDS[kind]}" for kind in kinds if kind not in facts.documents]
