//! Printer profiles as data: how wide a printer's line is, which code pages it carries under
//! which `ESC t` numbers, and which commands it understands. The built-in profiles are JSON
//! files in the crate's `profiles/` folder.

use serde::{Deserialize, Serialize};

use crate::codepage::CodePage;
use crate::error::EscposError;

/// One code page a printer carries, and the `ESC t` number that selects it on that model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodePageSlot {
    /// The code page.
    pub page: CodePage,
    /// Its table number on this printer (`ESC t n`).
    pub table: u8,
}

/// What a printer model can do, as far as a receipt needs to know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrinterProfile {
    /// The profile's name, for example `generic-58`.
    pub name: String,
    /// What printers it fits.
    #[serde(default)]
    pub description: String,
    /// Characters per line in Font A (12 x 24 dots on most printers).
    pub columns_font_a: u16,
    /// Characters per line in Font B (the smaller font).
    pub columns_font_b: u16,
    /// Printable dots per line: 384 on 58 mm paper, 576 on 80 mm.
    pub dots_per_line: u16,
    /// The code pages it carries, in order of preference; the first is selected at start.
    pub code_pages: Vec<CodePageSlot>,
    /// Whether it prints QR codes itself (`GS ( k`); if not, they are sent as images.
    pub supports_qr: bool,
    /// The longest QR data it accepts natively, in bytes; longer data goes as an image.
    #[serde(default)]
    pub max_qr_bytes: usize,
    /// Whether it prints raster images (`GS v 0`).
    pub supports_raster: bool,
    /// Whether it has a Chinese font for GB18030 double-byte text (`FS &`).
    pub supports_gb18030: bool,
    /// Whether it has a paper cutter (`GS V`).
    #[serde(default)]
    pub supports_cut: bool,
}

const BUILT_IN: [&str; 4] = [
    include_str!("../profiles/generic-58.json"),
    include_str!("../profiles/generic-80.json"),
    include_str!("../profiles/epson-tm-t88.json"),
    include_str!("../profiles/xprinter-58-cn.json"),
];

impl PrinterProfile {
    /// The built-in profiles, in a stable order.
    pub fn built_in() -> Vec<PrinterProfile> {
        BUILT_IN
            .iter()
            .filter_map(|json| PrinterProfile::from_json(json).ok())
            .collect()
    }

    /// The built-in profile called `name` (`generic-58`, `generic-80`, `epson-tm-t88`,
    /// `xprinter-58-cn`).
    pub fn by_name(name: &str) -> Result<PrinterProfile, EscposError> {
        PrinterProfile::built_in()
            .into_iter()
            .find(|p| p.name == name)
            .ok_or_else(|| EscposError::UnknownProfile(name.to_string()))
    }

    /// The profile that works on most cheap printers: 58 mm, CP437 first, QR codes and logos
    /// as raster images.
    pub fn generic() -> PrinterProfile {
        PrinterProfile::by_name("generic-58").unwrap_or_else(|_| PrinterProfile::fallback())
    }

    /// Reads a profile from JSON (the format of the built-in files) and checks it.
    pub fn from_json(json: &str) -> Result<PrinterProfile, EscposError> {
        let profile: PrinterProfile =
            serde_json::from_str(json).map_err(|e| EscposError::BadProfile {
                name: "(json)".into(),
                reason: e.to_string(),
            })?;
        profile.validate()?;
        Ok(profile)
    }

    /// Checks that the numbers make sense; the error names the field.
    pub fn validate(&self) -> Result<(), EscposError> {
        let bad = |reason: &str| {
            Err(EscposError::BadProfile {
                name: self.name.clone(),
                reason: reason.to_string(),
            })
        };
        if self.name.trim().is_empty() {
            return bad("name is empty");
        }
        if !(16..=128).contains(&self.columns_font_a) {
            return bad("columns_font_a must be 16 to 128");
        }
        if self.columns_font_b < self.columns_font_a {
            return bad("columns_font_b must be at least columns_font_a");
        }
        if self.dots_per_line < 8 * self.columns_font_a {
            return bad("dots_per_line must give at least 8 dots a column");
        }
        if self.code_pages.is_empty() {
            return bad("code_pages is empty");
        }
        if self.supports_qr && self.max_qr_bytes == 0 {
            return bad("max_qr_bytes must be set when supports_qr is true");
        }
        Ok(())
    }

    /// Characters per line in `font`.
    pub fn columns(&self, font: Font) -> u16 {
        match font {
            Font::A => self.columns_font_a,
            Font::B => self.columns_font_b,
        }
    }

    /// The `ESC t` number of `page` on this printer, if it carries it.
    pub fn table_of(&self, page: CodePage) -> Option<u8> {
        self.code_pages
            .iter()
            .find(|s| s.page == page)
            .map(|s| s.table)
    }

    fn fallback() -> PrinterProfile {
        PrinterProfile {
            name: "generic-58".into(),
            description: String::new(),
            columns_font_a: 32,
            columns_font_b: 42,
            dots_per_line: 384,
            code_pages: vec![CodePageSlot {
                page: CodePage::Cp437,
                table: 0,
            }],
            supports_qr: false,
            max_qr_bytes: 0,
            supports_raster: true,
            supports_gb18030: false,
            supports_cut: true,
        }
    }
}

/// The printer's two built-in fonts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Font {
    /// The normal font (12 x 24 dots on most printers).
    #[default]
    A,
    /// The small font, with more columns.
    B,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_profile_loads_and_validates() {
        let names: Vec<String> = PrinterProfile::built_in()
            .into_iter()
            .map(|p| p.name)
            .collect();
        assert_eq!(
            names,
            ["generic-58", "generic-80", "epson-tm-t88", "xprinter-58-cn"]
        );
    }

    #[test]
    fn paper_widths_give_32_and_48_columns_in_font_a() {
        assert_eq!(PrinterProfile::generic().columns(Font::A), 32);
        let p80 = PrinterProfile::by_name("generic-80").expect("built in");
        assert_eq!(p80.columns(Font::A), 48);
        assert_eq!(p80.dots_per_line, 576);
        assert!(p80.columns(Font::B) > 48);
    }

    #[test]
    fn an_unknown_profile_is_named_in_the_error() {
        let err = PrinterProfile::by_name("tm-x").expect_err("unknown");
        assert_eq!(err.to_string(), "no printer profile called `tm-x`");
    }

    #[test]
    fn a_profile_without_code_pages_is_refused() {
        let mut p = PrinterProfile::generic();
        p.code_pages.clear();
        let err = p.validate().expect_err("no tables");
        assert_eq!(
            err.to_string(),
            "printer profile `generic-58`: code_pages is empty"
        );
    }
}
