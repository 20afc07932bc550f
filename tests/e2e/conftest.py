"""A live server per backend (uvicorn in a thread) and headless Debian Chromium."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright

from mitradesa.accounts import services
from mitradesa.db.session import make_engine, session_factory
from mitradesa.web.app import create_app
from tests.conftest import PASSWORD
from tests.pg_server import free_port

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
USERS = {"admin": ("admin", []), "op.sepatin": ("operator_desa", ["64.02.04.2001"])}


class LiveServer:
    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        with session_factory(self.engine)() as session:
            for name, (role, scope) in USERS.items():
                services.create_user(
                    session, username=name, password=PASSWORD, role=role, scope_codes=scope
                )
            session.commit()
        self.port = free_port()
        config = uvicorn.Config(
            create_app(self.engine), host="127.0.0.1", port=self.port, log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LiveServer:
        self.thread.start()
        deadline = time.time() + 20
        while not self.server.started and time.time() < deadline:
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.engine.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def live_server(request, registry_copy) -> Iterator[LiveServer]:
    url = registry_copy(request.param, "mitradesa_e2e")
    server = LiveServer(url).start()
    server.backend = request.param  # type: ignore[attr-defined]
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    tab = context.new_page()
    yield tab
    context.close()


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/masuk")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
