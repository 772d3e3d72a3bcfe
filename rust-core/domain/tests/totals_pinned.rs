//! Pinned totals of large mixed carts: every amount, tax, allocation and scale of
//! [`Cart::totals`] must stay byte-identical when its computation is made faster.
//!
//! Each case builds a deterministic 240-line cart (ordinary, luxury, exempt, PB1 and
//! two-rate lines; weighed and counted items; line and order discounts, percentages and
//! amounts; a taxed service charge and a tip) and compares its totals, serialised to JSON
//! (which keeps each decimal's scale), against a digest recorded from the straightforward
//! implementation before its category lookups and remainders were computed once per
//! computation. A handful of headline figures are pinned in plain numbers as well, so that a
//! failure says which figure moved.

use kasir_domain::Decimal;
use kasir_domain::cart::{Cart, ChargeBasis, ChargeKind, Discount, Totals};
use kasir_domain::catalog::{Item, Unit};
use kasir_domain::gtin::{Gtin, check_digit};
use kasir_domain::money::Currency;
use kasir_domain::rounding::Rounding;
use kasir_domain::tax::{PriceMode, TaxCategory, TaxRate, TaxRoundingLevel, TaxRules};

/// Lines in each pinned cart.
const LINES: u64 = 240;

/// SplitMix64, so that the carts are the same on every run and machine.
fn mix(i: u64) -> u64 {
    let mut z = i.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a, 64 bits: a stable digest of the serialised totals.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn gtin(n: u64) -> Gtin {
    let data = format!("899{n:09}");
    let check = check_digit(&data).expect("digits");
    Gtin::parse(&format!("{data}{check}")).expect("valid")
}

/// Indonesian retail rules plus PB1 and a two-rate category.
fn rules(mode: PriceMode, level: TaxRoundingLevel, rounding: Rounding) -> TaxRules {
    let mut rules = TaxRules::indonesia_retail();
    rules
        .rates
        .push(TaxRate::simple("pb1", "PB1 10%", Decimal::from(10)));
    rules.categories.push(TaxCategory {
        code: "pb1".into(),
        label: "PB1".into(),
        rates: vec!["pb1".into()],
    });
    rules.categories.push(TaxCategory {
        code: "both".into(),
        label: "PPN and PB1".into(),
        rates: vec!["ppn".into(), "pb1".into()],
    });
    rules.price_mode = mode;
    rules.level = level;
    rules.rounding = rounding;
    rules
}

const CATEGORIES: [&str; 5] = ["ppn", "exempt", "luxury", "pb1", "both"];

/// A deterministic cart of [`LINES`] lines in `currency`, seeded by `seed`.
fn cart(currency: Currency, seed: u64) -> Cart {
    let decimals = currency.minor_units();
    let mut cart = Cart::new(currency);
    for i in 0..LINES {
        let h = mix(seed * 1_000_003 + i);
        let weighed = h.is_multiple_of(7);
        let price = Decimal::new(
            i64::try_from((h >> 8) % 2_000_000).expect("small"),
            decimals,
        );
        let item = Item {
            gtin: gtin(i + if weighed { 500_000 } else { 0 }),
            sku: None,
            name: format!("item {i}"),
            price,
            tax_category: CATEGORIES[usize::try_from((h >> 32) % 5).expect("small")].into(),
            unit: if weighed { Unit::Kg } else { Unit::Each },
            category: None,
            stock: Decimal::ZERO,
        };
        let quantity = if weighed {
            Decimal::new(i64::try_from((h >> 36) % 5_000 + 1).expect("small"), 3)
        } else {
            Decimal::from((h >> 36) % 12 + 1)
        };
        let number = cart.add(&item, quantity).expect("valid line");
        match (h >> 50) % 6 {
            0 => {
                let percent = Decimal::new(i64::try_from((h >> 53) % 5_000 + 1).expect("small"), 2);
                cart.set_line_discount(number, Some(Discount::Percent(percent)))
                    .expect("a percentage fits any line");
            }
            1 => {
                let amount = Decimal::new(i64::try_from((h >> 53) % 900 + 1).expect("small"), 0);
                // Refused (and nothing changed) when larger than the line.
                let _ = cart.set_line_discount(number, Some(Discount::Amount(amount)));
            }
            _ => {}
        }
    }
    // Line 3 voided: left out of every total.
    cart.void_line(3).expect("void");
    cart.add_discount(Discount::Percent(Decimal::new(750, 2)))
        .expect("order discount");
    cart.add_discount(Discount::Amount(Decimal::new(12_345, decimals)))
        .expect("order discount");
    cart.set_charge(
        ChargeKind::ServiceCharge,
        Some(ChargeBasis::Percent(Decimal::new(5, 0))),
        Some("pb1".into()),
    )
    .expect("service charge");
    cart.set_charge(
        ChargeKind::Tip,
        Some(ChargeBasis::Amount(Decimal::new(2_500, decimals))),
        None,
    )
    .expect("tip");
    cart
}

fn digest(totals: &Totals) -> u64 {
    fnv1a(
        serde_json::to_string(totals)
            .expect("serialises")
            .as_bytes(),
    )
}

/// One pinned case: the cart's currency and seed, the rules, and what the totals must be.
struct Case {
    currency: Currency,
    seed: u64,
    mode: PriceMode,
    level: TaxRoundingLevel,
    rounding: Rounding,
    total: &'static str,
    tax_total: &'static str,
    digest: u64,
}

fn check(case: &Case) {
    let totals = cart(case.currency, case.seed)
        .totals(&rules(case.mode, case.level, case.rounding))
        .expect("computes");
    totals.verify().expect("adds up");
    assert_eq!(
        (totals.total.to_string(), totals.tax_total.to_string()),
        (case.total.to_string(), case.tax_total.to_string()),
        "{:?} {:?} {:?} seed {}",
        case.mode,
        case.level,
        case.rounding,
        case.seed
    );
    assert_eq!(
        digest(&totals),
        case.digest,
        "{:?} {:?} {:?} seed {}: some line, rate or scale changed",
        case.mode,
        case.level,
        case.rounding,
        case.seed
    );
}

#[test]
fn pinned_totals_of_large_mixed_carts_are_unchanged() {
    use PriceMode::{TaxExcluded, TaxIncluded};
    use Rounding::{Down, HalfAwayFromZero, HalfEven};
    use TaxRoundingLevel::{Document, Group, Line};
    let cases = [
        Case {
            currency: Currency::IDR,
            seed: 1,
            mode: TaxIncluded,
            level: Document,
            rounding: HalfAwayFromZero,
            total: "1383902690",
            tax_total: "139492273",
            digest: 0x4c120fb03366e90a,
        },
        Case {
            currency: Currency::IDR,
            seed: 2,
            mode: TaxExcluded,
            level: Line,
            rounding: HalfAwayFromZero,
            total: "1527731015",
            tax_total: "148484782",
            digest: 0x9637e1cd6fbf4610,
        },
        Case {
            currency: Currency::IDR,
            seed: 3,
            mode: TaxIncluded,
            level: Group,
            rounding: Down,
            total: "1559790693",
            tax_total: "143212260",
            digest: 0x3668d84232e2a25,
        },
        Case {
            currency: Currency::USD,
            seed: 4,
            mode: TaxExcluded,
            level: Document,
            rounding: HalfEven,
            total: "15173946.79",
            tax_total: "1480726.24",
            digest: 0x86036a149f6236f9,
        },
        Case {
            currency: Currency::USD,
            seed: 5,
            mode: TaxIncluded,
            level: Line,
            rounding: HalfAwayFromZero,
            total: "13840164.27",
            tax_total: "1324927.93",
            digest: 0xe8d828bbdf63c21b,
        },
        Case {
            currency: Currency::USD,
            seed: 6,
            mode: TaxExcluded,
            level: Group,
            rounding: HalfAwayFromZero,
            total: "15318337.10",
            tax_total: "1474846.05",
            digest: 0x1738adcceb4c92f,
        },
    ];
    for case in &cases {
        check(case);
    }
}
