"""People import: preview with row-numbered problems and duplicates, confirm into invitations, re-import is a no-op."""

from sqlalchemy import func, select

from coalition.accounts.models import User
from coalition.api import people_import
from coalition.coalitions.models import Invitation
from coalition.coalitions.tagging import create_tag
from coalition.extensions import db

ACTION_NETWORK_EXPORT = (
    "first_name,last_name,email,zip_code,can2_user_tags\n"
    "Rosa,Parks,ROSA@example.org,60601,building-a\n"
    "Tom,,{member},60602,\n"
    "No,Email,,60603,\n"
    "Rosa,Again,rosa@EXAMPLE.org,60601,\n"
    "Bad,Tag,bad@example.org,60604,unknown-tag\n"
)


def _csv(team):
    return ACTION_NETWORK_EXPORT.format(member=team["member"].email.upper())


def test_preview_numbers_problems_and_duplicates_and_writes_nothing(team):
    create_tag(team["coalition"], "building-a")
    db.session.commit()
    result = people_import.preview(team["coalition"], _csv(team))
    states = {row.number: (row.problem, row.duplicate) for row in result.rows}
    assert [r.email for r in result.to_invite] == ["rosa@example.org"]
    assert states[3][1] and states[5][1]  # a member; a repeat of row 2
    assert states[4][0] and "unknown-tag" in states[6][0]
    assert db.session.scalar(select(func.count(Invitation.id))) == 0


def test_confirm_invites_then_reimporting_changes_nothing(client, login, team, outbox):
    create_tag(team["coalition"], "building-a")
    db.session.commit()
    login(client, team["lead"])
    url = f"/c/{team['coalition'].slug}/settings/people-import/confirm"
    client.post(url, data={"content": _csv(team)})
    client.post(url, data={"content": _csv(team)})
    invitations = db.session.scalars(select(Invitation)).all()
    assert [(i.email, i.tags) for i in invitations] == [("rosa@example.org", ["building-a"])]
    assert len(outbox(kind="invitation")) == 1
    assert db.session.scalar(select(User).where(User.email == "rosa@example.org")) is None


def test_upload_shows_the_preview(client, login, team):
    import io

    login(client, team["lead"])
    response = client.post(
        f"/c/{team['coalition'].slug}/settings/people-import",
        data={"file": (io.BytesIO(_csv(team).encode()), "export.csv")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "rosa@example.org" in page and "bad@example.org" in page


def test_a_file_without_an_email_column_is_refused(team):
    assert people_import.preview(team["coalition"], "name,phone\nA,1\n").error
