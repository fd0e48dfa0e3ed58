import os

from flask import Flask

app = Flask(__name__)
app.config['SECRET_KEY'] = os.environ.get('SECRET_KEY', 'dev-key-change-in-prod')
DATABASE_URL = os.getenv("DATABASE_URL", "postgresql://app:changeme@localhost/app")


class Signer:
    def __init__(self, signing_secret=None):
        self.signing_secret = signing_secret or "default-secret-change-in-prod"
