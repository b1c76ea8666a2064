//! Integration tests: every test drives the real `astscan` binary, which starts real worker
//! processes, on files made in temporary directories. One test binary, so the crate is linked
//! once.

mod bad_input;
mod cache;
mod cache_trust;
mod cli;
mod daemon;
mod daemon_trust;
mod formats;
mod git;
mod git_ignored;
mod graph;
mod hardening;
mod languages;
mod mcp;
mod output;
mod paths_bytes;
mod precommit;
mod protocol;
mod remote;
mod report;
mod rule_selection;
mod rules;
mod sarif_paths;
mod security;
mod shard;
mod supervision;
mod taint;
mod util;
mod walk;
