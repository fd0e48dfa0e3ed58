# Stores into model fields: Safe when the field is a `DateTime(timezone=True)` column
# declared in the project (here in the same file), Unsafe for a naive column or an unknown
# field. A `timezone` already imported from datetime is reused (no import edit).
from datetime import datetime, timezone

from sqlalchemy import Column, DateTime, Integer
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Session(Base):
    __tablename__ = "sessions"
    id = Column(Integer, primary_key=True)
    revoked_at = Column(DateTime(timezone=True), nullable=True)
    last_seen = Column(DateTime)


def revoke(session):
    session.revoked_at = datetime.utcnow()


def touch(session):
    session.last_seen = datetime.utcnow()


def make_session():
    return Session(revoked_at=datetime.utcnow())


def aware_already():
    return datetime.now(timezone.utc)
