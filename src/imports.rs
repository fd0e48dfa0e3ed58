//! Import edits shared by all transforms: bind a name from a module (reusing an existing
//! import when one already means it), and remove an import that a fix made unused.
//! Modelled on ruff's importer: new imports go after the file's leading import block.

use ruff_python_ast::{self as ast, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::ast_util;
use crate::bindings::Binding;
use crate::context::FileContext;
use crate::edit::Edit;
use crate::source;

/// Why a name could not be made available.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// The name is already bound to something else in this file.
    NameTaken { name: String },
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::NameTaken { name } => {
                write!(f, "`{name}` already means something else in this file")
            }
        }
    }
}

/// The expression text to use for `module.member` at `at`, and the import edit (if any)
/// that makes it valid. Prefers, in order: a name already bound to `module.member`;
/// `<alias>.member` where `module` is already imported; a new `from module import member`
/// (added to an existing top-level `from module import ...` when there is one).
pub fn import_member(
    ctx: &FileContext,
    module: &str,
    member: &str,
    at: TextSize,
) -> Result<(String, Option<Edit>), ImportError> {
    let qualified = format!("{module}.{member}");
    let b = ctx.bindings;
    // A name bound to exactly module.member at `at`.
    for binding in b.imports_of(&qualified) {
        if binding.qualified_name().as_deref() == Some(qualified.as_str())
            && !b.may_be_rebound_by_star(binding)
            && b.resolve_unique(&binding.name, at)
                .is_some_and(|r| r.range == binding.range)
        {
            return Ok((binding.name.clone(), None));
        }
    }
    // The module itself bound (`import datetime as dt` → `dt.timezone`).
    for binding in b.imports_of(module) {
        if binding.qualified_name().as_deref() == Some(module)
            && !b.may_be_rebound_by_star(binding)
            && b.resolve_unique(&binding.name, at)
                .is_some_and(|r| r.range == binding.range)
        {
            return Ok((format!("{}.{member}", binding.name), None));
        }
    }
    if !b.is_unused_name(member) {
        return Err(ImportError::NameTaken {
            name: member.to_string(),
        });
    }
    if let Some(edit) = add_to_existing_from_import(ctx, module, member) {
        return Ok((member.to_string(), Some(edit)));
    }
    Ok((
        member.to_string(),
        Some(insert_import_line(
            ctx,
            &format!("from {module} import {member}"),
        )),
    ))
}

/// The name to use for `module` at `at` (`json`), and the `import module` edit if needed.
pub fn import_module(
    ctx: &FileContext,
    module: &str,
    at: TextSize,
) -> Result<(String, Option<Edit>), ImportError> {
    let b = ctx.bindings;
    for binding in b.imports_of(module) {
        if binding.qualified_name().as_deref() == Some(module)
            && !b.may_be_rebound_by_star(binding)
            && b.resolve_unique(&binding.name, at)
                .is_some_and(|r| r.range == binding.range)
        {
            return Ok((binding.name.clone(), None));
        }
    }
    let head = module.split('.').next().unwrap_or(module);
    if !b.is_unused_name(head) {
        return Err(ImportError::NameTaken {
            name: head.to_string(),
        });
    }
    Ok((
        module.to_string(),
        Some(insert_import_line(ctx, &format!("import {module}"))),
    ))
}

/// Adds `, member` to an existing top-level `from module import a, b`.
fn add_to_existing_from_import(ctx: &FileContext, module: &str, member: &str) -> Option<Edit> {
    ctx.module().body.iter().find_map(|stmt| match stmt {
        Stmt::ImportFrom(import)
            if import.level == 0
                && import.module.as_ref().is_some_and(|m| m.as_str() == module)
                && !import.names.iter().any(|a| a.name.as_str() == "*") =>
        {
            let last = import.names.last()?;
            Some(Edit::insertion(format!(", {member}"), last.end()))
        }
        _ => None,
    })
}

/// The offset where a new top-level import line goes: after the leading block of imports
/// (docstring, `__future__`, plain imports, `try: import ...` blocks), else after the docstring,
/// else at the start of the file.
pub fn import_insertion_offset(ctx: &FileContext) -> TextSize {
    let body = &ctx.module().body;
    let mut after: Option<&Stmt> = None;
    for (i, stmt) in body.iter().enumerate() {
        let is_docstring =
            i == 0 && matches!(stmt, Stmt::Expr(e) if e.value.is_string_literal_expr());
        let is_import =
            matches!(stmt, Stmt::Import(_) | Stmt::ImportFrom(_)) || is_import_try(stmt);
        if is_docstring || is_import {
            after = Some(stmt);
        } else {
            break;
        }
    }
    match after {
        Some(stmt) => source::full_line_end(ctx.source, stmt.end()),
        None => TextSize::new(0),
    }
}

fn is_import_try(stmt: &Stmt) -> bool {
    let Stmt::Try(t) = stmt else { return false };
    let only_imports = |suite: &[Stmt]| {
        suite
            .iter()
            .all(|s| matches!(s, Stmt::Import(_) | Stmt::ImportFrom(_) | Stmt::Pass(_)))
    };
    only_imports(&t.body)
        && t.handlers.iter().all(|h| {
            let ast::ExceptHandler::ExceptHandler(h) = h;
            only_imports(&h.body)
        })
}

/// An edit inserting `line` (without its line ending) as a new top-level import.
pub fn insert_import_line(ctx: &FileContext, line: &str) -> Edit {
    let offset = import_insertion_offset(ctx);
    let le = ctx.line_ending();
    let before = &ctx.source[..usize::from(offset)];
    let needs_leading_newline = !before.is_empty() && !before.ends_with(['\n', '\r']);
    let content = if needs_leading_newline {
        format!("{le}{line}{le}")
    } else {
        format!("{line}{le}")
    };
    Edit::insertion(content, offset)
}

/// An edit that removes `binding`'s import: the alias alone when the statement imports
/// several names, else the whole statement (replaced by `pass` when it is the only
/// statement of its block). None when the statement shares its line with other code.
pub fn remove_import(ctx: &FileContext, binding: &Binding) -> Option<Edit> {
    let located = ast_util::statement_at(ctx.module(), binding.statement)?;
    let names: &[ast::Alias] = match located.stmt {
        Stmt::Import(i) => &i.names,
        Stmt::ImportFrom(i) => &i.names,
        _ => return None,
    };
    // A name bound by `from m import *` goes with every other name the star binds.
    if names
        .iter()
        .any(|a| a.range == binding.range && a.name.as_str() == "*")
    {
        return None;
    }
    if names.len() > 1 {
        let index = names.iter().position(|a| a.range == binding.range)?;
        let range = if index + 1 < names.len() {
            TextRange::new(names[index].start(), names[index + 1].start())
        } else {
            TextRange::new(names[index - 1].end(), names[index].end())
        };
        // Keep comments and line structure of parenthesized imports intact.
        if ctx.slice(range).contains('#') {
            return None;
        }
        return Some(Edit::deletion(range));
    }
    delete_statement(ctx, located.stmt, located.suite)
}

/// An edit that deletes a whole statement with its line, or replaces it with `pass` when it
/// is alone in its block. None when other code shares its lines.
pub fn delete_statement(ctx: &FileContext, stmt: &Stmt, suite: &[Stmt]) -> Option<Edit> {
    let start = source::line_start(ctx.source, stmt.start());
    if !source::is_first_on_line(ctx.source, stmt.start()) {
        return None;
    }
    let end_of_line = source::line_end(ctx.source, stmt.end());
    let rest = ctx.source[usize::from(stmt.end())..usize::from(end_of_line)].trim_start();
    if !(rest.is_empty() || rest.starts_with('#')) {
        return None;
    }
    if suite.len() == 1 {
        return Some(Edit::replacement("pass", stmt.range()));
    }
    let end = source::full_line_end(ctx.source, stmt.end());
    Some(Edit::deletion(TextRange::new(start, end)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bindings::Bindings;
    use crate::context::Project;
    use crate::edit::apply_edits;
    use std::path::Path;

    fn with_ctx<R>(src: &str, f: impl FnOnce(&FileContext) -> R) -> R {
        let parsed = ruff_python_parser::parse_module(src).unwrap();
        let bindings = Bindings::build(parsed.syntax());
        let project = Project::on_disk("/nonexistent");
        let ctx = FileContext::new(Path::new("x.py"), src, &parsed, &bindings, &project);
        f(&ctx)
    }

    fn end(src: &str) -> TextSize {
        TextSize::of(src)
    }

    #[test]
    fn extends_existing_from_import() {
        let src = "\"\"\"Doc.\"\"\"\nfrom datetime import datetime\n\nx = datetime.utcnow()\n";
        let (name, edit) = with_ctx(src, |c| {
            import_member(c, "datetime", "timezone", end(src)).unwrap()
        });
        assert_eq!(name, "timezone");
        let out = apply_edits(src, &[&edit.unwrap()]);
        assert!(
            out.contains("from datetime import datetime, timezone\n"),
            "{out}"
        );
    }

    #[test]
    fn uses_module_alias() {
        let src = "import datetime as dt\nx = dt.datetime.utcnow()\n";
        let (name, edit) = with_ctx(src, |c| {
            import_member(c, "datetime", "timezone", end(src)).unwrap()
        });
        assert_eq!(name, "dt.timezone");
        assert!(edit.is_none());
    }

    #[test]
    fn refuses_taken_name() {
        let src = "from pytz import timezone\nfrom datetime import datetime\n";
        let err = with_ctx(src, |c| {
            import_member(c, "datetime", "timezone", end(src)).unwrap_err()
        });
        assert_eq!(
            err,
            ImportError::NameTaken {
                name: "timezone".into()
            }
        );
    }

    #[test]
    fn new_import_after_leading_block_crlf() {
        let src = "\"\"\"Doc.\"\"\"\r\nimport os\r\n\r\nx = 1\r\n";
        let (name, edit) = with_ctx(src, |c| import_module(c, "json", end(src)).unwrap());
        assert_eq!(name, "json");
        assert_eq!(
            apply_edits(src, &[&edit.unwrap()]),
            "\"\"\"Doc.\"\"\"\r\nimport os\r\nimport json\r\n\r\nx = 1\r\n"
        );
    }

    #[test]
    fn removes_alias_or_statement() {
        let src = "import os, pickle\nimport json\nx = 1\n";
        let out = with_ctx(src, |c| {
            let b = c.bindings.bindings_named("pickle").next().unwrap();
            let e1 = remove_import(c, b).unwrap();
            let j = c.bindings.bindings_named("json").next().unwrap();
            let e2 = remove_import(c, j).unwrap();
            apply_edits(src, &[&e1, &e2])
        });
        assert_eq!(out, "import os\nx = 1\n");
        let src = "def f():\n    import pickle\n";
        let out = with_ctx(src, |c| {
            let b = c.bindings.bindings_named("pickle").next().unwrap();
            apply_edits(src, &[&remove_import(c, b).unwrap()])
        });
        assert_eq!(out, "def f():\n    pass\n");
    }
}
