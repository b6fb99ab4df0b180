"""Meeting pages for members: lists, scheduling and editing, cancelling, the meeting page and its downloads."""

from flask import g, redirect, render_template, request, url_for
from flask_login import current_user

from coalition.core.confirm import render_confirmation
from coalition.core.csvexport import csv_response
from coalition.core.forms import ActionForm
from coalition.core.i18n import gettext as _
from coalition.core.once import claim_submission, submission_led_to
from coalition.core.pagination import paginate
from coalition.core.permissions import can, require
from coalition.core.scoping import db_id, member_required
from coalition.core.work import unit_of_work
from coalition.meetings import after, attendance, bp, services
from coalition.meetings.calendar import meeting_ics
from coalition.meetings.forms import AgendaItemForm, MeetingForm, RsvpForm, kind_choices
from coalition.meetings.loading import campaigns, ics_response, load_meeting, load_meeting_with_rsvp
from coalition.meetings.models import Meeting, MeetingKind
from coalition.meetings.outreach import linked_outreach
from coalition.meetings.rules import rsvp_of, sees_details


def _filters():
    kind = request.args.get("kind", "")
    kind = kind if kind in {k.value for k in MeetingKind} else ""
    campaign_id = request.args.get("campaign", 0, type=db_id) or 0
    return kind, campaign_id


@bp.route("/")
@member_required
def index():
    """Upcoming or past meetings, filtered by campaign and kind."""
    require("meeting.view", g.coalition)
    past = request.args.get("when") == "past"
    kind, campaign_id = _filters()
    listed = services.list_meetings(g.coalition, current_user, past=past, campaign_id=campaign_id, kind=kind)
    # The page's ids first (a deep page of past meetings no longer sorts every past meeting's full row), then the rows.
    page = paginate(listed, ids=services.meeting_ids(listed))
    return render_template(
        "meetings/index.html",
        page=page,
        past=past,
        kind=kind,
        campaign_id=campaign_id,
        kinds=kind_choices(),
        campaigns=campaigns(),
        responses=services.responses_for(current_user, page.items),
    )


@bp.route("/mine")
@member_required
def mine():
    """The meetings I answered yes or maybe."""
    require("meeting.view", g.coalition)
    past = request.args.get("when") == "past"
    page = paginate(services.my_meetings(g.coalition, current_user, past=past))
    return render_template(
        "meetings/mine.html", page=page, past=past, responses=services.responses_for(current_user, page.items)
    )


def _save(form: MeetingForm, meeting: Meeting | None):
    values = {name: form[name].data for name in services.MEETING_FIELDS}
    values["campaign_id"] = values["campaign_id"] or None
    times = {name: form[name].data for name in ("start_date", "start_time", "end_date", "end_time")}
    if meeting is None:
        return services.schedule_meeting(g.coalition, current_user, **times, **values)
    services.update_meeting(meeting, current_user, **times, **values)
    return meeting


@bp.route("/new", methods=["GET", "POST"], defaults={"meeting_id": None})
@bp.route("/<int:meeting_id>/edit", methods=["GET", "POST"])
@member_required
def edit(meeting_id):
    """Schedule a meeting, or edit one (organizers)."""
    meeting = load_meeting(meeting_id, "meeting.edit") if meeting_id else None
    if meeting is None:
        require("meeting.create", g.coalition)
    data = services.local_parts(meeting) if meeting and request.method == "GET" else {}
    form = MeetingForm(obj=meeting, data=data or None, campaigns=campaigns(meeting))
    if meeting is None and request.method == "GET":
        form.timezone.data = g.coalition.timezone
    if meeting is not None and request.method == "GET":
        form.campaign_id.data = meeting.campaign_id or 0
    if form.validate_on_submit():
        with unit_of_work(form, success=_("Meeting saved.") if meeting else _("Meeting scheduled.")) as work:
            claim_submission(form)
            saved = _save(form, meeting)
            shown = submission_led_to(form, url_for("meetings.show", meeting_id=saved.id))
        if work.ok:
            return redirect(shown)
    return render_template("meetings/form.html", form=form, meeting=meeting)


@bp.route("/<int:meeting_id>/cancel", methods=["POST"])
@member_required
def cancel(meeting_id):
    """Cancel a meeting; everyone who answered is told (organizers)."""
    meeting = load_meeting(meeting_id, "meeting.edit")
    if ActionForm().validate_on_submit():
        with unit_of_work(success=_("The meeting is cancelled and everyone who answered will be told.")):
            services.cancel_meeting(meeting, current_user)
    return redirect(url_for("meetings.show", meeting_id=meeting.id))


@bp.route("/<int:meeting_id>/cancel", methods=["GET"])
@member_required
def confirm_cancel(meeting_id):
    """Ask before cancelling a meeting (organizers)."""
    meeting = load_meeting(meeting_id, "meeting.edit")
    if meeting.is_cancelled:
        return redirect(url_for("meetings.show", meeting_id=meeting.id))
    return render_confirmation(
        _("Cancel “%(title)s”?", title=meeting.title),
        [
            _("Everyone who answered yes or maybe, or waits for a place, gets a mail and a calendar cancellation."),
            _("The meeting stays listed, marked as cancelled; nobody can answer any more."),
            _("A cancelled meeting cannot be opened again: to meet after all, schedule a new one."),
        ],
        _("Yes, cancel the meeting"),
        url_for("meetings.cancel", meeting_id=meeting.id),
        url_for("meetings.show", meeting_id=meeting.id),
    )


@bp.route("/<int:meeting_id>")
@member_required
def show(meeting_id):
    """The meeting page: details, agenda, my RSVP; for organizers the needs summary and attendees."""
    meeting = load_meeting_with_rsvp(meeting_id, page=True)
    return render_meeting_page(meeting)


def render_meeting_page(meeting: Meeting, rsvp_form: RsvpForm | None = None, agenda_form=None):
    """The meeting page; a form given is shown as it was sent, with its errors at its fields, the others fresh."""
    rsvp = rsvp_of(meeting, current_user)
    manage = can("meeting.manage", meeting)
    form = rsvp_form or RsvpForm(formdata=None, obj=rsvp, meeting=meeting)
    context = {}
    if manage:
        summary = attendance.needs_summary(meeting)
        context = {
            "summary": summary,
            "attendees": attendance.answers(meeting, total=summary["answered"]),
            "attendance": after.attendance_count(meeting),
            "outreach": linked_outreach(meeting),
        }
    return render_template(
        "meetings/show.html",
        meeting=meeting,
        rsvp=rsvp,
        details=sees_details(meeting, current_user, rsvp),
        manage=manage,
        rsvp_form=form,
        agenda_form=agenda_form or AgendaItemForm(formdata=None),
        action_form=ActionForm(),
        feedback_given=after.has_given_feedback(meeting, current_user) if meeting.has_started else False,
        action_items=after.meeting_action_items(meeting) if meeting.has_started else [],
        **context,
    )


@bp.route("/<int:meeting_id>/meeting.ics")
@member_required
def ics(meeting_id):
    """Download the meeting's .ics (with the exact place only for people coming and organizers)."""
    meeting = load_meeting_with_rsvp(meeting_id)
    details = sees_details(meeting, current_user, rsvp_of(meeting, current_user))
    return ics_response(meeting_ics(meeting, details=details))


@bp.route("/<int:meeting_id>/attendees.csv")
@member_required
def attendees_csv(meeting_id):
    """Download the attendee list with needs (organizers)."""
    meeting = load_meeting(meeting_id, "meeting.manage")
    return csv_response(f"meeting-{meeting.id}-attendees.csv", attendance.CSV_HEADER, attendance.attendee_rows(meeting))
