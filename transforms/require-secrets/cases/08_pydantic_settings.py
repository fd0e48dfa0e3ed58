# A pydantic BaseSettings class (pydantic-settings, env_prefix "APP_").
# Expected: SECRET_KEY and DATABASE_URL (password embedded) lose their defaults (required
# fields, message names APP_SECRET_KEY / APP_DATABASE_URL); REDIS_URL, ALGORITHM and the expiry
# are untouched; STRIPE_SECRET_KEY = "" is covered by a validator (no finding); SENTRY_TOKEN = ""
# has no check (display-only finding).
from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="APP_")

    SECRET_KEY: str = "changeme"
    DATABASE_URL: str = "postgresql://app:app-password@db:5432/app"
    REDIS_URL: str = "redis://localhost:6379/0"
    ALGORITHM: str = "HS256"
    ACCESS_TOKEN_EXPIRE_MINUTES: int = 30
    STRIPE_SECRET_KEY: str = ""
    SENTRY_TOKEN: str = ""

    @field_validator("STRIPE_SECRET_KEY")
    @classmethod
    def stripe_key_set(cls, value: str) -> str:
        if not value:
            raise ValueError("STRIPE_SECRET_KEY must be set")
        return value


settings = Settings()
