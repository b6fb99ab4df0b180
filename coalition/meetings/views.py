"""Meeting pages for members: lists, scheduling and editing, the meeting page, agenda and invitations."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from coalition.core.confirm import render_confirmation
from coalition.core.csvexport import csv_response
from coalition.core.forms import ActionForm
from coalition.core.pagination import paginate
from coalition.core.permissions import can, require
from coalition.core.scoping import db_id, get_scoped_or_404, member_required, scoped
from coalition.extensions import db
from coalition.meetings import after, bp, rsvps, services
from coalition.meetings.calendar import meeting_ics
from coalition.meetings.forms import AgendaItemForm, InviteForm, MeetingForm, RsvpForm, kind_choices
from coalition.meetings.models import AgendaItem, Meeting, MeetingInvite, MeetingKind, Visibility
from coalition.meetings.rules import rsvp_of, sees_details


def load_meeting(meeting_id: int, action: str = "meeting.view", *options) -> Meeting:
    """Load a meeting of this coalition the person may see (invite-only ones are not found otherwise)."""
    meeting = get_scoped_or_404(Meeting, meeting_id, *options)
    if not can("meeting.view", meeting):
        abort(404)
    require(action, meeting)
    return meeting


def _campaigns(meeting: Meeting | None = None):
    from coalition.campaigns.services import campaign_choices

    choices = campaign_choices(g.coalition)
    if meeting is not None and meeting.campaign is not None and meeting.campaign_id not in dict(choices):
        choices.append((meeting.campaign_id, meeting.campaign.title))
    return choices


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
    page = paginate(services.list_meetings(g.coalition, current_user, past=past, campaign_id=campaign_id, kind=kind))
    return render_template(
        "meetings/index.html",
        page=page,
        past=past,
        kind=kind,
        campaign_id=campaign_id,
        kinds=kind_choices(),
        campaigns=_campaigns(),
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
    form = MeetingForm(obj=meeting, data=data or None, campaigns=_campaigns(meeting))
    if meeting is None and request.method == "GET":
        form.timezone.data = g.coalition.timezone
    if meeting is not None and request.method == "GET":
        form.campaign_id.data = meeting.campaign_id or 0
    if form.validate_on_submit():
        try:
            saved = _save(form, meeting)
        except services.MeetingError as error:
            _field_error(form, error)
        else:
            db.session.commit()
            flash(_("Meeting saved.") if meeting else _("Meeting scheduled."), "success")
            return redirect(url_for("meetings.show", meeting_id=saved.id))
    return render_template("meetings/form.html", form=form, meeting=meeting)


def errors_text(form) -> str:
    """All of a form's error messages in one line (for forms posted from another page)."""
    return " ".join(str(message) for messages in form.errors.values() for message in messages)


def _field_error(form, error: services.MeetingError) -> None:
    """Show a service's message next to its field, or above the form."""
    if error.field and error.field in form:
        form[error.field].errors = [*form[error.field].errors, str(error)]
    else:
        form.form_errors.append(str(error))


@bp.route("/<int:meeting_id>/cancel", methods=["POST"])
@member_required
def cancel(meeting_id):
    """Cancel a meeting; everyone who answered is told (organizers)."""
    meeting = load_meeting(meeting_id, "meeting.edit")
    if ActionForm().validate_on_submit():
        try:
            services.cancel_meeting(meeting, current_user)
        except services.MeetingError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("The meeting is cancelled and everyone who answered will be told."), "success")
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
    meeting = load_meeting(meeting_id, "meeting.view", selectinload(Meeting.agenda_items))
    return render_meeting_page(meeting)


def render_meeting_page(meeting: Meeting, rsvp_form: RsvpForm | None = None):
    """The meeting page, with `rsvp_form` as it was sent when an answer failed (its errors shown at its fields)."""
    rsvp = rsvp_of(meeting, current_user)
    manage = can("meeting.manage", meeting)
    form = rsvp_form or RsvpForm(obj=rsvp, meeting=meeting)
    context = {}
    if manage:
        context = {
            "summary": rsvps.needs_summary(meeting),
            "attendees": rsvps.attendees(meeting, limit=200),
            "attendance": after.attendance_count(meeting),
            "outreach": _linked_outreach(meeting),
        }
    return render_template(
        "meetings/show.html",
        meeting=meeting,
        rsvp=rsvp,
        details=sees_details(meeting, current_user, rsvp),
        manage=manage,
        rsvp_form=form,
        agenda_form=AgendaItemForm(),
        action_form=ActionForm(),
        feedback_given=after.has_given_feedback(meeting, current_user) if meeting.has_started else False,
        action_items=after.meeting_action_items(meeting) if meeting.has_started else [],
        **context,
    )


def _linked_outreach(meeting) -> list:
    """Outreach logged for a stakeholder meeting (shown to those who may see the outreach log)."""
    if meeting.kind != MeetingKind.STAKEHOLDER_MEETING or not can("outreach.log", meeting):
        return []
    from coalition.stakeholders.outreach import outreach_of_meeting

    return outreach_of_meeting(meeting)


@bp.route("/<int:meeting_id>/meeting.ics")
@member_required
def ics(meeting_id):
    """Download the meeting's .ics (with the exact place only for people coming and organizers)."""
    meeting = load_meeting(meeting_id)
    details = sees_details(meeting, current_user, rsvp_of(meeting, current_user))
    return _ics_response(meeting_ics(meeting, details=details))


def _ics_response(text: str, filename: str = "meeting.ics"):
    from flask import Response

    return Response(
        text,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "private, no-store"},
    )


@bp.route("/<int:meeting_id>/attendees.csv")
@member_required
def attendees_csv(meeting_id):
    """Download the attendee list with needs (organizers)."""
    meeting = load_meeting(meeting_id, "meeting.manage")
    return csv_response(f"meeting-{meeting.id}-attendees.csv", rsvps.CSV_HEADER, rsvps.attendee_rows(meeting))


# --- Agenda --------------------------------------------------------------------------------------------------


@bp.route("/<int:meeting_id>/agenda", methods=["POST"])
@member_required
def add_agenda_item(meeting_id):
    """Add an item at the end of the agenda (organizers)."""
    meeting = load_meeting(meeting_id, "meeting.edit")
    form = AgendaItemForm()
    if form.validate_on_submit():
        services.save_agenda_item(meeting, None, **_agenda_values(form))
        db.session.commit()
        flash(_("Agenda item added."), "success")
    else:
        flash(errors_text(form), "error")
    return redirect(url_for("meetings.show", meeting_id=meeting.id, _anchor="agenda"))


def _agenda_values(form):
    return {
        "title": form.title.data,
        "duration_minutes": form.duration_minutes.data,
        "facilitator": form.facilitator.data,
    }


def _agenda_item(meeting_id, item_id) -> AgendaItem:
    meeting = load_meeting(meeting_id, "meeting.edit")
    item = get_scoped_or_404(AgendaItem, item_id)
    if item.meeting_id != meeting.id:
        abort(404)
    return item


@bp.route("/<int:meeting_id>/agenda/<int:item_id>/edit", methods=["GET", "POST"])
@member_required
def edit_agenda_item(meeting_id, item_id):
    """Edit an agenda item (organizers)."""
    item = _agenda_item(meeting_id, item_id)
    form = AgendaItemForm(obj=item)
    if form.validate_on_submit():
        services.save_agenda_item(item.meeting, item, **_agenda_values(form))
        db.session.commit()
        flash(_("Agenda item saved."), "success")
        return redirect(url_for("meetings.show", meeting_id=meeting_id, _anchor="agenda"))
    return render_template("meetings/agenda_item.html", form=form, item=item, meeting=item.meeting)


@bp.route("/<int:meeting_id>/agenda/<int:item_id>/delete", methods=["POST"])
@member_required
def delete_agenda_item(meeting_id, item_id):
    """Remove an agenda item (organizers)."""
    item = _agenda_item(meeting_id, item_id)
    if ActionForm().validate_on_submit():
        services.delete_agenda_item(item)
        db.session.commit()
        flash(_("Agenda item removed."), "success")
    return redirect(url_for("meetings.show", meeting_id=meeting_id, _anchor="agenda"))


@bp.route("/<int:meeting_id>/agenda/<int:item_id>/move/<any(up, down):direction>", methods=["POST"])
@member_required
def move_agenda_item(meeting_id, item_id, direction):
    """Move an agenda item up or down (organizers)."""
    item = _agenda_item(meeting_id, item_id)
    if ActionForm().validate_on_submit():
        services.move_agenda_item(item, direction)
        db.session.commit()
    return redirect(url_for("meetings.show", meeting_id=meeting_id, _anchor="agenda"))


# --- Invitations ---------------------------------------------------------------------------------------------


@bp.route("/<int:meeting_id>/invites", methods=["GET", "POST"])
@member_required
def invites(meeting_id):
    """Invite members to an invite-only meeting, and see who is invited (organizers)."""
    meeting = load_meeting(meeting_id, "meeting.manage")
    form = InviteForm()
    form.user_id.choices = [(u.id, u.display_name) for u in services.invitable_members(meeting)]
    if form.validate_on_submit():
        try:
            services.invite_member(meeting, form.user_id.data, current_user)
        except services.MeetingError as error:
            _field_error(form, error)
        else:
            db.session.commit()
            flash(_("Invitation sent."), "success")
            return redirect(url_for("meetings.invites", meeting_id=meeting.id))
    invited = db.session.scalars(
        scoped(MeetingInvite)
        .where(MeetingInvite.meeting_id == meeting.id)
        .options(selectinload(MeetingInvite.user))
        .order_by(MeetingInvite.id)
        .limit(1000)
    ).all()
    return render_template(
        "meetings/invites.html",
        meeting=meeting,
        form=form,
        invited=invited,
        action_form=ActionForm(),
        invite_only=meeting.visibility == Visibility.INVITE_ONLY,
    )


@bp.route("/<int:meeting_id>/invites/<int:invite_id>/remove", methods=["POST"])
@member_required
def remove_invite(meeting_id, invite_id):
    """Withdraw an invitation (organizers)."""
    meeting = load_meeting(meeting_id, "meeting.manage")
    invite = get_scoped_or_404(MeetingInvite, invite_id)
    if invite.meeting_id != meeting.id:
        abort(404)
    if ActionForm().validate_on_submit():
        services.remove_invite(invite, current_user)
        db.session.commit()
        flash(_("Invitation withdrawn."), "success")
    return redirect(url_for("meetings.invites", meeting_id=meeting.id))


from coalition.meetings import views_after, views_rsvp  # noqa: E402, F401
