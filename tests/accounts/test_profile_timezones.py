"""The profile's time-zone list is grouped by region, with the person's coalitions' zones first."""

import re

from coalition.extensions import db


def _select(html: str) -> str:
    return re.search(r'<select[^>]*id="timezone".*?</select>', html, re.S).group(0)


def test_time_zones_are_grouped_by_region_with_the_coalitions_zone_first(client, make_coalition, make_member, login):
    login(client, make_member(make_coalition(timezone="America/Chicago"), "member"))
    select = _select(client.get("/account/profile").get_data(as_text=True))
    groups = re.findall(r'<optgroup label="([^"]+)">', select)
    assert groups[:3] == ["Your coalitions", "Africa", "Americas"]
    assert "Europe" in groups and "Pacific Ocean" in groups
    first_group = re.search(r'<optgroup label="Your coalitions">(.*?)</optgroup>', select, re.S).group(1)
    assert re.findall(r'value="([^"]+)"', first_group) == ["America/Chicago"]
    assert select.count('value="America/Chicago"') == 1
    assert re.search(r'<optgroup label="Europe">.*value="Europe/Berlin".*?</optgroup>', select, re.S)
    assert re.search(r'<select[^>]*>\s*<option selected value="">', select)


def test_a_zone_chosen_from_the_grouped_list_is_saved(client, make_user, login):
    user = make_user()
    login(client, user)
    client.post("/account/profile", data={"display_name": "Ana", "locale": "", "timezone": "Asia/Tokyo"})
    db.session.refresh(user)
    assert user.timezone == "Asia/Tokyo"
    assert 'selected value="Asia/Tokyo"' in client.get("/account/profile").get_data(as_text=True)
