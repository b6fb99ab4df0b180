"""Member tags on the people page: organizers and leads tag members, see the tags and filter by them."""

import pytest
from sqlalchemy import select

from coalition.coalitions.models import Membership
from coalition.coalitions.tagging import MemberTag, MemberTagging, create_tag, tag_member
from coalition.core.audit import AuditEntry
from coalition.core.permissions import Role, roles_with
from coalition.extensions import db


def _membership(coalition, user):
    return db.session.scalar(
        select(Membership).where(Membership.coalition_id == coalition.id, Membership.user_id == user.id)
    )


def _tags_of(membership):
    db.session.expire_all()
    return sorted(
        db.session.scalars(
            select(MemberTag.name)
            .join(MemberTagging, MemberTagging.tag_id == MemberTag.id)
            .where(MemberTagging.membership_id == membership.id)
        )
    )


def test_organizers_and_leads_may_tag_members():
    assert roles_with("member.tag") == (Role.ORGANIZER, Role.LEAD)


@pytest.mark.parametrize("role", ["organizer", "lead"])
def test_organizer_or_lead_tags_a_member_and_the_tag_is_defined(as_role, coalition, make_member, role):
    client, _ = as_role(role)
    membership = _membership(coalition, make_member(coalition))
    response = client.post(f"/c/{coalition.slug}/members/{membership.id}/tags", data={"name": "Building A"})
    assert response.status_code == 302
    assert _tags_of(membership) == ["building-a"]
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "member.tag")) is not None


def test_a_member_cannot_tag(as_role, coalition, make_member):
    client, _ = as_role("member")
    membership = _membership(coalition, make_member(coalition))
    assert client.post(f"/c/{coalition.slug}/members/{membership.id}/tags", data={"name": "x"}).status_code == 403
    assert _tags_of(membership) == []


def test_a_member_of_another_coalition_is_not_found(as_role, coalition, make_coalition, make_member):
    client, _ = as_role("organizer")
    other = make_coalition()
    membership = _membership(other, make_member(other))
    assert client.post(f"/c/{coalition.slug}/members/{membership.id}/tags", data={"name": "x"}).status_code == 404
    assert _tags_of(membership) == []


def test_an_empty_tag_is_refused_and_nothing_is_defined(as_role, coalition, make_member):
    client, _ = as_role("organizer")
    membership = _membership(coalition, make_member(coalition))
    page = client.post(
        f"/c/{coalition.slug}/members/{membership.id}/tags", data={"name": "  !! "}, follow_redirects=True
    )
    assert b"Please give the tag a name." in page.data
    assert db.session.scalar(select(MemberTag)) is None


def test_organizer_removes_a_tag(as_role, coalition, make_member):
    client, _ = as_role("organizer")
    membership = _membership(coalition, make_member(coalition))
    tag = create_tag(coalition, "spanish")
    tag_member(membership, tag)
    db.session.commit()
    client.post(f"/c/{coalition.slug}/members/{membership.id}/tags/{tag.id}/remove")
    assert _tags_of(membership) == []


def test_a_member_cannot_remove_a_tag(as_role, coalition, make_member):
    client, _ = as_role("member")
    membership = _membership(coalition, make_member(coalition))
    tag = create_tag(coalition, "spanish")
    tag_member(membership, tag)
    db.session.commit()
    assert client.post(f"/c/{coalition.slug}/members/{membership.id}/tags/{tag.id}/remove").status_code == 403
    assert _tags_of(membership) == ["spanish"]


def _tagged_pair(coalition, make_member):
    ana, ben = make_member(coalition, name="Ana Tagged"), make_member(coalition, name="Ben Untagged")
    tag_member(_membership(coalition, ana), create_tag(coalition, "Building A"))
    tag_member(_membership(coalition, ben), create_tag(coalition, "carpentry"))
    db.session.commit()
    return ana, ben


def test_people_page_shows_tags_and_filters_by_one(as_role, coalition, make_member):
    _tagged_pair(coalition, make_member)
    client, _ = as_role("organizer")
    page = client.get(f"/c/{coalition.slug}/members").get_data(as_text=True)
    assert "Ana Tagged" in page and "Ben Untagged" in page
    assert '<span class="tag">building-a</span>' in page and '<span class="tag">carpentry</span>' in page
    filtered = client.get(f"/c/{coalition.slug}/members?tag=building-a").get_data(as_text=True)
    assert "Ana Tagged" in filtered and "Ben Untagged" not in filtered


def test_members_see_neither_tags_nor_the_filter(as_role, coalition, make_member):
    _tagged_pair(coalition, make_member)
    client, _ = as_role("member")
    page = client.get(f"/c/{coalition.slug}/members?tag=building-a").get_data(as_text=True)
    assert "Ben Untagged" in page  # the filter is ignored
    assert "building-a" not in page and "Add tag" not in page


def test_people_page_with_tags_stays_within_its_query_budget(as_role, coalition, make_member, count_queries):
    client, _ = as_role("organizer")
    for i in range(30):
        user = make_member(coalition)
        tag_member(_membership(coalition, user), create_tag(coalition, f"tag-{i % 5}"))
    db.session.commit()
    with count_queries() as counter:
        assert client.get(f"/c/{coalition.slug}/members").status_code == 200
    assert counter.count <= 12
