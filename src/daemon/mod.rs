//! The local daemon: `astscan daemon` keeps sessions, warm worker pools and a result cache
//! behind a Unix socket, so a pre-commit scan of a few files skips worker start-up and rule
//! compilation; `astscan analyze` forwards to it when it runs ([`client`]).
//!
//! - [`paths`]: where the socket lives and the checks on its directory
//! - [`lock`]: one daemon per socket; stale sockets
//! - [`server`]: connections, handshake, sessions, scheduling, status
//! - [`session`]: session table and expiry · [`queue`]: fair queue between sessions
//! - [`cache`]: result cache · [`client`]: the CLI's side · [`log`]: log lines

pub mod cache;
pub mod client;
pub mod lock;
pub mod log;
pub mod paths;
pub mod queue;
pub mod server;
pub mod session;
pub mod status;

/// The per-file deadline `astscan analyze` uses by default, in milliseconds (pre-warmed
/// workers are started for it).
pub const DEFAULT_DEADLINE_MS: u64 = 5_000;
/// The worker memory limit `astscan analyze` uses by default, in MiB.
pub const DEFAULT_MEMORY_LIMIT_MB: u64 = 4_096;
