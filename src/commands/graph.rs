//! `astscan graph`: the scan of `analyze` (same plan, workers, caches and daemon), with each
//! file's imports resolved into the repository's import graph instead of a findings report.

use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};

use crate::ExitStatus;
use crate::cli::{GraphArgs, GraphFormat};
use crate::graph::{FileNode, ImportRef};
use crate::output::OutputFile;
use crate::report::root::PathRoot;
use crate::report::{FileReport, FileStatus, Reporter, Summary};
use crate::scan::{self, ScanError};

/// Collects the analysed files as nodes of the graph, and the others with their reason.
struct Collector {
    root: PathRoot,
    nodes: Vec<FileNode>,
    not_analyzed: Vec<(String, FileStatus, String)>,
}

impl Reporter for Collector {
    fn begin(&mut self) -> io::Result<()> {
        Ok(())
    }

    fn file(&mut self, file: &FileReport, _ast: Option<&[u8]>) -> io::Result<()> {
        let location = self.root.locate(&file.path_raw());
        let path = crate::pathfmt::escape_bytes(location.bytes());
        match (&file.parse, file.language) {
            (Some(parse), Some(language)) => {
                let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
                self.nodes.push(FileNode {
                    path,
                    language,
                    size: file.bytes.unwrap_or(0),
                    functions: count(parse.functions.len()),
                    max_complexity: parse
                        .functions
                        .iter()
                        .map(|f| f.complexity)
                        .max()
                        .unwrap_or(0),
                    findings: count(
                        parse
                            .findings
                            .iter()
                            .filter(|f| f.suppressed.is_none() && !f.baselined)
                            .count(),
                    ),
                    imports: parse.imports.iter().map(ImportRef::from).collect(),
                });
            }
            _ => {
                self.not_analyzed
                    .push((path, file.status, file.reason.clone().unwrap_or_default()))
            }
        }
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        Ok(())
    }
}

/// Runs `astscan graph`.
pub fn run(args: GraphArgs) -> Result<ExitStatus> {
    let needs = crate::plan::Needs::default();
    let crate::plan::Plan {
        config,
        report_root,
        ..
    } = crate::plan::plan(&args.scan, &needs)?;
    let root_dir: PathBuf = report_root.dir().to_path_buf();
    let interrupts = crate::interrupt::Interrupts::watch().context("setting up signal handling")?;
    let progress = crate::progress::bar(args.scan.progress, args.scan.quiet);
    let mut collector = Collector {
        root: report_root,
        nodes: Vec::new(),
        not_analyzed: Vec::new(),
    };
    let outcome = match scan::run(config, &mut collector, progress, &interrupts) {
        Ok(outcome) => outcome,
        Err(ScanError::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => {
            return Ok(ExitStatus::Success);
        }
        Err(e) => return Err(e.into()),
    };
    if let Some(signal) = outcome.interrupted_by.or(interrupts.signal()) {
        eprintln!("astscan: interrupted; workers stopped");
        return Ok(ExitStatus::Interrupted(signal));
    }
    let mut graph = crate::graph::build(&root_dir, collector.nodes);
    graph.set_not_analyzed(collector.not_analyzed);
    let text = match args.format {
        GraphFormat::Json => graph.to_json(),
        GraphFormat::Dot => graph.to_dot(),
        GraphFormat::Text => graph.to_text(),
    };
    let (output, mut out) = OutputFile::report_sink(args.output.as_deref())?;
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(ExitStatus::Success),
        other => other.context("writing the graph")?,
    }
    drop(out);
    if let Some(file) = output {
        file.commit()?;
    }
    drop(interrupts);
    if !args.scan.quiet && args.output.is_some() {
        eprintln!("{}", graph.summary_line());
    }
    if let Some(e) = outcome.incomplete {
        return Err(anyhow::Error::new(e).context("the scan is incomplete"));
    }
    if outcome.summary.failed > 0 {
        Ok(ExitStatus::Error)
    } else if args.fail_on_cycles && graph.has_cycles() {
        Ok(ExitStatus::Findings)
    } else {
        Ok(ExitStatus::Success)
    }
}
