"""Stakeholder rules: contacts and duplicates, campaign targets and their stance history, the outreach log.

Functions add and flush; the request (or CLI command) commits once. The outreach log (`stakeholders.outreach`),
follow-ups, the power map, CSV/vCard and testimony packets live in their own modules, above this one.
"""

from flask import current_app
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from coalition.accounts.models import User
from coalition.campaigns.models import Campaign
from coalition.coalitions.models import Coalition
from coalition.coalitions.queries import active_members
from coalition.core.audit import record_audit
from coalition.core.errors import DomainError
from coalition.core.i18n import gettext as _
from coalition.core.pagination import paginate
from coalition.core.permissions import roles_with
from coalition.core.tags import parse_tags
from coalition.extensions import db
from coalition.stakeholders.models import (
    CampaignTarget,
    Outreach,
    Priority,
    Stakeholder,
    StakeholderCategory,
    StakeholderTag,
    Stance,
    StanceChange,
)

STAKEHOLDER_FIELDS = (
    "name",
    "title",
    "organization",
    "category",
    "jurisdiction",
    "email",
    "phone",
    "address",
    "website",
    "notes",
    "tags",
)


class StakeholderError(DomainError):
    """A rule of the stakeholder domain was broken; the message is shown to the person."""


class PossibleDuplicate(StakeholderError):
    """Creating this stakeholder may duplicate existing ones; the person must confirm."""

    def __init__(self, duplicates):
        super().__init__(_("This may be someone you already have. Check the list below or create anyway."))
        self.duplicates = duplicates


def coalition_of(obj) -> Coalition:
    """The coalition an object belongs to (from the identity map: usually no query)."""
    return db.session.get(Coalition, obj.coalition_id)


# --- Stakeholders ---------------------------------------------------------------------------------------------


def normalize_tags(value) -> list[str]:
    """A stakeholder's tags from "a; b, c" or a list: the one tag normaliser, sorted."""
    return sorted(parse_tags(value))


def find_duplicates(coalition, *, name: str, organization: str, email: str, exclude_id=None) -> list[Stakeholder]:
    """Stakeholders with the same email, or the same name and organization (case-insensitively)."""
    clauses = [
        (func.lower(Stakeholder.name) == (name or "").strip().lower())
        & (func.lower(Stakeholder.organization) == (organization or "").strip().lower())
    ]
    if email:
        clauses.append(Stakeholder.email == email.strip().lower())
    statement = select(Stakeholder).where(Stakeholder.coalition_id == coalition.id, or_(*clauses))
    if exclude_id:
        statement = statement.where(Stakeholder.id != exclude_id)
    return list(db.session.scalars(statement.order_by(Stakeholder.name).limit(20)))


def save_stakeholder(coalition, by: User, stakeholder=None, *, allow_duplicate=False, **fields) -> Stakeholder:
    """Create or update a stakeholder; on create, refuse possible duplicates unless `allow_duplicate`."""
    fields = {key: value for key, value in fields.items() if key in STAKEHOLDER_FIELDS}
    fields["email"] = (fields.get("email") or "").strip().lower()
    fields["tags"] = normalize_tags(fields.get("tags"))
    fields["category"] = StakeholderCategory(fields.get("category") or StakeholderCategory.ALLY)
    for key in STAKEHOLDER_FIELDS:
        if fields.get(key) is None:
            fields[key] = ""
    if stakeholder is None and not allow_duplicate:
        duplicates = find_duplicates(
            coalition, name=fields["name"], organization=fields["organization"], email=fields["email"]
        )
        if duplicates:
            raise PossibleDuplicate(duplicates)
    creating = stakeholder is None
    if creating:
        stakeholder = Stakeholder(coalition_id=coalition.id, created_by_id=by.id if by else None)
        db.session.add(stakeholder)
    for key, value in fields.items():
        setattr(stakeholder, key, value)
    db.session.flush()
    record_audit(
        "stakeholder.create" if creating else "stakeholder.edit", actor=by, coalition=coalition, obj=stakeholder
    )
    return stakeholder


def delete_stakeholder(stakeholder: Stakeholder, by: User) -> None:
    """Delete a stakeholder with its targets, stance history and outreach log."""
    record_audit(
        "stakeholder.delete", actor=by, coalition=coalition_of(stakeholder), obj=stakeholder, name=stakeholder.name
    )
    db.session.delete(stakeholder)
    db.session.flush()


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def stakeholder_search(coalition, *, q="", category="", tag="", campaign_id=None):
    """A select() of the coalition's stakeholders matching the search and filters, ordered by name."""
    statement = select(Stakeholder).where(Stakeholder.coalition_id == coalition.id)
    if q:
        pattern = f"%{_like_escape(q.strip().lower())}%"
        statement = statement.where(
            or_(
                func.lower(Stakeholder.name).like(pattern, escape="\\"),
                func.lower(Stakeholder.organization).like(pattern, escape="\\"),
                Stakeholder.email.like(pattern, escape="\\"),
            )
        )
    if category:
        statement = statement.where(Stakeholder.category == StakeholderCategory(category))
    for wanted in normalize_tags(tag)[:1]:
        tagged = select(StakeholderTag.stakeholder_id).where(
            StakeholderTag.coalition_id == coalition.id, StakeholderTag.tag == wanted
        )
        statement = statement.where(Stakeholder.id.in_(tagged))
    if campaign_id:
        statement = statement.where(
            Stakeholder.id.in_(select(CampaignTarget.stakeholder_id).where(CampaignTarget.campaign_id == campaign_id))
        )
    return statement.order_by(Stakeholder.name, Stakeholder.id)


#: The order of a stakeholder's outreach log: newest first.
OUTREACH_LOG_ORDER = (Outreach.occurred_at.desc(), Outreach.id.desc())


def stakeholder_history(stakeholder: Stakeholder, around: int | None = None) -> dict:
    """Everything about one stakeholder: targets with their stance history, and a page of the outreach log, newest
    first (what each row has one of is joined, what it has many of is read once for all rows). The page is the
    request's, or the one holding the outreach entry `around` (a link to one entry lands on its page)."""
    targets = db.session.scalars(
        select(CampaignTarget)
        .where(CampaignTarget.stakeholder_id == stakeholder.id)
        .options(
            joinedload(CampaignTarget.campaign),
            joinedload(CampaignTarget.owner),
            selectinload(CampaignTarget.stance_changes).joinedload(StanceChange.changed_by),
        )
        .order_by(CampaignTarget.id)
    ).all()
    outreach = paginate(
        select(Outreach)
        .where(Outreach.stakeholder_id == stakeholder.id)
        .options(
            joinedload(Outreach.campaign),
            selectinload(Outreach.participants),
            joinedload(Outreach.follow_up_owner),
            joinedload(Outreach.logged_by),
        )
        .order_by(*OUTREACH_LOG_ORDER),
        page=_page_holding(stakeholder, around) if around is not None else None,
    )
    return {"targets": targets, "outreach": outreach}


def _page_holding(stakeholder: Stakeholder, outreach_id: int) -> int | None:
    """The page of the stakeholder's outreach log that holds entry `outreach_id` (None: not one of theirs)."""
    entry = db.session.execute(
        select(Outreach.occurred_at, Outreach.id).where(
            Outreach.id == outreach_id, Outreach.stakeholder_id == stakeholder.id
        )
    ).first()
    if entry is None:
        return None
    newer = db.session.scalar(
        select(func.count()).where(
            Outreach.stakeholder_id == stakeholder.id,
            or_(
                Outreach.occurred_at > entry.occurred_at,
                (Outreach.occurred_at == entry.occurred_at) & (Outreach.id > entry.id),
            ),
        )
    )
    return newer // current_app.config["PER_PAGE"] + 1


# --- Campaign targets -----------------------------------------------------------------------------------------


#: The action that makes someone part of the team working with stakeholders (who may own targets and follow-ups).
TEAM_ACTION = "stakeholder.view"


def eligible_owners(coalition) -> list[User]:
    """The coalition's active organizing team (organizers and leads): who may own a target or a follow-up."""
    return list(db.session.scalars(active_members(coalition, roles=roles_with(TEAM_ACTION))))


def check_owner(coalition, owner: User | None, field: str = "owner_id") -> None:
    """Refuse an owner who is not on the coalition's organizing team."""
    if owner is not None and owner.id not in {user.id for user in eligible_owners(coalition)}:
        raise StakeholderError(_("The owner must be an organizer or lead of the coalition."), field)


def campaign_of(coalition, campaign_id) -> Campaign:
    """The coalition's campaign with this id; refuses another coalition's (or a missing) campaign."""
    campaign = db.session.get(Campaign, campaign_id) if campaign_id else None
    if campaign is None or campaign.coalition_id != coalition.id:
        raise StakeholderError(_("Please choose a campaign of this coalition."), "campaign_id")
    return campaign


def add_target(stakeholder, by, *, campaign_id, stance, influence, priority, ask="", owner=None) -> CampaignTarget:
    """Make a stakeholder a target of a campaign; its first stance opens the history."""
    campaign = campaign_of(coalition_of(stakeholder), campaign_id)
    existing = db.session.scalar(
        select(CampaignTarget.id).where(
            CampaignTarget.campaign_id == campaign.id, CampaignTarget.stakeholder_id == stakeholder.id
        )
    )
    if existing is not None:
        raise StakeholderError(
            _("%(name)s is already a target of this campaign.", name=stakeholder.name), "campaign_id"
        )
    target = CampaignTarget(
        coalition_id=stakeholder.coalition_id,
        campaign_id=campaign.id,
        stakeholder_id=stakeholder.id,
        stance=Stance.UNKNOWN,
        influence=_influence(influence),
        priority=Priority(priority),
        ask=ask or "",
    )
    _set_owner(target, owner)
    db.session.add(target)
    db.session.flush()
    change_stance(target, Stance(stance), by, initial=True)
    record_audit("target.add", actor=by, coalition=coalition_of(target), obj=target, campaign=campaign.id)
    return target


def _influence(value) -> int:
    try:
        influence = int(value)
    except (TypeError, ValueError):
        influence = 0
    if not 1 <= influence <= 5:
        raise StakeholderError(_("Influence goes from 1 to 5."), "influence")
    return influence


def _set_owner(target, owner) -> None:
    check_owner(coalition_of(target), owner)
    target.owner_id = owner.id if owner else None


def update_target(target, by, *, stance, influence, priority, ask="", owner=None) -> CampaignTarget:
    """Edit a target; a new stance is added to its history."""
    target.influence = _influence(influence)
    target.priority = Priority(priority)
    target.ask = ask or ""
    _set_owner(target, owner)
    change_stance(target, Stance(stance), by)
    db.session.flush()
    return target


def change_stance(target, new_stance: Stance, by, *, outreach=None, initial=False) -> StanceChange | None:
    """Set a target's stance and keep the step in its history (nothing happens if it did not change)."""
    new_stance = Stance(new_stance)
    if not initial and target.stance == new_stance:
        return None
    change = StanceChange(
        coalition_id=target.coalition_id,
        target_id=target.id,
        campaign_id=target.campaign_id,
        old_stance=None if initial else target.stance,
        new_stance=new_stance,
        changed_by_id=by.id if by else None,
        outreach_id=outreach.id if outreach is not None else None,
    )
    target.stance = new_stance
    db.session.add(change)
    db.session.flush()
    return change


def remove_target(target, by) -> None:
    """Remove a stakeholder from a campaign's targets (with its stance history)."""
    record_audit("target.remove", actor=by, coalition=coalition_of(target), obj=target, campaign=target.campaign_id)
    db.session.delete(target)
    db.session.flush()


def target_for(stakeholder_id: int, campaign_id: int | None) -> CampaignTarget | None:
    """The target row of a stakeholder in a campaign, if there is one."""
    if not campaign_id:
        return None
    return db.session.scalar(
        select(CampaignTarget).where(
            CampaignTarget.stakeholder_id == stakeholder_id, CampaignTarget.campaign_id == campaign_id
        )
    )
