//! `# remedy: ignore` and `# remedy: ignore[id, ...]` comments, like ruff's `# noqa`.

use ruff_text_size::{TextRange, TextSize};

use crate::source;

/// The suppression comments of one file, each with the line it sits on.
pub struct Suppressions {
    /// (the commented line's range, ids or empty for all)
    entries: Vec<(TextRange, Vec<String>)>,
}

impl Suppressions {
    pub fn from_comments(text: &str, comments: &[TextRange]) -> Self {
        let entries = comments
            .iter()
            .filter_map(|range| {
                let ids = parse_directive(&text[*range])?;
                let line = TextRange::new(source::line_start(text, range.start()), range.end());
                Some((line, ids))
            })
            .collect();
        Self { entries }
    }

    /// Whether a finding of `transform` starting at `offset` is suppressed by a directive
    /// on the same line.
    pub fn suppresses(&self, transform: &str, offset: TextSize) -> bool {
        self.entries.iter().any(|(line, ids)| {
            line.contains_inclusive(offset)
                && (ids.is_empty() || ids.iter().any(|i| i == transform))
        })
    }
}

/// Parses `# remedy: ignore` / `# remedy: ignore[a, b]` anywhere in a comment.
/// Returns the ids (empty: all transforms).
fn parse_directive(comment: &str) -> Option<Vec<String>> {
    let at = comment.find("remedy:")?;
    let rest = comment[at + "remedy:".len()..].trim_start();
    let rest = rest.strip_prefix("ignore")?;
    if let Some(list) = rest.strip_prefix('[') {
        let end = list.find(']')?;
        return Some(
            list[..end]
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
        );
    }
    if rest.is_empty() || rest.starts_with(char::is_whitespace) {
        return Some(Vec::new());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives() {
        assert_eq!(parse_directive("# remedy: ignore"), Some(vec![]));
        assert_eq!(
            parse_directive("# remedy: ignore[a, b-c]"),
            Some(vec!["a".into(), "b-c".into()])
        );
        assert_eq!(parse_directive("# remedy: ignored"), None);
        assert_eq!(parse_directive("# noqa"), None);
    }
}
