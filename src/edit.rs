//! Fixes as plain values: byte-range text edits plus how safe they are to apply.

use ruff_text_size::{TextRange, TextSize};
use serde::Serialize;

/// One text replacement. An empty `range` is an insertion; empty `content` a deletion.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Edit {
    pub range: TextRange,
    pub content: String,
}

impl Edit {
    pub fn replacement(content: impl Into<String>, range: TextRange) -> Self {
        Self {
            range,
            content: content.into(),
        }
    }

    pub fn insertion(content: impl Into<String>, at: TextSize) -> Self {
        Self {
            range: TextRange::empty(at),
            content: content.into(),
        }
    }

    pub fn deletion(range: TextRange) -> Self {
        Self {
            range,
            content: String::new(),
        }
    }

    /// Two edits conflict when their ranges overlap, or when both insert at the same offset.
    /// Identical edits never conflict: applying one of them serves both.
    pub fn conflicts_with(&self, other: &Edit) -> bool {
        if self == other {
            return false;
        }
        let (a, b) = (self.range, other.range);
        if a.is_empty() || b.is_empty() {
            // An insertion conflicts with a range strictly containing its offset,
            // or with another insertion at the same offset.
            if a.is_empty() && b.is_empty() {
                return a.start() == b.start();
            }
            let (ins, rng) = if a.is_empty() { (a, b) } else { (b, a) };
            return rng.start() < ins.start() && ins.start() < rng.end();
        }
        a.start() < b.end() && b.start() < a.end()
    }
}

/// How confident remedy is that a fix keeps the program's intended behaviour.
/// Ordered: `DisplayOnly < Unsafe < Safe`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Shown to the user, never applied.
    DisplayOnly,
    /// Applied only with `--unsafe-fixes`.
    Unsafe,
    /// Applied by default.
    Safe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::DisplayOnly => "display-only",
            Applicability::Unsafe => "unsafe",
            Applicability::Safe => "safe",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "display-only" => Some(Applicability::DisplayOnly),
            "unsafe" => Some(Applicability::Unsafe),
            "safe" => Some(Applicability::Safe),
            _ => None,
        }
    }
}

/// A set of edits that must be applied together, with a one-line description of what changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub edits: Vec<Edit>,
    pub applicability: Applicability,
    /// What the fix does, e.g. "replace `datetime.utcnow()` with `datetime.now(timezone.utc)`".
    pub description: String,
}

impl Fix {
    pub fn new(
        applicability: Applicability,
        description: impl Into<String>,
        edits: Vec<Edit>,
    ) -> Self {
        let mut edits = edits;
        edits.sort_by_key(|e| (e.range.start(), e.range.end()));
        edits.dedup();
        Self {
            edits,
            applicability,
            description: description.into(),
        }
    }

    pub fn safe(description: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self::new(Applicability::Safe, description, edits)
    }

    pub fn unsafe_(description: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self::new(Applicability::Unsafe, description, edits)
    }

    pub fn display_only(description: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self::new(Applicability::DisplayOnly, description, edits)
    }

    pub fn conflicts_with(&self, other: &Fix) -> bool {
        self.edits
            .iter()
            .any(|a| other.edits.iter().any(|b| a.conflicts_with(b)))
    }

    /// The smallest range covering every edit.
    pub fn range(&self) -> Option<TextRange> {
        let first = self.edits.first()?;
        Some(
            self.edits
                .iter()
                .fold(first.range, |acc, e| acc.cover(e.range)),
        )
    }
}

/// Applies non-conflicting edits to `text`. Edits are sorted here; identical duplicates are
/// applied once. Panics in debug builds if two edits conflict (the engine never passes such).
pub fn apply_edits(text: &str, edits: &[&Edit]) -> String {
    let mut sorted: Vec<&Edit> = edits.to_vec();
    sorted.sort_by_key(|e| (e.range.start(), e.range.end()));
    sorted.dedup();
    let mut out = String::with_capacity(text.len() + 64);
    let mut cursor = 0usize;
    for edit in sorted {
        let start = usize::from(edit.range.start());
        let end = usize::from(edit.range.end());
        debug_assert!(start >= cursor, "overlapping edits");
        if start < cursor {
            continue;
        }
        out.push_str(&text[cursor..start]);
        out.push_str(&edit.content);
        cursor = end;
    }
    out.push_str(&text[cursor..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(a: u32, b: u32) -> TextRange {
        TextRange::new(a.into(), b.into())
    }

    #[test]
    fn applies_sorted_edits_and_keeps_other_bytes() {
        let text = "a\r\nbc\tdef";
        let e1 = Edit::replacement("X", r(3, 4));
        let e2 = Edit::insertion("!", 9.into());
        let e0 = Edit::deletion(r(0, 1));
        assert_eq!(apply_edits(text, &[&e2, &e1, &e0]), "\r\nXc\tdef!");
    }

    #[test]
    fn conflicts() {
        let a = Edit::replacement("x", r(0, 5));
        let b = Edit::replacement("y", r(4, 6));
        let c = Edit::replacement("z", r(5, 6));
        assert!(a.conflicts_with(&b));
        assert!(!a.conflicts_with(&c));
        let i1 = Edit::insertion("p", 5.into());
        let i2 = Edit::insertion("q", 5.into());
        assert!(i1.conflicts_with(&i2));
        assert!(!i1.conflicts_with(&i1.clone()));
        assert!(Edit::insertion("p", 3.into()).conflicts_with(&a));
        assert!(!Edit::insertion("p", 5.into()).conflicts_with(&a));
    }
}
