//! `astscan mcp`: the Model Context Protocol server ([`crate::mcp`]) on stdin and stdout.

use anyhow::Result;

use crate::ExitStatus;
use crate::cli::McpArgs;

/// Runs `astscan mcp` until its standard input closes.
pub fn run(args: McpArgs) -> Result<ExitStatus> {
    crate::mcp::serve(args)
}
