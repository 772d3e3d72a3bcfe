//! Printer status over `DLE EOT n` (real-time status transmission).
//!
//! `10 04 02` asks for the offline cause and `10 04 04` for the roll-paper sensor. Each answer
//! is one byte whose bits 1 and 4 are always set and bits 0 and 7 always clear (Epson's
//! ESC/POS reference), which is how an answer is told from stray bytes. Many cheap printers do
//! not answer at all; a missing answer is "unknown", never "fine".

use crate::DeviceError;

/// `DLE EOT 2`: why the printer is offline (cover, paper end, error).
pub const REQUEST_OFFLINE: [u8; 3] = [0x10, 0x04, 0x02];
/// `DLE EOT 4`: the roll-paper sensor.
pub const REQUEST_PAPER: [u8; 3] = [0x10, 0x04, 0x04];

/// What the printer said about itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PrinterStatus {
    /// The cover is open.
    pub cover_open: bool,
    /// Printing stopped because the paper ran out.
    pub paper_out: bool,
    /// The roll is nearly finished (printing still works).
    pub paper_near_end: bool,
    /// An error occurred (cutter, head temperature...).
    pub error: bool,
}

impl PrinterStatus {
    /// Reads the answers to [`REQUEST_OFFLINE`] and [`REQUEST_PAPER`].
    pub fn from_answers(offline: u8, paper: u8) -> Result<PrinterStatus, DeviceError> {
        for (name, byte) in [("offline status", offline), ("paper status", paper)] {
            if byte & 0x93 != 0x12 {
                return Err(DeviceError::Reader(format!(
                    "the printer's {name} byte {byte:#04x} is not a DLE EOT answer"
                )));
            }
        }
        Ok(PrinterStatus {
            cover_open: offline & 0x04 != 0,
            paper_out: offline & 0x20 != 0 || paper & 0x60 != 0,
            paper_near_end: paper & 0x0C != 0,
            error: offline & 0x40 != 0,
        })
    }

    /// The answer bytes a printer in this state sends (for the simulated printer).
    pub fn answers(&self) -> (u8, u8) {
        let mut offline = 0x12;
        if self.cover_open {
            offline |= 0x04;
        }
        if self.paper_out {
            offline |= 0x20;
        }
        if self.error {
            offline |= 0x40;
        }
        let mut paper = 0x12;
        if self.paper_near_end {
            paper |= 0x0C;
        }
        if self.paper_out {
            paper |= 0x60;
        }
        (offline, paper)
    }

    /// Refuses to print when the printer cannot: paper out first (the most common), then the
    /// cover, then any other error.
    pub fn ready(&self) -> Result<(), DeviceError> {
        if self.paper_out {
            return Err(DeviceError::PaperOut);
        }
        if self.cover_open {
            return Err(DeviceError::CoverOpen);
        }
        if self.error {
            return Err(DeviceError::PrinterFault("offline with an error".into()));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_printer_answers_0x12_and_is_ready() {
        let status = PrinterStatus::from_answers(0x12, 0x12).expect("valid answers");
        assert_eq!(status, PrinterStatus::default());
        assert!(status.ready().is_ok());
    }

    #[test]
    fn paper_end_bits_5_and_6_report_paper_out() {
        // 0x12 | 0x60 = 0x72: the roll-paper sensor says "paper end".
        let status = PrinterStatus::from_answers(0x12, 0x72).expect("valid answers");
        assert!(status.paper_out);
        assert!(matches!(status.ready(), Err(DeviceError::PaperOut)));
    }

    #[test]
    fn offline_bit_2_reports_cover_open() {
        // 0x12 | 0x04 = 0x16.
        let status = PrinterStatus::from_answers(0x16, 0x12).expect("valid answers");
        assert!(status.cover_open);
        assert!(matches!(status.ready(), Err(DeviceError::CoverOpen)));
    }

    #[test]
    fn near_end_alone_still_prints() {
        let status = PrinterStatus::from_answers(0x12, 0x1E).expect("valid answers");
        assert!(status.paper_near_end);
        assert!(status.ready().is_ok());
    }

    #[test]
    fn byte_without_the_fixed_bits_is_not_a_status() {
        assert!(PrinterStatus::from_answers(0x00, 0x12).is_err());
        assert!(PrinterStatus::from_answers(0x12, 0x92).is_err());
    }

    #[test]
    fn answers_round_trip_through_the_fixed_bit_pattern() {
        let status = PrinterStatus {
            cover_open: true,
            paper_out: true,
            paper_near_end: true,
            error: false,
        };
        assert_eq!(status.answers(), (0x36, 0x7E));
    }
}
