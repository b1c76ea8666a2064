//! `--format ast`: JSON Lines, one object per input file. Parsed files carry their syntax
//! tree under `tree` (the worker's dump, copied through verbatim); other files carry their
//! status and reason, so every input appears. The summary goes to stderr.

use std::io::{self, Write};

use super::{FileReport, Reporter, Summary, text};

/// Writes one JSON line per file.
pub struct AstReporter<W: Write, E: Write> {
    out: W,
    summary_to: Option<E>,
}

impl<W: Write, E: Write> AstReporter<W, E> {
    /// A reporter writing trees to `out` and, unless `None`, a summary line to `summary_to`.
    pub fn new(out: W, summary_to: Option<E>) -> Self {
        AstReporter { out, summary_to }
    }
}

impl<W: Write, E: Write> Reporter for AstReporter<W, E> {
    fn begin(&mut self) -> io::Result<()> {
        Ok(())
    }

    fn file(&mut self, file: &FileReport, ast: Option<&[u8]>) -> io::Result<()> {
        self.out.write_all(b"{\"path\":")?;
        serde_json::to_writer(&mut self.out, &file.path)?;
        self.out.write_all(b",\"status\":")?;
        serde_json::to_writer(&mut self.out, &file.status)?;
        if let Some(lang) = file.language {
            write!(self.out, ",\"language\":\"{lang}\"")?;
        }
        if let Some(code) = file.reason_code {
            write!(self.out, ",\"reason_code\":\"{}\"", code.as_str())?;
        }
        if let Some(reason) = &file.reason {
            self.out.write_all(b",\"reason\":")?;
            serde_json::to_writer(&mut self.out, reason)?;
        }
        if let Some(tree) = ast {
            self.out.write_all(b",\"tree\":")?;
            self.out.write_all(tree)?;
        }
        self.out.write_all(b"}\n")
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        self.out.flush()?;
        if let Some(err) = &mut self.summary_to {
            writeln!(err, "{}", text::summary_line(summary))?;
        }
        Ok(())
    }
}
