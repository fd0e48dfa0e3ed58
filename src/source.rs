//! Decoding a file's bytes into text remedy can parse, and mapping offsets back to lines.

use ruff_source_file::{LineIndex, OneIndexed};
use ruff_text_size::{TextRange, TextSize};

const BOM: &str = "\u{feff}";

/// A decoded Python source file. The BOM, if any, is split off so that offsets
/// refer to `text`; [`SourceText::to_bytes`] puts it back.
#[derive(Clone, Debug)]
pub struct SourceText {
    pub has_bom: bool,
    pub text: String,
}

/// Why a file's bytes cannot be treated as Python text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("not valid UTF-8 (invalid byte at offset {offset})")]
    NotUtf8 { offset: usize },
    #[error("contains a NUL byte at offset {offset}")]
    NulByte { offset: usize },
}

impl SourceText {
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let (has_bom, text) = Self::borrow(bytes)?;
        Ok(Self {
            has_bom,
            text: text.to_string(),
        })
    }

    /// Checks `bytes` as [`SourceText::decode`] does, without copying: whether they start
    /// with a BOM, and the text after it.
    pub fn borrow(bytes: &[u8]) -> Result<(bool, &str), DecodeError> {
        let text = std::str::from_utf8(bytes).map_err(|e| DecodeError::NotUtf8 {
            offset: e.valid_up_to(),
        })?;
        if let Some(offset) = memchr::memchr(0, bytes) {
            return Err(DecodeError::NulByte { offset });
        }
        Ok(match text.strip_prefix(BOM) {
            Some(rest) => (true, rest),
            None => (false, text),
        })
    }

    pub fn with_text(&self, text: String) -> Self {
        Self {
            has_bom: self.has_bom,
            text,
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.text.len() + 3);
        if self.has_bom {
            out.extend_from_slice(BOM.as_bytes());
        }
        out.extend_from_slice(self.text.as_bytes());
        out
    }
}

/// The line ending a file predominantly uses (its first one), for inserted lines.
pub fn line_ending(text: &str) -> &'static str {
    match memchr::memchr2(b'\n', b'\r', text.as_bytes()) {
        Some(i) if text.as_bytes()[i] == b'\r' => {
            if text.as_bytes().get(i + 1) == Some(&b'\n') {
                "\r\n"
            } else {
                "\r"
            }
        }
        _ => "\n",
    }
}

/// One-based line and column (column counted in characters) of a position.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Offset ↔ line/column conversion for one text.
pub struct Lines<'a> {
    text: &'a str,
    index: LineIndex,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            index: LineIndex::from_source_text(text),
        }
    }

    pub fn position(&self, offset: TextSize) -> Position {
        let lc = self.index.line_column(offset, self.text);
        Position {
            line: lc.line.get(),
            column: lc.column.get(),
        }
    }

    /// The range of a one-based line, without its line ending.
    pub fn line_range(&self, line: usize) -> TextRange {
        let line = OneIndexed::new(line).unwrap_or(OneIndexed::MIN);
        let start = self.index.line_start(line, self.text);
        let end = self.index.line_end(line, self.text);
        let full = &self.text[usize::from(start)..usize::from(end)];
        let trimmed = full.trim_end_matches(['\n', '\r']);
        TextRange::at(start, TextSize::of(trimmed))
    }

    /// The range of a one-based line including its line ending.
    pub fn full_line_range(&self, line: usize) -> TextRange {
        let line = OneIndexed::new(line).unwrap_or(OneIndexed::MIN);
        TextRange::new(
            self.index.line_start(line, self.text),
            self.index.line_end(line, self.text),
        )
    }

    pub fn line_count(&self) -> usize {
        self.index.line_count()
    }

    pub fn text(&self) -> &'a str {
        self.text
    }
}

/// Start of the line containing `offset`.
pub fn line_start(text: &str, offset: TextSize) -> TextSize {
    let before = &text.as_bytes()[..usize::from(offset)];
    match memchr::memrchr2(b'\n', b'\r', before) {
        Some(i) => TextSize::try_from(i + 1).unwrap(),
        None => TextSize::new(0),
    }
}

/// End of the line containing `offset`, excluding the line terminator.
pub fn line_end(text: &str, offset: TextSize) -> TextSize {
    let after = &text.as_bytes()[usize::from(offset)..];
    match memchr::memchr2(b'\n', b'\r', after) {
        Some(i) => offset + TextSize::try_from(i).unwrap(),
        None => TextSize::of(text),
    }
}

/// End of the line containing `offset`, including its line terminator (`\n`, `\r\n` or `\r`).
pub fn full_line_end(text: &str, offset: TextSize) -> TextSize {
    let end = usize::from(line_end(text, offset));
    let bytes = text.as_bytes();
    let next = match bytes.get(end) {
        Some(b'\r') if bytes.get(end + 1) == Some(&b'\n') => end + 2,
        Some(b'\r') | Some(b'\n') => end + 1,
        _ => end,
    };
    TextSize::try_from(next).unwrap()
}

/// The indentation of the line containing `offset`: its leading whitespace after any form
/// feed (Python resets the indentation column at a form feed, so `"\x0c    "` indents by
/// four; copying the form feed into new lines would nest them wrongly).
pub fn indentation_at(text: &str, offset: TextSize) -> &str {
    let start = usize::from(line_start(text, offset));
    let line = &text[start..];
    let len = line.len() - line.trim_start_matches([' ', '\t', '\x0c']).len();
    let leading = &line[..len];
    match leading.rfind('\x0c') {
        Some(i) => &leading[i + 1..],
        None => leading,
    }
}

/// True when only whitespace precedes `offset` on its line.
pub fn is_first_on_line(text: &str, offset: TextSize) -> bool {
    let start = usize::from(line_start(text, offset));
    text[start..usize::from(offset)]
        .trim_start_matches([' ', '\t', '\x0c'])
        .is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_round_trips() {
        let bytes = b"\xef\xbb\xbfx = 1\r\n";
        let s = SourceText::decode(bytes).unwrap();
        assert!(s.has_bom);
        assert_eq!(s.text, "x = 1\r\n");
        assert_eq!(s.to_bytes(), bytes);
        assert_eq!(line_ending(&s.text), "\r\n");
    }

    #[test]
    fn rejects_non_utf8_and_nul() {
        assert!(matches!(
            SourceText::decode(b"x = '\xff'"),
            Err(DecodeError::NotUtf8 { offset: 5 })
        ));
        assert!(matches!(
            SourceText::decode(b"x\0"),
            Err(DecodeError::NulByte { offset: 1 })
        ));
    }

    #[test]
    fn line_helpers() {
        let t = "a\r\n    b = 1\nc";
        assert_eq!(line_start(t, 8.into()), 3.into());
        assert_eq!(line_end(t, 8.into()), 12.into());
        assert_eq!(full_line_end(t, 4.into()), 13.into());
        assert_eq!(full_line_end(t, 0.into()), 3.into());
        assert_eq!(indentation_at(t, 9.into()), "    ");
        assert_eq!(indentation_at("\x0c  \x0c\t x", 5.into()), "\t ");
        assert!(is_first_on_line(t, 7.into()));
        let lines = Lines::new(t);
        assert_eq!(lines.position(7.into()), Position { line: 2, column: 5 });
        assert_eq!(&t[lines.line_range(2)], "    b = 1");
    }
}
