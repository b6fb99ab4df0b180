"""The people page lists a coalition's members in name order, page after page, with the right total."""

import re

from sqlalchemy import select

from coalition.coalitions.models import Membership, MembershipStatus
from coalition.extensions import db


def _names(html: str) -> list[str]:
    """The numbers of the people on a page, in order (a row names its person more than once)."""
    return list(dict.fromkeys(re.findall(r"Person (\d\d)", html)))


def test_people_are_listed_in_name_order_across_pages_with_their_total(as_role, coalition, make_member, app):
    app.config["PER_PAGE"] = 10
    try:
        numbers = [17, 3, 25, 8, 11, 1, 22, 14, 5, 19, 9, 2, 24, 13, 7, 21, 16, 4, 12, 23, 6, 18, 10, 15, 20]
        for n in numbers:
            make_member(coalition, name=f"Person {n:02d}")
        gone = make_member(coalition, name="Person 99")
        db.session.scalar(
            select(Membership).where(Membership.user_id == gone.id, Membership.coalition_id == coalition.id)
        ).status = MembershipStatus.REMOVED
        db.session.commit()
        client, _organizer = as_role("organizer", name="Zed Organizer")
        pages = [client.get(f"/c/{coalition.slug}/members?page={p}").get_data(as_text=True) for p in (1, 2, 3)]
        listed = [name for page in pages for name in _names(page)]
        assert listed == [f"{n:02d}" for n in range(1, 26)]  # the removed person is not among them
        assert "Zed Organizer" in pages[2]
        assert all("26 in all" in page for page in pages)
        lead, _ = as_role("lead", name="Yan Lead")
        removed = lead.get(f"/c/{coalition.slug}/members?status=removed").get_data(as_text=True)
        assert _names(removed) == ["99"]
    finally:
        app.config["PER_PAGE"] = 25


def test_people_with_the_same_name_keep_one_order(as_role, coalition, make_member, app):
    app.config["PER_PAGE"] = 2
    try:
        for _ in range(5):
            make_member(coalition, name="Person 42")
        client, _organizer = as_role("organizer", name="Zed Organizer")
        seen = []
        for page in (1, 2, 3):
            html = client.get(f"/c/{coalition.slug}/members?page={page}").get_data(as_text=True)
            seen += re.findall(r"members/(\d+)/", html)
        # Every member once (each page's links name its members by id), none shown twice.
        assert len(set(seen)) == len(seen)
    finally:
        app.config["PER_PAGE"] = 25
