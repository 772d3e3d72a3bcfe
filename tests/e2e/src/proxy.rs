//! A fault-injecting HTTP proxy for tests, on loopback between a device and `kasir-cloud`.
//!
//! Each request is read whole and, by a seeded plan, forwarded as it is or hit by a fault: the
//! request dropped before the server sees it, the response dropped after the server committed,
//! the request sent twice, a delay, a 500 answer, or the response cut in the middle of its
//! body. Every request is forwarded on a fresh upstream connection with `Connection: close`,
//! and the client connection is closed after each answer, so faults never leak into the next
//! request.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the proxy does to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Forward it and its answer untouched.
    None,
    /// Close the connection before the server sees the request.
    DropRequest,
    /// Forward it, then close the connection instead of answering: the server committed.
    DropResponse,
    /// Send it to the server twice and answer with the second response.
    Duplicate,
    /// Wait, then forward it.
    Delay(Duration),
    /// Answer 500 without forwarding.
    ServerError,
    /// Forward it, answer with the first half of the response, then close.
    CutResponse,
}

/// Which faults to inject, how often, from which seed.
#[derive(Debug, Clone)]
pub struct FaultPlan {
    seed: u64,
    /// Faults with their weights; `Fault::None` is the weight left to 100.
    faults: Vec<(Fault, u32)>,
}

impl FaultPlan {
    /// No faults at all.
    pub fn clean() -> FaultPlan {
        FaultPlan {
            seed: 1,
            faults: Vec::new(),
        }
    }

    /// Every kind of fault, each on `percent_each`% of requests.
    pub fn every_fault(seed: u64, percent_each: u32) -> FaultPlan {
        FaultPlan {
            seed,
            faults: vec![
                (Fault::DropRequest, percent_each),
                (Fault::DropResponse, percent_each),
                (Fault::Duplicate, percent_each),
                (Fault::Delay(Duration::from_millis(30)), percent_each),
                (Fault::ServerError, percent_each),
                (Fault::CutResponse, percent_each),
            ],
        }
    }

    /// Only `fault`, on every request.
    pub fn always(fault: Fault) -> FaultPlan {
        FaultPlan {
            seed: 1,
            faults: vec![(fault, 100)],
        }
    }
}

/// What the proxy saw.
#[derive(Debug, Default)]
pub struct Stats {
    /// Requests received.
    pub requests: AtomicU64,
    /// Requests hit by a fault.
    pub faults: AtomicU64,
    /// Request bytes forwarded to the server.
    pub bytes_up: AtomicU64,
    /// Response bytes received from the server.
    pub bytes_down: AtomicU64,
}

/// A running proxy; stops when dropped.
pub struct FaultProxy {
    address: SocketAddr,
    stats: Arc<Stats>,
    plan: Arc<std::sync::Mutex<(FaultPlan, Dice)>>,
    runtime: Option<tokio::runtime::Runtime>,
}

struct Dice(u64);

impl Dice {
    fn roll(&mut self) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        u32::try_from((self.0 >> 33) % 100).unwrap_or(0)
    }
}

impl FaultProxy {
    /// Starts a proxy on a free loopback port in front of `upstream`.
    pub fn start(upstream: SocketAddr, plan: FaultPlan) -> std::io::Result<FaultProxy> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?;
        let listener = runtime.block_on(TcpListener::bind("127.0.0.1:0"))?;
        let address = listener.local_addr()?;
        let stats = Arc::new(Stats::default());
        let seed = plan.seed;
        let plan = Arc::new(std::sync::Mutex::new((plan, Dice(seed))));
        let chosen = plan.clone();
        let shared = stats.clone();
        runtime.spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let fault = {
                    let mut guard = chosen.lock().unwrap_or_else(|e| e.into_inner());
                    let (plan, dice) = &mut *guard;
                    let roll = dice.roll();
                    let mut edge = 0;
                    plan.faults
                        .iter()
                        .find(|(_, weight)| {
                            edge += weight;
                            roll < edge
                        })
                        .map_or(Fault::None, |(f, _)| *f)
                };
                let stats = shared.clone();
                tokio::spawn(async move {
                    let _ = handle(client, upstream, fault, &stats).await;
                });
            }
        });
        Ok(FaultProxy {
            address,
            stats,
            plan,
            runtime: Some(runtime),
        })
    }

    /// Changes the plan for the requests that follow.
    pub fn set_plan(&self, plan: FaultPlan) {
        let seed = plan.seed;
        *self.plan.lock().unwrap_or_else(|e| e.into_inner()) = (plan, Dice(seed));
    }

    /// The proxy's URL, to give the device as its server.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// What the proxy saw so far.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// Reads one HTTP/1.1 request (head and `Content-Length` body) from `stream`.
async fn read_request(stream: &mut TcpStream) -> std::io::Result<Option<Vec<u8>>> {
    let mut buffer = Vec::with_capacity(8192);
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while buffer.len() < head_end + length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    // Ask the server to close after answering, so that its answer ends at end of stream.
    let text = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut rewritten: String = text
        .split("\r\n")
        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:") && !l.is_empty())
        .map(|l| format!("{l}\r\n"))
        .collect();
    rewritten.push_str("connection: close\r\n\r\n");
    let mut request = rewritten.into_bytes();
    request.extend_from_slice(&buffer[head_end..head_end + length]);
    Ok(Some(request))
}

async fn forward(upstream: SocketAddr, request: &[u8], stats: &Stats) -> std::io::Result<Vec<u8>> {
    let mut server = TcpStream::connect(upstream).await?;
    server.write_all(request).await?;
    stats
        .bytes_up
        .fetch_add(request.len() as u64, Ordering::Relaxed);
    let mut response = Vec::new();
    server.read_to_end(&mut response).await?;
    stats
        .bytes_down
        .fetch_add(response.len() as u64, Ordering::Relaxed);
    Ok(response)
}

async fn handle(
    mut client: TcpStream,
    upstream: SocketAddr,
    fault: Fault,
    stats: &Stats,
) -> std::io::Result<()> {
    let Some(request) = read_request(&mut client).await? else {
        return Ok(());
    };
    stats.requests.fetch_add(1, Ordering::Relaxed);
    if fault != Fault::None {
        stats.faults.fetch_add(1, Ordering::Relaxed);
    }
    match fault {
        Fault::DropRequest => return Ok(()),
        Fault::ServerError => {
            let body = r#"{"code":"internal","message":"injected fault"}"#;
            let answer = format!(
                "HTTP/1.1 500 Internal Server Error\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            client.write_all(answer.as_bytes()).await?;
            return Ok(());
        }
        Fault::Delay(delay) => tokio::time::sleep(delay).await,
        _ => {}
    }
    let mut response = forward(upstream, &request, stats).await?;
    match fault {
        Fault::DropResponse => return Ok(()),
        Fault::Duplicate => response = forward(upstream, &request, stats).await?,
        Fault::CutResponse => response.truncate(response.len() / 2),
        _ => {}
    }
    client.write_all(&response).await?;
    client.shutdown().await
}
