"""After the meeting: check-in and walk-ins, minutes and decisions, action items, feedback."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coalition.core.forms import ActionForm
from coalition.core.i18n import gettext as _
from coalition.core.once import claim_submission, submission_led_to
from coalition.core.permissions import can, require
from coalition.core.scoping import get_scoped_or_404, member_required
from coalition.core.work import unit_of_work
from coalition.extensions import db
from coalition.meetings import after, attendance, bp, services
from coalition.meetings.forms import ActionItemForm, DecisionForm, FeedbackForm, MinutesForm, WalkInForm
from coalition.meetings.loading import load_meeting
from coalition.meetings.models import ActionItem, Decision, Meeting, Rsvp, WalkIn


def _child(model, meeting, child_id):
    """Load a record of this meeting (another meeting's or coalition's id is not found)."""
    obj = get_scoped_or_404(model, child_id)
    if obj.meeting_id != meeting.id:
        abort(404)
    return obj


# --- Check-in ------------------------------------------------------------------------------------------------


@bp.route("/<int:meeting_id>/checkin", methods=["GET", "POST"])
@member_required
def checkin(meeting_id):
    """The check-in list: mark who came, add walk-ins (organizers)."""
    meeting = load_meeting(meeting_id, "meeting.manage")
    form = WalkInForm()
    if form.validate_on_submit():
        with unit_of_work(success=_("Walk-in added.")):
            claim_submission(form)
            after.add_walk_in(meeting, form.name.data)
            submission_led_to(form, url_for("meetings.checkin", meeting_id=meeting.id))
        return redirect(url_for("meetings.checkin", meeting_id=meeting.id))
    walk_ins = db.session.scalars(
        select(WalkIn).where(WalkIn.meeting_id == meeting.id).order_by(WalkIn.id).limit(1000)
    ).all()
    return render_template(
        "meetings/checkin.html",
        meeting=meeting,
        people=attendance.attendees(meeting, limit=1000),
        walk_ins=walk_ins,
        form=form,
        action_form=ActionForm(),
        attendance=after.attendance_count(meeting),
    )


@bp.route("/<int:meeting_id>/checkin/<int:rsvp_id>/<any(in, out):state>", methods=["POST"])
@member_required
def mark_attended(meeting_id, rsvp_id, state):
    """Mark that someone came (or did not) (organizers)."""
    meeting = load_meeting(meeting_id, "meeting.manage")
    rsvp = _child(Rsvp, meeting, rsvp_id)
    if ActionForm().validate_on_submit():
        with unit_of_work():
            after.set_attended(rsvp, state == "in")
    return redirect(url_for("meetings.checkin", meeting_id=meeting.id, _anchor=f"rsvp-{rsvp.id}"))


@bp.route("/<int:meeting_id>/walk-ins/<int:walk_in_id>/remove", methods=["POST"])
@member_required
def remove_walk_in(meeting_id, walk_in_id):
    """Remove a walk-in added by mistake (organizers)."""
    meeting = load_meeting(meeting_id, "meeting.manage")
    walk_in = _child(WalkIn, meeting, walk_in_id)
    if ActionForm().validate_on_submit():
        with unit_of_work(success=_("Walk-in removed.")):
            after.remove_walk_in(walk_in)
    return redirect(url_for("meetings.checkin", meeting_id=meeting.id))


# --- Minutes, decisions, action items --------------------------------------------------------------------------


@bp.route("/<int:meeting_id>/record", methods=["GET", "POST"])
@member_required
def record(meeting_id):
    """Minutes, decisions and action items of a meeting (organizers edit; members read on the meeting page)."""
    meeting = load_meeting(meeting_id, "meeting.manage", selectinload(Meeting.decisions))
    form = MinutesForm(obj=meeting)
    if form.validate_on_submit():
        with unit_of_work(success=_("Minutes saved.")):
            after.save_minutes(meeting, form.minutes.data, current_user)
        return redirect(url_for("meetings.record", meeting_id=meeting.id))
    return _record_page(meeting, minutes_form=form)


def _record_page(meeting, minutes_form=None, decision_form=None, action_item_form=None):
    """The minutes page; a form given is shown as it was sent, with its errors at its fields, the others fresh."""
    members = services.coalition_members(meeting.coalition_id)
    return render_template(
        "meetings/record.html",
        meeting=meeting,
        form=minutes_form or MinutesForm(formdata=None, obj=meeting),
        decision_form=decision_form or DecisionForm(formdata=None),
        action_item_form=action_item_form or ActionItemForm(formdata=None, members=members),
        action_items=after.meeting_action_items(meeting),
        action_form=ActionForm(),
    )


@bp.route("/<int:meeting_id>/decisions", methods=["POST"])
@member_required
def add_decision(meeting_id):
    """Add a decision (organizers)."""
    meeting = load_meeting(meeting_id, "meeting.manage")
    form = DecisionForm()
    if form.validate_on_submit():
        with unit_of_work(form, success=_("Decision added.")) as work:
            claim_submission(form)
            after.add_decision(meeting, form.text.data)
            submission_led_to(form, url_for("meetings.record", meeting_id=meeting.id, _anchor="decisions"))
        if work.ok:
            return redirect(url_for("meetings.record", meeting_id=meeting.id, _anchor="decisions"))
    return _record_page(meeting, decision_form=form)


@bp.route("/<int:meeting_id>/decisions/<int:decision_id>/delete", methods=["POST"])
@member_required
def delete_decision(meeting_id, decision_id):
    """Remove a decision (organizers)."""
    meeting = load_meeting(meeting_id, "meeting.manage")
    decision = _child(Decision, meeting, decision_id)
    if ActionForm().validate_on_submit():
        with unit_of_work():
            after.delete_decision(decision)
    return redirect(url_for("meetings.record", meeting_id=meeting.id, _anchor="decisions"))


def _action_values(form):
    return {
        "title": form.title.data,
        "owner_id": form.owner_id.data or None,
        "due_on": form.due_on.data,
        "status": form.status.data,
    }


@bp.route("/<int:meeting_id>/actions", methods=["POST"])
@member_required
def add_action_item(meeting_id):
    """Add an action item with an owner and a due date (organizers)."""
    meeting = load_meeting(meeting_id, "meeting.manage")
    require("action_item.manage", meeting)
    form = ActionItemForm(members=services.coalition_members(meeting.coalition_id))
    if form.validate_on_submit():
        with unit_of_work(form, success=_("Action item added.")) as work:
            claim_submission(form)
            after.save_action_item(meeting, None, current_user, **_action_values(form))
            submission_led_to(form, url_for("meetings.record", meeting_id=meeting.id, _anchor="action-items"))
        if work.ok:
            return redirect(url_for("meetings.record", meeting_id=meeting.id, _anchor="action-items"))
    return _record_page(meeting, action_item_form=form)


@bp.route("/actions/<int:item_id>/edit", methods=["GET", "POST"])
@member_required
def edit_action_item(item_id):
    """Edit an action item: its owner or an organizer."""
    item = get_scoped_or_404(ActionItem, item_id)
    require("action_item.update", item)
    manage = can("action_item.manage", item)
    form = ActionItemForm(obj=item, members=services.coalition_members(item.coalition_id))
    if request.method == "GET":
        form.owner_id.data = item.owner_id or 0
    if not manage:  # owners change title, due date and status; organizers also reassign
        form.owner_id.choices = [(item.owner_id or 0, item.owner.display_name if item.owner else "")]
    if form.validate_on_submit():
        with unit_of_work(form, success=_("Action item saved.")) as work:
            after.save_action_item(item.meeting, item, current_user, **_action_values(form))
        if work.ok:
            return redirect(
                url_for("coalitions.dashboard")
                if not manage or item.meeting_id is None
                else url_for("meetings.record", meeting_id=item.meeting_id)
            )
    return render_template("meetings/action_item.html", form=form, item=item, manage=manage)


@bp.route("/actions/<int:item_id>/<any(open, done):status>", methods=["POST"])
@member_required
def set_action_status(item_id, status):
    """Mark an action item done or open again: its owner or an organizer."""
    item = get_scoped_or_404(ActionItem, item_id)
    require("action_item.update", item)
    if ActionForm().validate_on_submit():
        with unit_of_work(success=_("Action item marked done.") if status == "done" else _("Action item open again.")):
            after.set_action_status(item, status)
    target = request.form.get("next")
    if target == "dashboard" or item.meeting_id is None:
        return redirect(url_for("coalitions.dashboard"))
    return redirect(url_for("meetings.show", meeting_id=item.meeting_id, _anchor="action-items"))


@bp.route("/actions/<int:item_id>/delete", methods=["POST"])
@member_required
def delete_action_item(item_id):
    """Delete an action item (organizers)."""
    item = get_scoped_or_404(ActionItem, item_id)
    require("action_item.manage", item)
    meeting_id = item.meeting_id
    if ActionForm().validate_on_submit():
        with unit_of_work(success=_("Action item deleted.")):
            after.delete_action_item(item)
    return redirect(url_for("meetings.record", meeting_id=meeting_id, _anchor="action-items"))


# --- Feedback ------------------------------------------------------------------------------------------------


@bp.route("/<int:meeting_id>/feedback", methods=["GET", "POST"])
@member_required
def feedback(meeting_id):
    """The feedback form for people who came."""
    meeting = load_meeting(meeting_id, "meeting.feedback")
    if after.has_given_feedback(meeting, current_user):
        flash(_("You already gave feedback on this meeting. Thank you!"), "info")
        return redirect(url_for("meetings.show", meeting_id=meeting.id))
    form = FeedbackForm()
    if form.validate_on_submit():
        with unit_of_work(form, success=_("Thank you for your feedback!")) as work:
            claim_submission(form)
            after.give_feedback(
                meeting,
                current_user,
                rating=int(form.rating.data),
                worked=form.worked.data,
                change=form.change.data,
                anonymous=form.anonymous.data,
            )
            submission_led_to(form, url_for("meetings.show", meeting_id=meeting.id))
        if work.ok:
            return redirect(url_for("meetings.show", meeting_id=meeting.id))
    return render_template("meetings/feedback.html", meeting=meeting, form=form)


@bp.route("/<int:meeting_id>/feedback/results")
@member_required
def feedback_results(meeting_id):
    """All feedback on a meeting, together (organizers)."""
    meeting = load_meeting(meeting_id, "meeting.manage")
    return render_template("meetings/feedback_results.html", meeting=meeting, results=after.feedback_results(meeting))
