"""Demo data registry: each domain registers a seeder that `flask seed-demo` (coalition/demo.py) runs once.

A seeder is `func(coalition, people)` where `people` maps "lead", "organizer", "member" (and more) to Users.
Seeders run once, in order, inside one transaction, when the demo coalition is first created.
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

#: name -> (order, seeder); keyed so that registering twice changes nothing.
SEEDERS: dict[str, tuple[int, Callable]] = {}


def register_demo_seeder(name: str, order: int, seeder: Callable) -> None:
    """Register a domain's demo seeder, run in `order`."""
    SEEDERS[name] = (order, seeder)


def ordered_seeders() -> list[Callable]:
    """The registered seeders in the order they run."""
    return [seeder for _order, seeder in sorted(SEEDERS.values(), key=lambda item: item[0])]
