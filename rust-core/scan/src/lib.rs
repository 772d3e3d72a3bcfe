//! Kasir's scanning: from a barcode read to what the register should do.
//!
//! Reads come from a platform scanner, a keyboard-wedge scanner, typed text or a camera frame
//! decoded here with `rxing` ([`frame`]). Each read is classified without I/O ([`code`]):
//! EAN/UPC/ITF product keys normalised to GTIN-14 with their check digits verified (UPC-E
//! expanded, never padded), store scale labels ([`scale`]), GS1 element strings validated
//! against GS1's own syntax dictionary ([`gs1`]), GS1 Digital Link URIs ([`digital_link`]) and
//! Kasir's own `KASIR:` codes ([`kasir_code`]). [`decision::Scanner`] then looks the product up
//! through a [`decision::Catalog`] and returns a [`decision::ScanResult`]. A camera's repeated
//! reads of one code count once through the [`debounce::Debouncer`].
//!
//! GTIN check digits and UPC-E expansion live in `kasir_domain::gtin`, the catalog's key; this
//! crate reuses them.

pub mod code;
pub mod debounce;
pub mod decision;
pub mod digital_link;
pub mod error;
pub mod frame;
pub mod gs1;
#[cfg(feature = "image")]
pub mod image_file;
pub mod kasir_code;
pub mod scale;
pub mod symbology;

pub use code::{Code, classify};
pub use debounce::Debouncer;
pub use decision::{AddProduct, Catalog, Reason, ScanResult, ScanSettings, Scanner};
pub use error::ScanError;
pub use frame::{DecodeOptions, Format, Frame, FrameDecoder, Region};
pub use gs1::ElementString;
pub use kasir_code::{KasirCode, KasirKind};
pub use scale::{ScaleLabel, ScaleRule, ValueKind};
pub use symbology::{GS, Read, Symbology};
