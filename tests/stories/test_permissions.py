"""The permission grid of the stories pages: role × action, on a story kept to members.

Stories are approved, except for "review" (a submitted story, which members may not see at all: 404).
"""

import pytest

ROLES = ("visitor", "storyteller", "member", "organizer", "lead", "outsider")

#: action -> (method, path, {role: expected status})
GRID = {
    "list": ("get", "/", {"storyteller": 200, "member": 200, "organizer": 200, "lead": 200}),
    "view": ("get", "/{id}", {"storyteller": 200, "member": 200, "organizer": 200, "lead": 200}),
    "new": ("get", "/new", {"storyteller": 200, "member": 200, "organizer": 200, "lead": 200}),
    "edit": ("get", "/{id}/edit", {"storyteller": 200, "member": 403, "organizer": 403, "lead": 403}),
    "consent": ("get", "/{id}/consent", {"storyteller": 200, "member": 403, "organizer": 403, "lead": 403}),
    "withdraw": ("post", "/{id}/withdraw", {"storyteller": 302, "member": 403, "organizer": 403, "lead": 403}),
    "delete": ("post", "/{id}/delete", {"storyteller": 302, "member": 403, "organizer": 403, "lead": 403}),
    "review": ("post", "/{id}/review", {"storyteller": 403, "member": 404, "organizer": 302, "lead": 302}),
    "excerpt": ("get", "/{id}/excerpt", {"storyteller": 403, "member": 403, "organizer": 200, "lead": 200}),
    "record": ("get", "/record", {"storyteller": 403, "member": 403, "organizer": 200, "lead": 200}),
    "export": ("get", "/export.csv", {"storyteller": 403, "member": 403, "organizer": 200, "lead": 200}),
}


@pytest.mark.parametrize("action", GRID)
@pytest.mark.parametrize("role", ROLES)
def test_stories_permission_grid(role, action, client_for, coalition, people, make_story):
    status = "submitted" if action == "review" else "approved"
    story = make_story(coalition, people["storyteller"], status=status, visibility="members")
    method, path, expected = GRID[action]
    client = client_for(None if role == "visitor" else people[role])
    response = getattr(client, method)(
        f"/c/{coalition.slug}/stories" + path.format(id=story.id), data={"decision": "approve"}
    )
    if role == "visitor":
        # Visitors are sent to log in (a members-visible story is not public: its page is not found).
        assert response.status_code in (302, 404)
        assert response.status_code == 404 or "/account/login" in response.location
    elif role == "outsider":
        assert response.status_code == 404
    else:
        assert response.status_code == expected[role]
