//! The tokio runtime the library owns, on which every long-running task runs.
//!
//! The apps drive `async` calls from their own executors (Kotlin coroutines, Swift tasks); the
//! futures uniffi hands them only wait for work spawned here, so no foreign executor ever has
//! to drive tokio's I/O.

use std::future::Future;
use std::sync::OnceLock;

use tokio::runtime::Runtime;
use tokio::task::JoinHandle;

use crate::error::KasirError;

/// The library's runtime: two worker threads are plenty for sync on a phone.
pub(crate) fn runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("kasir-rt")
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("the kasir runtime cannot start: {e}"))
    })
}

/// Aborts its task when dropped, so that a caller who stops waiting (a cancelled coroutine or
/// Swift task drops the future) also stops the work.
struct AbortOnDrop<T>(JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Runs `work` on the library's runtime and waits for it; dropping the returned future
/// cancels the work.
pub(crate) async fn run<T, F>(work: F) -> Result<T, KasirError>
where
    T: Send + 'static,
    F: Future<Output = Result<T, KasirError>> + Send + 'static,
{
    let mut task = AbortOnDrop(runtime().spawn(work));
    match (&mut task.0).await {
        Ok(result) => result,
        Err(e) if e.is_cancelled() => Err(KasirError::Cancelled),
        Err(e) => Err(KasirError::Internal {
            reason: format!("a background task failed: {e}"),
        }),
    }
}
