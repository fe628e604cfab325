"""The review UI in real headless Chromium (Debian `chromium`, driven by Playwright): the review flow,
a hostile HTML e-mail, axe-core accessibility checks and keyboard use. One browser for the module.

With UWAGI_SCREENSHOTS=1 the pages are also saved to docs/img/ for the staff guide.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.review.seed import PASSWORDS, REPO, make_context

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).parent / "vendor" / "axe-core-4.11.1" / "axe.min.js"
SHOTS = REPO / "docs" / "img"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def db_url(tmp_path_factory) -> Iterator[str]:
    base = os.environ.get("UWAGI_TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path_factory.mktemp('ui') / 'uwagi.db'}"
        return
    from tests.conftest import _pg_schema_url

    yield from _pg_schema_url(base)


@pytest.fixture(scope="module")
def site(db_url, tmp_path_factory):
    import uvicorn

    from review import queries
    from review.app import create_app

    queries._last_sync.clear()
    ctx, ids = make_context(db_url, tmp_path_factory.mktemp("cfg"))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(ctx), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", ids, ctx
    server.should_exit = True
    thread.join(10)
    ctx.engine.dispose()


class Browser:
    """One page, with every request, dialog and console error it saw."""

    def __init__(self, page, base: str) -> None:
        self.page, self.base = page, base
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.context.on("request", lambda r: self.requests.append(r.url))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def go(self, path: str) -> None:
        self.page.goto(self.base + path)

    def axe(self, name: str) -> None:
        """No serious or critical WCAG 2.1 A/AA violation on the page shown."""
        if not self.page.evaluate("() => typeof window.axe !== 'undefined'"):
            self.page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
        found = self.page.evaluate("""async () => (await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations
            .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}))""")
        bad = [v for v in found if v["impact"] in ("serious", "critical")]
        assert not bad, f"{name}: {bad}"

    def shot(self, name: str, full: bool = False) -> None:
        if os.environ.get("UWAGI_SCREENSHOTS") == "1":
            SHOTS.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full)


@pytest.fixture(scope="module")
def browser(site) -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    base = site[0]
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--lang=pl-PL"])
        context = chromium.new_context(locale="pl-PL", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        yield Browser(context.new_page(), base)
        chromium.close()


def test_login_with_the_keyboard_only(browser):
    page = browser.page
    browser.go("/kolejka")
    assert page.url.startswith(browser.base + "/logowanie")
    browser.axe("login")
    browser.shot("logowanie")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Przejdź do treści"
    page.keyboard.press("Tab")
    page.keyboard.type("ala")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORDS["ala"])
    page.keyboard.press("Enter")
    page.wait_for_url("**/kolejka")
    assert page.locator("h1").inner_text() == "Kolejka uwag"


def test_queue_filters_and_is_accessible(browser):
    page = browser.page
    browser.axe("queue")
    browser.shot("kolejka")
    page.select_option("#status", "needs_review")
    page.fill("#q", "swietlic")
    page.click("button:text('Filtruj')")
    page.wait_for_url("**status=needs_review**")
    refs = page.locator("[data-open]").all_inner_texts()
    assert refs == ["STR/2026/0001", "STR/2026/0020"]
    assert page.locator("#wynik").inner_text().startswith("2 uwagi")
    browser.shot("kolejka-filtr")


def test_correct_a_classification_set_a_stance_and_see_the_history(browser, site):
    page = browser.page
    browser.go(f"/uwaga/{site[1]['r1']}")
    browser.axe("remark")
    assert page.locator("mark").first.inner_text().startswith("Świetlica")
    browser.shot("uwaga", full=True)
    page.check("input[name=projects][value='P3.1']")
    page.select_option("#remark_type", "pytanie")
    page.click("text=Zapisz i potwierdź klasyfikację")
    assert "Zapisano projekty i typ uwagi" in page.locator(".flash").inner_text()
    page.check("input[name=stance][value='czesciowo']")
    page.fill("#justification", "Remont świetlicy ujęto w projekcie P2.4; ogrzewanie poza strategią.")
    page.click("button:text('Zapisz stanowisko')")
    assert "Zapisano stanowisko" in page.locator(".flash").inner_text()
    history = page.locator("table.history").inner_text()
    assert "remark.corrected" in history and "remark.stance" in history and "ala" in history
    assert "częściowo uwzględniona" in page.locator("dl.facts").first.inner_text()
    browser.axe("remark after actions")


def test_hostile_html_mail_runs_nothing_and_loads_nothing(browser, site):
    page = browser.page
    browser.requests.clear()
    rid = site[1]["hostile"]
    browser.go(f"/uwaga/{rid}")
    with page.expect_response(lambda r: r.url.endswith(f"/uwaga/{rid}/html")):
        page.click("summary:text('Wersja HTML')")
    frame = page.frame_locator("iframe.mailframe")
    assert "świetlicy" in frame.locator("body").inner_text()
    page.wait_for_timeout(500)
    html = page.frames[1].content().lower()
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html and "<img" not in html
    browser.shot("uwaga-html")
    frame.locator("a", has_text="kliknij").click(timeout=2000)
    page.wait_for_timeout(300)
    assert not browser.dialogs, browser.dialogs
    assert not browser.errors, browser.errors
    outside = [u for u in browser.requests if not u.startswith(browser.base)]
    assert not outside, outside
    allowed = {f"/uwaga/{rid}", f"/uwaga/{rid}/html", "/static/app.css", "/static/app.js"}
    assert {u.removeprefix(browser.base) for u in browser.requests} <= allowed
    assert page.url == f"{browser.base}/uwaga/{rid}"


def test_dashboard_and_triage_are_accessible(browser):
    browser.go("/pulpit")
    browser.axe("dashboard")
    browser.shot("pulpit", full=True)
    browser.go("/przeglad")
    browser.axe("triage")
    browser.shot("przeglad")
    browser.go("/uczenie")
    browser.axe("learning")


def test_keyboard_review_flow(browser):
    page = browser.page
    browser.go("/kolejka?status=needs_review")
    page.focus("#skroty")
    page.keyboard.press("Space")
    assert page.is_checked("#skroty")
    page.locator("h1").click()
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.textContent") == "STR/2026/0005"
    page.keyboard.press("p")
    page.wait_for_load_state()
    assert "Zapisano projekty i typ uwagi" in page.locator(".flash").inner_text()
    assert "STR/2026/0005" not in page.locator("table").inner_text()
    page.locator("h1").click()
    page.keyboard.press("j")
    page.keyboard.press("o")
    page.wait_for_url("**/uwaga/**")
    page.keyboard.press("/")  # no search box here: nothing happens
    page.keyboard.press("j")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Uwaga ")


def test_logout_and_the_admin_accounts_page(browser, site):
    page = browser.page
    page.click("button:text('Wyloguj')")
    page.wait_for_url("**/logowanie")
    browser.go("/kolejka")
    assert page.url.startswith(browser.base + "/logowanie")
    page.fill("#username", "admin")
    page.fill("#password", PASSWORDS["admin"])
    page.click("button:text('Zaloguj się')")
    page.wait_for_url("**/kolejka")
    page.click("text=Konta")
    assert page.locator("h1").inner_text() == "Konta użytkowników"
    browser.axe("accounts")
    browser.shot("konta")
    from tests.review.test_outgoing import add_rows

    add_rows(site[2].engine)
    page.click("text=Poczta wychodząca")
    assert page.locator("h1").inner_text() == "Poczta wychodząca"
    browser.axe("outbox")
