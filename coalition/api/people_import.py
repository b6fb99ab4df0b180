"""People import: a CSV (Action Network export columns or free headings) previewed, then turned into invitations.

The preview writes nothing; it lists row-numbered problems and duplicates (by email, case-insensitive, against
members, pending invitations and earlier rows). Confirming invites the new people through coalitions' invite
service, with their tags; importing the same file again finds everyone known and changes nothing.
"""

import csv
import io
from dataclasses import dataclass, field

from coalition.coalitions import signup, tagging
from coalition.core.i18n import gettext as _
from coalition.core.tags import parse_tags
from coalition.core.text import normalize_email

#: Accepted headings (lower-cased, spaces and dashes as underscores) -> our field.
HEADINGS = {
    "email": "email",
    "email_address": "email",
    "e_mail": "email",
    "first_name": "first_name",
    "given_name": "first_name",
    "last_name": "last_name",
    "family_name": "last_name",
    "phone": "phone",
    "phone_number": "phone",
    "zip": "zip",
    "zip_code": "zip",
    "postal_code": "zip",
    "zip_postal_code": "zip",
    "language": "language",
    "preferred_language": "language",
    "tags": "tags",
    "can2_user_tags": "tags",
}
MAX_ROWS = 5000


@dataclass
class ImportRow:
    number: int
    email: str
    name: str
    tags: list[str] = field(default_factory=list)
    problem: str | None = None
    duplicate: str | None = None


@dataclass
class Preview:
    rows: list[ImportRow]
    error: str | None = None

    @property
    def to_invite(self) -> list[ImportRow]:
        return [r for r in self.rows if r.problem is None and r.duplicate is None]


def _heading(text: str) -> str:
    return "_".join((text or "").strip().lower().replace("-", " ").split())


def read_rows(content: str) -> tuple[list[dict], str | None]:
    """Rows of the CSV as {our field: value}, or an error when there is no email column."""
    reader = csv.reader(io.StringIO(content.lstrip("\ufeff")))
    header = next(reader, None)
    if not header:
        return [], _("The file is empty.")
    fields = [HEADINGS.get(_heading(h)) for h in header]
    if "email" not in fields:
        return [], _("The file needs an email column.")
    rows = []
    for values in reader:
        if len(rows) >= MAX_ROWS:
            return [], _("At most %(n)s people per file.", n=MAX_ROWS)
        rows.append({f: v.strip() for f, v in zip(fields, values, strict=False) if f})
    return rows, None


def preview(coalition, content: str) -> Preview:
    """Check every row without writing anything."""
    data, error = read_rows(content)
    if error:
        return Preview([], error)
    matches = signup.match_people(coalition, [normalize_email(r.get("email", "")) for r in data])
    known_tags = set(tagging.find_tags(coalition.id, [t for r in data for t in parse_tags(r.get("tags"))]))
    seen: set[str] = set()
    rows = []
    for number, values in enumerate(data, start=2):
        email = normalize_email(values.get("email", ""))
        name = " ".join(filter(None, [values.get("first_name"), values.get("last_name")]))
        row = ImportRow(number, email, name, parse_tags(values.get("tags")))
        unknown = [t for t in row.tags if t not in known_tags]
        if not email or "@" not in email or len(email) > 320:
            row.problem = _("No valid email address.")
        elif unknown:
            row.problem = _("Unknown tag: %(name)s", name=unknown[0])
        elif email in seen:
            row.duplicate = _("Same email as an earlier row.")
        elif matches[email].membership is not None:
            row.duplicate = _("Already a member.")
        elif matches[email].invitation is not None:
            row.duplicate = _("Already invited.")
        seen.add(email)
        rows.append(row)
    return Preview(rows)


def confirm(coalition, content: str, by) -> int:
    """Invite every new person of the file (with their tags); returns how many were invited."""
    result = preview(coalition, content)
    for row in result.to_invite:
        signup.sign_up_person(coalition, row.email, tags=row.tags, by=by)
    return len(result.to_invite)
