//! What a transform reports: a located message, optionally with a fix.

use ruff_text_size::TextRange;

use crate::edit::Fix;

/// One finding in one file. `fix: None` means remedy declined to fix it; the message
/// then says why (a display-only finding).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub transform: &'static str,
    pub range: TextRange,
    pub message: String,
    pub fix: Option<Fix>,
}

impl Finding {
    pub fn new(
        transform: &'static str,
        range: TextRange,
        message: impl Into<String>,
        fix: Option<Fix>,
    ) -> Self {
        Self {
            transform,
            range,
            message: message.into(),
            fix,
        }
    }

    /// A finding remedy will not fix, with the reason in its message.
    pub fn declined(transform: &'static str, range: TextRange, message: impl Into<String>) -> Self {
        Self::new(transform, range, message, None)
    }
}
