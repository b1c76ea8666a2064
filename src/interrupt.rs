//! SIGINT, SIGTERM and SIGHUP as a flag and a wake-up instead of the default of dying on the
//! spot.
//!
//! Watching starts before `-o FILE`'s temporary file exists and lasts until that file has been
//! renamed into place or removed, so no signal can end the process while the temporary file is
//! on disk. Once a handler is registered the default action never comes back: a signal that
//! arrives after the watcher is dropped is ignored, and the run ends as it would have anyway.

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
    handle: signal_hook::iterator::Handle,
    thread: Option<std::thread::JoinHandle<()>>,
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
            handle,
            thread: Some(thread),
        })
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
        self.handle.close();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
