//! `analyze --shard I/N`: one of N deterministic shares of a scan's inputs, so that N CI jobs
//! can each scan one share and their reports be merged (`astscan merge`).
//!
//! A file belongs to the shard its report path picks: the SHA-256 of the path's bytes relative
//! to the report root (as JSON and SARIF name it), read as a number, modulo N. Hashing the
//! reported path rather than the path as walked makes the partition the same however the scan
//! is invoked and wherever the tree is checked out; SHA-256 rather than std's hasher because
//! the latter is seeded per process. Files are placed one by one, so a file added to the tree
//! moves no other file to another shard.

use std::fmt;
use std::num::NonZeroU32;

use sha2::{Digest, Sha256};

use crate::report::root::PathRoot;

/// One share of N: shard `index` (1-based) of `count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    index: NonZeroU32,
    count: NonZeroU32,
}

/// Why a `--shard` value is not `I/N` with `1 <= I <= N`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShardError {
    /// Not two numbers separated by `/`.
    #[error("not I/N (for example 1/3: the first of three shards)")]
    Syntax(String),
    /// `N` is 0.
    #[error("the number of shards N must be at least 1")]
    NoShards(String),
    /// `I` is 0 or greater than `N`.
    #[error("the shard I must be from 1 to {count} (shards are numbered from 1)")]
    OutOfRange {
        /// The value as given.
        given: String,
        /// N.
        count: u32,
    },
}

impl Shard {
    /// Shard `index` of `count`, both 1-based.
    pub fn new(index: u32, count: u32) -> Option<Shard> {
        let count = NonZeroU32::new(count)?;
        let index = NonZeroU32::new(index).filter(|i| *i <= count)?;
        Some(Shard { index, count })
    }

    /// Parses `I/N`.
    pub fn parse(s: &str) -> Result<Shard, ShardError> {
        let syntax = || ShardError::Syntax(s.to_string());
        let (i, n) = s.trim().split_once('/').ok_or_else(syntax)?;
        let number = |t: &str| {
            let t = t.trim();
            // `+1` parses as a u32; a shard number is plain digits.
            if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
                return Err(syntax());
            }
            t.parse::<u32>().map_err(|_| syntax())
        };
        let (index, count) = (number(i)?, number(n)?);
        if count == 0 {
            return Err(ShardError::NoShards(s.to_string()));
        }
        Shard::new(index, count).ok_or(ShardError::OutOfRange {
            given: s.to_string(),
            count,
        })
    }

    /// The shard number, from 1.
    pub fn index(&self) -> u32 {
        self.index.get()
    }

    /// The number of shards.
    pub fn count(&self) -> u32 {
        self.count.get()
    }

    /// The shard (1-based) a file with this report path belongs to among `count`.
    pub fn of(report_path: &[u8], count: NonZeroU32) -> u32 {
        let digest = Sha256::digest(report_path);
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        // 64 bits of a uniform hash modulo a 32-bit count: the bias is below 2^-32.
        (u64::from_be_bytes(first) % u64::from(count.get())) as u32 + 1
    }

    /// Whether a file with this report path is in this shard.
    pub fn contains(&self, report_path: &[u8]) -> bool {
        Shard::of(report_path, self.count) == self.index.get()
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(out, "{}/{}", self.index, self.count)
    }
}

/// A shard and the root its paths are reported relative to: decides which inputs of a walk,
/// as the walk names them, a scan takes.
#[derive(Clone, Debug)]
pub struct Filter {
    shard: Shard,
    root: PathRoot,
}

impl Filter {
    /// A filter for `shard`, placing paths under `root` as the JSON and SARIF reports do.
    pub fn new(shard: Shard, root: PathRoot) -> Filter {
        Filter { shard, root }
    }

    /// Whether the input the report will name `shown` (as the scan shows it: relative to the
    /// current directory, or absolute) is in the shard.
    pub fn takes(&mut self, shown: &std::path::Path) -> bool {
        use std::os::unix::ffi::OsStrExt;
        let location = self.root.locate(shown.as_os_str().as_bytes());
        self.shard.contains(location.bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_i_of_n() {
        assert_eq!(Shard::parse("2/3"), Ok(Shard::new(2, 3).unwrap()));
        assert_eq!(Shard::parse(" 1 / 1 "), Ok(Shard::new(1, 1).unwrap()));
        assert_eq!(Shard::parse("3/3").unwrap().to_string(), "3/3");
        for bad in [
            "x", "", "1", "1/", "/3", "a/3", "1/b", "-1/3", "+1/3", "1/3/4", "1.5/3",
        ] {
            assert!(
                matches!(Shard::parse(bad), Err(ShardError::Syntax(_))),
                "{bad}"
            );
        }
        assert!(matches!(Shard::parse("1/0"), Err(ShardError::NoShards(_))));
        assert!(matches!(
            Shard::parse("0/3"),
            Err(ShardError::OutOfRange { count: 3, .. })
        ));
        assert!(matches!(
            Shard::parse("4/3"),
            Err(ShardError::OutOfRange { count: 3, .. })
        ));
    }

    #[test]
    fn a_path_always_lands_in_the_same_single_shard() {
        let n = NonZeroU32::new(5).unwrap();
        for i in 0..200 {
            let path = format!("src/module{i}/file.py");
            let first = Shard::of(path.as_bytes(), n);
            assert_eq!(first, Shard::of(path.as_bytes(), n));
            let holders = (1..=5)
                .filter(|&k| Shard::new(k, 5).unwrap().contains(path.as_bytes()))
                .count();
            assert_eq!(holders, 1, "{path}");
        }
        // Fixed values: the partition must not change between builds or machines, or shards
        // of one pipeline run by different versions would overlap.
        let three = NonZeroU32::new(3).unwrap();
        let fixed: Vec<u32> = ["a.py", "src/lib.rs", "web/app.js", "x"]
            .iter()
            .map(|p| Shard::of(p.as_bytes(), three))
            .collect();
        assert_eq!(fixed, FIXED);
    }

    /// Shards of 3 of the paths in `a_path_always_lands_in_the_same_single_shard`.
    const FIXED: [u32; 4] = [2, 1, 2, 1];

    #[test]
    fn the_partition_is_not_degenerate() {
        let n = 4u32;
        let mut counts = [0usize; 4];
        let total = 4000;
        for i in 0..total {
            let path = format!("pkg/sub{}/m{i}.py", i % 7);
            counts[Shard::of(path.as_bytes(), NonZeroU32::new(n).unwrap()) as usize - 1] += 1;
        }
        // Each share is within 10 % of a quarter.
        for c in counts {
            assert!((900..=1100).contains(&c), "{counts:?}");
        }
        assert_eq!(Shard::of(b"anything", NonZeroU32::new(1).unwrap()), 1);
    }

    #[test]
    fn the_filter_hashes_the_path_relative_to_the_root() {
        let shard = Shard::new(1, 2).unwrap();
        let mut here = Filter::new(shard, PathRoot::new("/repo".into(), "/repo".into()));
        let mut below = Filter::new(shard, PathRoot::new("/repo".into(), "/repo/src".into()));
        let mut moved = Filter::new(shard, PathRoot::new("/copy".into(), "/copy".into()));
        for i in 0..50 {
            let rel = format!("src/f{i}.py");
            let expected = shard.contains(rel.as_bytes());
            assert_eq!(here.takes(std::path::Path::new(&rel)), expected);
            assert_eq!(
                here.takes(std::path::Path::new(&format!("./{rel}"))),
                expected
            );
            assert_eq!(
                below.takes(std::path::Path::new(&format!("f{i}.py"))),
                expected
            );
            assert_eq!(
                moved.takes(std::path::Path::new(&format!("/copy/{rel}"))),
                expected
            );
        }
    }
}
