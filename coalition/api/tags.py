"""OSDI tags and taggings on people (the coalition's member tags)."""

from flask import abort, g
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from coalition.api import bp, hal
from coalition.api.keys import audit_api
from coalition.api.people import member_or_404
from coalition.coalitions import tagging
from coalition.coalitions.models import Membership, MembershipStatus
from coalition.coalitions.tagging import MemberTag, MemberTagging
from coalition.extensions import db


def tag_json(tag: MemberTag) -> dict:
    """An OSDI tag."""
    path = f"tags/{tag.public_id}"
    return {
        "identifiers": hal.identifiers(tag),
        "name": tag.name,
        "created_date": hal.iso(tag.created_at),
        "modified_date": hal.iso(tag.updated_at),
        "_links": {"self": hal.href(path), "osdi:taggings": hal.href(f"{path}/taggings")},
    }


def tagging_json(tagging_row: MemberTagging) -> dict:
    """An OSDI tagging: one tag on one person."""
    return {
        "identifiers": hal.identifiers(tagging_row),
        "created_date": hal.iso(tagging_row.created_at),
        "modified_date": hal.iso(tagging_row.created_at),
        "_links": {
            "self": hal.href(f"tags/{tagging_row.tag.public_id}/taggings/{tagging_row.public_id}"),
            "osdi:tag": hal.href(f"tags/{tagging_row.tag.public_id}"),
            "osdi:person": hal.href(f"people/{tagging_row.membership.public_id}"),
        },
    }


def tag_or_404(tag_id: str) -> MemberTag:
    """A tag of the key's coalition by public id, or 404."""
    tag = db.session.scalar(
        select(MemberTag).where(MemberTag.coalition_id == g.coalition.id, MemberTag.public_id == hal.public_id(tag_id))
    )
    if tag is None:
        abort(404, description="No such tag.")
    return tag


def taggings_statement():
    """select(MemberTagging) of active members, tag and membership loaded."""
    return (
        select(MemberTagging)
        .join(Membership, Membership.id == MemberTagging.membership_id)
        .where(MemberTagging.coalition_id == g.coalition.id, Membership.status == MembershipStatus.ACTIVE)
        .options(joinedload(MemberTagging.tag), joinedload(MemberTagging.membership))
        .order_by(MemberTagging.id)
    )


@bp.get("/tags")
def list_tags():
    """List the coalition's member tags."""
    statement = select(MemberTag).where(MemberTag.coalition_id == g.coalition.id).order_by(MemberTag.id)
    statement = hal.apply_filter(
        statement, {"modified_date": MemberTag.updated_at, "created_date": MemberTag.created_at}
    )
    rows, total, page, per_page = hal.paginate(statement)
    return hal.collection("tags", "tags", [tag_json(t) for t in rows], total, page, per_page)


@bp.post("/tags")
def create_tag():
    """Create a tag (or answer the existing one of that name)."""
    name = hal.typed(hal.json_body(), "name", str)
    tag = tagging.create_tag(g.coalition, name or "", by=g.api_actor)
    audit_api("tag.create", obj=tag)
    return hal.hal(tag_json(tag), 201)


@bp.get("/tags/<tag_id>")
def show_tag(tag_id):
    """One tag."""
    return hal.hal(tag_json(tag_or_404(tag_id)))


@bp.get("/tags/<tag_id>/taggings")
def list_taggings(tag_id):
    """The people carrying a tag, as taggings."""
    tag = tag_or_404(tag_id)
    rows, total, page, per_page = hal.paginate(taggings_statement().where(MemberTagging.tag_id == tag.id))
    audit_api("taggings.read", obj=tag)
    path = f"tags/{tag.public_id}/taggings"
    return hal.collection("taggings", path, [tagging_json(t) for t in rows], total, page, per_page)


@bp.post("/tags/<tag_id>/taggings")
def create_tagging(tag_id):
    """Tag a person: `{"_links": {"osdi:person": {"href": ".../people/<id>"}}}`."""
    tag = tag_or_404(tag_id)
    links = hal.typed(hal.json_body(), "_links", dict, {}) or {}
    person = hal.typed(links, "osdi:person", dict, {}) or {}
    person_id = hal.id_from_href(person.get("href"), "people")
    if person_id is None:
        abort(422, description="Give the person as _links['osdi:person'].href.")
    row = tagging.tag_member(member_or_404(person_id), tag, by=g.api_actor)
    audit_api("tagging.create", obj=row.membership, tag=tag.name)
    return hal.hal(tagging_json(row), 201)


@bp.delete("/tags/<tag_id>/taggings/<tagging_id>")
def delete_tagging(tag_id, tagging_id):
    """Take a tag off a person."""
    tag = tag_or_404(tag_id)
    row = db.session.scalar(
        taggings_statement().where(MemberTagging.tag_id == tag.id, MemberTagging.public_id == hal.public_id(tagging_id))
    )
    if row is None:
        abort(404, description="No such tagging.")
    audit_api("tagging.delete", obj=row.membership, tag=tag.name)
    tagging.untag_member(row, by=g.api_actor)
    return hal.hal({"notice": "This tagging was deleted."})


@bp.get("/people/<person_id>/taggings")
def person_taggings(person_id):
    """The tags on one person, as taggings."""
    membership = member_or_404(person_id)
    rows, total, page, per_page = hal.paginate(taggings_statement().where(MemberTagging.membership_id == membership.id))
    audit_api("taggings.read", obj=membership)
    path = f"people/{membership.public_id}/taggings"
    return hal.collection("taggings", path, [tagging_json(t) for t in rows], total, page, per_page)
