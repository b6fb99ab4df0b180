"""The benchmark coalition, its partner organizations and its memberships (context: `coalition.core.bulk`)."""

from coalition.coalitions.models import Coalition, Membership, MembershipStatus, PartnerOrganization
from coalition.core.bulk import insert_rows
from coalition.core.permissions import Role
from coalition.extensions import db

LEADS, ORGANIZERS = 3, 20


def bench_rows(ctx, name: str, slug: str) -> None:
    """Create the coalition and make every account of `ctx["users"]` a member.

    The first three accounts are a lead, an organizer and a member (the ones the benchmark logs in as); then
    come the other leads and organizers, then members, about 2% of them pending.
    """
    rng = ctx["rng"]
    coalition = Coalition(
        name=name,
        slug=slug,
        timezone="America/Chicago",
        description="A large generated coalition for performance tests.",
    )
    db.session.add(coalition)
    db.session.flush()
    partner_ids = insert_rows(
        PartnerOrganization,
        [{"coalition_id": coalition.id, "name": f"Bench Partner {i}", "website": None} for i in range(1, 6)],
        returning=True,
    )
    user_ids = ctx["users"]
    roles = [Role.LEAD, Role.ORGANIZER, Role.MEMBER] + [Role.LEAD] * (LEADS - 1) + [Role.ORGANIZER] * (ORGANIZERS - 1)
    roles += [Role.MEMBER] * (len(user_ids) - len(roles))
    memberships = []
    for index, (user_id, role) in enumerate(zip(user_ids, roles, strict=True)):
        pending = role == Role.MEMBER and index > 3 and rng.random() < 0.02
        memberships.append(
            {
                "user_id": user_id,
                "coalition_id": coalition.id,
                "role": role,
                "status": MembershipStatus.PENDING if pending else MembershipStatus.ACTIVE,
                "partner_id": rng.choice(partner_ids + [None, None]),
            }
        )
    insert_rows(Membership, memberships)
    team = [u for u, r in zip(user_ids, roles, strict=True) if r != Role.MEMBER]
    ctx.update(coalition_id=coalition.id, team=team, members=user_ids[2:])
    ctx["counts"]["members"] = len(user_ids)
