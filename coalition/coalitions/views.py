"""Coalition pages: dashboard, settings, partners, members, invitations, join requests, audit log."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload

from coalition.accounts.models import User
from coalition.coalitions import bp, queries, services, tagging
from coalition.coalitions.forms import InviteForm, PartnerForm, RoleForm, SettingsForm, TagForm
from coalition.coalitions.models import Invitation, Membership, MembershipStatus, PartnerOrganization
from coalition.core.audit import AuditEntry
from coalition.core.confirm import render_confirmation
from coalition.core.dashboard import panels_for
from coalition.core.forms import ActionForm
from coalition.core.i18n import gettext as _
from coalition.core.once import claim_submission, submission_led_to
from coalition.core.pagination import paginate
from coalition.core.permissions import Role, can, require
from coalition.core.scoping import get_scoped_or_404, member_required, scoped
from coalition.core.work import unit_of_work
from coalition.extensions import db


@bp.route("/")
@member_required
def dashboard():
    """The coalition's home for the current person: the panels of each domain."""
    require("coalition.view", g.coalition)
    return render_template("coalitions/dashboard.html", panels=panels_for(g.coalition, current_user))


@bp.route("/settings", methods=["GET", "POST"])
@member_required
def settings():
    """Edit the coalition's settings (leads)."""
    require("coalition.manage", g.coalition)
    form = SettingsForm(obj=g.coalition)
    if form.validate_on_submit():
        with unit_of_work(form, success=_("Settings saved.")):
            services.update_settings(
                g.coalition, current_user, **{name: form[name].data for name in services.SETTINGS_FIELDS}
            )
        return redirect(url_for("coalitions.settings"))
    return render_template("coalitions/settings.html", form=form)


@bp.route("/partners")
@member_required
def partners():
    """The partner organizations of the coalition."""
    require("coalition.view", g.coalition)
    items = db.session.scalars(scoped(PartnerOrganization).order_by(PartnerOrganization.name)).all()
    return render_template("coalitions/partners.html", partners=items, action_form=ActionForm())


@bp.route("/partners/new", methods=["GET", "POST"], defaults={"partner_id": None})
@bp.route("/partners/<int:partner_id>/edit", methods=["GET", "POST"])
@member_required
def edit_partner(partner_id):
    """Add or edit a partner organization (leads)."""
    require("partner.manage", g.coalition)
    partner = get_scoped_or_404(PartnerOrganization, partner_id) if partner_id is not None else None
    form = PartnerForm(obj=partner)
    if form.validate_on_submit():
        with unit_of_work(form, success=_("Partner organization saved.")) as work:
            claim_submission(form)
            services.save_partner(
                g.coalition,
                current_user,
                partner,
                **{f: form[f].data for f in ("name", "website", "contact_name", "contact_email")},
            )
            submission_led_to(form, url_for("coalitions.partners"))
        if work.ok:
            return redirect(url_for("coalitions.partners"))
    return render_template("coalitions/partner_form.html", form=form, partner=partner)


@bp.route("/partners/<int:partner_id>/delete", methods=["POST"])
@member_required
def delete_partner(partner_id):
    """Delete a partner organization (leads)."""
    require("partner.manage", g.coalition)
    partner = get_scoped_or_404(PartnerOrganization, partner_id)
    if ActionForm().validate_on_submit():
        with unit_of_work(success=_("Partner organization deleted.")):
            services.delete_partner(partner, current_user)
    return redirect(url_for("coalitions.partners"))


@bp.route("/members")
@member_required
def members():
    """The people of the coalition; contact details and tags (and `?tag=` to filter) only for organizers and leads."""
    require("member.directory", g.coalition)
    status = request.args.get("status", "active")
    if status not in {s.value for s in MembershipStatus} or (status != "active" and not _can_manage()):
        status = "active"
    statement = (
        scoped(Membership)
        .where(Membership.status == status)
        .join(Membership.user)
        .options(contains_eager(Membership.user), joinedload(Membership.partner))
        .order_by(User.display_name, User.id)
    )
    tags_shown = can("member.tag", g.coalition)
    tag = request.args.get("tag", "") if tags_shown else ""
    if tag:
        statement = tagging.members_tagged(statement, tag, g.coalition.id)
    page = paginate(statement, total=None if tag else queries.count_members(g.coalition, status))
    return render_template(
        "coalitions/members.html",
        page=page,
        status=status,
        role_form=RoleForm(),
        action_form=ActionForm(),
        tag=tag,
        tags=tagging.tags_of(m.id for m in page.items) if tags_shown else None,
        tag_names=tagging.tag_names(g.coalition.id) if tags_shown else [],
        tag_form=TagForm(),
    )


def _can_manage() -> bool:
    return can("member.manage", g.coalition)


@bp.route("/members/invite", methods=["GET", "POST"])
@member_required
def invite():
    """Invite someone by email with a role (leads)."""
    require("member.manage", g.coalition)
    form = InviteForm()
    form.partner_id.choices = [(0, _("None"))] + [(p.id, p.name) for p in g.coalition.partners]
    if form.validate_on_submit():
        with unit_of_work(form, success=_("Invitation sent to %(email)s.", email=form.email.data)) as work:
            claim_submission(form)
            services.invite(
                g.coalition,
                form.email.data,
                Role(form.role.data),
                invited_by=current_user,
                partner_id=form.partner_id.data or None,
            )
            submission_led_to(form, url_for("coalitions.invitations"))
        if work.ok:
            return redirect(url_for("coalitions.invitations"))
    return render_template("coalitions/invite.html", form=form)


@bp.route("/invitations")
@member_required
def invitations():
    """Open invitations (leads)."""
    require("member.manage", g.coalition)
    statement = (
        scoped(Invitation)
        .where(Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
        .order_by(Invitation.created_at.desc())
    )
    return render_template("coalitions/invitations.html", page=paginate(statement), action_form=ActionForm())


@bp.route("/invitations/<int:invitation_id>/revoke", methods=["POST"])
@member_required
def revoke_invitation(invitation_id):
    """Revoke an open invitation (leads)."""
    require("member.manage", g.coalition)
    invitation = get_scoped_or_404(Invitation, invitation_id)
    if ActionForm().validate_on_submit():
        with unit_of_work(success=_("Invitation revoked.")):
            services.revoke_invitation(invitation, current_user)
    return redirect(url_for("coalitions.invitations"))


def _member_action(membership_id, action, next_url: str | None = None):
    require("member.manage", g.coalition)
    membership = get_scoped_or_404(Membership, membership_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    with unit_of_work(success=_("Saved.")):
        action(membership)
    if next_url is None and request.referrer and request.referrer.startswith(request.host_url):
        next_url = request.referrer
    return redirect(next_url or url_for("coalitions.members"))


@bp.route("/members/<int:membership_id>/role", methods=["POST"])
@member_required
def change_role(membership_id):
    """Change a member's role (leads)."""
    form = RoleForm()
    if not form.validate():
        flash(_("Please choose a role from the list."), "error")
        return redirect(url_for("coalitions.members"))
    return _member_action(membership_id, lambda m: services.change_role(m, Role(form.role.data), current_user))


@bp.route("/members/<int:membership_id>/remove", methods=["POST"])
@member_required
def remove_member(membership_id):
    """Remove someone from the coalition (leads)."""
    return _member_action(
        membership_id, lambda m: services.remove_member(m, current_user), url_for("coalitions.members")
    )


@bp.route("/members/<int:membership_id>/remove", methods=["GET"])
@member_required
def confirm_remove_member(membership_id):
    """Ask before removing someone from the coalition (leads)."""
    require("member.manage", g.coalition)
    membership = get_scoped_or_404(Membership, membership_id, joinedload(Membership.user))
    name = membership.user.display_name
    return render_confirmation(
        _("Remove %(name)s from %(coalition)s?", name=name, coalition=g.coalition.name),
        [
            _("%(name)s can no longer open the coalition's pages, meetings or stories.", name=name),
            _("Their stories stay theirs: nothing they wrote is deleted, and their choices about it still hold."),
            _("To have them back, invite them again."),
        ],
        _("Yes, remove %(name)s", name=name),
        url_for("coalitions.remove_member", membership_id=membership.id),
        url_for("coalitions.members"),
        warning=_("What happens"),
    )


@bp.route("/members/<int:membership_id>/approve", methods=["POST"])
@member_required
def approve(membership_id):
    """Approve a join request (leads)."""
    return _member_action(membership_id, lambda m: services.approve_join_request(m, current_user))


@bp.route("/members/<int:membership_id>/decline", methods=["POST"])
@member_required
def decline(membership_id):
    """Decline a join request (leads)."""
    return _member_action(membership_id, lambda m: services.decline_join_request(m, current_user))


@bp.route("/join", methods=["GET", "POST"])
@login_required
def join():
    """Ask to join a coalition that accepts join requests."""
    if not g.coalition.allow_join_requests:
        abort(404)
    form = ActionForm()
    if form.validate_on_submit():
        with unit_of_work(success=_("Your request was sent. A coalition lead will answer it.")) as work:
            services.request_to_join(g.coalition, current_user)
        if work.ok:
            return redirect(url_for("home.index"))
    return render_template("coalitions/join.html", form=form)


#: The audit log counts its entries up to here ("more than 1,000"): the count then costs the same in a young coalition
#: and an old one, and a lead reads the newest entries.
AUDIT_COUNT_CAP = 1_000


@bp.route("/audit")
@member_required
def audit():
    """The coalition's audit log (leads)."""
    require("audit.view", g.coalition)
    newest_first = (AuditEntry.created_at.desc(), AuditEntry.id.desc())
    # The page's ids from the index alone, then their entries: a deep page skips index entries, not rows.
    ids = select(AuditEntry.id).where(AuditEntry.coalition_id == g.coalition.id).order_by(*newest_first)
    page = paginate(select(AuditEntry).order_by(*newest_first), ids=ids, count_cap=AUDIT_COUNT_CAP)
    return render_template("coalitions/audit.html", page=page)
