"""Decision pages for members: the lists, the decision page, answering on the page and from a mail link."""

from flask import abort, g, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from coalition.accounts.models import User
from coalition.core.csvexport import csv_response
from coalition.core.forms import ActionForm
from coalition.core.i18n import gettext as _
from coalition.core.pagination import paginate
from coalition.core.permissions import can, membership_for, require
from coalition.core.scoping import db_id, get_scoped_or_404, member_required
from coalition.core.work import unit_of_work
from coalition.decisions import answers, bp, eligibility, links, lists, outcome, results
from coalition.decisions.forms import kind_choices
from coalition.decisions.labels import choice_text
from coalition.decisions.loading import load_decision
from coalition.decisions.models import CollectiveDecision, DecisionAnswer, DecisionKind
from coalition.extensions import db

RECEIPTS = "decision_receipts"


@bp.route("/")
@member_required
def index():
    """Open, closed (searchable) or draft decisions, filtered by campaign, meeting, kind and "needs my answer"."""
    require("decision.view", g.coalition)
    state = request.args.get("state", "open")
    state = state if state in ("open", "closed", "drafts") else "open"
    if state == "drafts" and not can("decision.manage", g.coalition):
        state = "open"
    kind = request.args.get("kind", "")
    kind = kind if kind in {k.value for k in DecisionKind} else ""
    filters = {
        "campaign_id": request.args.get("campaign", 0, type=db_id) or 0,
        "meeting_id": request.args.get("meeting", 0, type=db_id) or 0,
        "kind": kind,
        "needs_me": request.args.get("needs_me") == "1",
        "query": request.args.get("q", "")[:100],
    }
    statement = lists.list_decisions(g.coalition, current_user, state=state, **filters).options(
        joinedload(CollectiveDecision.campaign)
    )
    page = paginate(statement)
    waiting = set(db.session.scalars(lists.waiting_for(g.coalition, current_user)))
    return render_template(
        "decisions/index.html", page=page, state=state, filters=filters, kinds=kind_choices(), waiting=waiting
    )


def _my_answer(decision):
    """(named answer or None, answered?, receipt held in my session)."""
    receipts = session.get(RECEIPTS, {})
    receipt = receipts.get(str(decision.id))
    if decision.is_anonymous:
        return None, eligibility.has_answered(decision, current_user), receipt
    mine = answers.answer_of(decision, current_user)
    return mine, mine is not None, None


def _names(decision, presented) -> list[tuple[str, str, str]]:
    """Who answered what, in words (name, answer, comment), where names may be seen and results are visible (at
    most 500 on the page)."""
    if presented is None or not results.names_visible(decision, current_user):
        return []
    rows = db.session.scalars(
        select(DecisionAnswer)
        .where(DecisionAnswer.decision_id == decision.id)
        .options(joinedload(DecisionAnswer.user))
        .order_by(DecisionAnswer.id)
        .limit(500)
    ).all()
    return [(row.user.display_name, choice_text(decision, row.choice), row.comment) for row in rows]


@bp.route("/<int:decision_id>")
@member_required
def show(decision_id):
    """The decision: question, turnout, my answer, and the result when it may be seen."""
    decision = load_decision(decision_id)
    presented = results.present(decision, current_user)
    mine, answered, receipt = _my_answer(decision)
    manage = can("decision.manage", decision)
    pending = db.session.scalars(eligibility.not_answered(decision).limit(200)).all() if manage else []
    ballot = answers.ballot_for_receipt(decision, receipt) if receipt else None
    return render_template(
        "decisions/show.html",
        decision=decision,
        presented=presented,
        turnout=eligibility.turnout(decision),
        mine=mine,
        ballot=ballot,
        answered=answered,
        receipt=receipt,
        manage=manage,
        pending=pending,
        names=_names(decision, presented),
        action_items=outcome.action_items(decision) if decision.closed_at else [],
        action_form=ActionForm(),
        shown_receipt=session.pop("decision_new_receipt", None),
    )


def raw_answer(decision, form) -> dict:
    """The answer posted by the page's form, in the shape `answers.clean_choice` reads."""
    option_ids = [str(option.id) for option in decision.options]
    return {
        "position": form.get("position"),
        "options": form.getlist("options"),
        "scores": {key: form.get(f"score-{key}") for key in option_ids},
        "ranking": [
            key
            for _rank, key in sorted(
                (int(form.get(f"rank-{key}")), key) for key in option_ids if (form.get(f"rank-{key}") or "").isdigit()
            )
        ],
        "times": {key: form.get(f"time-{key}") for key in option_ids},
        "needs": {name: form.get(name) for name in answers.NEEDS_KEYS},
    }


def _keep_receipt(decision, receipt):
    if receipt:
        receipts = dict(session.get(RECEIPTS, {}))
        receipts[str(decision.id)] = receipt
        session[RECEIPTS] = receipts
        session["decision_new_receipt"] = receipt


@bp.route("/<int:decision_id>/answer", methods=["POST"])
@member_required
def answer(decision_id):
    """Answer, or change my answer (until the close)."""
    decision = load_decision(decision_id, "decision.answer")
    if ActionForm().validate_on_submit():
        receipt = request.form.get("receipt") or session.get(RECEIPTS, {}).get(str(decision.id))
        with unit_of_work(success=_("Your answer is saved.")):
            new_receipt = answers.answer(
                decision,
                current_user,
                raw_answer(decision, request.form),
                request.form.get("comment", ""),
                receipt=receipt,
            )
            _keep_receipt(decision, new_receipt)
    return redirect(url_for("decisions.show", decision_id=decision.id))


@bp.route("/<int:decision_id>/answer/<token>", methods=["GET", "POST"])
def mail_answer(decision_id, token):
    """A mail link: shows the choice and a button; only the POST of that button counts (a GET never votes)."""
    decision = get_scoped_or_404(CollectiveDecision, decision_id, selectinload(CollectiveDecision.options))
    claim, problem = links.read_token(token, decision)
    person = db.session.get(User, claim.user_id) if claim else None
    if claim and (person is None or membership_for(person, decision.coalition_id) is None):
        claim, problem = None, _("This link is no longer valid for you. Nothing was changed.")
    if claim and eligibility.has_answered(decision, person):
        claim, problem = (
            None,
            _(
                "You have already answered. Replaying the link changes nothing; you can change "
                "your answer on the decision's page."
            ),
        )
    label = choice_text(decision, claim.choice) if claim else None
    form = ActionForm()
    if claim and request.method == "POST" and form.validate_on_submit():
        with unit_of_work(form) as work:
            new_receipt = answers.answer(
                decision, person, claim.choice, request.form.get("comment", ""), first_only=True
            )
        if work.ok:
            _keep_receipt(decision, new_receipt)
            session.pop("decision_new_receipt", None)
            return render_template("decisions/confirmed.html", decision=decision, label=label, receipt=new_receipt)
        problem = work.error and str(work.error)
        needs_reason = claim.choice.get("position") in ("disagree", "block")
        return render_template(
            "decisions/confirm.html",
            decision=decision,
            label=label,
            form=form,
            problem=problem if not needs_reason else None,
            needs_reason=needs_reason,
            reason_error=problem if needs_reason else None,
        )
    status = 200 if claim or "already" in (problem or "") else 400
    return render_template(
        "decisions/confirm.html",
        decision=decision,
        label=label,
        form=form,
        problem=problem,
        needs_reason=bool(claim) and claim.choice.get("position") in ("disagree", "block"),
        reason_error=None,
    ), status


@bp.route("/<int:decision_id>/result.csv")
@member_required
def result_csv(decision_id):
    """The result as CSV (totals only; nothing before the close when results are hidden)."""
    decision = load_decision(decision_id)
    presented = results.present(decision, current_user)
    if presented is None:
        abort(404)
    header, rows = results.csv_rows(decision, presented)
    return csv_response(f"decision-{decision.id}-result.csv", header, rows)
