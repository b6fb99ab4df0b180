"""Who may see which story: THE visibility rules, as a Python predicate and as the equivalent SQL clause.

Both live here, side by side, so they cannot drift apart (the test matrix checks they agree):
- the storyteller always sees their own story, unless it was deleted (a withdrawn one shows as "withdrawn");
- organizers and leads see submitted, approved and returned stories of their coalition, whatever the visibility;
- members see approved stories whose storyteller chose "coalition members" or "public";
- visitors (and people of other coalitions) see approved public stories only;
- withdrawn and deleted stories are seen by nobody else; drafts by nobody but the storyteller.
Object rules for the story actions (state conditions on top of the role map) are registered here too.
"""

from sqlalchemy import String, and_, bindparam, false, literal, not_, or_, select

from coalition.core.permissions import Role, membership_for, roles_with
from coalition.stories.models import Story, StoryStatus, StoryVisibility

#: Statuses an organizer sees (drafts belong to the storyteller alone).
TEAM_STATUSES = (StoryStatus.SUBMITTED, StoryStatus.APPROVED, StoryStatus.RETURNED)
MEMBER_VISIBILITIES = (StoryVisibility.MEMBERS, StoryVisibility.PUBLIC)


def viewer_role(viewer, coalition_id: int) -> Role | None:
    """The viewer's role in the coalition, or None for visitors and people of other coalitions."""
    membership = membership_for(viewer, coalition_id)
    return Role(membership.role) if membership is not None else None


def _is_team(role: Role | None) -> bool:
    """Is the role one of the organizing team's, who may read team-only stories?"""
    return role is not None and role in roles_with("story.view_team")


# --- The predicate (one story) ------------------------------------------------------------------------------


def is_public(story: Story) -> bool:
    """May anyone on the web see this story?"""
    return story.status == StoryStatus.APPROVED and story.visibility == StoryVisibility.PUBLIC and not story.is_gone


def may_view(story: Story, viewer) -> bool:
    """May `viewer` (a User, or None / anonymous for a visitor) see `story`?"""
    if story.is_deleted:
        return False
    if story.is_owned_by(viewer):
        return True
    if story.is_withdrawn:
        return False
    role = viewer_role(viewer, story.coalition_id)
    if _is_team(role):
        return story.status in TEAM_STATUSES
    if role is not None:
        return story.status == StoryStatus.APPROVED and story.visibility in MEMBER_VISIBILITIES
    return is_public(story)


# --- The same rule as SQL (lists, search, export, counts) ---------------------------------------------------


def _constant(value):
    """A rule's constant written into the SQL itself, so that the planner matches the lists' partial indexes."""
    return literal(str(value), String(), literal_execute=True)


def _one_of(values):
    return bindparam(None, [str(v) for v in values], type_=String(), expanding=True, literal_execute=True)


def public_clause(rows=Story):
    """WHERE clause: stories anyone on the web may see (`rows`: Story, or StoryTag and its copies of the story)."""
    return and_(
        rows.status == _constant(StoryStatus.APPROVED),
        rows.visibility == _constant(StoryVisibility.PUBLIC),
        rows.withdrawn_at.is_(None),
        rows.deleted_at.is_(None),
    )


def audience_clause(role: Role | None, rows=Story):
    """WHERE clause: the stories of other people that someone with `role` sees (None: visitors), in any coalition.

    `rows` is Story, or StoryTag, whose rows carry copies of their story's status, visibility and dates.
    """
    not_gone = and_(rows.withdrawn_at.is_(None), rows.deleted_at.is_(None))
    if _is_team(role):
        return and_(rows.status.in_(_one_of(TEAM_STATUSES)), not_gone)
    if role is not None:
        return and_(
            rows.status == _constant(StoryStatus.APPROVED), rows.visibility.in_(_one_of(MEMBER_VISIBILITIES)), not_gone
        )
    return public_clause(rows)


def audience_counted(role: Role | None) -> tuple[tuple, tuple | None]:
    """`audience_clause(role)` as the kept counts read it: (statuses, visibilities or None for any), withdrawn and
    deleted stories left out as the counts leave them out."""
    if _is_team(role):
        return TEAM_STATUSES, None
    if role is not None:
        return (StoryStatus.APPROVED,), MEMBER_VISIBILITIES
    return (StoryStatus.APPROVED,), (StoryVisibility.PUBLIC,)


def viewer_id(viewer) -> int | None:
    """The id of a signed-in viewer; None for a visitor."""
    return getattr(viewer, "id", None) if getattr(viewer, "is_authenticated", False) else None


def own_clause(viewer):
    """WHERE clause: the viewer's own stories, unless deleted (none for a visitor)."""
    user_id = viewer_id(viewer)
    return and_(Story.storyteller_id == user_id, Story.deleted_at.is_(None)) if user_id else false()


def visible_clause(viewer, coalition):
    """WHERE clause equivalent to `may_view(story, viewer)` for the stories of `coalition`."""
    role = viewer_role(viewer, coalition.id)
    return and_(Story.coalition_id == coalition.id, or_(own_clause(viewer), audience_clause(role)))


def visible_parts(viewer, coalition, rows=Story):
    """The stories of `visible_clause()` in two parts that never overlap, each of which an index can serve.

    Returns (what the viewer's role sees of the coalition's stories, on `rows`; the viewer's own stories that the
    first part leaves out, on Story, or None for a visitor). A list walks each part newest first and merges them.
    """
    return role_parts(viewer_role(viewer, coalition.id), coalition.id, viewer_id(viewer), rows)


def role_parts(role: Role | None, coalition_id, user_id, rows=Story):
    """`visible_parts()` of a viewer with `role` and id `user_id` (None: a visitor) in coalition `coalition_id`; the
    ids are values, or bound parameters of a statement built once for every viewer of that role."""
    shared = and_(rows.coalition_id == coalition_id, audience_clause(role, rows))
    if user_id is None:
        return shared, None
    own = and_(
        Story.coalition_id == coalition_id,
        Story.storyteller_id == user_id,
        Story.deleted_at.is_(None),
        not_(audience_clause(role)),
    )
    return shared, own


def visible_stories(viewer, coalition):
    """select(Story) of the stories of `coalition` that `viewer` may see."""
    return select(Story).where(visible_clause(viewer, coalition))


def public_stories(coalition, campaign=None):
    """select(Story) of the approved public stories of a coalition (optionally of one campaign)."""
    statement = select(Story).where(Story.coalition_id == coalition.id, public_clause())
    if campaign is not None:
        statement = statement.where(Story.campaign_id == campaign.id)
    return statement


def reads_are_audited(story: Story, viewer) -> bool:
    """Is this a read by the organizing team of a story its storyteller kept to the team (audit it)?"""
    return story.visibility == StoryVisibility.TEAM and not story.is_owned_by(viewer)


# --- Object rules on top of the role map ------------------------------------------------------------------


def _story(obj) -> Story | None:
    return obj if isinstance(obj, Story) else None


def _rule_view(user, membership, obj):
    story = _story(obj)
    return story is None or may_view(story, user)


def _rule_edit(user, membership, obj):
    story = _story(obj)
    return story is None or not story.is_gone


def _rule_consent(user, membership, obj):
    story = _story(obj)
    return story is None or not story.is_gone


def _rule_withdraw(user, membership, obj):
    story = _story(obj)
    return story is None or not story.is_gone


def _rule_delete(user, membership, obj):
    story = _story(obj)
    return story is None or not story.is_deleted


def _rule_review(user, membership, obj):
    story = _story(obj)
    return story is None or (not story.is_gone and story.status == StoryStatus.SUBMITTED)


def _rule_propose_excerpt(user, membership, obj):
    story = _story(obj)
    if story is None:
        return True
    return not story.is_gone and story.status in TEAM_STATUSES and story.pending_excerpt is None


def _rule_accept_excerpt(user, membership, obj):
    story = _story(obj)
    return story is None or (not story.is_gone and story.pending_excerpt is not None)


#: action -> rule, registered with core.permissions by the package's register(app).
OBJECT_RULES = {
    "story.view": _rule_view,
    "story.edit": _rule_edit,
    "story.consent": _rule_consent,
    "story.withdraw": _rule_withdraw,
    "story.delete": _rule_delete,
    "story.review": _rule_review,
    "story.propose_excerpt": _rule_propose_excerpt,
    "story.accept_excerpt": _rule_accept_excerpt,
}
