//! A charge whose amount includes its tax where prices exclude tax (a tip chosen on the card
//! reader): the charge and its tax together are exactly the amount, the rest of the sale's tax
//! is unchanged, and every total is still the sum of its parts.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use kasir_domain::Decimal;
use kasir_domain::cart::{Cart, ChargeBasis, ChargeKind};
use kasir_domain::catalog::{Item, Unit};
use kasir_domain::gtin::{Gtin, check_digit};
use kasir_domain::money::Currency;
use kasir_domain::rounding::Rounding;
use kasir_domain::tax::{PriceMode, TaxCategory, TaxRate, TaxRoundingLevel, TaxRules};
use proptest::prelude::*;

fn item(n: u32, price: Decimal, category: &str) -> Item {
    let data = format!("200{n:09}");
    let check = check_digit(&data).expect("digits");
    Item {
        gtin: Gtin::parse(&format!("{data}{check}")).expect("valid"),
        sku: None,
        name: format!("dish {n}"),
        price,
        tax_category: category.into(),
        unit: Unit::Each,
        category: None,
        stock: Decimal::ZERO,
    }
}

/// PB1 10% on food, PPN 12% on 11/12 on goods, and a category with both.
fn rules(mode: PriceMode, level: TaxRoundingLevel, rounding: Rounding) -> TaxRules {
    let mut rules = TaxRules::indonesia_retail();
    rules
        .rates
        .push(TaxRate::simple("pb1", "PB1 10%", Decimal::from(10)));
    rules.categories.push(TaxCategory {
        code: "pb1".into(),
        label: "Restoran".into(),
        rates: vec!["pb1".into()],
    });
    rules.categories.push(TaxCategory {
        code: "both".into(),
        label: "PB1 and PPN".into(),
        rates: vec!["ppn".into(), "pb1".into()],
    });
    rules.price_mode = mode;
    rules.level = level;
    rules.rounding = rounding;
    rules
}

#[test]
fn a_tip_with_its_tax_inside_adds_exactly_its_amount() {
    let rules = rules(
        PriceMode::TaxExcluded,
        TaxRoundingLevel::Document,
        Rounding::HalfAwayFromZero,
    );
    let mut cart = Cart::new(Currency::IDR);
    cart.add(&item(1, Decimal::from(25_000), "pb1"), Decimal::from(2))
        .unwrap();
    let before = cart.totals(&rules).unwrap();
    assert_eq!(before.total, Decimal::from(55_000));

    // A 5.000 tip under PB1: 5.000 x 10 / 110 = 454.55 -> 455 inside, 4.545 the charge.
    cart.set_charge_with_tax(ChargeKind::Tip, Decimal::from(5_000), Some("pb1".into()))
        .unwrap();
    let after = cart.totals(&rules).unwrap();
    after.verify().unwrap();
    assert_eq!(after.total, Decimal::from(60_000));
    assert_eq!(after.charges[0].amount, Decimal::from(4_545));
    assert_eq!(after.charges[0].tax, Decimal::from(455));
    assert_eq!(after.tax_total, Decimal::from(5_455));
    assert_eq!(after.taxes[0].net, Decimal::from(54_545));

    // Set as an ordinary tip again, its tax is added on top.
    cart.set_charge(
        ChargeKind::Tip,
        Some(ChargeBasis::Amount(Decimal::from(5_000))),
        Some("pb1".into()),
    )
    .unwrap();
    assert_eq!(cart.totals(&rules).unwrap().total, Decimal::from(60_500));
}

fn level() -> impl Strategy<Value = TaxRoundingLevel> {
    prop_oneof![
        Just(TaxRoundingLevel::Line),
        Just(TaxRoundingLevel::Group),
        Just(TaxRoundingLevel::Document)
    ]
}

fn rounding() -> impl Strategy<Value = Rounding> {
    prop_oneof![
        Just(Rounding::HalfAwayFromZero),
        Just(Rounding::HalfEven),
        Just(Rounding::Down),
        Just(Rounding::Up)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn a_tip_with_its_tax_inside_keeps_every_total_the_sum_of_its_parts(
        lines in proptest::collection::vec((1i64..500_000, 1i64..6, 0usize..4), 1..10),
        service in proptest::option::of(1i64..15),
        tip in 1i64..500_000,
        tip_category in 0usize..4,
        exclusive in any::<bool>(),
        usd in any::<bool>(),
        level in level(),
        rounding in rounding(),
    ) {
        let categories = ["pb1", "ppn", "both", "exempt"];
        let currency = if usd { Currency::USD } else { Currency::IDR };
        let decimals = currency.minor_units();
        let mode = if exclusive { PriceMode::TaxExcluded } else { PriceMode::TaxIncluded };
        let rules = rules(mode, level, rounding);
        let mut cart = Cart::new(currency);
        for (n, (price, quantity, category)) in lines.iter().enumerate() {
            let dish = item(u32::try_from(n).unwrap(), Decimal::new(*price, decimals), categories[*category]);
            cart.add(&dish, Decimal::from(*quantity)).unwrap();
        }
        if let Some(percent) = service {
            cart.set_charge(
                ChargeKind::ServiceCharge,
                Some(ChargeBasis::Percent(Decimal::from(percent))),
                Some("pb1".into()),
            ).unwrap();
        }
        let before = cart.totals(&rules).unwrap();
        let amount = Decimal::new(tip, decimals);
        cart.set_charge_with_tax(ChargeKind::Tip, amount, Some(categories[tip_category].into())).unwrap();
        let after = cart.totals(&rules).unwrap();

        prop_assert!(after.verify().is_ok(), "{:?}", after.verify());
        // The card pays the tip on top of what was due: the total grows by exactly the tip.
        prop_assert_eq!(after.total, before.total + amount);
        let charge = after.charges.iter().find(|c| c.kind == ChargeKind::Tip).unwrap();
        prop_assert!(charge.tax >= Decimal::ZERO && charge.tax <= amount);
        if exclusive {
            // The charge and its tax are the tip; the lines' tax is what it was.
            prop_assert_eq!(charge.amount + charge.tax, amount);
            prop_assert_eq!(after.tax_total - charge.tax, before.tax_total);
            let lines_before: Vec<Decimal> = before.lines.iter().map(|l| l.tax).collect();
            let lines_after: Vec<Decimal> = after.lines.iter().map(|l| l.tax).collect();
            prop_assert_eq!(lines_before, lines_after);
        } else {
            prop_assert_eq!(charge.amount, amount);
        }
    }
}
