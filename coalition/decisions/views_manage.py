"""Decision pages for organizers: create and edit, open, close, extend, reopen, withdraw, remind, outcome, action
items, scheduling a time poll's meeting; and a campaign's check-in."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from coalition.campaigns.models import Campaign
from coalition.coalitions import tagging
from coalition.coalitions.queries import active_members
from coalition.core.forms import ActionForm
from coalition.core.i18n import gettext as _
from coalition.core.once import claim_submission, submission_led_to
from coalition.core.permissions import require
from coalition.core.scoping import db_id, get_scoped_or_404, member_required
from coalition.core.work import unit_of_work
from coalition.decisions import bp, checkins, lists, outcome, services
from coalition.decisions.forms import (
    CheckinForm,
    CheckinSetupForm,
    CloseTimeForm,
    DecisionForm,
    OutcomeForm,
    ScheduleForm,
)
from coalition.decisions.loading import load_decision, to_local, to_utc, zone_name
from coalition.decisions.models import Audience, DecisionInvitee
from coalition.extensions import db
from coalition.meetings.forms import ActionItemForm
from coalition.meetings.models import Meeting


def _choices():
    campaigns = db.session.execute(
        select(Campaign.id, Campaign.title)
        .where(Campaign.coalition_id == g.coalition.id)
        .order_by(Campaign.title)
        .limit(500)
    ).all()
    meetings = db.session.execute(
        select(Meeting.id, Meeting.title)
        .where(Meeting.coalition_id == g.coalition.id)
        .order_by(Meeting.start_at.desc())
        .limit(200)
    ).all()
    members = [(u.id, u.display_name) for u in db.session.scalars(active_members(g.coalition).limit(1000))]
    # Plain (value, label) tuples: WTForms does not take SQLAlchemy rows as choices.
    return {
        "campaigns": [tuple(row) for row in campaigns],
        "meetings": [tuple(row) for row in meetings],
        "members": members,
        "zone": zone_name(),
    }


def _save(form, decision):
    fields = {name: form[name].data for name in services.EDIT_FIELDS if name in form}
    fields["audience"] = Audience(fields["audience"])
    for name, default in (("max_choices", 1), ("score_max", 5), ("duration_minutes", 90), ("reminder_hours", 24)):
        fields[name] = fields[name] or default
    kind = decision.kind if decision else form.kind.data
    times = {
        "options": services.parse_options(kind, form.options.data, zone_name()),
        "opens_at": to_utc(form.opens_at.data, "opens_at") if form.opens_at.data else services.utcnow(),
        "closes_at": to_utc(form.closes_at.data, "closes_at"),
    }
    if decision is None:
        decision = services.create_decision(
            g.coalition, current_user, kind=kind, privacy=form.privacy.data, **times, **fields
        )
    else:
        services.update_decision(decision, current_user, **times, **fields)
    if decision.audience == Audience.INVITED:
        services.invite_people(
            decision, [*(form.invitees.data or []), *tagging.user_ids_tagged(g.coalition.id, form.invite_tag.data)]
        )
    return decision


@bp.route("/new", methods=["GET", "POST"], defaults={"decision_id": None})
@bp.route("/<int:decision_id>/edit", methods=["GET", "POST"])
@member_required
def new(decision_id):
    """Create a decision (from a campaign, a meeting or an agenda item), or edit one until its first answer."""
    decision = load_decision(decision_id, "decision.manage") if decision_id else None
    if decision is None:
        require("decision.create", g.coalition)
    form = DecisionForm(obj=decision, **_choices())
    if request.method == "GET":
        if decision is None:
            form.title.data = request.args.get("title", "")[:200]
            form.meeting_id.data = request.args.get("meeting", 0, type=db_id) or 0
            form.campaign_id.data = request.args.get("campaign", 0, type=db_id) or 0
            form.closes_at.data = to_local(lists.default_close(g.coalition))
        else:
            form.campaign_id.data, form.meeting_id.data = decision.campaign_id or 0, decision.meeting_id or 0
            form.opens_at.data, form.closes_at.data = to_local(decision.opens_at), to_local(decision.closes_at)
            form.options.data = "\n".join(option.label for option in decision.options)
            form.invitees.data = list(
                db.session.scalars(select(DecisionInvitee.user_id).where(DecisionInvitee.decision_id == decision.id))
            )
    if form.validate_on_submit():
        with unit_of_work(form, success=_("Decision saved.")) as work:
            claim_submission(form)
            saved = _save(form, decision)
            shown = submission_led_to(form, url_for("decisions.show", decision_id=saved.id))
        if work.ok:
            return redirect(shown)
    return render_template("decisions/form.html", form=form, decision=decision)


def _action(decision_id, service, success, *args):
    decision = load_decision(decision_id, "decision.manage")
    if ActionForm().validate_on_submit():
        with unit_of_work(success=success):
            service(decision, current_user, *args)
    return redirect(url_for("decisions.show", decision_id=decision.id))


@bp.route("/<int:decision_id>/open", methods=["POST"])
@member_required
def open_(decision_id):
    """Open a draft; everyone eligible gets a mail with answer links."""
    return _action(decision_id, services.open_decision, _("The decision is open and everyone eligible is told."))


@bp.route("/<int:decision_id>/close", methods=["POST"])
@member_required
def close(decision_id):
    """Close now: the result is frozen."""
    return _action(decision_id, services.close_decision, _("The decision is closed; its result is frozen."))


@bp.route("/<int:decision_id>/withdraw", methods=["POST"])
@member_required
def withdraw(decision_id):
    """Withdraw a draft or open decision."""
    return _action(decision_id, services.withdraw_decision, _("The decision is withdrawn."))


@bp.route("/<int:decision_id>/remind", methods=["POST"])
@member_required
def remind(decision_id):
    """Send one reminder to those who have not answered (never to those who have)."""
    decision = load_decision(decision_id, "decision.remind")
    if ActionForm().validate_on_submit():
        with unit_of_work() as work:
            queued = services.remind_unanswered(decision, current_user)
        if work.ok:
            flash(
                ngettext(
                    "%(num)d reminder queued for people who have not answered.",
                    "%(num)d reminders queued for people who have not answered.",
                    queued,
                ),
                "success",
            )
    return redirect(url_for("decisions.show", decision_id=decision.id))


@bp.route("/<int:decision_id>/<any(extend, reopen):what>", methods=["GET", "POST"])
@member_required
def change_close(decision_id, what):
    """Extend an open decision, or reopen a closed one (not anonymous ones), until a new closing time."""
    decision = load_decision(decision_id, "decision.manage")
    form = CloseTimeForm()
    if form.validate_on_submit():
        service = services.extend_decision if what == "extend" else services.reopen_decision
        with unit_of_work(form, success=_("Saved.")) as work:
            service(decision, current_user, to_utc(form.closes_at.data, "closes_at"))
        if work.ok:
            return redirect(url_for("decisions.show", decision_id=decision.id))
    return render_template("decisions/close_time.html", form=form, decision=decision, what=what)


@bp.route("/<int:decision_id>/outcome", methods=["GET", "POST"])
@member_required
def write_outcome(decision_id):
    """Write the outcome statement (mailed to everyone eligible), add action items, schedule a time poll's meeting."""
    decision = load_decision(decision_id, "decision.manage")
    form = OutcomeForm(obj=decision)
    members = list(db.session.scalars(active_members(g.coalition).limit(1000)))
    item_form = ActionItemForm(members=members, prefix="item")
    schedule_form = ScheduleForm(prefix="meeting")
    schedule_form.option_id.choices = [(o.id, o.label) for o in decision.options]
    if form.submit.data and form.validate_on_submit():
        with unit_of_work(form, success=_("Outcome saved and mailed to everyone eligible.")) as work:
            outcome.write_outcome(decision, current_user, form.outcome.data)
        if work.ok:
            return redirect(url_for("decisions.show", decision_id=decision.id))
    elif item_form.submit.data and item_form.validate_on_submit():
        with unit_of_work(item_form, success=_("Action item added.")) as work:
            outcome.add_action_item(
                decision,
                current_user,
                title=item_form.title.data,
                owner_id=item_form.owner_id.data or None,
                due_on=item_form.due_on.data,
            )
        if work.ok:
            return redirect(url_for("decisions.write_outcome", decision_id=decision.id))
    elif schedule_form.submit.data and schedule_form.validate_on_submit():
        with unit_of_work(
            schedule_form, success=_("The meeting is scheduled and those who said yes are invited.")
        ) as work:
            meeting = outcome.schedule_meeting(
                decision, current_user, schedule_form.option_id.data, venue=schedule_form.venue.data or ""
            )
        if work.ok:
            return redirect(url_for("meetings.show", meeting_id=meeting.id))
    return render_template(
        "decisions/outcome.html",
        decision=decision,
        form=form,
        item_form=item_form,
        schedule_form=schedule_form,
        action_items=outcome.action_items(decision),
    )


# --- Check-ins -----------------------------------------------------------------------------------------------


@bp.route("/checkins/<int:campaign_id>", methods=["GET", "POST"])
@member_required
def checkin(campaign_id):
    """Answer a campaign's check-in (members, anonymously), or start/stop it (organizers)."""
    campaign = get_scoped_or_404(Campaign, campaign_id)
    require("checkin.answer", campaign)
    running = checkins.checkin_of(campaign)
    form, setup = CheckinForm(), CheckinSetupForm(prefix="setup")
    if setup.submit.data and setup.validate_on_submit():
        require("checkin.manage", campaign)
        with unit_of_work(setup, success=_("The check-in is running.")) as work:
            checkins.start_checkin(campaign, every_weeks=setup.every_weeks.data, question=setup.question.data)
        if work.ok:
            return redirect(url_for("campaigns.show", campaign_id=campaign.id))
    elif running is not None and form.submit.data and form.validate_on_submit():
        with unit_of_work(form, success=_("Thank you: your answer is anonymous.")) as work:
            checkins.answer_checkin(running, current_user, rating=int(form.rating.data), comment=form.comment.data)
        if work.ok:
            return redirect(url_for("campaigns.show", campaign_id=campaign.id))
    answered = checkins.has_answered(running, current_user) if running else False
    return render_template(
        "decisions/checkin.html", campaign=campaign, checkin=running, form=form, setup=setup, answered=answered
    )
