"""The top bar's menu: every section a user may open, decided by the routes' own access rules
(`web/permissions.py` RULES through `may_open`), never by a second list of roles.

A menu entry names the path it links to; the route answering GET on that path gives the rule.
A path no route answers (a section not installed) is left out, so is any path the user's
rule or scope would refuse: the menu never offers a link that answers 403 or 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from fastapi import FastAPI, Request

from mitradesa.accounts.models import User
from mitradesa.regions.codes import is_within
from mitradesa.settings import get_settings
from mitradesa.web.routes import all_routes
from mitradesa.web.security import may_open
from mitradesa.web.templating import N_

# (label, path under a region /wilayah/{kode}, path under a village /desa/{kode}); a path
# without {kode} is the same for everyone. None: no such page at that level.
Entry = tuple[str, str | None, str | None]


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    entries: tuple[Entry, ...]


SECTIONS: tuple[Section, ...] = (
    Section("indeks", N_("Indices"), (
        (N_("Indeks Desa"), "/wilayah/{kode}/indeks-desa", "/desa/{kode}/indeks-desa"),
        (N_("IDM"), "/wilayah/{kode}/idm", "/desa/{kode}/idm"),
        (N_("Data quality"), "/wilayah/{kode}/idm/kualitas", None),
    )),
    Section("analisis", N_("Analysis"), (
        (N_("Inequality"), "/wilayah/{kode}/analisis", None),
        (N_("Where to intervene"), "/wilayah/{kode}/analisis/sasaran", None),
        (N_("Fragile statuses"), "/wilayah/{kode}/analisis/ketahanan", None),
        (N_("What moves the index"), "/wilayah/{kode}/analisis/kontribusi", None),
        (N_("Budget plan"), "/wilayah/{kode}/rencana", None),
    )),
    Section("kerja-sama", N_("Partnerships"), (
        (N_("Partnerships"), "/kerja-sama", "/kerja-sama"),
    )),
    Section("pendampingan", N_("Mentoring"), (
        (N_("Mentoring"), "/pendampingan", "/pendampingan"),
    )),
    Section("kelola", N_("Manage"), (
        (N_("Users"), "/admin/pengguna", "/admin/pengguna"),
        (N_("Audit log"), "/audit", "/audit"),
        (N_("Imports"), "/impor", "/impor"),
    )),
)


@dataclass(frozen=True)
class Link:
    label: str
    href: str
    current: bool


@dataclass(frozen=True)
class Menu:
    key: str
    label: str
    links: tuple[Link, ...]

    @property
    def current(self) -> bool:
        return any(link.current for link in self.links)

    @property
    def single(self) -> Link | None:
        """A section of one page is a plain link, not a drop-down."""
        return self.links[0] if len(self.links) == 1 else None


def _route_names(app: FastAPI) -> dict[str, str]:
    """GET path template → route name, cached on the app."""
    found = getattr(app.state, "nav_route_names", None)
    if found is None:
        found = {r.path: r.name for r in all_routes(app) if "GET" in r.methods}
        app.state.nav_route_names = found
    return found


def work_region(user: User) -> str | None:
    """The region the menu's region pages open on: the home regency for DPMD staff without a
    scope, the one scope code, or what several scope codes share (None: nothing)."""
    scopes = user.scope_codes
    if not scopes:
        return get_settings().home_region if user.role in ("admin", "viewer") else None
    return _shared(scopes)


@lru_cache(maxsize=256)
def _shared_cached(scopes: tuple[str, ...]) -> str | None:
    parts = [s.split(".") for s in scopes]
    common: list[str] = []
    for pieces in zip(*parts, strict=False):
        if len(set(pieces)) != 1:
            break
        common.append(pieces[0])
    code = ".".join(common)
    return code if code and all(is_within(s, code) for s in scopes) else None


def _shared(scopes: list[str]) -> str | None:
    return _shared_cached(tuple(scopes))


def _is_village(code: str) -> bool:
    return code.count(".") >= 3


def menus(request: Request, user: User | None) -> list[Menu]:
    """The sections `user` may open, each with the links it may follow, in the menu's
    order; sections with no link are left out. The page's own link is marked current."""
    if user is None:
        return []
    names = _route_names(request.app)
    code = work_region(user)
    found: list[tuple[Section, list[tuple[str, str]]]] = []
    for section in SECTIONS:
        links: list[tuple[str, str]] = []
        for label, region_path, village_path in section.entries:
            template = village_path if code and _is_village(code) else region_path
            if template is None or ("{kode}" in template and not code):
                continue
            route = names.get(template)
            if route is not None and may_open(user, route, code or ""):
                links.append((label, template.replace("{kode}", code or "")))
        if links:
            found.append((section, links))
    current = _current(request.url.path, [href for _s, links in found for _l, href in links])
    return [Menu(section.key, section.label,
                 tuple(Link(label, href, href == current) for label, href in links))
            for section, links in found]


def _current(path: str, hrefs: list[str]) -> str | None:
    """The link the page belongs to: the longest one the path starts with (a partner's page
    belongs to partnerships)."""
    if path.startswith("/mitra"):
        path = "/kerja-sama" + path
    matching = [h for h in hrefs if path == h or path.startswith(h + "/")]
    return max(matching, key=len, default=None)


# Roles in plain words: short in the top bar, the longer description in its tooltip.
ROLE_LABELS = {
    "admin": N_("Admin"),
    "pendamping": N_("Pendamping"),
    "operator_desa": N_("Village operator"),
    "mitra": N_("Partner"),
    "viewer": N_("DPMD staff"),
}
ROLE_DESCRIPTIONS = {
    "admin": N_("DPMD administrator: every village, accounts, imports and the audit log"),
    "pendamping": N_("Village pendamping: the villages of the assigned area"),
    "operator_desa": N_("Village operator: the assigned village"),
    "mitra": N_("Partner: its own agreements and reports"),
    "viewer": N_("DPMD staff, read only"),
}
