//! Property tests: for any cart, the totals add up, the tenders cover exactly the total, the
//! allocations are exact, and recomputing the same sale changes nothing.

use kasir_domain::cart::{Cart, ChargeBasis, ChargeKind, Discount};
use kasir_domain::catalog::{Item, Unit};
use kasir_domain::gtin::{Gtin, check_digit};
use kasir_domain::money::Currency;
use kasir_domain::payment::{CashRounding, Payment, TenderMethod};
use kasir_domain::rounding::{Rounding, allocate};
use kasir_domain::sale::{Sale, SaleContext};
use kasir_domain::tax::{PriceMode, TaxCategory, TaxRate, TaxRoundingLevel, TaxRules};
use kasir_domain::{Decimal, DomainError};
use proptest::prelude::*;

fn gtin(n: u32) -> Gtin {
    let data = format!("899{n:09}");
    let check = check_digit(&data).expect("digits");
    Gtin::parse(&format!("{data}{check}")).expect("valid")
}

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

#[derive(Debug, Clone)]
struct LineSpec {
    item: u32,
    price_units: i64,
    quantity: i64,
    weighed: bool,
    category: usize,
    discount: Option<(bool, i64)>,
}

fn line_spec() -> impl Strategy<Value = LineSpec> {
    (
        0u32..20,
        0i64..2_000_000,
        1i64..5_000,
        any::<bool>(),
        0usize..4,
        proptest::option::of((any::<bool>(), 1i64..10_000)),
    )
        .prop_map(
            |(item, price_units, quantity, weighed, category, discount)| LineSpec {
                item,
                price_units,
                quantity,
                weighed,
                category,
                discount,
            },
        )
}

const CATEGORIES: [&str; 4] = ["ppn", "exempt", "pb1", "both"];

fn build_cart(
    currency: Currency,
    lines: &[LineSpec],
    order: &[(bool, i64)],
    charges: (Option<i64>, Option<i64>),
) -> Cart {
    let decimals = currency.minor_units();
    let mut cart = Cart::new(currency);
    for spec in lines {
        let unit = if spec.weighed { Unit::Kg } else { Unit::Each };
        let item = Item {
            gtin: gtin(spec.item + if spec.weighed { 100 } else { 0 }),
            sku: None,
            name: format!("item {}", spec.item),
            price: Decimal::new(spec.price_units, decimals),
            tax_category: CATEGORIES[spec.category].into(),
            unit,
            category: None,
            stock: Decimal::ZERO,
        };
        let quantity = if spec.weighed {
            Decimal::new(spec.quantity, 3)
        } else {
            Decimal::from(spec.quantity % 20 + 1)
        };
        let Ok(number) = cart.add(&item, quantity) else {
            continue;
        };
        if let Some((percent, value)) = spec.discount {
            let discount = if percent {
                Discount::Percent(Decimal::new(value % 10_000 + 1, 2).min(Decimal::ONE_HUNDRED))
            } else {
                Discount::Amount(Decimal::new(value, decimals))
            };
            let _ = cart.set_line_discount(number, Some(discount));
        }
    }
    for (percent, value) in order {
        let discount = if *percent {
            Discount::Percent(Decimal::new(value % 10_000 + 1, 2).min(Decimal::ONE_HUNDRED))
        } else {
            Discount::Amount(Decimal::new(*value, decimals))
        };
        let _ = cart.add_discount(discount);
    }
    if let Some(service) = charges.0 {
        let basis = ChargeBasis::Percent(Decimal::new(service % 2_000 + 1, 2));
        cart.set_charge(ChargeKind::ServiceCharge, Some(basis), Some("pb1".into()))
            .expect("valid charge");
    }
    if let Some(tip) = charges.1 {
        cart.set_charge(
            ChargeKind::Tip,
            Some(ChargeBasis::Amount(Decimal::new(tip + 1, decimals))),
            None,
        )
        .expect("valid charge");
    }
    cart
}

fn currency() -> impl Strategy<Value = Currency> {
    prop_oneof![Just(Currency::IDR), Just(Currency::USD)]
}

fn tax_rules() -> impl Strategy<Value = TaxRules> {
    (
        prop_oneof![Just(PriceMode::TaxIncluded), Just(PriceMode::TaxExcluded)],
        prop_oneof![
            Just(TaxRoundingLevel::Line),
            Just(TaxRoundingLevel::Group),
            Just(TaxRoundingLevel::Document)
        ],
        prop_oneof![
            Just(Rounding::HalfAwayFromZero),
            Just(Rounding::Down),
            Just(Rounding::HalfEven)
        ],
    )
        .prop_map(|(mode, level, rounding)| rules(mode, level, rounding))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn every_total_is_the_sum_of_its_parts(
        currency in currency(),
        rules in tax_rules(),
        lines in proptest::collection::vec(line_spec(), 1..25),
        order in proptest::collection::vec((any::<bool>(), 1i64..500_000), 0..3),
        charges in (proptest::option::of(0i64..10_000), proptest::option::of(0i64..100_000)),
    ) {
        let cart = build_cart(currency, &lines, &order, charges);
        let totals = cart.totals(&rules).expect("a cart built through its checks computes");
        prop_assert!(totals.verify().is_ok(), "{:?}", totals.verify());

        let mut expected = totals.items_total + totals.charges_total;
        if rules.price_mode == PriceMode::TaxExcluded {
            expected += totals.tax_total;
        }
        prop_assert_eq!(totals.total, expected);
        for line in &totals.lines {
            prop_assert!(line.amount >= Decimal::ZERO, "line {} went negative", line.number);
        }
        let rate_tax: Decimal = totals.taxes.iter().map(|t| t.tax).sum();
        prop_assert_eq!(rate_tax, totals.tax_total);

        // Recomputing the same cart gives the same totals.
        prop_assert_eq!(cart.totals(&rules).expect("computes again"), totals);
    }

    #[test]
    fn tenders_minus_change_equal_the_total(
        currency in currency(),
        rules in tax_rules(),
        lines in proptest::collection::vec(line_spec(), 1..10),
        card_share in 0u32..=100,
        extra_cash in 0i64..1_000_000,
        round_cash in any::<bool>(),
    ) {
        let cart = build_cart(currency, &lines, &[], (None, None));
        prop_assume!(!cart.is_empty());
        let totals = cart.totals(&rules).expect("computes");
        prop_assume!(totals.total > Decimal::ZERO);

        let cash_rounding = round_cash.then(|| CashRounding {
            increment: if currency == Currency::IDR { Decimal::from(100) } else { Decimal::new(5, 2) },
            rounding: Rounding::HalfAwayFromZero,
        });
        let mut payment = Payment::new(currency, totals.total, cash_rounding);
        let card = kasir_domain::rounding::round(
            totals.total * Decimal::from(card_share) / Decimal::ONE_HUNDRED,
            currency.minor_units(),
            Rounding::Down,
        );
        if card > Decimal::ZERO {
            payment.add(TenderMethod::card("OK1", "4242", "VISA").expect("valid"), card).expect("card within due");
        }
        if !payment.is_paid() {
            let cash = payment.cash_due() + Decimal::new(extra_cash, currency.minor_units());
            if cash > Decimal::ZERO {
                payment.add(TenderMethod::Cash, cash).expect("cash accepted");
            }
        }
        prop_assume!(payment.is_paid());

        let context = SaleContext {
            id: uuid::Uuid::nil(),
            device_id: "d".into(),
            completed_at: jiff::Timestamp::UNIX_EPOCH,
            business_date: jiff::civil::Date::constant(2026, 12, 3),
        };
        let sale = Sale::complete(context, &cart, &rules, &payment).expect("completes");
        prop_assert_eq!(sale.tendered - sale.change, sale.total + sale.cash_rounding);
        prop_assert!(sale.verify().is_ok());
        let only_cash_changes = sale.tenders.iter().all(|t| t.change.is_zero() || t.method == TenderMethod::Cash);
        prop_assert!(only_cash_changes);
    }

    #[test]
    fn allocations_sum_exactly(
        total in 0i64..10_000_000,
        weights in proptest::collection::vec(0i64..1_000_000, 1..50),
        decimals in 0u32..3,
    ) {
        let weights: Vec<Decimal> = weights.into_iter().map(Decimal::from).collect();
        let total = Decimal::new(total, decimals);
        match allocate(total, &weights, decimals) {
            Ok(parts) => {
                prop_assert_eq!(parts.iter().copied().sum::<Decimal>(), total);
                let weight_sum: Decimal = weights.iter().sum();
                for (part, weight) in parts.iter().zip(&weights) {
                    let exact = total * *weight / weight_sum;
                    prop_assert!((*part - exact).abs() < Decimal::new(1, decimals), "part {} far from {}", part, exact);
                }
            }
            Err(DomainError::Invalid { .. }) => prop_assert!(weights.iter().all(|w| w.is_zero()) && !total.is_zero()),
            Err(other) => prop_assert!(false, "unexpected {}", other),
        }
    }
}
