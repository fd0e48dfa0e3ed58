//! Runtime proof for `pickle-to-json`: the review's RedisCache (case 01) runs under python3 with
//! a dict-backed fake redis. A crafted pickle placed in the store executes code through the
//! original class (its `__reduce__` creates a marker file) and is a plain cache miss through
//! the fixed class, while JSON values still round-trip.

mod common;

use std::path::Path;

const HARNESS: &str = r#"
import importlib.util, json, os, pickle, sys, types

class FakeRedis:
    def __init__(self, *args, **kwargs):
        self.store = {}
    @classmethod
    def from_url(cls, url, **kwargs):
        return cls()
    def get(self, key):
        return self.store.get(key)
    def setex(self, key, ttl, value):
        if isinstance(value, str):
            value = value.encode("utf-8")
        if not isinstance(value, bytes):
            raise TypeError("redis accepts bytes or str")
        self.store[key] = value

fake = types.ModuleType("redis")
fake.Redis = FakeRedis
sys.modules["redis"] = fake

spec = importlib.util.spec_from_file_location("cache_under_test", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)

marker = sys.argv[2]

class Exploit:
    def __reduce__(self):
        return (open, (marker, "w"))

cache = module.RedisCache(client=FakeRedis())
cache.redis.store["evil"] = pickle.dumps(Exploit())
evil = cache.get("evil")
value = {"user": "ada", "scores": [1, 2.5, None], "nested": {"ok": True}}
stored = cache.set("good", value)
print(json.dumps({
    "executed": os.path.exists(marker),
    "evil_is_miss": evil is None,
    "stored": stored,
    "round_trip": cache.get("good") == value,
    "set_value_cached": cache.set("odd", {1, 2}),
}))
"#;

fn run(python: &str, dir: &Path, name: &str, source: &str) -> serde_json::Value {
    let module = dir.join(format!("{name}.py"));
    let marker = dir.join(format!("{name}.marker"));
    std::fs::write(&module, source).unwrap();
    let out = std::process::Command::new(python)
        .arg("-c")
        .arg(HARNESS)
        .arg(&module)
        .arg(&marker)
        .current_dir(dir)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{name}: {e}: {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn crafted_pickle_runs_in_original_and_is_a_miss_after_fix() {
    let Some(python) = common::python3() else {
        return;
    };
    let case = common::repo_root().join("transforms/pickle-to-json/cases/01_review_redis_cache.py");
    let original = std::fs::read_to_string(case).unwrap();
    let fixed = common::fixed_text("pickle-to-json", "redis_cache.py", &original);
    let code: String = fixed
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        !code.contains("pickle"),
        "fixed code still uses pickle:\n{fixed}"
    );
    let dir = tempfile::tempdir().unwrap();

    let before = run(python, dir.path(), "original", &original);
    assert_eq!(
        before["executed"], true,
        "the original should run the payload: {before}"
    );

    let after = run(python, dir.path(), "fixed", &fixed);
    assert_eq!(
        after["executed"], false,
        "the fixed cache ran the payload: {after}"
    );
    assert_eq!(after["evil_is_miss"], true, "{after}");
    assert_eq!(after["stored"], true, "{after}");
    assert_eq!(after["round_trip"], true, "{after}");
    // A value JSON cannot encode is no longer cached (the serializer re-raises, set() returns False).
    assert_eq!(after["set_value_cached"], false, "{after}");
    assert_eq!(before["set_value_cached"], true, "{before}");
}
