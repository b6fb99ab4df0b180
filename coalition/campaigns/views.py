"""Campaign pages: list, page, create and edit, archive, questions, updates, follow, and the public page."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from coalition.campaigns import bp, momentum, providers, services
from coalition.campaigns import questions as question_rules
from coalition.campaigns.forms import CampaignForm, QuestionForm, UpdateForm, status_choices
from coalition.campaigns.models import Campaign, CampaignQuestion
from coalition.core.forms import ActionForm
from coalition.core.i18n import gettext as _
from coalition.core.once import claim_submission, submission_led_to
from coalition.core.pagination import page_number, paginate
from coalition.core.permissions import require
from coalition.core.scoping import get_scoped_or_404, member_required
from coalition.core.work import unit_of_work


@bp.route("/")
@member_required
def index():
    """The coalition's campaigns, filtered by status and issue tag; archived ones only when asked for."""
    require("campaign.view", g.coalition)
    status = request.args.get("status", "")
    tag = services.normalize_tag(request.args.get("tag", ""))
    page = paginate(services.campaigns_statement(g.coalition, status=status, tag=tag))
    ids = [c.id for c in page.items]
    exact = momentum.sees_exact_numbers(g.coalition, current_user)
    return render_template(
        "campaigns/index.html",
        page=page,
        status=status,
        tag=tag,
        status_choices=status_choices(),
        progress=services.progress_of(page.items, 0 if exact else g.coalition.suppression_threshold),
        exact=exact,
        following=services.followed_ids(current_user, ids),
    )


@bp.route("/new", methods=["GET", "POST"], defaults={"campaign_id": None})
@bp.route("/<int:campaign_id>/edit", methods=["GET", "POST"])
@member_required
def edit(campaign_id):
    """Create a campaign, or edit one (organizers and leads)."""
    campaign = get_scoped_or_404(Campaign, campaign_id) if campaign_id else None
    require("campaign.edit" if campaign else "campaign.create", campaign or g.coalition)
    form = CampaignForm(obj=campaign)
    if form.validate_on_submit():
        with unit_of_work(form, success=_("Campaign saved.")) as work:
            claim_submission(form)
            campaign = services.save_campaign(
                g.coalition, current_user, campaign, **{name: form[name].data for name in services.CAMPAIGN_FIELDS}
            )
            shown = submission_led_to(form, url_for("campaigns.show", campaign_id=campaign.id))
        if work.ok:
            return redirect(shown)
    return render_template("campaigns/form.html", form=form, campaign=campaign)


@bp.route("/<int:campaign_id>")
@member_required
def show(campaign_id):
    """A campaign's page: what it wants, from whom, its progress, questions and updates."""
    campaign = get_scoped_or_404(Campaign, campaign_id, selectinload(Campaign.questions))
    require("campaign.view", campaign)
    since = momentum.parse_since(request.args.get("since"))
    following, follower_count = services.followers_of(campaign, current_user)
    return render_template(
        "campaigns/show.html",
        campaign=campaign,
        progress=momentum.progress_for([campaign], current_user, since=since)[campaign.id],
        since=since,
        timeline=momentum.timeline(campaign, current_user, page=page_number()),
        following=following,
        follower_count=follower_count,
        update_form=UpdateForm(),
        action_form=ActionForm(),
    )


@bp.route("/<int:campaign_id>/archive", methods=["POST"])
@member_required
def archive(campaign_id):
    """Archive a campaign (organizers and leads)."""
    campaign = get_scoped_or_404(Campaign, campaign_id)
    require("campaign.archive", campaign)
    if ActionForm().validate_on_submit():
        with unit_of_work(success=_("Campaign archived. It no longer shows in lists or on its public page.")):
            services.archive_campaign(campaign, current_user)
    return redirect(url_for("campaigns.show", campaign_id=campaign.id))


@bp.route("/<int:campaign_id>/updates", methods=["POST"])
@member_required
def post_update(campaign_id):
    """Post an update to the timeline; followers get it by mail (organizers and leads)."""
    campaign = get_scoped_or_404(Campaign, campaign_id)
    require("campaign.post_update", campaign)
    form = UpdateForm()
    if form.validate_on_submit():
        with unit_of_work(success=_("Update posted.")) as work:
            claim_submission(form)
            services.post_update(campaign, current_user, form.body.data)
            shown = submission_led_to(form, url_for("campaigns.show", campaign_id=campaign.id, _anchor="updates"))
        if work.ok:
            return redirect(shown)
    else:
        for message in form.body.errors or [_("The update could not be posted.")]:
            flash(message, "error")
    return redirect(url_for("campaigns.show", campaign_id=campaign.id, _anchor="new-update"))


@bp.route("/<int:campaign_id>/follow", methods=["POST"])
@member_required
def follow(campaign_id):
    """Follow a campaign to get its updates by mail."""
    campaign = get_scoped_or_404(Campaign, campaign_id)
    require("campaign.follow", campaign)
    if ActionForm().validate_on_submit():
        with unit_of_work(success=_("You follow this campaign. Its updates will come by email.")):
            services.follow_campaign(campaign, current_user)
    return redirect(url_for("campaigns.show", campaign_id=campaign.id))


@bp.route("/<int:campaign_id>/unfollow", methods=["POST"])
@member_required
def unfollow(campaign_id):
    """Stop following a campaign."""
    campaign = get_scoped_or_404(Campaign, campaign_id)
    require("campaign.view", campaign)
    if ActionForm().validate_on_submit():
        with unit_of_work(success=_("You no longer follow this campaign.")):
            services.unfollow_campaign(campaign, current_user)
    return redirect(url_for("campaigns.show", campaign_id=campaign.id))


# --- Storyteller questions -----------------------------------------------------------------------------------


def _load_question(campaign: Campaign, question_id: int) -> CampaignQuestion:
    question = next((q for q in campaign.questions if q.id == question_id), None)
    if question is None:
        abort(404)
    return question


@bp.route("/<int:campaign_id>/questions", methods=["GET", "POST"], defaults={"question_id": None})
@bp.route("/<int:campaign_id>/questions/<int:question_id>/edit", methods=["GET", "POST"])
@member_required
def questions(campaign_id, question_id):
    """List, add and edit the questions storytellers answer (organizers and leads)."""
    campaign = get_scoped_or_404(Campaign, campaign_id, selectinload(Campaign.questions))
    require("campaign.edit", campaign)
    question = _load_question(campaign, question_id) if question_id else None
    form = QuestionForm(obj=question)
    if form.validate_on_submit():
        with unit_of_work(form, success=_("Question saved.")) as work:
            claim_submission(form)
            question_rules.save_question(
                campaign,
                current_user,
                question,
                kind=form.kind.data,
                prompt=form.prompt.data,
                choices=form.choices.data,
                required=form.required.data,
            )
            shown = submission_led_to(form, url_for("campaigns.questions", campaign_id=campaign.id))
        if work.ok:
            return redirect(shown)
    return render_template(
        "campaigns/questions.html",
        campaign=campaign,
        question=question,
        form=form,
        action_form=ActionForm(),
        answered=providers.answer_counts(q.id for q in campaign.questions),
    )


@bp.route("/<int:campaign_id>/questions/<int:question_id>/delete", methods=["POST"])
@member_required
def delete_question(campaign_id, question_id):
    """Delete a question (organizers and leads)."""
    campaign = get_scoped_or_404(Campaign, campaign_id, selectinload(Campaign.questions))
    require("campaign.edit", campaign)
    question = _load_question(campaign, question_id)
    if ActionForm().validate_on_submit():
        with unit_of_work(success=_("Question deleted.")):
            question_rules.delete_question(question, current_user)
    return redirect(url_for("campaigns.questions", campaign_id=campaign.id))


@bp.route("/<int:campaign_id>/questions/<int:question_id>/move/<any(up, down):direction>", methods=["POST"])
@member_required
def move_question(campaign_id, question_id, direction):
    """Move a question up or down the list (organizers and leads)."""
    campaign = get_scoped_or_404(Campaign, campaign_id, selectinload(Campaign.questions))
    require("campaign.edit", campaign)
    question = _load_question(campaign, question_id)
    if ActionForm().validate_on_submit():
        with unit_of_work():
            question_rules.move_question(question, -1 if direction == "up" else 1)
    return redirect(url_for("campaigns.questions", campaign_id=campaign.id, _anchor=f"question-{question.id}"))


# --- Public page ---------------------------------------------------------------------------------------------


@bp.route("/public/<campaign_slug>")
def public(campaign_slug):
    """The campaign's public page, for anyone with the link, when switched on (no member data)."""
    campaign = services.get_public_campaign(g.coalition, campaign_slug)
    if campaign is None:
        abort(404)
    return render_template(
        "campaigns/public.html",
        campaign=campaign,
        progress=momentum.progress_for([campaign], None, public=True)[campaign.id],
    )
