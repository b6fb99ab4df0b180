"""Leads' page for webhooks: add an endpoint with its events, see deliveries, enable, disable, delete."""

from flask import g, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from coalition.api import settings_bp, webhooks
from coalition.api.forms import WebhookForm
from coalition.api.models import WebhookEndpoint
from coalition.core.forms import ActionForm
from coalition.core.i18n import gettext as _
from coalition.core.once import claim_submission, submission_led_to
from coalition.core.permissions import require
from coalition.core.scoping import get_scoped_or_404, member_required
from coalition.core.work import unit_of_work
from coalition.extensions import db


@settings_bp.route("/webhooks", methods=["GET", "POST"])
@member_required
def webhook_endpoints():
    """List the coalition's webhooks with their latest deliveries, and add one."""
    require("coalition.manage", g.coalition)
    form = WebhookForm()
    if form.validate_on_submit():
        with unit_of_work(form, success=_("Webhook added.")) as work:
            claim_submission(form)
            webhooks.create_endpoint(g.coalition, current_user, url=form.url.data, events=form.events.data)
            submission_led_to(form, url_for("api_settings.webhook_endpoints"))
        if work.ok:
            return redirect(url_for("api_settings.webhook_endpoints"))
    endpoints = db.session.scalars(
        select(WebhookEndpoint).where(WebhookEndpoint.coalition_id == g.coalition.id).order_by(WebhookEndpoint.id)
    ).all()
    deliveries = {e.id: webhooks.recent_deliveries(e) for e in endpoints}
    return render_template(
        "api/webhooks.html", form=form, endpoints=endpoints, deliveries=deliveries, action_form=ActionForm()
    )


@settings_bp.route("/webhooks/<int:endpoint_id>/<any(enable, disable, delete):action>", methods=["POST"])
@member_required
def change_webhook(endpoint_id, action):
    """Enable, disable or delete a webhook."""
    require("coalition.manage", g.coalition)
    endpoint = get_scoped_or_404(WebhookEndpoint, endpoint_id)
    if ActionForm().validate_on_submit():
        with unit_of_work(success=_("Webhook saved.")):
            if action == "delete":
                webhooks.delete_endpoint(endpoint, current_user)
            else:
                webhooks.set_endpoint_active(endpoint, action == "enable", current_user)
    return redirect(url_for("api_settings.webhook_endpoints"))
