"""The audit log in plain words: actions, kinds of record and fields as people say them, and
an entry's before/after as a list of changed fields. English msgids, translated where shown;
the code stays in a tooltip."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal

from mitradesa.audit import masked
from mitradesa.mentoring.vocab import BUYER_KINDS, FUNDERS, LEAVE_REASONS, WELFARE_CLASSES
from mitradesa.partnerships.vocab import (
    DOCUMENT_KINDS,
    PARTNER_KINDS,
    REPORT_STATUSES,
    SECTORS,
    STAGES,
)
from mitradesa.web.account_words import DIGEST_LABELS, ROLE_LABELS
from mitradesa.web.templating import N_, moment

OBJECT_LABELS = {
    "user": N_("User account"),
    "api_token": N_("API token"),
    "agreement": N_("Agreement"),
    "commitment": N_("Commitment"),
    "report": N_("Progress report"),
    "mou": N_("MoU"),
    "partner": N_("Partner"),
    "program": N_("Mentoring program"),
    "enrolment": N_("Enrolment in a program"),
    "umkm": N_("UMKM"),
    "household": N_("Household"),
    "group": N_("Group"),
    "buyer": N_("Buyer"),
    "contract": N_("Sales contract"),
    "region": N_("Region"),
    "registry": N_("Region registry"),
}

ACTION_LABELS = {
    "accounts.user.created": N_("account created"),
    "accounts.user.updated": N_("account changed"),
    "accounts.user.deactivated": N_("account deactivated"),
    "accounts.user.activated": N_("account activated"),
    "accounts.user.password_reset": N_("password reset by an admin"),
    "accounts.user.password_changed": N_("password changed by the user"),
    "accounts.user.digest_changed": N_("e-mail digest choice changed"),
    "accounts.session.ended": N_("session ended"),
    "accounts.sessions.ended": N_("sessions ended"),
    "accounts.api_token.created": N_("API token created"),
    "accounts.api_token.revoked": N_("API token revoked"),
    "partnerships.agreement.created": N_("agreement recorded"),
    "partnerships.agreement.updated": N_("agreement changed"),
    "partnerships.document.uploaded": N_("document uploaded"),
    "partnerships.evaluation.recorded": N_("evaluation recorded"),
    "partnerships.commitment.created": N_("commitment recorded"),
    "partnerships.report.created": N_("progress report submitted"),
    "partnerships.report.diverifikasi": N_("progress report verified"),
    "partnerships.report.dikembalikan": N_("progress report returned"),
    "partnerships.mou.created": N_("MoU recorded"),
    "partnerships.partner.created": N_("partner recorded"),
    "partnerships.partner.updated": N_("partner changed"),
    "partnerships.partner.member_added": N_("account linked to the partner"),
    "mentoring.program.created": N_("program created"),
    "mentoring.session.recorded": N_("mentoring session recorded"),
    "mentoring.enrolment.created": N_("enrolled in a program"),
    "mentoring.assessment.recorded": N_("assessment recorded"),
    "mentoring.enrolment.stage": N_("moved to another stage"),
    "mentoring.enrolment.graduated": N_("graduated"),
    "mentoring.enrolment.left": N_("left the program"),
    "mentoring.outcome.recorded": N_("outcome measured"),
    "mentoring.umkm.created": N_("UMKM registered"),
    "mentoring.umkm.updated": N_("UMKM changed"),
    "mentoring.umkm.photo_added": N_("UMKM photo added"),
    "mentoring.household.created": N_("household registered"),
    "mentoring.group.created": N_("group registered"),
    "mentoring.buyer.created": N_("buyer recorded"),
    "mentoring.contract.created": N_("sales contract recorded"),
    "mentoring.delivery.recorded": N_("delivery recorded"),
    "regions.desa_persiapan.created": N_("desa persiapan created"),
    "regions.desa_persiapan.promoted": N_("desa persiapan given its definitive code"),
    "regions.registry.loaded": N_("region registry loaded"),
    "regions.geojson.imported": N_("boundaries imported"),
}
# The last word of an action not listed above.
VERBS = {"created": N_("created"), "updated": N_("changed"), "deleted": N_("deleted"),
         "imported": N_("imported"), "recorded": N_("recorded")}

FIELD_LABELS = {
    "user": N_("account"), "username": N_("username"), "full_name": N_("full name"),
    "role": N_("role"), "scope": N_("scope"), "organisation": N_("organisation"),
    "email": N_("e-mail"), "active": N_("active"), "digest_frequency": N_("e-mail digest"),
    "generated": N_("generated password"), "must_change": N_("must change the password"),
    "tokens_revoked": N_("tokens revoked"), "name": N_("name"), "title": N_("title"),
    "stage": N_("stage"), "kind": N_("kind"), "sectors": N_("sectors"), "area": N_("area"),
    "village": N_("village"), "villages": N_("villages"), "nik": N_("NIK"),
    "kk_number": N_("KK number"), "head_nik": N_("NIK of the head"),
    "welfare_class": N_("welfare class"), "program": N_("program"), "code": N_("code"),
    "parent_code": N_("parent region"), "value_rupiah": N_("value"), "start_date":
    N_("start date"), "end_date": N_("end date"), "note": N_("note"), "notes": N_("notes"),
    "ended": N_("sessions ended"), "expires_at": N_("expires"), "status": N_("status"),
    "activity": N_("activity"), "agreement": N_("agreement"), "aliases": N_("other names"),
    "answers": N_("answers"), "budget_rupiah": N_("budget"), "buyer": N_("buyer"),
    "content_type": N_("file type"), "covers_several": N_("covers several villages"),
    "deactivated": N_("deactivated"), "demo": N_("demo data"), "desa": N_("villages"),
    "filename": N_("file name"), "group": N_("group"), "history": N_("code history"),
    "household": N_("household"), "inserted": N_("added"), "judul": N_("title"),
    "lingkup": N_("scope of work"), "measured_on": N_("measured on"),
    "members": N_("members"), "mitra": N_("partners"), "mou_id": N_("MoU"),
    "nama": N_("name"), "nilai_rupiah": N_("value"), "nomor": N_("number"),
    "partners": N_("partners"), "present": N_("present"), "product": N_("product"),
    "rating": N_("rating"), "session": N_("session"), "sha256": N_("file fingerprint (SHA-256)"),
    "size": N_("size (bytes)"), "spent_rupiah": N_("spent"), "tahap": N_("stage"),
    "tanggal_mulai": N_("start date"), "tanggal_selesai": N_("end date"),
    "tanggal_tanda_tangan": N_("signing date"), "target": N_("target"), "umkm": N_("UMKM"),
    "unchanged": N_("unchanged"), "updated": N_("updated"), "village_codes": N_("villages"),
    "volume": N_("volume"), "reason": N_("reason"), "photo": N_("photo"),
    "boundaries": N_("boundaries"), "points": N_("points"), "on": N_("date"),
}

_VOCABULARY: dict[str, str] = {**STAGES, **SECTORS, **PARTNER_KINDS, **REPORT_STATUSES,
                               **DOCUMENT_KINDS, **WELFARE_CLASSES, **FUNDERS, **LEAVE_REASONS,
                               **BUYER_KINDS}
REGION_CODE = re.compile(r"^\d{2}(\.\d{2}){1,2}(\.\d{4})?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


@dataclass(frozen=True)
class FieldChange:
    key: str
    label: str
    before: str
    after: str
    changed: bool


def action_label(action: str, tr: Callable[[str], str]) -> str:
    if action in ACTION_LABELS:
        return tr(ACTION_LABELS[action])
    verb = action.rsplit(".", 1)[-1]
    if action.startswith("partnerships.agreement.") and verb in STAGES:
        return tr(N_("moved to the stage “%(stage)s”")) % {"stage": STAGES[verb]}
    return tr(VERBS[verb]) if verb in VERBS else verb.replace("_", " ")


def object_label(object_type: str, tr: Callable[[str], str]) -> str:
    return tr(OBJECT_LABELS[object_type]) if object_type in OBJECT_LABELS else (
        object_type.replace("_", " "))


def actor_label(actor_name: str, tr: Callable[[str], str]) -> str:
    return tr(N_("system (command line)")) if actor_name == "system" else actor_name


def region_codes(values: Any) -> set[str]:
    """Every region code among the values (nested), to name them in one query."""
    if isinstance(values, dict):
        return {c for v in values.values() for c in region_codes(v)}
    if isinstance(values, list | tuple):
        return {c for v in values for c in region_codes(v)}
    return {values} if isinstance(values, str) and REGION_CODE.match(values) else set()


def show_value(value: Any, key: str, tr: Callable[[str], str], locale: str,
               names: dict[str, str] | None = None) -> str:
    """One value as a person reads it: words for codes, region names with their code, dates
    the page's way, lists joined, yes/no for flags, '—' for nothing."""
    names = names or {}
    babel_locale = "id_ID" if locale == "id" else "en"
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return tr(N_("yes")) if value else tr(N_("no"))
    if isinstance(value, int | float):
        money = "Rp" if key.endswith("rupiah") else ""
        return money + format_decimal(value, locale=babel_locale)
    if isinstance(value, list | tuple):
        return ", ".join(show_value(v, key, tr, locale, names) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{tr(FIELD_LABELS.get(k, k.replace('_', ' ')))}: "
                         f"{show_value(v, k, tr, locale, names)}" for k, v in value.items())
    text = str(value)
    if text in names:
        return f"{names[text]} ({text})"
    if key == "role" and text in ROLE_LABELS:
        return tr(ROLE_LABELS[text])
    if key == "digest_frequency" and text in DIGEST_LABELS:
        return tr(DIGEST_LABELS[text])
    if text in _VOCABULARY:
        return _VOCABULARY[text]
    if _ISO_DATE.match(text):
        return format_date(date.fromisoformat(text), format="d MMMM y", locale=babel_locale)
    if _ISO_MOMENT.match(text):
        try:
            return moment(datetime.fromisoformat(text), locale=locale)
        except ValueError:
            return text
    return text


def changes(before: dict[str, Any] | None, after: dict[str, Any] | None,
            tr: Callable[[str], str], locale: str,
            names: dict[str, str] | None = None) -> list[FieldChange]:
    """The fields of an entry, each with its value before and after (masked again on the way
    out), changed ones marked; in the order the entry wrote them."""
    old, new = masked(before) or {}, masked(after) or {}
    keys = [*old, *(k for k in new if k not in old)]
    return [FieldChange(key, tr(FIELD_LABELS.get(key, key.replace("_", " "))),
                        show_value(old.get(key), key, tr, locale, names) if key in old else "",
                        show_value(new.get(key), key, tr, locale, names) if key in new else "",
                        key in old and key in new and old[key] != new[key])
            for key in keys]
