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
    if let Some(shard) = &args.shard {
        anyhow::bail!(
            "graph takes no --shard: the graph of a shard would lose its imports of the other \
             shards' files. Scan each shard with `astscan analyze --shard {shard} --format json \
             -o shard.json` and build the whole graph with `astscan graph --from-reports \
             shard-*.json`"
        );
    }
    if !args.from_reports.is_empty() {
        return from_reports(&args);
    }
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
    let failed = outcome.summary.failed > 0;
    let status = write_graph(&args, &root_dir, collector, failed)?;
    drop(interrupts);
    if let Some(e) = outcome.incomplete {
        return Err(anyhow::Error::new(e).context("the scan is incomplete"));
    }
    Ok(status)
}

/// The graph of the files recorded in JSON reports of `analyze` (shards, or separate scans
/// of one tree), checked to belong together as `astscan merge` checks them.
fn from_reports(args: &GraphArgs) -> Result<ExitStatus> {
    use crate::merge::input::{self, Content};
    if !args.scan.paths.is_empty() || args.scan.staged || args.scan.diff.is_some() {
        anyhow::bail!("--from-reports builds the graph from reports: give no paths to scan");
    }
    if args
        .from_reports
        .iter()
        .filter(|p| p.as_os_str() == "-")
        .count()
        > 1
    {
        anyhow::bail!("standard input (`-`) can be given once");
    }
    let mut inputs = Vec::with_capacity(args.from_reports.len());
    for path in &args.from_reports {
        inputs.push(input::read(path)?);
    }
    input::check_compatible(&inputs)?;
    let mut reports = Vec::with_capacity(inputs.len());
    for i in inputs {
        match i.content {
            Content::Json(report) => reports.push((i.name, *report)),
            Content::Sarif(_) => anyhow::bail!(
                "{}: a SARIF report does not list imports; build the graph from JSON reports \
                 (analyze --format json)",
                i.name
            ),
        }
    }
    let merged = crate::merge::json::merge(reports, None)?;
    let cwd = std::env::current_dir().context("finding the current directory")?;
    let root_dir = match &args.scan.path_root {
        Some(dir) => cwd
            .join(dir)
            .canonicalize()
            .with_context(|| format!("--path-root {}", crate::pathfmt::escape(dir)))?,
        None => cwd.canonicalize().unwrap_or(cwd),
    };
    let mut collector = Collector {
        root: PathRoot::new(root_dir.clone(), root_dir.clone()),
        nodes: Vec::new(),
        not_analyzed: Vec::new(),
    };
    for file in &merged.files {
        collector.file(file, None)?;
    }
    let incomplete = merged.summary.failed > 0 || merged.summary.incomplete.is_some();
    write_graph(args, &root_dir, collector, incomplete)
}

/// Builds the graph of what `collector` gathered, writes it, and says how the run ends:
/// 2 when some input failed (`incomplete`), else 1 for a cycle with `--fail-on-cycles`.
fn write_graph(
    args: &GraphArgs,
    root_dir: &std::path::Path,
    collector: Collector,
    incomplete: bool,
) -> Result<ExitStatus> {
    let mut graph = crate::graph::build(root_dir, collector.nodes);
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
    if !args.scan.quiet && args.output.is_some() {
        eprintln!("{}", graph.summary_line());
    }
    if incomplete {
        Ok(ExitStatus::Error)
    } else if args.fail_on_cycles && graph.has_cycles() {
        Ok(ExitStatus::Findings)
    } else {
        Ok(ExitStatus::Success)
    }
}
