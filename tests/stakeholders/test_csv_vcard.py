"""CSV import (preview, all-or-nothing) and CSV / vCard export."""

import csv
import io
import time

import pytest

from coalition.core.audit import AuditEntry
from coalition.extensions import db
from coalition.stakeholders.csvio import parse_stakeholder_csv, vcard_escape, vcards
from coalition.stakeholders.models import Stakeholder, StakeholderImport


@pytest.fixture
def organizer(client, login, team):
    login(client, team["organizer"])
    return dict(team, base=f"/c/{team['coalition'].slug}/stakeholders")


def _upload(client, base, content: bytes, filename="people.csv"):
    return client.post(
        base + "/import", data={"file": (io.BytesIO(content), filename)}, content_type="multipart/form-data"
    )


def _count():
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count(Stakeholder.id)))


def test_a_bad_row_writes_nothing_and_names_the_row_and_the_problem(client, organizer):
    content = (
        b"Full name,E-mail,Organisation,Type\n"
        b"Ana Reyes,ana@city.example,City Council,Elected official\n"
        b"Bo Li,not-an-email,Housing Authority,agency staff\n"
        b",cy@example.org,Nowhere,ally\n"
        b"Di Ray,di@example.org,Paper,astronaut\n"
    )
    response = _upload(client, organizer["base"], content)
    assert response.status_code == 302
    preview = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Row 3: “not-an-email” is not an email address." in preview
    assert "Row 4: the name is missing." in preview
    assert "Row 5: unknown category “astronaut”." in preview
    assert "Import them all" not in preview
    staged = db.session.scalar(db.select(StakeholderImport))
    confirm = client.post(f"{organizer['base']}/import/{staged.id}/confirm")
    assert confirm.status_code == 302
    assert _count() == 0


def test_good_file_with_bom_and_common_headers_imports_after_preview(client, organizer):
    content = (
        "\ufeffName,Email address,Agency,Category,District,Telephone,Tags\n"
        "Ana Reyes,ANA@city.example,City Council,elected official,Ward 4,555-0100,housing; Council\n"
    ).encode()
    response = _upload(client, organizer["base"], content)
    preview = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 new stakeholder will be created." in preview
    assert _count() == 0
    staged = db.session.scalar(db.select(StakeholderImport))
    assert client.post(f"{organizer['base']}/import/{staged.id}/confirm").status_code == 302
    ana = db.session.scalar(db.select(Stakeholder))
    assert (ana.name, ana.email, ana.organization, ana.category, ana.jurisdiction, ana.phone, ana.tags) == (
        "Ana Reyes",
        "ana@city.example",
        "City Council",
        "elected_official",
        "Ward 4",
        "555-0100",
        ["council", "housing"],
    )
    assert db.session.scalar(db.select(StakeholderImport)) is None
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "stakeholder.import")).detail["rows"] == 1


def test_a_file_that_is_not_utf8_is_refused_with_a_message(client, organizer):
    response = _upload(client, organizer["base"], "Name\nJosé\n".encode("latin-1"))
    assert response.status_code == 200
    assert "not UTF-8" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(StakeholderImport)) is None


def test_a_file_without_a_name_column_names_row_1(client):
    parsed = parse_stakeholder_csv("Email\na@b.org\n")
    assert parsed.errors[0][0] == 1 and not parsed.ok


def test_another_persons_staged_import_answers_404(client, organizer, login, app):
    response = _upload(client, organizer["base"], b"Name\nAna\n")
    location = response.headers["Location"]
    other = app.test_client()
    login(other, organizer["lead"])
    assert other.get(location).status_code == 404
    assert other.post(location + "/confirm").status_code == 404


def test_5000_rows_import_in_one_go(client, organizer):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Name", "Email", "Organization", "Category", "Tags"])
    for i in range(5000):
        writer.writerow([f"Person {i}", f"person{i}@example.org", f"Org {i % 50}", "ally", "bulk;test"])
    started = time.monotonic()
    response = _upload(client, organizer["base"], buffer.getvalue().encode())
    client.get(response.headers["Location"])
    staged = db.session.scalar(db.select(StakeholderImport))
    confirm = client.post(f"{organizer['base']}/import/{staged.id}/confirm")
    assert confirm.status_code == 302
    assert _count() == 5000
    assert time.monotonic() - started < 30
    page = client.get(organizer["base"] + "/?tag=bulk").get_data(as_text=True)
    assert "5000 in all" in page


def test_csv_export_is_formula_safe_and_audited(client, organizer, make_stakeholder):
    make_stakeholder(organizer["coalition"], name='=HYPERLINK("http://evil")', organization="+Org", notes="@cmd")
    response = client.get(organizer["base"] + "/export.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][0] == "Name"
    assert rows[1][0].startswith("'=") and rows[1][2] == "'+Org" and rows[1][-1] == "'@cmd"
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "stakeholder.export"))
    assert entry.detail == {"format": "csv", "rows": 1}


def test_csv_export_follows_the_filters_and_reimports(client, organizer, make_stakeholder):
    make_stakeholder(organizer["coalition"], name="Ana Reyes", category="media", tags=["press"])
    make_stakeholder(organizer["coalition"], name="Bo Li", category="funder")
    text = client.get(organizer["base"] + "/export.csv?category=media").get_data(as_text=True)
    assert "Ana Reyes" in text and "Bo Li" not in text
    parsed = parse_stakeholder_csv(text.lstrip("\ufeff"))
    assert parsed.ok and parsed.rows[0]["category"] == "media" and parsed.rows[0]["tags"] == ["press"]


def test_vcard_text_values_are_escaped():
    assert vcard_escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_vcard_export_of_one_stakeholder(client, organizer, make_stakeholder, version):
    s = make_stakeholder(
        organizer["coalition"],
        name="Ana Reyes",
        organization="Council; Ward 4, North",
        email="ana@city.example",
        address="1 Main St\nRiverside",
        notes="Likes data",
        tags=["housing", "a,b"],
        title="Council member",
    )
    response = client.get(f"{organizer['base']}/{s.id}/vcard.vcf?version={version}")
    assert response.mimetype == "text/vcard"
    text = response.get_data(as_text=True)
    lines = text.split("\r\n")
    assert lines[:3] == ["BEGIN:VCARD", f"VERSION:{version}", "FN:Ana Reyes"]
    assert "N:Reyes;Ana;;;" in lines
    assert "ORG:Council\\; Ward 4\\, North" in lines
    assert "ADR;TYPE=work:;;1 Main St\\nRiverside;;;;" in lines
    assert "CATEGORIES:housing,a\\,b" in lines
    assert text.endswith("END:VCARD\r\n")


def test_long_vcard_lines_are_folded_at_75_octets():
    s = Stakeholder(
        name="Ana Reyes",
        notes="é" * 100,
        tags=[],
        organization="",
        title="",
        email="",
        phone="",
        address="",
        website="",
        jurisdiction="",
    )
    for line in vcards([s]).split("\r\n"):
        assert len(line.encode()) <= 75


def test_vcard_export_of_the_filtered_list(client, organizer, make_stakeholder):
    make_stakeholder(organizer["coalition"], name="Ana Reyes", tags=["press"])
    make_stakeholder(organizer["coalition"], name="Bo Li")
    text = client.get(organizer["base"] + "/export.vcf?tag=press").get_data(as_text=True)
    assert text.count("BEGIN:VCARD") == 1 and "Ana Reyes" in text


def test_the_lists_download_links_follow_its_filters_whatever_else_the_address_holds(
    client, organizer, make_stakeholder
):
    make_stakeholder(organizer["coalition"], name="Ana Reyes", tags=["press"])
    response = client.get(organizer["base"] + "/?tag=press&version=4.0&endpoint=x")

    assert response.status_code == 200  # "version" and "endpoint" were given to url_for twice: a 500
    page = response.get_data(as_text=True).replace("&amp;", "&")
    assert 'href="' + organizer["base"] + '/export.csv?tag=press">CSV</a>' in page
    assert 'href="' + organizer["base"] + '/export.vcf?tag=press">vCard 3.0</a>' in page
    assert 'href="' + organizer["base"] + '/export.vcf?version=4.0&tag=press">vCard 4.0</a>' in page
