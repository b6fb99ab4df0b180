"""The power map: accessible server-side SVG, escaped labels, movement arrows since a date, table alternative."""

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest

from coalition.extensions import db
from coalition.stakeholders.models import StanceChange

SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def mapped(team, make_stakeholder, make_campaign, make_target, client, login):
    c = team["coalition"]
    campaign = make_campaign(c, title="Safe <Homes> & Now")
    evil = make_stakeholder(c, name='<script>alert("x")</script> & Co', category="landlord")
    ally = make_stakeholder(c, name="Dr. Kim", category="healthcare_provider")
    t1 = make_target(evil, campaign, by=team["organizer"], stance="hostile", influence=5, owner=team["lead"])
    t2 = make_target(ally, campaign, by=team["organizer"], stance="neutral", influence=2)
    login(client, team["organizer"])
    return dict(team, campaign=campaign, targets=(t1, t2), url=f"/c/{c.slug}/stakeholders/campaigns/{campaign.id}/map")


def _parse(svg: str):
    return ET.fromstring(svg)  # noqa: S314 - our own server's output, in a test


def _svg(page: str) -> str:
    return re.search(r"<svg.*?</svg>", page, re.S).group(0)


def test_map_is_an_accessible_svg_with_title_description_and_table(client, mapped):
    page = client.get(mapped["url"]).get_data(as_text=True)
    root = _parse(_svg(page))
    assert root.get("role") == "img"
    assert "Safe <Homes> & Now" in root.find(f"{SVG_NS}title").text
    assert "2 targets" in root.find(f"{SVG_NS}desc").text
    assert '<table id="targets-table">' in page and "The same information as the map" in page
    assert "<script" not in page.split("<main", 1)[1]


def test_dots_are_placed_by_stance_and_influence_and_coloured_by_category(client, mapped):
    root = _parse(_svg(client.get(mapped["url"]).get_data(as_text=True)))
    hostile, neutral = (root.find(f".//{SVG_NS}g[@id='target-{t.id}']/{SVG_NS}circle") for t in mapped["targets"])
    assert float(hostile.get("cx")) < float(neutral.get("cx"))
    assert float(hostile.get("cy")) < float(neutral.get("cy"))  # influence 5 is higher up than 2
    assert hostile.get("fill") != neutral.get("fill")


def test_arrow_shows_movement_since_the_chosen_date_only(client, mapped):
    t1, t2 = mapped["targets"]
    long_ago = datetime.now(UTC) - timedelta(days=90)
    db.session.execute(db.update(StanceChange).values(created_at=long_ago))
    db.session.add(
        StanceChange(
            coalition_id=t2.coalition_id,
            target_id=t2.id,
            old_stance="neutral",
            new_stance="supportive",
            created_at=datetime.now(UTC) - timedelta(days=10),
        )
    )
    t2.stance = "supportive"
    db.session.commit()
    recent = client.get(mapped["url"]).get_data(as_text=True)
    root = _parse(_svg(recent))
    assert root.find(f".//{SVG_NS}g[@id='target-{t2.id}']/{SVG_NS}line") is not None
    assert root.find(f".//{SVG_NS}g[@id='target-{t1.id}']/{SVG_NS}line") is None
    since = (datetime.now(UTC) - timedelta(days=5)).date().isoformat()
    later = _parse(_svg(client.get(mapped["url"] + f"?since={since}").get_data(as_text=True)))
    assert later.find(f".//{SVG_NS}g[@id='target-{t2.id}']/{SVG_NS}line") is None


def test_a_bad_since_date_falls_back_to_30_days(client, mapped):
    assert client.get(mapped["url"] + "?since=not-a-date").status_code == 200


def test_other_coalitions_campaign_map_answers_404(client, mapped, make_campaign):
    foreign = make_campaign(mapped["other"])
    assert client.get(f"/c/{mapped['coalition'].slug}/stakeholders/campaigns/{foreign.id}/map").status_code == 404


def test_map_runs_the_same_number_of_queries_for_2_and_20_targets(
    client, mapped, make_stakeholder, make_target, count_queries
):
    def measure():
        with count_queries() as counter:
            client.get(mapped["url"])
        return counter.count

    small = measure()
    for _ in range(18):
        make_target(make_stakeholder(mapped["coalition"]), mapped["campaign"], owner=mapped["organizer"])
    assert measure() == small


@pytest.fixture
def crowded(client, mapped, make_stakeholder, make_target, monkeypatch, app):
    """Eight targets (two from `mapped` and six at influence 1), a map naming three and a table of three per page."""
    from coalition.stakeholders import powermap

    monkeypatch.setattr(powermap, "MAP_LIMIT", 3)
    monkeypatch.setitem(app.config, "PER_PAGE", 3)
    for n in range(6):
        make_target(make_stakeholder(mapped["coalition"], name=f"Quiet {n}"), mapped["campaign"], influence=1)
    return mapped


def test_a_crowded_map_names_the_most_influential_and_counts_the_rest_in_their_cells(client, crowded):
    page = client.get(crowded["url"]).get_data(as_text=True)
    root = _parse(_svg(page))
    assert len(root.findall(f".//{SVG_NS}g[@class='target']")) == 3
    assert {t.id for t in crowded["targets"]} <= {
        int(g.get("id").split("-")[1]) for g in root.findall(f".//{SVG_NS}g[@class='target']")
    }
    assert "5 more" in [t.text for t in root.iter(f"{SVG_NS}text")]  # six in the neutral/1 cell, one named
    description = root.find(f"{SVG_NS}desc").text
    assert "8 targets" in description and "names the 3 most influential" in description


def test_the_targets_table_pages_through_every_target_most_influential_first(client, crowded):
    first = client.get(crowded["url"]).get_data(as_text=True)
    assert "Showing 1–3 of 8, most influential first." in first
    assert 'aria-label="Pages of targets"' in first
    next_link = re.search(r'<a href="([^"]+)" rel="next">Next</a>', first).group(1).replace("&amp;", "&")
    second = client.get(next_link).get_data(as_text=True)
    assert "Showing 4–6 of 8" in second
    table = second[second.index('<table id="targets-table">') :]
    assert table.count('<th scope="row">') == 3 and "Quiet" in table
    last = client.get(crowded["url"] + "?page=3").get_data(as_text=True)
    assert last[last.index('<table id="targets-table">') :].count('<th scope="row">') == 2


def test_a_crowded_map_runs_the_same_queries_as_a_small_one(
    client, mapped, crowded, make_stakeholder, make_target, count_queries
):
    def measure():
        with count_queries() as counter:
            assert client.get(crowded["url"] + "?page=2").status_code == 200
        return counter.count

    before = measure()
    for n in range(10):
        make_target(make_stakeholder(crowded["coalition"], name=f"More {n}"), crowded["campaign"], influence=4)
    assert measure() == before


def test_the_pager_keeps_the_maps_campaign_and_drops_what_url_for_would_take_for_its_own(
    client, crowded, make_campaign
):
    other = make_campaign(crowded["coalition"], title="Another campaign")
    page = client.get(
        crowded["url"] + f"?page=2&campaign_id={other.id}&endpoint=x&_anchor=y&_external=1&version=4"
    ).get_data(as_text=True)

    links = {
        label: re.search(rf'<a href="([^"]+)" rel="{rel}">{label}</a>', page).group(1).replace("&amp;", "&")
        for rel, label in (("prev", "Previous"), ("next", "Next"))
    }
    # The path's campaign wins over a query argument of the same name; a page's other arguments stay.
    assert all(link.startswith(crowded["url"] + "?") for link in links.values())
    assert "page=1" in links["Previous"] and "page=3" in links["Next"]
    assert all("version=4" in link for link in links.values())
    assert not any(word in link for link in links.values() for word in ("endpoint", "_anchor", "_external"))
    assert 'aria-current="page" href="' + crowded["url"].replace("&", "&amp;") in page
