//! Configuration from `[tool.remedy]` in `pyproject.toml` or from `remedy.toml`,
//! found by walking up from the current directory (or named with `--config`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::RemedyError;

/// The `[tool.remedy]` table. Unknown keys are errors.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    pub select: Option<Vec<String>>,
    pub ignore: Option<Vec<String>>,
    pub exclude: Option<Vec<String>>,
    pub unsafe_fixes: Option<bool>,
    /// Glob → transform ids switched off for matching files.
    pub per_file_ignores: Option<BTreeMap<String, Vec<String>>>,
}

/// Loaded configuration and where it came from.
#[derive(Debug, Default, Clone)]
pub struct Config {
    pub options: Options,
    /// The file the options came from, if any.
    pub file: Option<PathBuf>,
}

impl Config {
    /// The directory containing the config file: the project root.
    pub fn root(&self) -> Option<&Path> {
        self.file.as_deref().and_then(Path::parent)
    }
}

/// `pyproject.toml`, and a `remedy.toml` that nests its options under `[tool.remedy]`.
/// Deserialized straight from the text, so that errors carry their position.
#[derive(Deserialize)]
struct Pyproject {
    tool: Option<Tool>,
}

#[derive(Deserialize)]
struct Tool {
    remedy: Option<Options>,
}
/// Loads `explicit` if given, else the nearest `remedy.toml` or `pyproject.toml` with a
/// `[tool.remedy]` table, walking up from `start`.
pub fn load(explicit: Option<&Path>, start: &Path) -> Result<Config, RemedyError> {
    if let Some(path) = explicit {
        let path = if path.is_absolute() {
            path.to_path_buf()
        } else {
            start.join(path)
        };
        return load_file(&path)?.ok_or_else(|| RemedyError::Config {
            path: path.clone(),
            message: "has no [tool.remedy] table".to_string(),
        });
    }
    for dir in start.ancestors() {
        for name in ["remedy.toml", "pyproject.toml"] {
            let candidate = dir.join(name);
            if candidate.is_file()
                && let Some(config) = load_file(&candidate)?
            {
                return Ok(config);
            }
        }
    }
    Ok(Config::default())
}

fn load_file(path: &Path) -> Result<Option<Config>, RemedyError> {
    let err = |message: String| RemedyError::Config {
        path: path.to_path_buf(),
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
    let is_pyproject = path.file_name().is_some_and(|n| n == "pyproject.toml");
    let located = |e: toml::de::Error| err(describe_toml_error(&text, &e, is_pyproject));
    let options = if is_pyproject {
        let py: Pyproject = toml::from_str(&text).map_err(located)?;
        match py.tool.and_then(|t| t.remedy) {
            Some(options) => options,
            None => return Ok(None),
        }
    } else {
        // remedy.toml may hold the options at top level or under [tool.remedy].
        let value: toml::Value = toml::from_str(&text).map_err(located)?;
        if value.get("tool").and_then(|t| t.get("remedy")).is_some() {
            let nested: Pyproject = toml::from_str(&text).map_err(located)?;
            nested.tool.and_then(|t| t.remedy).unwrap_or_default()
        } else {
            toml::from_str(&text).map_err(located)?
        }
    };
    Ok(Some(Config {
        options,
        file: Some(path.to_path_buf()),
    }))
}

/// `line L, column C: [tool.remedy] `key`: message`, with the offending line quoted.
fn describe_toml_error(text: &str, e: &toml::de::Error, is_pyproject: bool) -> String {
    let section = if is_pyproject {
        "[tool.remedy]"
    } else {
        "remedy.toml"
    };
    let message = e.message().trim_end();
    let Some(span) = e.span() else {
        return format!("{section}: {message}");
    };
    let start = span.start.min(text.len());
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line_no = text[..start].matches('\n').count() + 1;
    let column = text[line_start..start].chars().count() + 1;
    let source_line = text[line_start..line_end].trim_end_matches('\r');
    // The key, when the error points at a `key = value` line.
    let key = source_line
        .split_once('=')
        .filter(|(k, _)| line_start + k.len() <= start || k.trim().len() == span.len())
        .map(|(k, _)| k.trim().trim_matches('"'))
        .filter(|k| !k.is_empty() && !k.starts_with('['));
    let what = match key {
        Some(key) => format!("{section} `{key}`: {message}"),
        None => format!("{section}: {message}"),
    };
    format!("line {line_no}, column {column}: {what}\n  | {source_line}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_is_an_error_naming_key_and_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("pyproject.toml"),
            "[tool.remedy]\nselct = [\"x\"]\n",
        )
        .unwrap();
        let err = load(None, dir.path()).unwrap_err().to_string();
        assert!(err.contains("selct"), "{err}");
        assert!(err.contains("pyproject.toml"), "{err}");
        assert!(err.contains("line 2"), "{err}");
    }

    #[test]
    fn a_bad_value_names_file_line_and_key() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("pyproject.toml"),
            "[project]\nname = \"x\"\n\n[tool.remedy]\nunsafe-fixes = \"yes\"\n",
        )
        .unwrap();
        let err = load(None, dir.path()).unwrap_err().to_string();
        assert!(err.contains("pyproject.toml: line 5, column 16"), "{err}");
        assert!(err.contains("`unsafe-fixes`"), "{err}");
        assert!(err.contains("expected a boolean"), "{err}");
        // remedy.toml, top level and nested.
        std::fs::write(
            dir.path().join("remedy.toml"),
            "select = \"utcnow-to-aware\"\n",
        )
        .unwrap();
        let err = load(None, dir.path()).unwrap_err().to_string();
        assert!(err.contains("remedy.toml: line 1"), "{err}");
        assert!(err.contains("`select`"), "{err}");
        std::fs::write(
            dir.path().join("remedy.toml"),
            "[tool.remedy]\nignore = [\"pickle-to-json\"]\n",
        )
        .unwrap();
        let config = load(None, dir.path()).unwrap();
        assert_eq!(config.options.ignore.unwrap(), vec!["pickle-to-json"]);
    }

    #[test]
    fn walks_up_and_skips_pyproject_without_table() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("pyproject.toml"), "[tool.remedy]\nunsafe-fixes = true\n[tool.remedy.per-file-ignores]\n\"tests/*\" = [\"require-secrets\"]\n").unwrap();
        let sub = dir.path().join("pkg");
        std::fs::create_dir(&sub).unwrap();
        std::fs::write(sub.join("pyproject.toml"), "[project]\nname = \"x\"\n").unwrap();
        let config = load(None, &sub).unwrap();
        assert_eq!(config.options.unsafe_fixes, Some(true));
        assert_eq!(config.root(), Some(dir.path()));
        assert_eq!(
            config.options.per_file_ignores.unwrap()["tests/*"],
            vec!["require-secrets"]
        );
    }
}
