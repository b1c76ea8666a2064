//! What `astscan daemon status` reports: written by the daemon, read back by the client as the
//! same types (never as untyped JSON), and printed as JSON, text or Prometheus metrics.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::cache::CacheStats;

/// The daemon's state (`astscan daemon status --json`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Status {
    /// The daemon's process id.
    pub pid: u32,
    /// The astscan version.
    pub version: String,
    /// The build identity a client must share.
    pub build_id: String,
    /// The socket it listens on.
    pub socket: String,
    /// `async` or `serial`.
    pub mode: String,
    /// When it started (RFC 3339).
    pub started: String,
    /// Seconds since it started.
    pub uptime_s: f64,
    /// Open sessions.
    pub sessions: usize,
    /// Open connections.
    pub connections: usize,
    /// Connections accepted since it started.
    pub connections_total: u64,
    /// Connections refused because the peer was another user.
    pub refused_peers: u64,
    /// Files requested (lookups answered from the cache included).
    pub requests: u64,
    /// Files sent as envelopes (the rest were answered by content hash).
    pub files_received: u64,
    /// Requests answered `busy`.
    pub busy_answers: u64,
    /// Files that failed.
    pub failed: u64,
    /// Files queued or parsing.
    pub in_flight: usize,
    /// Request latency over the recent window.
    pub latency_ms: Latency,
    /// The memory result cache.
    pub cache: CacheStats,
    /// The result cache directory behind it, shared with direct scans (absent: memory only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disk_cache: Option<DiskStatus>,
    /// The remote tier behind the directory (absent: none configured).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_cache: Option<crate::cache::remote::RemoteStats>,
    /// Hits over lookups of the memory cache.
    pub cache_hit_rate: f64,
    /// One pool of workers per set of options.
    pub pools: Vec<PoolStatus>,
}

/// The daemon's use of the result cache directory since it started.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DiskStatus {
    /// Where the entries live.
    pub dir: String,
    /// Lookups, writes and damaged entries.
    #[serde(flatten)]
    pub counters: crate::cache::disk::Counters,
}

/// Latency percentiles, in milliseconds.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Latency {
    /// Median.
    pub p50: f64,
    /// 99th percentile.
    pub p99: f64,
    /// Requests in the window.
    pub samples: usize,
}

/// Workers and queue of one set of options (rules, deadline, memory limit).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PoolStatus {
    /// The first 6 bytes of the options fingerprint, in hex.
    pub options: String,
    /// Rules its workers evaluate.
    pub rules: usize,
    /// Files waiting for a worker.
    pub queued: usize,
    /// Workers running.
    pub live_workers: usize,
    /// Workers started, replacements included.
    pub workers_started: u64,
    /// Workers that died or were killed while working.
    pub worker_restarts: u64,
    /// Why the pool cannot start workers, when it cannot.
    pub broken: Option<String>,
    /// Each worker slot.
    pub workers: Vec<SlotStatus>,
    /// Warm workers per language (workers that have compiled it).
    pub warm_by_language: BTreeMap<String, usize>,
}

/// One worker slot.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SlotStatus {
    /// The worker's process id, while one runs.
    pub pid: Option<u32>,
    /// Whether it is parsing a file.
    pub busy: bool,
    /// Files it has parsed.
    pub files: u64,
    /// Languages it has compiled.
    pub languages: BTreeSet<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_reads_back_as_written() {
        let status = Status {
            pid: 7,
            version: "1.0".into(),
            build_id: "1.0+abc".into(),
            socket: "/run/astscan.sock".into(),
            mode: "async".into(),
            started: "2026-01-01T00:00:00Z".into(),
            uptime_s: 1.5,
            sessions: 1,
            connections: 2,
            connections_total: 3,
            refused_peers: 0,
            requests: 10,
            files_received: 4,
            busy_answers: 0,
            failed: 1,
            in_flight: 0,
            latency_ms: Latency {
                p50: 0.4,
                p99: 2.0,
                samples: 10,
            },
            cache: CacheStats::default(),
            disk_cache: Some(DiskStatus {
                dir: "/home/u/.cache/astscan/results".into(),
                counters: crate::cache::disk::Counters {
                    hits: 3,
                    ..Default::default()
                },
            }),
            remote_cache: Some(crate::cache::remote::RemoteStats {
                server: "redis://cache.internal:6379/".into(),
                hits: 2,
                rejected: 1,
                ..Default::default()
            }),
            cache_hit_rate: 0.6,
            pools: vec![PoolStatus {
                options: "0a0b0c0d0e0f".into(),
                rules: 120,
                queued: 0,
                live_workers: 1,
                workers_started: 1,
                worker_restarts: 0,
                broken: None,
                workers: vec![SlotStatus {
                    pid: Some(9),
                    busy: false,
                    files: 4,
                    languages: ["python".to_string()].into(),
                }],
                warm_by_language: [("python".to_string(), 1)].into(),
            }],
        };
        let json = serde_json::to_vec(&status).unwrap();
        assert_eq!(serde_json::from_slice::<Status>(&json).unwrap(), status);
    }
}
