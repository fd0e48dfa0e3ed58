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

#[derive(Deserialize)]
struct Pyproject {
    tool: Option<Tool>,
}

#[derive(Deserialize)]
struct Tool {
    remedy: Option<toml::Value>,
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
    let table: toml::Value = if path.file_name().is_some_and(|n| n == "pyproject.toml") {
        let py: Pyproject = toml::from_str(&text).map_err(|e| err(format!("invalid TOML: {e}")))?;
        match py.tool.and_then(|t| t.remedy) {
            Some(v) => v,
            None => return Ok(None),
        }
    } else {
        let value: toml::Value =
            toml::from_str(&text).map_err(|e| err(format!("invalid TOML: {e}")))?;
        // remedy.toml may hold the options at top level or under [tool.remedy].
        match value.get("tool").and_then(|t| t.get("remedy")) {
            Some(v) => v.clone(),
            None => value,
        }
    };
    let options: Options = table.try_into().map_err(|e: toml::de::Error| {
        let section = if path.file_name().is_some_and(|n| n == "pyproject.toml") {
            "[tool.remedy]"
        } else {
            "remedy.toml"
        };
        err(format!("{section}: {}", e.message()))
    })?;
    Ok(Some(Config {
        options,
        file: Some(path.to_path_buf()),
    }))
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
