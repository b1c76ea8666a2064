//! `.astscan.toml`: project configuration, found from the scan root upward.
//!
//! Command-line options win over the file; lists (excludes, rule directories) add up. Unknown
//! keys are errors that name the key and the file, so a typo is not silently ignored.
//!
//! ```toml
//! exclude = ["vendor/**", "*.min.js"]     # gitignore syntax, like --exclude
//! fail-on = "medium"                      # like --fail-on
//! rule-dirs = ["tools/astscan-rules"]     # like --rules, relative to this file
//! disable = ["python.weak-hash.*", "CWE-330"]   # rule ids (globs), CWE-n, or OWASP A0n
//! enable = []                             # when not empty: only these rules run
//! [severity]                              # severity overrides, by rule id (glob)
//! "python.cookie.*" = "low"
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::cli::FailOn;
use crate::rules::{Rule, Severity};

/// The file name looked for.
pub const FILE_NAME: &str = ".astscan.toml";

/// The contents of `.astscan.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Extra excludes (gitignore syntax).
    #[serde(default)]
    pub exclude: Vec<String>,
    /// The failure threshold.
    pub fail_on: Option<FailOnName>,
    /// Extra rule directories, relative to the config file.
    #[serde(default)]
    pub rule_dirs: Vec<PathBuf>,
    /// Rules not to run.
    #[serde(default)]
    pub disable: Vec<String>,
    /// When not empty, the only rules to run.
    #[serde(default)]
    pub enable: Vec<String>,
    /// Severity overrides by rule id (globs allowed).
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
}

/// `fail-on` values, as in `--fail-on`.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailOnName {
    /// Any finding.
    Low,
    /// Medium and above.
    Medium,
    /// High and above.
    High,
    /// Critical only.
    Critical,
    /// Never.
    Never,
}

impl From<FailOnName> for FailOn {
    fn from(f: FailOnName) -> FailOn {
        match f {
            FailOnName::Low => FailOn::Low,
            FailOnName::Medium => FailOn::Medium,
            FailOnName::High => FailOn::High,
            FailOnName::Critical => FailOn::Critical,
            FailOnName::Never => FailOn::Never,
        }
    }
}

/// A configuration file that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct ConfigError {
    /// The file.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

/// A loaded configuration and where it came from.
#[derive(Debug)]
pub struct Loaded {
    /// The file.
    pub path: PathBuf,
    /// Its contents.
    pub config: Config,
}

impl Loaded {
    /// Rule directories resolved against the file's directory.
    pub fn rule_dirs(&self) -> Vec<PathBuf> {
        let base = self.path.parent().unwrap_or(Path::new("."));
        self.config.rule_dirs.iter().map(|d| base.join(d)).collect()
    }
}

/// Reads one configuration file.
pub fn load(path: &Path) -> Result<Loaded, ConfigError> {
    let err = |message: String| ConfigError {
        path: crate::pathfmt::escape(path),
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
    let config: Config =
        toml::from_str(&text).map_err(|e| err(e.to_string().trim().to_string()))?;
    for pattern in config
        .disable
        .iter()
        .chain(&config.enable)
        .chain(config.severity.keys())
    {
        selector(pattern).map_err(|e| err(format!("selector {pattern:?}: {e}")))?;
    }
    Ok(Loaded {
        path: path.to_path_buf(),
        config,
    })
}

/// Finds `.astscan.toml` in `start` (a directory, or a file's directory) or its ancestors.
pub fn find(start: &Path) -> Result<Option<Loaded>, ConfigError> {
    let dir = if start.is_dir() {
        start.to_path_buf()
    } else {
        start.parent().unwrap_or(Path::new(".")).to_path_buf()
    };
    let dir = std::path::absolute(if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        &dir
    })
    .unwrap_or(dir);
    for d in dir.ancestors() {
        let candidate = d.join(FILE_NAME);
        if candidate.is_file() {
            return load(&candidate).map(Some);
        }
    }
    Ok(None)
}

/// A rule selector: a glob over rule ids, `CWE-<n>`, or an OWASP category prefix (`A03`).
enum Selector {
    Id(globset::GlobMatcher),
    Cwe(u32),
    Owasp(String),
}

fn selector(pattern: &str) -> Result<Selector, String> {
    if let Some(n) = pattern.strip_prefix("CWE-") {
        return n
            .parse()
            .map(Selector::Cwe)
            .map_err(|_| "not CWE-<number>".to_string());
    }
    if pattern.len() >= 3
        && pattern.starts_with('A')
        && pattern[1..3].chars().all(|c| c.is_ascii_digit())
    {
        return Ok(Selector::Owasp(pattern.to_string()));
    }
    globset::Glob::new(pattern)
        .map(|g| Selector::Id(g.compile_matcher()))
        .map_err(|e| e.to_string())
}

fn matches(sel: &Selector, rule: &Rule) -> bool {
    match sel {
        Selector::Id(g) => g.is_match(&rule.id),
        Selector::Cwe(n) => rule.cwe == *n,
        Selector::Owasp(prefix) => rule.owasp.starts_with(prefix.as_str()),
    }
}

impl Config {
    /// Applies `enable`, `disable` and `severity` to a rule set.
    pub fn select(&self, rules: Vec<Rule>) -> Vec<Rule> {
        // Selectors were validated in `load`; an invalid one here matches nothing.
        let compile = |list: &[String]| -> Vec<Selector> {
            list.iter().filter_map(|p| selector(p).ok()).collect()
        };
        let enable = compile(&self.enable);
        let disable = compile(&self.disable);
        let overrides: Vec<(Selector, Severity)> = self
            .severity
            .iter()
            .filter_map(|(p, s)| selector(p).ok().map(|sel| (sel, *s)))
            .collect();
        rules
            .into_iter()
            .filter(|r| enable.is_empty() || enable.iter().any(|s| matches(s, r)))
            .filter(|r| !disable.iter().any(|s| matches(s, r)))
            .map(|mut r| {
                if let Some((_, sev)) = overrides.iter().rev().find(|(s, _)| matches(s, &r)) {
                    r.severity = *sev;
                }
                r
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, text: &str) -> PathBuf {
        let p = dir.join(FILE_NAME);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn unknown_keys_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(dir.path(), "exclude = []\nfail_on = \"high\"\n");
        let err = load(&p).unwrap_err().to_string();
        assert!(
            err.contains("fail_on") && err.contains(".astscan.toml"),
            "{err}"
        );
    }

    #[test]
    fn selection_and_overrides() {
        let rules = crate::rules::builtin().unwrap();
        let total = rules.len();
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "disable = [\"python.weak-hash.*\", \"CWE-330\"]\n[severity]\n\"python.code-injection.*\" = \"critical\"\n",
        );
        let cfg = load(&p).unwrap().config;
        let selected = cfg.select(rules);
        assert!(selected.len() < total);
        assert!(
            !selected
                .iter()
                .any(|r| r.id.starts_with("python.weak-hash.") || r.cwe == 330)
        );
        let eval = selected
            .iter()
            .find(|r| r.id == "python.code-injection.eval")
            .unwrap();
        assert_eq!(eval.severity, Severity::Critical);
        let only = load(&write(dir.path(), "enable = [\"A03\"]\n"))
            .unwrap()
            .config
            .select(crate::rules::builtin().unwrap());
        assert!(only.iter().all(|r| r.owasp.starts_with("A03")) && !only.is_empty());
    }

    #[test]
    fn found_from_a_subdirectory_upward() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "fail-on = \"high\"\n");
        std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
        let found = find(&dir.path().join("a/b")).unwrap().unwrap();
        assert!(matches!(found.config.fail_on, Some(FailOnName::High)));
        let bad = write(dir.path(), "disable = [\"CWE-x\"]\n");
        assert!(load(&bad).unwrap_err().to_string().contains("CWE-x"));
    }
}
