//! Splitting a restaurant bill: each part gets its share of items, discount, service charge and
//! tax, and the parts add up to the bill exactly, whatever the bill.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use kasir_domain::Decimal;
use kasir_domain::cart::{Cart, ChargeBasis, ChargeKind, Discount, Totals};
use kasir_domain::catalog::{Item, Unit};
use kasir_domain::gtin::{Gtin, check_digit};
use kasir_domain::money::Currency;
use kasir_domain::payment::{CashRounding, Payment, TenderMethod};
use kasir_domain::rounding::{Rounding, allocate_grid};
use kasir_domain::split::{ItemShare, SplitRule, check_sums, split, split_with_cash_rounding};
use kasir_domain::tax::{PriceMode, TaxCategory, TaxRate, TaxRoundingLevel, TaxRules};
use proptest::prelude::*;

fn gtin(n: u32) -> Gtin {
    let data = format!("200{n:09}");
    let check = check_digit(&data).expect("digits");
    Gtin::parse(&format!("{data}{check}")).expect("valid")
}

fn item(n: u32, price: i64, category: &str) -> Item {
    Item {
        gtin: gtin(n),
        sku: None,
        name: format!("dish {n}"),
        price: Decimal::from(price),
        tax_category: category.into(),
        unit: Unit::Each,
        category: None,
        stock: Decimal::ZERO,
    }
}

/// An Indonesian restaurant: PB1 10% on food and on the service charge; PPN on retail goods.
fn restaurant(mode: PriceMode) -> TaxRules {
    let mut rules = TaxRules::indonesia_retail();
    rules
        .rates
        .push(TaxRate::simple("pb1", "PB1 10%", Decimal::from(10)));
    rules.categories.push(TaxCategory {
        code: "pb1".into(),
        label: "Restoran".into(),
        rates: vec!["pb1".into()],
    });
    rules.price_mode = mode;
    rules.level = TaxRoundingLevel::Document;
    rules.rounding = Rounding::HalfAwayFromZero;
    rules
}

/// Two Nasi Goreng at Rp 25,000 and three Es Teh at Rp 5,000, service 5%, prices before tax:
/// items 65,000, service 3,250, PB1 10% of 68,250 = 6,825, total 75,075.
fn dinner() -> Totals {
    let mut cart = Cart::new(Currency::IDR);
    cart.add(&item(1, 25_000, "pb1"), Decimal::from(2)).unwrap();
    cart.add(&item(2, 5_000, "pb1"), Decimal::from(3)).unwrap();
    cart.set_charge(
        ChargeKind::ServiceCharge,
        Some(ChargeBasis::Percent(Decimal::from(5))),
        Some("pb1".into()),
    )
    .unwrap();
    let totals = cart.totals(&restaurant(PriceMode::TaxExcluded)).unwrap();
    assert_eq!(totals.total, Decimal::from(75_075));
    totals
}

fn amounts(values: &[i64]) -> Vec<Decimal> {
    values.iter().map(|v| Decimal::from(*v)).collect()
}

#[test]
fn an_even_split_gives_each_part_its_share_of_service_and_tax() {
    let totals = dinner();

    let parts = split(&totals, &SplitRule::Evenly { parts: 3 }).unwrap();

    // 75,075 / 3 = 25,025 each. Items 65,000 / 3 = 21,666.67, service 3,250 / 3 = 1,083.33,
    // PB1 6,825 / 3 = 2,275: the two leftover rupiah of items go to the first two parts, the
    // leftover of service to the third, so that each part still pays 25,025.
    let rows: Vec<(i64, i64, i64, i64)> = parts
        .iter()
        .map(|p| {
            let i = |d: Decimal| i64::try_from(d).unwrap();
            (i(p.items), i(p.charges_total), i(p.tax), i(p.total))
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (21_667, 1_083, 2_275, 25_025),
            (21_667, 1_083, 2_275, 25_025),
            (21_666, 1_084, 2_275, 25_025),
        ]
    );
    assert!(check_sums(&totals, &parts).is_ok());
}

#[test]
fn a_split_by_item_lets_the_charges_follow_the_items() {
    let totals = dinner();

    let parts = split(
        &totals,
        &SplitRule::ByItem {
            parts: vec![vec![ItemShare::whole(1)], vec![ItemShare::whole(2)]],
        },
    )
    .unwrap();

    // Service 3,250 split 50,000 : 15,000 = 2,500 and 750; PB1 5,000 + 250 and 1,500 + 75.
    assert_eq!(parts[0].items, Decimal::from(50_000));
    assert_eq!(parts[0].charges_total, Decimal::from(2_500));
    assert_eq!(parts[0].tax, Decimal::from(5_250));
    assert_eq!(parts[0].total, Decimal::from(57_750));
    assert_eq!(parts[1].total, Decimal::from(17_325));
    assert!(check_sums(&totals, &parts).is_ok());
}

#[test]
fn a_shared_dish_is_split_by_the_weights_given() {
    let totals = dinner();

    let parts = split(
        &totals,
        &SplitRule::ByItem {
            parts: vec![
                vec![
                    ItemShare::whole(2),
                    ItemShare {
                        line: 1,
                        weight: Decimal::ONE,
                    },
                ],
                vec![ItemShare {
                    line: 1,
                    weight: Decimal::ONE,
                }],
            ],
        },
    )
    .unwrap();

    // Nasi Goreng 50,000 halved: 25,000 each; the first part also has the 15,000 of tea.
    assert_eq!(parts[0].items, Decimal::from(40_000));
    assert_eq!(parts[1].items, Decimal::from(25_000));
    assert_eq!(parts[0].lines.len(), 2);
    assert!(check_sums(&totals, &parts).is_ok());
}

#[test]
fn a_split_by_amount_leaves_the_rest_to_the_last_part() {
    let totals = dinner();

    let parts = split(
        &totals,
        &SplitRule::ByAmount {
            amounts: amounts(&[50_000]),
        },
    )
    .unwrap();

    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0].total, Decimal::from(50_000));
    assert_eq!(parts[1].total, Decimal::from(25_075));
    assert!(check_sums(&totals, &parts).is_ok());
}

#[test]
fn bad_splits_are_refused_naming_the_fault() {
    let totals = dinner();
    let refused = |rule: SplitRule| split(&totals, &rule).unwrap_err().to_string();

    assert!(refused(SplitRule::Evenly { parts: 1 }).contains("2 or more"));
    assert!(
        refused(SplitRule::ByAmount {
            amounts: amounts(&[80_000])
        })
        .contains("more than")
    );
    assert!(
        refused(SplitRule::ByAmount {
            amounts: amounts(&[75_075])
        })
        .contains("not a split")
    );
    assert!(
        refused(SplitRule::ByAmount {
            amounts: amounts(&[100, 0])
        })
        .contains("amounts[2]")
    );
    let unclaimed = SplitRule::ByItem {
        parts: vec![vec![ItemShare::whole(1)], vec![ItemShare::whole(1)]],
    };
    assert!(refused(unclaimed).contains("line 2"));
    let unknown = SplitRule::ByItem {
        parts: vec![
            vec![ItemShare::whole(1), ItemShare::whole(2)],
            vec![ItemShare::whole(9)],
        ],
    };
    assert!(refused(unknown).contains("line 9"));
}

#[test]
fn a_table_split_two_ways_meets_every_row_and_column() {
    // Rows 1, 1, 1 against columns 1, 1, 1: every cell is a third, and each row and each
    // column must still get exactly one unit.
    let grid = allocate_grid(&amounts(&[1, 1, 1]), &amounts(&[1, 1, 1]), 0).unwrap();
    for i in 0..3 {
        assert_eq!(grid[i].iter().sum::<Decimal>(), Decimal::ONE);
        assert_eq!(grid.iter().map(|r| r[i]).sum::<Decimal>(), Decimal::ONE);
    }
    assert!(allocate_grid(&amounts(&[2]), &amounts(&[1]), 0).is_err());
}

fn random_cart(
    lines: &[(i64, i64, bool)],
    discount: Option<i64>,
    service: Option<i64>,
    tip: Option<i64>,
    currency: Currency,
) -> Cart {
    let decimals = currency.minor_units();
    let mut cart = Cart::new(currency);
    for (n, (price, quantity, food)) in lines.iter().enumerate() {
        let mut dish = item(
            u32::try_from(n).unwrap(),
            0,
            if *food { "pb1" } else { "ppn" },
        );
        dish.price = Decimal::new(*price, decimals);
        cart.add(&dish, Decimal::from(*quantity)).unwrap();
    }
    if let Some(percent) = discount {
        cart.add_discount(Discount::Percent(Decimal::from(percent)))
            .unwrap();
    }
    if let Some(percent) = service {
        cart.set_charge(
            ChargeKind::ServiceCharge,
            Some(ChargeBasis::Percent(Decimal::from(percent))),
            Some("pb1".into()),
        )
        .unwrap();
    }
    if let Some(tip) = tip {
        cart.set_charge(
            ChargeKind::Tip,
            Some(ChargeBasis::Amount(Decimal::new(tip, decimals))),
            None,
        )
        .unwrap();
    }
    cart
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn a_table_meets_its_row_and_column_totals(
        rows in proptest::collection::vec(0i64..50, 1..8),
        cuts in proptest::collection::vec(0i64..1_000, 0..8),
    ) {
        // Columns: the rows' sum cut at random points.
        let total: i64 = rows.iter().sum();
        let mut points: Vec<i64> = cuts.iter().map(|c| c % (total + 1)).collect();
        points.push(0);
        points.push(total);
        points.sort_unstable();
        let columns: Vec<i64> = points.windows(2).map(|w| w[1] - w[0]).collect();
        let grid = allocate_grid(&amounts(&rows), &amounts(&columns), 0).unwrap();
        for (row, cells) in rows.iter().zip(&grid) {
            prop_assert_eq!(cells.iter().sum::<Decimal>(), Decimal::from(*row));
        }
        for (j, column) in columns.iter().enumerate() {
            prop_assert_eq!(grid.iter().map(|r| r[j]).sum::<Decimal>(), Decimal::from(*column));
        }
        for (i, cells) in grid.iter().enumerate() {
            for (j, cell) in cells.iter().enumerate() {
                // Each cell is its exact share rounded down or up, never further.
                let exact = Decimal::from(rows[i]) * Decimal::from(columns[j]) / Decimal::from(total.max(1));
                prop_assert!((*cell - exact).abs() < Decimal::ONE, "cell {} vs {}", cell, exact);
            }
        }
    }

    #[test]
    fn every_split_adds_up_to_the_bill(
        lines in proptest::collection::vec((1i64..500_000, 1i64..6, any::<bool>()), 1..12),
        discount in proptest::option::of(1i64..60),
        service in proptest::option::of(1i64..15),
        tip in proptest::option::of(1i64..50_000),
        exclusive in any::<bool>(),
        usd in any::<bool>(),
        parts in 2u32..7,
        assignment in proptest::collection::vec(0usize..7, 12),
        paid in 1i64..1_000,
    ) {
        let currency = if usd { Currency::USD } else { Currency::IDR };
        let mode = if exclusive { PriceMode::TaxExcluded } else { PriceMode::TaxIncluded };
        let cart = random_cart(&lines, discount, service, tip, currency);
        let totals = cart.totals(&restaurant(mode)).unwrap();
        prop_assume!(totals.total > Decimal::ZERO);
        let unit = currency.smallest_unit();

        let even = split(&totals, &SplitRule::Evenly { parts }).unwrap();
        prop_assert!(check_sums(&totals, &even).is_ok(), "{:?}", check_sums(&totals, &even));
        let most = even.iter().map(|p| p.total).max().unwrap();
        let least = even.iter().map(|p| p.total).min().unwrap();
        prop_assert!(most - least <= unit, "even parts {} and {}", most, least);

        // A first payer pays a share of the bill; the rest is the second part.
        let first = (totals.total * Decimal::new(paid, 3)).trunc_with_scale(currency.minor_units());
        if first > Decimal::ZERO && first < totals.total {
            let by_amount = split(&totals, &SplitRule::ByAmount { amounts: vec![first] }).unwrap();
            prop_assert!(check_sums(&totals, &by_amount).is_ok());
            prop_assert_eq!(by_amount[0].total, first);
        }

        // Every line to one of `parts` parts (each part takes at least one line).
        let count = usize::try_from(parts).unwrap().min(totals.lines.len());
        if count >= 2 {
            let mut claims: Vec<Vec<ItemShare>> = vec![Vec::new(); count];
            for (index, line) in totals.lines.iter().enumerate() {
                let to = if index < count { index } else { assignment[index] % count };
                claims[to].push(ItemShare::whole(line.number));
            }
            let by_item = split(&totals, &SplitRule::ByItem { parts: claims }).unwrap();
            prop_assert!(check_sums(&totals, &by_item).is_ok(), "{:?}", check_sums(&totals, &by_item));
        }

        for part in even {
            let mut expected = part.items + part.charges_total;
            if exclusive {
                expected += part.tax;
            }
            prop_assert_eq!(part.total, expected);
        }
    }
}

#[test]
fn an_even_split_in_cash_gives_whole_hundreds_and_the_last_part_the_rounding() {
    // 100,050 in three: 33,350 each cannot be paid in cash when cash is rounded to Rp 100.
    let mut cart = Cart::new(Currency::IDR);
    cart.add(&item(1, 100_050, "exempt"), Decimal::ONE).unwrap();
    let totals = cart.totals(&restaurant(PriceMode::TaxExcluded)).unwrap();
    let cash = CashRounding {
        increment: Decimal::ONE_HUNDRED,
        rounding: Rounding::HalfAwayFromZero,
    };
    let parts =
        split_with_cash_rounding(&totals, &SplitRule::Evenly { parts: 3 }, Some(cash)).unwrap();
    let totals_of: Vec<Decimal> = parts.iter().map(|p| p.total).collect();
    assert_eq!(totals_of, amounts(&[33_400, 33_400, 33_250]));
    let cash_of: Vec<Decimal> = parts.iter().map(|p| p.cash).collect();
    assert_eq!(cash_of, amounts(&[33_400, 33_400, 33_300]));
    assert_eq!(parts[2].cash_rounding, Decimal::from(50));
    assert!(check_sums(&totals, &parts).is_ok());

    // By amount, an amount that is not whole hundreds is refused, naming it.
    let err = split_with_cash_rounding(
        &totals,
        &SplitRule::ByAmount {
            amounts: amounts(&[50_050]),
        },
        Some(cash),
    )
    .unwrap_err();
    assert!(err.to_string().starts_with("amounts[1]:"), "{err}");
    assert!(err.to_string().contains("rounds cash to Rp 100"), "{err}");
    let parts = split_with_cash_rounding(
        &totals,
        &SplitRule::ByAmount {
            amounts: amounts(&[50_000]),
        },
        Some(cash),
    )
    .unwrap();
    assert_eq!(parts[1].total, Decimal::from(50_050));
    assert_eq!(parts[1].cash, Decimal::from(50_100));

    // A bill too small for the parts asked is refused.
    let mut small = Cart::new(Currency::IDR);
    small.add(&item(1, 150, "exempt"), Decimal::ONE).unwrap();
    let small = small.totals(&restaurant(PriceMode::TaxExcluded)).unwrap();
    assert!(split_with_cash_rounding(&small, &SplitRule::Evenly { parts: 3 }, Some(cash)).is_err());

    // A rest that rounds to nothing in cash (Rp 40 under Rp 100) is refused: the first
    // payer's cash would already settle the bill.
    let mut near = Cart::new(Currency::IDR);
    near.add(&item(1, 100_040, "exempt"), Decimal::ONE).unwrap();
    let near = near.totals(&restaurant(PriceMode::TaxExcluded)).unwrap();
    let err = split_with_cash_rounding(
        &near,
        &SplitRule::ByAmount {
            amounts: amounts(&[100_000]),
        },
        Some(cash),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "parts: the last part, Rp 40, rounds to nothing in cash (the store rounds cash to Rp 100): \
         give the earlier parts less"
    );
}

fn cash_rounding() -> impl Strategy<Value = CashRounding> {
    (
        prop_oneof![Just(100i64), Just(500), Just(1_000), Just(50)],
        prop_oneof![
            Just(Rounding::HalfAwayFromZero),
            Just(Rounding::HalfEven),
            Just(Rounding::Down),
            Just(Rounding::Up)
        ],
    )
        .prop_map(|(increment, rounding)| CashRounding {
            increment: Decimal::from(increment),
            rounding,
        })
}

/// Pays `parts` one after another in cash, each the part's cash amount; checks the sale is
/// settled exactly by the last, with no change and the last part's rounding recorded (the
/// rounding a single cash tender of the whole bill records, but for half-even ties).
fn pay_in_cash(
    totals: &Totals,
    parts: &[kasir_domain::split::BillPart],
    cash: CashRounding,
) -> Result<(), TestCaseError> {
    let mut single = Payment::new(totals.currency, totals.total, Some(cash));
    let single_due = single.cash_due();
    single.add(TenderMethod::Cash, single_due).unwrap();

    let mut payment = Payment::new(totals.currency, totals.total, Some(cash));
    for (index, part) in parts.iter().enumerate() {
        prop_assert!(!payment.is_paid(), "paid before part {}", index + 1);
        let whole = kasir_domain::rounding::round_to_increment(
            part.cash,
            cash.increment,
            0,
            Rounding::Down,
        );
        prop_assert_eq!(
            whole,
            part.cash,
            "part {} in cash is not whole increments",
            index + 1
        );
        if index + 1 < parts.len() {
            prop_assert!(part.cash_rounding.is_zero());
        }
        payment.add(TenderMethod::Cash, part.cash).unwrap();
    }
    prop_assert!(payment.is_paid());
    prop_assert!(payment.change().is_zero(), "change {}", payment.change());
    // The payment records the last part's rounding, as it would a single tender's.
    let last = parts.last().unwrap();
    prop_assert_eq!(payment.rounding_adjustment(), last.cash_rounding);
    prop_assert_eq!(
        parts.iter().map(|p| p.cash).sum::<Decimal>(),
        totals.total + last.cash_rounding
    );
    // Each strategy but half-even rounds the last part (the bill's remainder over whole
    // increments) as it rounds the whole bill; half-even may round a tie the other way, since
    // which increment is even depends on the amount.
    if cash.rounding != Rounding::HalfEven {
        prop_assert_eq!(last.cash_rounding, single.rounding_adjustment());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn cash_splits_add_up_to_the_bill_in_whole_increments(
        lines in proptest::collection::vec((1i64..500_000, 1i64..6, any::<bool>()), 1..8),
        discount in proptest::option::of(1i64..60),
        service in proptest::option::of(1i64..15),
        exclusive in any::<bool>(),
        parts in 2u32..7,
        paid in 1i64..1_000,
        cash in cash_rounding(),
    ) {
        let mode = if exclusive { PriceMode::TaxExcluded } else { PriceMode::TaxIncluded };
        let cart = random_cart(&lines, discount, service, None, Currency::IDR);
        let totals = cart.totals(&restaurant(mode)).unwrap();
        prop_assume!(totals.total > Decimal::ZERO);

        match split_with_cash_rounding(&totals, &SplitRule::Evenly { parts }, Some(cash)) {
            Ok(even) => {
                prop_assert_eq!(even.len(), usize::try_from(parts).unwrap());
                prop_assert!(check_sums(&totals, &even).is_ok(), "{:?}", check_sums(&totals, &even));
                for part in &even {
                    prop_assert!(part.total > Decimal::ZERO);
                    prop_assert_eq!(part.cash, part.total + part.cash_rounding);
                }
                pay_in_cash(&totals, &even, cash)?;
            }
            // Refused only when there are not enough whole increments for every part.
            Err(_) => prop_assert!(totals.total < cash.increment * Decimal::from(parts + 1)),
        }

        // A first payer pays whole increments; the rest is the second part.
        let first = (totals.total * Decimal::new(paid, 3) / cash.increment).trunc() * cash.increment;
        if first > Decimal::ZERO && first < totals.total {
            let rest = totals.total - first;
            let rest_in_cash =
                kasir_domain::rounding::round_to_increment(rest, cash.increment, 0, cash.rounding);
            let by_amount = split_with_cash_rounding(
                &totals,
                &SplitRule::ByAmount { amounts: vec![first] },
                Some(cash),
            );
            if rest_in_cash.is_zero() {
                // What is left rounds to nothing in cash: refused, naming the parts.
                let refused = by_amount.unwrap_err().to_string();
                prop_assert!(refused.contains("rounds to nothing in cash"), "{}", refused);
                return Ok(());
            }
            let by_amount = by_amount.unwrap();
            prop_assert!(check_sums(&totals, &by_amount).is_ok());
            prop_assert_eq!(by_amount[0].total, first);
            pay_in_cash(&totals, &by_amount, cash)?;
        }
    }
}
