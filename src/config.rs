//! `.astscan.toml`: project configuration, one per scan.
//!
//! A scan reads one file, whatever the order of its paths: the nearest `.astscan.toml` at or
//! above the deepest directory that holds every scanned path (the repository root for
//! `--staged` and `--diff`); `--config` names one instead. Command-line options win over the
//! file; lists (excludes, rule directories, `disable`) add up, while `--enable` replaces the
//! file's `enable`. Unknown keys are errors that name the key and the file, so a typo is not
//! silently ignored, and so are selectors that match no rule (see [`crate::rules::select`]).
//!
//! ```toml
//! exclude = ["vendor/**", "*.min.js"]     # gitignore syntax, like --exclude
//! fail-on = "medium"                      # like --fail-on
//! rule-dirs = ["tools/astscan-rules"]     # like --rules, relative to this file
//! disable = ["python.weak-hash.*", "CWE-330"]   # rule ids (globs), CWE-n, or OWASP A0n
//! enable = []                             # when not empty: only these rules run
//! jobs = 4                                # like --jobs
//! timeout = 10                            # like --timeout (seconds)
//! max-file-size = "20M"                   # like --max-file-size (or a number of bytes)
//! include-generated = false               # like --include-generated
//! min-confidence = "medium"               # like --min-confidence
//! cache-url = "redis://cache.internal"    # like --cache-url (no password here: use
//!                                         # ASTSCAN_CACHE_PASSWORD)
//! cache-ttl = "7d"                        # like --cache-ttl
//! [severity]                              # severity overrides, by rule id (glob)
//! "python.cookie.*" = "low"
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer};

use crate::cli::FailOn;
use crate::rules::Severity;
use crate::rules::select::{Origin, SelectError, Selection};

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
    /// Parser worker processes, as `--jobs`.
    pub jobs: Option<NonZeroUsize>,
    /// Per-file deadline in seconds, as `--timeout`.
    #[serde(default, deserialize_with = "seconds")]
    pub timeout: Option<f64>,
    /// Largest file parsed, in bytes, as `--max-file-size` (a number, or a string like "10M").
    #[serde(default, deserialize_with = "size")]
    pub max_file_size: Option<u64>,
    /// Parse minified and generated files, as `--include-generated`.
    pub include_generated: Option<bool>,
    /// Run only rules at least this confident, as `--min-confidence`.
    pub min_confidence: Option<crate::rules::Confidence>,
    /// The remote cache server, as `--cache-url`.
    pub cache_url: Option<String>,
    /// Lifetime of remote cache entries, as `--cache-ttl`.
    #[serde(default, deserialize_with = "duration")]
    pub cache_ttl: Option<std::time::Duration>,
}

/// `cache-ttl`: a duration as `--cache-ttl` takes it ("30d", "12h").
fn duration<'de, D: Deserializer<'de>>(d: D) -> Result<Option<std::time::Duration>, D::Error> {
    let text = String::deserialize(d)?;
    crate::cli::parse_duration(&text)
        .map(Some)
        .map_err(serde::de::Error::custom)
}

/// `timeout`: seconds, as `--timeout` takes them.
fn seconds<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    let v = f64::deserialize(d)?;
    crate::cli::check_seconds(v)
        .map(Some)
        .map_err(serde::de::Error::custom)
}

/// `max-file-size`: bytes, or a size string as `--max-file-size` takes it.
fn size<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Size {
        Bytes(u64),
        Text(String),
    }
    match Size::deserialize(d)? {
        Size::Bytes(n) => Ok(Some(n)),
        Size::Text(t) => crate::cli::parse_size(&t)
            .map(Some)
            .map_err(serde::de::Error::custom),
    }
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

    /// The file's `enable`, `disable` and `severity`, as a selection.
    pub fn selection(&self) -> Result<Selection, SelectError> {
        let file = crate::pathfmt::escape(&self.path);
        let origin = |key| Origin::Config {
            file: file.clone(),
            key,
        };
        let mut sel = Selection::default();
        sel.set_enable(origin("enable"), &self.config.enable)?;
        sel.add_disable(origin("disable"), &self.config.disable)?;
        sel.add_severity(origin("severity"), &self.config.severity)?;
        Ok(sel)
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
    let loaded = Loaded {
        path: path.to_path_buf(),
        config,
    };
    // Syntax now, so a bad selector is reported as the file's before anything runs.
    loaded.selection().map_err(|e| match e {
        SelectError::Invalid {
            origin: Origin::Config { key, .. },
            pattern,
            why,
        } => err(format!("{key}: selector {pattern:?}: {why}")),
        other => err(other.to_string()),
    })?;
    Ok(loaded)
}

/// The configuration a scan of `paths` reads, if any, and the files it leaves unused.
#[derive(Debug)]
pub struct Found {
    /// The configuration, if one was found.
    pub loaded: Option<Loaded>,
    /// Configuration files nearer to some scanned path than the one read (so not used).
    pub unused: Vec<PathBuf>,
}

/// Finds the one configuration of a scan of `paths`: the nearest `.astscan.toml` at or above
/// the deepest directory holding all of them (a file stands for its directory), so the order
/// of the paths makes no difference.
pub fn find_for(paths: &[PathBuf]) -> Result<Found, ConfigError> {
    let dirs: BTreeSet<PathBuf> = paths.iter().map(|p| dir_of(p)).collect();
    let common = crate::lexical::common_ancestor(&dirs).unwrap_or_else(|| dir_of(Path::new(".")));
    let chosen = nearest(&common);
    let unused: BTreeSet<PathBuf> = dirs
        .iter()
        .filter_map(|d| nearest(d))
        .filter(|p| Some(p) != chosen.as_ref())
        .collect();
    Ok(Found {
        loaded: chosen.as_deref().map(load).transpose()?,
        unused: unused.into_iter().collect(),
    })
}

/// Finds `.astscan.toml` in `start` (a directory, or a file's directory) or its ancestors.
pub fn find(start: &Path) -> Result<Option<Loaded>, ConfigError> {
    nearest(&dir_of(start)).as_deref().map(load).transpose()
}

/// The nearest `.astscan.toml` in `dir` or its ancestors.
fn nearest(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|candidate| candidate.is_file())
}

/// The absolute directory `path` stands for: itself if it is a directory, else its parent;
/// `.` and `..` resolved lexically (as the shell does), so `../x` and `x` compare as paths.
fn dir_of(path: &Path) -> PathBuf {
    let dir = if path.is_dir() {
        path
    } else {
        path.parent().unwrap_or(Path::new("."))
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    crate::lexical::normalize(&absolute)
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
    fn scan_options_are_read_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "jobs = 3\ntimeout = 2\nmax-file-size = \"2K\"\ninclude-generated = true\n",
        );
        let c = load(&p).unwrap().config;
        assert_eq!(c.jobs.map(|j| j.get()), Some(3));
        assert_eq!(c.timeout, Some(2.0));
        assert_eq!(c.max_file_size, Some(2048));
        assert_eq!(c.include_generated, Some(true));
        let p = write(dir.path(), "max-file-size = 100\ntimeout = 0.5\n");
        let c = load(&p).unwrap().config;
        assert_eq!((c.max_file_size, c.timeout), (Some(100), Some(0.5)));
        for (bad, named) in [
            ("jobs = 0\n", "jobs"),
            ("timeout = -1\n", "timeout"),
            ("max-file-size = \"ten\"\n", "max-file-size"),
            ("disable = [\"CWE-x\"]\n", "disable: selector \"CWE-x\""),
        ] {
            let err = load(&write(dir.path(), bad)).unwrap_err().to_string();
            assert!(
                err.contains(named) && err.contains(FILE_NAME),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn one_configuration_whatever_the_order_of_the_paths() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "fail-on = \"high\"\n");
        for sub in ["a", "b"] {
            std::fs::create_dir_all(root.join(sub)).unwrap();
            write(&root.join(sub), "fail-on = \"never\"\n");
        }
        std::fs::write(root.join("a/x.py"), "").unwrap();
        let a = root.join("a");
        let b = root.join("b/../b/y.py");
        for paths in [vec![a.clone(), b.clone()], vec![b.clone(), a.clone()]] {
            let found = find_for(&paths).unwrap();
            let loaded = found.loaded.unwrap();
            assert_eq!(loaded.path, root.join(FILE_NAME));
            assert_eq!(
                found.unused,
                [a.join(FILE_NAME), root.join("b").join(FILE_NAME)]
            );
        }
        // One path: its own nearest file, as before.
        let found = find_for(&[root.join("a/x.py")]).unwrap();
        assert_eq!(found.loaded.unwrap().path, a.join(FILE_NAME));
        assert!(found.unused.is_empty());
    }

    #[test]
    fn found_from_a_subdirectory_upward() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "fail-on = \"high\"\n");
        std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
        let found = find(&dir.path().join("a/b")).unwrap().unwrap();
        assert!(matches!(found.config.fail_on, Some(FailOnName::High)));
    }
}
