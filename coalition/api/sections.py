"""Links to the leads' API pages (keys, webhooks, people import) on the coalition's settings and people pages,
added as page sections so that the coalitions domain does not know about the API."""

from coalition.core.permissions import can


def settings_links(coalition, user) -> dict | None:
    """The three settings pages of the API, for those who manage the coalition."""
    if not can("coalition.manage", coalition, user):
        return None
    return {"import": can("member.manage", coalition, user)}


def people_links(coalition, user) -> dict | None:
    """The people import, next to "Invite someone", for those who manage members."""
    return {} if can("member.manage", coalition, user) else None
