"""The agenda of a meeting and the invitations to an invite-only meeting (organizers)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.orm import selectinload

from coalition.coalitions import tagging
from coalition.core.forms import ActionForm
from coalition.core.i18n import gettext as _
from coalition.core.once import claim_submission, submission_led_to
from coalition.core.scoping import get_scoped_or_404, member_required, scoped
from coalition.core.work import unit_of_work
from coalition.extensions import db
from coalition.meetings import bp, services
from coalition.meetings.forms import AgendaItemForm, InviteForm, InviteTaggedForm
from coalition.meetings.loading import load_meeting
from coalition.meetings.models import AgendaItem, MeetingInvite, MeetingVisibility
from coalition.meetings.views import render_meeting_page

# --- Agenda --------------------------------------------------------------------------------------------------


@bp.route("/<int:meeting_id>/agenda", methods=["POST"])
@member_required
def add_agenda_item(meeting_id):
    """Add an item at the end of the agenda (organizers)."""
    meeting = load_meeting(meeting_id, "meeting.edit")
    form = AgendaItemForm()
    if form.validate_on_submit():
        with unit_of_work(form, success=_("Agenda item added.")) as work:
            claim_submission(form)
            services.save_agenda_item(meeting, None, **_agenda_values(form))
            submission_led_to(form, url_for("meetings.show", meeting_id=meeting.id, _anchor="agenda"))
        if work.ok:
            return redirect(url_for("meetings.show", meeting_id=meeting.id, _anchor="agenda"))
    return render_meeting_page(meeting, agenda_form=form)


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
        with unit_of_work(success=_("Agenda item saved.")):
            services.save_agenda_item(item.meeting, item, **_agenda_values(form))
        return redirect(url_for("meetings.show", meeting_id=meeting_id, _anchor="agenda"))
    return render_template("meetings/agenda_item.html", form=form, item=item, meeting=item.meeting)


@bp.route("/<int:meeting_id>/agenda/<int:item_id>/delete", methods=["POST"])
@member_required
def delete_agenda_item(meeting_id, item_id):
    """Remove an agenda item (organizers)."""
    item = _agenda_item(meeting_id, item_id)
    if ActionForm().validate_on_submit():
        with unit_of_work(success=_("Agenda item removed.")):
            services.delete_agenda_item(item)
    return redirect(url_for("meetings.show", meeting_id=meeting_id, _anchor="agenda"))


@bp.route("/<int:meeting_id>/agenda/<int:item_id>/move/<any(up, down):direction>", methods=["POST"])
@member_required
def move_agenda_item(meeting_id, item_id, direction):
    """Move an agenda item up or down (organizers)."""
    item = _agenda_item(meeting_id, item_id)
    if ActionForm().validate_on_submit():
        with unit_of_work():
            services.move_agenda_item(item, direction)
    return redirect(url_for("meetings.show", meeting_id=meeting_id, _anchor="agenda"))


# --- Invitations ---------------------------------------------------------------------------------------------


@bp.route("/<int:meeting_id>/invites", methods=["GET", "POST"])
@member_required
def invites(meeting_id):
    """Invite members to a meeting (`?tag=` narrows the list to those tagged), and see who is invited (organizers)."""
    meeting = load_meeting(meeting_id, "meeting.manage")
    form, tag = InviteForm(), request.args.get("tag", "")
    form.user_id.choices = [(u.id, u.display_name) for u in services.invitable_members(meeting, tag)]
    if form.validate_on_submit():
        with unit_of_work(form, success=_("Invitation sent.")) as work:
            claim_submission(form)
            services.invite_member(meeting, form.user_id.data, current_user)
            submission_led_to(form, url_for("meetings.invites", meeting_id=meeting.id))
        if work.ok:
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
        invite_only=meeting.visibility == MeetingVisibility.INVITE_ONLY,
        tag=tag,
        tagged_form=_tagged_form(meeting),
    )


def _tagged_form(meeting, formdata=None) -> InviteTaggedForm:
    form = InviteTaggedForm(formdata=formdata)
    form.tag.choices = [(name, name) for name in tagging.tag_names(meeting.coalition_id)]
    return form


@bp.route("/<int:meeting_id>/invites/tagged", methods=["POST"])
@member_required
def invite_tagged(meeting_id):
    """Invite everyone carrying a tag who is not invited yet (organizers)."""
    meeting = load_meeting(meeting_id, "meeting.manage")
    form = _tagged_form(meeting, request.form)
    if form.validate_on_submit():
        with unit_of_work(flash_errors=True) as work:
            count = services.invite_tagged(meeting, form.tag.data, current_user)
        if work.ok:
            flash(ngettext("%(num)d invitation sent.", "%(num)d invitations sent.", count), "success")
    else:
        flash(_("Please choose a tag."), "error")
    return redirect(url_for("meetings.invites", meeting_id=meeting.id))


@bp.route("/<int:meeting_id>/invites/<int:invite_id>/remove", methods=["POST"])
@member_required
def remove_invite(meeting_id, invite_id):
    """Withdraw an invitation (organizers)."""
    meeting = load_meeting(meeting_id, "meeting.manage")
    invite = get_scoped_or_404(MeetingInvite, invite_id)
    if invite.meeting_id != meeting.id:
        abort(404)
    if ActionForm().validate_on_submit():
        with unit_of_work(success=_("Invitation withdrawn.")):
            services.remove_invite(invite, current_user)
    return redirect(url_for("meetings.invites", meeting_id=meeting.id))
