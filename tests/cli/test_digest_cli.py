"""`mitradesa digest send` as cron runs it: a clear error without SMTP settings, a dry run
that lists who would get one, then the real sending to an SMTP server on loopback."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from mitradesa.accounts import services
from mitradesa.accounts.models import User
from mitradesa.db.session import make_engine, session_factory
from tests.cli.conftest import run
from tests.conftest import PASSWORD, SEPATIN
from tests.digest.smtp_server import SmtpServer
from tests.partnerships.fixtures import CONTENT, agreement, partner

TODAY = date(2026, 3, 2)


@pytest.fixture(scope="module")
def env(cli_env):
    url = cli_env.get("MITRADESA_DATABASE_URL") or (
        f"sqlite:///{cli_env['MITRADESA_DATA_DIR']}/mitradesa.sqlite3")
    engine = make_engine(url)
    with session_factory(engine)() as db:
        made = agreement(db, [partner(db)], villages=(SEPATIN,),
                         **{**CONTENT, "end_date": TODAY + timedelta(days=10)})
        made.stage_changed_at = datetime(2025, 1, 1, tzinfo=UTC)
        user = services.create_user(db, username="pd.anggana", password=PASSWORD,
                                    role="pendamping", scope_codes=["64.02.04"],
                                    email="pd@contoh.go.id")
        user.digest_frequency = "daily"
        db.commit()
    env = {k: v for k, v in cli_env.items() if not k.startswith("MITRADESA_SMTP_")}
    yield env, engine
    engine.dispose()


def test_digest_send_from_the_command_line(env):
    env, engine = env
    missing = run(env, "digest", "send", "--today", TODAY.isoformat())
    assert missing.returncode == 2 and "MITRADESA_SMTP_HOST" in missing.stderr

    planned = run(env, "digest", "send", "--dry-run", "--today", TODAY.isoformat())
    assert planned.returncode == 0, planned.stderr
    assert "pd.anggana" in planned.stdout and "akan dikirim" in planned.stdout

    with SmtpServer() as server:
        smtp = {**env, "MITRADESA_SMTP_HOST": "127.0.0.1",
                "MITRADESA_SMTP_PORT": str(server.port),
                "MITRADESA_SMTP_SENDER": "noreply@dpmd.example.go.id"}
        sent = run(smtp, "digest", "send", "--user", "pd.anggana", "--today",
                   TODAY.isoformat())
        assert sent.returncode == 0, sent.stderr
        assert "1 ringkasan terkirim" in sent.stdout
        assert len(server.inbox.to("pd@contoh.go.id")) == 1
    with session_factory(engine)() as db:
        assert db.scalar(select(User.digest_last_sent_at)
                         .where(User.username == "pd.anggana")) is not None
