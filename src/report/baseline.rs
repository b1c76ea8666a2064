//! Baselines: the findings a project has accepted, so that only new ones fail a scan.
//!
//! A finding is identified by rule id, path and fingerprint (a hash of the rule and the
//! matched line's text), never by line number, so a baseline survives edits that move code.
//! The path is relative to the report root ([`super::root`]: the git work tree, or
//! `--path-root`), as in JSON and SARIF, so a baseline written from one directory matches a
//! scan run from another. Entries written relative to the current directory by earlier
//! versions (`./src/a.py`) are read without their leading `./`, which matches whenever they
//! were written from the root.
//! Matching counts: a baseline entry hides one finding, so two identical new findings are not
//! both hidden by one old one.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::FileReport;
use super::root::PathRoot;

/// The `astscan_baseline` version written and understood.
const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    astscan_baseline: u32,
    findings: Vec<Entry>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    rule_id: String,
    path: String,
    fingerprint: String,
}

/// Errors reading a baseline.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    /// The file cannot be read.
    #[error("cannot read baseline {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not an astscan baseline (or not this version).
    #[error("{path} is not an astscan baseline file: {message}")]
    NotOurs {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
}

/// A loaded baseline: how many findings of each identity it still hides.
#[derive(Debug)]
pub struct Baseline {
    remaining: HashMap<Entry, u32>,
    root: PathRoot,
}

/// How a baseline names `file`: escaped, relative to `root`.
fn key_path(root: &mut PathRoot, file: &FileReport) -> String {
    crate::pathfmt::escape_bytes(root.locate(&file.path_raw()).bytes())
}

impl Baseline {
    /// Reads a baseline written by `--write-baseline`; scanned files are matched to it by
    /// their paths relative to `root`.
    pub fn load(path: &Path, root: PathRoot) -> Result<Baseline, BaselineError> {
        let shown = crate::pathfmt::escape(path);
        let text = std::fs::read_to_string(path).map_err(|source| BaselineError::Read {
            path: shown.clone(),
            source,
        })?;
        let file: File = serde_json::from_str(&text).map_err(|e| BaselineError::NotOurs {
            path: shown.clone(),
            message: e.to_string(),
        })?;
        if file.astscan_baseline != VERSION {
            return Err(BaselineError::NotOurs {
                path: shown,
                message: format!(
                    "version {} (this astscan reads {VERSION})",
                    file.astscan_baseline
                ),
            });
        }
        let mut remaining = HashMap::new();
        for mut e in file.findings {
            while let Some(rest) = e.path.strip_prefix("./") {
                e.path = rest.to_string();
            }
            *remaining.entry(e).or_insert(0) += 1;
        }
        Ok(Baseline { remaining, root })
    }

    /// Marks the findings of `file` that the baseline covers.
    pub fn apply(&mut self, file: &mut FileReport) {
        let path = key_path(&mut self.root, file);
        let Some(parse) = &mut file.parse else { return };
        for f in parse.findings.iter_mut().filter(|f| f.suppressed.is_none()) {
            let key = Entry {
                rule_id: f.rule_id.clone(),
                path: path.clone(),
                fingerprint: f.fingerprint.clone(),
            };
            if let Some(n) = self.remaining.get_mut(&key).filter(|n| **n > 0) {
                *n -= 1;
                f.baselined = true;
            }
        }
    }
}

/// Collects the findings of a scan into a new baseline.
#[derive(Debug)]
pub struct BaselineWriter {
    entries: Vec<Entry>,
    root: PathRoot,
}

impl BaselineWriter {
    /// A writer naming files relative to `root`.
    pub fn new(root: PathRoot) -> Self {
        BaselineWriter {
            entries: Vec::new(),
            root,
        }
    }

    /// Records the unsuppressed findings of a file.
    pub fn add(&mut self, file: &FileReport) {
        let Some(parse) = &file.parse else { return };
        let path = key_path(&mut self.root, file);
        for f in parse.findings.iter().filter(|f| f.suppressed.is_none()) {
            self.entries.push(Entry {
                rule_id: f.rule_id.clone(),
                path: path.clone(),
                fingerprint: f.fingerprint.clone(),
            });
        }
    }

    /// Writes the baseline (atomically: a temporary file renamed into place).
    pub fn write(self, path: &Path) -> std::io::Result<()> {
        let body = serde_json::to_vec_pretty(&File {
            astscan_baseline: VERSION,
            findings: self.entries,
        })?;
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, body)?;
        std::fs::rename(&tmp, path)
    }
}
