"""Campaign targets (stance, influence, priority, owner) and the campaign's power map."""

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

from flask import g, redirect, render_template, request, url_for
from flask_login import current_user

from coalition.core.forms import ActionForm
from coalition.core.i18n import gettext as _
from coalition.core.i18n import select_timezone
from coalition.core.once import claim_submission, submission_led_to
from coalition.core.pagination import paginate
from coalition.core.permissions import require
from coalition.core.scoping import db_id, get_scoped_or_404, member_required
from coalition.core.work import unit_of_work
from coalition.stakeholders import bp, followups, powermap, services
from coalition.stakeholders.forms import PowerMapForm, TargetForm
from coalition.stakeholders.loading import campaign_or_404, campaigns, user_or_none
from coalition.stakeholders.models import CampaignTarget, Stakeholder


def viewer_zone() -> zoneinfo.ZoneInfo:
    """The viewer's time zone as a zoneinfo object (never pytz: replace(tzinfo=pytz zone) gives LMT offsets)."""
    return zoneinfo.ZoneInfo(select_timezone())


@bp.route("/<int:stakeholder_id>/targets/new", methods=["GET", "POST"])
@member_required
def add_target(stakeholder_id):
    """Make a stakeholder a target of a campaign."""
    stakeholder = get_scoped_or_404(Stakeholder, stakeholder_id)
    require("target.manage", stakeholder)
    form = TargetForm(campaigns=campaigns(), owners=services.eligible_owners(g.coalition))
    if request.method == "GET":
        form.campaign_id.data = request.args.get("campaign_id", type=db_id)
        form.owner_id.data = current_user.id
    if form.validate_on_submit():
        with unit_of_work(form, success=_("Target added.")) as work:
            claim_submission(form)
            services.add_target(stakeholder, current_user, **_target_fields(form), campaign_id=form.campaign_id.data)
            shown = submission_led_to(form, url_for("stakeholders.detail", stakeholder_id=stakeholder.id))
        if work.ok:
            return redirect(shown)
    return render_template("stakeholders/target_form.html", form=form, stakeholder=stakeholder, target=None)


def _target_fields(form: TargetForm) -> dict:
    return {
        "stance": form.stance.data,
        "influence": form.influence.data,
        "priority": form.priority.data,
        "ask": form.ask.data,
        "owner": user_or_none(form.owner_id.data),
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
        with unit_of_work(form, success=_("Target saved.")) as work:
            services.update_target(target, current_user, **_target_fields(form))
        if work.ok:
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
        with unit_of_work(success=_("Target removed.")):
            services.remove_target(target, current_user)
    return redirect(url_for("stakeholders.detail", stakeholder_id=stakeholder_id))


@bp.route("/campaigns/<int:campaign_id>/map")
@member_required
def power_map(campaign_id):
    """The campaign's power map: targets by stance and influence, with movement since a date (?since=); the table
    under it lists the targets a page (?page=) at a time."""
    require("stakeholder.view", g.coalition)
    campaign = campaign_or_404(campaign_id)
    form = PowerMapForm(request.args)
    today = followups.coalition_today(g.coalition)
    since = form.since.data if form.validate() and form.since.data else today - timedelta(days=30)
    since = min(max(since, date(2000, 1, 1)), today)
    moment = datetime.combine(since, time.min, tzinfo=viewer_zone()).astimezone(UTC)
    counts = powermap.cell_counts(campaign)
    page = paginate(powermap.targets_statement(), ids=powermap.target_ids(campaign), total=sum(counts.values()))
    points, rows = powermap.placed(campaign, page.items, moment)
    svg = powermap.render_power_map_svg(points, counts=counts, **powermap.texts(campaign, points, since, page.total))
    form.since.data = since
    return render_template(
        "stakeholders/power_map.html",
        campaign=campaign,
        points=points,
        rows=rows,
        page=page,
        svg=svg,
        form=form,
        since=since,
    )
