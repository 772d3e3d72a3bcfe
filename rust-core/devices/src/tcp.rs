//! Raw TCP printing: network printers listen on port 9100 and print what they receive.

use std::time::Duration;

use async_trait::async_trait;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;

use crate::DeviceError;
use crate::status::{PrinterStatus, REQUEST_OFFLINE, REQUEST_PAPER};
use crate::transport::Transport;

/// Timeouts of a network printer.
#[derive(Debug, Clone, Copy)]
pub struct TcpTimeouts {
    /// Opening the connection.
    pub connect: Duration,
    /// Writing the whole job (a printer out of paper stops reading, and the write blocks).
    pub write: Duration,
    /// Waiting for a status answer; printers that never answer take this long to say so.
    pub status: Duration,
    /// Ask `DLE EOT` before each job (on the job's own connection, so that a printer serving
    /// one client at a time is not asked on a second one).
    pub ask_status: bool,
}

impl Default for TcpTimeouts {
    fn default() -> Self {
        TcpTimeouts {
            connect: Duration::from_secs(3),
            write: Duration::from_secs(10),
            status: Duration::from_millis(300),
            ask_status: true,
        }
    }
}

/// A network printer on a raw TCP port. Each job opens its own connection, as the printer
/// serves one client at a time.
#[derive(Debug, Clone)]
pub struct TcpPrinter {
    host: String,
    port: u16,
    timeouts: TcpTimeouts,
}

impl TcpPrinter {
    /// A printer at `host:port` with the default timeouts.
    pub fn new(host: impl Into<String>, port: u16) -> TcpPrinter {
        TcpPrinter {
            host: host.into(),
            port,
            timeouts: TcpTimeouts::default(),
        }
    }

    /// The same printer with other timeouts.
    pub fn with_timeouts(mut self, timeouts: TcpTimeouts) -> TcpPrinter {
        self.timeouts = timeouts;
        self
    }

    async fn connect(&self) -> Result<TcpStream, DeviceError> {
        let address = (self.host.as_str(), self.port);
        match timeout(self.timeouts.connect, TcpStream::connect(address)).await {
            Err(_) => Err(DeviceError::Timeout {
                target: self.describe(),
                during: "connecting",
                after: self.timeouts.connect,
            }),
            Ok(Err(e)) => Err(DeviceError::Connect {
                target: self.describe(),
                reason: e.to_string(),
            }),
            Ok(Ok(stream)) => {
                // Small jobs should leave at once rather than wait for more bytes.
                let _ = stream.set_nodelay(true);
                Ok(stream)
            }
        }
    }

    /// Asks for the offline cause, then (if it answered) the paper sensor.
    async fn ask_status(
        &self,
        stream: &mut TcpStream,
    ) -> Result<Option<PrinterStatus>, DeviceError> {
        let Some(offline) = self.ask(stream, REQUEST_OFFLINE).await? else {
            return Ok(None);
        };
        let Some(paper) = self.ask(stream, REQUEST_PAPER).await? else {
            return Ok(None);
        };
        PrinterStatus::from_answers(offline, paper).map(Some)
    }

    async fn ask(
        &self,
        stream: &mut TcpStream,
        request: [u8; 3],
    ) -> Result<Option<u8>, DeviceError> {
        let broken = |e: std::io::Error| DeviceError::Connect {
            target: self.describe(),
            reason: e.to_string(),
        };
        stream.write_all(&request).await.map_err(broken)?;
        let mut answer = [0u8; 1];
        match timeout(self.timeouts.status, stream.read(&mut answer)).await {
            Err(_) | Ok(Ok(0)) => Ok(None),
            Ok(Ok(_)) => Ok(Some(answer[0])),
            Ok(Err(e)) => Err(broken(e)),
        }
    }
}

#[async_trait]
impl Transport for TcpPrinter {
    fn describe(&self) -> String {
        if self.host.contains(':') {
            format!("tcp:[{}]:{}", self.host, self.port)
        } else {
            format!("tcp:{}:{}", self.host, self.port)
        }
    }

    async fn send(&mut self, job: &[u8]) -> Result<(), DeviceError> {
        let mut stream = self.connect().await?;
        if self.timeouts.ask_status
            && let Some(status) = self.ask_status(&mut stream).await?
        {
            status.ready()?;
        }
        let write = async {
            stream.write_all(job).await?;
            stream.flush().await?;
            // A clean close tells the printer the job is complete.
            stream.shutdown().await
        };
        match timeout(self.timeouts.write, write).await {
            Ok(Ok(())) => {
                tracing::info!(printer = %self.describe(), bytes = job.len(), "job sent");
                Ok(())
            }
            // TCP does not say how much the printer took; any failure after connecting may
            // have printed part of the job.
            Ok(Err(e)) => Err(DeviceError::Interrupted {
                target: self.describe(),
                sent: job.len(),
                total: job.len(),
                reason: e.to_string(),
            }),
            Err(_) => Err(DeviceError::Interrupted {
                target: self.describe(),
                sent: job.len(),
                total: job.len(),
                reason: format!(
                    "the printer stopped taking data for {} ms (out of paper or cover open?)",
                    self.timeouts.write.as_millis()
                ),
            }),
        }
    }

    async fn status(&mut self) -> Result<Option<PrinterStatus>, DeviceError> {
        let mut stream = self.connect().await?;
        self.ask_status(&mut stream).await
    }
}
