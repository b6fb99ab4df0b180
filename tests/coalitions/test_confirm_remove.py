"""Removing someone from the coalition asks first, and then goes back to the list of people."""

from sqlalchemy import select

from coalition.coalitions.models import Membership, MembershipStatus


def _membership(db, coalition, user):
    db.session.expire_all()
    return db.session.scalar(
        select(Membership).where(Membership.coalition_id == coalition.id, Membership.user_id == user.id)
    )


def test_remove_is_a_link_to_a_confirmation_that_changes_nothing(db, coalition, as_role, make_member):
    client, _ = as_role("lead")
    member = make_member(coalition, "member", name="Tom Becker")
    membership = _membership(db, coalition, member)
    path = f"/c/{coalition.slug}/members/{membership.id}/remove"
    assert f'<a class="danger-link" href="{path}">Remove' in client.get(f"/c/{coalition.slug}/members").get_data(
        as_text=True
    )
    html = client.get(path).get_data(as_text=True)
    assert "Remove Tom Becker from Riverside Tenants?" in html
    assert "Their stories stay theirs" in html
    assert f'<form method="post" action="{path}"' in html and "No, go back" in html
    assert _membership(db, coalition, member).status == MembershipStatus.ACTIVE


def test_confirmed_removal_goes_back_to_the_people(db, coalition, as_role, make_member):
    client, _ = as_role("lead")
    membership = _membership(db, coalition, make_member(coalition, "member"))
    path = f"/c/{coalition.slug}/members/{membership.id}/remove"
    response = client.post(path, headers={"Referer": f"http://localhost{path}"})
    assert response.location.endswith(f"/c/{coalition.slug}/members")
    assert _membership(db, coalition, membership.user).status == MembershipStatus.REMOVED


def test_only_leads_get_the_removal_confirmation(db, coalition, as_role, make_member):
    client, _ = as_role("organizer")
    membership = _membership(db, coalition, make_member(coalition, "member"))
    assert client.get(f"/c/{coalition.slug}/members/{membership.id}/remove").status_code == 403
