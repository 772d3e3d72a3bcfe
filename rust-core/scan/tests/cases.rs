//! The barcode cases B-01 to B-06 (`docs` of the project: `cases/barcodes.md`) and the scan
//! decisions of issue 6, through the public API: a read goes in, a decision comes out.
//! Expected values are worked out by hand from the GS1 rules and the cases' own numbers.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::convert::Infallible;

use jiff::civil::Date;
use kasir_domain::cart::Cart;
use kasir_domain::catalog::{Item, Unit};
use kasir_domain::gtin::Gtin;
use kasir_domain::money::Currency;
use kasir_domain::tax::TaxRules;
use kasir_scan::gs1::{ElementString, Field};
use kasir_scan::{
    AddProduct, Catalog, Read, Reason, ScaleRule, ScanResult, ScanSettings, Scanner, Symbology,
};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// A catalog in memory, keyed like the store: GTIN-14 and SKU.
#[derive(Default)]
struct Shelf {
    items: HashMap<String, Item>,
}

impl Shelf {
    fn with(mut self, gtin: &str, name: &str, price: Decimal, unit: Unit) -> Shelf {
        let gtin = Gtin::parse(gtin).unwrap();
        let item = Item {
            gtin: gtin.clone(),
            sku: Some(format!("SKU-{}", self.items.len() + 1)),
            name: name.into(),
            price,
            tax_category: "exempt".into(),
            unit,
            category: None,
            stock: Decimal::ZERO,
        };
        self.items.insert(gtin.as_str().to_string(), item);
        self
    }
}

impl Catalog for Shelf {
    type Error = Infallible;

    fn item(&self, gtin: &Gtin) -> Result<Option<Item>, Infallible> {
        Ok(self.items.get(gtin.as_str()).cloned())
    }

    fn item_by_sku(&self, code: &str) -> Result<Option<Item>, Infallible> {
        Ok(self
            .items
            .values()
            .find(|i| i.sku.as_deref() == Some(code))
            .cloned())
    }
}

fn today() -> Date {
    Date::new(2026, 12, 3).unwrap()
}

fn scanner(rules: &[(&str, u32)], currency: Currency, block_expired: bool) -> Scanner {
    let settings = ScanSettings {
        scale_rules: rules
            .iter()
            .map(|(layout, decimals)| ScaleRule::new(layout, *decimals, currency).unwrap())
            .collect(),
        block_expired,
    };
    Scanner::new(settings, currency).unwrap()
}

fn decide(scanner: &Scanner, shelf: &Shelf, read: Read) -> ScanResult {
    scanner.decide(&read, shelf, today()).unwrap()
}

fn added(result: ScanResult) -> AddProduct {
    match result {
        ScanResult::AddProduct(add) => *add,
        other => panic!("expected a product, got {other:?}"),
    }
}

/// The line's amount as the cart computes it.
fn line_amount(add: &AddProduct, currency: Currency) -> Decimal {
    let mut cart = Cart::new(currency);
    cart.add(&add.priced_item(), add.quantity).unwrap();
    cart.totals(&TaxRules::indonesia_retail()).unwrap().lines[0].gross
}

#[test]
fn b01_ean13_check_digits_from_outside_the_code() {
    let shelf = Shelf::default();
    let s = scanner(&[], Currency::IDR, false);
    for good in [
        "4006381333931",
        "1234567890128",
        "4780000000007",
        "2004770027357",
    ] {
        let result = decide(&s, &shelf, Read::new(good, Symbology::Ean13));
        assert!(
            matches!(result, ScanResult::Rejected(Reason::UnknownProduct { .. })),
            "{good}: {result:?}"
        );
    }
    for bad in ["1234567890120", "4780000000000", "2004770027358"] {
        let result = decide(&s, &shelf, Read::new(bad, Symbology::Ean13));
        assert!(
            matches!(result, ScanResult::Rejected(Reason::BadCheckDigit { .. })),
            "{bad}: {result:?}"
        );
    }
    let ScanResult::Rejected(reason) =
        decide(&s, &shelf, Read::new("1234567890120", Symbology::Ean13))
    else {
        panic!("accepted");
    };
    assert!(reason.to_string().contains("must be 8"), "{reason}");
}

#[test]
fn b02_upc_e_is_expanded_before_it_is_checked() {
    let shelf = Shelf::default()
        .with("042100005264", "Expanded 0421", dec!(5000), Unit::Each)
        .with("078000003864", "Expanded 0780", dec!(7000), Unit::Each);
    let s = scanner(&[], Currency::IDR, false);
    let add = added(decide(&s, &shelf, Read::new("04252614", Symbology::UpcE)));
    assert_eq!(add.item.gtin.as_str(), "00042100005264");
    let add = added(decide(&s, &shelf, Read::new("07838604", Symbology::UpcE)));
    assert_eq!(add.item.gtin.as_str(), "00078000003864");
    // Zero padding would have looked up 00000007838604, which is nothing.
    assert_ne!(add.item.gtin.as_str(), "00000007838604");
}

#[test]
fn b03_one_product_one_key_whatever_the_scanner_reports() {
    let shelf = Shelf::default()
        .with("00123456789012", "Twelve digits", dec!(12000), Unit::Each)
        .with("012345000065", "From UPC-E", dec!(6500), Unit::Each);
    let s = scanner(&[], Currency::IDR, false);
    for read in [
        Read::new("123456789012", Symbology::UpcA),
        Read::new("0123456789012", Symbology::Ean13),
        Read::typed("123456789012"),
        Read::typed("]E00123456789012"),
    ] {
        let add = added(decide(&s, &shelf, read.clone()));
        assert_eq!(add.item.gtin.as_str(), "00123456789012", "{read:?}");
    }
    let add = added(decide(&s, &shelf, Read::new("01234565", Symbology::UpcE)));
    assert_eq!(add.item.gtin.as_str(), "00012345000065");
    // Typed 8 digits are tried as EAN-8, then as UPC-E.
    let add = added(decide(&s, &shelf, Read::typed("01234565")));
    assert_eq!(add.item.gtin.as_str(), "00012345000065");
}

#[test]
fn b04_weight_label_finds_the_item_by_the_zeroed_code() {
    let shelf = Shelf::default().with("2100001000004", "Daging sapi", dec!(120000), Unit::Kg);
    let s = scanner(&[("21IIIIIWWWWWC", 3)], Currency::IDR, false);
    let add = added(decide(
        &s,
        &shelf,
        Read::new("2100001027506", Symbology::Ean13),
    ));
    assert_eq!(add.item.gtin.short_form(), "2100001000004");
    assert_eq!(add.quantity, dec!(2.750));
    assert_eq!(add.weight, Some(dec!(2.750)));
    assert_eq!(add.unit_price, dec!(120000));
    // 2.750 kg x Rp 120.000 = Rp 330.000.
    assert_eq!(line_amount(&add, Currency::IDR), dec!(330000));

    let bad = decide(&s, &shelf, Read::new("2100001027507", Symbology::Ean13));
    assert!(
        matches!(bad, ScanResult::Rejected(Reason::BadCheckDigit { .. })),
        "{bad:?}"
    );
}

#[test]
fn b04_a_21_code_without_a_rule_is_looked_up_normally() {
    let shelf = Shelf::default().with("2112345678900", "Kartu perdana", dec!(15000), Unit::Each);
    let s = scanner(&[("20IIIIFPPPPPC", 0)], Currency::IDR, false);
    let add = added(decide(
        &s,
        &shelf,
        Read::new("2112345678900", Symbology::Ean13),
    ));
    assert_eq!(add.item.name, "Kartu perdana");
    assert_eq!(add.quantity, Decimal::ONE);
}

#[test]
fn b05_the_price_decimals_belong_to_the_rule() {
    // Item 0002 is stored under its label with the price zeroed: 200002100000 + check 1.
    let eur_shelf = Shelf::default().with("2000021000001", "Käse", dec!(12.90), Unit::Each);
    let eur = scanner(&[("20IIIIFPPPPPC", 2)], Currency::EUR, false);
    let add = added(decide(
        &eur,
        &eur_shelf,
        Read::new("2000021019409", Symbology::Ean13),
    ));
    assert_eq!(add.label_price, Some(dec!(19.40)));
    assert_eq!((add.quantity, add.unit_price), (Decimal::ONE, dec!(19.40)));
    assert_eq!(line_amount(&add, Currency::EUR), dec!(19.40));

    let idr_shelf = Shelf::default().with("2000021000001", "Keju", dec!(12900), Unit::Each);
    let idr = scanner(&[("20IIIIFPPPPPC", 0)], Currency::IDR, false);
    let add = added(decide(
        &idr,
        &idr_shelf,
        Read::new("2000021019409", Symbology::Ean13),
    ));
    assert_eq!(add.label_price, Some(dec!(1940)));
    assert_eq!(line_amount(&add, Currency::IDR), dec!(1940));
}

#[test]
fn b05_rupiah_labels_use_six_price_digits() {
    // 20 0007 125500 + check digit 0: Rp 125.500 for item 0007.
    let shelf = Shelf::default().with("2000070000007", "Ikan kakap", dec!(95000), Unit::Each);
    let s = scanner(&[("20IIIIPPPPPPC", 0)], Currency::IDR, false);
    let add = added(decide(
        &s,
        &shelf,
        Read::new("2000071255000", Symbology::Ean13),
    ));
    assert_eq!(add.label_price, Some(dec!(125500)));
    assert_eq!(line_amount(&add, Currency::IDR), dec!(125500));
}

#[test]
fn b05_a_label_price_on_a_weighed_item_gives_its_weight() {
    // 2.65 for an item at 1.50/kg is 1.767 kg, and the line still costs exactly 2.65.
    let shelf = Shelf::default().with("2000021000001", "Tomaten", dec!(1.50), Unit::Kg);
    let s = scanner(&[("20IIIIFPPPPPC", 2)], Currency::EUR, false);
    // 200002100265 + check digit 4.
    let add = added(decide(
        &s,
        &shelf,
        Read::new("2000021002654", Symbology::Ean13),
    ));
    assert_eq!(add.weight, Some(dec!(1.767)));
    assert_eq!(add.quantity, dec!(1.767));
    assert_eq!(add.unit_price, dec!(1.50));
    assert_eq!(line_amount(&add, Currency::EUR), dec!(2.65));
}

#[test]
fn b06_gs1_ais_are_two_to_four_digits() {
    let parsed = ElementString::parse("241ABC1234\u{1d}100815").unwrap();
    assert_eq!(
        parsed.fields,
        vec![Field::new("241", "ABC1234"), Field::new("10", "0815")]
    );
    // The same through a scan, with the GTIN that (241) and (10) require.
    let shelf = Shelf::default().with("09520123456788", "Suku cadang", dec!(45000), Unit::Each);
    let s = scanner(&[], Currency::IDR, false);
    let add = added(decide(
        &s,
        &shelf,
        Read::typed("]C10109520123456788241ABC1234\u{1d}100815"),
    ));
    assert_eq!(add.batch.as_deref(), Some("0815"));
    // Without the separator the part number swallows the batch; nothing is guessed apart.
    let parsed = ElementString::parse("241ABC1234100815").unwrap();
    assert_eq!(parsed.fields, vec![Field::new("241", "ABC1234100815")]);
}

#[test]
fn gs1_errors_name_the_ai_and_the_reason() {
    let shelf = Shelf::default();
    let s = scanner(&[], Currency::IDR, false);
    let ScanResult::Rejected(Reason::Malformed { detail, .. }) =
        decide(&s, &shelf, Read::typed("]C10109520123456788891234"))
    else {
        panic!("accepted an unknown AI");
    };
    assert!(
        detail.contains("8912") && detail.contains("Application Identifier"),
        "{detail}"
    );
    let ScanResult::Rejected(Reason::Malformed { detail, .. }) = decide(
        &s,
        &shelf,
        Read::typed("]C1010952012345678810ABCDEFGHIJKLMNOPQRS21XYZ"),
    ) else {
        panic!("accepted a swallowed field");
    };
    assert!(
        detail.contains("(10)") && detail.contains("separator"),
        "{detail}"
    );
}

#[test]
fn gs1_net_weight_and_price_fill_the_line() {
    let shelf = Shelf::default()
        .with("09520123456788", "Salmon fillet", dec!(189000), Unit::Kg)
        .with("09521234543213", "Keju potong", dec!(25000), Unit::Each);
    let s = scanner(&[], Currency::IDR, false);
    // DataBar Expanded: GTIN, net weight 0.195 kg (3103), expiry.
    let add = added(decide(
        &s,
        &shelf,
        Read::typed("]e00109520123456788310300019517261231"),
    ));
    assert_eq!(add.quantity, dec!(0.195));
    assert_eq!(add.expiry, Some(Date::new(2026, 12, 31).unwrap()));
    // 0.195 kg x Rp 189.000 = Rp 36.855.
    assert_eq!(line_amount(&add, Currency::IDR), dec!(36855));

    // Weight and a rupiah price with its ISO number (3930, 360 = IDR): the price is the line.
    let add = added(decide(
        &s,
        &shelf,
        Read::typed("]e0010952012345678831030001953930360036855"),
    ));
    assert_eq!(add.label_price, Some(dec!(36855)));
    assert_eq!(line_amount(&add, Currency::IDR), dec!(36855));

    // A euro price on a rupiah till does not fit.
    let result = decide(
        &s,
        &shelf,
        Read::typed("]e001095201234567883103000195393297812345"),
    );
    assert!(
        matches!(result, ScanResult::Rejected(Reason::DoesNotFit { .. })),
        "{result:?}"
    );
}

#[test]
fn expired_lots_are_refused_only_where_the_store_blocks_them() {
    let shelf = Shelf::default().with("09520123456788", "Yoghurt", dec!(9500), Unit::Each);
    // Expiry (17) 261100: day 00 is the last day of November 2026, before 3 December.
    let read = Read::new("0109520123456788172611001012", Symbology::Gs1DataMatrix);
    let blocking = scanner(&[], Currency::IDR, true);
    let ScanResult::Rejected(Reason::Expired { expiry, .. }) =
        decide(&blocking, &shelf, read.clone())
    else {
        panic!("sold an expired lot");
    };
    assert_eq!(expiry, Date::new(2026, 11, 30).unwrap());
    let lenient = scanner(&[], Currency::IDR, false);
    let add = added(decide(&lenient, &shelf, read));
    assert_eq!(add.batch.as_deref(), Some("12"));
    // Expiring today is still sellable.
    let today = Read::new("0109520123456788172612031012", Symbology::Gs1DataMatrix);
    assert!(matches!(
        decide(&blocking, &shelf, today),
        ScanResult::AddProduct(_)
    ));
}

#[test]
fn a_digital_link_resolves_to_its_product() {
    let shelf = Shelf::default().with("09520123456788", "Teh botol", dec!(5500), Unit::Each);
    let s = scanner(&[], Currency::IDR, false);
    let add = added(decide(
        &s,
        &shelf,
        Read::new(
            "https://id.gs1.org/01/09520123456788/10/ABC1?17=271231",
            Symbology::QrCode,
        ),
    ));
    assert_eq!(add.item.name, "Teh botol");
    assert_eq!(add.batch.as_deref(), Some("ABC1"));
    let web = decide(
        &s,
        &shelf,
        Read::new("https://example.com/menu", Symbology::QrCode),
    );
    assert!(
        matches!(web, ScanResult::Rejected(Reason::NotAProductCode { .. })),
        "{web:?}"
    );
}

#[test]
fn kasir_codes_go_to_their_feature_not_the_catalog() {
    let shelf = Shelf::default();
    let s = scanner(&[], Currency::IDR, false);
    assert_eq!(
        decide(
            &s,
            &shelf,
            Read::new("KASIR:GIFT:GC-7F3K-92QD", Symbology::QrCode)
        ),
        ScanResult::OpenGiftCard {
            number: "GC-7F3K-92QD".into()
        }
    );
    assert_eq!(
        decide(
            &s,
            &shelf,
            Read::new("KASIR:M:M-000381", Symbology::Code128)
        ),
        ScanResult::LookUpCustomer {
            member: "M-000381".into()
        }
    );
    assert_eq!(
        decide(&s, &shelf, Read::typed("kasir:receipt:d01-000042")),
        ScanResult::ShowReceipt {
            number: "D01-000042".into()
        }
    );
    let bad = decide(&s, &shelf, Read::typed("KASIR:COUPON:1"));
    assert!(
        matches!(bad, ScanResult::Rejected(Reason::Malformed { .. })),
        "{bad:?}"
    );
}

#[test]
fn other_reasons_are_specific() {
    let shelf = Shelf::default().with("4006381333931", "Pensil", dec!(3000), Unit::Each);
    let s = scanner(&[], Currency::IDR, false);
    let unsupported = decide(&s, &shelf, Read::typed("]A0ABC123"));
    assert!(
        matches!(
            unsupported,
            ScanResult::Rejected(Reason::UnsupportedSymbology { .. })
        ),
        "{unsupported:?}"
    );
    let unknown = decide(&s, &shelf, Read::new("9780306406157", Symbology::Ean13));
    assert_eq!(
        unknown,
        ScanResult::Rejected(Reason::UnknownProduct {
            code: "9780306406157".into()
        })
    );
    // A SKU typed at the register finds the product.
    let add = added(decide(&s, &shelf, Read::typed("SKU-1")));
    assert_eq!(add.item.name, "Pensil");
    // A weight label on an item sold each is refused rather than guessed.
    let each = Shelf::default().with("2100001000004", "Roti", dec!(10000), Unit::Each);
    let weighed = scanner(&[("21IIIIIWWWWWC", 3)], Currency::IDR, false);
    let result = decide(
        &weighed,
        &each,
        Read::new("2100001027506", Symbology::Ean13),
    );
    assert!(
        matches!(result, ScanResult::Rejected(Reason::DoesNotFit { .. })),
        "{result:?}"
    );
}

#[test]
fn decisions_serialise_for_the_apps() {
    let shelf = Shelf::default();
    let s = scanner(&[], Currency::IDR, false);
    let json = serde_json::to_value(decide(&s, &shelf, Read::typed("KASIR:GIFT:G1"))).unwrap();
    assert_eq!(json["action"], "open-gift-card");
    assert_eq!(json["number"], "G1");
    let json = serde_json::to_value(decide(&s, &shelf, Read::typed("1234567890120"))).unwrap();
    assert_eq!(json["action"], "rejected");
    assert_eq!(json["reason"], "bad-check-digit");
}
