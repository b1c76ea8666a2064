//! What each tool does, without the protocol: arguments in, an output or a [`ToolError`] out.
//!
//! Every tool that reads code runs one scan of the plan `analyze` uses ([`crate::plan`]) on
//! paths [`Root`] has confined, through the same sealed workers, caches and daemon, and picks
//! what it needs from the records as they arrive (a [`Reporter`]); nothing is kept per file
//! beyond that. These functions block (a scan runs its own event loop): the server calls them
//! on a thread of their own.

use std::cmp::Reverse;
use std::ffi::OsStr;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context as _;

use super::ToolError;
use super::bounds::{self, TopK, Window};
use super::confine::{Kind, Root};
use super::types::*;
use crate::analysis::{self, FlowStepKind, SyntaxErrorKind};
use crate::cli::{CacheArgs, DaemonMode, McpArgs, RemoteCacheArgs, ScanArgs};
use crate::interrupt::Interrupts;
use crate::plan::{Needs, Plan};
use crate::report::{FileReport, FileStatus, Reporter, Summary};
use crate::rules::Rule;
use crate::scan::{Inputs, ScanOutcome};

/// What the command line fixes for every scan of the server.
pub struct Options {
    /// `--root`: client roots are confined to it. Without it, the working directory is only
    /// the root until the client declares its own.
    fence: Option<PathBuf>,
    /// The working directory: where the server starts, and where no root is found.
    cwd: PathBuf,
    jobs: Option<std::num::NonZeroUsize>,
    /// `--config`, absolute.
    config: Option<PathBuf>,
    no_config: bool,
    daemon: DaemonMode,
    socket: Option<PathBuf>,
    no_cache: bool,
    cache: CacheArgs,
    remote_cache: RemoteCacheArgs,
}

/// What the tools may read, and how a scan there is configured: the roots and the
/// configuration they read (one, found as `analyze` finds it for the roots as its paths). It
/// is worked out at start-up and again each time the client declares other roots, so a tool
/// call cannot pick another configuration by naming a path.
pub struct Scope {
    root: Root,
    config: Option<PathBuf>,
    /// The largest file a scan reads, and so the largest `scan_code` source, in bytes.
    max_file_size: u64,
    /// The rules scans run (the configuration's selection and minimum confidence applied).
    running: Arc<Vec<Rule>>,
    /// Those and the built-in rules that do not run, by id.
    known: Vec<Rule>,
}

impl Options {
    /// The options of `args`; the root it names must be a directory.
    pub fn new(args: &McpArgs) -> anyhow::Result<Options> {
        let cwd = std::env::current_dir().context("finding the current directory")?;
        let fence = match &args.root {
            Some(dir) => Some(
                Root::new(&cwd.join(dir))
                    .with_context(|| format!("--root {}", crate::pathfmt::escape(dir)))?
                    .dir()
                    .to_path_buf(),
            ),
            None => None,
        };
        Ok(Options {
            fence,
            config: args.config.as_ref().map(|path| cwd.join(path)),
            cwd,
            jobs: args.jobs,
            no_config: args.no_config,
            daemon: args.daemon,
            socket: args.socket.clone(),
            no_cache: args.no_cache,
            cache: args.cache.clone(),
            remote_cache: args.remote_cache.clone(),
        })
    }

    /// `--root`, which confines the client's roots, if given.
    pub fn fenced(&self) -> Option<&Path> {
        self.fence.as_deref()
    }

    /// The root before the client declares any: `--root`, or the working directory.
    pub fn initial_dir(&self) -> &Path {
        self.fence.as_deref().unwrap_or(&self.cwd)
    }

    /// The scope before the client declares roots: `--root`, or the working directory.
    pub fn initial_scope(&self) -> anyhow::Result<Scope> {
        let root = Root::new(self.initial_dir()).context("the current directory")?;
        self.scope(root)
    }

    /// The scope of `root`: its configuration found and checked with a plan of the whole
    /// root, as a scan would; an error here is an error of every tool call until the
    /// configuration is mended.
    pub fn scope(&self, root: Root) -> anyhow::Result<Scope> {
        let config = match (&self.config, self.no_config) {
            (Some(path), _) => Some(path.clone()),
            (None, true) => None,
            (None, false) if root.allowed().is_empty() => None,
            (None, false) => crate::config::find_for(root.allowed())?
                .loaded
                .map(|loaded| loaded.path),
        };
        let mut scope = Scope {
            root,
            config,
            max_file_size: crate::cli::DEFAULT_MAX_FILE_SIZE,
            running: Arc::new(Vec::new()),
            known: Vec::new(),
        };
        let plan = crate::plan::plan(&self.scan_args(&scope, Vec::new()), &Needs::default())?;
        scope.max_file_size = plan.config.gates.max_file_size;
        scope.running = Arc::clone(&plan.config.pool.rules);
        let mut known = crate::rules::builtin()?;
        for rule in scope.running.iter() {
            if !known.iter().any(|k| k.id == rule.id) {
                known.push(rule.clone());
            }
        }
        known.sort_by(|a, b| a.id.cmp(&b.id));
        scope.known = known;
        Ok(scope)
    }

    /// A scan of `paths` (resolved, under the scope's roots; none: its whole root) as
    /// `analyze` would run it with this server's options: no symbolic links followed, no
    /// hidden files, quiet.
    fn scan_args(&self, scope: &Scope, paths: Vec<PathBuf>) -> ScanArgs {
        let paths = if paths.is_empty() {
            match scope.root.allowed() {
                [] => vec![scope.root.dir().to_path_buf()],
                allowed => allowed.to_vec(),
            }
        } else {
            paths
        };
        ScanArgs {
            paths,
            path_root: Some(scope.root.dir().to_path_buf()),
            jobs: self.jobs,
            timeout: None,
            max_file_size: None,
            langs: Vec::new(),
            exclude: Vec::new(),
            no_ignore: false,
            hidden: false,
            follow: false,
            include_generated: false,
            quiet: true,
            progress: crate::progress::When::Never,
            worker_memory: crate::cli::DEFAULT_WORKER_MEMORY_MIB,
            min_confidence: None,
            no_config: scope.config.is_none(),
            config: scope.config.clone(),
            rules: Vec::new(),
            enable: Vec::new(),
            disable: Vec::new(),
            no_rules: false,
            daemon: self.daemon,
            socket: self.socket.clone(),
            staged: false,
            diff: None,
            no_cache: self.no_cache,
            cache: self.cache.clone(),
            remote_cache: self.remote_cache.clone(),
        }
    }
}

impl Scope {
    /// The roots.
    pub fn root(&self) -> &Root {
        &self.root
    }

    /// The largest `scan_code` source, in bytes.
    pub fn max_source(&self) -> u64 {
        self.max_file_size
    }
}

/// What a tool call works with: the server's options and the scope of the moment.
#[derive(Clone)]
pub struct Context {
    options: Arc<Options>,
    scope: Arc<Scope>,
}

impl Context {
    /// A call's context.
    pub fn new(options: Arc<Options>, scope: Arc<Scope>) -> Context {
        Context { options, scope }
    }

    fn plan(&self, paths: Vec<PathBuf>, needs: &Needs) -> Result<Plan, ToolError> {
        crate::plan::plan(&self.options.scan_args(&self.scope, paths), needs)
            .map_err(|e| ToolError::new(format!("the scan could not be set up: {e:#}")))
    }

    /// Runs `plan`, feeding `reporter`; a scan stopped by `interrupts` is an error.
    fn run(
        &self,
        plan: Plan,
        reporter: &mut dyn Reporter,
        interrupts: &Interrupts,
    ) -> Result<ScanOutcome, ToolError> {
        let outcome = crate::scan::run(
            plan.config,
            reporter,
            indicatif::ProgressBar::hidden(),
            interrupts,
        )
        .map_err(|e| ToolError::new(format!("the scan failed: {e}")))?;
        if outcome.interrupted_by.is_some() {
            return Err(ToolError::new("the call was cancelled"));
        }
        Ok(outcome)
    }

    /// Resolves the one path of a call (every root when there is none), with the path as
    /// outputs show it.
    fn target(&self, path: Option<&str>) -> Result<(Vec<PathBuf>, String), ToolError> {
        let root = &self.scope.root;
        match path {
            Some(path) => {
                let target = root.resolve(path)?;
                let shown = root.show(&target.path);
                Ok((vec![target.path], shown))
            }
            None => Ok((root.everything()?, ".".to_string())),
        }
    }

    /// Resolves the paths of a call (every root when there are none).
    fn targets(&self, paths: &[String]) -> Result<Vec<PathBuf>, ToolError> {
        if paths.len() > bounds::MAX_PATHS {
            return Err(ToolError::new(format!(
                "{} paths is more than the {} one call may name: scan their common directory",
                paths.len(),
                bounds::MAX_PATHS
            )));
        }
        if paths.is_empty() {
            return Ok(self.scope.root.everything()?);
        }
        paths
            .iter()
            .map(|p| Ok(self.scope.root.resolve(p)?.path))
            .collect()
    }
}

/// What a tool does with each record: the file's path as outputs show it, the record, and the
/// worker's syntax tree dump when one was asked for.
type EachFile<'a> = dyn FnMut(&str, &FileReport, Option<&[u8]>) + 'a;

/// Calls `each` with every record and counts the statuses.
struct Collect<'a> {
    root: &'a Root,
    counts: FileCounts,
    not_analyzed: Vec<NotAnalyzed>,
    each: &'a mut EachFile<'a>,
}

impl<'a> Collect<'a> {
    fn new(root: &'a Root, each: &'a mut EachFile<'a>) -> Self {
        Collect {
            root,
            counts: FileCounts::default(),
            not_analyzed: Vec::new(),
            each,
        }
    }
}

impl Reporter for Collect<'_> {
    fn begin(&mut self) -> io::Result<()> {
        Ok(())
    }

    fn file(&mut self, file: &FileReport, ast: Option<&[u8]>) -> io::Result<()> {
        let raw = file.path_raw();
        let path = self.root.show(Path::new(OsStr::from_bytes(&raw)));
        self.counts.files += 1;
        match file.status {
            FileStatus::Parsed => self.counts.parsed += 1,
            FileStatus::ParsedWithErrors => self.counts.parsed_with_errors += 1,
            FileStatus::Skipped => self.counts.skipped += 1,
            FileStatus::Failed => self.counts.failed += 1,
        }
        if matches!(file.status, FileStatus::Skipped | FileStatus::Failed)
            && self.not_analyzed.len() < bounds::MAX_NOT_ANALYZED
        {
            self.not_analyzed.push(NotAnalyzed {
                path: path.clone(),
                status: status_name(file.status).to_string(),
                reason_code: file.reason_code.map_or("", |c| c.as_str()).to_string(),
                reason: file.reason.clone().unwrap_or_default(),
            });
        }
        (self.each)(&path, file, ast);
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        Ok(())
    }
}

fn status_name(status: FileStatus) -> &'static str {
    match status {
        FileStatus::Parsed => "parsed",
        FileStatus::ParsedWithErrors => "parsed_with_errors",
        FileStatus::Skipped => "skipped",
        FileStatus::Failed => "failed",
    }
}

fn flow_kind(kind: FlowStepKind) -> &'static str {
    match kind {
        FlowStepKind::Source => "source",
        FlowStepKind::Parameter => "parameter",
        FlowStepKind::Assign => "assign",
        FlowStepKind::Call => "call",
        FlowStepKind::Return => "return",
        FlowStepKind::Sink => "sink",
    }
}

fn finding(path: &str, f: &analysis::Finding) -> Finding {
    Finding {
        rule: f.rule_id.clone(),
        severity: f.severity,
        confidence: f.confidence,
        cwe: f.cwe,
        path: path.to_string(),
        line: f.span.start.line,
        column: f.span.start.column,
        end_line: f.span.end.line,
        end_column: f.span.end.column,
        message: f.message.clone(),
        snippet: f.snippet.clone(),
        flow: f
            .flow
            .iter()
            .map(|step| FlowStep {
                kind: flow_kind(step.kind).to_string(),
                line: step.span.start.line,
                column: step.span.start.column,
                code: step.label.clone(),
            })
            .collect(),
    }
}

/// The order findings are listed in: most severe first, then by place.
type FindingKey = (Reverse<crate::rules::Severity>, String, u32, u32);

fn finding_key(path: &str, f: &analysis::Finding) -> FindingKey {
    (
        Reverse(f.severity),
        path.to_string(),
        f.span.start.line,
        f.span.start.column,
    )
}

fn count_severity(counts: &mut SeverityCounts, severity: crate::rules::Severity) {
    use crate::rules::Severity::*;
    match severity {
        Critical => counts.critical += 1,
        High => counts.high += 1,
        Medium => counts.medium += 1,
        Low => counts.low += 1,
    }
}

/// `scan`: findings and file counts of files and directories under the root.
pub fn scan(
    ctx: &Context,
    input: ScanInput,
    interrupts: &Interrupts,
) -> Result<ScanOutput, ToolError> {
    let window = Window::new("scan", &input, input.limit, 50, input.cursor.as_deref())?;
    let targets = ctx.targets(&input.paths)?;
    let shown: Vec<String> = targets.iter().map(|p| ctx.scope.root.show(p)).collect();
    let plan = ctx.plan(targets, &Needs::default())?;
    let mut top: TopK<FindingKey, Finding> = TopK::new(window.keep());
    let mut by_severity = SeverityCounts::default();
    let (mut total, mut suppressed) = (0u64, 0u64);
    let mut each = |path: &str, file: &FileReport, _: Option<&[u8]>| {
        let Some(parse) = &file.parse else { return };
        for f in &parse.findings {
            if f.suppressed.is_some() {
                suppressed += 1;
                continue;
            }
            total += 1;
            count_severity(&mut by_severity, f.severity);
            if input.min_severity.is_none_or(|min| f.severity >= min) {
                top.push(finding_key(path, f), finding(path, f));
            }
        }
    };
    let mut collect = Collect::new(&ctx.scope.root, &mut each);
    let outcome = ctx.run(plan, &mut collect, interrupts)?;
    let (counts, not_analyzed) = (collect.counts, collect.not_analyzed);
    let listed = top.seen();
    let (findings, next_cursor) = window.page(top.into_sorted(), listed);
    Ok(ScanOutput {
        paths: shown,
        files: counts,
        findings_total: total,
        by_severity,
        suppressed,
        findings,
        next_cursor,
        not_analyzed,
        incomplete: outcome.incomplete.map(|e| e.to_string()),
    })
}

/// The name `scan_code` reports `input` under, checked against its language.
fn snippet_name(input: &ScanCodeInput) -> Result<String, ToolError> {
    let language = input.language;
    let extension = language.spec().extensions.first().copied().unwrap_or("txt");
    let Some(name) = &input.filename else {
        return Ok(format!("snippet.{extension}"));
    };
    let plain = !name.is_empty()
        && name.len() <= 255
        && name != "."
        && name != ".."
        && !name.contains(['/', '\0'])
        && !name.chars().any(char::is_control);
    if !plain {
        return Err(ToolError::new(format!(
            "filename {name:?} must be a plain file name without directories, such as \
             \"handler.{extension}\""
        )));
    }
    match crate::lang::detect_by_name(Path::new(name)) {
        Some(named) if named == language => Ok(name.clone()),
        Some(named) => Err(ToolError::new(format!(
            "filename {name:?} is {named} by its name, but language is {language}: name it \
             like \"snippet.{extension}\" or leave filename out"
        ))),
        None => Err(ToolError::new(format!(
            "filename {name:?} does not say its language: give it the extension .{extension}, \
             or leave filename out"
        ))),
    }
}

/// `scan_code`: findings and syntax errors of source text that is not on disk. It goes through
/// the same sealed workers as a file, as a scan of standard input does; nothing is written.
pub fn scan_code(
    ctx: &Context,
    input: ScanCodeInput,
    interrupts: &Interrupts,
) -> Result<ScanCodeOutput, ToolError> {
    let size = input.code.len() as u64;
    if size > ctx.scope.max_file_size {
        return Err(ToolError::new(format!(
            "the code is {size} bytes, over the {} bytes scan_code takes (the max-file-size of \
             this server): send a smaller part, or write it to a file under the root and call \
             scan",
            ctx.scope.max_file_size
        )));
    }
    let window = Window::new(
        "scan_code",
        &input,
        input.limit,
        50,
        input.cursor.as_deref(),
    )?;
    let name = snippet_name(&input)?;
    let mut plan = ctx.plan(vec![ctx.scope.root.dir().to_path_buf()], &Needs::default())?;
    // Excludes and ignore files are about files of the tree; this text is not one of them.
    let walk = &mut plan.config.walk;
    walk.no_ignore = true;
    walk.excludes.clear();
    walk.anchored_excludes = None;
    walk.languages.clear();
    plan.config.inputs = Inputs::Stdin {
        name: PathBuf::from(&name),
        content: input.code.into_bytes(),
    };
    let mut top: TopK<FindingKey, Finding> = TopK::new(window.keep());
    let mut total = 0u64;
    let mut record: Option<FileReport> = None;
    let mut each = |path: &str, file: &FileReport, _: Option<&[u8]>| {
        if let Some(parse) = &file.parse {
            for f in parse.findings.iter().filter(|f| f.suppressed.is_none()) {
                total += 1;
                top.push(finding_key(path, f), finding(path, f));
            }
        }
        let mut kept = file.clone();
        if let Some(parse) = &mut kept.parse {
            parse.findings.clear();
            parse.functions.clear();
        }
        record = Some(kept);
    };
    ctx.run(
        plan,
        &mut Collect::new(&ctx.scope.root, &mut each),
        interrupts,
    )?;
    let record = record.ok_or_else(|| ToolError::new("the scan reported nothing for the code"))?;
    let (findings, next_cursor) = window.page(top.into_sorted(), total as usize);
    let parse = record.parse.as_ref();
    Ok(ScanCodeOutput {
        filename: name,
        language: input.language,
        status: status_name(record.status).to_string(),
        reason: record.reason.clone(),
        lines: parse.map_or(0, |p| p.lines),
        syntax_error_count: parse.map_or(0, |p| p.syntax_error_count),
        syntax_errors: parse.map_or_else(Vec::new, |p| {
            p.syntax_errors.iter().map(syntax_error).collect()
        }),
        findings_total: total,
        findings,
        next_cursor,
    })
}

fn syntax_error(e: &analysis::SyntaxError) -> SyntaxError {
    SyntaxError {
        line: e.start.line,
        column: e.start.column,
        kind: match e.kind {
            SyntaxErrorKind::Error => "error",
            SyntaxErrorKind::Missing => "missing",
        }
        .to_string(),
        expected: e.expected.clone(),
    }
}

/// Scans one confined file and returns its record (and AST dump, when `needs` asks for one).
fn one_file(
    ctx: &Context,
    path: PathBuf,
    needs: &Needs,
    interrupts: &Interrupts,
) -> Result<(String, FileReport, Option<Vec<u8>>), ToolError> {
    let plan = ctx.plan(vec![path], needs)?;
    let mut record = None;
    let mut each = |path: &str, file: &FileReport, ast: Option<&[u8]>| {
        record = Some((path.to_string(), file.clone(), ast.map(<[u8]>::to_vec)));
    };
    ctx.run(
        plan,
        &mut Collect::new(&ctx.scope.root, &mut each),
        interrupts,
    )?;
    record.ok_or_else(|| ToolError::new("the scan reported nothing for the file"))
}

/// `structure`: one file's functions, classes and imports.
pub fn structure(
    ctx: &Context,
    input: StructureInput,
    interrupts: &Interrupts,
) -> Result<StructureOutput, ToolError> {
    let window = Window::new(
        "structure",
        &input,
        input.limit,
        100,
        input.cursor.as_deref(),
    )?;
    let file = ctx.scope.root.resolve_file(&input.path)?;
    let (path, record, _) = one_file(ctx, file.path, &Needs::default(), interrupts)?;
    let mut out = StructureOutput {
        path,
        language: record.language,
        status: status_name(record.status).to_string(),
        reason: record.reason.clone(),
        lines: 0,
        totals: StructureTotals::default(),
        functions: Vec::new(),
        classes: Vec::new(),
        imports: Vec::new(),
        next_cursor: None,
    };
    let Some(parse) = record.parse else {
        return Ok(out);
    };
    out.lines = parse.lines;
    out.totals = StructureTotals {
        functions: parse.functions.len() as u64,
        classes: parse.classes.len() as u64,
        imports: parse.imports.len() as u64,
    };
    let (functions, next) = window.page(
        parse.functions.iter().map(function).collect(),
        parse.functions.len(),
    );
    let (classes, next_classes) = window.page(
        parse
            .classes
            .iter()
            .map(|c| Class {
                name: c.name.clone(),
                kind: c.kind.clone(),
                start_line: c.span.start.line,
                end_line: c.span.end.line,
            })
            .collect(),
        parse.classes.len(),
    );
    let (imports, next_imports) = window.page(
        parse
            .imports
            .iter()
            .map(|i| Import {
                module: i.module.clone(),
                line: i.start.line,
                names: i.names.clone(),
            })
            .collect(),
        parse.imports.len(),
    );
    out.functions = functions;
    out.classes = classes;
    out.imports = imports;
    out.next_cursor = next.or(next_classes).or(next_imports);
    Ok(out)
}

fn function(f: &analysis::Function) -> Function {
    Function {
        name: f.name.clone(),
        kind: f.kind.clone(),
        start_line: f.span.start.line,
        end_line: f.span.end.line,
        lines: f.lines,
        parameters: f.parameters,
        complexity: f.complexity,
        max_nesting: f.max_nesting,
    }
}

/// The complexity band of a cyclomatic complexity (the usual McCabe reading).
fn band(complexity: u32) -> &'static str {
    match complexity {
        0..=10 => "simple",
        11..=20 => "moderate",
        21..=50 => "complex",
        _ => "very_complex",
    }
}

/// `hotspots`: the most complex functions under a path.
pub fn hotspots(
    ctx: &Context,
    input: HotspotsInput,
    interrupts: &Interrupts,
) -> Result<HotspotsOutput, ToolError> {
    let window = Window::new("hotspots", &input, input.limit, 20, input.cursor.as_deref())?;
    let (targets, shown) = ctx.target(input.path.as_deref())?;
    let thresholds = Thresholds {
        min_complexity: input.min_complexity.unwrap_or(1),
        min_nesting: input.min_nesting.unwrap_or(0),
    };
    let plan = ctx.plan(targets, &Needs::default())?;
    type Key = (Reverse<u32>, Reverse<u32>, String, u32);
    let mut top: TopK<Key, Hotspot> = TopK::new(window.keep());
    let mut bands = Bands::default();
    let mut total = 0u64;
    let mut each = |path: &str, file: &FileReport, _: Option<&[u8]>| {
        let Some(parse) = &file.parse else { return };
        for f in &parse.functions {
            total += 1;
            match band(f.complexity) {
                "simple" => bands.simple += 1,
                "moderate" => bands.moderate += 1,
                "complex" => bands.complex += 1,
                _ => bands.very_complex += 1,
            }
            if f.complexity < thresholds.min_complexity || f.max_nesting < thresholds.min_nesting {
                continue;
            }
            let key = (
                Reverse(f.complexity),
                Reverse(f.max_nesting),
                path.to_string(),
                f.span.start.line,
            );
            top.push(
                key,
                Hotspot {
                    path: path.to_string(),
                    name: f.name.clone(),
                    kind: f.kind.clone(),
                    start_line: f.span.start.line,
                    end_line: f.span.end.line,
                    complexity: f.complexity,
                    max_nesting: f.max_nesting,
                    parameters: f.parameters,
                    lines: f.lines,
                    band: band(f.complexity).to_string(),
                },
            );
        }
    };
    let mut collect = Collect::new(&ctx.scope.root, &mut each);
    ctx.run(plan, &mut collect, interrupts)?;
    let counts = collect.counts;
    let matching = top.seen();
    let (functions, next_cursor) = window.page(top.into_sorted(), matching);
    Ok(HotspotsOutput {
        path: shown,
        files: counts,
        functions_total: total,
        bands,
        thresholds,
        matching: matching as u64,
        functions,
        next_cursor,
    })
}

/// Cycles and external packages a graph answer lists, and files of a cycle.
const GRAPH_LISTED: usize = 20;

/// `dependency_graph`: the import graph of a directory, and the part around one file.
pub fn dependency_graph(
    ctx: &Context,
    input: GraphInput,
    interrupts: &Interrupts,
) -> Result<GraphOutput, ToolError> {
    let window = Window::new(
        "dependency_graph",
        &input,
        input.limit,
        50,
        input.cursor.as_deref(),
    )?;
    if let Some(requested) = input.path.as_deref()
        && ctx.scope.root.resolve(requested)?.kind != Kind::Directory
    {
        return Err(ToolError::new(format!(
            "{requested:?} is a file: dependency_graph takes a directory; pass the file as \
             focus to see its imports"
        )));
    }
    let (targets, shown) = ctx.target(input.path.as_deref())?;
    let focus = match &input.focus {
        Some(f) => Some(ctx.scope.root.show(&ctx.scope.root.resolve_file(f)?.path)),
        None => None,
    };
    let plan = ctx.plan(targets, &Needs::default())?;
    let mut nodes = Vec::new();
    let mut not_analyzed = Vec::new();
    let mut each =
        |path: &str, file: &FileReport, _: Option<&[u8]>| match (&file.parse, file.language) {
            (Some(parse), Some(language)) => {
                let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
                nodes.push(crate::graph::FileNode {
                    path: path.to_string(),
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
                            .filter(|f| f.suppressed.is_none())
                            .count(),
                    ),
                    imports: parse
                        .imports
                        .iter()
                        .map(crate::graph::ImportRef::from)
                        .collect(),
                });
            }
            _ => not_analyzed.push((
                path.to_string(),
                file.status,
                file.reason.clone().unwrap_or_default(),
            )),
        };
    ctx.run(
        plan,
        &mut Collect::new(&ctx.scope.root, &mut each),
        interrupts,
    )?;
    let mut graph = crate::graph::build(ctx.scope.root.dir(), nodes);
    graph.set_not_analyzed(not_analyzed);
    let summary = GraphSummary {
        files: graph.summary.files,
        edges: graph.summary.edges,
        externals: graph.summary.externals,
        unresolved: graph.summary.unresolved,
        cycles: graph.summary.cycles,
        not_analyzed: graph.summary.not_analyzed,
    };
    let cycles = graph
        .cycles
        .iter()
        .take(GRAPH_LISTED)
        .map(|c| GraphCycle {
            size: c.files.len() as u64,
            files: c.files.iter().take(GRAPH_LISTED).cloned().collect(),
        })
        .collect();
    let mut externals: Vec<GraphExternal> = graph
        .externals
        .iter()
        .map(|e| GraphExternal {
            ecosystem: serde_json::to_value(e.ecosystem)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            name: e.name.clone(),
            files: e.files.len() as u64,
        })
        .collect();
    externals.sort_by(|a, b| b.files.cmp(&a.files).then_with(|| a.name.cmp(&b.name)));
    externals.truncate(GRAPH_LISTED);
    let mut out = GraphOutput {
        path: shown,
        summary,
        cycles,
        externals,
        files: Vec::new(),
        focus: None,
        next_cursor: None,
    };
    let Some(focus) = focus else {
        let mut files: Vec<GraphFile> = graph
            .files
            .iter()
            .map(|n| GraphFile {
                path: n.path.clone(),
                imported_by: n.fan_in,
                imports: n.fan_out,
                in_cycle: n.in_cycle,
            })
            .collect();
        files.sort_by(|a, b| {
            b.imported_by
                .cmp(&a.imported_by)
                .then_with(|| a.path.cmp(&b.path))
        });
        let total = files.len();
        let (files, next) = window.page(files, total);
        out.files = files;
        out.next_cursor = next;
        return Ok(out);
    };
    let Some(node) = graph.files.iter().find(|n| n.path == focus) else {
        return Err(ToolError::new(format!(
            "focus {focus:?} is not among the analysed files of {:?}: it must be a source file \
             under that directory that was parsed (see scan for why a file was skipped)",
            out.path
        )));
    };
    let link = |path: &str, e: &crate::graph::Edge| GraphLink {
        path: path.to_string(),
        specifier: e.specifier.clone(),
        line: e.line,
    };
    let imports: Vec<GraphLink> = graph
        .edges
        .iter()
        .filter(|e| e.from == focus)
        .map(|e| link(&e.to, e))
        .collect();
    let imported_by: Vec<GraphLink> = graph
        .edges
        .iter()
        .filter(|e| e.to == focus)
        .map(|e| link(&e.from, e))
        .collect();
    let (imports_total, imported_by_total) = (imports.len(), imported_by.len());
    let (imports, next_a) = window.page(imports, imports_total);
    let (imported_by, next_b) = window.page(imported_by, imported_by_total);
    out.next_cursor = next_a.or(next_b);
    out.focus = Some(GraphFocus {
        path: focus.clone(),
        in_cycle: node.in_cycle,
        imports_total: imports_total as u64,
        imported_by_total: imported_by_total as u64,
        imports,
        imported_by,
        externals: graph
            .externals
            .iter()
            .filter(|e| e.files.contains(&focus))
            .map(|e| e.name.clone())
            .take(bounds::MAX_LIMIT)
            .collect(),
        unresolved: graph
            .unresolved
            .iter()
            .filter(|u| u.file == focus)
            .take(bounds::MAX_LIMIT)
            .map(|u| GraphUnresolved {
                specifier: u.specifier.clone(),
                line: u.line,
                reason: serde_json::to_value(u.reason)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
            })
            .collect(),
    });
    Ok(out)
}

/// `ast`: a file's syntax tree, cut to a depth and a number of nodes.
pub fn ast(
    ctx: &Context,
    input: AstInput,
    interrupts: &Interrupts,
) -> Result<AstOutput, ToolError> {
    let max_depth = input.max_depth.unwrap_or(bounds::DEFAULT_AST_DEPTH);
    if max_depth > bounds::MAX_AST_DEPTH {
        return Err(ToolError::new(format!(
            "max_depth {max_depth} is over the maximum of {}: look at a smaller part (structure \
             gives each function's lines)",
            bounds::MAX_AST_DEPTH
        )));
    }
    let max_nodes = input
        .max_nodes
        .map_or(bounds::DEFAULT_AST_NODES, |n| n as usize);
    if max_nodes == 0 || max_nodes > bounds::MAX_AST_NODES {
        return Err(ToolError::new(format!(
            "max_nodes must be 1 to {}",
            bounds::MAX_AST_NODES
        )));
    }
    let file = ctx.scope.root.resolve_file(&input.path)?;
    let size = std::fs::metadata(&file.path).map_or(0, |m| m.len());
    if size > bounds::MAX_AST_FILE {
        return Err(ToolError::new(format!(
            "{:?} is {size} bytes; ast dumps files of up to {} bytes: use structure for its \
             outline",
            input.path,
            bounds::MAX_AST_FILE
        )));
    }
    let needs = Needs {
        ast: true,
        ast_max_depth: max_depth,
        ..Needs::default()
    };
    let (path, record, dump) = one_file(ctx, file.path, &needs, interrupts)?;
    let mut out = AstOutput {
        path,
        language: record.language,
        status: status_name(record.status).to_string(),
        reason: record.reason.clone(),
        nodes: 0,
        truncated: false,
        tree: None,
    };
    let Some(dump) = dump else {
        return Ok(out);
    };
    let tree: DumpNode = serde_json::from_slice(&dump)
        .map_err(|e| ToolError::new(format!("the worker's syntax tree could not be read: {e}")))?;
    let mut budget = max_nodes;
    let mut truncated = false;
    out.tree = prune(
        &tree,
        input.named_only.unwrap_or(true),
        &mut budget,
        &mut truncated,
    );
    out.nodes = (max_nodes - budget) as u64;
    out.truncated = truncated;
    Ok(out)
}

/// A node of the worker's AST dump (`crate::worker::ast`): 0-based rows and byte columns.
#[derive(serde::Deserialize)]
struct DumpNode {
    kind: String,
    named: bool,
    #[serde(default)]
    field: Option<String>,
    start: [u32; 2],
    end: [u32; 2],
    #[serde(default)]
    children: Vec<DumpNode>,
    #[serde(default)]
    truncated: bool,
}

/// `node` in source order, at most `budget` nodes of it, without anonymous nodes when
/// `named_only`; `truncated` is set when anything was cut.
fn prune(
    node: &DumpNode,
    named_only: bool,
    budget: &mut usize,
    truncated: &mut bool,
) -> Option<AstNode> {
    if *budget == 0 {
        *truncated = true;
        return None;
    }
    *budget -= 1;
    let mut out = AstNode {
        kind: node.kind.clone(),
        field: node.field.clone(),
        start_line: node.start[0].saturating_add(1),
        start_column: node.start[1].saturating_add(1),
        end_line: node.end[0].saturating_add(1),
        end_column: node.end[1].saturating_add(1),
        children: Vec::new(),
        truncated: node.truncated,
    };
    *truncated |= node.truncated;
    for child in node.children.iter().filter(|c| c.named || !named_only) {
        match prune(child, named_only, budget, truncated) {
            Some(c) => out.children.push(c),
            None => {
                out.truncated = true;
                break;
            }
        }
    }
    Some(out)
}

/// `list_rules`: the rules, filtered.
pub fn list_rules(ctx: &Context, input: ListRulesInput) -> Result<ListRulesOutput, ToolError> {
    let window = Window::new(
        "list_rules",
        &input,
        input.limit,
        100,
        input.cursor.as_deref(),
    )?;
    let search = input.search.as_deref().map(str::to_lowercase);
    let matching: Vec<RuleSummary> = ctx
        .scope
        .known
        .iter()
        .filter(|r| input.language.is_none_or(|l| r.languages.contains(&l)))
        .filter(|r| input.min_severity.is_none_or(|s| r.severity >= s))
        .filter(|r| input.cwe.is_none_or(|c| r.cwe == c))
        .filter(|r| {
            search.as_deref().is_none_or(|s| {
                r.id.to_lowercase().contains(s) || r.message.to_lowercase().contains(s)
            })
        })
        .map(|r| summary(ctx, r))
        .collect();
    let total = matching.len();
    let (rules, next_cursor) = window.page(matching, total);
    Ok(ListRulesOutput {
        total: total as u64,
        rules,
        next_cursor,
    })
}

fn summary(ctx: &Context, rule: &Rule) -> RuleSummary {
    RuleSummary {
        id: rule.id.clone(),
        mode: if rule.taint.is_some() {
            "taint"
        } else {
            "search"
        }
        .to_string(),
        severity: ctx
            .scope
            .running
            .iter()
            .find(|r| r.id == rule.id)
            .map_or(rule.severity, |r| r.severity),
        confidence: rule.confidence,
        cwe: rule.cwe,
        languages: rule.languages.clone(),
        runs: ctx.scope.running.iter().any(|r| r.id == rule.id),
        message: rule.message.clone(),
    }
}

/// `explain_rule`: one rule's metadata, patterns and fixture examples.
pub fn explain_rule(
    ctx: &Context,
    input: ExplainRuleInput,
) -> Result<ExplainRuleOutput, ToolError> {
    let Some(rule) = ctx.scope.known.iter().find(|r| r.id == input.id) else {
        let closest = ctx
            .scope
            .known
            .iter()
            .map(|r| (strsim::jaro_winkler(&r.id, &input.id), &r.id))
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .filter(|(score, _)| *score > 0.8)
            .map(|(_, id)| format!(" (did you mean {id:?}?)"))
            .unwrap_or_default();
        return Err(ToolError::new(format!(
            "no rule has the id {:?}{closest}: list_rules lists them",
            input.id
        )));
    };
    let patterns = |list: &[String]| list.iter().take(GRAPH_LISTED).cloned().collect();
    Ok(ExplainRuleOutput {
        rule: summary(ctx, rule),
        owasp: rule.owasp.clone(),
        cwe_url: format!("https://cwe.mitre.org/data/definitions/{}.html", rule.cwe),
        references: rule.references.clone(),
        source: rule.source.clone(),
        query: (rule.taint.is_none()).then(|| rule.query.clone()),
        taint: rule.taint.as_ref().map(|t| TaintPatterns {
            sources: patterns(&t.sources),
            sinks: patterns(&t.sinks),
            sanitizers: patterns(&t.sanitizers),
            propagators: patterns(&t.propagators),
        }),
        examples: examples(&rule.id),
    })
}

/// Lines of the built-in fixtures annotated for `id`: up to [`bounds::MAX_EXAMPLES`] that
/// the rule reports and as many it must not, each with the lines leading to it (back to a
/// blank line), annotation comments left out.
fn examples(id: &str) -> Vec<RuleExample> {
    let (mut found, mut clean) = (Vec::new(), Vec::new());
    for (file, text) in crate::rules::builtin_fixtures() {
        let annotations = crate::rules::fixtures::annotated(text);
        let comments: std::collections::BTreeSet<u32> =
            annotations.iter().map(|a| a.line - 1).collect();
        let lines: Vec<&str> = text.lines().collect();
        for a in annotations.iter().filter(|a| a.ids.iter().any(|i| i == id)) {
            let list = if a.finding { &mut found } else { &mut clean };
            if list.len() >= bounds::MAX_EXAMPLES {
                continue;
            }
            let mut code = Vec::new();
            let mut n = a.line;
            while n >= 1 && code.len() < bounds::MAX_EXAMPLE_LINES {
                let Some(line) = lines.get(n as usize - 1) else {
                    break;
                };
                if line.trim().is_empty() {
                    break;
                }
                if !comments.contains(&n) {
                    code.push(*line);
                }
                n -= 1;
            }
            code.reverse();
            list.push(RuleExample {
                file: file.to_string(),
                line: a.line,
                finding: a.finding,
                code: code.join("\n"),
            });
        }
        if found.len() >= bounds::MAX_EXAMPLES && clean.len() >= bounds::MAX_EXAMPLES {
            break;
        }
    }
    found.extend(clean);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_names_must_fit_the_language() {
        let input = |filename: Option<&str>| ScanCodeInput {
            code: String::new(),
            language: crate::lang::Language::Python,
            filename: filename.map(str::to_string),
            limit: None,
            cursor: None,
        };
        assert_eq!(snippet_name(&input(None)).unwrap(), "snippet.py");
        assert_eq!(snippet_name(&input(Some("views.py"))).unwrap(), "views.py");
        for bad in ["a/b.py", "../x.py", "", "x.js", "Makefile", "a\nb.py"] {
            assert!(snippet_name(&input(Some(bad))).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn examples_come_from_the_fixtures() {
        let examples = examples("python.command-injection.os-system");
        assert!(
            examples
                .iter()
                .any(|e| e.finding && e.code.contains("os.system"))
        );
        assert!(examples.iter().any(|e| !e.finding));
        assert!(examples.iter().all(|e| !e.code.contains("ruleid:")));
        assert!(examples.len() <= 2 * bounds::MAX_EXAMPLES);
    }

    #[test]
    fn pruning_keeps_a_budget_in_source_order() {
        let leaf = |kind: &str, named: bool| DumpNode {
            kind: kind.into(),
            named,
            field: None,
            start: [0, 0],
            end: [0, 1],
            children: Vec::new(),
            truncated: false,
        };
        let tree = DumpNode {
            kind: "module".into(),
            named: true,
            field: None,
            start: [0, 0],
            end: [1, 0],
            children: vec![
                leaf("a", true),
                leaf("(", false),
                leaf("b", true),
                leaf("c", true),
            ],
            truncated: false,
        };
        let (mut budget, mut truncated) = (3, false);
        let out = prune(&tree, true, &mut budget, &mut truncated).unwrap();
        let kinds: Vec<&str> = out.children.iter().map(|c| c.kind.as_str()).collect();
        assert_eq!(kinds, ["a", "b"]);
        assert!(truncated && out.truncated);
        assert_eq!(out.start_line, 1);
        let (mut budget, mut truncated) = (10, false);
        let out = prune(&tree, false, &mut budget, &mut truncated).unwrap();
        assert_eq!(out.children.len(), 4);
        assert!(!truncated);
    }
}
