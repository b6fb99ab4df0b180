"""Member tags: organizers label the people of their coalition (building, skills, language) and filter by them.

A tag is defined once per coalition (`MemberTag`, normalised by core.tags) and put on memberships through
`MemberTagging` rows. Functions add and flush; the request commits.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coalition.coalitions.models import Membership, MembershipStatus
from coalition.core.audit import record_audit
from coalition.core.errors import DomainError
from coalition.core.i18n import gettext as _
from coalition.core.models import PublicIdMixin, TimestampMixin, UTCDateTime, utcnow
from coalition.core.tags import MAX_TAG_LENGTH, normalize_tag, parse_tags
from coalition.extensions import db


class TaggingError(DomainError):
    """A tagging rule was broken (unknown tag, empty name)."""


class MemberTag(PublicIdMixin, TimestampMixin, db.Model):
    """A label organizers put on members of one coalition."""

    __tablename__ = "member_tags"
    __table_args__ = (UniqueConstraint("coalition_id", "name", name="uq_member_tags_coalition_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"), index=True)
    #: Normalised by core.tags.normalize_tag ("Spanish speaker" -> "spanish-speaker").
    name: Mapped[str] = mapped_column(String(MAX_TAG_LENGTH))


class MemberTagging(PublicIdMixin, db.Model):
    """One tag on one membership."""

    __tablename__ = "member_taggings"
    __table_args__ = (
        UniqueConstraint("tag_id", "membership_id", name="uq_member_taggings_tag_membership"),
        Index("ix_member_taggings_membership", "membership_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"), index=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("member_tags.id", ondelete="CASCADE"))
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    tag = relationship("MemberTag")
    membership = relationship("Membership")


def create_tag(coalition, name: str, by=None) -> MemberTag:
    """Define a tag (or return the existing one of that name)."""
    normalised = normalize_tag(name or "")
    if not normalised:
        raise TaggingError(_("Please give the tag a name."), "name")
    tag = find_tags(coalition.id, [normalised]).get(normalised)
    if tag is None:
        tag = MemberTag(coalition_id=coalition.id, name=normalised)
        db.session.add(tag)
        db.session.flush()
        record_audit("member_tag.create", actor=by, coalition=coalition, obj=tag, name=normalised)
    return tag


def find_tags(coalition_id: int, names) -> dict[str, MemberTag]:
    """{name: tag} of the coalition's tags among `names` (normalised first)."""
    wanted = parse_tags(list(names))
    if not wanted:
        return {}
    rows = db.session.scalars(
        select(MemberTag).where(MemberTag.coalition_id == coalition_id, MemberTag.name.in_(wanted))
    )
    return {tag.name: tag for tag in rows}


def known_tags(coalition_id: int, names) -> list[MemberTag]:
    """The tags named `names`, all of which must exist in the coalition (else a TaggingError naming the first)."""
    wanted = parse_tags(list(names or []))
    found = find_tags(coalition_id, wanted)
    missing = [name for name in wanted if name not in found]
    if missing:
        raise TaggingError(_("Unknown tag: %(name)s", name=missing[0]), "tags")
    return [found[name] for name in wanted]


def tag_member(membership: Membership, tag: MemberTag, by=None) -> MemberTagging:
    """Put `tag` on a member (once; tagging twice returns the first tagging)."""
    if tag.coalition_id != membership.coalition_id:
        raise TaggingError(_("Unknown tag: %(name)s", name=tag.name), "tags")
    find = select(MemberTagging).where(MemberTagging.tag_id == tag.id, MemberTagging.membership_id == membership.id)
    tagging = db.session.scalar(find)
    if tagging is not None:
        return tagging
    tagging = MemberTagging(coalition_id=membership.coalition_id, tag=tag, membership=membership)
    try:
        with db.session.begin_nested():
            db.session.add(tagging)
    except IntegrityError:  # tagged at the same moment by someone else
        return db.session.scalar(find)
    membership.updated_at = utcnow()
    record_audit("member.tag", actor=by, coalition=membership.coalition, obj=membership, tag=tag.name)
    return tagging


def tag_member_by_name(membership: Membership, name: str, by=None) -> MemberTagging:
    """Put the tag called `name` on a member, defining the tag first if the coalition has none of that name."""
    return tag_member(membership, create_tag(membership.coalition, name, by), by)


def untag_member_by_tag(membership: Membership, tag_id: int, by=None) -> None:
    """Take the tag `tag_id` off a member (nothing happens if they do not carry it)."""
    tagging = db.session.scalar(
        select(MemberTagging).where(MemberTagging.membership_id == membership.id, MemberTagging.tag_id == tag_id)
    )
    if tagging is not None:
        untag_member(tagging, by)


def untag_member(tagging: MemberTagging, by=None) -> None:
    """Take a tag off a member."""
    tagging.membership.updated_at = utcnow()
    record_audit("member.untag", actor=by, coalition=tagging.membership.coalition, obj=tagging.membership)
    db.session.delete(tagging)
    db.session.flush()


def tags_by_membership(membership_ids) -> dict[int, list[str]]:
    """{membership id: [tag names]} for a page of members, in one query."""
    ids = list(membership_ids)
    result: dict[int, list[str]] = {i: [] for i in ids}
    if not ids:
        return result
    rows = db.session.execute(
        select(MemberTagging.membership_id, MemberTag.name)
        .join(MemberTag, MemberTag.id == MemberTagging.tag_id)
        .where(MemberTagging.membership_id.in_(ids))
        .order_by(MemberTag.name)
    )
    for membership_id, name in rows:
        result[membership_id].append(name)
    return result


def tag_names(coalition_id: int) -> list[str]:
    """The names of the coalition's tags, alphabetically (for filters and pickers)."""
    return list(
        db.session.scalars(
            select(MemberTag.name).where(MemberTag.coalition_id == coalition_id).order_by(MemberTag.name)
        )
    )


def user_ids_tagged(coalition_id: int, tag_name: str | None) -> list[int]:
    """The accounts of the coalition's members carrying the tag `tag_name` (none when no tag is named; a
    TaggingError when the coalition has no such tag)."""
    if not (tag_name or "").strip():
        return []
    (tag,) = known_tags(coalition_id, [tag_name])
    statement = select(Membership.user_id).where(
        Membership.coalition_id == coalition_id, Membership.status == MembershipStatus.ACTIVE
    )
    return list(db.session.scalars(members_tagged(statement, tag.name, coalition_id)))


def tags_of(membership_ids) -> dict[int, list[MemberTag]]:
    """{membership id: [tags]} for a page of members, in one query (the people page shows and removes them)."""
    ids = list(membership_ids)
    result: dict[int, list[MemberTag]] = {i: [] for i in ids}
    if ids:
        rows = db.session.execute(
            select(MemberTagging.membership_id, MemberTag)
            .join(MemberTag, MemberTag.id == MemberTagging.tag_id)
            .where(MemberTagging.membership_id.in_(ids))
            .order_by(MemberTag.name)
        )
        for membership_id, tag in rows:
            result[membership_id].append(tag)
    return result


def members_tagged(statement, tag_name: str, coalition_id: int | None = None):
    """Narrow a select over Membership to members carrying the tag `tag_name`."""
    tagged = (
        select(MemberTagging.membership_id)
        .join(MemberTag, MemberTag.id == MemberTagging.tag_id)
        .where(MemberTag.name == normalize_tag(tag_name))
    )
    if coalition_id is not None:
        tagged = tagged.where(MemberTag.coalition_id == coalition_id)
    return statement.where(Membership.id.in_(tagged))


def apply_invitation_tags(invitation, membership: Membership) -> None:
    """Tags chosen when someone was invited are put on them when they join (unknown ones are skipped)."""
    for tag in find_tags(membership.coalition_id, invitation.tags or []).values():
        tag_member(membership, tag)
