//! The protocol side: rmcp's tool router over [`super::tools`], each answer as structured
//! content (matching the tool's output schema) plus a short text, failures as `isError`
//! results whose text says what to fix.
//!
//! A tool that scans runs on a thread of its own (a scan drives its own event loop and worker
//! processes), at most [`bounds::CONCURRENT_SCANS`] at once. When the client cancels the call,
//! or goes away, the scan is stopped as an interrupt would stop it: its workers are told to
//! stop, then killed, and the thread ends.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use rmcp::handler::server::tool::schema_for_output;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{CallToolResult, ContentBlock, Implementation, ServerCapabilities, ServerConfig};
use rmcp::service::{NotificationContext, Peer, RoleServer};
use rmcp::{ServerHandler, tool, tool_handler, tool_router};
use serde::Serialize;
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;

use super::ToolError;
use super::bounds;
use super::render::Render;
use super::roots::Roots;
use super::tools::{self, Context};
use super::types::*;
use crate::interrupt::{Interrupts, StopHandle};

/// The scans running now, so that they can all be stopped when the server ends.
#[derive(Default)]
pub struct Running {
    next: AtomicU64,
    scans: Mutex<HashMap<u64, StopHandle>>,
}

impl Running {
    /// Stops every running scan.
    pub fn stop_all(&self) {
        for stop in crate::lock(&self.scans).values() {
            stop.stop();
        }
    }

    fn add(self: &Arc<Self>, stop: StopHandle) -> Registered {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        crate::lock(&self.scans).insert(id, stop);
        Registered {
            running: Arc::clone(self),
            id,
        }
    }
}

/// A scan's entry in [`Running`], removed when the call is over.
struct Registered {
    running: Arc<Running>,
    id: u64,
}

impl Drop for Registered {
    fn drop(&mut self) {
        crate::lock(&self.running.scans).remove(&self.id);
    }
}

/// The MCP server.
#[derive(Clone)]
pub struct Server {
    roots: Arc<Roots>,
    permits: Arc<Semaphore>,
    running: Arc<Running>,
}

/// A tool function that scans.
type ScanTool<I, O> = fn(&Context, I, &Interrupts) -> Result<O, ToolError>;

impl Server {
    /// A server whose tools read under `roots`.
    pub fn new(roots: Roots) -> Server {
        Server {
            roots: Arc::new(roots),
            permits: Arc::new(Semaphore::new(bounds::CONCURRENT_SCANS)),
            running: Arc::new(Running::default()),
        }
    }

    /// The scans this server runs.
    pub fn running(&self) -> Arc<Running> {
        Arc::clone(&self.running)
    }

    /// What a call of the client on `peer` works with: the roots of the moment.
    async fn context(&self, peer: &Peer<RoleServer>) -> Result<Context, ToolError> {
        let scope = self.roots.scope(peer).await?;
        Ok(Context::new(Arc::clone(self.roots.options()), scope))
    }

    /// Runs `tool` on its own thread, stopping it if `ct` is cancelled.
    async fn run_tool<I, O>(
        &self,
        input: Checked<I>,
        ct: CancellationToken,
        peer: &Peer<RoleServer>,
        tool: ScanTool<I, O>,
    ) -> CallToolResult
    where
        I: Send + 'static,
        O: Serialize + Render + Send + 'static,
    {
        let input = match input.0 {
            Ok(input) => input,
            Err(e) => return failure(&ToolError::new(e)),
        };
        let ctx = match self.context(peer).await {
            Ok(ctx) => ctx,
            Err(e) => return failure(&e),
        };
        let permit = tokio::select! {
            permit = Arc::clone(&self.permits).acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => return failure(&ToolError::new("the server is shutting down")),
            },
            _ = ct.cancelled() => return failure(&ToolError::new("the call was cancelled")),
        };
        let (interrupts, stop) = Interrupts::on_request();
        let _registered = self.running.add(stop.clone());
        let (tx, rx) = tokio::sync::oneshot::channel();
        let spawned = std::thread::Builder::new()
            .name("astscan-mcp-tool".into())
            .spawn(move || {
                let result = tool(&ctx, input, &interrupts);
                // The permit goes with the scan's end, not the answer's: a cancelled call's
                // workers still count until they are gone.
                drop(permit);
                let _ = tx.send(result);
            });
        if let Err(e) = spawned {
            return failure(&ToolError::new(format!("cannot start the scan: {e}")));
        }
        tokio::select! {
            result = rx => match result {
                Ok(result) => answer(result),
                // The thread ended without an answer: it panicked (the message is on stderr).
                Err(_) => failure(&ToolError::new("the tool failed unexpectedly; the server goes on")),
            },
            _ = ct.cancelled() => {
                stop.stop();
                failure(&ToolError::new("the call was cancelled"))
            }
        }
    }
}

/// An output as structured content with its text.
fn answer<O: Serialize + Render>(result: Result<O, ToolError>) -> CallToolResult {
    let output = match result {
        Ok(output) => output,
        Err(e) => return failure(&e),
    };
    match serde_json::to_value(&output) {
        Ok(value) => {
            let mut result = CallToolResult::structured(value);
            result.content = vec![ContentBlock::text(output.text())];
            result
        }
        Err(e) => failure(&ToolError::new(format!(
            "the answer could not be encoded: {e}"
        ))),
    }
}

/// A tool error: `isError`, with the message as its text.
fn failure(error: &ToolError) -> CallToolResult {
    CallToolResult::error(vec![ContentBlock::text(error.to_string())])
}

#[tool_router]
impl Server {
    /// Scan files and directories for security findings.
    #[tool(
        description = "Scan files and directories under the server's root for security \
            findings (taint-tracked injections, weak crypto, hard-coded secrets, ...). Returns \
            the findings with rule, severity, location, message and, for taint rules, the data \
            flow from source to sink, most severe first and a page at a time (limit, cursor), \
            plus the number of files per status and the files that were skipped or failed.",
        annotations(read_only_hint = true, open_world_hint = false),
        output_schema = schema_for_output::<ScanOutput>()
    )]
    async fn scan(
        &self,
        Parameters(input): Parameters<Checked<ScanInput>>,
        ct: CancellationToken,
        peer: Peer<RoleServer>,
    ) -> CallToolResult {
        self.run_tool(input, ct, &peer, tools::scan).await
    }

    /// Scan source text that is not on disk.
    #[tool(
        description = "Scan source text that is not written to disk (a draft, a patch's new \
            version) for security findings and syntax errors, as if it were a file of the given \
            language. The code is at most the server's max-file-size (10 MiB unless \
            configured); nothing is written.",
        annotations(read_only_hint = true, open_world_hint = false),
        output_schema = schema_for_output::<ScanCodeOutput>()
    )]
    async fn scan_code(
        &self,
        Parameters(input): Parameters<Checked<ScanCodeInput>>,
        ct: CancellationToken,
        peer: Peer<RoleServer>,
    ) -> CallToolResult {
        self.run_tool(input, ct, &peer, tools::scan_code).await
    }

    /// One file's outline.
    #[tool(
        description = "The outline of one file: its functions and methods (name, lines, \
            parameters, cyclomatic complexity, nesting), classes and other types, and imports, \
            in source order, a page at a time.",
        annotations(read_only_hint = true, open_world_hint = false),
        output_schema = schema_for_output::<StructureOutput>()
    )]
    async fn structure(
        &self,
        Parameters(input): Parameters<Checked<StructureInput>>,
        ct: CancellationToken,
        peer: Peer<RoleServer>,
    ) -> CallToolResult {
        self.run_tool(input, ct, &peer, tools::structure).await
    }

    /// The most complex functions.
    #[tool(
        description = "The most complex functions under a file or directory: ranked by \
            cyclomatic complexity then nesting, with thresholds (min_complexity, min_nesting) \
            and the count of functions per complexity band (simple 1-10, moderate 11-20, \
            complex 21-50, very complex over 50).",
        annotations(read_only_hint = true, open_world_hint = false),
        output_schema = schema_for_output::<HotspotsOutput>()
    )]
    async fn hotspots(
        &self,
        Parameters(input): Parameters<Checked<HotspotsInput>>,
        ct: CancellationToken,
        peer: Peer<RoleServer>,
    ) -> CallToolResult {
        self.run_tool(input, ct, &peer, tools::hotspots).await
    }

    /// The import graph.
    #[tool(
        description = "The import graph of a directory: totals, import cycles, the most used \
            external packages and the most imported files; with focus, what one file imports \
            and which files import it, its external packages and its unresolved imports.",
        annotations(read_only_hint = true, open_world_hint = false),
        output_schema = schema_for_output::<GraphOutput>()
    )]
    async fn dependency_graph(
        &self,
        Parameters(input): Parameters<Checked<GraphInput>>,
        ct: CancellationToken,
        peer: Peer<RoleServer>,
    ) -> CallToolResult {
        self.run_tool(input, ct, &peer, tools::dependency_graph)
            .await
    }

    /// The rules.
    #[tool(
        description = "The security rules (built-in and configured), filtered by language, \
            severity, CWE or text: id, mode (taint or search), severity, confidence, CWE, \
            languages, whether this server's scans run it, and its message.",
        annotations(read_only_hint = true, open_world_hint = false),
        output_schema = schema_for_output::<ListRulesOutput>()
    )]
    async fn list_rules(
        &self,
        Parameters(input): Parameters<Checked<ListRulesInput>>,
        peer: Peer<RoleServer>,
    ) -> CallToolResult {
        let ctx = match self.context(&peer).await {
            Ok(ctx) => ctx,
            Err(e) => return failure(&e),
        };
        match input.0 {
            Ok(input) => answer(tools::list_rules(&ctx, input)),
            Err(e) => failure(&ToolError::new(e)),
        }
    }

    /// One rule in full.
    #[tool(
        description = "One rule in full: message, severity, confidence, CWE (with its page), \
            OWASP category, references, its query or taint patterns, and examples from its \
            test fixtures of code it reports and code it must not.",
        annotations(read_only_hint = true, open_world_hint = false),
        output_schema = schema_for_output::<ExplainRuleOutput>()
    )]
    async fn explain_rule(
        &self,
        Parameters(input): Parameters<Checked<ExplainRuleInput>>,
        peer: Peer<RoleServer>,
    ) -> CallToolResult {
        let ctx = match self.context(&peer).await {
            Ok(ctx) => ctx,
            Err(e) => return failure(&e),
        };
        match input.0 {
            Ok(input) => answer(tools::explain_rule(&ctx, input)),
            Err(e) => failure(&ToolError::new(e)),
        }
    }

    /// A syntax tree.
    #[tool(
        description = "The syntax tree of one file (tree-sitter), cut to a depth (max_depth, \
            default 8) and a number of nodes (max_nodes, default 500): node kinds, fields and \
            positions. Files of up to 1 MiB.",
        annotations(read_only_hint = true, open_world_hint = false),
        output_schema = schema_for_output::<AstOutput>()
    )]
    async fn ast(
        &self,
        Parameters(input): Parameters<Checked<AstInput>>,
        ct: CancellationToken,
        peer: Peer<RoleServer>,
    ) -> CallToolResult {
        self.run_tool(input, ct, &peer, tools::ast).await
    }
}

#[tool_handler]
impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("astscan", env!("CARGO_PKG_VERSION")))
            .with_instructions(format!(
                "astscan scans the source files under {} (JavaScript, TypeScript, Python, Ruby, \
                 Java, PHP, Go), or under the roots the client declares. Paths are relative to \
                 the root (to the directory holding all the roots, when there are several); \
                 nothing outside the roots is read. \
                 Start with scan (security findings) or hotspots (complex functions); \
                 structure, dependency_graph and ast look closer; explain_rule tells what a \
                 finding's rule looks for. Long lists come in pages: pass next_cursor back as \
                 cursor.",
                crate::pathfmt::escape(self.roots.options().initial_dir())
            ))
    }

    async fn on_initialized(&self, context: NotificationContext<RoleServer>) {
        self.ask_roots(context.peer);
    }

    async fn on_roots_list_changed(&self, context: NotificationContext<RoleServer>) {
        if Roots::declared(&context.peer) {
            // Before any later call is handled: none runs with the roots replaced.
            self.roots.invalidate().await;
            self.ask_roots(context.peer);
        }
    }
}

impl Server {
    /// Asks for the client's roots now, when it declares them, rather than at its next call.
    fn ask_roots(&self, peer: Peer<RoleServer>) {
        if Roots::declared(&peer) {
            let roots = Arc::clone(&self.roots);
            tokio::spawn(async move {
                let _ = roots.scope(&peer).await;
            });
        }
    }
}
