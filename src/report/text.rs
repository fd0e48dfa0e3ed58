//! The default human-readable report: `path:line:col: id message [fix]`, then a summary.

use std::io::{self, Write};

use super::{FileReport, Summary, fix_marker};

pub fn write_findings(out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
    for f in &report.findings {
        let marker = fix_marker(f);
        let applied = if f.applied { " (fixed)" } else { "" };
        let sep = if marker.is_empty() { "" } else { " " };
        writeln!(
            out,
            "{}:{}:{}: {} {}{sep}{marker}{applied}",
            report.path.display(),
            f.start.line,
            f.start.column,
            f.transform,
            f.message
        )?;
    }
    Ok(())
}

pub fn write_check_summary(out: &mut dyn Write, s: &Summary, unsafe_fixes: bool) -> io::Result<()> {
    if s.findings == 0 {
        return writeln!(
            out,
            "No findings in {} file{}.",
            s.files_checked,
            plural(s.files_checked)
        );
    }
    let mut line = format!(
        "Found {} finding{} in {} file{}",
        s.findings,
        plural(s.findings),
        s.files_checked,
        plural(s.files_checked)
    );
    let fixable = if unsafe_fixes {
        s.fixable_safe + s.fixable_unsafe
    } else {
        s.fixable_safe
    };
    line.push_str(&format!(
        "; {fixable} fixable with `remedy apply{}`",
        if unsafe_fixes { " --unsafe-fixes" } else { "" }
    ));
    if !unsafe_fixes && s.fixable_unsafe > 0 {
        line.push_str(&format!(
            ", {} more with `--unsafe-fixes`",
            s.fixable_unsafe
        ));
    }
    if s.display_only > 0 {
        line.push_str(&format!(
            ", {} need a person (no automatic fix)",
            s.display_only
        ));
    }
    writeln!(out, "{line}.")
}

pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
