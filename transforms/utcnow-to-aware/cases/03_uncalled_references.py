# Variant 3: uncalled references used as factories.
# Expected: each becomes `lambda: datetime.now(timezone.utc)` (a callable, never a value
# computed once at import). Safe for a `DateTime(timezone=True)` column; Unsafe for a naive
# `DateTime` column (drivers may shift an aware value to the session time zone) and for
# dataclass / pydantic `default_factory` (the field becomes aware for every reader).
# `default=lambda: datetime.utcnow()` is the called form inside a lambda: same analysis.
from dataclasses import dataclass, field
from datetime import datetime

from pydantic import BaseModel, Field
from sqlalchemy import Column, DateTime, Integer
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Event(Base):
    __tablename__ = "events"
    id = Column(Integer, primary_key=True)
    created_at = Column(DateTime(timezone=True), default=datetime.utcnow)
    updated_at = Column(DateTime, default=datetime.utcnow, onupdate=datetime.utcnow)
    seen_at = Column(DateTime(timezone=True), default=lambda: datetime.utcnow())


@dataclass
class Job:
    queued_at: datetime = field(default_factory=datetime.utcnow)


class Message(BaseModel):
    sent_at: datetime = Field(default_factory=datetime.utcnow)
