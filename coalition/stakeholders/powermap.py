"""The power map of a campaign: targets by stance (x) and influence (y), with movement since a date, as SVG.

The SVG is built on the server from escaped strings (no JavaScript): role="img" with <title> and <desc>,
one group per target, arrows from the stance at the chosen date to the stance now. A large campaign's map names its
MAP_LIMIT most influential targets and says in each cell how many more it holds (one GROUP BY counts them), so a
map costs the same whatever the campaign's size; the table below it lists every target, a page at a time.
"""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import format_date, ngettext
from markupsafe import Markup, escape
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from coalition.core.i18n import gettext as _
from coalition.extensions import db
from coalition.stakeholders.labels import CATEGORY_LABELS, STANCE_LABELS
from coalition.stakeholders.models import CampaignTarget, StakeholderCategory, Stance, StanceChange

#: Left to right on the map; "unknown" sits in its own column at the far left.
STANCE_ORDER = (Stance.UNKNOWN, Stance.HOSTILE, Stance.OPPOSED, Stance.NEUTRAL, Stance.SUPPORTIVE, Stance.CHAMPION)
#: Colour-blind-safe (Okabe–Ito) colours per category.
CATEGORY_COLOURS = {
    StakeholderCategory.ELECTED_OFFICIAL: "#0072B2",
    StakeholderCategory.AGENCY_STAFF: "#56B4E9",
    StakeholderCategory.LANDLORD: "#D55E00",
    StakeholderCategory.HEALTHCARE_PROVIDER: "#009E73",
    StakeholderCategory.COMMUNITY_LEADER: "#CC79A7",
    StakeholderCategory.MEDIA: "#E69F00",
    StakeholderCategory.FUNDER: "#F0E442",
    StakeholderCategory.ALLY: "#7F7F7F",
}
LEFT, TOP, COLUMN, ROW = 90, 30, 130, 80
WIDTH = LEFT + COLUMN * len(STANCE_ORDER) + 20
HEIGHT = TOP + ROW * 5 + 70
LEGEND_Y = HEIGHT + 10
#: Targets named on the map (the most influential); the cells count the others, the table lists them all.
MAP_LIMIT = 30
SLOTS = [(0, 0), (-34, -18), (34, -18), (-34, 18), (34, 18), (0, -30), (0, 30), (-52, 0), (52, 0)]


@dataclass
class MapPoint:
    target: CampaignTarget
    stance_then: Stance | None
    #: The target was added after the chosen date: stance_then is its first recorded stance.
    added_later: bool
    x: float
    y: float
    x_then: float | None

    @property
    def moved(self) -> bool:
        return self.stance_then is not None and self.stance_then != self.target.stance


def cell_centre(stance: Stance, influence: int) -> tuple[float, float]:
    """The centre of the map cell for a stance and an influence."""
    column = STANCE_ORDER.index(Stance(stance))
    return LEFT + COLUMN * column + COLUMN / 2, TOP + ROW * (5 - influence) + ROW / 2


def stances_at(target_ids, moment: datetime) -> dict[int, tuple[Stance, bool]]:
    """Each target's stance at `moment` from its history; for targets added later, their first stance.

    Returns {target_id: (stance, added_later)}.
    """
    if not target_ids:
        return {}
    rows = db.session.execute(
        select(StanceChange.target_id, StanceChange.new_stance, StanceChange.created_at)
        .where(StanceChange.target_id.in_(target_ids))
        .order_by(StanceChange.target_id, StanceChange.created_at, StanceChange.id)
    ).all()
    result: dict[int, tuple[Stance, bool]] = {}
    for target_id, stance, created_at in rows:
        if created_at <= moment:
            result[target_id] = (stance, False)
        elif target_id not in result:
            result[target_id] = (stance, True)
    return result


#: Most influential (then latest added) first: the order of the map and of the table; the index walks it backwards.
TARGET_ORDER = (CampaignTarget.influence.desc(), CampaignTarget.id.desc())


def target_ids(campaign):
    """select() of a campaign's target ids, most influential first (read from the index alone)."""
    return select(CampaignTarget.id).where(CampaignTarget.campaign_id == campaign.id).order_by(*TARGET_ORDER)


def targets_statement(ids=None):
    """select(CampaignTarget), stakeholder and owner joined, of the targets with these `ids` (a list), in map order."""
    statement = select(CampaignTarget).options(
        # Joined: each target names one stakeholder and one owner, so one query carries them.
        joinedload(CampaignTarget.stakeholder),
        joinedload(CampaignTarget.owner),
    )
    if ids is not None:
        statement = statement.where(CampaignTarget.id.in_(ids))
    return statement.order_by(*TARGET_ORDER)


def cell_counts(campaign) -> dict[tuple[Stance, int], int]:
    """{(stance, influence): how many targets} of a campaign, counted in the database."""
    rows = db.session.execute(
        select(CampaignTarget.stance, CampaignTarget.influence, func.count())
        .where(CampaignTarget.campaign_id == campaign.id)
        .group_by(CampaignTarget.stance, CampaignTarget.influence)
    ).all()
    return {(Stance(stance), influence): count for stance, influence, count in rows}


def map_points(targets, then: dict) -> list[MapPoint]:
    """`targets` placed on the map, with their stance then (from `stances_at`)."""
    used: dict[tuple, int] = {}
    points = []
    for target in targets:
        x, y = cell_centre(target.stance, target.influence)
        slot = used.get((target.stance, target.influence), 0)
        used[(target.stance, target.influence)] = slot + 1
        dx, dy = SLOTS[slot % len(SLOTS)]
        stance_then, added_later = then.get(target.id, (None, False))
        x_then = cell_centre(stance_then, target.influence)[0] if stance_then is not None else None
        points.append(MapPoint(target, stance_then, added_later, x + dx, y + dy, x_then))
    return points


def placed(campaign, listed, since: datetime) -> tuple[list[MapPoint], list[MapPoint]]:
    """(the MAP_LIMIT most influential targets on the map, the `listed` targets of the table's page), each with its
    stance at `since` (one history query for both)."""
    # The ids first (from the index), then their rows: a join of every target with its stakeholder is never sorted.
    ids = list(db.session.scalars(target_ids(campaign).limit(MAP_LIMIT)))
    drawn = db.session.scalars(targets_statement(ids)).all()
    then = stances_at(sorted({t.id for t in [*drawn, *listed]}), since)
    return map_points(drawn, then), map_points(listed, then)


def _text(x, y, content, **attrs) -> str:
    extra = "".join(f' {name.replace("_", "-")}="{escape(value)}"' for name, value in attrs.items())
    return f'<text x="{x:.0f}" y="{y:.0f}"{extra}>{escape(content)}</text>'


def _grid(labels) -> list[str]:
    parts = ['<g class="grid" stroke="#c8c8c8" stroke-width="1">']
    for column in range(len(STANCE_ORDER) + 1):
        x = LEFT + COLUMN * column
        dash = ' stroke-dasharray="4 4"' if column == 1 else ""
        parts.append(f'<line x1="{x}" y1="{TOP}" x2="{x}" y2="{TOP + ROW * 5}"{dash}/>')
    for row in range(6):
        parts.append(f'<line x1="{LEFT}" y1="{TOP + ROW * row}" x2="{LEFT + COLUMN * 6}" y2="{TOP + ROW * row}"/>')
    parts.append("</g>")
    for column, stance in enumerate(STANCE_ORDER):
        x = LEFT + COLUMN * column + COLUMN / 2
        parts.append(_text(x, TOP + ROW * 5 + 20, labels["stances"][stance], text_anchor="middle"))
    for influence in range(1, 6):
        parts.append(_text(LEFT - 10, TOP + ROW * (5 - influence) + ROW / 2 + 5, str(influence), text_anchor="end"))
    parts.append(_text(LEFT + COLUMN * 3.5, TOP + ROW * 5 + 45, labels["x_axis"], text_anchor="middle"))
    y_mid = TOP + ROW * 2.5
    parts.append(
        f'<text x="20" y="{y_mid:.0f}" text-anchor="middle" transform="rotate(-90 20 {y_mid:.0f})">'
        f"{escape(labels['y_axis'])}</text>"
    )
    return parts


def _point(point: MapPoint, labels) -> list[str]:
    # Written out rather than through _text(): a map has a point per target, and every attribute here is ours.
    target = point.target
    stakeholder = target.stakeholder
    colour = CATEGORY_COLOURS[StakeholderCategory(stakeholder.category)]
    x, y = f"{point.x:.0f}", f"{point.y:.0f}"
    parts = [
        f'<g class="target" id="target-{target.id}" data-stance="{escape(target.stance)}" '
        f'data-influence="{target.influence}">'
    ]
    if point.moved:
        parts.append(
            f'<line class="movement" x1="{point.x_then:.0f}" y1="{y}" x2="{x}" y2="{y}" '
            'stroke="#333333" stroke-width="2" marker-end="url(#arrow)"/>'
        )
    tooltip = f"{stakeholder.name} — {labels['stances'][target.stance]}, {labels['influence']} {target.influence}"
    name = escape(_short(stakeholder.name))
    parts += [
        f'<circle cx="{x}" cy="{y}" r="9" fill="{colour}" stroke="#222222" stroke-width="1">'
        f"<title>{escape(tooltip)}</title></circle>",
        f'<text x="{x}" y="{point.y - 13:.0f}" text-anchor="middle" font-size="11">{name}</text>',
        "</g>",
    ]
    return parts


def _more(points: list[MapPoint], counts: dict) -> list[str]:
    """ "n more" in the corner of each cell holding more targets than the map names."""
    named: dict[tuple, int] = {}
    for point in points:
        key = (Stance(point.target.stance), point.target.influence)
        named[key] = named.get(key, 0) + 1
    parts = []
    for (stance, influence), count in sorted(counts.items()):
        more = count - named.get((stance, influence), 0)
        if more > 0:
            x, y = cell_centre(stance, influence)
            label = _("%(count)d more", count=more)
            parts.append(_text(x + COLUMN / 2 - 4, y + ROW / 2 - 4, label, text_anchor="end", font_size="11"))
    return parts


def _short(name: str, length: int = 18) -> str:
    return name if len(name) <= length else name[: length - 1] + "…"


def _legend(labels) -> list[str]:
    parts = ['<g class="legend">']
    for index, (category, colour) in enumerate(CATEGORY_COLOURS.items()):
        x = LEFT + (index % 4) * 200
        y = LEGEND_Y + (index // 4) * 22
        parts.append(f'<circle cx="{x}" cy="{y}" r="6" fill="{colour}" stroke="#222222" stroke-width="1"/>')
        parts.append(_text(x + 12, y + 4, labels["categories"][category], font_size="12"))
    parts.append("</g>")
    return parts


def texts(campaign, points: list[MapPoint], since, total: int | None = None) -> dict:
    """The translated title, description and labels of a campaign's map (of `total` targets, `points` named)."""
    moved = [p for p in points if p.moved]
    total = len(points) if total is None else total
    description = ngettext(
        "%(num)d target placed by stance, from hostile on the left to champion on the right, and by influence, "
        "from 1 at the bottom to 5 at the top. %(moved)d moved since %(date)s; arrows show the movement. "
        "The table below gives the same information.",
        "%(num)d targets placed by stance, from hostile on the left to champion on the right, and by influence, "
        "from 1 at the bottom to 5 at the top. %(moved)d moved since %(date)s; arrows show the movement. "
        "The table below gives the same information.",
        len(points),
        moved=len(moved),
        date=format_date(since),
    )
    if total > len(points):
        description = _(
            "%(num)d targets placed by stance, from hostile on the left to champion on the right, and by influence, "
            "from 1 at the bottom to 5 at the top. The map names the %(shown)d most influential and says in each cell "
            "how many more it holds; %(moved)d of those named moved since %(date)s; arrows show the movement. "
            "The table below lists every target.",
            num=total,
            shown=len(points),
            moved=len(moved),
            date=format_date(since),
        )
    labels = {
        "stances": {key: str(value) for key, value in STANCE_LABELS.items()},
        "categories": {key: str(value) for key, value in CATEGORY_LABELS.items()},
        "x_axis": _("Stance"),
        "y_axis": _("Influence"),
        "influence": _("influence"),
    }
    return {
        "title": _("Power map: %(campaign)s", campaign=campaign.title),
        "description": description,
        "labels": labels,
    }


def render_power_map_svg(
    points: list[MapPoint], *, title: str, description: str, labels: dict, counts: dict | None = None
) -> Markup:
    """The accessible SVG of a power map; every piece of user text is escaped."""
    height = LEGEND_Y + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="power-map" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-labelledby="power-map-title power-map-desc" '
        'font-family="sans-serif" font-size="13">',
        f'<title id="power-map-title">{escape(title)}</title>',
        f'<desc id="power-map-desc">{escape(description)}</desc>',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="18" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#333333"/></marker></defs>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>',
    ]
    parts += _grid(labels)
    for point in points:
        parts += _point(point, labels)
    parts += _more(points, counts or {})
    parts += _legend(labels)
    parts.append("</svg>")
    return Markup("\n".join(parts))  # noqa: S704 - every piece of user text was escaped above
