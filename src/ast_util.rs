//! Small AST queries every transform needs: finding a statement and its siblings,
//! reading literals, naming call targets.

use ruff_python_ast::{self as ast, Expr, ModModule, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

/// A statement with the suite (body) it belongs to and its index there.
pub struct Located<'a> {
    pub stmt: &'a Stmt,
    pub suite: &'a [Stmt],
    pub index: usize,
    /// The innermost enclosing function, if any.
    pub function: Option<&'a ast::StmtFunctionDef>,
    /// The innermost enclosing class, if any.
    pub class: Option<&'a ast::StmtClassDef>,
}

/// Every suite nested directly in a statement.
pub fn child_suites(stmt: &Stmt) -> Vec<&[Stmt]> {
    match stmt {
        Stmt::FunctionDef(f) => vec![&f.body],
        Stmt::ClassDef(c) => vec![&c.body],
        Stmt::For(f) => vec![&f.body, &f.orelse],
        Stmt::While(w) => vec![&w.body, &w.orelse],
        Stmt::If(i) => {
            let mut v: Vec<&[Stmt]> = vec![&i.body];
            v.extend(i.elif_else_clauses.iter().map(|c| c.body.as_slice()));
            v
        }
        Stmt::With(w) => vec![&w.body],
        Stmt::Match(m) => m.cases.iter().map(|c| c.body.as_slice()).collect(),
        Stmt::Try(t) => {
            let mut v: Vec<&[Stmt]> = vec![&t.body];
            for h in &t.handlers {
                let ast::ExceptHandler::ExceptHandler(h) = h;
                v.push(&h.body);
            }
            v.push(&t.orelse);
            v.push(&t.finalbody);
            v
        }
        _ => Vec::new(),
    }
}

/// The innermost statement whose range contains `range`, with its context.
pub fn statement_containing(module: &ModModule, range: TextRange) -> Option<Located<'_>> {
    let mut suite: &[Stmt] = &module.body;
    let mut found: Option<Located<'_>> = None;
    let mut function = None;
    let mut class = None;
    'outer: loop {
        for (index, stmt) in suite.iter().enumerate() {
            if stmt.range().contains_range(range) {
                found = Some(Located {
                    stmt,
                    suite,
                    index,
                    function,
                    class,
                });
                match stmt {
                    Stmt::FunctionDef(f) => function = Some(f),
                    Stmt::ClassDef(c) => class = Some(c),
                    _ => {}
                }
                for child in child_suites(stmt) {
                    if child.iter().any(|s| s.range().contains_range(range)) {
                        suite = child;
                        continue 'outer;
                    }
                }
                break 'outer;
            }
        }
        break;
    }
    found
}

/// The statement whose range is exactly `range`.
pub fn statement_at(module: &ModModule, range: TextRange) -> Option<Located<'_>> {
    statement_containing(module, range).filter(|l| l.stmt.range() == range)
}

/// The innermost function containing `offset`.
pub fn enclosing_function(module: &ModModule, offset: TextSize) -> Option<&ast::StmtFunctionDef> {
    let located = statement_containing(module, TextRange::empty(offset))?;
    match located.stmt {
        Stmt::FunctionDef(f) if f.range.contains(offset) => Some(f),
        _ => located.function,
    }
}

/// The value of a plain string literal (no f-string), concatenated if implicit.
pub fn string_literal(expr: &Expr) -> Option<String> {
    match expr {
        Expr::StringLiteral(s) => Some(s.value.to_str().to_string()),
        _ => None,
    }
}

/// The integer value of an int literal that fits in i64.
pub fn int_literal(expr: &Expr) -> Option<i64> {
    match expr {
        Expr::NumberLiteral(ast::ExprNumberLiteral {
            value: ast::Number::Int(i),
            ..
        }) => i.as_i64(),
        _ => None,
    }
}

/// The dotted source form of a Name/Attribute chain (`a.b.c`), without resolving imports.
pub fn dotted_name(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Name(n) => Some(n.id.to_string()),
        Expr::Attribute(a) => Some(format!("{}.{}", dotted_name(&a.value)?, a.attr)),
        _ => None,
    }
}

/// The last segment of a call's callee: `get` for `r.get(...)`, `loads` for `loads(...)`.
pub fn callee_name(call: &ast::ExprCall) -> Option<&str> {
    match call.func.as_ref() {
        Expr::Name(n) => Some(n.id.as_str()),
        Expr::Attribute(a) => Some(a.attr.as_str()),
        _ => None,
    }
}

/// The keyword argument named `name`.
pub fn keyword<'a>(call: &'a ast::ExprCall, name: &str) -> Option<&'a ast::Keyword> {
    call.arguments
        .keywords
        .iter()
        .find(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == name))
}

/// The value of the first keyword argument of `call` named one of `names`.
pub fn keyword_value_in<'a>(call: &'a ast::ExprCall, names: &[&str]) -> Option<&'a Expr> {
    call.arguments
        .keywords
        .iter()
        .find(|k| k.arg.as_ref().is_some_and(|a| names.contains(&a.as_str())))
        .map(|k| &k.value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_statement_and_function() {
        let src = "import x\nclass C:\n    def f(self):\n        if a:\n            y = 1\n";
        let parsed = ruff_python_parser::parse_module(src).unwrap();
        let at = TextSize::try_from(src.find("y = 1").unwrap()).unwrap();
        let located = statement_containing(parsed.syntax(), TextRange::empty(at)).unwrap();
        assert!(matches!(located.stmt, Stmt::Assign(_)));
        assert_eq!(located.function.unwrap().name.as_str(), "f");
        assert_eq!(located.class.unwrap().name.as_str(), "C");
        assert_eq!(
            enclosing_function(parsed.syntax(), at)
                .unwrap()
                .name
                .as_str(),
            "f"
        );
    }
}
