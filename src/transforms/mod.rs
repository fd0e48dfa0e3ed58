//! The catalogue: every transform, its metadata (`transforms/<id>/transform.toml`) and its
//! documentation (`transforms/<id>/README.md`), compiled into the binary.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::context::FileContext;
use crate::edit::Applicability;
use crate::finding::Finding;

pub mod pickle_to_json;
pub mod require_secrets;
pub mod restore_auth_guard;
pub mod utcnow_to_aware;
pub mod verify_stripe_webhook;

/// A targeted rewrite of one kind of security finding.
pub trait Transform: Send + Sync {
    /// The kebab-case id, equal to its folder name under `transforms/`.
    fn id(&self) -> &'static str;

    /// Byte strings at least one of which must occur in a file for this transform to find
    /// anything there. Files containing none are never parsed for it.
    fn triggers(&self) -> &'static [&'static str];

    /// A second, still cheap, look at a file whose bytes contain a trigger: return false when
    /// the transform certainly finds nothing (e.g. the trigger only occurs in prose), so the
    /// file is not parsed for it. Runs before parsing, on every triggered file.
    fn may_match(&self, _text: &str) -> bool {
        true
    }

    /// True when test code (`tests/` or `test/` directories, `test_*.py`, `*_test.py`,
    /// `conftest.py`) holds nothing this transform should report: such files are then never
    /// scanned or parsed for it.
    fn skips_test_files(&self) -> bool {
        false
    }

    /// The findings in one file, each with a fix or the reason it has none.
    fn check(&self, ctx: &FileContext) -> Vec<Finding>;
}

/// A transform's `transform.toml`.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TransformMeta {
    pub id: String,
    pub title: String,
    /// One sentence: what the transform does.
    pub summary: String,
    /// The review finding ids it remediates (e.g. `CRIT-Q1`).
    pub findings: Vec<String>,
    pub cwe: Vec<String>,
    #[serde(default)]
    pub bandit: Vec<String>,
    #[serde(default)]
    pub ruff: Vec<String>,
    /// The applicability of its typical fix: `safe`, `unsafe` or `display-only`.
    pub fix_safety: String,
}

/// A transform with its compiled-in metadata and documentation.
pub struct Registered {
    pub transform: &'static dyn Transform,
    meta_toml: &'static str,
    pub doc: &'static str,
    meta: OnceLock<TransformMeta>,
}

impl Registered {
    pub fn id(&self) -> &'static str {
        self.transform.id()
    }

    pub fn meta(&self) -> &TransformMeta {
        self.meta.get_or_init(|| {
            toml::from_str(self.meta_toml).unwrap_or_else(|e| {
                panic!(
                    "transforms/{}/transform.toml is invalid: {e}",
                    self.transform.id()
                )
            })
        })
    }

    pub fn default_applicability(&self) -> Applicability {
        Applicability::parse(&self.meta().fix_safety).unwrap_or(Applicability::Unsafe)
    }
}

macro_rules! register {
    ($($module:ident => $id:literal),* $(,)?) => {
        fn build_registry() -> Vec<Registered> {
            vec![$(Registered {
                transform: &$module::TRANSFORM,
                meta_toml: include_str!(concat!("../../transforms/", $id, "/transform.toml")),
                doc: include_str!(concat!("../../transforms/", $id, "/README.md")),
                meta: OnceLock::new(),
            }),*]
        }
    };
}

register! {
    restore_auth_guard => "restore-auth-guard",
    pickle_to_json => "pickle-to-json",
    require_secrets => "require-secrets",
    utcnow_to_aware => "utcnow-to-aware",
    verify_stripe_webhook => "verify-stripe-webhook",
}

/// Every transform, sorted by id.
pub fn registry() -> &'static [Registered] {
    static REGISTRY: OnceLock<Vec<Registered>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut all = build_registry();
        all.sort_by_key(|r| r.id());
        all
    })
}

/// A registry entry for a transform outside the catalogue (engine tests use fakes).
#[doc(hidden)]
pub fn unregistered(transform: &'static dyn Transform) -> Registered {
    Registered {
        transform,
        meta_toml: "",
        doc: "",
        meta: OnceLock::new(),
    }
}

pub fn find(id: &str) -> Option<&'static Registered> {
    registry().iter().find(|r| r.id() == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_matches_ids() {
        for r in registry() {
            assert_eq!(r.meta().id, r.id());
            assert!(
                Applicability::parse(&r.meta().fix_safety).is_some(),
                "{}",
                r.id()
            );
            for heading in [
                "## What it fixes",
                "## Why it matters",
                "## Example",
                "## Fix safety",
                "## When it declines",
                "## References",
            ] {
                assert!(r.doc.contains(heading), "{} doc lacks {heading}", r.id());
            }
        }
    }
}
