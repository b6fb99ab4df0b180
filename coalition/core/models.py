"""Model mixins and column types shared by every domain."""

import uuid
from datetime import UTC, datetime

from sqlalchemy import DateTime, Enum, String, TypeDecorator
from sqlalchemy.orm import Mapped, mapped_column


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime (used as a callable column default)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp always stored as naive UTC and always returned as aware UTC, on SQLite and PostgreSQL alike."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class TimestampMixin:
    """created_at / updated_at in UTC."""

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)


class PortableEnum(Enum):
    """A non-native enum whose CHECK constraint is named after the enum, or after the column when another column
    of the same table already uses that enum (PostgreSQL refuses two constraints with one name in a table)."""

    def _set_table(self, column, table):
        if any(isinstance(c.type, Enum) and c.type is not self and c.type.name == self.name for c in table.columns):
            self.name = f"{self.name}_{column.name}"
        super()._set_table(column, table)


def enum_column(enum_cls, type_name: str | None = None, **kwargs):
    """A portable enum column stored as its string values (VARCHAR + CHECK, same on SQLite and PostgreSQL)."""
    return mapped_column(
        PortableEnum(
            enum_cls,
            native_enum=False,
            create_constraint=True,
            length=30,
            values_callable=lambda e: [m.value for m in e],
            name=type_name or enum_cls.__name__.lower(),
            validate_strings=True,
        ),
        **kwargs,
    )


def new_public_id() -> str:
    """Return a fresh random UUID as text (a callable column default)."""
    return str(uuid.uuid4())


class PublicIdMixin:
    """A stable public identifier (a UUID) for objects the API shows: database ids never leave the server."""

    public_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_public_id, nullable=False)
