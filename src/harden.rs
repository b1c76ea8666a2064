//! Keeping session keys out of core dumps. Every process that holds a key (a worker, the
//! daemon, the client of a direct scan) calls [`no_core_dumps`] before the key exists.
//!
//! Two settings, because either alone leaves a way out: `RLIMIT_CORE` 0 stops the kernel writing
//! a core file (with `core_pattern=core` it would land in the scanned repository, key and file
//! contents included), and `PR_SET_DUMPABLE` 0 also covers a `core_pattern` pipe to a handler
//! (which ignores the limit) and keeps other processes of the same user from attaching with
//! ptrace or reading `/proc/<pid>/mem`.

use std::io;

/// Makes this process non-dumpable and sets its core-file size limit to zero. Both only lower
/// what is allowed, so they need no privilege; children inherit the limit (and re-apply the
/// flag themselves, as `execve` resets it).
pub fn no_core_dumps() -> io::Result<()> {
    use rustix::process::{Resource, Rlimit, setrlimit};
    setrlimit(
        Resource::Core,
        Rlimit {
            current: Some(0),
            maximum: Some(0),
        },
    )?;
    #[cfg(target_os = "linux")]
    rustix::process::set_dumpable_behavior(rustix::process::DumpableBehavior::NotDumpable)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn core_size_limit_is_zero_after_the_call() {
        // A test thread shares the process; the settings only lower what is allowed, so
        // applying them to the test binary is harmless.
        super::no_core_dumps().expect("lowering limits needs no privilege");
        let limit = rustix::process::getrlimit(rustix::process::Resource::Core);
        assert_eq!((limit.current, limit.maximum), (Some(0), Some(0)));
    }
}
