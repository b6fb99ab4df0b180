"""The evidence report suppresses small counts (page, chart, table, CSV) so no total gives one away."""

import csv
import io
import re

import pytest

from coalition.extensions import db


@pytest.fixture
def northside(organizer_client, make_campaign, make_story):
    """A campaign with 1 story from Northside, 6 from Eastside and 9 from Westside (threshold 5)."""
    client, coalition, _ = organizer_client
    campaign = make_campaign(coalition, title="Safe Homes Now")
    for area, number in (("Northside", 1), ("Eastside", 6), ("Westside", 9)):
        for _i in range(number):
            make_story(campaign, location=area, tags=["mould"])
    db.session.commit()
    return client, coalition, campaign


def _rows(html: str) -> dict[str, str]:
    """{area: count cell} of the "Stories by area" table."""
    table = html.split('id="areas-heading"')[1].split("</table>")[0]
    return dict(re.findall(r'<th scope="row">([^<]+)</th><td class="num">([^<]+)</td>', table))


def test_single_northside_story_reads_fewer_than_5_in_the_table(northside):
    client, coalition, campaign = northside

    html = client.get(f"/c/{coalition.slug}/campaigns/{campaign.id}/evidence").get_data(as_text=True)

    rows = _rows(html)
    assert rows["Northside"] == "fewer than 5"
    # The complement: with the total (16) and Westside (9) shown, Eastside must be hidden too.
    assert rows["Eastside"] == "fewer than 5"
    assert rows["Westside"] == "9"
    assert "Based on 16 approved stories" in html


def test_chart_shows_no_bar_and_no_number_for_a_suppressed_area(northside):
    client, coalition, campaign = northside

    html = client.get(f"/c/{coalition.slug}/campaigns/{campaign.id}/evidence").get_data(as_text=True)

    chart = html.split('id="chart-areas-title"')[1].split("</svg>")[0]
    assert "Northside: fewer than 5" in chart
    assert ">1 (" not in chart and ">6 (" not in chart
    assert chart.count("<rect") == 1  # Westside only


def test_csv_publishes_fewer_than_5_and_no_total_gives_northside_away(northside):
    client, coalition, campaign = northside

    response = client.get(f"/c/{coalition.slug}/campaigns/{campaign.id}/evidence.csv")

    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    areas = {item: value for section, item, value in rows[1:] if section == "Area"}
    assert areas == {"Westside": "9", "Eastside": "fewer than 5", "Northside": "fewer than 5"}
    total = next(value for _section, item, value in rows if item == "Approved stories counted")
    assert int(total) - sum(int(v) for v in areas.values() if v.isdigit()) == 7  # two hidden cells share 7


def test_organizers_see_the_same_suppressed_report(northside):
    client, coalition, campaign = northside

    html = client.get(f"/c/{coalition.slug}/campaigns/{campaign.id}/evidence").get_data(as_text=True)

    assert ">1</td>" not in html.split('id="areas-heading"')[1].split("</section>")[0]
