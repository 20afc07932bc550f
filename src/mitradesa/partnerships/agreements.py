"""Use cases of agreements: start, change, and move through the lifecycle."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.audit import log
from mitradesa.db.base import utcnow
from mitradesa.db.versioning import check_version, save_edit
from mitradesa.errors import NotFoundError
from mitradesa.partnerships import access
from mitradesa.partnerships.checks import (
    Problems,
    clean_sectors,
    clean_villages,
    date_problems,
    require,
    require_version,
    within_scope,
)
from mitradesa.partnerships.errors import PartnershipError, TransitionRefusedError
from mitradesa.partnerships.lifecycle import ACTIVE, AgreementFacts, missing_for
from mitradesa.partnerships.models import Agreement, AgreementVillage, StageEvent
from mitradesa.partnerships.mous import visible_mou
from mitradesa.partnerships.partners import visible_partner
from mitradesa.partnerships.vocab import MINIMUM_CONTENT, STAGES
from mitradesa.regions.models import Region

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


def visible_agreement(session: Session, actor: User | None, agreement_id: int) -> Agreement:
    """The agreement if `actor` may see it; otherwise the same answer as when it does not
    exist, so that nobody learns which numbers are taken."""
    agreement = session.get(Agreement, agreement_id)
    if agreement is None or (actor is not None
                             and not access.can_see_agreement(session, actor, agreement)):
        raise NotFoundError(f"Perjanjian kerja sama nomor {agreement_id} tidak ditemukan.")
    return agreement


def create_agreement(
    session: Session, actor: User | None, *, title: str, partner_ids: list[int],
    village_codes: list[str], scope: list[str], mou_id: int | None = None, number: str = "",
    demo: bool = False, **content: Any,
) -> Agreement:
    """Start an agreement in persiapan. Every partner, the MoU and every village must be
    within what `actor` may see and touch; nothing is written otherwise."""
    require(actor is None or actor.role in ("admin", "pendamping"),
            "Hanya DPMD atau pendamping yang memulai kerja sama.")
    mou = visible_mou(session, actor, mou_id) if mou_id is not None else None
    partners = [visible_partner(session, actor, pid) for pid in dict.fromkeys(partner_ids)]
    problems = Problems()
    villages = problems.attempt(lambda: clean_villages(session, village_codes)) or []
    within_scope(actor, villages)
    if not villages and _scoped(actor):
        problems.add(NO_VILLAGE)
    if not title.strip():
        problems.add("Judul perjanjian wajib diisi.")
    sectors = problems.attempt(lambda: clean_sectors(scope, "Lingkup kerja sama"))
    agreement = Agreement(title=title.strip(), number=number.strip(), stage="persiapan",
                          demo=demo, created_by=getattr(actor, "id", None))
    for message in _content_problems(agreement, content):
        problems.add(message)
    problems.raise_if_any()
    agreement.mou = mou
    agreement.partners = partners
    agreement.villages = [AgreementVillage(village_code=c) for c in villages]
    agreement.scope = sectors or []
    _apply_content(agreement, content)
    session.add(agreement)
    session.flush()
    session.add(StageEvent(agreement_id=agreement.id, from_stage=None, to_stage="persiapan",
                           actor_id=getattr(actor, "id", None),
                           actor_name=getattr(actor, "username", "system")))
    log(session, "partnerships.agreement.created", "agreement", agreement.id, actor=actor,
        after=summary_of(agreement))
    return agreement


# A user with a scope sees an agreement through its villages: one without any would be lost
# to them (and seen only by DPMD staff without a scope).
NO_VILLAGE = "Pilih sedikitnya satu desa di wilayah kerja Anda."


def _scoped(actor: User | None) -> bool:
    return actor is not None and bool(actor.scope_codes)


CONTENT_KEYS = frozenset({*TEXT_FIELDS, "value_rupiah", "start_date", "end_date", "signed_on",
                          "report_every_days"})


def _content_problems(agreement: Agreement, content: dict[str, Any]) -> list[str]:
    """What is wrong with `content` applied to `agreement` (the dates checked together with
    those it keeps)."""
    unknown = set(content) - CONTENT_KEYS
    if unknown:
        return [f"Isian tidak dikenal: {', '.join(sorted(unknown))}."]
    problems = []
    value = content.get("value_rupiah")
    if value is not None and value < 0:
        problems.append(f"Nilai kerja sama tidak boleh negatif (tertulis {value}).")
    every = content.get("report_every_days")
    if every is not None and every < 7:
        problems.append(f"Jarak antarlaporan paling sedikit 7 hari (tertulis {every}).")
    dates = {key: content.get(key, getattr(agreement, key))
             for key in ("start_date", "end_date", "signed_on")}
    problems += date_problems(dates["start_date"], dates["end_date"], dates["signed_on"])
    return problems


def _apply_content(agreement: Agreement, content: dict[str, Any]) -> None:
    for key in TEXT_FIELDS:
        if key in content:
            setattr(agreement, key, (content[key] or "").strip())
    if "value_rupiah" in content:
        agreement.value_rupiah = content["value_rupiah"]
    for key in ("start_date", "end_date", "signed_on"):
        if key in content:
            setattr(agreement, key, content[key])
    if content.get("report_every_days") is not None:
        agreement.report_every_days = content["report_every_days"]


def update_agreement(
    session: Session, actor: User | None, agreement: Agreement, *,
    partner_ids: list[int] | None = None, village_codes: list[str] | None = None,
    scope: list[str] | None = None, title: str | None = None, number: str | None = None,
    expected_version: int | None = None, **content: Any,
) -> Agreement:
    """Change what is given (None: keep). A village added or removed must lie in `actor`'s
    scope, every partner must be one it may see; everything is checked before anything
    changes."""
    require(actor is None or access.can_edit_agreement(session, actor, agreement),
            "Anda tidak berwenang mengubah perjanjian ini.")
    require_version(actor, expected_version, "perjanjian")
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
    partners = None if partner_ids is None else [
        visible_partner(session, actor, pid) for pid in dict.fromkeys(partner_ids)]
    problems = Problems()
    wanted = None
    if village_codes is not None:
        wanted = problems.attempt(lambda: clean_villages(session, village_codes))
        after = agreement.village_codes if wanted is None else wanted
        touched = set(after) ^ set(agreement.village_codes)
        within_scope(actor, sorted(touched))
        if wanted == [] and _scoped(actor):
            problems.add(NO_VILLAGE)
    if title is not None and not title.strip():
        problems.add("Judul perjanjian wajib diisi.")
    sectors = None if scope is None else problems.attempt(
        lambda: clean_sectors(scope, "Lingkup kerja sama"))
    for message in _content_problems(agreement, content):
        problems.add(message)
    problems.raise_if_any()
    before = summary_of(agreement)
    if title is not None:
        agreement.title = title.strip()
    if number is not None:
        agreement.number = number.strip()
    if partners is not None:
        agreement.partners = partners
    if wanted is not None:
        agreement.villages = [v for v in agreement.villages if v.village_code in wanted]
        have = set(agreement.village_codes)
        agreement.villages += [AgreementVillage(village_code=c) for c in wanted if c not in have]
    if sectors is not None:
        agreement.scope = sectors
    _apply_content(agreement, content)
    save_edit(session, agreement, "Perjanjian ini")
    log(session, "partnerships.agreement.updated", "agreement", agreement.id, actor=actor,
        before=before, after=summary_of(agreement))
    return agreement


def facts_of(agreement: Agreement, village_names: dict[str, str] | None = None) -> AgreementFacts:
    filled = {key for key in TEXT_FIELDS if getattr(agreement, key).strip()}
    if agreement.start_date and agreement.end_date:
        filled.add("jangka_waktu")
    if "pendanaan" in filled and agreement.value_rupiah is None:
        filled.discard("pendanaan")
    verified = [r for r in agreement.reports if r.verified]
    return AgreementFacts(
        stage=agreement.stage, stage_before_change=agreement.stage_before_change,
        villages=len(agreement.villages), partners=len(agreement.partners),
        scope=len(agreement.scope), filled=frozenset(filled & set(MINIMUM_CONTENT)),
        documents=frozenset(d.kind for d in agreement.documents),
        signed_on=agreement.signed_on is not None, commitments=len(agreement.commitments),
        reports=len(verified), evaluated=agreement.evaluation is not None,
        village_codes=tuple(agreement.village_codes),
        village_documents=frozenset((d.kind, code) for d in agreement.documents
                                    for code in d.village_codes or []),
        village_names=dict(village_names or {}),
        start_date=agreement.start_date, end_date=agreement.end_date,
        committed_rupiah=sum(c.budget_rupiah for c in agreement.commitments),
        spent_rupiah=sum(r.spent_rupiah for r in verified),
    )


def advance(
    session: Session, actor: User | None, agreement: Agreement, target: str, note: str = "",
    *, confirmed: bool | None = None,
) -> StageEvent:
    """Move the agreement to `target`, or refuse and name what is missing. A user confirms
    the steps that cannot be undone (`confirmed`; the command line is trusted)."""
    require(actor is None or access.can_edit_agreement(session, actor, agreement),
            "Anda tidak berwenang mengubah tahap perjanjian ini.")
    confirmed = actor is None if confirmed is None else confirmed
    names = village_names_of(session, agreement.village_codes)
    missing = missing_for(facts_of(agreement, names), target, note=note, confirmed=confirmed)
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


def village_names_of(session: Session, codes: list[str]) -> dict[str, str]:
    if not codes:
        return {}
    return dict(session.execute(select(Region.code, Region.name)
                                .where(Region.code.in_(set(codes)))).all())


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
