//! One entry point per subcommand: glue between the validated command line and the modules
//! that do the work.

pub mod analyze;
pub mod cache;
pub mod daemon;
pub mod graph;
pub mod mcp;
pub mod merge;
pub mod rules;
