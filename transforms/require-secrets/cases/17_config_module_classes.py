# case-path: app/config.py
# Classes in a config module. Only plain config objects (no bases, `object`, or plain classes
# of this file: Flask's `from_object` style) have their literal attributes read from the
# environment. Enum members named like secrets are constants: no finding. Classes built on
# something remedy cannot see (an imported settings base with its own, maybe prefixed,
# variables; a model or NamedTuple whose defaults are per object) are display-only.
# A lower-case name reads the upper-case variable.
from enum import Enum
from typing import NamedTuple

from pydantic import BaseModel

from app.core.base import AppSettings


class TokenKind(str, Enum):
    ACCESS_TOKEN = "access"
    REFRESH_TOKEN = "refresh"


class Settings(AppSettings):
    SECRET_KEY: str = "changeme"


class Credentials(NamedTuple):
    password: str = "hunter2"


class LoginForm(BaseModel):
    api_token: str = "anonymous"


class Config(object):
    SECRET_KEY = "flask-secret"
    mail_password = "mail-pass"


class ProductionConfig(Config):
    JWT_SECRET = "prod-jwt-secret"
