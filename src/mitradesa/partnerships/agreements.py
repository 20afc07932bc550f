"""Use cases of agreements: start, change, and move through the lifecycle."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.audit import log
from mitradesa.db.base import utcnow
from mitradesa.db.versioning import check_version, save_edit
from mitradesa.errors import NotFoundError
from mitradesa.partnerships import access
from mitradesa.partnerships.checks import (
    check_dates,
    clean_sectors,
    clean_villages,
    non_negative,
    require,
)
from mitradesa.partnerships.errors import PartnershipError, TransitionRefusedError
from mitradesa.partnerships.lifecycle import ACTIVE, AgreementFacts, missing_for
from mitradesa.partnerships.models import Agreement, AgreementVillage, StageEvent
from mitradesa.partnerships.mous import get_mou
from mitradesa.partnerships.partners import get_partner
from mitradesa.partnerships.vocab import MINIMUM_CONTENT, STAGES

TEXT_FIELDS = ("ruang_lingkup", "bidang", "tata_cara_pelaksanaan", "hak_kewajiban", "pendanaan",
               "tata_cara_perubahan", "penyelesaian_perselisihan")
# While an agreement is being signed or carried out its text is fixed: change it through a
# perubahan (amendment).
LOCKED_STAGES = frozenset({"penandatanganan", "pelaksanaan", "evaluasi"})
REPORTING_STAGES = frozenset({"pelaksanaan", "evaluasi"})


def get_agreement(session: Session, agreement_id: int) -> Agreement:
    agreement = session.get(Agreement, agreement_id)
    if agreement is None:
        raise NotFoundError(f"Perjanjian kerja sama nomor {agreement_id} tidak ditemukan.")
    return agreement


def create_agreement(
    session: Session, actor: User | None, *, title: str, partner_ids: list[int],
    village_codes: list[str], scope: list[str], mou_id: int | None = None, number: str = "",
    demo: bool = False, **content: Any,
) -> Agreement:
    require(actor is None or actor.role in ("admin", "pendamping"),
             "Hanya DPMD atau pendamping yang memulai kerja sama.")
    if not title.strip():
        raise PartnershipError("Judul perjanjian wajib diisi.")
    agreement = Agreement(title=title.strip(), number=number.strip(), stage="persiapan",
                          demo=demo, created_by=getattr(actor, "id", None))
    if mou_id is not None:
        agreement.mou = get_mou(session, mou_id)
    agreement.partners = [get_partner(session, pid) for pid in dict.fromkeys(partner_ids)]
    agreement.villages = [AgreementVillage(village_code=c)
                          for c in clean_villages(session, village_codes)]
    agreement.scope = clean_sectors(scope, "Lingkup kerja sama")
    _apply_content(agreement, content)
    if actor is not None and actor.role == "pendamping":
        require(access.can_see_agreement(session, actor, agreement),
                 "Desa kerja sama ini di luar wilayah kerja Anda.")
    session.add(agreement)
    session.flush()
    session.add(StageEvent(agreement_id=agreement.id, from_stage=None, to_stage="persiapan",
                           actor_id=getattr(actor, "id", None),
                           actor_name=getattr(actor, "username", "system")))
    log(session, "partnerships.agreement.created", "agreement", agreement.id, actor=actor,
        after=summary_of(agreement))
    return agreement


def _apply_content(agreement: Agreement, content: dict[str, Any]) -> None:
    unknown = set(content) - {*TEXT_FIELDS, "value_rupiah", "start_date", "end_date",
                              "signed_on", "report_every_days"}
    if unknown:
        raise PartnershipError(f"Isian tidak dikenal: {', '.join(sorted(unknown))}.")
    for key in TEXT_FIELDS:
        if key in content:
            setattr(agreement, key, (content[key] or "").strip())
    if "value_rupiah" in content:
        agreement.value_rupiah = non_negative(content["value_rupiah"], "Nilai kerja sama")
    for key in ("start_date", "end_date", "signed_on"):
        if key in content:
            setattr(agreement, key, content[key])
    if content.get("report_every_days") is not None:
        if content["report_every_days"] < 7:
            raise PartnershipError("Jarak antarlaporan paling sedikit 7 hari.")
        agreement.report_every_days = content["report_every_days"]
    check_dates(agreement.start_date, agreement.end_date)


def update_agreement(
    session: Session, actor: User | None, agreement: Agreement, *,
    partner_ids: list[int] | None = None, village_codes: list[str] | None = None,
    scope: list[str] | None = None, title: str | None = None, number: str | None = None,
    expected_version: int | None = None, **content: Any,
) -> Agreement:
    require(actor is None or access.can_edit_agreement(session, actor, agreement),
             "Anda tidak berwenang mengubah perjanjian ini.")
    check_version(agreement, expected_version, "Perjanjian ini")
    if agreement.stage not in ACTIVE:
        raise PartnershipError(f"Perjanjian sudah {STAGES[agreement.stage].lower()}; "
                               "isinya tidak dapat diubah lagi.")
    changes_text = {k for k in content if k != "signed_on"} | {
        k for k, v in (("partners", partner_ids), ("villages", village_codes), ("scope", scope))
        if v is not None
    }
    if agreement.stage in LOCKED_STAGES and changes_text:
        raise PartnershipError(
            f"Pada tahap {STAGES[agreement.stage].lower()} isi perjanjian terkunci; ajukan "
            "tahap perubahan (adendum) untuk mengubahnya."
        )
    before = summary_of(agreement)
    if title is not None:
        if not title.strip():
            raise PartnershipError("Judul perjanjian wajib diisi.")
        agreement.title = title.strip()
    if number is not None:
        agreement.number = number.strip()
    if partner_ids is not None:
        agreement.partners = [get_partner(session, pid) for pid in dict.fromkeys(partner_ids)]
    if village_codes is not None:
        wanted = clean_villages(session, village_codes)
        agreement.villages = [v for v in agreement.villages if v.village_code in wanted]
        have = set(agreement.village_codes)
        agreement.villages += [AgreementVillage(village_code=c) for c in wanted if c not in have]
    if scope is not None:
        agreement.scope = clean_sectors(scope, "Lingkup kerja sama")
    _apply_content(agreement, content)
    save_edit(session, agreement, "Perjanjian ini")
    log(session, "partnerships.agreement.updated", "agreement", agreement.id, actor=actor,
        before=before, after=summary_of(agreement))
    return agreement


def facts_of(agreement: Agreement) -> AgreementFacts:
    filled = {key for key in TEXT_FIELDS if getattr(agreement, key).strip()}
    if agreement.start_date and agreement.end_date:
        filled.add("jangka_waktu")
    if "pendanaan" in filled and agreement.value_rupiah is None:
        filled.discard("pendanaan")
    return AgreementFacts(
        stage=agreement.stage, stage_before_change=agreement.stage_before_change,
        villages=len(agreement.villages), partners=len(agreement.partners),
        scope=len(agreement.scope), filled=frozenset(filled & set(MINIMUM_CONTENT)),
        documents=frozenset(d.kind for d in agreement.documents),
        signed_on=agreement.signed_on is not None, commitments=len(agreement.commitments),
        reports=len(agreement.reports), evaluated=agreement.evaluation is not None,
    )


def advance(
    session: Session, actor: User | None, agreement: Agreement, target: str, note: str = ""
) -> StageEvent:
    """Move the agreement to `target`, or refuse and name what is missing."""
    require(actor is None or access.can_edit_agreement(session, actor, agreement),
             "Anda tidak berwenang mengubah tahap perjanjian ini.")
    missing = missing_for(facts_of(agreement), target, note=note)
    if missing:
        label = STAGES.get(target, target)
        raise TransitionRefusedError(
            f"Belum dapat masuk tahap {label}. Yang belum ada: {'; '.join(missing)}.", missing
        )
    origin = agreement.stage
    if target == "perubahan":
        agreement.stage_before_change = origin
    elif origin == "perubahan":
        agreement.stage_before_change = None
    if target == "diakhiri":
        agreement.termination_reason = note.strip()
    agreement.stage = target
    agreement.stage_changed_at = utcnow()
    event = StageEvent(agreement_id=agreement.id, from_stage=origin, to_stage=target,
                       actor_id=getattr(actor, "id", None),
                       actor_name=getattr(actor, "username", "system"), note=note.strip())
    agreement.events.append(event)
    session.flush()
    log(session, f"partnerships.agreement.{target}", "agreement", agreement.id, actor=actor,
        before={"stage": origin}, after={"stage": target, "note": note.strip()})
    return event


def summary_of(agreement: Agreement) -> dict[str, Any]:
    """The agreement as one plain object: the audit log, `partnerships list` and the API."""
    return {
        "id": agreement.id, "nomor": agreement.number, "judul": agreement.title,
        "tahap": agreement.stage, "mou_id": agreement.mou_id,
        "mitra": [{"id": p.id, "nama": p.name} for p in agreement.partners],
        "desa": list(agreement.village_codes), "lingkup": list(agreement.scope),
        "tanggal_mulai": _iso(agreement.start_date), "tanggal_selesai": _iso(agreement.end_date),
        "tanggal_tanda_tangan": _iso(agreement.signed_on),
        "nilai_rupiah": agreement.value_rupiah, "demo": agreement.demo,
    }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
