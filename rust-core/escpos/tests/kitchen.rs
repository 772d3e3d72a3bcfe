//! Kitchen tickets and their routing by category.

mod common;

use std::collections::BTreeMap;

use kasir_escpos::PrinterProfile;
use kasir_escpos::kitchen::{KitchenOrder, KitchenPrinter, RoutingRules, route};

fn printer(name: &str, categories: &[&str]) -> KitchenPrinter {
    KitchenPrinter {
        name: name.into(),
        profile: PrinterProfile::generic(),
        categories: categories.iter().map(|c| c.to_string()).collect(),
    }
}

fn order() -> KitchenOrder {
    KitchenOrder {
        table: Some("7".into()),
        modifiers: BTreeMap::from([(
            2,
            vec!["tidak pedas".into(), "telur setengah matang".into()],
        )]),
        note: Some("alergi kacang".into()),
    }
}

#[test]
fn each_category_goes_to_its_printer_and_a_printer_with_nothing_gets_no_ticket() {
    let rules = RoutingRules {
        printers: vec![
            printer("dapur", &["makanan"]),
            printer("bar", &["Minuman"]),
            printer("kue", &["Roti"]),
        ],
        fallback: None,
        skip: Vec::new(),
    };
    let tickets = route(&common::cafe_sale(), &common::store(), &order(), &rules).expect("route");
    let names: Vec<&str> = tickets.iter().map(|t| t.printer.as_str()).collect();
    assert_eq!(names, ["dapur", "bar"]);
    assert!(tickets[0].text.contains("1 x Nasi Goreng Spesial"));
    assert!(tickets[0].text.contains("3 x Kerupuk"));
    assert!(!tickets[0].text.contains("Kopi"));
    assert!(tickets[1].text.contains("2 x Es Kopi Susu Gula Aren"));
}

#[test]
fn a_category_routed_to_two_printers_prints_on_both() {
    let rules = RoutingRules {
        printers: vec![
            printer("dapur", &["Makanan"]),
            printer("pass", &["Makanan", "Minuman"]),
        ],
        fallback: None,
        skip: Vec::new(),
    };
    let tickets = route(&common::cafe_sale(), &common::store(), &order(), &rules).expect("route");
    assert_eq!(tickets.len(), 2);
    assert!(tickets[0].text.contains("Kerupuk"));
    assert!(tickets[1].text.contains("Kerupuk") && tickets[1].text.contains("Kopi"));
}

#[test]
fn a_line_no_printer_takes_is_an_error_naming_it_unless_skipped_or_a_fallback_is_set() {
    let mut rules = RoutingRules {
        printers: vec![printer("dapur", &["Makanan"])],
        fallback: None,
        skip: Vec::new(),
    };
    let err = route(&common::cafe_sale(), &common::store(), &order(), &rules).expect_err("bar");
    assert_eq!(
        err.to_string(),
        "receipt option `routing`: line 1 (Es Kopi Susu Gula Aren, category `Minuman`) goes to \
         no kitchen printer"
    );

    rules.skip = vec!["minuman".into()];
    let tickets = route(&common::cafe_sale(), &common::store(), &order(), &rules).expect("skip");
    assert!(!tickets[0].text.contains("Kopi"));

    rules.skip.clear();
    rules.fallback = Some("dapur".into());
    let tickets = route(&common::cafe_sale(), &common::store(), &order(), &rules).expect("fb");
    assert!(tickets[0].text.contains("Kopi"));

    rules.fallback = Some("oven".into());
    let err = route(&common::cafe_sale(), &common::store(), &order(), &rules).expect_err("oven");
    assert_eq!(
        err.to_string(),
        "receipt option `fallback`: no kitchen printer is called `oven`"
    );
}

#[test]
fn the_ticket_shows_station_table_time_items_modifiers_and_note_in_large_type() {
    let rules = RoutingRules {
        printers: vec![printer("dapur", &["Makanan"])],
        fallback: None,
        skip: vec!["Minuman".into()],
    };
    let tickets = route(&common::cafe_sale(), &common::store(), &order(), &rules).expect("route");
    let expected = "          DAPUR DAPUR
             Meja 7
D01-000043                 10:15
--------------------------------
1 x Nasi Goreng Spesial
   - tidak pedas
   - telur setengah matang
3 x Kerupuk
--------------------------------
Catatan: alergi kacang
--------------------------------
";
    assert_eq!(tickets[0].text, expected);
    let bytes = &tickets[0].bytes;
    // The table in double width and height (GS ! 0x11), the items in double height (0x01).
    assert!(bytes.windows(3).any(|w| w == [0x1D, 0x21, 0x11]));
    let item = [&[0x1D, 0x21, 0x01][..], b"1 x Nasi Goreng Spesial\n"].concat();
    assert!(bytes.windows(item.len()).any(|w| w == &item[..]));
    assert!(bytes.ends_with(&[0x1D, 0x56, 0x42, 0x03]));
}
