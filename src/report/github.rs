//! `--format github`: GitHub Actions workflow commands, one annotation per finding and per
//! file that could not be analysed, so a pull request shows them on the changed lines without
//! a code-scanning upload.
//!
//! Each line is `::error|warning|notice file=…,line=…,col=…,endLine=…,endColumn=…,title=…::…`
//! with GitHub's escaping (`%`, CR and LF in the message; also `:` and `,` in properties). The
//! summary ends the output as a plain line, which the runner shows in the log. GitHub finds
//! `file=` relative to the repository root, so paths are relative to the report's root
//! ([`super::root`]), as in JSON and SARIF.

use std::io::{self, Write};

use super::root::PathRoot;
use super::{FileReport, FileStatus, Reporter, Summary};
use crate::rules::Severity;

/// Writes workflow-command annotations to `out`.
pub struct GithubReporter<W: Write> {
    out: W,
    root: PathRoot,
}

impl<W: Write> GithubReporter<W> {
    /// A reporter writing to `out`, with paths relative to `root`.
    pub fn new(out: W, root: PathRoot) -> Self {
        GithubReporter { out, root }
    }
}

/// The annotation level GitHub shows for a severity.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "notice",
    }
}

/// Escapes a message (the text after `::`).
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`file=`, `title=`).
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

impl<W: Write> Reporter for GithubReporter<W> {
    fn begin(&mut self) -> io::Result<()> {
        Ok(())
    }

    fn file(&mut self, file: &FileReport, _ast: Option<&[u8]>) -> io::Result<()> {
        let location = self.root.locate(&file.path_raw());
        let path = escape_property(&crate::pathfmt::escape_bytes(location.bytes()));
        if file.status == FileStatus::Failed {
            let reason = file.reason.as_deref().unwrap_or("analysis failed");
            return writeln!(
                self.out,
                "::error file={path},title={}::{}",
                escape_property("astscan: file not analysed"),
                escape_data(reason)
            );
        }
        let Some(parse) = &file.parse else {
            return Ok(());
        };
        for f in parse
            .findings
            .iter()
            .filter(|f| f.suppressed.is_none() && !f.baselined)
        {
            writeln!(
                self.out,
                "::{} file={path},line={},col={},endLine={},endColumn={},title={}::{}",
                level(f.severity),
                f.span.start.line,
                f.span.start.column,
                f.span.end.line,
                f.span.end.column,
                escape_property(&format!("{} ({}, CWE-{})", f.rule_id, f.severity, f.cwe)),
                escape_data(&f.message)
            )?;
        }
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        writeln!(
            self.out,
            "astscan: {} files ({} parsed, {} with syntax errors, {} skipped, {} failed), {} findings",
            summary.files,
            summary.parsed,
            summary.parsed_with_errors,
            summary.skipped,
            summary.failed,
            summary.findings
        )?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_and_properties_are_escaped_as_github_reads_them() {
        assert_eq!(escape_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
        // A message cannot end the command early or start another on a new line.
        assert!(!escape_data("x\n::error::forged").contains('\n'));
    }

    #[test]
    fn severities_map_to_annotation_levels() {
        assert_eq!(level(Severity::Critical), "error");
        assert_eq!(level(Severity::High), "error");
        assert_eq!(level(Severity::Medium), "warning");
        assert_eq!(level(Severity::Low), "notice");
    }
}
