"""Every dashboard and the campaign page run the same number of SQL statements whatever the data size.

Seeding the benchmark at scale 0.1 (10,000 stories) takes about 30 s on SQLite and longer on PostgreSQL, so this test
runs on SQLite only; the statements are the same on both databases.
"""

import os

import pytest

from bench.seed import BENCH_ACCOUNTS, BENCH_PASSWORD, bench_pages, delete_bench, seed_bench

#: The pages of issue 11 among the benchmark's pages.
PAGES = (
    "dashboard",
    "dashboard (member)",
    "dashboard (lead)",
    "campaign page",
    "campaign page (organizer)",
    "campaign page (lead), stances since",
    "campaign timeline p3",
)


def _statements(app, count_queries) -> dict[str, int]:
    clients = {}
    for role, email in BENCH_ACCOUNTS.items():
        clients[role] = app.test_client()
        response = clients[role].post("/account/login", data={"email": email, "password": BENCH_PASSWORD})
        assert response.status_code == 302
    result = {}
    for page in bench_pages():
        if page.name not in PAGES:
            continue
        clients[page.role].get(page.url)  # the first request of a client loads what later ones find cached
        with count_queries() as counter:
            response = clients[page.role].get(page.url)
        assert response.status_code == 200, page.name
        result[page.name] = counter.count
    return result


@pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")), reason="scale 0.1 is seeded on SQLite only (slow)")
def test_dashboards_and_campaign_page_run_the_same_statements_at_scale_0_01_and_0_1(app, db, count_queries):
    seed_bench(0.01)
    small = _statements(app, count_queries)
    delete_bench()
    seed_bench(0.1)
    large = _statements(app, count_queries)

    assert set(small) == set(PAGES)
    assert large == small
    assert max(small.values()) <= 40
