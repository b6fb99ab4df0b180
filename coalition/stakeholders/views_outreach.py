"""The outreach log (with outreach logged for a meeting) and the follow-up queue."""

from datetime import UTC, datetime

from flask import g, redirect, render_template, request, url_for
from flask_login import current_user

from coalition.coalitions.queries import active_members
from coalition.core.forms import ActionForm
from coalition.core.i18n import gettext as _
from coalition.core.once import claim_submission, submission_led_to
from coalition.core.pagination import paginate
from coalition.core.permissions import require
from coalition.core.scoping import db_id, get_scoped_or_404, member_required
from coalition.core.work import unit_of_work
from coalition.extensions import db
from coalition.stakeholders import bp, followups, outreach, services
from coalition.stakeholders.forms import OutreachForm
from coalition.stakeholders.loading import campaigns, user_or_none
from coalition.stakeholders.meetinglink import linked_meeting
from coalition.stakeholders.models import Channel, Outreach, Stakeholder
from coalition.stakeholders.views_targets import viewer_zone

#: At most this many members are offered as participants.
MEMBER_CHOICES = 500


def _outreach_form(obj=None, with_stance=True) -> OutreachForm:
    return OutreachForm(
        obj=obj,
        campaigns=campaigns() if with_stance else (),
        members=db.session.scalars(active_members(g.coalition).limit(MEMBER_CHOICES)).all(),
        owners=services.eligible_owners(g.coalition),
        with_stance=with_stance,
    )


def _local_to_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=viewer_zone()).astimezone(UTC)


def _to_local(value: datetime) -> datetime:
    return value.astimezone(viewer_zone()).replace(tzinfo=None, second=0, microsecond=0)


def _outreach_fields(form: OutreachForm) -> dict:
    return {
        "occurred_at": _local_to_utc(form.occurred_at.data),
        "channel": form.channel.data,
        "summary": form.summary.data,
        "outcome": form.outcome.data,
        "response": form.response.data,
        "follow_up_on": form.follow_up_on.data,
        "follow_up_owner": user_or_none(form.follow_up_owner_id.data),
        "participant_ids": form.participants.data,
    }


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
    meeting = linked_meeting(request.values.get("meeting_id", type=db_id))
    if request.method == "GET":
        _prefill(form, meeting)
    if form.validate_on_submit():
        with unit_of_work(form, success=_("Outreach logged.")) as work:
            claim_submission(form)
            outreach.log_outreach(
                stakeholder,
                current_user,
                campaign_id=form.campaign_id.data or None,
                new_stance=form.new_stance.data or None,
                meeting_id=meeting.id if meeting else None,
                **_outreach_fields(form),
            )
            shown = submission_led_to(form, url_for("stakeholders.detail", stakeholder_id=stakeholder.id))
        if work.ok:
            return redirect(shown)
    return render_template(
        "stakeholders/outreach_form.html", form=form, stakeholder=stakeholder, outreach=None, meeting=meeting
    )


@bp.route("/outreach/new")
@member_required
def outreach_for_meeting():
    """Choose the stakeholder to log a meeting's outreach for (?meeting_id=, ?q= to search)."""
    require("outreach.log", g.coalition)
    meeting = linked_meeting(request.args.get("meeting_id", type=db_id))
    q = (request.args.get("q") or "").strip()[:100]
    matches = db.session.scalars(services.stakeholder_search(g.coalition, q=q).limit(30)).all() if q else []
    return render_template("stakeholders/choose_stakeholder.html", meeting=meeting, q=q, matches=matches)


@bp.route("/outreach/<int:outreach_id>/edit", methods=["GET", "POST"])
@member_required
def edit_outreach(outreach_id):
    """Edit an outreach entry."""
    entry = get_scoped_or_404(Outreach, outreach_id)
    require("outreach.log", entry)
    form = _outreach_form(obj=entry, with_stance=False)
    if request.method == "GET":
        form.occurred_at.data = _to_local(entry.occurred_at)
        form.participants.data = [user.id for user in entry.participants]
        form.follow_up_owner_id.data = entry.follow_up_owner_id or 0
    if form.validate_on_submit():
        with unit_of_work(form, success=_("Outreach saved.")) as work:
            outreach.update_outreach(entry, current_user, **_outreach_fields(form))
        if work.ok:
            return redirect(url_for("stakeholders.detail", stakeholder_id=entry.stakeholder_id))
    return render_template(
        "stakeholders/outreach_form.html", form=form, stakeholder=entry.stakeholder, outreach=entry, meeting=None
    )


@bp.route("/outreach/<int:outreach_id>/done", methods=["POST"])
@member_required
def complete_follow_up(outreach_id):
    """Mark a follow-up as done."""
    entry = get_scoped_or_404(Outreach, outreach_id)
    require("outreach.log", entry)
    if ActionForm().validate_on_submit():
        with unit_of_work(success=_("Follow-up done.")):
            outreach.complete_follow_up(entry, current_user)
    if request.form.get("next") == "follow_ups":
        return redirect(url_for("stakeholders.follow_ups"))
    return redirect(url_for("stakeholders.detail", stakeholder_id=entry.stakeholder_id))


@bp.route("/outreach/<int:outreach_id>/delete", methods=["POST"])
@member_required
def delete_outreach(outreach_id):
    """Delete an outreach entry."""
    entry = get_scoped_or_404(Outreach, outreach_id)
    require("outreach.log", entry)
    stakeholder_id = entry.stakeholder_id
    if ActionForm().validate_on_submit():
        with unit_of_work(success=_("Outreach deleted.")):
            outreach.delete_outreach(entry, current_user)
    return redirect(url_for("stakeholders.detail", stakeholder_id=stakeholder_id))


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
    sections = followups.first_rows(statements)
    return render_template("stakeholders/follow_ups.html", scope=scope, sections=sections, action_form=ActionForm())
