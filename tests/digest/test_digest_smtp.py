"""The reminder digest against a real SMTP server on loopback: each user's message holds the
reminders of what that user may see (a pendamping its kecamatan, an admin everything), in
Indonesian with Indonesian dates and money; nothing goes to a user who chose off or has
nothing to report; nobody gets two in one period; a refused SMTP login or no SMTP settings
give a clear error and nothing is recorded as sent."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from mitradesa.accounts.models import User
from mitradesa.digest.sending import DigestError, send_digests
from mitradesa.settings import Settings
from tests.conftest import LOH_SUMBER, SEPATIN
from tests.digest.smtp_server import LOGIN, SmtpServer
from tests.partnerships.fixtures import CONTENT, agreement, partner

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
TODAY = date(2026, 3, 2)  # a Monday
ANGGANA = "64.02.04"


def _settings(server: SmtpServer | None = None, **extra) -> Settings:
    values = {"smtp_host": "127.0.0.1", "smtp_port": server.port if server else 25,
              "smtp_sender": "DPMD Kukar <noreply@dpmd.example.go.id>",
              "public_url": "https://mitradesa.example.go.id"}
    return Settings(**{**values, **extra})


@pytest.fixture
def reminders_data(db, make_user):
    """An agreement in Sepatin ending in 30 days and stalled in persiapan for 100 days, and
    one in Loh Sumber (another kecamatan) stalled too."""
    company = partner(db)
    content = {**CONTENT, "start_date": TODAY - timedelta(days=300),
               "end_date": TODAY + timedelta(days=30)}
    sepatin = agreement(db, [company], villages=(SEPATIN,), **content)
    sepatin.title = "Air bersih Sepatin"
    elsewhere = agreement(db, [company], villages=(LOH_SUMBER,), **CONTENT)
    elsewhere.title = "Kebun Loh Sumber"
    stalled = datetime.combine(TODAY - timedelta(days=100), datetime.min.time(), UTC)
    sepatin.stage_changed_at = elsewhere.stage_changed_at = stalled
    db.commit()
    make_user("pd.anggana", "pendamping", [ANGGANA], email="pd@contoh.go.id")
    make_user("kepala", "admin", email="kepala@contoh.go.id")
    make_user("pemantau", "viewer", email="pemantau@contoh.go.id")
    make_user("op.loh", "operator_desa", [LOH_SUMBER], email="op@contoh.go.id")
    for name, frequency in (("pd.anggana", "daily"), ("kepala", "weekly"),
                            ("pemantau", "off"), ("op.loh", "daily")):
        db.scalar(select(User).where(User.username == name)).digest_frequency = frequency
    db.commit()
    return sepatin, elsewhere


def _body(message) -> tuple[str, str]:
    return (message.get_body(("plain",)).get_content(),
            message.get_body(("html",)).get_content())


def _last_sent(db, username: str):
    db.expire_all()
    return db.scalar(select(User.digest_last_sent_at).where(User.username == username))


def test_each_user_gets_the_reminders_of_their_scope(db, reminders_data):
    sepatin, _elsewhere = reminders_data
    with SmtpServer() as server:
        outcomes = send_digests(db, _settings(server), today=TODAY)
    status = {o.username: o.status for o in outcomes}
    assert status == {"pd.anggana": "sent", "kepala": "sent", "op.loh": "sent"}
    assert "pemantau" not in status  # chose off: not even looked at
    pd = server.inbox.to("pd@contoh.go.id")
    assert len(pd) == 1 and len(server.inbox.messages) == 3
    text, html = _body(pd[0])
    assert "Air bersih Sepatin" in text and "Kebun Loh Sumber" not in text + html
    assert "1 April 2026" in text  # the end date the Indonesian way (30 days on)
    assert "Rp750.000.000" in text  # money the Indonesian way
    assert f"https://mitradesa.example.go.id/kerja-sama/{sepatin.id}" in html
    assert "https://mitradesa.example.go.id/akun#ringkasan" in text
    assert "2026-04-01" not in text + html  # no ISO date
    admin_text, _ = _body(server.inbox.to("kepala@contoh.go.id")[0])
    assert "Air bersih Sepatin" in admin_text and "Kebun Loh Sumber" in admin_text
    op_text, _ = _body(server.inbox.to("op@contoh.go.id")[0])
    assert "Kebun Loh Sumber" in op_text and "Air bersih Sepatin" not in op_text
    assert _last_sent(db, "pd.anggana") is not None


def test_not_twice_in_one_period(db, reminders_data):
    with SmtpServer() as server:
        send_digests(db, _settings(server), today=TODAY,
                     moment=datetime(2026, 3, 2, 1, tzinfo=UTC))
        again = send_digests(db, _settings(server), today=TODAY)
        assert {o.status for o in again} == {"not_due"}
        assert len(server.inbox.messages) == 3
        tuesday = send_digests(db, _settings(server), today=TODAY + timedelta(days=1))
    status = {o.username: o.status for o in tuesday}
    # daily users get the next day's; the weekly admin waits for next week
    assert status == {"pd.anggana": "sent", "op.loh": "sent", "kepala": "not_due"}
    assert len(server.inbox.messages) == 5


def test_nothing_to_say_means_no_message(db, make_user):
    make_user("sepi", "pendamping", [ANGGANA], email="sepi@contoh.go.id")
    db.scalar(select(User).where(User.username == "sepi")).digest_frequency = "daily"
    db.commit()
    with SmtpServer() as server:
        outcomes = send_digests(db, _settings(server), today=TODAY, username="sepi")
    assert [o.status for o in outcomes] == ["nothing"]
    assert server.inbox.messages == [] and _last_sent(db, "sepi") is None


def test_a_dry_run_sends_and_records_nothing(db, reminders_data):
    with SmtpServer() as server:
        outcomes = send_digests(db, _settings(server), today=TODAY, dry_run=True)
    assert {o.status for o in outcomes} == {"would_send"}
    assert server.inbox.messages == [] and _last_sent(db, "kepala") is None


def test_a_refused_smtp_login_is_a_clear_error_and_nothing_is_recorded(db, reminders_data):
    with SmtpServer(with_login=True) as server:
        wrong = _settings(server, smtp_username=LOGIN[0], smtp_password="salah")
        with pytest.raises(DigestError) as refused:
            send_digests(db, wrong, today=TODAY)
        assert "menolak login dpmd" in refused.value.message
        assert "salah" not in refused.value.message  # the password is never shown
        assert server.inbox.messages == []
        assert _last_sent(db, "pd.anggana") is None and _last_sent(db, "kepala") is None
        right = _settings(server, smtp_username=LOGIN[0], smtp_password=LOGIN[1])
        sent = send_digests(db, right, today=TODAY)
    assert sum(o.status == "sent" for o in sent) == 3 and len(server.inbox.messages) == 3


def test_without_smtp_settings_nothing_is_sent_and_the_error_says_what_to_set(
        db, reminders_data):
    with pytest.raises(DigestError) as missing:
        send_digests(db, _settings(smtp_host="", smtp_sender=""), today=TODAY)
    assert "MITRADESA_SMTP_HOST" in missing.value.message
    assert _last_sent(db, "kepala") is None


def test_an_unreachable_server_is_a_clear_error(db, reminders_data):
    with SmtpServer() as server:
        port = server.port
    with pytest.raises(DigestError) as unreachable:
        send_digests(db, _settings(smtp_port=port), today=TODAY)
    assert f"127.0.0.1:{port}" in unreachable.value.message
    assert _last_sent(db, "kepala") is None
