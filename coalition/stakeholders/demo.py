"""Demo stakeholders: a dozen people in power around "Safe Homes Now", their stance history and our outreach."""

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from coalition.campaigns.models import Campaign
from coalition.core.models import utcnow
from coalition.extensions import db
from coalition.stakeholders import services
from coalition.stakeholders.followups import coalition_today
from coalition.stakeholders.models import StanceChange
from coalition.stakeholders.outreach import log_outreach
from coalition.stakeholders.packets import deliver_packet, packet_candidates

#: name, title, organization, category, jurisdiction, email, tags
PEOPLE = [
    (
        "Ana Reyes",
        "Council member",
        "Riverside City Council",
        "elected_official",
        "Ward 4",
        "areyes@city.example",
        "council; housing",
    ),
    (
        "Marcus Bell",
        "Council president",
        "Riverside City Council",
        "elected_official",
        "At large",
        "mbell@city.example",
        "council",
    ),
    (
        "Helen Park",
        "State representative",
        "State House",
        "elected_official",
        "District 12",
        "hpark@state.example",
        "state",
    ),
    (
        "Luis Ortega",
        "Code enforcement director",
        "Department of Buildings",
        "agency_staff",
        "Riverside",
        "lortega@city.example",
        "inspections",
    ),
    (
        "Priya Nair",
        "Housing program manager",
        "Housing Authority",
        "agency_staff",
        "County",
        "pnair@housing.example",
        "housing",
    ),
    ("Gordon Blake", "Owner", "Blake Property Group", "landlord", "Riverside", "gblake@blakeprop.example", "landlord"),
    (
        "Sandra Voss",
        "Regional manager",
        "Summit Residential",
        "landlord",
        "East Riverside",
        "svoss@summit.example",
        "landlord",
    ),
    (
        "Dr. Amina Yusuf",
        "Medical director",
        "Eastside Community Clinic",
        "healthcare_provider",
        "Eastside",
        "ayusuf@clinic.example",
        "health; asthma",
    ),
    ("Rev. Thomas Green", "Pastor", "Grace Fellowship", "community_leader", "Northside", "", "faith"),
    ("Kelly Tran", "Housing reporter", "Riverside Herald", "media", "", "ktran@herald.example", "press"),
    (
        "Joan Whitfield",
        "Program officer",
        "Riverside Community Foundation",
        "funder",
        "",
        "jwhitfield@rcf.example",
        "grants",
    ),
    ("Dev Malhotra", "Organizer", "Legal Aid Riverside", "ally", "Riverside", "dev@legalaid.example", "legal"),
]
#: name -> (stance 45 days ago, stance now or None, influence, priority, days ago it moved)
TARGETS = {
    "Ana Reyes": ("neutral", "supportive", 5, "high", 12),
    "Marcus Bell": ("opposed", "neutral", 5, "high", 20),
    "Helen Park": ("supportive", None, 4, "medium", 0),
    "Luis Ortega": ("opposed", None, 4, "high", 0),
    "Priya Nair": ("supportive", "champion", 3, "medium", 8),
    "Gordon Blake": ("hostile", None, 3, "low", 0),
    "Sandra Voss": ("opposed", "hostile", 2, "medium", 25),
    "Dr. Amina Yusuf": ("champion", None, 3, "medium", 0),
    "Rev. Thomas Green": ("supportive", None, 2, "low", 0),
    "Kelly Tran": ("unknown", "neutral", 4, "medium", 5),
    "Joan Whitfield": ("unknown", None, 2, "low", 0),
    "Dev Malhotra": ("champion", None, 1, "low", 0),
}


def _add_targets(coalition, campaign, stakeholders, organizer, lead):
    long_ago = utcnow() - timedelta(days=45)
    targets = {}
    for index, (name, (then, now, influence, priority, moved_days)) in enumerate(TARGETS.items()):
        target = services.add_target(
            stakeholders[name],
            organizer,
            campaign_id=campaign.id,
            stance=then,
            influence=influence,
            priority=priority,
            ask="Support the Safe Homes ordinance: proactive inspections and a repair fund.",
            owner=organizer if index % 2 == 0 else lead,
        )
        db.session.execute(
            StanceChange.__table__.update().where(StanceChange.target_id == target.id).values(created_at=long_ago)
        )
        if now:
            change = services.change_stance(target, now, organizer)
            change.created_at = utcnow() - timedelta(days=moved_days)
        targets[name] = target
    return targets


def _at(coalition, days_ago: int, hour: int = 10) -> datetime:
    day = coalition_today(coalition) - timedelta(days=days_ago)
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _add_outreach(coalition, campaign, stakeholders, people):
    organizer, lead, member = people["organizer"], people["lead"], people["member"]
    today = coalition_today(coalition)
    log = [
        (
            "Ana Reyes",
            12,
            "meeting",
            "Met with three tenants from Maple Court in her office.",
            "She will co-sponsor.",
            "responded",
            None,
            None,
            [organizer.id, member.id],
        ),
        (
            "Marcus Bell",
            20,
            "hearing_testimony",
            "Testified at the housing committee hearing.",
            "He asked for cost data.",
            "awaiting",
            today - timedelta(days=3),
            organizer,
            [organizer.id, lead.id],
        ),
        (
            "Luis Ortega",
            9,
            "email",
            "Sent the list of 40 open code complaints.",
            "",
            "awaiting",
            today + timedelta(days=2),
            organizer,
            [organizer.id],
        ),
        (
            "Gordon Blake",
            30,
            "letter",
            "Letter from the tenants of 14 Elm St. about heating.",
            "",
            "awaiting",
            None,
            None,
            [lead.id],
        ),
        (
            "Kelly Tran",
            5,
            "call",
            "Pitched a story on winter heating failures.",
            "Interested; wants tenant voices.",
            "responded",
            today + timedelta(days=5),
            lead,
            [lead.id],
        ),
        (
            "Priya Nair",
            8,
            "meeting",
            "Walked through the repair-fund proposal.",
            "She will champion it internally.",
            "responded",
            today - timedelta(days=1),
            lead,
            [lead.id, organizer.id],
        ),
        (
            "Joan Whitfield",
            3,
            "email",
            "Asked about bridge funding for tenant organizing.",
            "",
            "awaiting",
            today + timedelta(days=6),
            organizer,
            [organizer.id],
        ),
    ]
    for name, days_ago, channel, summary, outcome, response, follow_up_on, owner, participants in log:
        log_outreach(
            stakeholders[name],
            organizer,
            campaign_id=campaign.id,
            occurred_at=_at(coalition, days_ago),
            channel=channel,
            summary=summary,
            outcome=outcome,
            response=response,
            follow_up_on=follow_up_on,
            follow_up_owner=owner,
            participant_ids=participants,
        )


def _add_packet(coalition, campaign, stakeholder, organizer):
    stories = packet_candidates(coalition, campaign, limit=3)
    if stories:
        deliver_packet(campaign, stakeholder, [s.id for s in stories], organizer, note="Handed over after the hearing.")


def seed_stakeholders(coalition, people):
    """A dozen stakeholders; on "safe-homes-now", targets across the map with history, outreach and follow-ups."""
    organizer, lead = people["organizer"], people["lead"]
    stakeholders = {}
    for name, title, organization, category, jurisdiction, email, tags in PEOPLE:
        stakeholders[name] = services.save_stakeholder(
            coalition,
            organizer,
            allow_duplicate=True,
            name=name,
            title=title,
            organization=organization,
            category=category,
            jurisdiction=jurisdiction,
            email=email,
            tags=tags,
            phone="",
            address="",
            website="",
            notes="",
        )
    campaign = db.session.scalar(
        select(Campaign).where(Campaign.coalition_id == coalition.id, Campaign.slug == "safe-homes-now")
    )
    if campaign is None:
        return
    _add_targets(coalition, campaign, stakeholders, organizer, lead)
    _add_outreach(coalition, campaign, stakeholders, people)
    _add_packet(coalition, campaign, stakeholders["Ana Reyes"], organizer)
    db.session.flush()
