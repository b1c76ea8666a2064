//! `astscan mcp`: a Model Context Protocol server on standard input and output, for coding
//! agents. It offers the scanner as tools: findings of files or of code not on disk, a file's
//! structure, complexity hotspots, the import graph, the rules, and syntax trees.
//!
//! The one decision a reader must know: every tool that reads code is a scan of the plan
//! `analyze` uses ([`crate::plan`]), with the same sealed workers, caches and daemon, on paths
//! that [`confine`] has resolved under the server's root; nothing else reads the tree, and
//! every answer goes through [`bounds`].
//!
//! - [`confine`]: paths under the root · [`roots`]: the roots a client declares
//! - [`bounds`]: limits, pages and cursors
//! - [`types`]: tool inputs and outputs, whose JSON Schemas are the tools' schemas
//! - [`tools`]: what each tool does (no protocol) · `render`: the short text of each answer
//! - [`server`]: the rmcp glue: routing, threads, cancellation, answers and tool errors

pub mod bounds;
pub mod confine;
mod render;
pub mod roots;
pub mod server;
pub mod tools;
pub mod types;

use std::time::Duration;

use anyhow::Context as _;
use rmcp::ServiceExt;
use rmcp::service::QuitReason;
use rmcp::service::ServerInitializeError;
use rmcp::transport::async_rw::AsyncRwTransport;

use crate::ExitStatus;
use crate::cli::McpArgs;

/// A tool call that failed in a way the agent can act on: answered as an `isError` result
/// whose text is this message, which says what to fix. Never file contents.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ToolError(String);

impl ToolError {
    /// An error with this message.
    pub fn new(message: impl Into<String>) -> ToolError {
        ToolError(message.into())
    }
}

impl From<confine::ConfineError> for ToolError {
    fn from(e: confine::ConfineError) -> ToolError {
        ToolError(e.to_string())
    }
}

/// How long running scans get to stop once the client is gone, before the process exits
/// anyway (their workers die with it).
const SHUTDOWN_GRACE: Duration = Duration::from_secs(3);

/// Serves until standard input closes.
pub fn serve(args: McpArgs) -> anyhow::Result<ExitStatus> {
    let options = std::sync::Arc::new(tools::Options::new(&args)?);
    let scope = options.initial_scope()?;
    // The limit is the start-up configuration's: a request line is read before its roots.
    let line_limit = bounds::request_line_limit(scope.max_source());
    let server = server::Server::new(roots::Roots::new(options, scope));
    let running = server.running();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the event loop")?;
    let result = runtime.block_on(async move {
        let (input, output) = rmcp::transport::stdio_pipes();
        let transport =
            AsyncRwTransport::new_server(input, output).with_max_line_length(line_limit);
        match server.serve(transport).await {
            Ok(service) => service
                .waiting()
                .await
                .map(|reason| matches!(reason, QuitReason::Closed | QuitReason::Cancelled))
                .context("serving"),
            // Standard input closed before the client said anything: nothing to serve.
            Err(ServerInitializeError::ConnectionClosed(_)) => Ok(true),
            Err(e) => {
                Err(anyhow::Error::new(e).context("the client did not initialise the session"))
            }
        }
    });
    // Scans of calls the client left behind stop now; the process exits whether or not they
    // have, and their workers die with it.
    running.stop_all();
    runtime.shutdown_timeout(SHUTDOWN_GRACE);
    match result? {
        true => Ok(ExitStatus::Success),
        false => Ok(ExitStatus::Error),
    }
}
