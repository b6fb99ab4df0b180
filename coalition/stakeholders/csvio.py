"""CSV import (preview, then all-or-nothing) and CSV / vCard export of stakeholders."""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import force_locale
from sqlalchemy import delete

from coalition.core.audit import record_audit
from coalition.core.csvexport import unguard_cell
from coalition.core.i18n import gettext as _
from coalition.core.models import utcnow
from coalition.extensions import db
from coalition.stakeholders.labels import CATEGORY_LABELS
from coalition.stakeholders.models import Stakeholder, StakeholderCategory, StakeholderImport
from coalition.stakeholders.services import StakeholderError, normalize_tags

MAX_ROWS = 10_000
#: Column headings people use, lower-cased and stripped of spaces, dashes and underscores -> our field.
HEADER_ALIASES = {
    "name": "name",
    "fullname": "name",
    "contact": "name",
    "contactname": "name",
    "title": "title",
    "jobtitle": "title",
    "position": "title",
    "role": "title",
    "organization": "organization",
    "organisation": "organization",
    "agency": "organization",
    "company": "organization",
    "office": "organization",
    "category": "category",
    "type": "category",
    "kind": "category",
    "jurisdiction": "jurisdiction",
    "district": "jurisdiction",
    "ward": "jurisdiction",
    "email": "email",
    "emailaddress": "email",
    "mail": "email",
    "phone": "phone",
    "telephone": "phone",
    "phonenumber": "phone",
    "tel": "phone",
    "mobile": "phone",
    "address": "address",
    "postaladdress": "address",
    "mailingaddress": "address",
    "website": "website",
    "web": "website",
    "url": "website",
    "notes": "notes",
    "note": "notes",
    "comments": "notes",
    "tags": "tags",
    "tag": "tags",
    "labels": "tags",
}
LIMITS = {
    "name": 200,
    "title": 200,
    "organization": 200,
    "jurisdiction": 200,
    "email": 320,
    "phone": 60,
    "website": 300,
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SINGLE_LINE_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass
class ParsedImport:
    rows: list[dict] = field(default_factory=list)
    #: The row number (as a spreadsheet shows it) of each row in `rows`.
    numbers: list[int] = field(default_factory=list)
    #: [(row number as a spreadsheet shows it, message)]
    errors: list[tuple[int, str]] = field(default_factory=list)
    #: {heading in the file: our field}
    mapping: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def decode_upload(data: bytes) -> str:
    """The text of an uploaded file: UTF-8, with or without a byte order mark."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise StakeholderError(
            _("The file is not UTF-8 text. Save it from your spreadsheet as “CSV UTF-8”."), "file"
        ) from error


def _header_key(heading: str) -> str:
    return re.sub(r"[\s_\-.]+", "", heading.strip().lower())


def _category_lookup() -> dict[str, StakeholderCategory]:
    """Category names as people write them, and as our export writes them in any of the site's languages."""
    lookup = {}
    for category, label in CATEGORY_LABELS.items():
        for text in (category.value, str(label), category.value.replace("_", " ")):
            lookup[_header_key(text)] = category
        for language in current_app.config["LANGUAGES"]:
            with force_locale(language):
                lookup.setdefault(_header_key(str(label)), category)
    lookup.update(
        {
            "elected": StakeholderCategory.ELECTED_OFFICIAL,
            "official": StakeholderCategory.ELECTED_OFFICIAL,
            "agency": StakeholderCategory.AGENCY_STAFF,
            "staff": StakeholderCategory.AGENCY_STAFF,
            "propertymanager": StakeholderCategory.LANDLORD,
            "healthcare": StakeholderCategory.HEALTHCARE_PROVIDER,
            "community": StakeholderCategory.COMMUNITY_LEADER,
            "press": StakeholderCategory.MEDIA,
        }
    )
    return lookup


def _check_row(raw: dict, categories) -> tuple[dict, list[str]]:
    problems, row = [], {}
    for name in ("name", "title", "organization", "jurisdiction", "email", "phone", "website", "address", "notes"):
        value = (raw.get(name) or "").strip()
        pattern = _CONTROL if name in ("address", "notes") else _SINGLE_LINE_CONTROL
        if pattern.search(value):
            problems.append(_("%(column)s contains control characters.", column=name))
        if name in LIMITS and len(value) > LIMITS[name]:
            problems.append(_("%(column)s is longer than %(max)d characters.", column=name, max=LIMITS[name]))
        row[name] = value
    if not row["name"]:
        problems.append(_("the name is missing."))
    if row["email"]:
        try:
            row["email"] = validate_email(row["email"], check_deliverability=False).normalized.lower()
        except EmailNotValidError:
            problems.append(_("“%(email)s” is not an email address.", email=row["email"]))
    category_text = (raw.get("category") or "").strip()
    row["category"] = categories.get(_header_key(category_text)) if category_text else StakeholderCategory.ALLY
    if row["category"] is None:
        problems.append(_("unknown category “%(category)s”.", category=category_text))
    row["tags"] = normalize_tags(raw.get("tags") or "")
    return row, problems


def parse_stakeholder_csv(text: str) -> ParsedImport:
    """Parse and check every row; nothing is written."""
    result = ParsedImport()
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        result.errors.append((1, _("The file is empty.")))
        return result
    columns = []
    for heading in header:
        target = HEADER_ALIASES.get(_header_key(heading))
        if target and target not in result.mapping.values():
            result.mapping[heading] = target
            columns.append(target)
        else:
            columns.append(None)
            if heading.strip():
                result.ignored.append(heading)
    if "name" not in columns:
        result.errors.append((1, _("No “Name” column was found in the first row.")))
        return result
    categories = _category_lookup()
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(result.rows) >= MAX_ROWS:
                result.errors.append((number, _("Too many rows: at most %(max)d per file.", max=MAX_ROWS)))
                break
            # Our own export guards formula-looking cells with an apostrophe (+1 555 0107): read them back as they were.
            raw = {column: unguard_cell(cell) for column, cell in zip(columns, cells, strict=False) if column}
            row, problems = _check_row(raw, categories)
            result.errors += [(number, problem) for problem in problems]
            result.rows.append(row)
            result.numbers.append(number)
    except csv.Error as error:
        result.errors.append((reader.line_num, _("The file is not valid CSV (%(error)s).", error=str(error))))
    return result


def stage_import(coalition, by, *, filename: str, text: str) -> StakeholderImport:
    """Keep an uploaded file until it is confirmed (older staged files of the coalition are dropped)."""
    db.session.execute(
        delete(StakeholderImport).where(
            StakeholderImport.coalition_id == coalition.id,
            StakeholderImport.created_at < utcnow() - timedelta(days=1),
        )
    )
    staged = StakeholderImport(
        coalition_id=coalition.id, created_by_id=by.id, filename=(filename or "")[:255], content=text
    )
    db.session.add(staged)
    db.session.flush()
    return staged


# --- Export ---------------------------------------------------------------------------------------------------

EXPORT_HEADER = (
    "Name",
    "Title",
    "Organization",
    "Category",
    "Jurisdiction",
    "Email",
    "Phone",
    "Address",
    "Website",
    "Tags",
    "Notes",
)


def export_rows(stakeholders):
    """CSV rows for the stakeholders, in the columns of EXPORT_HEADER (the importer reads them back)."""
    for s in stakeholders:
        yield (
            s.name,
            s.title,
            s.organization,
            str(CATEGORY_LABELS[StakeholderCategory(s.category)]),
            s.jurisdiction,
            s.email,
            s.phone,
            s.address,
            s.website,
            "; ".join(s.tags or []),
            s.notes,
        )


def record_export(coalition, by, *, kind: str, count: int) -> None:
    """Audit a CSV or vCard export."""
    record_audit("stakeholder.export", actor=by, coalition=coalition, format=kind, rows=count)


def vcard_escape(value: str) -> str:
    """Escape a vCard text value (RFC 6350 §3.4): backslash, comma, semicolon and line breaks."""
    value = (value or "").replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character (RFC 6350 §3.2)."""
    out, current = [], ""
    for char in line:
        limit = 75 if not out else 74
        if len((current + char).encode()) > limit:
            out.append(current)
            current = char
        else:
            current += char
    out.append(current)
    return "\r\n ".join(out)


def _one_line(value: str) -> str:
    return re.sub(r"[\x00-\x1f\x7f]", "", value)


def _vcard(s: Stakeholder, version: str) -> list[str]:
    parts = s.name.rsplit(" ", 1)
    family, given = (parts[1], parts[0]) if len(parts) == 2 else (parts[0], "")
    lines = ["BEGIN:VCARD", f"VERSION:{version}", f"FN:{vcard_escape(s.name)}"]
    lines.append(f"N:{vcard_escape(family)};{vcard_escape(given)};;;")
    if s.organization:
        lines.append(f"ORG:{vcard_escape(s.organization)}")
    if s.title:
        lines.append(f"TITLE:{vcard_escape(s.title)}")
    if s.email:
        lines.append(f"EMAIL;TYPE={'work' if version == '4.0' else 'INTERNET'}:{_one_line(s.email)}")
    if s.phone:
        lines.append(f"TEL;TYPE=work:{vcard_escape(s.phone)}")
    if s.address:
        lines.append(f"ADR;TYPE=work:;;{vcard_escape(s.address)};;;;")
    if s.website:
        lines.append(f"URL:{_one_line(s.website)}")
    if s.tags:
        lines.append("CATEGORIES:" + ",".join(vcard_escape(tag) for tag in s.tags))
    note = "\n".join(part for part in (s.jurisdiction, s.notes) if part)
    if note:
        lines.append(f"NOTE:{vcard_escape(note)}")
    lines.append("END:VCARD")
    return [_fold(line) for line in lines]


def vcards(stakeholders, version: str = "3.0") -> str:
    """vCard 3.0 or 4.0 text for the stakeholders, CRLF line ends."""
    if version not in ("3.0", "4.0"):
        version = "3.0"
    lines = []
    for stakeholder in stakeholders:
        lines += _vcard(stakeholder, version)
    return "\r\n".join(lines) + "\r\n"
