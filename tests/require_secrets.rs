//! Runtime checks for `require-secrets`: fixed modules are run under python, and must refuse to
//! start without the secret (with an error naming it), use the configured value when it is set,
//! and keep every non-secret default. Also: test files are left alone, and inserted guards keep
//! the file's line endings and indentation.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

const ID: &str = "require-secrets";

/// Secret-looking variables the child processes must not inherit from the test environment.
const SCRUBBED: &[&str] = &[
    "SECRET_KEY",
    "API_TOKEN",
    "DATABASE_URL",
    "APP_SECRET_KEY",
    "DB_POOL",
    "LOG_LEVEL",
];

/// Runs `code` with `python` in `dir` with exactly the given secret-ish variables set.
fn run(python: &Path, dir: &Path, code: &str, env: &[(&str, &str)]) -> (bool, String, String) {
    let mut cmd = Command::new(python);
    cmd.arg("-c").arg(code).current_dir(dir);
    for name in SCRUBBED {
        cmd.env_remove(name);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("python runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Fixes `source` as `name`, asserts something changed, and writes it into a fresh temp dir.
fn fixed_module(name: &str, source: &str) -> (tempfile::TempDir, String) {
    let fixed = common::fixed_text(ID, name, source);
    assert_ne!(fixed, source, "{name}: expected a fix");
    let dir = tempfile::tempdir().unwrap();
    let file_name = Path::new(name).file_name().unwrap();
    std::fs::write(dir.path().join(file_name), &fixed).unwrap();
    (dir, fixed)
}

fn python3() -> Option<PathBuf> {
    common::python3().map(PathBuf::from)
}

#[test]
fn flask_style_config_requires_secret_key_and_keeps_other_defaults() {
    let source = "import os\n\
        \n\
        SECRET_KEY = os.environ.get('SECRET_KEY', 'dev-key-change-in-prod')\n\
        DB_POOL = int(os.getenv('DB_POOL', '10'))\n\
        LOG_LEVEL = os.getenv('LOG_LEVEL', 'INFO')\n\
        DATABASE_URL = os.getenv('DATABASE_URL', 'postgresql://discovery:changeme@localhost:5432/discovery')\n";
    let (dir, fixed) = fixed_module("app_config.py", source);
    assert!(
        fixed.contains("SECRET_KEY = os.environ['SECRET_KEY']"),
        "{fixed}"
    );
    assert!(
        fixed.contains("DB_POOL = int(os.getenv('DB_POOL', '10'))"),
        "{fixed}"
    );
    assert!(
        fixed.contains("DATABASE_URL = os.environ['DATABASE_URL']"),
        "{fixed}"
    );
    let Some(py) = python3() else { return };
    let show =
        "import app_config as c; print(c.SECRET_KEY, c.DB_POOL, c.LOG_LEVEL, c.DATABASE_URL)";

    let (ok, _, err) = run(
        &py,
        dir.path(),
        show,
        &[("DATABASE_URL", "postgresql://u:p@db/x")],
    );
    assert!(!ok, "import must fail without SECRET_KEY");
    assert!(err.contains("KeyError: 'SECRET_KEY'"), "{err}");

    let (ok, _, err) = run(&py, dir.path(), show, &[("SECRET_KEY", "s3cr3t")]);
    assert!(!ok, "import must fail without DATABASE_URL");
    assert!(err.contains("KeyError: 'DATABASE_URL'"), "{err}");

    let (ok, out, err) = run(
        &py,
        dir.path(),
        show,
        &[
            ("SECRET_KEY", "s3cr3t"),
            ("DATABASE_URL", "postgresql://u:p@db/x"),
        ],
    );
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "s3cr3t 10 INFO postgresql://u:p@db/x");

    // The untouched defaults still follow the environment.
    let (ok, out, err) = run(
        &py,
        dir.path(),
        show,
        &[
            ("SECRET_KEY", "k"),
            ("DATABASE_URL", "d"),
            ("DB_POOL", "3"),
            ("LOG_LEVEL", "DEBUG"),
        ],
    );
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "k 3 DEBUG d");
}

#[test]
fn signing_secret_fallback_raises_value_error() {
    let source = "class WebhookVerifier:\n\
        \x20   def __init__(self, signing_secret=None):\n\
        \x20       self.signing_secret = signing_secret or \"default-secret-change-in-prod\"\n";
    let (dir, fixed) = fixed_module("webhooks.py", source);
    assert!(!fixed.contains("default-secret-change-in-prod"), "{fixed}");
    let Some(py) = python3() else { return };

    let (ok, _, err) = run(
        &py,
        dir.path(),
        "import webhooks; webhooks.WebhookVerifier()",
        &[],
    );
    assert!(!ok);
    assert!(
        err.contains("ValueError: signing_secret is required"),
        "{err}"
    );

    let (ok, _, err) = run(
        &py,
        dir.path(),
        "import webhooks; webhooks.WebhookVerifier('')",
        &[],
    );
    assert!(!ok, "an empty secret is refused too");
    assert!(err.contains("signing_secret is required"), "{err}");

    let (ok, out, err) = run(
        &py,
        dir.path(),
        "import webhooks; print(webhooks.WebhookVerifier('whsec_1').signing_secret)",
        &[],
    );
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "whsec_1");
}

#[test]
fn or_fallback_and_from_os_getenv_become_required() {
    let source = "from os import getenv\n\
        import os as _os\n\
        \n\
        API_TOKEN = _os.getenv(\"API_TOKEN\") or \"local-token\"\n\
        \n\
        \n\
        class Config:\n\
        \x20   SECRET_KEY = getenv(\"SECRET_KEY\", \"change-me-please\").strip()\n\
        \x20   LOG_LEVEL = getenv(\"LOG_LEVEL\", \"INFO\")\n";
    let (dir, fixed) = fixed_module("settings.py", source);
    assert!(
        fixed.contains("API_TOKEN = _os.environ[\"API_TOKEN\"]\n"),
        "{fixed}"
    );
    assert!(
        fixed.contains("SECRET_KEY = _os.environ[\"SECRET_KEY\"].strip()\n"),
        "{fixed}"
    );
    let Some(py) = python3() else { return };
    let show = "import settings as s; print(s.API_TOKEN, s.Config.SECRET_KEY, s.Config.LOG_LEVEL)";

    let (ok, _, err) = run(&py, dir.path(), show, &[("SECRET_KEY", "k")]);
    assert!(!ok);
    assert!(err.contains("KeyError: 'API_TOKEN'"), "{err}");

    let (ok, _, err) = run(&py, dir.path(), show, &[("API_TOKEN", "t")]);
    assert!(!ok);
    assert!(err.contains("KeyError: 'SECRET_KEY'"), "{err}");

    let (ok, out, err) = run(
        &py,
        dir.path(),
        show,
        &[("API_TOKEN", "t"), ("SECRET_KEY", "  k  ")],
    );
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "t k INFO");
}

#[test]
fn settings_module_literal_reads_environment() {
    let source = "\"\"\"Settings.\"\"\"\nfrom pathlib import Path\n\nBASE_DIR = Path(__file__).parent\nSECRET_KEY = 'django-insecure-abc'\nDEBUG = False\n";
    let (dir, fixed) = fixed_module("settings.py", source);
    assert_eq!(
        fixed,
        "\"\"\"Settings.\"\"\"\nfrom pathlib import Path\nimport os\n\nBASE_DIR = Path(__file__).parent\nSECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = False\n"
    );
    let Some(py) = python3() else { return };
    let (ok, _, err) = run(&py, dir.path(), "import settings", &[]);
    assert!(!ok);
    assert!(err.contains("KeyError: 'SECRET_KEY'"), "{err}");
    let (ok, out, err) = run(
        &py,
        dir.path(),
        "import settings; print(settings.SECRET_KEY, settings.DEBUG)",
        &[("SECRET_KEY", "x1")],
    );
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "x1 False");
}

#[test]
fn dataclass_settings_field_becomes_required() {
    let source = "from dataclasses import dataclass\n\n\n@dataclass\nclass ServiceSettings:\n    webhook_secret: str = \"whsec_dev\"\n    timeout: int = 30\n";
    let (dir, _) = fixed_module("service_settings.py", source);
    let Some(py) = python3() else { return };
    let (ok, _, err) = run(
        &py,
        dir.path(),
        "import service_settings as s; s.ServiceSettings()",
        &[],
    );
    assert!(!ok);
    assert!(
        err.contains("TypeError") && err.contains("webhook_secret"),
        "{err}"
    );
    let (ok, out, err) = run(
        &py,
        dir.path(),
        "import service_settings as s; c = s.ServiceSettings('w'); print(c.webhook_secret, c.timeout)",
        &[],
    );
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "w 30");
}

#[test]
fn flask_app_factory_and_pydantic_settings_under_the_venv() {
    let flask_source = "from flask import Flask\n\n\ndef create_app():\n    app = Flask(__name__)\n    app.config[\"SECRET_KEY\"] = \"super-secret\"\n    app.config[\"SESSION_COOKIE_NAME\"] = \"session\"\n    return app\n";
    let (flask_dir, _) = fixed_module("webapp.py", flask_source);
    let settings_source = "from pydantic.v1 import BaseSettings\n\n\nclass Settings(BaseSettings):\n    SECRET_KEY: str = \"changeme\"\n    ALGORITHM: str = \"HS256\"\n\n\nsettings = Settings()\n";
    let (settings_dir, fixed) = fixed_module("config.py", settings_source);
    assert!(fixed.contains("    SECRET_KEY: str\n"), "{fixed}");
    let Some(py) = common::venv_python() else {
        return;
    };

    let (ok, _, err) = run(
        &py,
        flask_dir.path(),
        "import webapp; webapp.create_app()",
        &[],
    );
    assert!(!ok);
    assert!(err.contains("KeyError: 'SECRET_KEY'"), "{err}");
    let show = "import webapp; a = webapp.create_app(); print(a.config['SECRET_KEY'], a.config['SESSION_COOKIE_NAME'])";
    let (ok, out, err) = run(&py, flask_dir.path(), show, &[("SECRET_KEY", "f1")]);
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "f1 session");

    let (ok, _, err) = run(&py, settings_dir.path(), "import config", &[]);
    assert!(!ok);
    assert!(
        err.contains("SECRET_KEY") && err.contains("field required"),
        "{err}"
    );
    let show = "import config; print(config.settings.SECRET_KEY, config.settings.ALGORITHM)";
    let (ok, out, err) = run(&py, settings_dir.path(), show, &[("SECRET_KEY", "p1")]);
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "p1 HS256");
}

#[test]
fn test_files_are_left_alone() {
    let source = "import os\n\nSECRET_KEY = os.environ.get(\"SECRET_KEY\", \"test-secret\")\n\n\ndef make(secret=None):\n    return secret or \"test-secret\"\n";
    for name in [
        "tests/test_config.py",
        "app/test_settings.py",
        "settings_test.py",
        "conftest.py",
        "tests/settings.py",
    ] {
        let outcome = common::fix_with(ID, name, source);
        assert!(
            outcome.findings.is_empty(),
            "{name}: {:?}",
            outcome.findings
        );
        assert!(outcome.fixed.is_none(), "{name}");
    }
    // The same text elsewhere is fixed.
    assert!(
        !common::fix_with(ID, "app/config.py", source)
            .findings
            .is_empty()
    );
}

#[test]
fn guard_keeps_crlf_and_tabs() {
    let source = "class Client:\r\n\tdef __init__(self, api_token=None):\r\n\t\tself.api_token = api_token or 'tok-dev'\r\n";
    let fixed = common::fixed_text(ID, "client.py", source);
    assert_eq!(
        fixed,
        "class Client:\r\n\tdef __init__(self, api_token=None):\r\n\t\tif not api_token:\r\n\t\t\traise ValueError('api_token is required')\r\n\t\tself.api_token = api_token\r\n"
    );
    let source = "def connect(password=None):\r\n    password = password or \"admin\"\r\n    return password\r\n";
    let fixed = common::fixed_text(ID, "db.py", source);
    assert_eq!(
        fixed,
        "def connect(password=None):\r\n    if not password:\r\n        raise ValueError(\"password is required\")\r\n    return password\r\n"
    );
}

#[test]
fn getenv_without_os_import_adds_one() {
    // `getenv` bound through `from os import getenv`, with `environ` already a local name.
    let source =
        "from os import getenv\n\nenviron = {}\nSECRET_KEY = getenv(\"SECRET_KEY\", \"dev\")\n";
    let outcome = common::fix_with(ID, "app.py", source);
    let fixed = outcome.fixed.expect("fixed").text;
    assert_eq!(
        fixed,
        "from os import getenv\nimport os\n\nenviron = {}\nSECRET_KEY = os.environ[\"SECRET_KEY\"]\n"
    );
}
