"""Member tags on the people page: organizers and leads put tags (building, skills, language) on members and take
them off."""

from flask import flash, g, redirect, request, url_for
from flask_login import current_user

from coalition.coalitions import bp, tagging
from coalition.coalitions.forms import TagForm
from coalition.coalitions.models import Membership, MembershipStatus
from coalition.core.forms import ActionForm
from coalition.core.i18n import gettext as _
from coalition.core.permissions import require
from coalition.core.scoping import get_scoped_or_404, member_required
from coalition.core.work import unit_of_work


def _active_member_or_404(membership_id: int) -> Membership:
    require("member.tag", g.coalition)
    membership = get_scoped_or_404(Membership, membership_id)
    if membership.status != MembershipStatus.ACTIVE:
        require("member.manage", g.coalition)  # only leads see the others; tagging them is pointless anyway
    return membership


def _back():
    referrer = request.referrer
    return redirect(referrer if referrer and referrer.startswith(request.host_url) else url_for("coalitions.members"))


@bp.route("/members/<int:membership_id>/tags", methods=["POST"])
@member_required
def add_member_tag(membership_id):
    """Put a tag on a member, defining it if it is new (organizers, leads)."""
    membership = _active_member_or_404(membership_id)
    form = TagForm()
    if not form.validate_on_submit():
        flash(next(iter(form.errors.values()))[0] if form.errors else _("Please try again."), "error")
        return _back()
    with unit_of_work(success=_("Tag added.")):
        tagging.tag_member_by_name(membership, form.name.data, current_user)
    return _back()


@bp.route("/members/<int:membership_id>/tags/<int:tag_id>/remove", methods=["POST"])
@member_required
def remove_member_tag(membership_id, tag_id):
    """Take a tag off a member (organizers, leads)."""
    membership = _active_member_or_404(membership_id)
    if ActionForm().validate_on_submit():
        with unit_of_work(success=_("Tag removed.")):
            tagging.untag_member_by_tag(membership, tag_id, current_user)
    return _back()
