"""The evidence report of a campaign, at /c/<slug>/campaigns/<id>/evidence: it counts stories, so it lives here."""

from flask import render_template
from flask_login import current_user
from sqlalchemy.orm import selectinload

from coalition.campaigns.models import Campaign
from coalition.core.csvexport import csv_response
from coalition.core.i18n import gettext as _
from coalition.core.models import utcnow
from coalition.core.permissions import require
from coalition.core.scoping import coalition_blueprint, get_scoped_or_404, member_required
from coalition.core.work import commit_with_response
from coalition.stories import evidence as evidence_report

bp = coalition_blueprint("evidence", __name__, url_prefix="/c/<coalition_slug>/campaigns")


@bp.route("/<int:campaign_id>/evidence")
@member_required
def report(campaign_id):
    """The campaign's evidence report: breakdowns, answers, charts and consented quotes (organizers and leads)."""
    campaign = get_scoped_or_404(Campaign, campaign_id, selectinload(Campaign.questions))
    require("campaign.evidence", campaign)
    result, audited = evidence_report.show_evidence(campaign, current_user)
    if audited:
        commit_with_response()
    return render_template("evidence/report.html", campaign=campaign, report=result, now=utcnow())


@bp.route("/<int:campaign_id>/evidence.csv")
@member_required
def csv(campaign_id):
    """Download the evidence report as CSV (organizers and leads); the export is audited."""
    campaign = get_scoped_or_404(Campaign, campaign_id, selectinload(Campaign.questions))
    require("campaign.evidence", campaign)
    rows = evidence_report.export_evidence(campaign, current_user)
    commit_with_response()
    return csv_response(f"evidence-{campaign.slug}.csv", [_("Section"), _("Item"), _("Count or value")], rows)
