//! The print queue: every job is stored before it is sent and its outcome after, so a failed
//! or uncertain receipt is never lost from sight and can be reprinted byte for byte.

use kasir_store::Store;
use kasir_store::devices::{JobOutcome, NewPrintJob, PrintJob};

use crate::DeviceError;
use crate::transport::Transport;

/// How printing one job ended.
#[derive(Debug)]
pub struct Printed {
    /// The job as stored now (`printed`, `failed` or `uncertain`).
    pub job: PrintJob,
    /// Why it did not print, when it did not.
    pub error: Option<DeviceError>,
}

/// The print queue over the device store.
pub struct PrintQueue<'a> {
    store: &'a mut Store,
}

impl<'a> PrintQueue<'a> {
    /// Opens the queue; jobs a crash left `sending` become `uncertain`. Returns the queue and
    /// how many jobs were recovered so.
    pub fn open(store: &'a mut Store) -> Result<(PrintQueue<'a>, usize), DeviceError> {
        let recovered = store.recover_print_jobs()?;
        Ok((PrintQueue { store }, recovered))
    }

    /// Stores a job and sends it at once.
    pub async fn print(
        &mut self,
        job: &NewPrintJob<'_>,
        transport: &mut dyn Transport,
    ) -> Result<Printed, DeviceError> {
        let job = self.store.queue_print_job(job)?;
        self.send(&job.id, transport).await
    }

    /// Queues a copy of job `id` and sends it through `transport`.
    pub async fn reprint(
        &mut self,
        id: &str,
        printer: Option<(&str, &str)>,
        transport: &mut dyn Transport,
    ) -> Result<Printed, DeviceError> {
        let job = self.store.reprint_job(id, printer)?;
        self.send(&job.id, transport).await
    }

    /// Sends queued job `id`. Where the printer answers status requests, the transport finds
    /// paper out and an open cover before the job is sent, and the job fails with that reason.
    pub async fn send(
        &mut self,
        id: &str,
        transport: &mut dyn Transport,
    ) -> Result<Printed, DeviceError> {
        let job = self.store.start_print_job(id)?;
        let result = transport.send(&job.bytes).await;
        let (outcome, error) = match result {
            Ok(()) => (JobOutcome::Printed, None),
            Err(e) if e.is_uncertain() => (JobOutcome::Uncertain(e.to_string()), Some(e)),
            Err(e) => (JobOutcome::Failed(e.to_string()), Some(e)),
        };
        let job = self.store.finish_print_job(&job.id, &outcome)?;
        Ok(Printed { job, error })
    }
}
