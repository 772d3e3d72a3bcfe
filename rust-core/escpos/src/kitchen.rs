//! Kitchen tickets: what to cook, in large type, with the table, the receipt number and the
//! time, routed by category to the printers of the kitchen, the bar and so on. Routing is a
//! pure function: a sale and the rules in, one ticket per printer out.

use std::collections::BTreeMap;

use kasir_domain::catalog::Unit;
use kasir_domain::money::Locale;
use kasir_domain::sale::{Sale, SaleLine};
use kasir_domain::settings::StoreSettings;

use crate::doc::{Align, Document, Style};
use crate::encoder::encode;
use crate::error::EscposError;
use crate::profile::{Font, PrinterProfile};
use crate::receipt::labels;

/// What the kitchen needs beyond the sale: the table and each line's modifiers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KitchenOrder {
    /// The table, for example `12` or `Teras 3`.
    pub table: Option<String>,
    /// Modifiers per sale line number (`no chilli`, `extra egg`).
    pub modifiers: BTreeMap<u32, Vec<String>>,
    /// A note for the whole order.
    pub note: Option<String>,
}

/// A printer of the kitchen and the categories it prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KitchenPrinter {
    /// The printer's name as the store knows it (`dapur`, `bar`).
    pub name: String,
    /// Its profile.
    pub profile: PrinterProfile,
    /// The item categories it prints (compared without regard to case).
    pub categories: Vec<String>,
}

/// Where each category's lines are printed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RoutingRules {
    /// The printers; a category may go to more than one.
    pub printers: Vec<KitchenPrinter>,
    /// The printer for lines whose category no printer takes (and lines without a category);
    /// without one, such a line is an error unless its category is in `skip`.
    pub fallback: Option<String>,
    /// Categories that never go to the kitchen (bottled drinks from the fridge).
    pub skip: Vec<String>,
}

/// One ticket for one printer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KitchenTicket {
    /// The printer's name.
    pub printer: String,
    /// The ticket as plain text (for a screen or a log of what was sent).
    pub text: String,
    /// The ticket's ESC/POS bytes for that printer.
    pub bytes: Vec<u8>,
}

/// Splits `sale` into kitchen tickets by `rules`, in the order of the printers; a printer
/// with nothing to make gets no ticket.
pub fn route(
    sale: &Sale,
    store: &StoreSettings,
    order: &KitchenOrder,
    rules: &RoutingRules,
) -> Result<Vec<KitchenTicket>, EscposError> {
    let same = |a: &str, b: &str| a.trim().eq_ignore_ascii_case(b.trim());
    if let Some(name) = &rules.fallback
        && !rules.printers.iter().any(|p| p.name == *name)
    {
        return Err(EscposError::BadOption {
            field: "fallback",
            reason: format!("no kitchen printer is called `{name}`"),
        });
    }
    let mut per_printer: Vec<Vec<&SaleLine>> = vec![Vec::new(); rules.printers.len()];
    for line in &sale.lines {
        let category = line.category.as_deref().unwrap_or("");
        if rules.skip.iter().any(|s| same(s, category)) {
            continue;
        }
        let mut routed = false;
        for (i, printer) in rules.printers.iter().enumerate() {
            if printer.categories.iter().any(|c| same(c, category)) {
                per_printer[i].push(line);
                routed = true;
            }
        }
        if !routed {
            let fallback = rules
                .fallback
                .as_ref()
                .and_then(|name| rules.printers.iter().position(|p| p.name == *name));
            match fallback {
                Some(i) => per_printer[i].push(line),
                None => {
                    return Err(EscposError::BadOption {
                        field: "routing",
                        reason: format!(
                            "line {} ({}, category `{category}`) goes to no kitchen printer",
                            line.number, line.name
                        ),
                    });
                }
            }
        }
    }

    let mut tickets = Vec::new();
    for (printer, lines) in rules.printers.iter().zip(per_printer) {
        if lines.is_empty() {
            continue;
        }
        let doc = ticket(sale, store, order, &printer.name, &lines, &printer.profile)?;
        tickets.push(KitchenTicket {
            printer: printer.name.clone(),
            text: doc.text(),
            bytes: encode(&doc, &printer.profile)?,
        });
    }
    Ok(tickets)
}

/// Lays out one ticket of `lines` for the station `station`.
pub fn ticket(
    sale: &Sale,
    store: &StoreSettings,
    order: &KitchenOrder,
    station: &str,
    lines: &[&SaleLine],
    profile: &PrinterProfile,
) -> Result<Document, EscposError> {
    let l = labels(store.locale);
    let columns = usize::from(profile.columns(Font::A));
    let mut doc = Document::new(Font::A, columns);
    doc.cut = true;
    let tall = Style {
        bold: true,
        underline: false,
        width: 1,
        height: 2,
    };

    doc.wrapped(
        &format!("{} {}", l.kitchen, station.to_uppercase()),
        Align::Centre,
        Style::BOLD,
    );
    if let Some(table) = &order.table {
        doc.wrapped(&format!("{} {table}", l.table), Align::Centre, Style::LARGE);
    }
    let local = sale.completed_at.to_zoned_datetime(store.time_zone()?);
    doc.line(crate::text::two_columns(
        &sale.receipt_number,
        &local.strftime("%H:%M").to_string(),
        columns,
    ));
    doc.rule();
    for line in lines {
        let quantity = match line.unit {
            Unit::Each => format!("{} x", line.quantity.normalize()),
            Unit::Kg => format!("{} kg", line.quantity.normalize()),
        };
        doc.wrapped(&format!("{quantity} {}", line.name), Align::Left, tall);
        for modifier in order.modifiers.get(&line.number).into_iter().flatten() {
            doc.indented(&format!("- {modifier}"), 3, Style::BOLD);
        }
    }
    if let Some(note) = &order.note {
        doc.rule();
        let what = if store.locale == Locale::Id {
            "Catatan"
        } else {
            "Note"
        };
        doc.wrapped(&format!("{what}: {note}"), Align::Left, Style::BOLD);
    }
    doc.rule();
    Ok(doc)
}
