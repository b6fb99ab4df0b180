"""Stakeholder pages: list with search and filters, detail with history, create/edit, CSV and vCard, import."""

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from coalition.core.confirm import render_confirmation
from coalition.core.csvexport import csv_response
from coalition.core.forms import ActionForm
from coalition.core.i18n import gettext as _
from coalition.core.once import claim_submission, submission_led_to
from coalition.core.pagination import paginate
from coalition.core.permissions import require
from coalition.core.scoping import db_id, get_scoped_or_404, member_required
from coalition.core.work import unit_of_work
from coalition.extensions import db
from coalition.stakeholders import bp, csvio, imports, services
from coalition.stakeholders.forms import ImportForm, StakeholderFilterForm, StakeholderForm, import_choices
from coalition.stakeholders.labels import page_labels
from coalition.stakeholders.loading import campaigns
from coalition.stakeholders.models import Stakeholder, StakeholderImport

EXPORT_LIMIT = 20_000
#: How many rows that match a stakeholder already here the import preview lists one by one.
MATCHES_SHOWN = 200


@bp.context_processor
def inject_labels():
    """The translated names of categories, stances, priorities, channels and responses, for this domain's pages."""
    return {"labels": page_labels()}


def _filtered(filters: StakeholderFilterForm):
    return services.stakeholder_search(
        g.coalition,
        q=filters.q.data or "",
        category=filters.category.data if filters.category.data in dict(filters.category.choices) else "",
        tag=filters.tag.data or "",
        campaign_id=filters.campaign.data if filters.campaign.data in dict(filters.campaign.choices) else None,
    )


def _filters():
    filters = StakeholderFilterForm(request.args, campaigns=campaigns())
    filters.validate()
    return filters


@bp.route("/")
@member_required
def index():
    """The coalition's stakeholders, searchable and filtered (organizers and leads)."""
    require("stakeholder.view", g.coalition)
    filters = _filters()
    # The page's ids first (the name index alone, for the unfiltered list), then their rows.
    statement = _filtered(filters)
    ids = statement.with_only_columns(Stakeholder.id)
    page = paginate(select(Stakeholder).order_by(Stakeholder.name, Stakeholder.id), ids=ids)
    return render_template(
        "stakeholders/index.html", page=page, filters=filters, campaigns=filters.campaign.choices[1:]
    )


@bp.route("/new", methods=["GET", "POST"], defaults={"stakeholder_id": None})
@bp.route("/<int:stakeholder_id>/edit", methods=["GET", "POST"])
@member_required
def edit(stakeholder_id):
    """Add a stakeholder (warning about possible duplicates) or edit one."""
    require("stakeholder.edit", g.coalition)
    stakeholder = get_scoped_or_404(Stakeholder, stakeholder_id) if stakeholder_id else None
    form = StakeholderForm(obj=stakeholder)
    if request.method == "GET" and stakeholder is not None:
        form.tags.data = ", ".join(stakeholder.tags or [])
    duplicates = []
    if form.validate_on_submit():
        fields = {name: form[name].data for name in services.STAKEHOLDER_FIELDS}
        with unit_of_work(form, success=_("Stakeholder saved.")) as work:
            claim_submission(form)
            saved = services.save_stakeholder(
                g.coalition, current_user, stakeholder, allow_duplicate=bool(form.create_anyway.data), **fields
            )
            shown = submission_led_to(form, url_for("stakeholders.detail", stakeholder_id=saved.id))
        if work.ok:
            return redirect(shown)
        duplicates = getattr(work.error, "duplicates", [])
    return render_template("stakeholders/form.html", form=form, stakeholder=stakeholder, duplicates=duplicates)


@bp.route("/<int:stakeholder_id>")
@member_required
def detail(stakeholder_id):
    """One stakeholder with their history: targets with stance history, and the outreach log a page at a time
    ("outreach=<id>": the page holding that entry, where links to one entry lead)."""
    stakeholder = get_scoped_or_404(Stakeholder, stakeholder_id)
    require("stakeholder.view", stakeholder)
    around = request.args.get("outreach", type=db_id) if "page" not in request.args else None
    history = services.stakeholder_history(stakeholder, around=around)
    return render_template("stakeholders/detail.html", stakeholder=stakeholder, action_form=ActionForm(), **history)


@bp.route("/<int:stakeholder_id>/delete", methods=["POST"])
@member_required
def delete(stakeholder_id):
    """Delete a stakeholder and their history."""
    stakeholder = get_scoped_or_404(Stakeholder, stakeholder_id)
    require("stakeholder.edit", stakeholder)
    if ActionForm().validate_on_submit():
        with unit_of_work(success=_("Stakeholder deleted.")):
            services.delete_stakeholder(stakeholder, current_user)
    return redirect(url_for("stakeholders.index"))


@bp.route("/<int:stakeholder_id>/delete", methods=["GET"])
@member_required
def confirm_delete(stakeholder_id):
    """Ask before deleting a stakeholder and their history."""
    stakeholder = get_scoped_or_404(Stakeholder, stakeholder_id)
    require("stakeholder.edit", stakeholder)
    return render_confirmation(
        _("Delete %(name)s and their history?", name=stakeholder.name),
        [
            _("Their contact details and notes are deleted."),
            _("Their place in every campaign, with its stance history, is deleted: power maps lose them."),
            _("Every outreach logged with them, with its follow-ups, is deleted."),
        ],
        _("Yes, delete %(name)s", name=stakeholder.name),
        url_for("stakeholders.delete", stakeholder_id=stakeholder.id),
        url_for("stakeholders.detail", stakeholder_id=stakeholder.id),
    )


# --- Export ---------------------------------------------------------------------------------------------------


@bp.route("/export.csv")
@member_required
def export_csv():
    """Download the filtered list as CSV (safe to open in a spreadsheet)."""
    require("stakeholder.export", g.coalition)
    stakeholders = db.session.scalars(_filtered(_filters()).limit(EXPORT_LIMIT)).all()
    with unit_of_work():
        csvio.record_export(g.coalition, current_user, kind="csv", count=len(stakeholders))
    return csv_response(f"stakeholders-{g.coalition.slug}.csv", csvio.EXPORT_HEADER, csvio.export_rows(stakeholders))


def _vcard_response(stakeholders, filename: str) -> Response:
    version = "4.0" if request.args.get("version") == "4.0" else "3.0"
    with unit_of_work():
        csvio.record_export(g.coalition, current_user, kind=f"vcard-{version}", count=len(stakeholders))
    return Response(
        csvio.vcards(stakeholders, version),
        mimetype="text/vcard",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/export.vcf")
@member_required
def export_vcards():
    """Download the filtered list as vCards (?version=4.0 for vCard 4.0)."""
    require("stakeholder.export", g.coalition)
    stakeholders = db.session.scalars(_filtered(_filters()).limit(EXPORT_LIMIT)).all()
    return _vcard_response(stakeholders, f"stakeholders-{g.coalition.slug}.vcf")


@bp.route("/<int:stakeholder_id>/vcard.vcf")
@member_required
def vcard(stakeholder_id):
    """Download one stakeholder as a vCard."""
    stakeholder = get_scoped_or_404(Stakeholder, stakeholder_id)
    require("stakeholder.export", stakeholder)
    return _vcard_response([stakeholder], f"stakeholder-{stakeholder.id}.vcf")


# --- Import ---------------------------------------------------------------------------------------------------


@bp.route("/import", methods=["GET", "POST"])
@member_required
def import_csv():
    """Upload a CSV file; it is checked and previewed before anything is written."""
    require("stakeholder.import", g.coalition)
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        with unit_of_work(form) as work:
            text = csvio.decode_upload(upload.read())
            staged = csvio.stage_import(g.coalition, current_user, filename=upload.filename or "", text=text)
        if work.ok:
            return redirect(url_for("stakeholders.import_preview", import_id=staged.id))
    return render_template("stakeholders/import.html", form=form)


def _staged(import_id) -> StakeholderImport:
    staged = get_scoped_or_404(StakeholderImport, import_id)
    if staged.created_by_id != current_user.id:
        abort(404)
    return staged


@bp.route("/import/<int:import_id>")
@member_required
def import_preview(import_id):
    """Preview an uploaded file: the column mapping, every problem with its row number, and for each row whether
    it is new, or matches a stakeholder already here (changed or unchanged), with what to do with it."""
    require("stakeholder.import", g.coalition)
    staged = _staged(import_id)
    parsed = csvio.parse_stakeholder_csv(staged.content)
    plan = imports.plan_import(g.coalition.id, parsed) if parsed.ok else None
    return render_template(
        "stakeholders/import_preview.html",
        staged=staged,
        parsed=parsed,
        plan=plan,
        errors=parsed.errors + (plan.errors if plan else []),
        shown_matches=MATCHES_SHOWN,
        actions=imports.ACTION_LABELS,
        field_labels=imports.FIELD_LABELS,
        action_form=ActionForm(),
    )


@bp.route("/import/<int:import_id>/confirm", methods=["POST"])
@member_required
def import_confirm(import_id):
    """Create, update or skip each row of the previewed file as chosen, or write nothing if any row has a problem."""
    require("stakeholder.import", g.coalition)
    staged = _staged(import_id)
    form = ActionForm()
    if not form.validate_on_submit():
        return redirect(url_for("stakeholders.import_preview", import_id=staged.id))
    choices, defaults = import_choices(request.form)
    with unit_of_work() as work:
        claim_submission(form)
        result = imports.confirm_import(staged, current_user, choices, defaults)
        submission_led_to(form, url_for("stakeholders.index"))
    if not work.ok:
        return redirect(url_for("stakeholders.import_preview", import_id=staged.id))
    flash(
        _(
            "Import done: %(created)d created, %(updated)d updated, %(skipped)d skipped or unchanged.",
            created=result.created,
            updated=result.updated,
            skipped=result.skipped,
        ),
        "success",
    )
    return redirect(url_for("stakeholders.index"))
