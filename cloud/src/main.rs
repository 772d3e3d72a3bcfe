//! `kasir-cloud`: serve the cloud account, and the operator's commands.

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use kasir_cloud::{Db, accounts, db, router};
use uuid::Uuid;

/// Kasir's cloud account: the server that registers sync with.
#[derive(Debug, Parser)]
#[command(name = "kasir-cloud", version)]
struct Cli {
    /// The database: sqlite://PATH (default: kasir-cloud.db in the platform data folder) or
    /// postgres://USER@HOST/DB.
    #[arg(long, global = true, env = "KASIR_CLOUD_DATABASE")]
    database: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the API until interrupted.
    Serve {
        /// Address and port to listen on (port 0: any free port, printed at start).
        #[arg(long, default_value = "127.0.0.1:8080", env = "KASIR_CLOUD_LISTEN")]
        listen: SocketAddr,
    },
    /// Merchant accounts.
    Merchant {
        #[command(subcommand)]
        command: MerchantCommand,
    },
    /// Bring the database's schema up to date and exit.
    Migrate,
}

#[derive(Debug, Subcommand)]
enum MerchantCommand {
    /// Create a merchant account; prints its id and owner token (shown only once).
    Create {
        /// The merchant's name.
        name: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Replace a merchant's owner token; prints the new one. The old one stops working.
    RotateToken {
        /// The merchant's id.
        merchant_id: Uuid,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The server logs its business events; a one-off command only its warnings.
    let default_filter = match cli.command {
        Command::Serve { .. } => "info",
        _ => "warn",
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("KASIR_CLOUD_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_filter)),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("kasir-cloud: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kasir-cloud: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error>> {
    let url = cli.database.unwrap_or_else(db::default_url);
    let db = Db::connect(&url).await?;
    match cli.command {
        Command::Serve { listen } => serve(db, listen).await?,
        Command::Migrate => println!("database is up to date"),
        Command::Merchant { command } => {
            let (merchant, json) = match command {
                MerchantCommand::Create { name, json } => {
                    (accounts::create_merchant(&db, &name).await?, json)
                }
                MerchantCommand::RotateToken { merchant_id, json } => {
                    (accounts::rotate_owner_token(&db, merchant_id).await?, json)
                }
            };
            if json {
                println!("{}", serde_json::to_string(&merchant)?);
            } else {
                println!("merchant_id: {}", merchant.merchant_id);
                println!("owner_token: {}", merchant.owner_token);
                println!("(keep the owner token safe: it is shown only this once)");
            }
            db.close().await;
        }
    }
    Ok(())
}

async fn serve(db: Db, listen: SocketAddr) -> Result<(), Box<dyn std::error::Error>> {
    let listener = tokio::net::TcpListener::bind(listen).await?;
    let address = listener.local_addr()?;
    tracing::info!(%address, backend = ?db.backend(), "kasir-cloud listening");
    // One line on stdout, for scripts and tests that started it on port 0.
    println!("listening on http://{address}");
    axum::serve(listener, router(db.clone()))
        .with_graceful_shutdown(shutdown())
        .await?;
    db.close().await;
    tracing::info!("kasir-cloud stopped");
    Ok(())
}

async fn shutdown() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(_) => return interrupt.await.unwrap_or(()),
            };
        tokio::select! {
            _ = interrupt => {},
            _ = terminate.recv() => {},
        }
    }
    #[cfg(not(unix))]
    interrupt.await.unwrap_or(());
}
