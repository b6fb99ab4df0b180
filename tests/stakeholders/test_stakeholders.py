"""Stakeholder list, search, filters, duplicates and the detail page."""

import pytest

from coalition.extensions import db
from coalition.stakeholders.models import Stakeholder
from coalition.stakeholders.services import save_stakeholder, stakeholder_search


@pytest.fixture
def organizer_client(client, login, team):
    login(client, team["organizer"])
    return client


def _base(team):
    return f"/c/{team['coalition'].slug}/stakeholders"


def _names():
    db.session.expire_all()
    return sorted(db.session.scalars(db.select(Stakeholder.name)))


def test_organizer_creates_a_stakeholder_with_tags(organizer_client, team):
    response = organizer_client.post(
        _base(team) + "/new",
        data={
            "name": "Ana Reyes",
            "organization": "City Council",
            "category": "elected_official",
            "tags": "Housing; council",
        },
    )
    assert response.status_code == 302
    stakeholder = db.session.scalar(db.select(Stakeholder))
    assert (stakeholder.name, stakeholder.tags, stakeholder.coalition_id) == (
        "Ana Reyes",
        ["council", "housing"],
        team["coalition"].id,
    )


def test_missing_name_shows_a_message_and_writes_nothing(organizer_client, team):
    response = organizer_client.post(_base(team) + "/new", data={"name": " ", "category": "ally"})
    assert response.status_code == 200
    assert b"Please enter a name." in response.data
    assert _names() == []


@pytest.mark.parametrize(
    "data",
    [
        {"name": "Someone Else", "email": "ANA@city.example"},
        {"name": "ana reyes", "organization": "CITY COUNCIL"},
    ],
)
def test_possible_duplicate_is_shown_and_requires_create_anyway(organizer_client, team, make_stakeholder, data):
    existing = make_stakeholder(
        team["coalition"], name="Ana Reyes", organization="City Council", email="ana@city.example"
    )
    form = {"category": "ally", **data}
    response = organizer_client.post(_base(team) + "/new", data=form)
    assert response.status_code == 200
    assert b"Possible duplicates" in response.data
    assert f"/stakeholders/{existing.id}".encode() in response.data
    assert len(_names()) == 1
    response = organizer_client.post(_base(team) + "/new", data={**form, "create_anyway": "Create anyway"})
    assert response.status_code == 302
    assert len(_names()) == 2


def test_duplicates_in_another_coalition_do_not_count(organizer_client, team, make_stakeholder):
    make_stakeholder(team["other"], name="Ana Reyes", organization="City Council")
    response = organizer_client.post(
        _base(team) + "/new", data={"name": "Ana Reyes", "organization": "City Council", "category": "ally"}
    )
    assert response.status_code == 302


def test_search_is_case_insensitive_on_name_organization_and_email(organizer_client, team, make_stakeholder):
    c = team["coalition"]
    make_stakeholder(c, name="Ana Reyes", organization="Council")
    make_stakeholder(c, name="Bo Li", organization="Housing AUTHORITY")
    make_stakeholder(c, name="Cy Ode", email="cy@tenantsRIGHTS.example".lower())
    make_stakeholder(team["other"], name="Ana Other Coalition")
    for query, expected in [("ANA", [b"Ana Reyes"]), ("authority", [b"Bo Li"]), ("TENANTSrights", [b"Cy Ode"])]:
        page = organizer_client.get(_base(team) + "/", query_string={"q": query}).data
        for name in (b"Ana Reyes", b"Bo Li", b"Cy Ode", b"Ana Other Coalition"):
            assert (name in page) == (name in expected), (query, name)


def test_search_treats_percent_and_underscore_literally(organizer_client, team, make_stakeholder):
    make_stakeholder(team["coalition"], name="Ana Reyes")
    page = organizer_client.get(_base(team) + "/", query_string={"q": "%"}).data
    assert b"Ana Reyes" not in page


def test_filters_by_category_tag_and_campaign(organizer_client, team, make_stakeholder, make_campaign, make_target):
    c = team["coalition"]
    council = make_stakeholder(c, name="Ana Reyes", category="elected_official", tags=["council", "housing"])
    make_stakeholder(c, name="Bo Li", category="media", tags=["councilor"])
    campaign = make_campaign(c)
    make_target(council, campaign)
    for args in ({"category": "elected_official"}, {"tag": "Council"}, {"campaign": campaign.id}):
        page = organizer_client.get(_base(team) + "/", query_string=args).data
        assert b"Ana Reyes" in page and b"Bo Li" not in page, args


def test_list_runs_the_same_number_of_queries_for_3_and_30_stakeholders(
    organizer_client, team, make_stakeholder, count_queries
):
    c = team["coalition"]

    def measure():
        with count_queries() as counter:
            assert organizer_client.get(_base(team) + "/").status_code == 200
        return counter.count

    for i in range(3):
        make_stakeholder(c, name=f"Person {i}", tags=["a", "b"])
    small = measure()
    for i in range(3, 30):
        make_stakeholder(c, name=f"Person {i}", tags=["a", "b"])
    assert measure() == small + 1  # three fit a page (its size is known); thirty are counted


def test_detail_page_runs_a_bounded_number_of_queries(
    organizer_client, team, make_stakeholder, make_campaign, make_target, make_outreach, count_queries
):
    c = team["coalition"]
    stakeholder = make_stakeholder(c)
    make_target(stakeholder, make_campaign(c), by=team["organizer"])
    make_outreach(stakeholder, team["organizer"], participant_ids=[team["member"].id])

    def measure():
        with count_queries() as counter:
            assert organizer_client.get(f"{_base(team)}/{stakeholder.id}").status_code == 200
        return counter.count

    small = measure()
    for _ in range(5):
        make_target(stakeholder, make_campaign(c), by=team["organizer"])
        make_outreach(stakeholder, team["organizer"], participant_ids=[team["member"].id, team["lead"].id])
    assert measure() == small
    # The one statement every page starts with (session, person, memberships), the stakeholder, and four for
    # targets with their stance history and the outreach log with its participants (what each row has one of is
    # joined).
    assert small == 8


def test_edit_keeps_the_stakeholder_and_changes_fields(organizer_client, team, make_stakeholder):
    stakeholder = make_stakeholder(team["coalition"], name="Ana Reyes")
    response = organizer_client.post(
        f"{_base(team)}/{stakeholder.id}/edit", data={"name": "Ana M. Reyes", "category": "funder"}
    )
    assert response.status_code == 302
    db.session.refresh(stakeholder)
    assert (stakeholder.name, stakeholder.category) == ("Ana M. Reyes", "funder")


def test_delete_removes_the_stakeholder(organizer_client, team, make_stakeholder):
    stakeholder = make_stakeholder(team["coalition"])
    assert organizer_client.post(f"{_base(team)}/{stakeholder.id}/delete").status_code == 302
    assert _names() == []


def test_editing_tags_moves_a_stakeholder_between_tag_filters(organizer_client, team, make_stakeholder):
    c = team["coalition"]
    ana = make_stakeholder(c, name="Ana Reyes", tags=["council"])
    save_stakeholder(c, team["organizer"], ana, name="Ana Reyes", tags="press; budget")
    db.session.commit()
    found = {tag: [s.name for s in db.session.scalars(stakeholder_search(c, tag=tag))] for tag in ("council", "press")}
    assert found == {"council": [], "press": ["Ana Reyes"]}


def test_deep_list_page_shows_the_next_names_in_order_with_the_same_statements(
    organizer_client, team, make_stakeholder, count_queries
):
    c = team["coalition"]
    for i in range(30):
        make_stakeholder(c, name=f"Holder {i:02d}")

    def page_two():
        with count_queries() as counter:
            page = organizer_client.get(_base(team) + "/?page=2").get_data(as_text=True)
        return page, counter.count

    page, before = page_two()
    names = [f"Holder {i:02d}" for i in range(25, 30)]
    assert all(name in page for name in names) and "Holder 24" not in page
    assert [page.index(name) for name in names] == sorted(page.index(name) for name in names)
    for i in range(30, 80):
        make_stakeholder(c, name=f"Holder {i:02d}")
    assert page_two()[1] == before + 1  # page 2 of 30 was the last (the list's size known); of 80 it is counted
