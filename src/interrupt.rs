//! SIGINT, SIGTERM and SIGHUP as a flag and a wake-up instead of the default of dying on the
//! spot.
//!
//! Watching starts before `-o FILE`'s temporary file exists and lasts until that file has been
//! renamed into place or removed, so no signal can end the process while the temporary file is
//! on disk. Once a handler is registered the default action never comes back: a signal that
//! arrives after the watcher is dropped is ignored, and the run ends as it would have anyway.
//!
//! A long-lived process that runs many scans (`astscan mcp`) keeps the default signal actions
//! instead and stops one scan at a time on request ([`Interrupts::on_request`]).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

use tokio::sync::Notify;

/// Watches the signals that ask astscan to stop; dropping it ends the watching thread.
pub struct Interrupts {
    /// Set on the first signal; the walk and the workers check it.
    stop: Arc<AtomicBool>,
    /// The first signal's number, 0 until one arrives.
    signal: Arc<AtomicI32>,
    /// Woken on the first signal. `notify_one` keeps a permit when nobody waits yet, so a
    /// signal that arrives before the scan starts waiting is not missed.
    notify: Arc<Notify>,
    /// The signal watcher, when signals are watched.
    handle: Option<signal_hook::iterator::Handle>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// Stops the scan of an [`Interrupts::on_request`] from another thread.
#[derive(Clone)]
pub struct StopHandle {
    stop: Arc<AtomicBool>,
    signal: Arc<AtomicI32>,
    notify: Arc<Notify>,
}

impl StopHandle {
    /// Stops the scan as SIGINT would: queued files are failed, workers are stopped, and the
    /// scan returns with `interrupted_by` set. Later calls do nothing.
    pub fn stop(&self) {
        if self
            .signal
            .compare_exchange(0, libc::SIGINT, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
        {
            self.stop.store(true, Ordering::SeqCst);
            self.notify.notify_one();
        }
    }
}

impl Interrupts {
    /// Starts watching.
    pub fn watch() -> std::io::Result<Interrupts> {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let stop = Arc::new(AtomicBool::new(false));
        let signal = Arc::new(AtomicI32::new(0));
        let notify = Arc::new(Notify::new());
        let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])?;
        let handle = signals.handle();
        let thread = {
            let (stop, signal, notify) =
                (Arc::clone(&stop), Arc::clone(&signal), Arc::clone(&notify));
            std::thread::Builder::new()
                .name("astscan-signals".into())
                .spawn(move || {
                    if let Some(sig) = signals.forever().next() {
                        signal.store(sig, Ordering::SeqCst);
                        stop.store(true, Ordering::SeqCst);
                        notify.notify_one();
                    }
                })?
        };
        Ok(Interrupts {
            stop,
            signal,
            notify,
            handle: Some(handle),
            thread: Some(thread),
        })
    }

    /// Watches no signal: the scan stops only when the returned handle asks it to, and the
    /// process keeps its signal actions.
    pub fn on_request() -> (Interrupts, StopHandle) {
        let stop = Arc::new(AtomicBool::new(false));
        let signal = Arc::new(AtomicI32::new(0));
        let notify = Arc::new(Notify::new());
        let handle = StopHandle {
            stop: Arc::clone(&stop),
            signal: Arc::clone(&signal),
            notify: Arc::clone(&notify),
        };
        let interrupts = Interrupts {
            stop,
            signal,
            notify,
            handle: None,
            thread: None,
        };
        (interrupts, handle)
    }

    /// The signal that arrived first, if one did.
    pub fn signal(&self) -> Option<i32> {
        match self.signal.load(Ordering::SeqCst) {
            0 => None,
            sig => Some(sig),
        }
    }

    /// The flag a signal sets (the scan also sets it to stop early for its own reasons).
    pub(crate) fn stop_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.stop)
    }

    /// Woken once, on the first signal.
    pub(crate) fn notify(&self) -> Arc<Notify> {
        Arc::clone(&self.notify)
    }
}

impl Drop for Interrupts {
    fn drop(&mut self) {
        if let Some(handle) = &self.handle {
            handle.close();
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
