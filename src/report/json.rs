//! `--format json`: one JSON document, streamed. The header is written first, each file as a
//! line inside `files`, then the summary, so a 100,000-file report never sits in memory.
//! Paths are relative to the report's root ([`super::root`]), as in SARIF.

use std::io::{self, Write};

use super::root::PathRoot;
use super::{FileReport, Reporter, SCHEMA_VERSION, Summary, Tool};

/// Writes the JSON report to `out`.
pub struct JsonReporter<W: Write> {
    out: W,
    /// `None`: the records' paths are already report paths (a merge of JSON reports).
    root: Option<PathRoot>,
    ruleset: String,
    first: bool,
}

impl<W: Write> JsonReporter<W> {
    /// A reporter writing to `out`, with paths relative to `root`, for a scan with this
    /// rule-set fingerprint ([`super::ruleset`]).
    pub fn new(out: W, root: PathRoot, ruleset: String) -> Self {
        JsonReporter {
            out,
            root: Some(root),
            ruleset,
            first: true,
        }
    }

    /// A reporter of records whose paths are written as they are: records read back from
    /// JSON reports, whose paths are relative to their scan's root already.
    pub fn verbatim(out: W, ruleset: String) -> Self {
        JsonReporter {
            out,
            root: None,
            ruleset,
            first: true,
        }
    }
}

impl<W: Write> Reporter for JsonReporter<W> {
    fn begin(&mut self) -> io::Result<()> {
        write!(self.out, "{{\"schema_version\":{SCHEMA_VERSION},\"tool\":")?;
        serde_json::to_writer(&mut self.out, &Tool::current())?;
        self.out.write_all(b",\"ruleset\":")?;
        serde_json::to_writer(&mut self.out, &self.ruleset)?;
        self.out.write_all(b",\"files\":[")
    }

    fn file(&mut self, file: &FileReport, _ast: Option<&[u8]>) -> io::Result<()> {
        self.out
            .write_all(if self.first { b"\n" } else { b",\n" })?;
        self.first = false;
        let Some(root) = &mut self.root else {
            serde_json::to_writer(&mut self.out, file)?;
            return Ok(());
        };
        let raw = file.path_raw();
        let location = root.locate(&raw);
        if location.bytes() == raw.as_slice() {
            serde_json::to_writer(&mut self.out, file)?;
        } else {
            let mut rebased = file.clone();
            rebased.set_path(location.bytes());
            serde_json::to_writer(&mut self.out, &rebased)?;
        }
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        self.out.write_all(b"\n],\"summary\":")?;
        serde_json::to_writer(&mut self.out, summary)?;
        self.out.write_all(b"}\n")?;
        self.out.flush()
    }
}
