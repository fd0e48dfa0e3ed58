//! Cheap line-level text tests that transforms use in `Transform::may_match`, so files that
//! merely mention a trigger word (in prose, a docstring, an unrelated name) are never parsed.

/// Lines of `text` (without terminators), splitting on `\n`, `\r\n` and `\r`.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.split(['\n', '\r']).filter(|l| !l.is_empty())
}

/// The text after `#` of every line that holds only a comment.
pub fn comment_only_lines(text: &str) -> impl Iterator<Item = &str> {
    lines(text).filter_map(|l| l.trim_start_matches([' ', '\t', '\x0c']).strip_prefix('#'))
}

/// Lines that start (after indentation) an `import` or `from ... import` statement.
pub fn import_lines(text: &str) -> impl Iterator<Item = &str> {
    lines(text).filter(|l| {
        let t = l.trim_start_matches([' ', '\t', '\x0c']);
        ["import", "from"].iter().any(|kw| {
            t.strip_prefix(kw)
                .is_some_and(|rest| rest.starts_with([' ', '\t', '\\']))
        })
    })
}

/// True when some import line mentions `module` (also `import a, module`, `from module import x`,
/// `import cmodule`-style names that contain it).
pub fn imports_mentioning(text: &str, module: &str) -> bool {
    memchr::memmem::find(text.as_bytes(), module.as_bytes()).is_some()
        && import_lines(text).any(|l| l.contains(module))
}

/// Whether some match of `patterns` in `text` is accepted by `accept(line, start, end)`, where
/// `line` is the whole line holding the match and `start..end` the match within it.
pub fn any_match_on_a_line(
    text: &str,
    patterns: &aho_corasick::AhoCorasick,
    mut accept: impl FnMut(&str, usize, usize) -> bool,
) -> bool {
    let bytes = text.as_bytes();
    patterns.find_overlapping_iter(text).any(|m| {
        let start = memchr::memrchr2(b'\n', b'\r', &bytes[..m.start()]).map_or(0, |i| i + 1);
        let end =
            memchr::memchr2(b'\n', b'\r', &bytes[m.end()..]).map_or(text.len(), |i| m.end() + i);
        accept(&text[start..end], m.start() - start, m.end() - start)
    })
}

/// Whether some comment-only line (only indentation before its `#`) contains a match of
/// `patterns`. Jumps from `#` to `#` with memchr, so the cost is one fast scan of the file plus
/// the comment lines themselves, far less than running `patterns` over the whole text.
pub fn any_comment_only_line_matching(text: &str, patterns: &aho_corasick::AhoCorasick) -> bool {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(hash) = memchr::memchr(b'#', &bytes[from..]).map(|i| from + i) {
        let line_start = memchr::memrchr2(b'\n', b'\r', &bytes[..hash]).map_or(0, |i| i + 1);
        let line_end =
            memchr::memchr2(b'\n', b'\r', &bytes[hash..]).map_or(bytes.len(), |i| hash + i);
        // Any later `#` on this line follows the first one, so it is never comment-only
        // itself: the search goes on from the next line.
        if is_comment_only(&text[line_start..line_end]) && patterns.is_match(&text[hash..line_end])
        {
            return true;
        }
        from = line_end;
    }
    false
}

/// Whether `line` holds only a comment (after indentation).
pub fn is_comment_only(line: &str) -> bool {
    line.trim_start_matches([' ', '\t', '\x0c'])
        .starts_with('#')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_and_import_lines() {
        let text = "import os, pickle\r\n  # raise x\nx = 1  # not only\n\tfrom cPickle import loads\nimportant = 1\n";
        assert_eq!(
            comment_only_lines(text).collect::<Vec<_>>(),
            vec![" raise x"]
        );
        assert_eq!(import_lines(text).count(), 2);
        let raise = aho_corasick::AhoCorasick::new(["raise"]).unwrap();
        assert!(any_comment_only_line_matching(text, &raise));
        assert!(!any_comment_only_line_matching(
            "x = 1  # raise\ny = '#' # raise\n  #\n",
            &raise
        ));
        assert!(any_comment_only_line_matching(
            "x = 1  # raise\r\n\x0c\t# raise\r\n",
            &raise
        ));
        assert!(imports_mentioning(text, "ickle"));
        assert!(!imports_mentioning(
            "# pickle is great\nx = 'import pickle'\n",
            "pickle"
        ));
    }
}
