"""Story pages for visitors: public stories, a campaign's public intake form, and the private manage link."""

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from coalition.campaigns.services import get_public_campaign
from coalition.core.forms import ActionForm
from coalition.core.i18n import gettext as _
from coalition.core.once import claim_submission, submission_led_to
from coalition.core.pagination import COUNT_CAP, SEARCH_COUNT_CAP, paginate
from coalition.core.permissions import is_member_of
from coalition.core.work import unit_of_work
from coalition.extensions import db, limiter
from coalition.stories import bp, services
from coalition.stories.answers import answers_by_question
from coalition.stories.consent import change_consent
from coalition.stories.display import LinkHolder, present_story
from coalition.stories.forms import ConsentForm, EditStoryForm, IntakeForm, answers_from, with_questions
from coalition.stories.mail import manage_link
from coalition.stories.models import StoryExcerpt
from coalition.stories.queries import stories_by_id, visible_story_ids, visible_total
from coalition.stories.search import search_words
from coalition.stories.views import confirm_story_deletion


def _public_form_limit():
    return current_app.config["RATELIMIT_PUBLIC_FORM"]


@bp.route("/public")
def public_index():
    """The coalition's public stories (approved, and public by their storytellers' choice)."""
    campaign = get_public_campaign(g.coalition, request.args.get("campaign", ""))
    q = request.args.get("q", "")[:200]
    # The visitors' part of the rules (no viewer): public stories, whoever asks.
    filters = {"q": q, "campaign_id": campaign.id if campaign else None}
    found = visible_story_ids(None, g.coalition, **filters)
    total = visible_total(None, g.coalition, **filters)
    cap = SEARCH_COUNT_CAP if search_words(q) else COUNT_CAP
    page = paginate(stories_by_id(), ids=found, total=total, count_cap=cap if total is None else None)
    displays = [present_story(story, None, purpose="public") for story in page.items]
    return render_template("stories/public_index.html", page=page, displays=displays, campaign=campaign)


@bp.route("/share/<campaign_slug>", methods=["GET", "POST"], endpoint="intake")
@limiter.limit(_public_form_limit, methods=["POST"])
def intake(campaign_slug):
    """A campaign's public intake form: anyone may share a story and gets a private link to manage it."""
    campaign = get_public_campaign(g.coalition, campaign_slug)
    if campaign is None:
        abort(404)
    if request.method == "GET" and current_user.is_authenticated and is_member_of(g.coalition):
        # Members tell their stories from their account, where they keep them without a private link.
        return redirect(url_for("stories.new", campaign=campaign.id))
    questions = list(campaign.questions)
    form = with_questions(IntakeForm, questions)()
    if form.validate_on_submit():
        with unit_of_work(
            form, success=_("Thank you. Your story was received; keep the address of this page to come back to it.")
        ) as work:
            claim_submission(form)
            _story, raw = services.intake_story(
                g.coalition,
                campaign,
                {name: form[name].data for name in services.STORY_FIELDS},
                name=form.name.data,
                email=form.email.data,
                answers=answers_from(form, questions),
                consent=form.consent(),
            )
            # The private link is kept encrypted with the form's nonce, for a repeat of this same form only.
            shown = submission_led_to(form, url_for("stories.manage", token=raw, new=1))
        if work.ok:
            return redirect(shown)
    return render_template("stories/intake.html", form=form, campaign=campaign, questions=questions)


def _story_for_token(token):
    story = services.find_story_by_token(g.coalition, token)
    if story is None:
        return None, None
    return story, LinkHolder(story)


@bp.route("/manage/<token>", methods=["GET", "POST"])
@limiter.limit(_public_form_limit, methods=["POST"])
def manage(token):
    """The private page of a story told without an account: see it, edit it, change consent, withdraw, delete."""
    story, holder = _story_for_token(token)
    if story is None:
        return render_template("stories/manage_invalid.html"), 404
    if story.is_gone:
        return render_template("stories/manage_gone.html", story=story, token=token, action_form=ActionForm())
    questions = list(story.campaign.questions) if story.campaign else []
    answers = {f"q_{a.question_id}": a.value for a in story.answers}
    form = with_questions(EditStoryForm, questions)(obj=story, data=answers if request.method == "GET" else None)
    del form.campaign_id
    if request.method == "GET":
        form.tags.data = ", ".join(story.tags or [])
    if form.validate_on_submit():
        with unit_of_work(form, success=_("Your story was saved.")) as work:
            services.update_story(
                story,
                holder,
                {name: form[name].data for name in services.STORY_FIELDS},
                answers=answers_from(form, questions),
            )
        if work.ok:
            return redirect(url_for("stories.manage", token=token))
    consent_form = ConsentForm(formdata=None, obj=story)
    consent_form.visibility.data, consent_form.attribution.data = str(story.visibility), str(story.attribution)
    return render_template(
        "stories/manage.html",
        story=story,
        token=token,
        display=present_story(story, holder, purpose="owner"),
        answers=answers_by_question(story),
        form=form,
        consent_form=consent_form,
        action_form=ActionForm(),
        manage_url=manage_link(g.coalition, token),
        just_shared=request.args.get("new") == "1",
    )


def _manage_action(token, func, message):
    story, holder = _story_for_token(token)
    if story is None:
        abort(404)
    with unit_of_work(success=message):
        func(story, holder)
    return redirect(url_for("stories.manage", token=token))


@bp.route("/manage/<token>/consent", methods=["POST"])
@limiter.limit(_public_form_limit)
def manage_consent(token):
    """Change consent through the private link."""
    form = ConsentForm()
    if not form.validate_on_submit():
        flash(_("Please choose from the options."), "error")
        return redirect(url_for("stories.manage", token=token))
    return _manage_action(token, lambda s, h: change_consent(s, h, **form.consent()), _("Your choices were saved."))


@bp.route("/manage/<token>/withdraw", methods=["POST"])
@limiter.limit(_public_form_limit)
def manage_withdraw(token):
    """Withdraw the story through the private link."""
    if not ActionForm().validate_on_submit():
        abort(400)
    return _manage_action(token, services.withdraw_story, _("Your story was withdrawn."))


@bp.route("/manage/<token>/delete", methods=["POST"])
@limiter.limit(_public_form_limit)
def manage_delete(token):
    """Delete the story's text for good through the private link."""
    if not ActionForm().validate_on_submit():
        abort(400)
    return _manage_action(token, services.delete_story, _("Your story was deleted."))


@bp.route("/manage/<token>/excerpt/<int:excerpt_id>/<any(accept, decline):decision>", methods=["POST"])
@limiter.limit(_public_form_limit)
def manage_excerpt(token, excerpt_id, decision):
    """Accept or decline a proposed excerpt through the private link."""
    if not ActionForm().validate_on_submit():
        abort(400)
    excerpt = db.session.get(StoryExcerpt, excerpt_id)
    if excerpt is None:
        abort(404)
    return _manage_action(
        token,
        lambda s, h: services.decide_excerpt(s, excerpt, h, accept=decision == "accept"),
        _("Your answer was saved."),
    )


@bp.route("/manage/<token>/delete", methods=["GET"])
def manage_confirm_delete(token):
    """Ask before deleting, through the private link, a story told without an account."""
    story, _holder = _story_for_token(token)
    if story is None or story.is_deleted:
        abort(404)
    return confirm_story_deletion(url_for("stories.manage_delete", token=token), url_for("stories.manage", token=token))
