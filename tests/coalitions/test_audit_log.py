"""The audit log pages through ids from its index, newest first, and counts up to a cap."""

import itertools
import re
from datetime import UTC, datetime, timedelta

import pytest

from coalition.core.audit import AuditEntry


@pytest.fixture
def audit_log(app, client, make_coalition, make_member, login, monkeypatch, db):
    """A lead's client on a coalition whose log shows 3 entries a page and counts up to 5; `add(n)` writes entries."""
    monkeypatch.setattr("coalition.coalitions.views.AUDIT_COUNT_CAP", 5)
    monkeypatch.setitem(app.config, "PER_PAGE", 3)
    coalition = make_coalition(name="Log Keepers")
    login(client, make_member(coalition, "lead"))
    start = datetime.now(UTC) + timedelta(days=1)  # newer than what making the lead wrote to the log
    numbers = itertools.count()

    def add(n):
        for i in itertools.islice(numbers, n):
            db.session.add(
                AuditEntry(
                    coalition_id=coalition.id, action=f"test.entry{i:02d}", created_at=start + timedelta(hours=i)
                )
            )
        db.session.commit()

    return client, f"/c/{coalition.slug}/audit", add


def _actions(page: str) -> list[str]:
    return re.findall(r"<code>test\.entry(\d+)</code>", page)


def test_audit_log_pages_newest_first_and_says_more_than_the_cap(audit_log):
    client, url, add = audit_log
    add(8)
    first = client.get(url).get_data(as_text=True)
    assert _actions(first) == ["07", "06", "05"]
    assert "More than 5" in first and 'rel="next"' in first
    last = client.get(url + "?page=3").get_data(as_text=True)
    assert _actions(last)[-2:] == ["01", "00"] and "in all" in last and 'rel="next"' not in last


def test_audit_log_runs_the_same_statements_for_a_short_and_a_long_log(audit_log, count_queries):
    client, url, add = audit_log
    counts = []
    for n in (4, 30):
        add(n)
        for page in (1, 2):
            with count_queries() as counter:
                assert client.get(url + f"?page={page}").status_code == 200
            counts.append(counter.count)
    assert counts[:2] == counts[2:]
