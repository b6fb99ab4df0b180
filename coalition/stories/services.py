"""Story rules: writing, recording and intake, consent, lifecycle, excerpts, withdrawal, deletion and shares.

Only the storyteller (logged in, or holding the private link) can change a story's text or consent; organizers
review, propose excerpts and record shares, and never change consent. Functions add and flush; the request commits.
"""

from sqlalchemy import select

from coalition.accounts.models import User
from coalition.campaigns.models import Campaign, CampaignStatus
from coalition.coalitions.models import Coalition
from coalition.core.audit import record_audit
from coalition.core.i18n import gettext as _
from coalition.core.i18n import lazy_gettext as _l
from coalition.core.models import utcnow
from coalition.core.outbox import queue_mail
from coalition.core.signals import story_submitted
from coalition.core.tags import parse_tags
from coalition.core.text import normalize_email
from coalition.core.tokens import hash_token, new_token
from coalition.extensions import db
from coalition.stories.answers import missing_answers, set_answers
from coalition.stories.consent import acting_as_storyteller, set_consent, user_of
from coalition.stories.errors import StoryError
from coalition.stories.mail import mail_recorded, manage_link, notify_storyteller, visitor_locale
from coalition.stories.models import (
    BODY_MAX,
    TITLE_MAX,
    Attribution,
    ExcerptStatus,
    Story,
    StoryExcerpt,
    StoryStatus,
    StoryVisibility,
)

STORY_FIELDS = ("title", "body", "language", "tags", "location", "content_note")
DEFAULT_CONSENT = {
    "visibility": StoryVisibility.TEAM,
    "attribution": Attribution.ANONYMOUS,
    "share_with_decision_makers": False,
    "press_ok": False,
}
MAX_TAGS = 10


# --- Story fields --------------------------------------------------------------------------------------------


def _clean_fields(fields: dict) -> dict:
    """Only the story's own fields, trimmed and checked (consent fields are never taken from here)."""
    clean = {name: fields[name] for name in STORY_FIELDS if name in fields}
    for name, limit, empty, long in (
        ("title", TITLE_MAX, _("Please give your story a title."), _("Please keep the title under %(n)d characters.")),
        ("body", BODY_MAX, _("Please write your story."), _("Please keep your story under %(n)d characters.")),
    ):
        if name in clean:
            value = (clean[name] or "").strip()
            if not value:
                raise StoryError(empty, field=name)
            if len(value) > limit:
                raise StoryError(long % {"n": limit}, field=name)
            clean[name] = value
    if "tags" in clean:
        clean["tags"] = parse_tags(clean["tags"])[:MAX_TAGS]
    for name in ("location", "content_note"):
        if name in clean:
            clean[name] = (clean[name] or "").strip()[:300] or None
    return clean


def _campaign_for(coalition: Coalition, campaign_id) -> Campaign | None:
    if not campaign_id:
        return None
    campaign = db.session.get(Campaign, int(campaign_id))
    if campaign is None or campaign.coalition_id != coalition.id or campaign.status == CampaignStatus.ARCHIVED:
        raise StoryError(_("Please choose a campaign from the list."), field="campaign_id")
    return campaign


def _new_story(coalition: Coalition, fields: dict, campaign, answers, consent: dict, *, by, via) -> Story:
    # The id as well as the object: the answer and consent rows below take the story's coalition_id before any flush.
    story = Story(
        coalition=coalition,
        coalition_id=coalition.id,
        status=StoryStatus.DRAFT,
        **{"tags": [], **_clean_fields(fields)},
    )
    story.campaign = campaign
    db.session.add(story)
    set_answers(story, answers)
    set_consent(story, {**DEFAULT_CONSENT, **{k: v for k, v in (consent or {}).items() if v is not None}}, by, via)
    return story


# --- Creating -----------------------------------------------------------------------------------------------


def create_story(
    coalition: Coalition, storyteller: User, fields: dict, *, campaign_id=None, answers=None, consent=None, submit=False
) -> Story:
    """A member writes a story (a draft, or submitted for review at once)."""
    campaign = _campaign_for(coalition, campaign_id)
    story = _new_story(coalition, fields, campaign, answers, consent, by=storyteller, via="storyteller")
    story.storyteller = storyteller
    db.session.flush()
    if submit:
        submit_story(story, storyteller)
    return story


def record_story(
    coalition: Coalition,
    organizer: User,
    fields: dict,
    *,
    storyteller: User | None = None,
    name: str | None = None,
    email: str | None = None,
    consent_confirmed: bool = False,
    campaign_id=None,
    answers=None,
    consent=None,
) -> tuple[Story, str | None]:
    """An organizer records a story on someone's behalf, with that person's confirmed consent; it is submitted.

    The person is a member of the coalition, or someone without account (name, email) who is mailed the private
    link. Returns the story and, for a person without account, the raw token of that link.
    """
    if not consent_confirmed:
        raise StoryError(_("Please confirm that this person gave consent to these choices."), field="consent_confirmed")
    if storyteller is None and not (name or "").strip():
        raise StoryError(_("Please choose a member or enter the person's name."), field="name")
    if storyteller is not None and storyteller.active_memberships().get(coalition.id) is None:
        raise StoryError(_("Please choose a member from the list."), field="storyteller_id")
    campaign = _campaign_for(coalition, campaign_id)
    story = _new_story(coalition, fields, campaign, answers, consent, by=organizer, via="organizer_record")
    story.recorded_by = organizer
    raw = None
    if storyteller is not None:
        story.storyteller = storyteller
    else:
        story.intake_name = name.strip()[:120]
        story.intake_email = normalize_email(email) or None
        raw, story.manage_token_hash = new_token()
    db.session.flush()
    _submit(story)
    record_audit("story.record", actor=organizer, coalition=coalition, obj=story)
    mail_recorded(story, organizer, raw)
    return story, raw


def intake_story(
    coalition: Coalition, campaign: Campaign, fields: dict, *, name=None, email=None, answers=None, consent=None
) -> tuple[Story, str]:
    """A visitor shares a story through a campaign's public form; returns it and the raw private-link token."""
    story = _new_story(coalition, fields, campaign, answers, consent, by=None, via="visitor_link")
    story.intake_name = (name or "").strip()[:120] or None
    story.intake_email = normalize_email(email) or None
    raw, story.manage_token_hash = new_token()
    db.session.flush()
    _submit(story)
    if story.intake_email:
        queue_mail(
            story.intake_email,
            _l("Your story for %(campaign)s: your private link", campaign=campaign.title),
            "stories/private_link",
            kind="story_link",
            locale=visitor_locale(story),
            coalition=coalition,
            campaign=campaign,
            story=story,
            manage_url=manage_link(coalition, raw),
        )
    return story, raw


def find_story_by_token(coalition: Coalition, raw: str) -> Story | None:
    """The story behind a private manage link (deleted ones included, so the page can say so)."""
    if not raw or len(raw) > 100:
        return None
    return db.session.scalar(
        select(Story).where(Story.coalition_id == coalition.id, Story.manage_token_hash == hash_token(raw))
    )


# --- Editing and lifecycle ----------------------------------------------------------------------------------


_KEEP = object()


def update_story(story: Story, actor, fields: dict, *, campaign_id=_KEEP, answers=None) -> None:
    """The storyteller edits their story; an approved story whose text changed goes back to review."""
    acting_as_storyteller(story, actor)
    if story.is_gone:
        raise StoryError(_("This story was withdrawn."))
    clean = _clean_fields(fields)
    text_changed = any(clean.get(name, getattr(story, name)) != getattr(story, name) for name in ("title", "body"))
    for name, value in clean.items():
        setattr(story, name, value)
    if campaign_id is not _KEEP:
        story.campaign = _campaign_for(story.coalition, campaign_id)
    if answers is not None:
        set_answers(story, answers)
    if text_changed and story.status == StoryStatus.APPROVED:
        _submit(story)
    db.session.flush()


def submit_story(story: Story, actor) -> None:
    """The storyteller sends a draft (or a returned story) to the organizers for review."""
    acting_as_storyteller(story, actor)
    if story.is_gone:
        raise StoryError(_("This story was withdrawn."))
    if story.status not in (StoryStatus.DRAFT, StoryStatus.RETURNED):
        raise StoryError(_("This story was already submitted."))
    missing = missing_answers(story)
    if missing:
        raise StoryError(_("Please answer: %(question)s", question=missing[0].prompt), field=f"q_{missing[0].id}")
    _submit(story)


def _submit(story: Story) -> None:
    story.status = StoryStatus.SUBMITTED
    story.submitted_at = utcnow()
    story.review_note = None
    db.session.flush()
    story_submitted.send(story.coalition_id, story=story)


def review_story(story: Story, organizer: User, *, approve: bool, note: str | None = None) -> None:
    """Organizers approve a submitted story or return it with a note; consent is never touched."""
    if story.is_gone or story.status != StoryStatus.SUBMITTED:
        raise StoryError(_("Only submitted stories can be reviewed."))
    note = (note or "").strip() or None
    if not approve and not note:
        raise StoryError(_("Please tell the storyteller why the story is returned."), field="note")
    story.status = StoryStatus.APPROVED if approve else StoryStatus.RETURNED
    story.review_note = note
    if approve:
        story.approved_at = utcnow()
    record_audit("story.review", actor=organizer, coalition=story.coalition, obj=story, decision=str(story.status))
    notify_storyteller(
        story,
        _l("Your story was approved") if approve else _l("Your story was returned with a note"),
        "stories/decision",
        kind="story_decision",
        approved=approve,
        note=note,
    )


def withdraw_story(story: Story, actor) -> None:
    """The storyteller withdraws their story: it disappears at once from every page, search, report and export."""
    via = acting_as_storyteller(story, actor)
    if story.is_gone:
        raise StoryError(_("This story was already withdrawn."))
    story.withdrawn_at = utcnow()
    record_audit("story.withdraw", actor=user_of(actor), coalition=story.coalition, obj=story, via=via)


def delete_story(story: Story, actor) -> None:
    """The storyteller deletes their story: its text, answers and excerpts are erased for good.

    The row stays, blank, with the consent history (without content), so the history keeps its meaning.
    """
    via = acting_as_storyteller(story, actor)
    if story.is_deleted:
        raise StoryError(_("This story was already deleted."))
    erase_story_content(story)
    record_audit("story.delete", actor=user_of(actor), coalition=story.coalition, obj=story, via=via)


def erase_story_content(story: Story) -> None:
    """Blank a story's content for good and mark it deleted (and withdrawn)."""
    now = utcnow()
    story.title = ""
    story.body = ""
    story.tags = []
    story.location = None
    story.content_note = None
    story.review_note = None
    story.intake_name = None
    story.intake_email = None
    story.answers.clear()
    story.excerpts.clear()
    story.withdrawn_at = story.withdrawn_at or now
    story.deleted_at = now
    db.session.flush()


# --- Excerpts -----------------------------------------------------------------------------------------------


def propose_excerpt(story: Story, organizer: User, body: str) -> StoryExcerpt:
    """An organizer proposes an edited or shortened version; the storyteller decides whether it is used."""
    if story.is_gone or story.status == StoryStatus.DRAFT:
        raise StoryError(_("This story is not available any more."))
    if story.pending_excerpt is not None:
        raise StoryError(_("An excerpt is already waiting for the storyteller's answer."), field="body")
    body = (body or "").strip()
    if not body:
        raise StoryError(_("Please write the excerpt."), field="body")
    if len(body) > BODY_MAX:
        raise StoryError(_("Please keep the excerpt under %(n)d characters.", n=BODY_MAX), field="body")
    excerpt = StoryExcerpt(
        coalition_id=story.coalition_id, story=story, proposed_by=organizer, body=body, status=ExcerptStatus.PROPOSED
    )
    db.session.add(excerpt)
    db.session.flush()
    record_audit("story.propose_excerpt", actor=organizer, coalition=story.coalition, obj=story)
    notify_storyteller(story, _l("An excerpt of your story is proposed"), "stories/excerpt", kind="story_excerpt")
    return excerpt


def decide_excerpt(story: Story, excerpt: StoryExcerpt, actor, *, accept: bool) -> None:
    """The storyteller accepts (it is then shown in place of the original) or declines a proposed excerpt."""
    acting_as_storyteller(story, actor)
    if excerpt.story_id != story.id or excerpt.status != ExcerptStatus.PROPOSED or story.is_gone:
        raise StoryError(_("This excerpt is not waiting for an answer."))
    excerpt.status = ExcerptStatus.ACCEPTED if accept else ExcerptStatus.DECLINED
    excerpt.decided_at = utcnow()
    record_audit("story.excerpt_" + str(excerpt.status), actor=user_of(actor), coalition=story.coalition, obj=story)
