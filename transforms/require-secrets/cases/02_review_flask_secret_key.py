# CRIT-S2 (review, web/app.py): Flask's SECRET_KEY defaults to a literal.
# Expected: `os.environ['SECRET_KEY']` (KeyError naming it when unset); FLASK_DEBUG untouched.
import os

from flask import Flask

app = Flask(__name__)
app.config['SECRET_KEY'] = os.environ.get('SECRET_KEY', 'dev-key-change-in-prod')
app.config['DEBUG'] = os.environ.get('FLASK_DEBUG', '0') == '1'
