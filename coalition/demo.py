"""`flask seed-demo`: the demo coalition, its partners and accounts, then each domain's registered seeder."""

from sqlalchemy import select

from coalition.accounts.services import create_user, find_user_by_email
from coalition.coalitions import services as coalitions
from coalition.coalitions.models import Coalition
from coalition.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_SLUG, EXTRA_MEMBERS, ordered_seeders
from coalition.core.permissions import Role
from coalition.extensions import db

PARTNERS = (
    ("Riverside Tenant Union", "https://tenants.example.org", "Ana Ruiz", "ana@tenants.example.org"),
    ("Eastside Community Clinic", "https://clinic.example.org", "Dr. Kim", "kim@clinic.example.org"),
    ("St. Brigid Parish", None, "Father Luis", None),
)


def seed_demo() -> bool:
    """Create the demo coalition, its partners and accounts, then each domain's data. False if it exists."""
    if db.session.scalar(select(Coalition.id).where(Coalition.slug == DEMO_SLUG)) is not None:
        return False
    coalition = coalitions.create_coalition(
        "Riverside Tenants Coalition",
        slug=DEMO_SLUG,
        timezone="America/Chicago",
        description="Tenants, clinics and faith groups of the Riverside district organizing for safe homes.",
    )
    coalition.allow_join_requests = True
    partners = [
        coalitions.save_partner(
            coalition, None, name=name, website=website, contact_name=contact, contact_email=contact_email
        )
        for name, website, contact, contact_email in PARTNERS
    ]
    union = partners[0]
    people = {}
    for role_name, (email, name) in DEMO_ACCOUNTS.items():
        user = find_user_by_email(email) or create_user(email, DEMO_PASSWORD, name, verified=True)
        coalitions.add_member(coalition, user, Role(role_name), partner_id=union.id if role_name != "lead" else None)
        people[role_name] = user
    for index, (email, name) in enumerate(EXTRA_MEMBERS):
        user = find_user_by_email(email) or create_user(email, DEMO_PASSWORD, name, verified=True)
        coalitions.add_member(coalition, user, Role.MEMBER)
        people[f"extra{index}"] = user
    for seeder in ordered_seeders():
        seeder(coalition, people)
    db.session.flush()
    return True
