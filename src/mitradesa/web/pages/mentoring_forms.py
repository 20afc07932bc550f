"""What the mentoring pages share: who may read what, labels, reading forms, rendering.

Forms are read leniently and every problem is named in place, with what the user typed kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from mitradesa import formatting
from mitradesa.accounts.models import User
from mitradesa.accounts.scope import can_see_village
from mitradesa.errors import MitradesaError, NotFoundError, PermissionDeniedError
from mitradesa.mentoring.beneficiaries import who_of
from mitradesa.mentoring.checks import EDITORS
from mitradesa.mentoring.vocab import LEGALITY, WELFARE_CLASSES
from mitradesa.regions import queries as region_queries
from mitradesa.regions.models import VILLAGE_KINDS, Region
from mitradesa.settings import get_settings
from mitradesa.web.i18n import page_locale, translations
from mitradesa.web.templating import N_, render
from mitradesa.words import labels

MAX_FIELD = 2000
MAX_VALUES = 500

TARGET_LABELS = {"umkm": N_("UMKM"), "household": N_("Household"), "group": N_("Business group")}
FUNDER_LABELS = {
    "apbd": "APBD", "dana_desa": "Dana Desa", "kemitraan": N_("Partner commitment"),
    "baznas": "BAZNAS", "csr": "CSR", "lainnya": N_("Other"),
}
LEAVE_LABELS = {
    "pindah": N_("Moved away"), "menolak": N_("Declined to continue"), "meninggal": N_("Died"),
    "lulus": N_("Graduated (self-reliant)"), "tidak_ditemukan": N_("Cannot be found"),
}
BUYER_LABELS = {
    "hotel": N_("Hotel / restaurant"), "toko": N_("Shop / retail"),
    "kantin_pemerintah": N_("Government office canteen"), "eksportir": N_("Exporter"),
    "lainnya": N_("Other"),
}
SESSION_LABELS = {"pelatihan": N_("Training"), "kunjungan": N_("Visit")}
STATUS_LABELS = {"aktif": N_("active"), "lulus": N_("graduated"), "keluar": N_("left")}
NEED_LABELS = {
    "produksi": N_("Already producing / running a business?"),
    "mutu_legalitas": N_("Product quality and legality (NIB, PIRT/halal) adequate?"),
    "akses_pasar": N_("Selling regularly to steady buyers?"),
}
CRITERION_LABELS = {
    "omzet_minimal": N_("Monthly turnover at least (Rp)"),
    "pendapatan_minimal": N_("Monthly household income at least (Rp)"),
    "tenaga_kerja_minimal": N_("Workers at least"),
    "kontrak_pembeli": N_("Has a supply contract with a buyer"),
    "di_atas_prasejahtera": N_("Welfare class above prasejahtera"),
    "legalitas": N_("Has the permit"),
}
LABELS = {
    "targets": TARGET_LABELS, "funders": FUNDER_LABELS, "leave_reasons": LEAVE_LABELS,
    "buyer_kinds": BUYER_LABELS, "session_kinds": SESSION_LABELS, "statuses": STATUS_LABELS,
    "needs": NEED_LABELS, "criteria": CRITERION_LABELS, "welfare": WELFARE_CLASSES,
    "legality": LEGALITY,
}
OK_MESSAGES = {  # ?ok=… after a successful form: what was done
    "sesi": N_("The session and its attendance are recorded."),
    "asesmen": N_("The assessment is recorded and the stage follows from it."),
    "tahap": N_("The stage is changed."),
    "hasil": N_("The outcome is recorded."),
    "lulus": N_("Graduated: every criterion holds."),
    "keluar": N_("The participant has left the program; the record is kept."),
    "ubah": N_("Saved."),
    "foto": N_("The photo is uploaded."),
    "kontrak": N_("The supply contract is recorded."),
    "kirim": N_("The delivery is recorded."),
    "pembeli": N_("The buyer is recorded."),
}


# ------------------------------------------------------------------ who may read and edit


def reader(user: User) -> None:
    """Mentoring records are for DPMD, pendamping, village operators and viewers; a partner's
    account sees none of them."""
    if user.role == "mitra":
        raise PermissionDeniedError("Data pendampingan tidak terbuka untuk akun mitra.")


def see_village(user: User, code: str, what: str, key: int) -> None:
    """A record of a village outside the user's scope answers as one that does not exist, so
    that no one can tell which numbers are taken."""
    reader(user)
    if not can_see_village(user, code):
        raise NotFoundError(f"{what} nomor {key} tidak ditemukan.")


def can_edit(user: User, code: str) -> bool:
    return user.role in EDITORS and can_see_village(user, code)


def is_staff(user: User) -> bool:
    """DPMD and pendamping: programs, sessions and buyers."""
    return user.role in ("admin", "pendamping")


def village_choices(db: Session, user: User) -> list[tuple[str, list[tuple[str, str]]]]:
    """The villages a user may pick, grouped by kecamatan: the home regency for DPMD staff
    without a scope, otherwise the villages under the user's scope."""
    roots = user.scope_codes or [get_settings().home_region]
    found: dict[str, Any] = {}
    for root in roots:
        region = region_queries.get_region(db, root)
        if region.kind in VILLAGE_KINDS:
            found[region.code] = region
        for village in region_queries.descendants(db, root, kinds=VILLAGE_KINDS):
            found[village.code] = village
    villages = [v for v in found.values() if can_see_village(user, v.code)]
    kecamatan = place_names(db, {_kecamatan_of(v.code) for v in villages})
    groups: dict[str, list[tuple[str, str]]] = {}
    for village in sorted(villages, key=lambda v: v.code):
        name = kecamatan.get(_kecamatan_of(village.code), _kecamatan_of(village.code))
        groups.setdefault(name, []).append((village.code, village.name))
    return list(groups.items())


def _kecamatan_of(code: str) -> str:
    return code.split(".P")[0].rsplit(".", 1)[0]


def place_names(db: Session, codes: set[str] | list[str]) -> dict[str, str]:
    wanted = set(codes)
    if not wanted:
        return {}
    return dict(db.execute(select(Region.code, Region.name).where(Region.code.in_(wanted))).all())


# ------------------------------------------------------------------ reading forms


async def form_values(request: Request) -> dict[str, list[str]]:
    """Every text field of the submitted form, as lists (checkboxes repeat a name)."""
    form = await request.form()
    values: dict[str, list[str]] = {}
    for key, value in list(form.multi_items())[:MAX_VALUES]:
        if isinstance(value, str):
            values.setdefault(key, []).append(value[:MAX_FIELD])
    return values


FormValues = Annotated[dict[str, list[str]], Depends(form_values)]


def translator(request: Request) -> Callable[..., str]:
    gettext = translations(page_locale(request)).gettext

    def tr(message: str, **params: Any) -> str:
        text = gettext(message)
        return text % params if params else text

    return tr


_AMOUNT = re.compile(r"^\d{1,3}(\.\d{3})+$|^\d+$")
_DECIMAL = re.compile(r"^\d[\d.]*[.,]\d+$")
MAX_AMOUNT = 10**15  # a thousand trillion rupiah: anything above is a typing slip


def _thousands(value: int) -> str:
    return formatting.number(value)


@dataclass
class Form:
    """A form as the user filled it (or its defaults), and what is wrong with it."""

    values: dict[str, list[str]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    status: int = 400  # the HTTP status to show the form again with
    tr: Callable[..., str] = lambda message, **params: message % params if params else message

    def v(self, name: str, default: Any = "") -> str:
        found = self.values.get(name)
        return found[0] if found else ("" if default is None else str(default))

    def has(self, name: str, value: Any) -> bool:
        return str(value) in self.values.get(name, [])

    def all(self, name: str) -> list[str]:
        return [v for v in self.values.get(name, []) if v.strip()]

    def text(self, name: str, label: str = "", *, required: bool = False, limit: int = 300,
             lines: bool = False) -> str:
        value = self.v(name).strip() if lines else " ".join(self.v(name).split())
        if required and not value:
            self.errors.append(self.tr(N_("%(field)s must be filled in."), field=self.tr(label)))
        elif len(value) > limit:
            self.errors.append(self.tr(N_("%(field)s is too long (at most %(limit)s characters)."),
                                       field=self.tr(label), limit=limit))
        return value

    def amount(self, name: str, label: str, *, required: bool = False, minimum: int = 0,
               maximum: int = MAX_AMOUNT) -> int | None:
        """A whole number as written in Indonesia: 1.250.000, 1250000 or Rp1.250.000; the
        message says what is wrong with the value: not a number, not whole, or out of range."""
        raw = self.v(name).strip()
        clean = re.sub(r"\s+", "", raw)
        clean = re.sub(r"^(-?)rp\.?", r"\1", clean, flags=re.IGNORECASE)
        clean = re.sub(r",0+$", "", clean)
        if not clean:
            if required:
                self.errors.append(self.tr(N_("%(field)s must be filled in."),
                                           field=self.tr(label)))
            return None
        sign, digits = (-1, clean[1:]) if clean.startswith("-") else (1, clean)
        if not _AMOUNT.match(digits):
            message = (N_("%(field)s must be a whole number, without decimals; you entered "
                          "“%(value)s”.") if _DECIMAL.match(digits) else
                       N_("%(field)s: “%(value)s” is not a number; enter a whole number, e.g. "
                          "1.250.000."))
            self.errors.append(self.tr(message, field=self.tr(label), value=raw))
            return None
        value = sign * int(digits.replace(".", ""))
        if value < minimum:
            self.errors.append(self.tr(
                N_("%(field)s must be at least %(minimum)s; you entered %(value)s."),
                field=self.tr(label), minimum=_thousands(minimum), value=raw))
            return None
        if value > maximum:
            self.errors.append(self.tr(
                N_("%(field)s must be at most %(maximum)s; you entered %(value)s."),
                field=self.tr(label), maximum=_thousands(maximum), value=raw))
            return None
        return value

    def day(self, name: str, label: str, *, required: bool = True) -> date | None:
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
        """Add a refusal of the domain; all its problems when it names several."""
        for message in error.details.get("problems") or [error.message]:
            if message not in self.errors:
                self.errors.append(message)
        self.status = error.status


def blank(**defaults: Any) -> Form:
    """A form not yet submitted, showing its defaults."""
    values: dict[str, list[str]] = {}
    for key, value in defaults.items():
        if value is None:
            continue
        values[key] = [str(v) for v in value] if isinstance(value, list | tuple | set) \
            else [str(value)]
    return Form(values)


def submitted(request: Request, values: dict[str, list[str]]) -> Form:
    return Form(values, tr=translator(request))


# ------------------------------------------------------------------ showing


def show(request: Request, template: str, context: dict[str, Any],
         status_code: int = 200) -> HTMLResponse:
    """`render` with the mentoring labels and Indonesian number and date formats."""
    locale = page_locale(request)

    def tanggal(value: date | str | None) -> str:
        if isinstance(value, str):
            value = date.fromisoformat(value) if value else None
        return formatting.short_date(value, locale)

    def rp(value: int | float | None, signed: bool = False) -> str:
        if value is None:
            return "—"
        whole = round(value)
        sign = "−" if whole < 0 else ("+" if signed and whole > 0 else "")
        return sign + formatting.rupiah(abs(whole), locale)

    return render(request, template, {
        "L": {**LABELS, "welfare": labels(WELFARE_CLASSES, locale)}, "rupiah": rp, "who": who_of,
        "ok": OK_MESSAGES.get(request.query_params.get("ok", "")), "tanggal": tanggal,
        "today": date.today().isoformat(),
        **context,
    }, status_code=status_code)
