"""Leads' page for API keys: create (shown once), list with last use, revoke."""

from flask import g, redirect, render_template, url_for
from flask_login import current_user

from coalition.api import keys, settings_bp
from coalition.api.forms import ApiKeyForm
from coalition.api.models import ApiKey
from coalition.core.forms import ActionForm
from coalition.core.i18n import gettext as _
from coalition.core.once import claim_submission
from coalition.core.permissions import require
from coalition.core.scoping import get_scoped_or_404, member_required
from coalition.core.work import unit_of_work


@settings_bp.route("/api-keys", methods=["GET", "POST"])
@member_required
def api_keys():
    """List the coalition's API keys and create one (its secret is shown once, here)."""
    require("coalition.manage", g.coalition)
    form, raw = ApiKeyForm(), None
    if form.validate_on_submit():
        with unit_of_work(form, success=_("Key created. Copy it now: it will not be shown again.")) as work:
            claim_submission(form)  # a repeat shows the list again: the secret is shown only once
            _key, raw = keys.create_key(g.coalition, current_user, name=form.name.data, scope=form.scope.data)
        if work.ok:
            form = ApiKeyForm(formdata=None)
    return render_template(
        "api/keys.html", form=form, raw=raw, keys=keys.keys_of(g.coalition), action_form=ActionForm()
    )


@settings_bp.route("/api-keys/<int:key_id>/revoke", methods=["POST"])
@member_required
def revoke_api_key(key_id):
    """Revoke a key: it stops working at once."""
    require("coalition.manage", g.coalition)
    key = get_scoped_or_404(ApiKey, key_id)
    if ActionForm().validate_on_submit():
        with unit_of_work(success=_("Key revoked.")):
            keys.revoke_key(key, current_user)
    return redirect(url_for("api_settings.api_keys"))
