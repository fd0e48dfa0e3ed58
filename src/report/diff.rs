//! Unified diffs that `git apply` accepts: `a/` and `b/` prefixes, paths relative to the
//! current directory, "No newline at end of file" markers where needed.

use std::io::{self, Write};
use std::path::Path;

use similar::TextDiff;

/// Writes the diff of one file. `color` adds ANSI colours (only on a terminal).
pub fn write_file_diff(
    out: &mut dyn Write,
    path: &Path,
    old: &str,
    new: &str,
    color: bool,
) -> io::Result<()> {
    let name = path.to_string_lossy().replace('\\', "/");
    let diff = TextDiff::from_lines(old, new);
    let mut unified = diff.unified_diff();
    unified.context_radius(3).missing_newline_hint(true);
    let text = unified
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string();
    if !color {
        return out.write_all(text.as_bytes());
    }
    for line in text.split_inclusive('\n') {
        let code = if line.starts_with("+++") || line.starts_with("---") {
            "\x1b[1m"
        } else if line.starts_with('+') {
            "\x1b[32m"
        } else if line.starts_with('-') {
            "\x1b[31m"
        } else if line.starts_with("@@") {
            "\x1b[36m"
        } else {
            ""
        };
        if code.is_empty() {
            out.write_all(line.as_bytes())?;
        } else {
            let body = line.trim_end_matches(['\n']);
            write!(out, "{code}{body}\x1b[0m")?;
            if line.ends_with('\n') {
                out.write_all(b"\n")?;
            }
        }
    }
    Ok(())
}
