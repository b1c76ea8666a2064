//! `astscan merge`: the reports of shards (`analyze --shard I/N`) or of separate scans as one.
//!
//! Inputs are all JSON reports or all SARIF reports, of one astscan version and one rule set
//! (the `ruleset` fingerprint every report carries), so that the parts are parts of one scan.
//!
//! - JSON reports carry every file's full record: they are merged record by record and can
//!   then be written in any report format by the ordinary writers ([`json`]).
//! - SARIF reports carry results only: their runs are merged into one run ([`sarif`]), and
//!   the result is SARIF.
//!
//! A file in more than one input is kept once when its records agree (apart from timings and
//! the backend that served it) and is an error naming it when they do not: two different
//! analyses of one path mean the inputs are not parts of one scan.

pub mod input;
pub mod json;
pub mod sarif;

use crate::pathfmt;

/// Why reports cannot be merged. Every variant names the input at fault.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// The file could not be read.
    #[error("{input}: cannot read the report: {error}")]
    Read {
        /// The input as given (escaped).
        input: String,
        /// The OS error.
        error: std::io::Error,
    },
    /// The file is not a JSON or SARIF report written by astscan.
    #[error("{input}: not an astscan JSON or SARIF report: {why}")]
    NotAReport {
        /// The input as given (escaped).
        input: String,
        /// What is wrong with it.
        why: String,
    },
    /// A JSON report of another layout version.
    #[error(
        "{input}: a JSON report of schema_version {found}; this astscan reads version {expected}"
    )]
    SchemaVersion {
        /// The input as given (escaped).
        input: String,
        /// Its `schema_version`.
        found: String,
        /// The version this build writes and reads.
        expected: u32,
    },
    /// One input is JSON and another SARIF.
    #[error(
        "{input} is a {kind} report but {first} is not: merge reports of one format (JSON \
         reports can be merged into SARIF with --format sarif)"
    )]
    MixedFormats {
        /// The input at fault.
        input: String,
        /// Its format.
        kind: &'static str,
        /// The first input.
        first: String,
    },
    /// Reports of different astscan versions.
    #[error(
        "{input} was written by astscan {found} but {first} by astscan {expected}: merge \
         reports of one version"
    )]
    Version {
        /// The input at fault.
        input: String,
        /// Its version.
        found: String,
        /// The first input.
        first: String,
        /// The first input's version.
        expected: String,
    },
    /// Reports of another astscan version than this one, which would write the merged
    /// report under its own version.
    #[error(
        "{input} was written by astscan {found}, and this is astscan {current}: merge with the \
         version that wrote the reports"
    )]
    NotThisVersion {
        /// The input at fault.
        input: String,
        /// Its version.
        found: String,
        /// This build's version.
        current: String,
    },
    /// Reports of scans with different rules or options.
    #[error(
        "{input} was made with other rules or options than {first} (rule set {found} vs \
         {expected}): merge reports of scans with the same rules, --enable/--disable, \
         --min-confidence, --timeout and --worker-memory, made by the same build"
    )]
    RuleSet {
        /// The input at fault.
        input: String,
        /// Its fingerprint.
        found: String,
        /// The first input.
        first: String,
        /// The first input's fingerprint.
        expected: String,
    },
    /// A file analysed differently in two inputs.
    #[error(
        "{file} is in {first} and in {input} with different results: the reports are not parts of one scan"
    )]
    Conflict {
        /// The file's path (escaped as in reports).
        file: String,
        /// The input at fault.
        input: String,
        /// The input the file was first seen in.
        first: String,
    },
    /// SARIF runs with different roots.
    #[error(
        "{input}: its paths are relative to {found} but those of {first} to {expected}: merge \
         SARIF reports made in one checkout location, or merge the JSON reports (their paths \
         are relative) with --format sarif"
    )]
    Root {
        /// The input at fault.
        input: String,
        /// Its `originalUriBaseIds`.
        found: String,
        /// The first input.
        first: String,
        /// The first input's `originalUriBaseIds`.
        expected: String,
    },
    /// SARIF runs of different categories.
    #[error(
        "{input}: SARIF category {found:?} differs from {expected:?} of {first}: give the \
         merged run's category with --sarif-category"
    )]
    Category {
        /// The input at fault.
        input: String,
        /// Its category.
        found: String,
        /// The first input.
        first: String,
        /// The first input's category.
        expected: String,
    },
    /// A format SARIF inputs cannot be written in.
    #[error(
        "SARIF reports hold findings only and merge into SARIF only; merge the JSON reports \
         for --format {0}"
    )]
    SarifOnly(&'static str),
}

/// A name for an input in messages: its path, escaped, or "standard input".
pub fn shown(path: &std::path::Path) -> String {
    if path.as_os_str() == "-" {
        "standard input".to_string()
    } else {
        pathfmt::escape(path)
    }
}
