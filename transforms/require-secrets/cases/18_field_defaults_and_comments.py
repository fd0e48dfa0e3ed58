# Settings defaults given through `Field(...)` and lookups with a comment inside are reported,
# not rewritten (removing the default from `Field` and dropping a comment are left to a
# person). A subclass of a settings class of this file inherits its `env_prefix`, and the
# message names the prefixed variable.
import os

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="APP_")

    SECRET_KEY: str = Field(default="changeme", description="session signing key")
    API_TOKEN: str = Field("dev-token")
    LOG_LEVEL: str = Field("INFO")


class WorkerSettings(Settings):
    BROKER_PASSWORD: str = "guest"


SIGNING_SECRET = os.getenv(
    "SIGNING_SECRET",  # rotated monthly
    "dev-signing-secret",
)
