"""Object-level permission rules of campaigns (on top of the role map in core/permissions.py)."""

from coalition.core.permissions import object_rule


@object_rule("campaign.follow")
def follow_only_open_campaigns(user, membership, obj) -> bool:
    """Nobody starts following an archived campaign: it sends no more updates."""
    return not getattr(obj, "is_archived", False)


@object_rule("campaign.post_update")
def no_updates_on_archived_campaigns(user, membership, obj) -> bool:
    """An archived campaign's timeline is closed; un-archive it (edit its status) to post again."""
    return not getattr(obj, "is_archived", False)
