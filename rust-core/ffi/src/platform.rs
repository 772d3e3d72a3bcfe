//! Platform services the app implements as foreign traits: secure storage for the device
//! token, a log sink, and the network-reachability signal that wakes background sync.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock, RwLock};

use tokio::sync::Notify;
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, SubscriberExt};

use crate::error::KasirError;

/// Where the app keeps secrets: the Android Keystore, the iOS Keychain. Kasir keeps the
/// device token here once the device enrols.
#[uniffi::export(with_foreign)]
pub trait SecureStorage: Send + Sync {
    /// The value stored under `key`, or `None`.
    fn read(&self, key: String) -> Result<Option<String>, KasirError>;
    /// Stores `value` under `key`, replacing any earlier value.
    fn write(&self, key: String, value: String) -> Result<(), KasirError>;
    /// Forgets `key` (nothing happens if it is not there).
    fn delete(&self, key: String) -> Result<(), KasirError>;
}

/// The app's view of the network (Android `ConnectivityManager`, iOS `NWPathMonitor`).
#[uniffi::export(with_foreign)]
pub trait NetworkMonitor: Send + Sync {
    /// Whether the network looks reachable now.
    fn is_reachable(&self) -> bool;
    /// Starts reporting changes to `listener` until [`NetworkMonitor::stop`].
    fn start(&self, listener: Arc<ReachabilityListener>);
    /// Stops reporting changes.
    fn stop(&self);
}

/// Told by the app when the network comes and goes; a network that comes back wakes the
/// background sync at once instead of at its next turn.
#[derive(uniffi::Object)]
pub struct ReachabilityListener {
    wake: Arc<Notify>,
    reachable: AtomicBool,
}

impl ReachabilityListener {
    pub(crate) fn new(wake: Arc<Notify>, reachable: bool) -> ReachabilityListener {
        ReachabilityListener {
            wake,
            reachable: AtomicBool::new(reachable),
        }
    }
}

#[uniffi::export]
impl ReachabilityListener {
    /// The network is now `reachable` (or not).
    pub fn changed(&self, reachable: bool) {
        let was = self.reachable.swap(reachable, Ordering::SeqCst);
        if reachable && !was {
            tracing::debug!("network is back; waking sync");
            self.wake.notify_one();
        }
    }
}

/// How serious a log record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, uniffi::Enum)]
pub enum LogLevel {
    /// A bug.
    Error,
    /// Something went wrong that Kasir handles (a failed sync that will be retried).
    Warn,
    /// What happened to the business objects (sale completed, batch synced).
    Info,
    /// Detail for developers.
    Debug,
    /// Fine detail.
    Trace,
}

impl LogLevel {
    fn of(level: &tracing::Level) -> LogLevel {
        match *level {
            tracing::Level::ERROR => LogLevel::Error,
            tracing::Level::WARN => LogLevel::Warn,
            tracing::Level::INFO => LogLevel::Info,
            tracing::Level::DEBUG => LogLevel::Debug,
            tracing::Level::TRACE => LogLevel::Trace,
        }
    }
}

/// One log record from the core. The core logs no personal data, tokens or card numbers.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LogRecord {
    /// How serious it is.
    pub level: LogLevel,
    /// The module that logged it (`kasir_sync::worker`).
    pub target: String,
    /// The message with its fields (`sale completed lines=3`).
    pub message: String,
}

/// Where the app wants the core's logs (Logcat, OSLog).
#[uniffi::export(with_foreign)]
pub trait LogSink: Send + Sync {
    /// Takes one record; called on the thread that logged it, so it must not block.
    fn log(&self, record: LogRecord);
}

struct Sink {
    sink: Arc<dyn LogSink>,
    max: LogLevel,
}

fn current_sink() -> &'static RwLock<Option<Sink>> {
    static SINK: RwLock<Option<Sink>> = RwLock::new(None);
    &SINK
}

/// Forwards every `tracing` event to the installed [`LogSink`].
struct SinkLayer;

#[derive(Default)]
struct Message(String);

impl Visit for Message {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let separator = if self.0.is_empty() { "" } else { " " };
        if field.name() == "message" {
            let _ = write!(self.0, "{separator}{value:?}");
        } else {
            let _ = write!(self.0, "{separator}{}={value:?}", field.name());
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        let separator = if self.0.is_empty() { "" } else { " " };
        if field.name() == "message" {
            let _ = write!(self.0, "{separator}{value}");
        } else {
            let _ = write!(self.0, "{separator}{}={value}", field.name());
        }
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for SinkLayer {
    fn on_event(&self, event: &tracing::Event<'_>, _ctx: Context<'_, S>) {
        let Ok(guard) = current_sink().read() else {
            return;
        };
        let Some(sink) = guard.as_ref() else {
            return;
        };
        let level = LogLevel::of(event.metadata().level());
        if level > sink.max {
            return;
        }
        let mut message = Message::default();
        event.record(&mut message);
        sink.sink.log(LogRecord {
            level,
            target: event.metadata().target().to_string(),
            message: message.0,
        });
    }
}

/// Sends the core's logs at `max_level` and above to `sink`. Calling it again replaces the
/// sink and the level. Fails when the process already has another `tracing` subscriber.
#[uniffi::export]
pub fn install_log_sink(sink: Arc<dyn LogSink>, max_level: LogLevel) -> Result<(), KasirError> {
    static INSTALLED: OnceLock<Result<(), String>> = OnceLock::new();
    INSTALLED
        .get_or_init(|| {
            tracing::subscriber::set_global_default(tracing_subscriber::registry().with(SinkLayer))
                .map_err(|e| e.to_string())
        })
        .clone()
        .map_err(|reason| KasirError::Internal { reason })?;
    let mut current = current_sink().write().map_err(|_| KasirError::Internal {
        reason: "the log sink lock is poisoned".into(),
    })?;
    *current = Some(Sink {
        sink,
        max: max_level,
    });
    Ok(())
}
