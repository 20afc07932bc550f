"""The world the write-access tests act on: for an in-scope and an out-of-scope village, one
of every record a write can refer to, and a user of every role, logged in once.

In scope: Sepatin (Anggana), the village of the operator and inside the pendamping's
kecamatan. Out of scope: Loh Sumber (Loa Kulu), outside both. Near: Sungai Meriam, in the
same kecamatan as Sepatin, outside the operator's village only (households, UMKM and an
enrolment there). The mitra acts for the in-scope side's partner. Admin and viewer have no
scope (they see everything). Another account (OTHER_USER, a mitra of the out-of-scope side's
partner) is what the admin's account routes act on; every user has a spare session and a
token for the own-account routes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from mitradesa.accounts import management, sessions, tokens
from mitradesa.accounts import services as accounts
from mitradesa.accounts.clock import digest
from mitradesa.accounts.models import UserSession
from mitradesa.db.models import Base  # every model, so the metadata is whole
from mitradesa.mentoring import beneficiaries, enrolments, markets, programs
from mitradesa.partnerships import services as partnerships
from mitradesa.regions import persiapan
from tests.conftest import LOH_SUMBER, PASSWORD, SEPATIN, SUNGAI_MERIAM
from tests.partnerships.fixtures import CONTENT, walk_to

SIDES = ("in", "out")
VILLAGE = {"in": SEPATIN, "out": LOH_SUMBER, "near": SUNGAI_MERIAM}
PENDAMPING_KECAMATAN = SEPATIN.rsplit(".", 1)[0]  # Anggana
MISSING_ID = 987_654
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")
CRITERIA = [{"kind": "omzet_minimal", "value": 1_000_000}]

# Role → (username, scope). Each is logged in once per module.
USERS: dict[str, tuple[str, list[str]]] = {
    "admin": ("wa.admin", []),
    "pendamping": ("wa.pendamping", [PENDAMPING_KECAMATAN]),
    "operator_desa": ("wa.operator", [SEPATIN]),
    "mitra": ("wa.mitra", []),
    "viewer": ("wa.viewer", []),
}
ROLES = tuple(USERS)
# An account that none of the roles above logs in with: the admin's account routes act on it,
# and its session and token are "another user's" for the own-account routes. A mitra of the
# out-of-scope side's partner, it also submits that side's report.
OTHER_USER = "wa.lain"
UNSCOPED = frozenset({"admin", "viewer"})  # no scope: every village is theirs to see


def marker(kind: str, side: str) -> str:
    """A name that appears in no page unless that record's data is shown."""
    return f"Rahasia {kind} {side} QX"


@dataclass
class World:
    """Ids (and codes) of the records, per side."""

    far: str = "out"  # the side an out-of-scope reference takes: "out", or "near"

    partner: dict[str, int] = field(default_factory=dict)
    partner_version: dict[str, int] = field(default_factory=dict)
    mou: dict[str, int] = field(default_factory=dict)
    agreement: dict[str, int] = field(default_factory=dict)  # persiapan: editable
    agreement_version: dict[str, int] = field(default_factory=dict)
    running: dict[str, int] = field(default_factory=dict)  # evaluasi: reports, evaluation
    commitment: dict[str, int] = field(default_factory=dict)
    report: dict[str, int] = field(default_factory=dict)
    document: dict[str, int] = field(default_factory=dict)
    household: dict[str, int] = field(default_factory=dict)
    umkm: dict[str, int] = field(default_factory=dict)
    umkm_version: dict[str, int] = field(default_factory=dict)
    free_umkm: dict[str, int] = field(default_factory=dict)  # enrolled nowhere
    photo: dict[str, int] = field(default_factory=dict)
    group: dict[str, int] = field(default_factory=dict)
    program: dict[str, int] = field(default_factory=dict)
    enrolment: dict[str, int] = field(default_factory=dict)
    shared_program: int = 0  # villages of both sides
    shared_enrolment: dict[str, int] = field(default_factory=dict)
    contract: dict[str, int] = field(default_factory=dict)
    persiapan: dict[str, str] = field(default_factory=dict)
    buyer: int = 0
    cookies: dict[str, dict[str, str]] = field(default_factory=dict)  # role → session cookies
    # Report verification: agreements in the reporting stage, each with a report a mitra
    # submitted (`diajukan`). "in": an agreement of both sides' villages, its report on the
    # in-scope village; "out": the out-of-scope side's running agreement and its report.
    review_agreement: dict[str, int] = field(default_factory=dict)
    submitted_report: dict[str, int] = field(default_factory=dict)
    far_village_report: int = 0  # on review_agreement["in"], about the out-of-scope village
    # Accounts. The role making the request (set by the test: the own-account routes name
    # that user's own session or token); per role a second session (not the one logged in)
    # and a token; and another user's account, session and token.
    acting: str = ""
    own_session: dict[str, str] = field(default_factory=dict)  # role → public id
    own_token: dict[str, int] = field(default_factory=dict)  # role → token id
    account: dict[str, str] = field(default_factory=dict)  # "out" → OTHER_USER
    other_session: str = ""
    other_token: int = 0


def build_world(session: Session, store: Path) -> World:
    """Every record through the domain services (actor None: the trusted command line)."""
    w = World()
    buyer = markets.create_buyer(session, None, name="Hotel Uji Tenggarong", kind="hotel")
    w.buyer = buyer.id
    program_shared = programs.create_program(
        session, None, name=marker("program", "bersama"), funder="apbd", target_type="umkm",
        village_codes=list(VILLAGE.values()), graduation_criteria=CRITERIA)
    w.shared_program = program_shared.id
    _build_near(session, w, program_shared)
    for side in SIDES:
        village = VILLAGE[side]
        partner = partnerships.create_partner(
            session, None, name=marker("mitra", side), kind="csr_swasta", sectors=["umkm"])
        mou = partnerships.create_mou(session, None, title=marker("mou", side),
                                      region_code="64.02", partner_ids=[partner.id])
        draft = partnerships.create_agreement(
            session, None, title=marker("perjanjian", side), partner_ids=[partner.id],
            village_codes=[village], scope=["umkm"], mou_id=mou.id)
        running = partnerships.create_agreement(
            session, None, title=marker("pelaksanaan", side), partner_ids=[partner.id],
            village_codes=[village], scope=["umkm"], **CONTENT)
        walk_to(session, running, "evaluasi", store)
        household = beneficiaries.register_household(
            session, None, kk_number=f"64020{'1' if side == 'in' else '2'}0101230001",
            head_name=marker("kepala", side), village_code=village,
            welfare_class="prasejahtera", monthly_income_rupiah=1_000_000)
        umkm = beneficiaries.register_umkm(
            session, None, name=marker("umkm", side), owner_name=marker("pemilik", side),
            village_code=village, monthly_turnover_rupiah=3_000_000,
            household_id=household.id)
        free = beneficiaries.register_umkm(session, None, name=f"Usaha bebas {side}",
                                       owner_name="Pemilik", village_code=village,
                                       monthly_turnover_rupiah=2_000_000)
        photo = beneficiaries.add_umkm_photo(session, None, umkm, filename="foto.png", content=PNG,
                                         store_dir=store)
        group = beneficiaries.create_group(session, None, name=marker("kelompok", side),
                                       village_code=village, household_ids=[household.id],
                                       umkm_ids=[umkm.id])
        program = programs.create_program(
            session, None, name=marker("program", side), funder="apbd", target_type="umkm",
            village_codes=[village], graduation_criteria=CRITERIA)
        enrolment = enrolments.enrol(session, None, program, on=date(2025, 2, 1), umkm_id=umkm.id)
        shared = enrolments.enrol(session, None, program_shared, on=date(2025, 2, 1),
                                 umkm_id=umkm.id)
        contract = markets.create_contract(
            session, None, buyer_id=buyer.id, umkm_id=umkm.id, product="Amplang",
            start_date=date(2025, 3, 1), price_rupiah=50_000)
        provisional = persiapan.add_desa_persiapan(session, village, f"Persiapan Uji {side}")
        session.flush()
        w.partner[side], w.partner_version[side] = partner.id, partner.version
        w.mou[side] = mou.id
        w.agreement[side], w.agreement_version[side] = draft.id, draft.version
        w.running[side] = running.id
        w.commitment[side] = running.commitments[0].id
        w.report[side] = running.reports[0].id
        w.document[side] = running.documents[0].id
        w.household[side] = household.id
        w.umkm[side], w.umkm_version[side] = umkm.id, umkm.version
        w.free_umkm[side] = free.id
        w.photo[side] = photo.id
        w.group[side] = group.id
        w.program[side] = program.id
        w.enrolment[side] = enrolment.id
        w.shared_enrolment[side] = shared.id
        w.contract[side] = contract.id
        w.persiapan[side] = provisional.code
    for role, (username, scope) in USERS.items():
        organisation = marker("mitra", "in") if role == "mitra" else ""
        user = accounts.create_user(session, username=username, password=PASSWORD, role=role,
                                    scope_codes=scope, organisation=organisation)
        if role == "mitra":
            partner = partnerships.get_partner(session, w.partner["in"])
            partnerships.add_partner_member(session, None, partner, user)
        w.own_session[role], w.own_token[role] = _session_and_token(session, user)
    other = accounts.create_user(session, username=OTHER_USER, password=PASSWORD, role="mitra",
                                 organisation=marker("mitra", "out"))
    partnerships.add_partner_member(
        session, None, partnerships.get_partner(session, w.partner["out"]), other)
    w.account["out"] = OTHER_USER
    w.other_session, w.other_token = _session_and_token(session, other)
    _build_submitted_reports(session, w, store)
    session.commit()
    return w


def _session_and_token(session: Session, user: Any) -> tuple[str, int]:
    """A login session (besides any the tests start) and an API token of `user`."""
    value = sessions.start_session(session, user, client="uji", user_agent="uji")
    row = session.scalars(select(UserSession).where(UserSession.token_hash == digest(value)))
    token = tokens.create_api_token(session, user, "token uji")
    return row.one().public_id, session.scalars(tokens.token_by_value(token)).one().id


def _build_submitted_reports(session: Session, w: World, store: Path) -> None:
    """Reports waiting for verification, each submitted by a mitra of the agreement."""
    mitra = management.find_user(session, USERS["mitra"][0])
    other = management.find_user(session, OTHER_USER)
    both = partnerships.create_agreement(
        session, None, title=marker("pelaksanaan", "bersama"), partner_ids=[w.partner["in"]],
        village_codes=[VILLAGE["in"], VILLAGE["out"]], scope=["umkm"], **CONTENT)
    walk_to(session, both, "evaluasi", store)
    out = partnerships.get_agreement(session, w.running["out"])

    def submit(user: Any, agreement: Any, side: str) -> int:
        report = partnerships.add_report(
            session, user, agreement, reported_on=date(2025, 9, 15),
            summary=f"Laporan mitra {side}", spent_rupiah=1_000_000,
            village_code=VILLAGE[side])
        assert report.status == "diajukan", report.status
        return report.id

    w.review_agreement = {"in": both.id, "out": out.id}
    w.submitted_report = {"in": submit(mitra, both, "in"), "out": submit(other, out, "out")}
    w.far_village_report = submit(mitra, both, "out")


def _build_near(session: Session, w: World, program_shared: Any) -> None:
    village = VILLAGE["near"]
    household = beneficiaries.register_household(
        session, None, kk_number="6402030101230001", head_name=marker("kepala", "near"),
        village_code=village, welfare_class="prasejahtera")
    umkm = beneficiaries.register_umkm(session, None, name=marker("umkm", "near"),
                                   owner_name="Pemilik", village_code=village,
                                   monthly_turnover_rupiah=3_000_000, household_id=household.id)
    free = beneficiaries.register_umkm(session, None, name="Usaha bebas near", owner_name="Pemilik",
                                   village_code=village)
    shared = enrolments.enrol(session, None, program_shared, on=date(2025, 2, 1), umkm_id=umkm.id)
    w.household["near"], w.umkm["near"], w.free_umkm["near"] = household.id, umkm.id, free.id
    w.shared_enrolment["near"] = shared.id


# ------------------------------------------------------------------ what a write changes

# Logging in writes this (the world's users log in after it is built): left out. Accounts,
# their scopes, sessions and tokens are compared like the records.
LOGIN_TABLES = frozenset({"login_attempts"})
# The registry: far too large to read whole; a write there adds or deactivates regions.
REGISTRY_TABLES = frozenset({"regions", "region_aliases", "region_boundaries",
                             "region_code_changes", "idm_results", "idm_imports"})


def snapshot(connection: Connection) -> dict[str, Any]:
    """Every row of every record table (partnerships, mentoring, accounts, audit log) and the
    row counts of the registry: equal before and after means the request changed nothing."""
    state: dict[str, Any] = {}
    for table in Base.metadata.sorted_tables:
        if table.name in LOGIN_TABLES:
            continue
        if table.name in REGISTRY_TABLES:
            state[table.name] = connection.scalar(select(func.count()).select_from(table))
            continue
        rows = connection.execute(select(table)).all()
        state[table.name] = sorted(repr(tuple(row)) for row in rows)
    return state


def changed_tables(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return sorted(name for name in before if before[name] != after.get(name))
