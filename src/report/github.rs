//! GitHub Actions workflow annotations: `::error file=...,line=...,col=...,title=...::message`.

use std::io::{self, Write};

use super::FileReport;

/// Escapes a property value (`file=`, `title=`) per the workflow command rules.
fn escape_property(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
        .replace(':', "%3A")
        .replace(',', "%2C")
}

/// Escapes the message part.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

pub fn write_annotations(out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
    let path = report.path.to_string_lossy().replace('\\', "/");
    for f in &report.findings {
        let fix = match &f.fix {
            Some(fix) => format!(
                " (fix: {}, {})",
                fix.description,
                fix.applicability.as_str()
            ),
            None => String::new(),
        };
        writeln!(
            out,
            "::error file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(&path),
            f.start.line,
            f.start.column,
            f.end.line,
            f.end.column,
            escape_property(&format!("remedy {}", f.transform)),
            escape_data(&format!("{}{fix}", f.message)),
        )?;
    }
    if let Some(p) = &report.problem {
        writeln!(
            out,
            "::warning file={}::{}",
            escape_property(&path),
            escape_data(&p.to_string())
        )?;
    }
    Ok(())
}
