//! The byte transport: how a finished job (ESC/POS bytes) reaches a printer.
//!
//! The trait is async (tokio): Bluetooth LE is asynchronous on every platform, network
//! printers need connect and write timeouts without a thread per printer, and the apps call
//! printing through uniffi as `suspend`/`async` functions. A transport knows nothing about
//! receipts; it moves bytes and reports how far it got.

use std::fmt;
use std::path::PathBuf;

use async_trait::async_trait;

use crate::DeviceError;
use crate::status::PrinterStatus;

/// Where a job goes, as written in `kasir printer add NAME TARGET`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A network printer's raw port: `tcp:HOST:PORT` (usually 9100).
    Tcp {
        /// Host name or address.
        host: String,
        /// Port.
        port: u16,
    },
    /// A file (`file:PATH`); `file:-` is standard output.
    File(PathBuf),
    /// Standard output (`file:-` or `stdout:`).
    Stdout,
    /// A Bluetooth LE printer by address: `ble:AA:BB:CC:DD:EE:FF` (or the platform's id).
    Ble {
        /// The peripheral's address or identifier.
        address: String,
    },
    /// The in-process simulated Bluetooth printer: `sim:`.
    Simulated,
}

impl Target {
    /// Reads a target. The error names the target and what is wrong with it.
    pub fn parse(text: &str) -> Result<Target, DeviceError> {
        let bad = |reason: &str| DeviceError::BadTarget {
            target: text.to_string(),
            reason: reason.to_string(),
        };
        let (scheme, rest) = text
            .split_once(':')
            .ok_or_else(|| bad("expected tcp:HOST:PORT, file:PATH, ble:ADDRESS or sim:"))?;
        match scheme.to_ascii_lowercase().as_str() {
            "tcp" => {
                let (host, port) = rest
                    .rsplit_once(':')
                    .ok_or_else(|| bad("expected tcp:HOST:PORT, for example tcp:10.0.0.5:9100"))?;
                let host = host.trim_start_matches('[').trim_end_matches(']');
                if host.is_empty() {
                    return Err(bad("the host is empty"));
                }
                let port = port
                    .parse::<u16>()
                    .ok()
                    .filter(|p| *p > 0)
                    .ok_or_else(|| bad("the port must be a number from 1 to 65535"))?;
                Ok(Target::Tcp {
                    host: host.to_string(),
                    port,
                })
            }
            "file" if rest == "-" => Ok(Target::Stdout),
            "file" if rest.is_empty() => Err(bad("the file path is empty")),
            "file" => Ok(Target::File(PathBuf::from(rest))),
            "stdout" if rest.is_empty() => Ok(Target::Stdout),
            "ble" if rest.is_empty() => Err(bad("the Bluetooth address is empty")),
            "ble" => Ok(Target::Ble {
                address: rest.to_string(),
            }),
            "sim" if rest.is_empty() => Ok(Target::Simulated),
            _ => Err(bad(
                "unknown kind: expected tcp:HOST:PORT, file:PATH, ble:ADDRESS or sim:",
            )),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Tcp { host, port } if host.contains(':') => write!(f, "tcp:[{host}]:{port}"),
            Target::Tcp { host, port } => write!(f, "tcp:{host}:{port}"),
            Target::File(path) => write!(f, "file:{}", path.display()),
            Target::Stdout => write!(f, "file:-"),
            Target::Ble { address } => write!(f, "ble:{address}"),
            Target::Simulated => write!(f, "sim:"),
        }
    }
}

/// Moves a job's bytes to a printer.
#[async_trait]
pub trait Transport: Send {
    /// The printer, for messages (`tcp:10.0.0.5:9100`).
    fn describe(&self) -> String;

    /// Sends one job, all of it, in order. Where the printer answers status requests it is
    /// asked first, and paper out or an open cover fail the job before any of it is sent. On
    /// [`DeviceError::Interrupted`] with bytes sent the job's outcome is unknown; on any other
    /// error none of the job reached the printer.
    async fn send(&mut self, job: &[u8]) -> Result<(), DeviceError>;

    /// Asks the printer for its status. `Ok(None)`: this printer or transport does not answer.
    async fn status(&mut self) -> Result<Option<PrinterStatus>, DeviceError> {
        Ok(None)
    }
}

/// A file or standard output: what `kasir printer test file:receipt.bin` writes.
#[derive(Debug)]
pub struct FileSink {
    path: Option<PathBuf>,
}

impl FileSink {
    /// A sink that replaces `path` with each job (written to a temporary name, then renamed,
    /// so a reader never sees half a job).
    pub fn file(path: PathBuf) -> FileSink {
        FileSink { path: Some(path) }
    }

    /// A sink to standard output.
    pub fn stdout() -> FileSink {
        FileSink { path: None }
    }
}

#[async_trait]
impl Transport for FileSink {
    fn describe(&self) -> String {
        match &self.path {
            Some(path) => format!("file:{}", path.display()),
            None => "file:-".into(),
        }
    }

    async fn send(&mut self, job: &[u8]) -> Result<(), DeviceError> {
        use std::io::Write;

        let Some(path) = &self.path else {
            let mut out = std::io::stdout().lock();
            return out
                .write_all(job)
                .and_then(|()| out.flush())
                .map_err(|e| DeviceError::File {
                    path: "standard output".into(),
                    reason: e.to_string(),
                });
        };
        let file_error = |e: std::io::Error| DeviceError::File {
            path: path.display().to_string(),
            reason: e.to_string(),
        };
        let mut partial = path.clone().into_os_string();
        partial.push(".partial");
        let partial = PathBuf::from(partial);
        let mut file = std::fs::File::create(&partial).map_err(file_error)?;
        file.write_all(job)
            .and_then(|()| file.sync_all())
            .map_err(file_error)?;
        std::fs::rename(&partial, path).map_err(file_error)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tcp_target_reads_host_and_port() {
        assert_eq!(
            Target::parse("tcp:10.0.0.5:9100").expect("valid"),
            Target::Tcp {
                host: "10.0.0.5".into(),
                port: 9100
            }
        );
        assert_eq!(
            Target::parse("tcp:[::1]:9100").expect("valid").to_string(),
            "tcp:[::1]:9100"
        );
    }

    #[test]
    fn tcp_target_without_a_valid_port_is_refused_with_the_reason() {
        let e = Target::parse("tcp:printer").expect_err("no port");
        assert!(e.to_string().contains("tcp:HOST:PORT"), "{e}");
        let e = Target::parse("tcp:printer:99999").expect_err("port too big");
        assert!(e.to_string().contains("1 to 65535"), "{e}");
    }

    #[test]
    fn file_dash_is_standard_output() {
        assert_eq!(Target::parse("file:-").expect("valid"), Target::Stdout);
        assert_eq!(
            Target::parse("file:/tmp/r.bin").expect("valid"),
            Target::File("/tmp/r.bin".into())
        );
    }

    #[test]
    fn ble_and_sim_targets_are_read() {
        assert_eq!(
            Target::parse("ble:AA:BB:CC:DD:EE:FF").expect("valid"),
            Target::Ble {
                address: "AA:BB:CC:DD:EE:FF".into()
            }
        );
        assert_eq!(Target::parse("sim:").expect("valid"), Target::Simulated);
    }

    #[test]
    fn unknown_scheme_is_refused() {
        assert!(Target::parse("usb:/dev/usb/lp0").is_err());
        assert!(Target::parse("printer").is_err());
    }

    #[tokio::test]
    async fn file_sink_writes_exactly_the_job() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("job.bin");
        let mut sink = FileSink::file(path.clone());
        sink.send(&[0x1B, 0x40, b'h', b'i', 0x0A])
            .await
            .expect("written");
        assert_eq!(
            std::fs::read(&path).expect("read back"),
            [0x1B, 0x40, b'h', b'i', 0x0A]
        );
        assert!(!dir.path().join("job.bin.partial").exists());
    }
}
