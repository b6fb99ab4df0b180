"""Leads' page for importing people from a CSV: upload, preview, confirm (invitations only)."""

from flask import flash, g, redirect, render_template, url_for
from flask_babel import ngettext
from flask_login import current_user

from coalition.api import people_import, settings_bp
from coalition.api.forms import ImportConfirmForm, ImportUploadForm
from coalition.core.audit import record_audit
from coalition.core.once import claim_submission, submission_led_to
from coalition.core.permissions import require
from coalition.core.scoping import member_required
from coalition.core.work import unit_of_work


@settings_bp.route("/people-import", methods=["GET", "POST"])
@member_required
def import_people():
    """Upload a CSV of people and see the preview."""
    require("member.manage", g.coalition)
    form, result, confirm_form = ImportUploadForm(), None, None
    if form.validate_on_submit():
        raw = form.file.data.read()
        try:
            content = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            content = raw.decode("latin-1")
        result = people_import.preview(g.coalition, content)
        confirm_form = ImportConfirmForm(formdata=None, content=content)
    return render_template("api/import.html", form=form, result=result, confirm_form=confirm_form)


@settings_bp.route("/people-import/confirm", methods=["POST"])
@member_required
def confirm_import():
    """Invite the new people of the previewed file."""
    require("member.manage", g.coalition)
    form = ImportConfirmForm()
    if form.validate_on_submit():
        with unit_of_work(flash_errors=True) as work:
            claim_submission(form)
            count = people_import.confirm(g.coalition, form.content.data or "", current_user)
            record_audit("people.import", actor=current_user, coalition=g.coalition, invited=count)
            submission_led_to(form, url_for("api_settings.import_people"))
        if work.ok:
            flash(ngettext("%(num)d invitation sent.", "%(num)d invitations sent.", count), "success")
    return redirect(url_for("api_settings.import_people"))
