//! Printers, the persisted print queue and card payments waiting to be forwarded.
//!
//! A print job is written before its first byte is sent and moves `queued -> sending ->
//! printed | failed | uncertain`. A job found `sending` when the store opens was cut off by a
//! crash or a killed app, so [`Store::recover_print_jobs`] marks it `uncertain`: only a
//! person looking at the printer knows whether it printed. A reprint is a new job that names
//! the one it replaces, so the history shows both.

use jiff::Timestamp;
use kasir_domain::DomainError;
use rusqlite::{OptionalExtension, Row, params};
use serde::Serialize;

use crate::{Store, StoreError};

/// A printer the store knows by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Printer {
    /// Its name (`counter`, `kitchen`).
    pub name: String,
    /// Where it is: `tcp:HOST:PORT`, `file:PATH`, `ble:ADDRESS` or `sim:`.
    pub target: String,
    /// The printer profile's name (columns, code pages, what it supports).
    pub profile: String,
}

/// Where a print job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    /// Waiting to be sent.
    Queued,
    /// Being sent now (or the device stopped while it was).
    Sending,
    /// Every byte reached the printer.
    Printed,
    /// Nothing reached the printer.
    Failed,
    /// The connection broke mid-job: it may have printed in part, in full or not at all.
    Uncertain,
}

impl JobStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Queued => "queued",
            JobStatus::Sending => "sending",
            JobStatus::Printed => "printed",
            JobStatus::Failed => "failed",
            JobStatus::Uncertain => "uncertain",
        }
    }

    fn parse(text: &str) -> Result<JobStatus, StoreError> {
        Ok(match text {
            "queued" => JobStatus::Queued,
            "sending" => JobStatus::Sending,
            "printed" => JobStatus::Printed,
            "failed" => JobStatus::Failed,
            "uncertain" => JobStatus::Uncertain,
            other => return Err(StoreError::Corrupt(format!("print job status `{other}`"))),
        })
    }
}

/// A print job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrintJob {
    /// Its id (UUIDv7).
    pub id: String,
    /// The printer's name, or the target when printed to one directly.
    pub printer: String,
    /// Where the bytes go.
    pub target: String,
    /// What it prints: `receipt`, `test`.
    pub kind: String,
    /// The sale's receipt number, for receipts.
    pub receipt_number: Option<String>,
    /// The bytes to send.
    #[serde(skip)]
    pub bytes: Vec<u8>,
    /// Where it is.
    pub status: JobStatus,
    /// How many times sending started.
    pub attempts: i64,
    /// The last failure, in words.
    pub last_error: Option<String>,
    /// The job this one reprints.
    pub reprint_of: Option<String>,
    /// When it was queued (RFC 3339).
    pub created_at: String,
    /// When it last changed (RFC 3339).
    pub updated_at: String,
}

/// A new job for [`Store::queue_print_job`].
#[derive(Debug, Clone)]
pub struct NewPrintJob<'a> {
    /// The printer's name, or the target.
    pub printer: &'a str,
    /// Where the bytes go.
    pub target: &'a str,
    /// What it prints.
    pub kind: &'a str,
    /// The sale's receipt number, for receipts.
    pub receipt_number: Option<&'a str>,
    /// The bytes.
    pub bytes: &'a [u8],
}

/// How sending a job ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobOutcome {
    /// Every byte reached the printer.
    Printed,
    /// Nothing reached the printer, for this reason.
    Failed(String),
    /// The link broke mid-job, for this reason.
    Uncertain(String),
}

/// A card payment approved offline by the reader, waiting to be sent to the acquirer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OfflineCardPayment {
    /// Its id.
    pub id: String,
    /// The sale's receipt number.
    pub receipt_number: Option<String>,
    /// The amount in minor units.
    pub amount_minor: i64,
    /// The ISO 4217 currency.
    pub currency: String,
    /// The card's brand.
    pub brand: String,
    /// The card's last four digits.
    pub last4: String,
    /// When the reader approved it (RFC 3339).
    pub taken_at: String,
}

const JOB_COLUMNS: &str = "id, printer, target, kind, receipt_number, bytes, status, attempts, \
                           last_error, reprint_of, created_at, updated_at";

fn job_from_row(row: &Row<'_>) -> rusqlite::Result<(PrintJob, String)> {
    Ok((
        PrintJob {
            id: row.get(0)?,
            printer: row.get(1)?,
            target: row.get(2)?,
            kind: row.get(3)?,
            receipt_number: row.get(4)?,
            bytes: row.get(5)?,
            status: JobStatus::Queued,
            attempts: row.get(7)?,
            last_error: row.get(8)?,
            reprint_of: row.get(9)?,
            created_at: row.get(10)?,
            updated_at: row.get(11)?,
        },
        row.get(6)?,
    ))
}

fn finish_job((mut job, status): (PrintJob, String)) -> Result<PrintJob, StoreError> {
    job.status = JobStatus::parse(&status)?;
    Ok(job)
}

fn check_name(field: &'static str, value: &str, max: usize) -> Result<(), StoreError> {
    if value.trim().is_empty() || value.len() > max || value.chars().any(char::is_control) {
        return Err(DomainError::invalid(
            field,
            format!("must be 1 to {max} printable characters"),
        )
        .into());
    }
    Ok(())
}

impl Store {
    /// Adds or replaces the printer called `name`.
    pub fn save_printer(&mut self, printer: &Printer) -> Result<(), StoreError> {
        check_name("name", &printer.name, 40)?;
        if printer.name.contains(':') {
            return Err(DomainError::invalid(
                "name",
                "must not contain `:` (that is how targets are told from names)",
            )
            .into());
        }
        check_name("target", &printer.target, 300)?;
        check_name("profile", &printer.profile, 40)?;
        let tx = self.write_tx()?;
        tx.execute(
            "INSERT INTO printers (name, target, profile, added_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (name) DO UPDATE SET target = excluded.target, profile = excluded.profile",
            params![
                printer.name,
                printer.target,
                printer.profile,
                Timestamp::now().to_string()
            ],
        )?;
        tx.commit()?;
        tracing::info!(printer = %printer.name, "printer saved");
        Ok(())
    }

    /// The printers, by name.
    pub fn printers(&self) -> Result<Vec<Printer>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT name, target, profile FROM printers ORDER BY name")?;
        let rows = stmt.query_map([], |r| {
            Ok(Printer {
                name: r.get(0)?,
                target: r.get(1)?,
                profile: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The printer called `name`.
    pub fn printer(&self, name: &str) -> Result<Printer, StoreError> {
        self.conn
            .query_row(
                "SELECT name, target, profile FROM printers WHERE name = ?1",
                [name],
                |r| {
                    Ok(Printer {
                        name: r.get(0)?,
                        target: r.get(1)?,
                        profile: r.get(2)?,
                    })
                },
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: "printer",
                key: name.to_string(),
            })
    }

    /// Queues a job; it is on disk before any byte is sent.
    pub fn queue_print_job(&mut self, job: &NewPrintJob<'_>) -> Result<PrintJob, StoreError> {
        self.insert_job(job, None)
    }

    fn insert_job(
        &mut self,
        job: &NewPrintJob<'_>,
        reprint_of: Option<&str>,
    ) -> Result<PrintJob, StoreError> {
        if job.bytes.is_empty() {
            return Err(DomainError::invalid("bytes", "a print job cannot be empty").into());
        }
        check_name("printer", job.printer, 300)?;
        check_name("target", job.target, 300)?;
        let id = uuid::Uuid::now_v7().to_string();
        let now = Timestamp::now().to_string();
        let tx = self.write_tx()?;
        tx.execute(
            "INSERT INTO print_jobs (id, printer, target, kind, receipt_number, bytes, status,
                                     attempts, reprint_of, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'queued', 0, ?7, ?8, ?8)",
            params![
                id,
                job.printer,
                job.target,
                job.kind,
                job.receipt_number,
                job.bytes,
                reprint_of,
                now
            ],
        )?;
        tx.commit()?;
        self.print_job(&id)
    }

    /// The job with `id`.
    pub fn print_job(&self, id: &str) -> Result<PrintJob, StoreError> {
        let row = self
            .conn
            .query_row(
                &format!("SELECT {JOB_COLUMNS} FROM print_jobs WHERE id = ?1"),
                [id],
                job_from_row,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: "print job",
                key: id.to_string(),
            })?;
        finish_job(row)
    }

    /// The latest jobs, newest first.
    pub fn print_jobs(&self, limit: usize) -> Result<Vec<PrintJob>, StoreError> {
        self.select_jobs("1 = 1", limit)
    }

    /// Failed and uncertain jobs that no later reprint has replaced: what the register shows.
    pub fn print_jobs_needing_attention(&self) -> Result<Vec<PrintJob>, StoreError> {
        self.select_jobs(
            "status IN ('failed', 'uncertain')
             AND NOT EXISTS (SELECT 1 FROM print_jobs r WHERE r.reprint_of = print_jobs.id)",
            100,
        )
    }

    fn select_jobs(&self, filter: &str, limit: usize) -> Result<Vec<PrintJob>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {JOB_COLUMNS} FROM print_jobs WHERE {filter}
             ORDER BY created_at DESC, id DESC LIMIT ?1"
        ))?;
        let rows = stmt.query_map([limit], job_from_row)?;
        rows.map(|r| finish_job(r?)).collect()
    }

    /// Marks a queued job as being sent. Refused for a job in any other state, so two senders
    /// never send the same job.
    pub fn start_print_job(&mut self, id: &str) -> Result<PrintJob, StoreError> {
        let tx = self.write_tx()?;
        let changed = tx.execute(
            "UPDATE print_jobs SET status = 'sending', attempts = attempts + 1, updated_at = ?2
             WHERE id = ?1 AND status = 'queued'",
            params![id, Timestamp::now().to_string()],
        )?;
        tx.commit()?;
        if changed == 0 {
            let job = self.print_job(id)?;
            return Err(DomainError::not_allowed(format!(
                "print job {id} is {}, not queued",
                job.status.as_str()
            ))
            .into());
        }
        self.print_job(id)
    }

    /// Records how sending a job ended.
    pub fn finish_print_job(
        &mut self,
        id: &str,
        outcome: &JobOutcome,
    ) -> Result<PrintJob, StoreError> {
        let (status, error) = match outcome {
            JobOutcome::Printed => (JobStatus::Printed, None),
            JobOutcome::Failed(e) => (JobStatus::Failed, Some(e.as_str())),
            JobOutcome::Uncertain(e) => (JobStatus::Uncertain, Some(e.as_str())),
        };
        let tx = self.write_tx()?;
        let changed = tx.execute(
            "UPDATE print_jobs SET status = ?2, last_error = ?3, updated_at = ?4
             WHERE id = ?1 AND status = 'sending'",
            params![id, status.as_str(), error, Timestamp::now().to_string()],
        )?;
        tx.commit()?;
        if changed == 0 {
            return Err(
                DomainError::not_allowed(format!("print job {id} is not being sent")).into(),
            );
        }
        match status {
            JobStatus::Printed => tracing::info!(job = %id, "print job printed"),
            _ => tracing::warn!(job = %id, status = status.as_str(), "print job not printed"),
        }
        self.print_job(id)
    }

    /// Marks jobs left `sending` by a crash as `uncertain`; returns how many. Call once when
    /// the device starts, before any job is sent.
    pub fn recover_print_jobs(&mut self) -> Result<usize, StoreError> {
        let tx = self.write_tx()?;
        let changed = tx.execute(
            "UPDATE print_jobs SET status = 'uncertain',
                 last_error = 'the device stopped while the job was being sent', updated_at = ?1
             WHERE status = 'sending'",
            [Timestamp::now().to_string()],
        )?;
        tx.commit()?;
        if changed > 0 {
            tracing::warn!(
                jobs = changed,
                "print jobs cut off by a restart are uncertain"
            );
        }
        Ok(changed)
    }

    /// Queues a copy of job `id` (any state but queued or sending) to `printer` at `target`,
    /// or to the same printer when `None`.
    pub fn reprint_job(
        &mut self,
        id: &str,
        printer: Option<(&str, &str)>,
    ) -> Result<PrintJob, StoreError> {
        let original = self.print_job(id)?;
        if matches!(original.status, JobStatus::Queued | JobStatus::Sending) {
            return Err(DomainError::not_allowed(format!(
                "print job {id} is still {}",
                original.status.as_str()
            ))
            .into());
        }
        let (name, target) = printer.unwrap_or((&original.printer, &original.target));
        let job = NewPrintJob {
            printer: name,
            target,
            kind: &original.kind,
            receipt_number: original.receipt_number.as_deref(),
            bytes: &original.bytes,
        };
        self.insert_job(&job, Some(id))
    }

    /// Records a card payment approved offline, to be forwarded when the device is online.
    pub fn record_offline_card_payment(
        &mut self,
        payment: &OfflineCardPayment,
    ) -> Result<(), StoreError> {
        if payment.last4.len() != 4 || !payment.last4.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DomainError::invalid("last4", "must be exactly four digits").into());
        }
        if payment.amount_minor <= 0 {
            return Err(DomainError::invalid("amount", "must be more than zero").into());
        }
        let tx = self.write_tx()?;
        tx.execute(
            "INSERT INTO offline_card_payments
                 (id, receipt_number, amount_minor, currency, brand, last4, taken_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                payment.id,
                payment.receipt_number,
                payment.amount_minor,
                payment.currency,
                payment.brand,
                payment.last4,
                payment.taken_at
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Offline card payments not yet forwarded, oldest first.
    pub fn waiting_offline_card_payments(&self) -> Result<Vec<OfflineCardPayment>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, receipt_number, amount_minor, currency, brand, last4, taken_at
             FROM offline_card_payments WHERE forwarded_at IS NULL ORDER BY taken_at, id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(OfflineCardPayment {
                id: r.get(0)?,
                receipt_number: r.get(1)?,
                amount_minor: r.get(2)?,
                currency: r.get(3)?,
                brand: r.get(4)?,
                last4: r.get(5)?,
                taken_at: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Marks an offline card payment as forwarded to the acquirer.
    pub fn forwarded_offline_card_payment(&mut self, id: &str) -> Result<(), StoreError> {
        let tx = self.write_tx()?;
        let changed = tx.execute(
            "UPDATE offline_card_payments SET forwarded_at = ?2
             WHERE id = ?1 AND forwarded_at IS NULL",
            params![id, Timestamp::now().to_string()],
        )?;
        tx.commit()?;
        if changed == 0 {
            return Err(StoreError::NotFound {
                what: "waiting offline card payment",
                key: id.to_string(),
            });
        }
        Ok(())
    }
}
