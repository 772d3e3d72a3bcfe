//! The database: one connection pool over SQLite or PostgreSQL, and each backend's migrations.
//!
//! The server talks to both through sqlx's `Any` driver with portable SQL: `$1` placeholders
//! (SQLite reads them as numbered parameters), integer and text columns only, `CAST(... AS
//! BIGINT)` around sums (PostgreSQL widens `sum(bigint)` to `numeric`), `ON CONFLICT` and
//! `RETURNING`, which both have. Only the migrations differ, in `migrations/sqlite` and
//! `migrations/postgres`; they are embedded in the binary and run at start.

use std::path::PathBuf;
use std::time::Duration;

use sqlx::any::AnyPoolOptions;
use sqlx::migrate::Migrator;
use sqlx::{Any, Connection, Executor, Transaction};
use sqlx::{AnyConnection, AnyPool};
use thiserror::Error;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

/// Which database the server runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file (the default).
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// Why the database could not be opened.
#[derive(Debug, Error)]
pub enum DbError {
    /// The URL names no database this server supports.
    #[error("unsupported database URL `{0}`: use sqlite://PATH or postgres://USER@HOST/DB")]
    UnsupportedUrl(String),
    /// The SQLite file's folder could not be created.
    #[error("cannot create the folder {path}: {source}")]
    CreateDir {
        /// The folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Connecting or a statement failed.
    #[error("database: {0}")]
    Sqlx(#[from] sqlx::Error),
    /// A migration failed.
    #[error("migrating the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// The server's database: cheap to clone, shared by every request.
#[derive(Debug, Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
}

impl Db {
    /// Opens the database at `url` (`sqlite://PATH`, created if missing, or `postgres://...`)
    /// and brings its schema up to date. Several servers may do this at once against one
    /// PostgreSQL database: sqlx holds an advisory lock while it migrates.
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        sqlx::any::install_default_drivers();
        let (backend, url) = if url.starts_with("sqlite:") {
            (Backend::Sqlite, sqlite_url(url)?)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Backend::Postgres, url.to_string())
        } else {
            return Err(DbError::UnsupportedUrl(url.to_string()));
        };

        let mut conn = AnyConnection::connect(&url).await?;
        if backend == Backend::Sqlite {
            // Persistent, so set once here: switching needs an exclusive lock that a busy
            // pool could not give.
            conn.execute("PRAGMA journal_mode = WAL").await?;
        }
        match backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&mut conn).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&mut conn).await?,
        }
        conn.close().await?;

        let pool = AnyPoolOptions::new()
            .max_connections(10)
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // A sale the server acknowledged is on disk.
                        conn.execute("PRAGMA synchronous = FULL").await?;
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        Ok(Db { pool, backend })
    }

    /// The backend.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The pool, for queries that need no transaction.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Starts a transaction that will write.
    ///
    /// On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`): a transaction that read
    /// first and wrote later could otherwise find its snapshot stale once another connection
    /// committed, an error that waiting cannot cure. Writers then queue on the lock (up to the
    /// busy timeout). PostgreSQL needs nothing special: row locks and unique indexes order the
    /// writers (see `changes.rs` and `push.rs`).
    pub async fn begin_write(&self) -> Result<Transaction<'static, Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// `sqlite://PATH` with the file's folder created and the file created on first use.
fn sqlite_url(url: &str) -> Result<String, DbError> {
    let rest = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() || path.contains(":memory:") {
        return Err(DbError::UnsupportedUrl(format!(
            "{url} (kasir-cloud keeps its data in a file: give sqlite://PATH)"
        )));
    }
    if let Some(parent) = std::path::Path::new(path).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent).map_err(|source| DbError::CreateDir {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    Ok(if query.is_empty() {
        format!("sqlite://{path}?mode=rwc")
    } else {
        format!("sqlite://{path}?{query}")
    })
}

/// The default database: `kasir-cloud.db` in the platform's data folder for Kasir (for
/// example `~/.local/share/kasir/`), or in the current folder when there is none.
pub fn default_url() -> String {
    let dir = directories::ProjectDirs::from("", "", "kasir")
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from("."));
    format!("sqlite://{}", dir.join("kasir-cloud.db").display())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sqlite_url_is_opened_read_write_create() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/cloud.db");
        let url = sqlite_url(&format!("sqlite://{}", path.display())).unwrap();

        assert_eq!(url, format!("sqlite://{}?mode=rwc", path.display()));
        assert!(dir.path().join("sub").is_dir());
    }

    #[test]
    fn memory_and_unknown_urls_are_refused() {
        assert!(sqlite_url("sqlite::memory:").is_err());
        let err = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(Db::connect("mysql://x"))
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("unsupported database URL `mysql://x`")
        );
    }
}
