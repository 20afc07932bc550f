"""A body over MITRADESA_MAX_BODY_MB is refused with 413 before the app reads or parses it,
and before the login is checked: by its Content-Length, or counted when it streams in
chunked."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from mitradesa.settings import get_settings
from mitradesa.web.app import create_app
from mitradesa.web.body_limit import MB, BodyLimitMiddleware

TWO_MB = b"x" * (2 * MB)


@pytest.fixture
def small_limit_client(connection, monkeypatch):
    monkeypatch.setenv("MITRADESA_MAX_BODY_MB", "1")
    get_settings.cache_clear()
    try:
        with TestClient(create_app(connection)) as client:
            yield client
    finally:
        get_settings.cache_clear()


def chunks():
    for _ in range(4):
        yield TWO_MB[: MB // 2]
    yield b"tail"


def test_the_default_limit_is_25_mb(monkeypatch):
    monkeypatch.delenv("MITRADESA_MAX_BODY_MB", raising=False)
    assert get_settings.__wrapped__().max_body_mb == 25


def test_a_declared_length_over_the_limit_is_refused_anonymously_with_413(small_limit_client):
    answer = small_limit_client.post("/api/v1/agreements/1/documents", content=TWO_MB,
                                     headers={"Content-Type": "multipart/form-data; boundary=b"})
    assert answer.status_code == 413  # not 401: refused before the login is looked at
    error = answer.json()["error"]
    assert error["reason"] == "body_too_large"
    assert "(2,0 MB)" in error["message"] and "1,0 MB" in error["message"]
    page = small_limit_client.post("/masuk", content=TWO_MB,
                                   headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert page.status_code == 413 and "terlalu besar" in page.text
    assert page.headers["x-content-type-options"] == "nosniff"


def test_a_chunked_body_is_counted_and_refused_with_413(small_limit_client):
    answer = small_limit_client.post("/api/v1/agreements/1/documents", content=chunks(),
                                     headers={"Content-Type": "multipart/form-data; boundary=b"})
    assert "content-length" not in answer.request.headers
    assert answer.status_code == 413
    assert answer.json()["error"]["reason"] == "body_too_large"


def test_a_body_within_the_limit_reaches_the_app(small_limit_client):
    answer = small_limit_client.post("/api/v1/agreements/1/documents", content=b"x" * 1000,
                                     headers={"Content-Type": "multipart/form-data; boundary=b"})
    assert answer.status_code in (400, 401)  # the app read it (a bad form, or no login)


class Recorder:
    """An app that records what it got to see and reads the whole body."""

    def __init__(self) -> None:
        self.called = False
        self.read = 0

    async def __call__(self, scope, receive, send) -> None:
        self.called = True
        more = True
        while more:
            message = await receive()
            self.read += len(message.get("body", b""))
            more = message.get("more_body", False)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


def test_the_app_never_sees_a_declared_oversize_body_and_stops_reading_a_streamed_one():
    inner = Recorder()
    client = TestClient(BodyLimitMiddleware(inner, max_bytes=MB))
    assert client.post("/x", content=TWO_MB).status_code == 413
    assert inner.called is False
    streamed = client.post("/x", content=chunks())
    assert streamed.status_code == 413
    assert inner.read <= MB
