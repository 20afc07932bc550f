"""Every write route × every role × an in-scope request and, for each reference in its path
and body, a request where only that reference lies outside the user's scope.

A writer inside its scope succeeds and changes the database; anything else is refused and
changes nothing: 404 when a referenced record exists but the user may not see it (the same
answer as when it does not exist), 403 (or 404) when the role may not make the write or a
village code lies outside the scope. The table of routes is in write_access_cases.py; a
write route of the app missing from it fails `test_every_unsafe_route_is_in_the_table`.

Also here: pages (and the API) answer the same for "not yours" and "does not exist", and an
API PATCH without the record's `versi` is refused.

The world is built once per module and backend (write_access_data.py); each test runs in a
transaction that is rolled back.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Connection

from mitradesa.db.session import make_engine, session_factory
from mitradesa.web import permissions
from mitradesa.web.api import partnerships as partnership_api
from mitradesa.web.app import create_app
from mitradesa.web.pages import mentoring_people
from mitradesa.web.pages import partnerships as partnership_pages
from mitradesa.web.routes import all_routes
from tests.conftest import BACKENDS, csrf_of, login
from tests.web.write_access_cases import (
    ANOTHER_RECORDS_CASES,
    NEAR_CASES,
    NOT_WRITES,
    READ_ONLY_POSTS,
    WRITE_CASES,
    Call,
    WriteCase,
)
from tests.web.write_access_data import (
    MISSING_ID,
    ROLES,
    USERS,
    World,
    build_world,
    changed_tables,
    marker,
    snapshot,
)

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SEES_ALL_WRITERS = frozenset({"admin"})  # a writer without a scope: nothing is outside it


@dataclass
class Module:
    world: World
    connection: Connection
    client: TestClient
    before: dict[str, Any]  # the database as every test starts with it


@dataclass
class Env:
    world: World
    connection: Connection
    client: TestClient
    before: dict[str, Any]

    def changed(self) -> list[str]:
        """The record tables that differ from the world as built."""
        return changed_tables(self.before, snapshot(self.connection))

    def as_role(self, role: str) -> TestClient:
        self.client.cookies.clear()
        for name, value in self.world.cookies[role].items():
            self.client.cookies.set(name, value)
        return self.client

    def send(self, role: str, call: Call) -> Response:
        client = self.as_role(role)
        token = csrf_of(client)
        if call.is_api:
            return client.request(call.method, call.path, json=call.json, data=call.form or None,
                                  files=call.files, headers={"X-CSRF-Token": token})
        return client.request(call.method, call.path, data={**call.form, "csrf_token": token},
                              files=call.files, follow_redirects=False)


@pytest.fixture(scope="module", params=BACKENDS)
def module(request: pytest.FixtureRequest, engines,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Module]:
    """The world, with every role logged in, inside a transaction on the suite's database of
    one backend, rolled back when the module is done (as conftest's `connection` does per
    test)."""
    connection = engines(request.param).connect()
    outer = connection.begin()
    store = tmp_path_factory.mktemp("write-access-files")
    try:
        with pytest.MonkeyPatch.context() as patch:
            for target, name in ((partnership_api, "documents_dir"),
                                 (partnership_pages, "documents_dir"),
                                 (mentoring_people, "photos_dir")):
                patch.setattr(target, name, lambda folder=store / name: Path(folder))
            with session_factory(connection)() as session:
                world = build_world(session, store)
            app = create_app(engine=connection)
            with TestClient(app, base_url="http://testserver",
                            raise_server_exceptions=False) as client:
                for role, (username, _scope) in USERS.items():
                    client.cookies.clear()
                    login(client, username)
                    csrf_of(client)
                    world.cookies[role] = dict(client.cookies.items())
                yield Module(world, connection, client, snapshot(connection))
    finally:
        outer.rollback()
        connection.close()


@pytest.fixture
def env(module: Module) -> Iterator[Env]:
    """Each test inside a savepoint of the module's transaction, rolled back after it."""
    test = module.connection.begin_nested()
    try:
        yield Env(module.world, module.connection, module.client, module.before)
    finally:
        if test.is_active:
            test.rollback()


# ------------------------------------------------------------------ what to expect


@dataclass(frozen=True)
class Expect:
    succeeds: bool
    statuses: frozenset[int] = frozenset()
    why: str = ""


BOUND_REFUSED = Expect(False, frozenset({400, 422}), "a member from another village than the "
                       "group's contradicts the body, whoever may see both villages")


def expected(case: WriteCase, role: str, out: str | None) -> Expect:
    if role not in case.writers:
        return Expect(False, frozenset({403, 404}), f"the {role} role may not make this write")
    if out is not None and case.refs[out] == "own":
        return Expect(False, frozenset({404}), f"{out} is another user's: one's own account "
                                               "reaches only one's own (404 for the admin too)")
    if out in case.bound and role in SEES_ALL_WRITERS:
        return BOUND_REFUSED
    if out is None or role in SEES_ALL_WRITERS:
        return Expect(True)
    if case.refs[out] == "record":
        return Expect(False, frozenset({404}), f"{out} is a record the {role} may not see "
                                               "(contract: 404, as if it did not exist)")
    return Expect(False, frozenset({403, 404}), f"village {out} is outside the {role}'s scope")


def matrix() -> Iterator[object]:
    """A role that may not make the write is tried in scope only: out of it adds nothing."""
    for route, case in WRITE_CASES.items():
        for role in ROLES:
            for out in (None, *case.refs) if role in case.writers else (None,):
                label = f"{out}_out" if out else "in"
                yield pytest.param(route, role, out, id=f"{route}-{role}-{label}")


def describe(call: Call, response: Response) -> str:
    """The request and what came back, readable: a page's main text without its markup."""
    body = response.text
    if "html" in response.headers.get("content-type", ""):
        main = re.search(r"<main[^>]*>(.*?)</main>", body, re.DOTALL)
        body = re.sub(r"<[^>]+>", " ", main[1] if main else body)
    body = " ".join(body.split())[:300]
    where = f" → {response.headers['location']}" if "location" in response.headers else ""
    return f"{call.method} {call.path} → {response.status_code}{where}: {body}"


@pytest.mark.parametrize(("route", "role", "out"), list(matrix()))
def test_write_is_refused_outside_the_scope_and_changes_nothing(env, route, role, out):
    case = WRITE_CASES[route]
    check(env, role, case.build(replace(env.world, acting=role), out), expected(case, role, out))


@pytest.mark.parametrize(("route", "role"), [
    pytest.param(route, role, id=f"{route}-{role}")
    for route in ANOTHER_RECORDS_CASES for role in sorted(WRITE_CASES[route].writers)])
def test_a_record_named_under_another_is_not_found(env, route, role):
    """A report of another agreement, a token of another user: 404 for every writer, the
    admin (who sees both) included, and nothing changes."""
    call = ANOTHER_RECORDS_CASES[route](replace(env.world, acting=role))
    check(env, role, call, Expect(False, frozenset({404}), "the record is not the named one's"))


def near_matrix() -> Iterator[object]:
    for route, refs in NEAR_CASES.items():
        for role in ("operator_desa", "pendamping"):
            for out in refs:
                if role in WRITE_CASES[route].writers:
                    yield pytest.param(route, role, out, id=f"{route}-{role}-{out}_near")


@pytest.mark.parametrize(("route", "role", "out"), list(near_matrix()))
def test_the_next_village_is_outside_an_operators_scope(env, route, role, out):
    """Sungai Meriam lies beside the operator's Sepatin, in the pendamping's kecamatan: the
    operator is refused, the pendamping (whose scope holds it) is not."""
    case = WRITE_CASES[route]
    call = case.build(replace(env.world, far="near", acting=role), out)
    if role == "operator_desa":
        expect = expected(case, role, out)
    else:
        expect = BOUND_REFUSED if out in case.bound else Expect(True)
    check(env, role, call, expect)


def check(env: Env, role: str, call: Call, expect: Expect) -> None:
    response = env.send(role, call)
    changed = env.changed()
    status = response.status_code
    if expect.succeeds:
        assert 200 <= status < 400, f"should succeed: {describe(call, response)}"
        assert changed, f"answered {status} but changed nothing: {describe(call, response)}"
    else:
        assert not changed, (f"should be refused ({expect.why}) but changed {changed}: "
                             f"{describe(call, response)}")
        assert status in expect.statuses, (
            f"refused without change, but with {status} instead of "
            f"{sorted(expect.statuses)} ({expect.why}): {describe(call, response)}")


# ------------------------------------------------------------------ the table is complete


@pytest.fixture(scope="module")
def routes_app() -> FastAPI:
    """The app only for its route list: no database is opened."""
    return create_app(engine=make_engine("sqlite://"))


def test_every_unsafe_route_is_in_the_table(routes_app):
    unsafe = {r.name for r in all_routes(routes_app) if r.methods & UNSAFE}
    listed = set(WRITE_CASES) | set(READ_ONLY_POSTS) | set(NOT_WRITES)
    assert sorted(unsafe - listed) == [], "write routes without a case in write_access_cases.py"


def test_every_entry_of_the_table_names_an_unsafe_route(routes_app):
    unsafe = {r.name for r in all_routes(routes_app) if r.methods & UNSAFE}
    listed = [*WRITE_CASES, *READ_ONLY_POSTS, *NOT_WRITES]
    assert sorted(set(listed) - unsafe) == []
    assert len(listed) == len(set(listed)), "a route is listed twice"


def test_every_case_has_a_writer_and_each_write_route_a_rule():
    for route, case in WRITE_CASES.items():
        assert case.writers, route
        assert route in permissions.RULES, route


@pytest.mark.parametrize("route", sorted(READ_ONLY_POSTS))
@pytest.mark.parametrize("role", ROLES)
def test_read_only_posts_change_nothing(env, route, role):
    call = READ_ONLY_POSTS[route](env.world)
    response = env.send(role, call)
    assert response.status_code < 500, describe(call, response)
    assert env.changed() == [], describe(call, response)


def test_a_program_without_villages_is_refused_to_a_pendamping(env):
    """A program with no village is every user's to see: a scoped user may not make one."""
    world = replace(env.world, acting="pendamping")
    body = {**WRITE_CASES["api_create_program"].build(world, None).json, "desa": []}
    call = Call("POST", "/api/v1/programs", json=body)
    response = env.send("pendamping", call)
    assert env.changed() == [], describe(call, response)
    assert response.status_code in (400, 403, 404, 422), describe(call, response)


# ------------------------------------------------------------------ PATCH needs `versi`


PATCH_ROUTES = ("api_update_agreement", "api_update_partner")


def test_every_patch_route_is_checked_for_versi(routes_app):
    """A new PATCH route: add it to PATCH_ROUTES (its WRITE_CASES body must carry `versi`)."""
    patches = {r.name for r in all_routes(routes_app) if "PATCH" in r.methods}
    assert patches == set(PATCH_ROUTES)


@pytest.mark.parametrize("route", PATCH_ROUTES)
def test_patch_without_versi_is_refused_with_422(env, route):
    call = WRITE_CASES[route].build(replace(env.world, acting="admin"), None)
    assert call.json is not None and "versi" in call.json
    unversioned = Call(call.method, call.path, json={k: v for k, v in call.json.items()
                                                     if k != "versi"})
    response = env.send("admin", unversioned)
    assert env.changed() == [], describe(unversioned, response)
    assert response.status_code == 422, describe(unversioned, response)
    assert "versi" in response.text


# ------------------------------------------------------------------ "not yours" = "missing"


@dataclass(frozen=True)
class Lookup:
    """A GET with a record id in its path: the out-of-scope record's path (or a missing
    one's), the roles it lies outside of, and a text of the record that must not show."""

    path: str  # format fields: the ids, from `ids(world)`, or MISSING_ID
    ids: tuple[str, ...]  # World attributes, out-of-scope side
    outsiders: tuple[str, ...]
    secret: str = ""
    # Roles shut out of this kind of record as a whole (a mitra sees no mentoring record):
    # 403 for both is then the same answer too.
    closed_to: tuple[str, ...] = ()


SCOPED = ("pendamping", "operator_desa", "mitra")
NOT_ADMIN = tuple(role for role in ROLES if role != "admin")
MENTORING_PAGE: dict[str, Any] = {"outsiders": SCOPED, "closed_to": ("mitra",)}
LOOKUPS: dict[str, Lookup] = {
    # pages
    "partner_page": Lookup("/mitra/{0}", ("partner",), ("mitra",), marker("mitra", "out")),
    "partner_report_pdf": Lookup("/mitra/{0}/laporan.pdf", ("partner",), ("mitra",)),
    "partner_report_xlsx": Lookup("/mitra/{0}/laporan.xlsx", ("partner",), ("mitra",)),
    "mou_page": Lookup("/kerja-sama/mou/{0}", ("mou",), ("mitra",), marker("mou", "out")),
    "agreement_page": Lookup("/kerja-sama/{0}", ("agreement",), SCOPED,
                             marker("perjanjian", "out")),
    "agreement_edit_form": Lookup("/kerja-sama/{0}/ubah", ("agreement",), SCOPED,
                                  marker("perjanjian", "out")),
    "agreement_document": Lookup("/kerja-sama/{0}/dokumen/{1}", ("running", "document"),
                                 SCOPED),
    "mentoring_program": Lookup("/pendampingan/program/{0}", ("program",),
                                secret=marker("program", "out"), **MENTORING_PAGE),
    "mentoring_enrolment": Lookup("/pendampingan/peserta/{0}", ("enrolment",),
                                  secret=marker("umkm", "out"), **MENTORING_PAGE),
    "mentoring_umkm": Lookup("/pendampingan/umkm/{0}", ("umkm",),
                             secret=marker("umkm", "out"), **MENTORING_PAGE),
    "mentoring_umkm_photo": Lookup("/pendampingan/umkm/{0}/foto/{1}", ("umkm", "photo"),
                                   **MENTORING_PAGE),
    "mentoring_success_story": Lookup("/pendampingan/umkm/{0}/kisah-sukses", ("umkm",),
                                      secret=marker("umkm", "out"), **MENTORING_PAGE),
    "mentoring_household": Lookup("/pendampingan/rumah-tangga/{0}", ("household",),
                                  secret=marker("kepala", "out"), **MENTORING_PAGE),
    "mentoring_group": Lookup("/pendampingan/kelompok/{0}", ("group",),
                              secret=marker("kelompok", "out"), **MENTORING_PAGE),
    # API
    "api_partner": Lookup("/api/v1/partners/{0}", ("partner",), ("mitra",),
                          marker("mitra", "out")),
    "api_partner_matching_villages": Lookup("/api/v1/partners/{0}/matching-villages",
                                            ("partner",), ("mitra",)),
    "api_mou": Lookup("/api/v1/mous/{0}", ("mou",), ("mitra",), marker("mou", "out")),
    "api_agreement": Lookup("/api/v1/agreements/{0}", ("agreement",), SCOPED,
                            marker("perjanjian", "out")),
    "api_download_document": Lookup("/api/v1/agreements/{0}/documents/{1}",
                                    ("running", "document"), SCOPED),
    "api_program": Lookup("/api/v1/programs/{0}", ("program",), SCOPED, marker("program", "out")),
    "api_enrolments": Lookup("/api/v1/programs/{0}/enrolments", ("program",), SCOPED,
                             marker("umkm", "out")),
    "api_enrolment": Lookup("/api/v1/enrolments/{0}", ("enrolment",), SCOPED,
                            marker("umkm", "out")),
    "api_household": Lookup("/api/v1/households/{0}", ("household",), SCOPED,
                            marker("kepala", "out")),
    "api_umkm": Lookup("/api/v1/umkm/{0}", ("umkm",), SCOPED, marker("umkm", "out")),
    "api_success_story": Lookup("/api/v1/umkm/{0}/success-story", ("umkm",), SCOPED,
                                marker("umkm", "out")),
    "api_deliveries": Lookup("/api/v1/contracts/{0}/deliveries", ("contract",), SCOPED),
    # Accounts: the admin's alone; for any other role, another user's account answers like
    # an unknown username (403 before the lookup).
    "admin_user_page": Lookup("/admin/pengguna/{0}", ("account",), NOT_ADMIN),
    "api_user": Lookup("/api/v1/users/{0}", ("account",), NOT_ADMIN),
    "api_user_sessions": Lookup("/api/v1/users/{0}/sessions", ("account",), NOT_ADMIN),
    "api_user_tokens": Lookup("/api/v1/users/{0}/tokens", ("account",), NOT_ADMIN),
    "admin_edit_user_form": Lookup("/admin/pengguna/{0}/ubah", ("account",), NOT_ADMIN),
}


def lookup_matrix() -> Iterator[object]:
    for route, lookup in LOOKUPS.items():
        for role in lookup.outsiders:
            yield pytest.param(route, role, id=f"{route}-{role}")


RECORD_IN_PATH = re.compile(r"_id\}|\{username\}")  # a record's id, or an account's name


def test_every_get_route_with_a_record_id_has_a_lookup(routes_app):
    with_ids = {r.name for r in all_routes(routes_app)
                if "GET" in r.methods and RECORD_IN_PATH.search(r.path)}
    assert sorted(with_ids - set(LOOKUPS)) == []
    assert sorted(set(LOOKUPS) - with_ids) == []


@pytest.mark.parametrize(("route", "role"), list(lookup_matrix()))
def test_not_yours_answers_like_does_not_exist(env, route, role):
    lookup = LOOKUPS[route]
    existing = lookup.path.format(*(getattr(env.world, name)["out"] for name in lookup.ids))
    missing = lookup.path.format(*(MISSING_ID for _ in lookup.ids))
    client = env.as_role(role)
    hidden, absent = (client.get(path, follow_redirects=False) for path in (existing, missing))
    if role not in (permissions.RULES[route].roles or ()):
        wanted = {403}  # the route's rule refuses the role before any record is looked up
    else:
        wanted = {403, 404} if role in lookup.closed_to else {404}
    assert hidden.status_code == absent.status_code and hidden.status_code in wanted, (
        f"{role}: GET {existing} → {hidden.status_code}, GET {missing} → "
        f"{absent.status_code} (both should be {' or '.join(map(str, sorted(wanted)))})")
    if lookup.secret:
        assert lookup.secret not in hidden.text
    if existing.startswith("/api/"):
        assert hidden.json()["error"]["reason"] == absent.json()["error"]["reason"]


# ------------------------------------------------------------------ the world holds


def test_every_role_is_still_logged_in(env):
    """The account writes above (a password changed, sessions ended, an account switched off)
    were rolled back with their test: each role's login of the world still answers as that
    user (run last in file order, it sees what every test before it left)."""
    for role, (username, _scope) in USERS.items():
        response = env.as_role(role).get("/api/v1/me")
        assert response.status_code == 200, f"{role}: {response.status_code} {response.text}"
        assert response.json()["username"] == username
    assert env.changed() == []
