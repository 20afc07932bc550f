"""Partnership pages: the dashboard with the agreement list, a village's partnerships, and
what the partnership pages share (who may open what, reading forms, labels and formats).

Handlers only translate: every action goes through `partnerships.services`, which checks
what the user may do. What a user may not see answers 404, as if it did not exist.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from mitradesa import formatting
from mitradesa.accounts.models import User
from mitradesa.accounts.scope import can_see_village
from mitradesa.errors import MitradesaError, PermissionDeniedError
from mitradesa.partnerships import matching, queries, services
from mitradesa.partnerships.errors import TransitionRefusedError
from mitradesa.partnerships.models import Agreement, Mou, Partner
from mitradesa.partnerships.reminder_words import kind_name, reminder_text
from mitradesa.partnerships.reminders import reminders
from mitradesa.partnerships.report_flags import report_flags
from mitradesa.partnerships.vocab import (
    DOCUMENT_KINDS,
    PARTNER_KINDS,
    REPORT_STATUSES,
    SECTORS,
    STAGES,
)
from mitradesa.regions import queries as region_queries
from mitradesa.regions.codes import normalize_code
from mitradesa.regions.models import VILLAGE_KINDS
from mitradesa.settings import get_settings
from mitradesa.web import table_downloads as downloads
from mitradesa.web.i18n import page_locale, translations
from mitradesa.web.page_cache import cached_page
from mitradesa.web.pages import partnership_downloads
from mitradesa.web.security import CurrentUser, SessionDep
from mitradesa.web.templating import N_, render
from mitradesa.words import labels

router = APIRouter()
MAX_FIELD = 5000
MAX_VALUES = 600
RECENT = 5
OK_MESSAGES = {  # ?ok=… after a form that worked: what was done
    "baru": N_("Saved."),
    "ubah": N_("The changes are saved."),
    "tahap": N_("The stage is changed."),
    "komitmen": N_("The commitment is added."),
    "laporan": N_("The progress report is added."),
    "evaluasi": N_("The evaluation is recorded."),
    "dokumen": N_("The document is uploaded."),
    "verifikasi": N_("The report's review is recorded."),
}


def documents_dir() -> Path:
    """Where uploads are kept (tests point it elsewhere)."""
    return get_settings().data_dir / "documents"


# ------------------------------------------------------------------ who may open what


def visible_agreement(db: Session, user: User, agreement_id: int) -> Agreement:
    return services.visible_agreement(db, user, agreement_id)


def visible_partner(db: Session, user: User, partner_id: int) -> Partner:
    return services.visible_partner(db, user, partner_id)


def visible_mou(db: Session, user: User, mou_id: int) -> Mou:
    return services.visible_mou(db, user, mou_id)


def require_role(user: User, roles: tuple[str, ...], message: str) -> None:
    if user.role not in roles:
        raise PermissionDeniedError(message)


# ------------------------------------------------------------------ reading forms


async def form_data(request: Request) -> FormData:
    return await request.form()


FormDep = Annotated[FormData, Depends(form_data)]


def translator(request: Request) -> Callable[..., str]:
    gettext = translations(page_locale(request)).gettext

    def tr(message: str, **params: Any) -> str:
        text = gettext(message)
        return text % params if params else text

    return tr


_AMOUNT = re.compile(r"^\d{1,3}(\.\d{3})+$|^\d+$")


@dataclass
class Form:
    """A form as the user filled it (or its defaults) and what is wrong with it; nothing the
    user typed is lost when it comes back with an error."""

    values: dict[str, list[str]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    title: str = ""  # the heading of the error box
    tr: Callable[..., str] = lambda message, **params: message % params if params else message

    def v(self, name: str) -> str:
        found = self.values.get(name)
        return found[0] if found else ""

    def has(self, name: str, value: Any) -> bool:
        return str(value) in self.values.get(name, [])

    def all(self, name: str) -> list[str]:
        return [v.strip() for v in self.values.get(name, []) if v.strip()]

    def text(self, name: str, label: str, *, required: bool = False, limit: int = 300,
             lines: bool = False) -> str:
        value = self.v(name).strip() if lines else " ".join(self.v(name).split())
        if required and not value:
            self.errors.append(self.tr(N_("%(field)s must be filled in."), field=self.tr(label)))
        elif len(value) > limit:
            self.errors.append(self.tr(N_("%(field)s is too long (at most %(limit)s characters)."),
                                       field=self.tr(label), limit=limit))
        return value

    def amount(self, name: str, label: str, *, required: bool = False) -> int | None:
        """A whole number as written in Indonesia: 750.000.000, 750000000 or Rp750.000.000."""
        raw = self.v(name).strip()
        clean = re.sub(r"\s+", "", raw)
        clean = re.sub(r"^rp\.?", "", clean, flags=re.IGNORECASE)
        clean = re.sub(r",0+$", "", clean)
        if not clean:
            if required:
                self.errors.append(self.tr(N_("%(field)s must be filled in."),
                                           field=self.tr(label)))
            return None
        if clean.startswith("-") and _AMOUNT.match(clean[1:]):
            self.errors.append(self.tr(
                N_("%(field)s cannot be negative; you entered “%(value)s”."),
                field=self.tr(label), value=raw))
            return None
        if not _AMOUNT.match(clean) or len(clean) > 18:
            self.errors.append(self.tr(
                N_("%(field)s: enter a whole number, e.g. 1.250.000; you entered “%(value)s”."),
                field=self.tr(label), value=raw))
            return None
        return int(clean.replace(".", ""))

    def whole(self, name: str, label: str, *, low: int, high: int,
              required: bool = False) -> int | None:
        raw = self.v(name).strip()
        if not raw:
            if required:
                self.errors.append(self.tr(N_("%(field)s must be filled in."),
                                           field=self.tr(label)))
            return None
        if not re.fullmatch(r"[-+]?\d{1,12}", raw):
            self.errors.append(self.tr(
                N_("%(field)s: enter a whole number from %(low)s to %(high)s; you entered "
                   "“%(value)s”."), field=self.tr(label), low=low, high=high, value=raw))
            return None
        number = int(raw)
        if number < low:
            self.errors.append(self.tr(
                N_("%(field)s: %(value)s is below the minimum of %(low)s."),
                field=self.tr(label), value=raw, low=low))
            return None
        if number > high:
            self.errors.append(self.tr(
                N_("%(field)s: %(value)s is above the maximum of %(high)s."),
                field=self.tr(label), value=raw, high=high))
            return None
        return number

    def day(self, name: str, label: str, *, required: bool = False) -> date | None:
        raw = self.v(name).strip()
        if not raw:
            if required:
                self.errors.append(self.tr(N_("%(field)s must be filled in."),
                                           field=self.tr(label)))
            return None
        try:
            if re.match(r"^\d{1,2}[/-]\d{1,2}[/-]\d{4}$", raw):
                d, m, y = (int(p) for p in re.split(r"[/-]", raw))
                return date(y, m, d)
            return date.fromisoformat(raw)
        except ValueError:
            self.errors.append(self.tr(
                N_("%(field)s: enter a date such as 2025-08-14; you entered “%(value)s”."),
                field=self.tr(label), value=raw))
            return None

    def ids(self, name: str) -> list[int]:
        return [int(v) for v in self.all(name) if v.isdigit() and len(v) < 12]

    def fail(self, error: MitradesaError) -> None:
        if isinstance(error, TransitionRefusedError):
            self.title = error.message.split(" Yang belum ada:")[0]
            self.errors.extend(error.missing)
        else:
            for message in error.details.get("problems") or [error.message]:
                if message not in self.errors:
                    self.errors.append(message)


def check_anyway(db: Session, form: Form, attempt: Callable[[], object]) -> None:
    """When the form already has errors, still run the use case on what could be read, only
    to add its objections, so that the user sees every problem at once; nothing it does is
    kept."""
    savepoint = db.begin_nested()
    try:
        attempt()
    except TransitionRefusedError:
        pass
    except MitradesaError as exc:
        form.fail(exc)
    finally:
        savepoint.rollback()


def blank(**defaults: Any) -> Form:
    """A form not yet submitted, showing its defaults."""
    values: dict[str, list[str]] = {}
    for key, value in defaults.items():
        if value is None:
            continue
        if isinstance(value, list | tuple | set):
            values[key] = [str(v) for v in value]
        else:
            values[key] = [value.isoformat() if isinstance(value, date) else str(value)]
    return Form(values)


def submitted(request: Request, data: FormData) -> Form:
    values: dict[str, list[str]] = {}
    for key, value in list(data.multi_items())[:MAX_VALUES]:
        if isinstance(value, str):
            values.setdefault(key, []).append(value[:MAX_FIELD])
    return Form(values, tr=translator(request))


def upload_of(data: FormData, name: str) -> tuple[str, bytes] | None:
    """(file name, content) of an uploaded file, read up to one byte past the limit (the
    service refuses what is too large); None when no file was chosen."""
    upload = data.get(name)
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    # Whole: the body limit bounds it, and a refusal states the real size.
    return upload.filename, upload.file.read()


# ------------------------------------------------------------------ showing


def village_choices(db: Session, user: User) -> list[tuple[str, list[tuple[str, str]]]]:
    """The villages a user may pick, grouped by kecamatan: the home regency for DPMD staff
    without a scope, otherwise those under the user's scope."""
    roots = user.scope_codes or [get_settings().home_region]
    found: dict[str, Any] = {}
    for root in roots:
        region = region_queries.get_region(db, root)
        if region.kind in VILLAGE_KINDS:
            found[region.code] = region
        for village in region_queries.descendants(db, root, kinds=VILLAGE_KINDS):
            found[village.code] = village
    villages = sorted((v for v in found.values() if can_see_village(user, v.code)),
                      key=lambda v: v.code)
    kecamatan = queries.village_names(db, [_kecamatan_of(v.code) for v in villages])
    groups: dict[str, list[tuple[str, str]]] = {}
    for village in villages:
        name = kecamatan.get(_kecamatan_of(village.code), _kecamatan_of(village.code))
        groups.setdefault(name, []).append((village.code, village.name))
    return list(groups.items())


def _kecamatan_of(code: str) -> str:
    return code.split(".P")[0].rsplit(".", 1)[0]


def file_size(size: int, locale: str = "id") -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return formatting.number(round(size / 1024), locale) + " KB"
    return formatting.file_size(size, locale)


def show(request: Request, template: str, context: dict[str, Any],
         status_code: int = 200) -> HTMLResponse:
    """`render` with the partnership vocabularies and Indonesian money and date formats."""
    locale = page_locale(request)

    return render(request, template, {
        "STAGES": labels(STAGES, locale), "PARTNER_KINDS": labels(PARTNER_KINDS, locale),
        "SECTORS": labels(SECTORS, locale), "DOCUMENT_KINDS": labels(DOCUMENT_KINDS, locale),
        "REPORT_STATUSES": labels(REPORT_STATUSES, locale),
        "tanggal": partial(formatting.short_date, locale=locale),
        "file_size": partial(file_size, locale=locale),
        "ok": OK_MESSAGES.get(request.query_params.get("ok", "")),
        "today": date.today().isoformat(), **context,
    }, status_code=status_code)


def done(path: str, ok: str, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"{path}?ok={ok}{'#' + anchor if anchor else ''}", status_code=303)


# ------------------------------------------------------------------ the dashboard


def _filter_code(value: str | None) -> str | None:
    text = (value or "").strip()
    if not text:
        return None
    try:
        return normalize_code(text)
    except (ValueError, MitradesaError):
        return None


@router.get("/kerja-sama")
@cached_page
def partnerships_dashboard(
    request: Request,
    db: SessionDep,
    user: CurrentUser,
    tahap: Annotated[str | None, Query(max_length=30)] = None,
    mitra: Annotated[str | None, Query(max_length=12)] = None,
    desa: Annotated[str | None, Query(max_length=30)] = None,
) -> Response:
    """Counts per stage, what needs attention, the newest changes, and the list with filters,
    all among the agreements the user may see."""
    everything = queries.visible_agreements(db, user)
    stage = tahap if tahap in STAGES else None
    partner_id = int(mitra) if (mitra or "").isdigit() else None
    village = _filter_code(desa)
    listed = [
        a for a in everything
        if (stage is None or a.stage == stage)
        and (partner_id is None or partner_id in a.partner_ids)
        and (village is None or village in a.village_codes)
    ]
    partners = {p.id: p for a in everything for p in a.partners}
    names = queries.village_names(db, [c for a in everything for c in a.village_codes])
    fmt = downloads.wanted_format(request)
    if fmt:
        table = partnership_downloads.agreements_table(listed, names, [
            (N_("Stage"), STAGES.get(stage or "", "")),
            (N_("Partner"), partners[partner_id].name if partner_id in partners else ""),
            (N_("Village"), names.get(village or "", village or ""))])
        return downloads.download(request, table, fmt)
    context = {
        "agreements": listed,
        "total": len(everything),
        "counts": Counter(a.stage for a in everything),
        "reminders": _reminders_in_words(everything, page_locale(request)),
        "demo_ids": {a.id for a in everything if a.demo},
        "recent": sorted(everything, key=lambda a: a.stage_changed_at, reverse=True)[:RECENT],
        "partners": sorted(partners.values(), key=lambda p: p.name),
        "villages": sorted(names.items(), key=lambda item: item[1]),
        "names": names,
        "filters": {"tahap": stage or "", "mitra": partner_id, "desa": village or ""},
        "filtered": bool(stage or partner_id or village),
        "can_create": user.role in ("admin", "pendamping"),
        "awaiting": [(a, r) for a in everything for r in a.reports if r.status == "diajukan"],
        "flagged": report_flags(everything, page_locale(request)),
        "titles": {a.id: a.title for a in everything},
    }
    return show(request, "partnerships/dashboard.html", context)


# ------------------------------------------------------------------ a village's partners


@router.get("/desa/{kode}/mitra-cocok")
@cached_page
def village_partner_matches(kode: str, request: Request, db: SessionDep,
                            user: CurrentUser) -> Response:
    """Partners likely to fund the village's weakest IDM indicators, with the reasons."""
    region = region_queries.get_region(db, kode)
    if region.kind not in VILLAGE_KINDS:
        return RedirectResponse(f"/wilayah/{region.code}", status_code=303)
    context = {
        "region": region,
        "trail": region_queries.ancestors(db, region),
        "matches": matching.partners_for_village(
            db, region.code, locale=page_locale(request)),
        "agreements": queries.visible_agreements(db, user, village_code=region.code),
        "can_open_partners": user.role != "mitra",
    }
    return show(request, "partnerships/village_matches.html", context)


def _reminders_in_words(agreements: list[Agreement], locale: str) -> list[dict[str, object]]:
    """The dashboard's reminders with their label and sentence in the page's language."""
    today = date.today()
    by_id = {a.id: a for a in agreements}
    return [{"kind": r.kind, "agreement_id": r.agreement_id, "title": r.title,
             "label": kind_name(r.kind, locale),
             "message": reminder_text(r, by_id[r.agreement_id], today, locale)}
            for r in reminders(agreements, today)]
