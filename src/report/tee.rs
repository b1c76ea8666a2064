//! A report and an observer fed the same files: with `-o FILE`, the text summary shown on
//! stderr counts what the report holds.
//!
//! Only the report is finished here. The observer's `finish` is left to the caller, to run
//! once the report file is in place: a summary that cannot be shown must not cost the report.

use std::io;

use super::{FileReport, Reporter, Summary};

/// Feeds every file to `report`, then to `observer`; finishes `report` only.
pub struct Tee<'a> {
    report: &'a mut dyn Reporter,
    observer: &'a mut dyn Reporter,
}

impl<'a> Tee<'a> {
    /// A report and its observer.
    pub fn new(report: &'a mut dyn Reporter, observer: &'a mut dyn Reporter) -> Self {
        Tee { report, observer }
    }
}

impl Reporter for Tee<'_> {
    fn begin(&mut self) -> io::Result<()> {
        self.report.begin()?;
        self.observer.begin()
    }

    fn file(&mut self, file: &FileReport, ast: Option<&[u8]>) -> io::Result<()> {
        self.report.file(file, ast)?;
        self.observer.file(file, ast)
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        self.report.finish(summary)
    }
}
