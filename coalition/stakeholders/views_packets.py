"""Testimony packets: choose stories, preview the printable packet, deliver it, see a delivered packet."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from coalition.core.i18n import gettext as _
from coalition.core.once import claim_submission, submission_led_to
from coalition.core.permissions import require
from coalition.core.scoping import db_id, get_scoped_or_404, member_required
from coalition.core.work import unit_of_work
from coalition.stakeholders import bp, packets, services
from coalition.stakeholders.forms import DeliverPacketForm
from coalition.stakeholders.loading import campaign_or_404
from coalition.stakeholders.models import Packet, Stakeholder


def _story_ids() -> list[int]:
    return request.values.getlist("story", type=db_id)


@bp.route("/campaigns/<int:campaign_id>/packet")
@member_required
def choose_packet(campaign_id):
    """Pick the stories of a packet among those whose storytellers allow sharing with decision-makers."""
    require("packet.build", g.coalition)
    campaign = campaign_or_404(campaign_id)
    candidates = packets.present(packets.packet_candidates(g.coalition, campaign), current_user)
    return render_template(
        "stakeholders/packet_choose.html", campaign=campaign, candidates=candidates, chosen=set(_story_ids())
    )


@bp.route("/campaigns/<int:campaign_id>/packet/preview")
@member_required
def preview_packet(campaign_id):
    """The printable packet of the chosen stories, with the form to deliver it."""
    require("packet.build", g.coalition)
    campaign = campaign_or_404(campaign_id)
    try:
        stories = packets.shareable_stories(g.coalition, campaign, _story_ids())
    except services.StakeholderError as error:
        flash(str(error), "error")
        return redirect(url_for("stakeholders.choose_packet", campaign_id=campaign.id))
    form = _deliver_form(campaign)
    return render_template(
        "stakeholders/packet_preview.html",
        campaign=campaign,
        entries=packets.present(stories, current_user),
        form=form,
    )


def _deliver_form(campaign) -> DeliverPacketForm:
    form = DeliverPacketForm()
    recipients = packets.packet_recipients(campaign)
    form.stakeholder_id.choices = [
        (s.id, f"{s.name} — {s.organization}" if s.organization else s.name) for s in recipients
    ]
    return form


@bp.route("/campaigns/<int:campaign_id>/packet/deliver", methods=["POST"])
@member_required
def deliver_packet(campaign_id):
    """Deliver the packet to a stakeholder: records the packet, the outreach and a share on every story."""
    require("packet.build", g.coalition)
    campaign = campaign_or_404(campaign_id)
    form = _deliver_form(campaign)
    if not form.validate_on_submit():
        flash(_("Please choose who receives the packet."), "error")
        return redirect(url_for("stakeholders.preview_packet", campaign_id=campaign.id, story=_story_ids()))
    stakeholder = get_scoped_or_404(Stakeholder, form.stakeholder_id.data)
    with unit_of_work(success=_("Packet delivered to %(name)s.", name=stakeholder.name)) as work:
        claim_submission(form)
        packet = packets.deliver_packet(campaign, stakeholder, _story_ids(), current_user, note=form.note.data)
        shown = submission_led_to(form, url_for("stakeholders.packet", packet_id=packet.id))
    if not work.ok:
        return redirect(url_for("stakeholders.choose_packet", campaign_id=campaign.id))
    return redirect(shown)


@bp.route("/packets/<int:packet_id>")
@member_required
def packet(packet_id):
    """A delivered packet as it may be shown today (a story withdrawn since shows no text)."""
    packet = get_scoped_or_404(Packet, packet_id)
    require("stakeholder.view", packet)
    return render_template(
        "stakeholders/packet.html", packet=packet, entries=packets.packet_entries(packet, current_user)
    )
