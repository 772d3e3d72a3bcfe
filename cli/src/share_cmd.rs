//! `kasir receipt N --png FILE` / `--pdf FILE`: the receipt of a stored sale written as a picture
//! or a PDF to share, in the layout the printer prints (`kasir-render`).

use std::path::Path;
use std::process::ExitCode;

use kasir_escpos::ReceiptOptions;
use kasir_store::Store;

use crate::app::CliError;

/// Writes the receipt of sale `number` `width` columns wide to `png` and/or `pdf`. Both files
/// are drawn before either is written, and each is written under a temporary name and then
/// renamed, so a bad sale number or a failure leaves no file (and no half a file) behind.
pub fn write(
    store: &Store,
    number: &str,
    width: usize,
    png: Option<&Path>,
    pdf: Option<&Path>,
    json: bool,
) -> Result<ExitCode, CliError> {
    let sale = store.sale_by_receipt(number)?;
    let settings = store.settings()?;
    let options = crate::receipt::options_for(
        store,
        &sale,
        ReceiptOptions {
            columns: Some(u16::try_from(width).unwrap_or(u16::MAX)),
            ..ReceiptOptions::default()
        },
    )?;
    let render = |e: kasir_render::RenderError| CliError::Usage(e.to_string());
    let mut files = Vec::new();
    if let Some(path) = png {
        let bytes = kasir_render::receipt_png(&sale, settings, &options).map_err(render)?;
        files.push(("png", path, bytes));
    }
    if let Some(path) = pdf {
        let bytes = kasir_render::receipt_pdf(&sale, settings, &options).map_err(render)?;
        files.push(("pdf", path, bytes));
    }
    for (_, path, bytes) in &files {
        write_whole(path, bytes)?;
    }
    if json {
        let written: serde_json::Map<String, serde_json::Value> = files
            .iter()
            .map(|(kind, path, bytes)| {
                (
                    kind.to_string(),
                    serde_json::json!({ "path": path.display().to_string(), "bytes": bytes.len() }),
                )
            })
            .collect();
        println!(
            "{}",
            serde_json::json!({ "receipt_number": sale.receipt_number, "files": written })
        );
    } else {
        for (kind, path, bytes) in &files {
            println!(
                "{} {kind}: {} ({} bytes)",
                sale.receipt_number,
                path.display(),
                bytes.len()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes `bytes` to `path` whole: into `PATH.part` beside it, then renamed over it.
fn write_whole(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let mut part = path.as_os_str().to_owned();
    part.push(".part");
    let part = std::path::PathBuf::from(part);
    let written = std::fs::write(&part, bytes).and_then(|()| std::fs::rename(&part, path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&part);
        return Err(CliError::Io(std::io::Error::new(
            e.kind(),
            format!("{}: {e}", path.display()),
        )));
    }
    Ok(())
}
