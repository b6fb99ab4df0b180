"""Browser tests: the seeded demo served on a free localhost port, driven by Playwright through Debian's Chromium.

Chromium comes from the system (`apt-get install chromium`), never from a Playwright download; set CHROMIUM_PATH to
use another binary. axe-core comes from the axe-playwright-python package, which ships axe.min.js. Without Chromium
(or Playwright) every browser test is skipped, and the run says so in one line at its end.
"""

import os
import shutil
import threading

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from coalition import create_app
from coalition.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_SLUG
from coalition.extensions import db
from tests.conftest import private_database

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


def chromium_path() -> str | None:
    """The system Chromium: CHROMIUM_PATH, else `chromium` or `chromium-browser` on the PATH."""
    candidates = [os.environ.get("CHROMIUM_PATH"), shutil.which("chromium"), shutil.which("chromium-browser")]
    return next((path for path in candidates if path and os.access(path, os.X_OK)), None)


def _missing() -> str | None:
    try:
        import axe_playwright_python  # noqa: F401
        import playwright  # noqa: F401
    except ImportError as error:
        return f"{error.name} is not installed (pip install -r requirements-dev.txt)"
    if chromium_path() is None:
        return "Chromium is not installed (apt-get install chromium, or set CHROMIUM_PATH)"
    return None


SKIP_REASON = _missing()


def pytest_collection_modifyitems(config, items):
    """Skip every browser test, with the reason, where Chromium or Playwright is missing."""
    if SKIP_REASON:
        marker = pytest.mark.skip(reason=f"browser tests skipped: {SKIP_REASON}")
        for item in items:
            if "tests/browser/" in item.nodeid:
                item.add_marker(marker)


def pytest_terminal_summary(terminalreporter):
    """Say plainly, in one line, that the browser tests did not run."""
    if SKIP_REASON and terminalreporter.stats.get("skipped"):
        terminalreporter.write_line(f"NOTE: browser tests skipped: {SKIP_REASON}", yellow=True, bold=True)


class LiveSite:
    """The demo app served in a thread; `url(path)` gives an absolute address, `ids` the demo's objects."""

    def __init__(self, app, port):
        self.app, self.base = app, f"http://127.0.0.1:{port}"
        self.ids: dict[str, int | str] = {}

    def url(self, path: str) -> str:
        return self.base + path

    def coalition_url(self, path: str) -> str:
        return self.base + f"/c/{DEMO_SLUG}{path}"


def _demo_ids() -> dict:
    from coalition.campaigns.models import Campaign
    from coalition.meetings.models import Meeting, MeetingVisibility
    from coalition.stakeholders.models import Stakeholder
    from coalition.stories.models import Story

    campaign = db.session.scalar(select(Campaign).where(Campaign.public_page.is_(True)).order_by(Campaign.id))
    public_meeting = db.session.scalar(
        select(Meeting).where(Meeting.visibility == MeetingVisibility.PUBLIC).order_by(Meeting.start_at.desc())
    )
    member_meeting = db.session.scalar(
        select(Meeting).where(Meeting.visibility == MeetingVisibility.MEMBERS).order_by(Meeting.start_at.desc())
    )
    return {
        "campaign": campaign.id,
        "campaign_slug": campaign.slug,
        "public_meeting": public_meeting.id,
        "meeting": member_meeting.id,
        "stakeholder": db.session.scalar(select(Stakeholder.id).order_by(Stakeholder.id)),
        "story": db.session.scalar(select(Story.id).order_by(Story.id)),
    }


@pytest.fixture(scope="session")
def live_site(tmp_path_factory):
    """The seeded demo, served with CSRF on, in its own database, on a free port, for the whole session."""
    with private_database(tmp_path_factory.mktemp("browser-db"), prefix="coalition_browser") as url:
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, WTF_CSRF_ENABLED=True)
        with app.app_context():
            db.create_all()
            result = app.test_cli_runner().invoke(args=["seed-demo"])
            assert result.exit_code == 0, result.output
            ids = _demo_ids()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        site = LiveSite(app, server.server_port)
        site.ids = ids
        try:
            yield site
        finally:
            server.shutdown()
            thread.join(timeout=5)
            with app.app_context():
                db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def sessions(browser, live_site):
    """A browser context per role, logged in once through the real log-in form; "visitor" is not logged in."""
    contexts = {}

    def context_for(role: str):
        if role not in contexts:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
            if role != "visitor":
                page = context.new_page()
                page.goto(live_site.url("/account/login"))
                page.fill("#email", DEMO_ACCOUNTS[role][0])
                page.fill("#password", DEMO_PASSWORD)
                page.click("main input[type=submit]")
                page.wait_for_url(lambda url: "/account/login" not in url)
                page.close()
            contexts[role] = context
        return contexts[role]

    yield context_for
    for context in contexts.values():
        context.close()


def resize(page, width: str) -> None:
    """Give the page the viewport of a "desktop" or a "phone"."""
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))


@pytest.fixture
def page_as(sessions):
    """`page_as(role, width)`: a new tab of that role's browser context at "desktop" or "phone" width."""
    pages = []

    def open_page(role: str, width: str = "desktop"):
        page = sessions(role).new_page()
        resize(page, width)
        pages.append(page)
        return page

    yield open_page
    for page in pages:
        page.close()
