"""Story pages for members: list and search, my stories, writing, consent, lifecycle, review, excerpts, export."""

from flask import abort, g, redirect, render_template, request, url_for
from flask_login import current_user

from coalition.campaigns.services import campaign_choices
from coalition.core.confirm import render_confirmation
from coalition.core.forms import ActionForm
from coalition.core.i18n import gettext as _
from coalition.core.once import claim_submission, submission_led_to
from coalition.core.pagination import COUNT_CAP, SEARCH_COUNT_CAP, paginate
from coalition.core.permissions import can, is_member_of, real_user, require
from coalition.core.scoping import db_id, get_scoped_or_404, member_required
from coalition.core.work import commit_with_response, unit_of_work
from coalition.extensions import db
from coalition.stories import bp, services
from coalition.stories.answers import answers_by_question
from coalition.stories.consent import change_consent
from coalition.stories.display import present_story
from coalition.stories.forms import (
    STORY_LANGUAGES,
    ConsentForm,
    EditStoryForm,
    ExcerptForm,
    NewStoryForm,
    ReviewForm,
    answers_from,
    with_questions,
)
from coalition.stories.loading import list_filters, load_story, questions_for, with_campaign_choices
from coalition.stories.models import Story, StoryExcerpt, StoryStatus
from coalition.stories.queries import (
    display_options,
    my_stories,
    note_private_reads,
    stories_by_id,
    visible_story_ids,
    visible_total,
)
from coalition.stories.search import search_words


@bp.route("/")
@member_required
def index():
    """Stories the current person may see, searched and filtered; "mine=1" shows only their own."""
    require("story.view", g.coalition)
    filters = list_filters()
    mine = request.args.get("mine") == "1"
    if mine:
        page = paginate(my_stories(current_user, g.coalition))
    else:
        searching = bool(search_words(filters["q"]))
        # The unfiltered list's exact total comes from the kept counts; a filtered one counts its rows, up to a cap.
        total = visible_total(current_user, g.coalition, **filters)
        page = paginate(
            stories_by_id(),
            ids=visible_story_ids(current_user, g.coalition, **filters),
            count_cap=None if total is not None else SEARCH_COUNT_CAP if searching else COUNT_CAP,
            total=total,
            depth=SEARCH_COUNT_CAP if searching else None,
        )
    viewer = real_user(current_user)
    displays = [(present_story(story, viewer, purpose="list"), story.is_owned_by(viewer)) for story in page.items]
    if note_private_reads(page.items, viewer, g.coalition, place="list"):
        commit_with_response()
    return render_template(
        "stories/index.html",
        page=page,
        displays=displays,
        filters=filters,
        mine=mine,
        campaigns=campaign_choices(g.coalition),
        languages=STORY_LANGUAGES,
        statuses=list(StoryStatus),
    )


@bp.route("/new", methods=["GET", "POST"])
@member_required
def new():
    """Write a story: a draft, or submitted for review; consent is chosen here and kept in its history."""
    require("story.create", g.coalition)
    campaign_id = request.form.get("campaign_id", type=db_id) or request.args.get("campaign", type=db_id)
    questions = questions_for(campaign_id)
    form = with_campaign_choices(with_questions(NewStoryForm, questions)(campaign_id=campaign_id or 0))
    if form.validate_on_submit():
        with unit_of_work(
            form, success=_("Your story was sent to the organizers.") if form.submit.data else _("Draft saved.")
        ) as work:
            claim_submission(form)
            story = services.create_story(
                g.coalition,
                current_user,
                {name: form[name].data for name in services.STORY_FIELDS},
                campaign_id=form.campaign_id.data or None,
                answers=answers_from(form, questions),
                consent=form.consent(),
                submit=bool(form.submit.data),
            )
            shown = submission_led_to(form, url_for("stories.show", story_id=story.id))
        if work.ok:
            return redirect(shown)
    return render_template("stories/form.html", form=form, questions=questions, story=None, with_consent=True)


@bp.route("/<int:story_id>")
def show(story_id):
    """A story's page: members see what the rules allow; visitors see approved public stories."""
    if not current_user.is_authenticated or not is_member_of(g.coalition):
        return _public_page(story_id)
    return _story_page(load_story(story_id))


def _story_page(story, review_form: ReviewForm | None = None):
    """A member's view of a story; a failed review form is shown as it was sent, with its errors at its fields."""
    owner = story.is_owned_by(current_user)
    display = present_story(story, current_user, purpose="owner" if owner else "page")
    if not owner and note_private_reads([story], current_user, g.coalition, place="page"):
        commit_with_response()
    team = can("story.review", g.coalition)
    return render_template(
        "stories/show.html",
        story=story,
        display=display,
        owner=owner,
        team=team,
        answers=answers_by_question(story) if owner or team else [],
        review_form=review_form or ReviewForm(formdata=None),
        action_form=ActionForm(),
    )


def _public_page(story_id):
    story = get_scoped_or_404(Story, story_id, *display_options())
    display = present_story(story, None, purpose="public")
    if display is None:
        abort(404)
    return render_template("stories/public_show.html", display=display)


@bp.route("/<int:story_id>/edit", methods=["GET", "POST"])
@member_required
def edit(story_id):
    """The storyteller edits their story (consent has its own page)."""
    story = load_story(story_id, for_action="story.edit")
    campaign_id = request.form.get("campaign_id", type=db_id) if request.method == "POST" else story.campaign_id
    questions = questions_for(campaign_id)
    form_class = with_questions(EditStoryForm, questions)
    answers = {f"q_{a.question_id}": a.value for a in story.answers}
    form = with_campaign_choices(form_class(obj=story, data=answers if request.method == "GET" else None))
    if request.method == "GET":
        form.tags.data = ", ".join(story.tags or [])
        form.campaign_id.data = story.campaign_id or 0
    if form.validate_on_submit():
        with unit_of_work(form, success=_("Your story was saved.")) as work:
            services.update_story(
                story,
                current_user,
                {name: form[name].data for name in services.STORY_FIELDS},
                campaign_id=form.campaign_id.data or None,
                answers=answers_from(form, questions),
            )
        if work.ok:
            return redirect(url_for("stories.show", story_id=story.id))
    return render_template("stories/form.html", form=form, questions=questions, story=story, with_consent=False)


@bp.route("/<int:story_id>/consent", methods=["GET", "POST"])
@member_required
def consent(story_id):
    """The storyteller changes who may read the story, how they are named, and where it may go."""
    story = load_story(story_id, for_action="story.consent")
    form = ConsentForm(obj=story)
    if request.method == "GET":
        form.visibility.data, form.attribution.data = str(story.visibility), str(story.attribution)
    if form.validate_on_submit():
        with unit_of_work(form, success=_("Your choices were saved.")) as work:
            change_consent(story, current_user, **form.consent())
        if work.ok:
            return redirect(url_for("stories.show", story_id=story.id))
    return render_template("stories/consent.html", form=form, story=story)


def _story_action(story_id, action, func, message):
    story = load_story(story_id, for_action=action)
    if not ActionForm().validate_on_submit():
        abort(400)
    with unit_of_work(success=message):
        func(story)
    return story


@bp.route("/<int:story_id>/submit", methods=["POST"])
@member_required
def submit(story_id):
    """The storyteller submits a draft or returned story for review."""
    _story_action(
        story_id,
        "story.edit",
        lambda s: services.submit_story(s, current_user),
        _("Your story was sent to the organizers."),
    )
    return redirect(url_for("stories.show", story_id=story_id))


@bp.route("/<int:story_id>/withdraw", methods=["POST"])
@member_required
def withdraw(story_id):
    """The storyteller withdraws their story: it disappears everywhere at once."""
    _story_action(
        story_id, "story.withdraw", lambda s: services.withdraw_story(s, current_user), _("Your story was withdrawn.")
    )
    return redirect(url_for("stories.show", story_id=story_id))


@bp.route("/<int:story_id>/delete", methods=["POST"])
@member_required
def delete(story_id):
    """The storyteller deletes their story's text for good."""
    _story_action(
        story_id, "story.delete", lambda s: services.delete_story(s, current_user), _("Your story was deleted.")
    )
    return redirect(url_for("stories.index", mine=1))


@bp.route("/<int:story_id>/excerpt/<int:excerpt_id>/<any(accept, decline):decision>", methods=["POST"])
@member_required
def decide_excerpt(story_id, excerpt_id, decision):
    """The storyteller accepts or declines a proposed excerpt."""
    story = load_story(story_id, for_action="story.accept_excerpt")
    excerpt = db.session.get(StoryExcerpt, excerpt_id)
    if excerpt is None or excerpt.story_id != story.id:
        abort(404)
    accept = decision == "accept"
    _story_action(
        story_id,
        "story.accept_excerpt",
        lambda s: services.decide_excerpt(s, excerpt, current_user, accept=accept),
        _("The excerpt will be shown in place of your text.") if accept else _("The excerpt was declined."),
    )
    return redirect(url_for("stories.show", story_id=story_id))


@bp.route("/<int:story_id>/review", methods=["POST"])
@member_required
def review(story_id):
    """Organizers approve a submitted story or return it with a note (consent is never changed here)."""
    story = load_story(story_id, for_action="story.review")
    form = ReviewForm()
    if form.validate_on_submit():
        with unit_of_work(form, success=_("Decision saved; the storyteller is told.")) as work:
            services.review_story(story, current_user, approve=form.decision.data == "approve", note=form.note.data)
        if work.ok:
            return redirect(url_for("stories.show", story_id=story.id))
    return _story_page(story, review_form=form)


@bp.route("/<int:story_id>/excerpt", methods=["GET", "POST"])
@member_required
def excerpt(story_id):
    """Organizers propose an edited or shortened excerpt to the storyteller."""
    story = load_story(story_id, for_action="story.propose_excerpt")
    form = ExcerptForm(data={"body": story.body} if request.method == "GET" else None)
    if form.validate_on_submit():
        with unit_of_work(form, success=_("The excerpt was sent to the storyteller.")) as work:
            services.propose_excerpt(story, current_user, form.body.data)
        if work.ok:
            return redirect(url_for("stories.show", story_id=story.id))
    display = present_story(story, current_user, purpose="page")
    return render_template("stories/excerpt.html", form=form, story=story, display=display)


def confirm_story_deletion(action_url: str, cancel_url: str):
    """The page that asks a storyteller before their story is deleted for good."""
    return render_confirmation(
        _("Delete your story for good?"),
        [
            _("Its title, text, answers and content note are erased for good: nobody can bring them back, not you "
              "and not the organizers."),
            _("It disappears at once from every page, search, report and export."),
            _("If you only want to hide it, withdraw it instead: that also removes it from every page at once."),
        ],
        _("Yes, delete my story for good"),
        action_url,
        cancel_url,
    )  # fmt: skip


@bp.route("/<int:story_id>/delete", methods=["GET"])
@member_required
def confirm_delete(story_id):
    """Ask before deleting a story for good."""
    story = load_story(story_id, for_action="story.delete")
    return confirm_story_deletion(
        url_for("stories.delete", story_id=story.id), url_for("stories.show", story_id=story.id)
    )
