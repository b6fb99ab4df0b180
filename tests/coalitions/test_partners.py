"""Partner organizations: leads add, edit and delete them; names are unique within a coalition."""

from sqlalchemy import select

from coalition.coalitions.models import Membership, PartnerOrganization
from coalition.coalitions.services import save_partner

PARTNER = {
    "name": "Eastside Clinic",
    "website": "https://clinic.example.org",
    "contact_name": "Dr. Kim",
    "contact_email": "kim@clinic.example.org",
}


def _partner(db, coalition, name="Riverside Tenant Union"):
    partner = save_partner(coalition, None, name=name)
    db.session.commit()
    return partner


def test_lead_adds_a_partner(db, coalition, as_role):
    client, _ = as_role("lead")
    response = client.post(f"/c/{coalition.slug}/partners/new", data=PARTNER)
    assert response.status_code == 302
    partner = db.session.scalar(select(PartnerOrganization))
    assert (partner.name, partner.website, partner.contact_email) == (
        "Eastside Clinic",
        "https://clinic.example.org",
        "kim@clinic.example.org",
    )
    assert b"Eastside Clinic" in client.get(f"/c/{coalition.slug}/partners").data


def test_lead_edits_a_partner(db, coalition, as_role):
    partner = _partner(db, coalition)
    client, _ = as_role("lead")
    response = client.post(f"/c/{coalition.slug}/partners/{partner.id}/edit", data={**PARTNER, "name": "Tenant Union"})
    assert response.status_code == 302
    db.session.refresh(partner)
    assert partner.name == "Tenant Union"


def test_duplicate_partner_name_shows_message_and_adds_nothing(db, coalition, as_role):
    _partner(db, coalition, "Eastside Clinic")
    client, _ = as_role("lead")
    response = client.post(f"/c/{coalition.slug}/partners/new", data={**PARTNER, "name": "eastside clinic"})
    assert response.status_code == 200
    assert b"A partner organization with this name already exists." in response.data
    assert len(db.session.scalars(select(PartnerOrganization)).all()) == 1


def test_renaming_a_partner_to_an_existing_name_is_refused(db, coalition, as_role):
    _partner(db, coalition, "Eastside Clinic")
    other = _partner(db, coalition, "Tenant Union")
    client, _ = as_role("lead")
    response = client.post(f"/c/{coalition.slug}/partners/{other.id}/edit", data=PARTNER)
    assert b"A partner organization with this name already exists." in response.data
    db.session.refresh(other)
    assert other.name == "Tenant Union"


def test_same_partner_name_is_allowed_in_another_coalition(db, coalition, make_coalition, as_role):
    _partner(db, make_coalition(), "Eastside Clinic")
    client, _ = as_role("lead")
    assert client.post(f"/c/{coalition.slug}/partners/new", data=PARTNER).status_code == 302


def test_partner_with_bad_website_shows_message(db, coalition, as_role):
    client, _ = as_role("lead")
    response = client.post(f"/c/{coalition.slug}/partners/new", data={**PARTNER, "website": "not a url"})
    assert b"Please enter a full address starting with https://" in response.data
    assert db.session.scalars(select(PartnerOrganization)).all() == []


def test_lead_deletes_a_partner_and_affiliated_members_stay(db, coalition, as_role, make_member):
    partner = _partner(db, coalition)
    member = make_member(coalition, "member")
    membership = db.session.scalar(select(Membership).where(Membership.user_id == member.id))
    membership.partner_id = partner.id
    db.session.commit()
    partner_id = partner.id
    client, _ = as_role("lead")
    response = client.post(f"/c/{coalition.slug}/partners/{partner_id}/delete")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(PartnerOrganization, partner_id) is None
    assert db.session.get(Membership, membership.id).partner_id is None


def test_member_sees_partners_but_no_edit_links_or_contact_emails(db, coalition, as_role):
    save_partner(coalition, None, **PARTNER)
    db.session.commit()
    client, _ = as_role("member")
    response = client.get(f"/c/{coalition.slug}/partners")
    assert b"Eastside Clinic" in response.data
    assert b"/edit" not in response.data
    assert b"kim@clinic.example.org" not in response.data


def test_organizer_sees_partner_contact_emails(db, coalition, as_role):
    save_partner(coalition, None, **PARTNER)
    db.session.commit()
    client, _ = as_role("organizer")
    assert b"kim@clinic.example.org" in client.get(f"/c/{coalition.slug}/partners").data
