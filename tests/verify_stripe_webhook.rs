//! Runtime proof for `verify-stripe-webhook`: a vulnerable FastAPI handler and a vulnerable
//! Flask handler are fixed by remedy and then run under the test venv's python (stripe,
//! fastapi, httpx, flask). Forged and unsigned events must get 400 and grant nothing; an event
//! signed like Stripe signs it (HMAC-SHA256 over "{t}.{payload}", header `t=...,v1=...`) must
//! get 200 and take effect. The original code is run too, to show it accepts the forgery.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use remedy::context::Project;

const ID: &str = "verify-stripe-webhook";

const FASTAPI_APP: &str = r#"import json

import stripe
from fastapi import FastAPI, Header, Request

from settings import settings

app = FastAPI()
GRANTED = {}


@app.post("/webhook")
async def stripe_webhook(request: Request, stripe_signature: str = Header(None)):
    body = await request.body()
    # webhook_secret = settings.STRIPE_WEBHOOK_SECRET
    # stripe.Webhook.construct_event(body, stripe_signature, webhook_secret)
    event = json.loads(body)  # Accepts ANY JSON as valid Stripe event
    if event["type"] == "checkout.session.completed":
        session = event["data"]["object"]
        GRANTED[session["client_reference_id"]] = session.get("subscription")
    return {"status": "success"}
"#;

const FLASK_APP: &str = r#"import stripe
from flask import Flask, jsonify, request

from settings import settings

app = Flask(__name__)
GRANTED = {}


@app.route("/stripe/webhook", methods=["POST"])
def stripe_webhook():
    event = request.get_json()
    if event["type"] == "checkout.session.completed":
        session = event["data"]["object"]
        GRANTED[session["client_reference_id"]] = session.get("subscription")
    return jsonify(received=True)
"#;

/// A `Header` parameter whose name does not map to `stripe-signature` (fixed with an added
/// `alias="Stripe-Signature"`), the body parsed from `await request.json()`.
const FASTAPI_ALIAS_APP: &str = r#"import stripe
from fastapi import FastAPI, Header, Request

from settings import settings

app = FastAPI()
GRANTED = {}


@app.post("/webhook")
async def stripe_webhook(request: Request, sig: str = Header(None)):
    event = await request.json()
    if event["type"] == "checkout.session.completed":
        session = event["data"]["object"]
        GRANTED[session["client_reference_id"]] = session.get("subscription")
    return {"status": "success"}
"#;

/// Flask `json.loads(request.data)`, verified only when a secret is configured (the check
/// before the parse, no else): the fix always verifies.
const FLASK_IF_SECRET_APP: &str = r#"import json

import stripe
from flask import Flask, request

from settings import settings

app = Flask(__name__)
GRANTED = {}


@app.route("/stripe/webhook", methods=["POST"])
def stripe_webhook():
    if settings.STRIPE_WEBHOOK_SECRET:
        try:
            stripe.Webhook.construct_event(
                request.data, request.headers.get("Stripe-Signature"), settings.STRIPE_WEBHOOK_SECRET
            )
        except (ValueError, stripe.SignatureVerificationError):
            return "bad signature", 400
    event = json.loads(request.data)
    if event["type"] == "checkout.session.completed":
        session = event["data"]["object"]
        GRANTED[session["client_reference_id"]] = session.get("subscription")
    return "ok", 200
"#;

const SETTINGS: &str = "class Settings:\n    STRIPE_WEBHOOK_SECRET: str = \"whsec_test_secret\"\n\n\nsettings = Settings()\n";

/// Posts a forged, an unsigned and a signed event; prints one line per request:
/// `<label> <status> <granted dict>`.
const DRIVER: &str = r#"
import hashlib, hmac, json, sys, time
kind = sys.argv[1]
import app as module
secret = "whsec_test_secret"
event = {"id": "evt_1", "object": "event", "type": "checkout.session.completed",
         "data": {"object": {"client_reference_id": "user-42", "subscription": "sub_paid"}}}
payload = json.dumps(event)

def signed_header(body, key):
    t = int(time.time())
    mac = hmac.new(key.encode(), f"{t}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"

if kind == "fastapi":
    from fastapi.testclient import TestClient
    client = TestClient(module.app)
    path = "/webhook"
else:
    client = module.app.test_client()
    path = "/stripe/webhook"

def post(headers):
    r = client.post(path, content=payload, headers=headers) if kind == "fastapi" else client.post(path, data=payload, headers=headers)
    return r.status_code

cases = [
    ("forged", {"Content-Type": "application/json", "Stripe-Signature": signed_header(payload, "whsec_attacker_guess")}),
    ("unsigned", {"Content-Type": "application/json"}),
    ("signed", {"Content-Type": "application/json", "Stripe-Signature": signed_header(payload, secret)}),
]
for label, headers in cases:
    status = post(headers)
    print(label, status, json.dumps(module.GRANTED, sort_keys=True))
    if label != "signed":
        module.GRANTED.clear()
"#;

fn project_with_settings() -> Project {
    let mut files: BTreeMap<PathBuf, Arc<[u8]>> = BTreeMap::new();
    files.insert(PathBuf::from("settings.py"), Arc::from(SETTINGS.as_bytes()));
    files.insert(
        PathBuf::from("requirements.txt"),
        Arc::from(&b"stripe>=8\nfastapi\nflask\n"[..]),
    );
    Project::snapshot(".", files)
}

fn fix(source: &str) -> String {
    let registered = remedy::transforms::find(ID).unwrap();
    let outcome = remedy::engine::fix_text_in(
        source,
        Path::new("app.py"),
        &project_with_settings(),
        vec![registered],
        true,
    );
    assert!(outcome.problem.is_none(), "{:?}", outcome.problem);
    let findings = format!("{:?}", outcome.findings);
    outcome
        .fixed
        .map(|f| f.text)
        .unwrap_or_else(|| panic!("remedy did not fix the handler: {findings}"))
}

/// Runs the driver against `app_source`; returns the printed lines.
fn run(python: &Path, kind: &str, app_source: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("app.py"), app_source).unwrap();
    std::fs::write(dir.path().join("settings.py"), SETTINGS).unwrap();
    let code = format!("import sys; sys.argv = ['driver', '{kind}']\n{DRIVER}");
    let (ok, stdout, stderr) = common::run_python(python, dir.path(), &code, &[]);
    assert!(ok, "{kind} driver failed:\n{stdout}\n{stderr}");
    stdout.lines().map(str::to_string).collect()
}

fn check_framework(kind: &str, original: &str) {
    check_fixed_framework(kind, original, true);
}

/// Runs the fixed handler: forged and unsigned events get 400, a signed one 200. With
/// `original_accepts_forgery`, the original handler is run first and must accept the forgery
/// (false for handlers that are only vulnerable when no secret is configured).
fn check_fixed_framework(kind: &str, original: &str, original_accepts_forgery: bool) {
    let Some(python) = common::venv_python() else {
        eprintln!("SKIP: no test venv with stripe/fastapi/flask; {kind} runtime test skipped");
        return;
    };
    let granted = r#"{"user-42": "sub_paid"}"#;
    // The original handler accepts a forged event and grants the subscription.
    if original_accepts_forgery {
        let before = run(&python, kind, original);
        assert_eq!(
            before[0],
            format!("forged 200 {granted}"),
            "{kind}: original should accept forgeries: {before:?}"
        );
    }

    let fixed = fix(original);
    assert!(fixed.contains("construct_event("), "{fixed}");
    let after = run(&python, kind, &fixed);
    assert_eq!(
        after,
        vec![
            "forged 400 {}".to_string(),
            "unsigned 400 {}".to_string(),
            format!("signed 200 {granted}")
        ],
        "{kind}: fixed handler:\n{fixed}"
    );
}

#[test]
fn fastapi_handler_rejects_forged_events_after_fix() {
    check_framework("fastapi", FASTAPI_APP);
}

#[test]
fn flask_handler_rejects_forged_events_after_fix() {
    check_framework("flask", FLASK_APP);
}

#[test]
fn fastapi_header_alias_fix_rejects_forged_events() {
    let fixed = fix(FASTAPI_ALIAS_APP);
    assert!(
        fixed.contains("sig: str = Header(None, alias=\"Stripe-Signature\")"),
        "{fixed}"
    );
    check_framework("fastapi", FASTAPI_ALIAS_APP);
}

#[test]
fn flask_verify_if_secret_set_fix_rejects_forged_events() {
    let fixed = fix(FLASK_IF_SECRET_APP);
    assert!(
        !fixed.contains("if settings.STRIPE_WEBHOOK_SECRET:"),
        "{fixed}"
    );
    // The original verifies here (the secret is configured); it trusts any body without one.
    check_fixed_framework("flask", FLASK_IF_SECRET_APP, false);
}

#[test]
fn fastapi_fix_is_safe_and_flask_fix_is_unsafe() {
    let registered = remedy::transforms::find(ID).unwrap();
    let applicability = |src: &str| {
        let outcome = remedy::engine::fix_text_in(
            src,
            Path::new("app.py"),
            &project_with_settings(),
            vec![registered],
            true,
        );
        outcome
            .findings
            .iter()
            .find_map(|f| f.applicability())
            .unwrap()
    };
    assert_eq!(
        applicability(FASTAPI_APP),
        remedy::edit::Applicability::Safe
    );
    // Flask: body, header and secret were all inferred (secret from settings.py).
    assert_eq!(
        applicability(FLASK_APP),
        remedy::edit::Applicability::Unsafe
    );
    let fixed = fix(FLASK_APP);
    assert!(fixed.contains("settings.STRIPE_WEBHOOK_SECRET"), "{fixed}");
    assert!(
        fixed.contains("stripe.SignatureVerificationError"),
        "{fixed}"
    );
}

/// The exception class the fix names when the project pins stripe in `file` with `text`
/// (the app file sits in `app/`, the pin at the project root).
fn error_class_for_pin(file: &str, text: &str) -> &'static str {
    let mut files: BTreeMap<PathBuf, Arc<[u8]>> = BTreeMap::new();
    files.insert(PathBuf::from("settings.py"), Arc::from(SETTINGS.as_bytes()));
    files.insert(PathBuf::from(file), Arc::from(text.as_bytes()));
    let project = Project::snapshot(".", files);
    let registered = remedy::transforms::find(ID).unwrap();
    let outcome = remedy::engine::fix_text_in(
        FASTAPI_APP,
        Path::new("app/api.py"),
        &project,
        vec![registered],
        true,
    );
    let fixed = outcome.fixed.expect("fixed").text;
    if fixed.contains("except (ValueError, stripe.error.SignatureVerificationError):") {
        "stripe.error"
    } else if fixed.contains("except (ValueError, stripe.SignatureVerificationError):") {
        "stripe"
    } else {
        panic!("no verification handler in:\n{fixed}")
    }
}

#[test]
fn stripe_pin_chooses_the_exception_class() {
    // Pins capping stripe below 7.8 (no top-level `SignatureVerificationError` yet).
    for (file, text) in [
        ("requirements.txt", "flask\nstripe==5.4.0\n"),
        (
            "pyproject.toml",
            "[project]\ndependencies = [\n  \"stripe>=5,<7\",\n]\n",
        ),
        (
            "pyproject.toml",
            "[tool.poetry.dependencies]\npython = \"^3.11\"\nstripe = \"^6.2\"\n",
        ),
        ("requirements/base.txt", "stripe~=7.4.0\n"),
    ] {
        assert_eq!(
            error_class_for_pin(file, text),
            "stripe.error",
            "{file}: {text}"
        );
    }
    // Newer or open-ended pins, and no pin at all (the documented default).
    for (file, text) in [
        ("requirements.txt", "stripe>=8\n"),
        ("requirements/base.txt", "stripe~=7.0\n"),
        (
            "pyproject.toml",
            "[project]\ndependencies = [\"stripe==12.1.0\"]\n",
        ),
        ("requirements.txt", "stripe\n"),
        ("requirements.txt", "flask\n"),
    ] {
        assert_eq!(error_class_for_pin(file, text), "stripe", "{file}: {text}");
    }
}

/// With no secret in the comment, the file or a settings module, an environment variable the
/// project already names (here only in `.env.example`) is read; `import os` is added.
#[test]
fn secret_from_an_environment_variable_the_project_lists() {
    let handler = "import json\n\nimport stripe\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n\n@app.route(\"/stripe/webhook\", methods=[\"POST\"])\ndef stripe_webhook():\n    event = json.loads(request.data)\n    if event[\"type\"] == \"invoice.paid\":\n        pass\n    return \"\", 200\n";
    let registered = remedy::transforms::find(ID).unwrap();
    let run = |files: BTreeMap<PathBuf, Arc<[u8]>>| {
        remedy::engine::fix_text_in(
            handler,
            Path::new("app.py"),
            &Project::snapshot(".", files),
            vec![registered],
            true,
        )
    };
    let mut files: BTreeMap<PathBuf, Arc<[u8]>> = BTreeMap::new();
    files.insert(
        PathBuf::from(".env.example"),
        Arc::from(&b"DATABASE_URL=\nSTRIPE_WEBHOOK_SECRET=whsec_...\n"[..]),
    );
    let fixed = run(files).fixed.expect("fixed").text;
    assert!(
        fixed.contains(
            "stripe.Webhook.construct_event(request.data, request.headers.get(\"Stripe-Signature\"), os.environ[\"STRIPE_WEBHOOK_SECRET\"])"
        ),
        "{fixed}"
    );
    assert!(fixed.contains("\nimport os\n"), "{fixed}");
    // Without it anywhere, the finding is display-only.
    let outcome = run(BTreeMap::new());
    assert!(outcome.fixed.is_none());
    assert!(
        outcome.findings[0]
            .message
            .contains("no webhook signing secret found"),
        "{:?}",
        outcome.findings
    );
}

#[test]
fn non_stripe_webhook_is_left_alone() {
    let src = "import json\nfrom flask import request\n\ndef github_webhook():\n    event = json.loads(request.data)\n    if event[\"type\"] == \"push\":\n        pass\n";
    let outcome = common::fix_with(ID, "hooks.py", src);
    assert!(outcome.findings.is_empty(), "{:?}", outcome.findings);
}
