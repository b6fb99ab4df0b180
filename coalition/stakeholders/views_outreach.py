"""Campaign targets, the outreach log, the follow-up queue and the power map."""

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from coalition.accounts.models import User
from coalition.coalitions.models import Membership, MembershipStatus
from coalition.core.forms import ActionForm
from coalition.core.i18n import select_timezone
from coalition.core.pagination import paginate
from coalition.core.permissions import require
from coalition.core.scoping import db_id, get_scoped_or_404, member_required
from coalition.extensions import db
from coalition.stakeholders import bp, followups, powermap, services
from coalition.stakeholders.forms import OutreachForm, PowerMapForm, TargetForm
from coalition.stakeholders.models import CampaignTarget, Channel, Outreach, Stakeholder
from coalition.stakeholders.views import _campaigns


def _user(user_id) -> User | None:
    return db.session.get(User, user_id) if user_id else None


# --- Targets --------------------------------------------------------------------------------------------------


@bp.route("/<int:stakeholder_id>/targets/new", methods=["GET", "POST"])
@member_required
def add_target(stakeholder_id):
    """Make a stakeholder a target of a campaign."""
    stakeholder = get_scoped_or_404(Stakeholder, stakeholder_id)
    require("target.manage", stakeholder)
    form = TargetForm(campaigns=_campaigns(), owners=services.eligible_owners(g.coalition))
    if request.method == "GET":
        form.campaign_id.data = request.args.get("campaign_id", type=db_id)
        form.owner_id.data = current_user.id
    if form.validate_on_submit():
        try:
            services.add_target(stakeholder, current_user, **_target_fields(form), campaign_id=form.campaign_id.data)
        except services.StakeholderError as error:
            form.campaign_id.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Target added."), "success")
            return redirect(url_for("stakeholders.detail", stakeholder_id=stakeholder.id))
    return render_template("stakeholders/target_form.html", form=form, stakeholder=stakeholder, target=None)


def _target_fields(form: TargetForm) -> dict:
    return {
        "stance": form.stance.data,
        "influence": form.influence.data,
        "priority": form.priority.data,
        "ask": form.ask.data,
        "owner": _user(form.owner_id.data),
    }


@bp.route("/targets/<int:target_id>/edit", methods=["GET", "POST"])
@member_required
def edit_target(target_id):
    """Edit a target's stance, influence, priority, ask and owner (a stance change joins the history)."""
    target = get_scoped_or_404(CampaignTarget, target_id)
    require("target.manage", target)
    form = TargetForm(
        obj=target,
        campaigns=[(target.campaign_id, target.campaign.title)],
        owners=services.eligible_owners(g.coalition),
    )
    if request.method == "GET":
        form.owner_id.data = target.owner_id or 0
    if form.validate_on_submit():
        try:
            services.update_target(target, current_user, **_target_fields(form))
        except services.StakeholderError as error:
            form.owner_id.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Target saved."), "success")
            return redirect(url_for("stakeholders.detail", stakeholder_id=target.stakeholder_id))
    return render_template("stakeholders/target_form.html", form=form, stakeholder=target.stakeholder, target=target)


@bp.route("/targets/<int:target_id>/remove", methods=["POST"])
@member_required
def remove_target(target_id):
    """Remove a stakeholder from a campaign's targets."""
    target = get_scoped_or_404(CampaignTarget, target_id)
    require("target.manage", target)
    stakeholder_id = target.stakeholder_id
    if ActionForm().validate_on_submit():
        services.remove_target(target, current_user)
        db.session.commit()
        flash(_("Target removed."), "success")
    return redirect(url_for("stakeholders.detail", stakeholder_id=stakeholder_id))


# --- Outreach -------------------------------------------------------------------------------------------------


def _members() -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.coalition_id == g.coalition.id, Membership.status == MembershipStatus.ACTIVE)
            .order_by(User.display_name)
            .limit(500)
        )
    )


def _outreach_form(obj=None, with_stance=True) -> OutreachForm:
    return OutreachForm(
        obj=obj,
        campaigns=_campaigns() if with_stance else (),
        members=_members(),
        owners=services.eligible_owners(g.coalition),
        with_stance=with_stance,
    )


def _viewer_zone() -> zoneinfo.ZoneInfo:
    """The viewer's time zone as a zoneinfo object (never pytz: replace(tzinfo=pytz zone) gives LMT offsets)."""
    return zoneinfo.ZoneInfo(select_timezone())


def _local_to_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=_viewer_zone()).astimezone(UTC)


def _to_local(value: datetime) -> datetime:
    return value.astimezone(_viewer_zone()).replace(tzinfo=None, second=0, microsecond=0)


def _outreach_fields(form: OutreachForm) -> dict:
    return {
        "occurred_at": _local_to_utc(form.occurred_at.data),
        "channel": form.channel.data,
        "summary": form.summary.data,
        "outcome": form.outcome.data,
        "response": form.response.data,
        "follow_up_on": form.follow_up_on.data,
        "follow_up_owner": _user(form.follow_up_owner_id.data),
        "participant_ids": form.participants.data,
    }


def _meeting(meeting_id):
    """The coalition's meeting an outreach is linked to (404 for another coalition's meeting)."""
    if not meeting_id:
        return None
    from coalition.meetings.models import Meeting

    return get_scoped_or_404(Meeting, meeting_id)


def _prefill(form: OutreachForm, meeting) -> None:
    form.occurred_at.data = _to_local(getattr(meeting, "start_at", None) or datetime.now(UTC))
    form.campaign_id.data = request.args.get("campaign_id", type=db_id) or getattr(meeting, "campaign_id", None) or 0
    form.participants.data = [current_user.id]
    if meeting is not None:
        form.channel.data = Channel.MEETING.value
        form.meeting_id.data = str(meeting.id)


@bp.route("/<int:stakeholder_id>/outreach/new", methods=["GET", "POST"])
@member_required
def log_outreach(stakeholder_id):
    """Log an outreach to a stakeholder (?meeting_id= links it to a stakeholder meeting)."""
    stakeholder = get_scoped_or_404(Stakeholder, stakeholder_id)
    require("outreach.log", stakeholder)
    form = _outreach_form()
    meeting = _meeting(request.values.get("meeting_id", type=db_id))
    if request.method == "GET":
        _prefill(form, meeting)
    if form.validate_on_submit():
        try:
            services.log_outreach(
                stakeholder,
                current_user,
                campaign_id=form.campaign_id.data or None,
                new_stance=form.new_stance.data or None,
                meeting_id=meeting.id if meeting else None,
                **_outreach_fields(form),
            )
        except services.StakeholderError as error:
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Outreach logged."), "success")
            return redirect(url_for("stakeholders.detail", stakeholder_id=stakeholder.id))
    return render_template(
        "stakeholders/outreach_form.html", form=form, stakeholder=stakeholder, outreach=None, meeting=meeting
    )


@bp.route("/outreach/new")
@member_required
def outreach_for_meeting():
    """Choose the stakeholder to log a meeting's outreach for (?meeting_id=, ?q= to search)."""
    require("outreach.log", g.coalition)
    meeting = _meeting(request.args.get("meeting_id", type=db_id))
    q = (request.args.get("q") or "").strip()[:100]
    matches = db.session.scalars(services.stakeholder_search(g.coalition, q=q).limit(30)).all() if q else []
    return render_template("stakeholders/choose_stakeholder.html", meeting=meeting, q=q, matches=matches)


@bp.route("/outreach/<int:outreach_id>/edit", methods=["GET", "POST"])
@member_required
def edit_outreach(outreach_id):
    """Edit an outreach entry."""
    outreach = get_scoped_or_404(Outreach, outreach_id)
    require("outreach.log", outreach)
    form = _outreach_form(obj=outreach, with_stance=False)
    if request.method == "GET":
        form.occurred_at.data = _to_local(outreach.occurred_at)
        form.participants.data = [user.id for user in outreach.participants]
        form.follow_up_owner_id.data = outreach.follow_up_owner_id or 0
    if form.validate_on_submit():
        try:
            services.update_outreach(outreach, current_user, **_outreach_fields(form))
        except services.StakeholderError as error:
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Outreach saved."), "success")
            return redirect(url_for("stakeholders.detail", stakeholder_id=outreach.stakeholder_id))
    return render_template(
        "stakeholders/outreach_form.html", form=form, stakeholder=outreach.stakeholder, outreach=outreach, meeting=None
    )


@bp.route("/outreach/<int:outreach_id>/done", methods=["POST"])
@member_required
def complete_follow_up(outreach_id):
    """Mark a follow-up as done."""
    outreach = get_scoped_or_404(Outreach, outreach_id)
    require("outreach.log", outreach)
    if ActionForm().validate_on_submit():
        try:
            services.complete_follow_up(outreach, current_user)
        except services.StakeholderError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Follow-up done."), "success")
    back = request.form.get("next")
    if back == "follow_ups":
        return redirect(url_for("stakeholders.follow_ups"))
    return redirect(url_for("stakeholders.detail", stakeholder_id=outreach.stakeholder_id))


@bp.route("/outreach/<int:outreach_id>/delete", methods=["POST"])
@member_required
def delete_outreach(outreach_id):
    """Delete an outreach entry."""
    outreach = get_scoped_or_404(Outreach, outreach_id)
    require("outreach.log", outreach)
    stakeholder_id = outreach.stakeholder_id
    if ActionForm().validate_on_submit():
        services.delete_outreach(outreach, current_user)
        db.session.commit()
        flash(_("Outreach deleted."), "success")
    return redirect(url_for("stakeholders.detail", stakeholder_id=stakeholder_id))


# --- Follow-ups and power map ---------------------------------------------------------------------------------


@bp.route("/follow-ups")
@member_required
def follow_ups():
    """Overdue and upcoming follow-ups, and stakeholders with no response: mine or the whole coalition's.

    Each section shows its first rows; `?section=overdue|upcoming|silent` pages through one section in full.
    """
    require("outreach.log", g.coalition)
    scope = "all" if request.args.get("scope") == "all" else "mine"
    user = current_user if scope == "mine" else None
    statements = {
        **followups.follow_up_statements(g.coalition, owner=user),
        "silent": followups.awaiting_statement(g.coalition, user=user),
    }
    section = request.args.get("section")
    if section in statements:
        return render_template(
            "stakeholders/follow_ups_section.html",
            scope=scope,
            section=section,
            page=paginate(statements[section]),
            action_form=ActionForm(),
        )
    sections = {name: followups.first_rows(statement) for name, statement in statements.items()}
    return render_template("stakeholders/follow_ups.html", scope=scope, sections=sections, action_form=ActionForm())


def _campaign_or_404(campaign_id):
    from coalition.campaigns.models import Campaign

    return get_scoped_or_404(Campaign, campaign_id)


@bp.route("/campaigns/<int:campaign_id>/map")
@member_required
def power_map(campaign_id):
    """The campaign's power map: targets by stance and influence, with movement since a date (?since=)."""
    require("stakeholder.view", g.coalition)
    campaign = _campaign_or_404(campaign_id)
    form = PowerMapForm(request.args)
    today = followups.coalition_today(g.coalition)
    since = form.since.data if form.validate() and form.since.data else today - timedelta(days=30)
    since = min(max(since, date(2000, 1, 1)), today)
    moment = datetime.combine(since, time.min, tzinfo=_viewer_zone()).astimezone(UTC)
    points = powermap.power_map_points(campaign, moment)
    svg = powermap.render_power_map_svg(points, **powermap.texts(campaign, points, since))
    form.since.data = since
    return render_template(
        "stakeholders/power_map.html", campaign=campaign, points=points, svg=svg, form=form, since=since
    )
