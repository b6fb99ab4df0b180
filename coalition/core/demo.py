"""Demo data: `flask seed-demo` creates a demo coalition once; each domain adds its part through a seeder.

A seeder is `func(coalition, people)` where `people` maps "lead", "organizer", "member" (and more) to Users.
Seeders run once, inside one transaction, when the demo coalition is first created.
"""

from collections.abc import Callable

DEMO_SLUG = "riverside-tenants"
DEMO_PASSWORD = "coalition-demo-2026"  # noqa: S105 - documented demo password
DEMO_ACCOUNTS = {
    "lead": ("lead@demo.example.org", "Lena Ortiz"),
    "organizer": ("organizer@demo.example.org", "Omar Haddad"),
    "member": ("member@demo.example.org", "Maria Santos"),
}
#: Extra members, so lists and reports have some people in them (they share the demo password).
EXTRA_MEMBERS = [
    ("jamal@demo.example.org", "Jamal Carter"),
    ("mei@demo.example.org", "Mei Chen"),
    ("rosa@demo.example.org", "Rosa Delgado"),
    ("tom@demo.example.org", "Tom Becker"),
]

SEEDERS: list[tuple[int, Callable]] = []


def demo_seeder(order: int):
    """Register a domain's demo seeder, run in `order`."""

    def decorator(func):
        SEEDERS.append((order, func))
        SEEDERS.sort(key=lambda item: item[0])
        return func

    return decorator


def seed_demo() -> bool:
    """Create the demo coalition, its partners and accounts, then each domain's data. False if it exists."""
    from sqlalchemy import select

    from coalition.accounts.services import create_user, find_user_by_email
    from coalition.coalitions import services as coalitions
    from coalition.coalitions.models import Coalition
    from coalition.core.permissions import Role
    from coalition.extensions import db

    if db.session.scalar(select(Coalition.id).where(Coalition.slug == DEMO_SLUG)) is not None:
        return False
    coalition = coalitions.create_coalition(
        "Riverside Tenants Coalition",
        slug=DEMO_SLUG,
        timezone="America/Chicago",
        description="Tenants, clinics and faith groups of the Riverside district organizing for safe homes.",
    )
    coalition.allow_join_requests = True
    union = coalitions.save_partner(
        coalition,
        None,
        name="Riverside Tenant Union",
        website="https://tenants.example.org",
        contact_name="Ana Ruiz",
        contact_email="ana@tenants.example.org",
    )
    coalitions.save_partner(
        coalition,
        None,
        name="Eastside Community Clinic",
        website="https://clinic.example.org",
        contact_name="Dr. Kim",
        contact_email="kim@clinic.example.org",
    )
    coalitions.save_partner(
        coalition, None, name="St. Brigid Parish", website=None, contact_name="Father Luis", contact_email=None
    )
    people = {}
    for role_name, (email, name) in DEMO_ACCOUNTS.items():
        user = find_user_by_email(email) or create_user(email, DEMO_PASSWORD, name, verified=True)
        coalitions.add_member(coalition, user, Role(role_name), partner_id=union.id if role_name != "lead" else None)
        people[role_name] = user
    for index, (email, name) in enumerate(EXTRA_MEMBERS):
        user = find_user_by_email(email) or create_user(email, DEMO_PASSWORD, name, verified=True)
        coalitions.add_member(coalition, user, Role.MEMBER)
        people[f"extra{index}"] = user
    for _order, seeder in SEEDERS:
        seeder(coalition, people)
    db.session.flush()
    return True
