//! A completed sale's receipt as a file to share: the PNG picture or the PDF that
//! `kasir-render` draws from the printed layout, with the name and type the share sheet needs.

use kasir_escpos::ReceiptOptions;

use crate::error::KasirError;
use crate::kasir::Kasir;

/// A receipt as a file for the platform's share sheet.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ReceiptFile {
    /// The name it goes by, in the store's language: `struk-D01-000042.png`.
    pub file_name: String,
    /// `image/png` or `application/pdf`.
    pub mime_type: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// Which file to draw.
#[derive(Clone, Copy)]
enum Kind {
    Png,
    Pdf,
}

#[uniffi::export]
impl Kasir {
    /// The receipt of a completed sale as a PNG picture 640 pixels (80 mm) wide, `columns`
    /// characters a line (48, as on an 80 mm printer, without one; 24 to 64). An unknown
    /// receipt number is `NotFound`; columns outside 24 to 64 are `InvalidInput` naming
    /// `columns`.
    pub fn receipt_png(
        &self,
        receipt_number: String,
        columns: Option<u16>,
    ) -> Result<ReceiptFile, KasirError> {
        self.receipt_file(&receipt_number, columns, Kind::Png)
    }

    /// The receipt of a completed sale as a one-page PDF 80 mm wide whose text is real text
    /// (selectable and searchable), `columns` characters a line as for [`Kasir::receipt_png`].
    pub fn receipt_pdf(
        &self,
        receipt_number: String,
        columns: Option<u16>,
    ) -> Result<ReceiptFile, KasirError> {
        self.receipt_file(&receipt_number, columns, Kind::Pdf)
    }
}

impl Kasir {
    fn receipt_file(
        &self,
        receipt_number: &str,
        columns: Option<u16>,
        kind: Kind,
    ) -> Result<ReceiptFile, KasirError> {
        let store = self.shared.store()?;
        let sale = store.sale_by_receipt(receipt_number)?;
        let settings = store.settings()?;
        let options = crate::kasir::receipt_options(
            &store,
            &sale,
            ReceiptOptions {
                columns,
                ..ReceiptOptions::default()
            },
        )?;
        let (bytes, extension, mime_type) = match kind {
            Kind::Png => (
                kasir_render::receipt_png(&sale, settings, &options)?,
                "png",
                "image/png",
            ),
            Kind::Pdf => (
                kasir_render::receipt_pdf(&sale, settings, &options)?,
                "pdf",
                "application/pdf",
            ),
        };
        Ok(ReceiptFile {
            file_name: kasir_render::file_name(&sale, settings.locale, extension),
            mime_type: mime_type.into(),
            bytes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kasir::NewStore;

    fn kasir_with_a_sale(dir: &tempfile::TempDir) -> (std::sync::Arc<Kasir>, String) {
        let new = NewStore {
            name: "Toko Uji".into(),
            device_code: "D01".into(),
            sample_catalog: true,
        };
        let path = dir.path().join("store.db").display().to_string();
        let kasir = Kasir::open(path, Some(new), None).expect("store opens");
        let register = kasir.new_sale().expect("register");
        register.scan("8990121011028".into()).expect("scan");
        register.pay_cash(None).expect("cash");
        let sale = register.complete().expect("completes");
        (kasir, sale.receipt_number)
    }

    #[test]
    fn a_sale_comes_as_a_png_and_a_pdf_named_in_the_store_language() {
        let dir = tempfile::tempdir().expect("dir");
        let (kasir, number) = kasir_with_a_sale(&dir);

        let png = kasir.receipt_png(number.clone(), Some(32)).expect("png");
        let pdf = kasir.receipt_pdf(number.clone(), None).expect("pdf");

        assert_eq!(png.file_name, format!("struk-{number}.png"));
        assert_eq!(png.mime_type, "image/png");
        assert!(png.bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert_eq!(pdf.file_name, format!("struk-{number}.pdf"));
        assert_eq!(pdf.mime_type, "application/pdf");
        assert!(pdf.bytes.starts_with(b"%PDF-"));
    }

    #[test]
    fn an_unknown_receipt_number_is_not_found_and_bad_columns_are_named() {
        let dir = tempfile::tempdir().expect("dir");
        let (kasir, number) = kasir_with_a_sale(&dir);

        let missing = kasir
            .receipt_pdf("D01-000404".into(), None)
            .expect_err("no such sale");
        let narrow = kasir.receipt_png(number, Some(16)).expect_err("16 columns");

        assert!(
            matches!(missing, KasirError::NotFound { .. }),
            "{missing:?}"
        );
        assert!(
            matches!(&narrow, KasirError::InvalidInput { field, .. } if field == "columns"),
            "{narrow:?}"
        );
    }
}
