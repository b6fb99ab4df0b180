"""RSVPs (members in one click, visitors on public meetings), public meeting pages and calendar feeds."""

from flask import abort, current_app, flash, g, redirect, render_template, session, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from coalition.core.forms import ActionForm
from coalition.core.i18n import gettext as _
from coalition.core.links import site_link
from coalition.core.once import claim_submission, submission_led_to
from coalition.core.scoping import get_scoped_or_404, member_required
from coalition.core.work import unit_of_work
from coalition.extensions import limiter
from coalition.meetings import bp, calendar, feeds_bp, rsvps
from coalition.meetings.forms import RsvpForm, VisitorRsvpForm
from coalition.meetings.loading import ics_response, load_meeting
from coalition.meetings.models import Meeting, MeetingVisibility
from coalition.meetings.views import render_meeting_page


def _public_limit():
    return current_app.config["RATELIMIT_PUBLIC_FORM"]


def _answer_message(rsvp) -> str:
    if rsvp.waitlisted:
        return _("The meeting is full, so you are on the waitlist. We will write to you if a place opens up.")
    return {
        "yes": _("See you there! Your answer is saved and the calendar file is on its way by mail."),
        "maybe": _("Your answer is saved: maybe."),
        "no": _("Your answer is saved: you are not coming."),
    }[rsvp.response.value]


@bp.route("/<int:meeting_id>/rsvp", methods=["POST"])
@member_required
def rsvp(meeting_id):
    """Answer yes, maybe or no in one click, with optional needs."""
    meeting = load_meeting(meeting_id, "meeting.rsvp")
    form = RsvpForm(meeting=meeting)
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            claim_submission(form)
            answer = rsvps.rsvp_member(meeting, current_user, form.response.data, **form.needs())
            submission_led_to(form, url_for("meetings.show", meeting_id=meeting.id))
        if work.ok:
            flash(_answer_message(answer), "success")
            return redirect(url_for("meetings.show", meeting_id=meeting.id))
    return render_meeting_page(meeting, form)


# --- Visitors ------------------------------------------------------------------------------------------------


def _public_meeting(meeting_id) -> Meeting:
    meeting = get_scoped_or_404(Meeting, meeting_id, selectinload(Meeting.agenda_items))
    if meeting.visibility != MeetingVisibility.PUBLIC:
        abort(404)
    return meeting


@bp.route("/public/<int:meeting_id>", methods=["GET", "POST"])
@limiter.limit(_public_limit, methods=["POST"])
def public(meeting_id):
    """A public meeting's page; visitors RSVP with their name and email."""
    meeting = _public_meeting(meeting_id)
    form = VisitorRsvpForm(meeting=meeting)
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            claim_submission(form)
            rsvps.rsvp_visitor(meeting, form.name.data, form.email.data, form.response.data, **form.needs())
        if work.ok:
            return render_template("meetings/public_thanks.html", meeting=meeting, email=form.email.data)
    return render_template("meetings/public.html", meeting=meeting, form=form)


@bp.route("/public/<int:meeting_id>/rsvp/<token>", methods=["GET", "POST"])
@limiter.limit(_public_limit, methods=["POST"])
def visitor_rsvp(meeting_id, token):
    """A visitor's private page to change or cancel their answer (the link came by mail)."""
    meeting = _public_meeting(meeting_id)
    answer = rsvps.find_visitor_rsvp(meeting, token)
    if answer is None:
        abort(404)
    form = RsvpForm(obj=answer, meeting=meeting)
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            claim_submission(form)
            rsvps.change_visitor_rsvp(meeting, answer, form.response.data, **form.needs())
            submission_led_to(form, url_for("meetings.visitor_rsvp", meeting_id=meeting.id, token=token))
        if work.ok:
            flash(_answer_message(answer), "success")
            return redirect(url_for("meetings.visitor_rsvp", meeting_id=meeting.id, token=token))
    return render_template("meetings/visitor_rsvp.html", meeting=meeting, rsvp=answer, form=form, token=token)


@bp.route("/public/<int:meeting_id>/meeting.ics")
def public_ics(meeting_id):
    """A public meeting's .ics (venue only; the exact place goes to people coming)."""
    return ics_response(calendar.meeting_ics(_public_meeting(meeting_id), details=False))


@bp.route("/public/<int:meeting_id>/rsvp/<token>/meeting.ics")
def visitor_ics(meeting_id, token):
    """The .ics for a visitor with a place: with the exact address and link."""
    meeting = _public_meeting(meeting_id)
    answer = rsvps.find_visitor_rsvp(meeting, token)
    if answer is None:
        abort(404)
    return ics_response(calendar.meeting_ics(meeting, details=answer.is_going, attendee_email=answer.email))


# --- Calendar feed -------------------------------------------------------------------------------------------


@bp.route("/calendar")
@member_required
def calendar_page():
    """My private calendar subscription: create, replace or revoke its secret link."""
    feed = calendar.feed_of(g.coalition, current_user)
    new_link = session.pop("meetings_feed_link", None)
    return render_template("meetings/calendar.html", feed=feed, new_link=new_link, action_form=ActionForm())


@bp.route("/calendar/link", methods=["POST"])
@member_required
def regenerate_feed():
    """Create (or replace) my calendar link; the old link stops working."""
    if ActionForm().validate_on_submit():
        with unit_of_work(success=_("Your new calendar link is ready. Any older link no longer works.")) as work:
            raw = calendar.regenerate_feed(g.coalition, current_user)
        if work.ok:
            link = url_for("meeting_feeds.feed", coalition_slug=g.coalition.slug, token=raw)
            session["meetings_feed_link"] = site_link(link)
    return redirect(url_for("meetings.calendar_page"))


@bp.route("/calendar/revoke", methods=["POST"])
@member_required
def revoke_feed():
    """Revoke my calendar link."""
    if ActionForm().validate_on_submit():
        with unit_of_work(success=_("Your calendar link no longer works.")):
            calendar.revoke_feed(g.coalition, current_user)
    return redirect(url_for("meetings.calendar_page"))


@feeds_bp.route("/feed/<token>.ics")
def feed(coalition_slug, token):
    """A person's private calendar feed (the secret is the link itself). Not on `bp`: the feed finds its coalition
    in its own statement, so calendar apps polling it cost one statement (see `calendar.feed_calendar`)."""
    text = calendar.feed_calendar(coalition_slug, token)
    if text is None:
        abort(404)
    return ics_response(text, "meetings.ics")
