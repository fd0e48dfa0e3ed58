//! Runtime proof for `restore-auth-guard`: a FastAPI route with the review's commented-out
//! paywall (CRIT-D1) lets a free user in; after the fix, the same route answers 403 to a free
//! user and 200 to a premium one (run under the test venv with FastAPI's TestClient).

mod common;

const ROUTE_MODULE: &str = r#"from fastapi import Depends, FastAPI, Header, HTTPException

app = FastAPI()

USERS = {"alice": "free", "bob": "premium"}


def get_user_tier(x_user: str = Header(...)):
    return USERS[x_user]


@app.get("/options-flow/unusual")
async def unusual_activity(user_tier: str = Depends(get_user_tier)):
    # if user_tier not in ['premium', 'enterprise']:
    #     raise HTTPException(status_code=403, detail="Premium subscription required")
    return {"flows": ["AAPL 200C"]}
"#;

const CLIENT: &str = r#"
from fastapi.testclient import TestClient
import routes
client = TestClient(routes.app)
for user in ("alice", "bob"):
    r = client.get("/options-flow/unusual", headers={"X-User": user})
    print(user, r.status_code)
"#;

fn statuses(python: &std::path::Path, module: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("routes.py"), module).unwrap();
    let (ok, stdout, stderr) = common::run_python(python, dir.path(), CLIENT, &[]);
    assert!(ok, "python failed:\n{stderr}");
    stdout
}

#[test]
fn restored_paywall_denies_free_users_and_admits_premium_users() {
    let fixed = common::fixed_text("restore-auth-guard", "routes.py", ROUTE_MODULE);
    assert!(
        fixed.contains("    if user_tier not in ['premium', 'enterprise']:\n        raise HTTPException(status_code=403"),
        "guard not restored:\n{fixed}"
    );
    let Some(python) = common::venv_python() else {
        eprintln!("SKIP: no venv with fastapi/httpx; the runtime half of this test did not run");
        return;
    };
    // Before: the paywall is commented out, so the free user gets the premium data.
    assert_eq!(statuses(&python, ROUTE_MODULE), "alice 200\nbob 200\n");
    // After: the free user is refused, the premium user still served.
    assert_eq!(statuses(&python, &fixed), "alice 403\nbob 200\n");
}

#[test]
fn a_guard_naming_an_undefined_function_is_left_commented() {
    let source = ROUTE_MODULE.replace(
        "user_tier not in ['premium', 'enterprise']",
        "not is_premium(user_tier)",
    );
    let outcome = common::fix_with("restore-auth-guard", "routes.py", &source);
    assert!(
        outcome.fixed.is_none(),
        "an unbound name must not be restored"
    );
    assert_eq!(outcome.findings.len(), 1);
    assert!(
        outcome.findings[0]
            .message
            .contains("`is_premium` is not defined"),
        "{}",
        outcome.findings[0].message
    );
    assert!(outcome.findings[0].fix.is_none());
}
