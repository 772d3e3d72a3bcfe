//! `kasir register`: the terminal register.
//!
//! One command per line. A barcode scanner in keyboard mode types the digits and Enter, so a
//! line that is a code adds that product. At a terminal the register shows the cart after
//! every change and keeps going after a mistake; reading a script from standard input, it
//! stops at the first error (the open sale is not recorded) and exits non-zero.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use kasir_domain::cart::{Cart, ChargeBasis, ChargeKind, Discount};
use kasir_domain::catalog::{Item, Unit};
use kasir_domain::payment::{Payment, TenderMethod};
use kasir_domain::sale::{Sale, SaleContext};
use kasir_domain::{Decimal, DomainError};
use kasir_scan::{AddProduct, Read, Reason, ScanResult, Scanner};
use kasir_store::{Store, StoreSettings};

use crate::app::CliError;
use crate::receipt;
use crate::scan;
use crate::view::{money, money_with_symbol, pad_left, pad_right, two_columns};

mod card;
mod checkout;
mod qris_pay;
mod staff;
mod table;

const HELP: &str = "\
Commands (one per line):
  CODE                  scan or type a barcode or SKU: adds one; scale labels, GS1 data
                        ((01)...(3103)... or a Digital Link) and KASIR: codes too
  N*CODE                adds N (kg items: 0.750*CODE)
  add CODE [N]          the same, spelled out
  search WORDS          find products by name; then @K [N] adds result K
  qty LINE N            set the quantity of a line
  discount LINE 10%|AMT discount one line (none removes it)
  discount 10%|AMT      discount the whole order, after line discounts (none removes it)
  void LINE             void a line
  void payments         remove the payments taken so far (reverse cards on the terminal)
  void sale             discard the open sale (nothing is recorded)
  service 5%|AMT|none   service charge
  tip 10%|AMT|none      tip (never discounted)
  total                 show the cart
  pay cash [AMT]        cash; without an amount, exactly what is due
  pay card [AMT] approval=CODE last4=NNNN [brand=VISA]
  pay reader [AMT] [sim=approve|decline|offline] [tip=10,15] [sim-tip=15|none]
                        card payment on the (simulated) card reader; tip= offers
                        tip choices on the reader (the card pays the whole sale)
  offline               card payments approved offline, waiting to be forwarded
  pay qr [AMT] ref=REFERENCE
                        a QR payment the customer's app showed (unverified)
  pay qris [AMT] [polls=N]
                        a dynamic QRIS payment through the provider, shown here and
                        waited for (verified); offline: the sticker's code, then pay qr
  pay gift NUMBER [AMT] a gift card; without an amount, all it holds up to what is due
  giftcard sell AMT [NUMBER]
                        sell a gift card (a new number without one): not taxed or
                        discounted, issued in the cloud when the sale syncs
  giftcard load NUMBER AMT
                        add value to a gift card; `giftcard NUMBER` shows its balance
  customer PHONE|EMAIL  attach a loyalty customer to the sale (`customer none` removes)
  redeem points N       the customer's points off the order (`redeem points none`)
  qris [AMT]            show the QRIS code of a payment (the store's QRIS payload, the
                        amount due by default) for the customer to scan
  split N               how the bill divides: N even parts, `split amount AMT...` or
                        `split items 1,2 3` (lines per payer); then pay each part
  login NAME PIN        sign in (once the store has staff); logout signs out
  manager NAME PIN      a manager approves the next discount over the limit or drawer
  drawer [REASON]       open the cash drawer without a sale (recorded)
  help                  this text
  quit                  leave the register
Lines starting with # are comments.";

struct Register<'a> {
    store: &'a mut Store,
    settings: StoreSettings,
    cart: Cart,
    payment: Option<Payment>,
    found: Vec<Item>,
    qr_confirmed: Vec<kasir_store::qr_payments::ProviderConfirmation>,
    pending: checkout::Pending,
    width: usize,
    json: bool,
    interactive: bool,
    scanner: Scanner,
    signed_in: Option<String>,
    approval: Option<String>,
    /// The receipt number of the sale just recorded, while no new sale has started.
    last_recorded: Option<String>,
}

enum Flow {
    Continue,
    Quit,
}

/// Runs the register until `quit` or the end of input.
pub fn run(
    store: &mut Store,
    json: bool,
    width: usize,
    scanner: Scanner,
    sign_in: &crate::staff_cmd::SignIn,
) -> Result<ExitCode, CliError> {
    let settings = store.settings()?.clone();
    let interactive = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    let mut register = Register {
        store,
        cart: Cart::new(settings.currency),
        settings,
        payment: None,
        found: Vec::new(),
        qr_confirmed: Vec::new(),
        pending: checkout::Pending::default(),
        width,
        json,
        interactive,
        scanner,
        signed_in: None,
        approval: None,
        last_recorded: None,
    };
    register.start_signed_in(sign_in)?;
    card::warn_print_jobs(register.store);
    checkout::warn_unrecorded(register.store);
    if interactive {
        register.interactive_loop()
    } else {
        register.script_loop()
    }
}

impl Register<'_> {
    fn interactive_loop(&mut self) -> Result<ExitCode, CliError> {
        let mut editor =
            rustyline::DefaultEditor::new().map_err(|e| CliError::Usage(e.to_string()))?;
        println!(
            "Kasir register: {}. Scan a barcode, or type `help`.",
            self.settings.name
        );
        loop {
            let prompt = if self.sale_is_empty() {
                "kasir> ".to_string()
            } else {
                format!("{}> ", self.due_text())
            };
            match editor.readline(&prompt) {
                Ok(line) => {
                    if !line.trim().is_empty() {
                        let _ = editor.add_history_entry(line.as_str());
                    }
                    match self.execute(&line) {
                        Ok(Flow::Continue) => {}
                        Ok(Flow::Quit) => break,
                        Err(e) => eprintln!("error: {e}"),
                    }
                }
                Err(rustyline::error::ReadlineError::Interrupted) => {
                    println!("(type `quit` to leave)")
                }
                Err(rustyline::error::ReadlineError::Eof) => break,
                Err(e) => return Err(CliError::Usage(e.to_string())),
            }
        }
        if !self.sale_is_empty() {
            self.warn_taken_payments();
            eprintln!("The open sale was not recorded.");
        }
        Ok(ExitCode::SUCCESS)
    }

    fn script_loop(&mut self) -> Result<ExitCode, CliError> {
        let stdin = std::io::stdin();
        let mut number = 0;
        for line in stdin.lock().lines() {
            number += 1;
            let line = line?;
            match self.execute(&line) {
                Ok(Flow::Continue) => {}
                Ok(Flow::Quit) => break,
                Err(e) => {
                    eprintln!("kasir: line {number}: {e}");
                    if !self.sale_is_empty() {
                        self.warn_taken_payments();
                        eprintln!("kasir: the open sale was not recorded");
                    }
                    return Ok(ExitCode::FAILURE);
                }
            }
        }
        if !self.sale_is_empty() {
            self.warn_taken_payments();
            eprintln!(
                "kasir: the register stopped during a sale; it was not recorded (finish it with `pay`)"
            );
            return Ok(ExitCode::FAILURE);
        }
        Ok(ExitCode::SUCCESS)
    }

    fn due_text(&self) -> String {
        match &self.payment {
            Some(p) => format!("due {}", money(&self.settings, p.remaining())),
            None => match self.cart.totals(&self.settings.tax) {
                Ok(t) => money(&self.settings, t.total),
                Err(_) => "?".into(),
            },
        }
    }

    fn execute(&mut self, line: &str) -> Result<Flow, CliError> {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            return Ok(Flow::Continue);
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        let command = words[0].to_ascii_lowercase();
        let args = &words[1..];
        self.require_sign_in(&command)?;
        match command.as_str() {
            "help" | "?" => println!("{HELP}"),
            "quit" | "exit" | "q" => return Ok(Flow::Quit),
            "total" | "show" | "cart" => self.show_cart()?,
            "add" => {
                let (code, quantity) = match args {
                    [code] => (*code, None),
                    [code, quantity] => (*code, Some(*quantity)),
                    _ => return Err(usage("add CODE [QUANTITY]")),
                };
                let item = self.store.find_item(code)?;
                self.add(&item, quantity)?;
            }
            "search" | "find" => self.search(&args.join(" "))?,
            "qty" => {
                let [line, quantity] = args else {
                    return Err(usage("qty LINE QUANTITY"));
                };
                self.editable()?;
                let number = parse_line(line)?;
                self.cart.set_quantity(number, parse_quantity(quantity)?)?;
                self.changed(&format!("line {number}: quantity {quantity}"))?;
            }
            "discount" | "disc" => {
                self.editable()?;
                match args {
                    [value] if value.eq_ignore_ascii_case("none") => {
                        self.cart.clear_discounts();
                        self.order_discounts_replaced();
                        self.changed("order discount removed")?;
                    }
                    [value] => {
                        // One order discount at a time: a new one replaces the old.
                        let discount = Discount::parse(value, self.settings.currency)?;
                        self.check_discount(None, &discount)?;
                        let before = self.cart.clone();
                        self.cart.clear_discounts();
                        if let Err(e) = self.cart.add_discount(discount) {
                            self.cart = before;
                            return Err(e.into());
                        }
                        self.order_discounts_replaced();
                        self.changed(&format!("order discount {value}"))?;
                    }
                    [line, value] => {
                        let number = parse_line(line)?;
                        let discount = if value.eq_ignore_ascii_case("none") {
                            None
                        } else {
                            Some(Discount::parse(value, self.settings.currency)?)
                        };
                        if let Some(d) = &discount {
                            self.check_discount(Some(number), d)?;
                        }
                        self.cart.set_line_discount(number, discount)?;
                        self.changed(&format!("line {number}: discount {value}"))?;
                    }
                    _ => return Err(usage("discount [LINE] 10%|AMOUNT")),
                }
            }
            "void" => match args {
                ["sale"] => self.void_sale()?,
                ["payments" | "payment"] => self.void_payments()?,
                [line] => {
                    self.editable()?;
                    let number = parse_line(line)?;
                    self.cart.void_line(number)?;
                    self.changed(&format!("line {number} voided"))?;
                }
                _ => return Err(usage("void LINE | void sale")),
            },
            "tip" | "service" => {
                self.editable()?;
                let [value] = args else {
                    return Err(usage(&format!("{command} 10%|AMOUNT|none")));
                };
                let (kind, tax_category) = if command == "tip" {
                    (ChargeKind::Tip, self.settings.tip_tax_category.clone())
                } else {
                    (
                        ChargeKind::ServiceCharge,
                        self.settings.service_charge_tax_category.clone(),
                    )
                };
                let basis = if value.eq_ignore_ascii_case("none") {
                    None
                } else {
                    Some(ChargeBasis::parse(&command, value, self.settings.currency)?)
                };
                if basis.is_some() && self.cart.is_empty() {
                    return Err(DomainError::not_allowed("add items before a charge").into());
                }
                self.cart.set_charge(kind, basis, tax_category)?;
                self.changed(&format!("{command} {value}"))?;
            }
            "login" => self.login(args)?,
            "logout" => self.logout()?,
            "manager" => self.approve(args)?,
            "drawer" => self.drawer(args)?,
            "giftcard" => self.giftcard(args)?,
            "customer" => self.attach_customer(args)?,
            "redeem" => self.redeem_points(args)?,
            "split" => self.show_split(args)?,
            "qris" => self.show_qris(args)?,
            "pay" => return self.pay(args),
            "offline" => self.show_offline()?,
            _ => self.scan(line)?,
        }
        if !self.sale_is_empty() {
            self.last_recorded = None;
        }
        Ok(Flow::Continue)
    }

    /// A line that is not a command: `CODE`, `N*CODE`, `N x CODE`, or `@K [N]`.
    fn scan(&mut self, line: &str) -> Result<(), CliError> {
        if let Some(rest) = line.strip_prefix('@') {
            let mut parts = rest.split_whitespace();
            let index: usize = parts
                .next()
                .and_then(|k| k.parse().ok())
                .filter(|k| *k >= 1)
                .ok_or_else(|| usage("@K [QUANTITY] with K a result of the last search"))?;
            let item = self
                .found
                .get(index - 1)
                .cloned()
                .ok_or_else(|| DomainError::not_found("search result", index.to_string()))?;
            return self.add(&item, parts.next());
        }
        let (quantity, code) = match line.split_once('*') {
            Some((q, c)) => (Some(q.trim()), c.trim()),
            None => match line.split_whitespace().collect::<Vec<_>>()[..] {
                [q, x, c] if x.eq_ignore_ascii_case("x") => (Some(q), c),
                [c] => (None, c),
                _ => {
                    return Err(CliError::Usage(format!(
                        "`{line}` is not a command or a code; type `help`"
                    )));
                }
            },
        };
        if quantity.is_none() {
            return self.scan_code(code);
        }
        let item = self.store.find_item(code).map_err(|e| match e {
            kasir_store::StoreError::NotFound { .. }
                if !code.bytes().all(|b| b.is_ascii_digit()) =>
            {
                CliError::Usage(format!(
                    "`{code}` is not a command, a barcode or a SKU; type `help`"
                ))
            }
            other => other.into(),
        })?;
        self.add(&item, quantity)
    }

    /// A code without a typed quantity goes through the scanner, like a camera read: GTINs in
    /// any form, scale labels, GS1 data, Digital Links, Kasir codes, SKUs.
    fn scan_code(&mut self, code: &str) -> Result<(), CliError> {
        let today = scan::today(self.store)?;
        let catalog = scan::StoreCatalog(self.store);
        match self.scanner.decide(&Read::typed(code), &catalog, today)? {
            ScanResult::AddProduct(add) if add.weight.is_none() && add.label_price.is_none() => {
                self.add(&add.item, None)
            }
            ScanResult::AddProduct(add) => self.add_scanned(&add),
            ScanResult::ShowReceipt { number } => {
                crate::app::receipt(self.store, &number, self.width, self.json).map(|_| ())
            }
            ScanResult::OpenGiftCard { number } => {
                let number = kasir_domain::giftcard::CardNumber::parse(&number)?;
                crate::giftcard_cmd::show_balance(self.store, &number, self.json).map(|_| ())
            }
            // A member card carries the customer's id: `KASIR:MEMBER:<id>`.
            ScanResult::LookUpCustomer { member } if uuid::Uuid::parse_str(&member).is_ok() => {
                self.attach_customer(&[member.as_str()])
            }
            other @ ScanResult::LookUpCustomer { .. } => {
                println!(
                    "{}: not a customer of this store (member cards carry the customer's id)",
                    scan::describe(self.store, &other)?
                );
                Ok(())
            }
            ScanResult::Rejected(Reason::UnknownProduct { code })
                if code.bytes().all(|b| b.is_ascii_digit()) =>
            {
                Err(kasir_store::StoreError::NotFound {
                    what: "product",
                    key: code,
                }
                .into())
            }
            ScanResult::Rejected(
                Reason::UnknownProduct { .. } | Reason::NotAProductCode { .. },
            ) => Err(CliError::Usage(format!(
                "`{code}` is not a command, a barcode or a SKU; type `help`"
            ))),
            // The detail names the field and the digit, as typed codes always have.
            ScanResult::Rejected(Reason::BadCheckDigit { detail, .. }) => {
                Err(CliError::Usage(detail))
            }
            ScanResult::Rejected(reason) => Err(CliError::Usage(reason.to_string())),
        }
    }

    /// Adds a scanned product whose code set its quantity or price (a scale label, GS1 data).
    fn add_scanned(&mut self, add: &AddProduct) -> Result<(), CliError> {
        self.editable()?;
        let item = add.priced_item();
        let number = self.cart.add(&item, add.quantity)?;
        let mut what = format!(
            "+ {} x {} @ {} (line {number}",
            add.quantity,
            item.name,
            money(&self.settings, item.price)
        );
        if let Some(weight) = add.weight {
            what.push_str(&format!(", {weight} kg"));
        }
        what.push(')');
        self.changed(&what)
    }

    fn add(&mut self, item: &Item, quantity: Option<&str>) -> Result<(), CliError> {
        self.editable()?;
        let quantity = match quantity {
            Some(q) => parse_quantity(q)?,
            None if item.unit == Unit::Kg => {
                return Err(DomainError::invalid(
                    "quantity",
                    format!(
                        "{} is sold by kg: give the weight, e.g. 0.750*{}",
                        item.name,
                        item.gtin.short_form()
                    ),
                )
                .into());
            }
            None => Decimal::ONE,
        };
        let number = self.cart.add(item, quantity)?;
        let line = self
            .cart
            .lines()
            .iter()
            .find(|l| l.number == number)
            .map(|l| l.quantity)
            .unwrap_or(quantity);
        self.changed(&format!(
            "+ {} x {} @ {} (line {number}, now {line})",
            quantity,
            item.name,
            money(&self.settings, item.price)
        ))
    }

    fn search(&mut self, text: &str) -> Result<(), CliError> {
        self.found = self.store.search_items(text, 10)?;
        if self.found.is_empty() {
            println!("No product matches `{text}`.");
        }
        for (i, item) in self.found.iter().enumerate() {
            println!(
                "@{:<2} {}  {}  {}",
                i + 1,
                pad_right(&item.name, 40),
                pad_left(&money(&self.settings, item.price), 9),
                item.gtin.short_form()
            );
        }
        Ok(())
    }

    fn editable(&self) -> Result<(), CliError> {
        if let Some(payment) = &self.payment {
            return Err(DomainError::not_allowed(format!(
                "payment has started: pay the {} still due, or `void sale`",
                money(&self.settings, payment.remaining())
            ))
            .into());
        }
        Ok(())
    }

    /// Why a payment cannot be taken on an empty sale: right after a sale was recorded (by a
    /// gift card that settled it, say), that it is already paid and the next item starts a
    /// new sale; otherwise that the sale has no items.
    fn no_items(&self) -> CliError {
        match &self.last_recorded {
            Some(number) => DomainError::not_allowed(format!(
                "sale {number} is already paid and recorded; the next item starts a new sale"
            ))
            .into(),
            None => DomainError::not_allowed("the sale has no items").into(),
        }
    }

    /// After a change: the full cart at a terminal, one line in a script.
    fn changed(&self, what: &str) -> Result<(), CliError> {
        let totals = self.cart.totals(&self.settings.tax)?;
        if self.json {
            return Ok(());
        }
        if self.interactive {
            self.show_cart()
        } else {
            println!("{what}; total {}", money(&self.settings, totals.total));
            Ok(())
        }
    }

    fn show_cart(&self) -> Result<(), CliError> {
        if self.json {
            return Ok(());
        }
        let totals = self.cart.totals(&self.settings.tax)?;
        let w = self.width;
        let m = |a| money(&self.settings, a);
        println!("{}", "-".repeat(w));
        for line in self.cart.lines() {
            let amounts = totals.lines.iter().find(|t| t.number == line.number);
            let label = format!("{:>2} {}", line.number, line.name);
            match amounts {
                None => println!("{}", two_columns(&label, "VOID", w)),
                Some(a) => {
                    println!("{}", two_columns(&label, &m(a.amount), w));
                    let detail = format!("     {} x {}", line.quantity, m(line.unit_price));
                    let discount = a.line_discount + a.order_discount;
                    if discount.is_zero() {
                        println!("{detail}");
                    } else {
                        println!(
                            "{}",
                            two_columns(&detail, &format!("(-{})", m(discount)), w)
                        );
                    }
                }
            }
        }
        println!("{}", "-".repeat(w));
        if !totals.discount_total.is_zero() {
            println!(
                "{}",
                two_columns("Discounts", &m(-totals.discount_total), w)
            );
        }
        for c in &totals.charges {
            let label = if c.kind == ChargeKind::Tip {
                "Tip"
            } else {
                "Service charge"
            };
            println!("{}", two_columns(label, &m(c.amount), w));
        }
        for t in &totals.taxes {
            println!("{}", two_columns(&t.label, &m(t.tax), w));
        }
        println!(
            "{}",
            two_columns("TOTAL", &money_with_symbol(&self.settings, totals.total), w)
        );
        if let Some(p) = &self.payment {
            println!("{}", two_columns("Still due", &m(p.remaining()), w));
        }
        Ok(())
    }

    /// Warns about card and QR payments that a discarded sale leaves to reverse, and gives
    /// gift card payments back onto their cards.
    fn warn_taken_payments(&mut self) {
        if let Some(p) = &self.payment {
            for t in p.tenders() {
                let what = match t.method {
                    TenderMethod::Cash => "give back the cash",
                    TenderMethod::GiftCard { .. } => "it goes back onto the card",
                    _ => "reverse it on the terminal",
                };
                eprintln!(
                    "warning: a {} payment of {} was taken; {what}",
                    t.method.name(),
                    money(&self.settings, t.amount)
                );
            }
        }
        self.drop_gift_tenders();
    }

    fn void_payments(&mut self) -> Result<(), CliError> {
        if self.payment.is_none() {
            return Err(DomainError::not_allowed("no payment has been taken").into());
        }
        self.warn_taken_payments();
        self.payment = None;
        self.changed("payments removed; the sale can be changed again")
    }

    fn void_sale(&mut self) -> Result<(), CliError> {
        if self.sale_is_empty() && self.payment.is_none() {
            return Err(DomainError::not_allowed("there is no open sale").into());
        }
        self.warn_taken_payments();
        self.cart = Cart::new(self.settings.currency);
        self.payment = None;
        self.last_recorded = None;
        self.clear_pending();
        if !self.json {
            println!("Sale voided; nothing was recorded.");
        }
        Ok(())
    }

    fn pay(&mut self, args: &[&str]) -> Result<Flow, CliError> {
        let Some((method, rest)) = args.split_first() else {
            return Err(usage("pay cash|card|reader|qr [AMOUNT] [key=value...]"));
        };
        if method.eq_ignore_ascii_case("reader") {
            return self.pay_by_reader(rest);
        }
        if method.eq_ignore_ascii_case("qris") {
            return self.pay_qris(rest);
        }
        if method.eq_ignore_ascii_case("gift") || method.eq_ignore_ascii_case("giftcard") {
            return self.pay_gift(rest);
        }
        if self.sale_is_empty() {
            return Err(self.no_items());
        }
        let mut amount: Option<Decimal> = None;
        let mut fields: Vec<(String, String)> = Vec::new();
        for word in rest {
            match word.split_once('=') {
                Some((k, v)) => fields.push((k.to_ascii_lowercase(), v.to_string())),
                None if amount.is_none() => {
                    amount = Some(self.settings.currency.parse_amount("amount", word)?)
                }
                None => return Err(usage("pay METHOD [AMOUNT] [key=value...]")),
            }
        }
        let field = |name: &str| {
            fields
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let known: &[&str] = match method.to_ascii_lowercase().as_str() {
            "cash" => &[],
            "card" => &["approval", "last4", "brand"],
            "qr" => &["ref"],
            other => {
                return Err(CliError::Usage(format!(
                    "`{other}` is not a tender: cash, card, qr or gift"
                )));
            }
        };
        if let Some((k, _)) = fields.iter().find(|(k, _)| !known.contains(&k.as_str())) {
            return Err(CliError::Usage(format!(
                "`{k}=` is not a field of a {method} tender"
            )));
        }
        let tender = match method.to_ascii_lowercase().as_str() {
            "cash" => TenderMethod::Cash,
            "card" => TenderMethod::card(
                field("approval").ok_or_else(|| {
                    usage("pay card [AMOUNT] approval=CODE last4=NNNN [brand=VISA]")
                })?,
                field("last4").ok_or_else(|| {
                    usage("pay card [AMOUNT] approval=CODE last4=NNNN [brand=VISA]")
                })?,
                field("brand").unwrap_or("CARD"),
            )?,
            _ => TenderMethod::qr(
                field("ref").ok_or_else(|| usage("pay qr [AMOUNT] ref=REFERENCE"))?,
            )?,
        };

        let total = self.sale_total()?;
        let mut payment = self.payment.clone().unwrap_or_else(|| {
            Payment::new(self.settings.currency, total, self.settings.cash_rounding)
        });
        if payment.is_paid() {
            // A sale discounted to nothing is completed without a tender.
            if amount.is_some_and(|a| !a.is_zero()) {
                return Err(DomainError::not_allowed(
                    "nothing is due: `pay` without an amount records the sale",
                )
                .into());
            }
            return self.complete(payment);
        }
        let amount = match amount {
            Some(a) => a,
            None if matches!(tender, TenderMethod::Cash) => payment.cash_due(),
            None => payment.remaining(),
        };
        if !matches!(tender, TenderMethod::Cash) && amount > payment.remaining() {
            return Err(DomainError::invalid(
                "amount",
                format!(
                    "a {} payment of {} is more than the {} still due; only cash makes change",
                    tender.name(),
                    money(&self.settings, amount),
                    money(&self.settings, payment.remaining())
                ),
            )
            .into());
        }
        let recorded = payment.add(tender, amount)?.clone();
        if !self.json && !payment.is_paid() {
            println!(
                "{} {} received; {} still due",
                recorded.method.name(),
                money(&self.settings, recorded.amount),
                money(&self.settings, payment.remaining())
            );
        }
        if !payment.is_paid() {
            self.payment = Some(payment);
            return Ok(Flow::Continue);
        }
        self.complete(payment)
    }

    /// Stores the paid sale, prints its receipt and starts a new one.
    fn complete(&mut self, payment: Payment) -> Result<Flow, CliError> {
        let zone = self.settings.time_zone()?;
        let now = jiff::Timestamp::now();
        let context = SaleContext {
            id: self.next_sale_id(),
            device_id: self.store.device()?.id.clone(),
            completed_at: now,
            business_date: now.to_zoned_datetime(zone).date(),
        };
        let sale = Sale::complete_with_gift_cards(
            context,
            &self.cart,
            &self.settings.tax,
            &payment,
            &self.pending.cards,
        )?;
        let sale = self.with_staff(sale);
        let sale = self.commit(sale)?;
        self.confirm_qr(&sale)?;
        let points = self.points_lines(&sale)?;
        self.clear_pending();
        self.cart = Cart::new(self.settings.currency);
        self.payment = None;
        self.last_recorded = Some(sale.receipt_number.clone());

        if self.json {
            println!(
                "{}",
                serde_json::to_string(&sale).map_err(std::io::Error::other)?
            );
        } else {
            print!("{}", receipt::render(self.store, &sale, self.width)?);
            for line in &points {
                println!("{line}");
            }
            if !sale.change.is_zero() {
                println!("Change: {}", money_with_symbol(&self.settings, sale.change));
            }
            println!("Sale {} recorded.", sale.receipt_number);
        }
        Ok(Flow::Continue)
    }
}

fn usage(text: &str) -> CliError {
    CliError::Usage(format!("usage: {text}"))
}

fn parse_line(text: &str) -> Result<u32, CliError> {
    text.parse::<u32>().ok().filter(|n| *n > 0).ok_or_else(|| {
        DomainError::invalid("line", format!("`{text}` is not a line number")).into()
    })
}

fn parse_quantity(text: &str) -> Result<Decimal, CliError> {
    let valid = !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && text.bytes().filter(|b| *b == b'.').count() <= 1;
    let quantity = valid
        .then(|| text.parse::<Decimal>().ok())
        .flatten()
        .ok_or_else(|| DomainError::invalid("quantity", format!("`{text}` is not a quantity")))?;
    Ok(quantity)
}
