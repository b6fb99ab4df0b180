"""Exporting stakeholders and importing the file again changes nothing; edited rows update their stakeholder
(issue 12, item 2)."""

import csv
import io

import pytest
from flask_babel import force_locale

from coalition.core.csvexport import csv_text, safe_cell, unguard_cell
from coalition.extensions import db
from coalition.stakeholders import csvio, imports
from coalition.stakeholders.models import Stakeholder, StakeholderImport, StakeholderTag
from tests.conftest import run_in_threads


@pytest.fixture
def organizer(client, login, team):
    login(client, team["organizer"])
    return dict(team, base=f"/c/{team['coalition'].slug}/stakeholders")


@pytest.fixture
def three(organizer, make_stakeholder):
    """Three stakeholders, one whose phone and notes look like formulas to a spreadsheet."""
    coalition = organizer["coalition"]
    return [
        make_stakeholder(
            coalition,
            name="Ana Reyes",
            organization="City Council",
            category="elected_official",
            email="ana@city.example",
            phone="+1 555 0107",
            notes="-not a formula\r\nsecond line",
            tags=["council", "housing"],
        ),
        make_stakeholder(coalition, name="Bo Li", organization="Housing Authority", category="agency_staff"),
        make_stakeholder(coalition, name="'Tis Gallery", organization="", website="https://gallery.example"),
    ]


def _upload(client, base, text: str):
    response = client.post(
        base + "/import",
        data={"file": (io.BytesIO(text.encode()), "stakeholders.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def _confirm(client, preview_url, **choices):
    return client.post(f"{preview_url}/confirm", data=choices, follow_redirects=True)


def _snapshot():
    db.session.expire_all()
    rows = db.session.scalars(db.select(Stakeholder).order_by(Stakeholder.id)).all()
    columns = [c.key for c in Stakeholder.__table__.columns]
    return [{c: getattr(s, c) for c in columns} for s in rows]


def _rows(text):
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def _csv(rows) -> str:
    """The rows saved again as they were read, the way a spreadsheet saves the file."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


def test_reimporting_an_unchanged_export_changes_nothing(client, organizer, three):
    before = _snapshot()
    exported = client.get(organizer["base"] + "/export.csv").get_data(as_text=True)
    assert "'+1 555 0107" in exported  # the export guards formula-looking cells

    preview_url = _upload(client, organizer["base"], exported)
    preview = client.get(preview_url).get_data(as_text=True)
    assert "3 rows match stakeholders already here and are unchanged." in preview
    assert "0 new stakeholders will be created." in preview
    page = _confirm(client, preview_url).get_data(as_text=True)

    assert "0 created, 0 updated, 3 skipped or unchanged" in page
    assert _snapshot() == before
    assert db.session.scalar(db.select(db.func.count(StakeholderTag.stakeholder_id))) == 2


def test_import_strips_the_exports_formula_guard(organizer, three, client):
    exported = client.get(organizer["base"] + "/export.csv").get_data(as_text=True)
    parsed = csvio.parse_stakeholder_csv(exported.lstrip("\ufeff"))
    by_name = {row["name"]: row for row in parsed.rows}
    ana, gallery = by_name["Ana Reyes"], by_name["'Tis Gallery"]
    assert ana["phone"] == "+1 555 0107"
    assert ana["notes"].startswith("-not a formula")
    assert gallery["website"] == "https://gallery.example"


@pytest.mark.parametrize(
    "value", ["+1 555 0107", "=SUM(A1)", "-5", "@home", "'quoted", "''twice", "'", "plain", "", "|pipe", "%x"]
)
def test_safe_cell_and_unguard_cell_give_every_value_back(value):
    assert unguard_cell(safe_cell(value)) == value


def test_an_edited_row_updates_its_stakeholder_and_a_new_row_is_created(client, organizer, three):
    exported = client.get(organizer["base"] + "/export.csv").get_data(as_text=True)
    rows = _rows(exported)
    ana = next(row for row in rows if row[0] == "Ana Reyes")
    ana[6] = "+1 555 0199"
    rows.append(["Cy Dee", "", "Tenants United", "Ally", "", "cy@example.org", "", "", "", "", ""])
    preview_url = _upload(client, organizer["base"], _csv(rows))
    preview = client.get(preview_url).get_data(as_text=True)
    assert "1 new stakeholder will be created." in preview
    assert "1 row matches a stakeholder already here and has changes." in preview
    assert "Phone: “+1 555 0107” → “+1 555 0199”" in preview

    page = _confirm(client, preview_url).get_data(as_text=True)

    assert "1 created, 1 updated, 2 skipped or unchanged" in page
    db.session.expire_all()
    assert db.session.get(Stakeholder, three[0].id).phone == "+1 555 0199"
    assert db.session.scalar(db.select(db.func.count(Stakeholder.id))) == 4


def test_a_changed_row_can_be_skipped_or_created_apart(client, organizer, three):
    text = "Name,Organization,Phone\nBo Li,HOUSING AUTHORITY,555 0001\nana reyes,city council,555 0002\n"
    preview_url = _upload(client, organizer["base"], text)
    assert "2 rows match stakeholders already here and have changes." in client.get(preview_url).get_data(as_text=True)

    _confirm(client, preview_url, **{"row-2": "skip", "row-3": "create"})

    db.session.expire_all()
    assert db.session.get(Stakeholder, three[1].id).phone == ""
    assert db.session.get(Stakeholder, three[0].id).phone == "+1 555 0107"
    created = db.session.scalar(db.select(Stakeholder).where(Stakeholder.phone == "555 0002"))
    assert created is not None and created.id not in {s.id for s in three}


def test_rows_match_by_email_case_insensitively_before_name(client, organizer, three):
    text = "Name,Email,Title\nAna R.,ANA@City.Example,Council member\n"
    preview_url = _upload(client, organizer["base"], text)
    _confirm(client, preview_url)
    db.session.expire_all()
    ana = db.session.get(Stakeholder, three[0].id)
    assert (ana.name, ana.title, ana.phone) == ("Ana R.", "Council member", "+1 555 0107")
    assert db.session.scalar(db.select(db.func.count(Stakeholder.id))) == 3


def test_columns_missing_from_the_file_are_left_alone(client, organizer, three):
    preview_url = _upload(client, organizer["base"], "Name,Organization\nAna Reyes,City Council\n")
    assert "1 row matches a stakeholder already here and is unchanged." in client.get(preview_url).get_data(
        as_text=True
    )
    _confirm(client, preview_url, **{"row-2": "update"})
    db.session.expire_all()
    ana = db.session.get(Stakeholder, three[0].id)
    assert (ana.email, ana.phone, ana.tags, ana.category) == (
        "ana@city.example",
        "+1 555 0107",
        ["council", "housing"],
        "elected_official",
    )


def test_two_rows_for_the_same_stakeholder_are_a_problem_and_nothing_is_written(client, organizer, three):
    text = "Name,Organization,Phone\nBo Li,Housing Authority,1\nCy Dee,,2\nbo li,housing authority,3\n"
    preview_url = _upload(client, organizer["base"], text)
    assert "Row 4: this is the same stakeholder as row 2." in client.get(preview_url).get_data(as_text=True)
    _confirm(client, preview_url)
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(Stakeholder.id))) == 3
    assert db.session.get(Stakeholder, three[1].id).phone == ""


def test_an_export_in_spanish_reimports_with_its_categories(app, organizer, three):
    with force_locale("es"):
        text = csv_text(csvio.EXPORT_HEADER, csvio.export_rows(three))
    assert "Funcionario/a electo/a" in text
    parsed = csvio.parse_stakeholder_csv(text.lstrip("\ufeff"))
    assert parsed.ok, parsed.errors
    plan = imports.plan_import(organizer["coalition"].id, parsed)
    assert [p.status for p in plan.rows] == ["unchanged"] * 3


def test_confirming_the_same_file_twice_at_once_imports_it_once(app, client, organizer, three):
    _upload(client, organizer["base"], "Name\nDi Ray\n")
    staged_id, user_id = db.session.scalar(db.select(StakeholderImport.id)), organizer["organizer"].id

    def confirm(index):
        from coalition.accounts.models import User

        with app.app_context():
            try:
                staged = db.session.get(StakeholderImport, staged_id)
                if staged is None:
                    return "gone"
                imports.confirm_import(staged, db.session.get(User, user_id))
                db.session.commit()
                return "imported"
            except imports.StakeholderError:
                db.session.rollback()
                return "refused"
            finally:
                db.session.remove()

    results = run_in_threads(confirm, 2)

    assert sorted(results) in (["imported", "refused"], ["gone", "imported"])
    assert db.session.scalar(db.select(db.func.count(Stakeholder.id))) == 4
