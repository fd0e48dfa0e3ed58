# os.getenv (imported with `from os import getenv`) inside a Config class.
# Expected: secrets become `environ["..."]` with `environ` added to the existing
# `from os import getenv`; `.strip()` is kept; JWT_ALGORITHM, expiry minutes,
# PASSWORD_MIN_LENGTH and LOG_LEVEL are untouched; DevelopmentConfig is declined.
from os import getenv


class Config:
    SECRET_KEY = getenv("SECRET_KEY", "change-me-please")
    API_KEY = getenv("API_KEY", default="dev-api-key").strip()
    JWT_ALGORITHM = getenv("JWT_ALGORITHM", "HS256")
    ACCESS_TOKEN_EXPIRE_MINUTES = int(getenv("ACCESS_TOKEN_EXPIRE_MINUTES", "30"))
    PASSWORD_MIN_LENGTH = int(getenv("PASSWORD_MIN_LENGTH", "8"))
    LOG_LEVEL = getenv("LOG_LEVEL", "INFO")


class DevelopmentConfig(Config):
    SECRET_KEY = getenv("SECRET_KEY", "dev")
