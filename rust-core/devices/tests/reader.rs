//! Card payments through the simulated reader over the reference adapter: approve, decline,
//! cancel, refund, tips, and no card number anywhere past the adapter.

use std::time::Duration;

use kasir_devices::ble::sim::{SimConfig, SimPeripheral};
use kasir_devices::reader::reference::{ReferenceReader, SIM_PAN, SimCard, SimulatedReader};
use kasir_devices::reader::{
    CardReader, Outcome, PaymentRequest, Prompt, ReaderEvent, ReaderState, RefundRequest,
    take_payment,
};
use kasir_domain::money::Currency;
use rust_decimal_macros::dec;

fn reader(
    card: SimCard,
    mtu: u16,
) -> (
    SimPeripheral<SimulatedReader>,
    ReferenceReader<impl kasir_devices::ble::BleLink>,
) {
    let mut device = SimulatedReader::default();
    device.card = card;
    let sim = SimPeripheral::new(
        device,
        SimConfig {
            mtu,
            address: "SIM-READER".into(),
            ..SimConfig::default()
        },
    );
    let reader = ReferenceReader::new(sim.link(), "SIM-READER");
    (sim, reader)
}

fn request(amount: rust_decimal::Decimal) -> PaymentRequest {
    PaymentRequest {
        amount,
        currency: Currency::IDR,
        tip_percents: Vec::new(),
        reference: "D01-000001".into(),
    }
}

const WAIT: Duration = Duration::from_secs(5);

#[tokio::test(start_paused = true)]
async fn connect_reads_state_and_battery() {
    let (_sim, mut reader) = reader(SimCard::Approve, 23);

    let info = reader.connect().await.expect("connected");

    assert_eq!(info.state, ReaderState::Idle);
    assert_eq!(info.battery_percent, 87);
}

#[tokio::test(start_paused = true)]
async fn approved_payment_gives_code_brand_and_last_four_and_follows_the_prompts() {
    let (sim, mut reader) = reader(SimCard::Approve, 23);
    sim.with_device(|r| r.pin = true);
    reader.connect().await.expect("connected");
    let mut prompts = Vec::new();

    let result = take_payment(&mut reader, &request(dec!(35000)), WAIT, |p| {
        prompts.push(p)
    })
    .await
    .expect("finished");

    assert_eq!(result.outcome, Outcome::Approved);
    assert_eq!(result.approval_code.as_deref(), Some("A00001"));
    assert_eq!(result.brand.as_deref(), Some("VISA"));
    assert_eq!(result.last_four.as_deref(), Some("1111"));
    assert_eq!(
        prompts,
        [
            Prompt::PresentCard,
            Prompt::EnterPin,
            Prompt::Processing,
            Prompt::RemoveCard
        ]
    );
    // The reader was asked for exactly Rp 35,000.
    assert_eq!(
        sim.with_device(|r| r.payments.clone()),
        vec![(35000, "IDR".to_string())]
    );
    // 9F02 carries the amount as 12 BCD digits: 000000035000.
    assert_eq!(
        result.emv.bytes(0x9F02),
        Some(&[0, 0, 0, 0x03, 0x50, 0x00][..])
    );
}

#[tokio::test(start_paused = true)]
async fn card_number_from_the_reader_is_nowhere_in_the_result() {
    let (_sim, mut reader) = reader(SimCard::Approve, 185);
    reader.connect().await.expect("connected");

    let result = take_payment(&mut reader, &request(dec!(1000)), WAIT, |_| {})
        .await
        .expect("finished");

    assert!(result.emv.redacted.contains(&0x5A) && result.emv.redacted.contains(&0x57));
    let everything = format!("{result:?} {}", result.emv);
    assert!(!everything.contains(SIM_PAN), "{everything}");
    assert!(!everything.contains("41111111"), "{everything}");
    assert!(!everything.contains("CARDHOLDER"), "{everything}");
    let kept = result.emv.to_bytes();
    assert!(
        !kept
            .windows(8)
            .any(|w| w == [0x41, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11])
    );
}

#[tokio::test(start_paused = true)]
async fn declined_payment_says_why_and_has_no_approval_code() {
    let (_sim, mut reader) = reader(SimCard::Decline, 23);
    reader.connect().await.expect("connected");

    let result = take_payment(&mut reader, &request(dec!(1000)), WAIT, |_| {})
        .await
        .expect("finished");

    assert_eq!(result.outcome, Outcome::Declined);
    assert_eq!(result.approval_code, None);
    assert_eq!(result.message.as_deref(), Some("DO NOT HONOUR"));
}

#[tokio::test(start_paused = true)]
async fn payment_waiting_for_a_card_can_be_cancelled() {
    let (_sim, mut reader) = reader(SimCard::NeverPresented, 23);
    reader.connect().await.expect("connected");
    reader
        .start_payment(&request(dec!(1000)))
        .await
        .expect("started");
    assert_eq!(
        reader.next_event(WAIT).await.expect("event"),
        Some(ReaderEvent::Prompt(Prompt::PresentCard))
    );
    assert_eq!(reader.info().await.expect("info").state, ReaderState::Busy);

    reader.cancel().await.expect("cancel sent");
    let Some(ReaderEvent::Finished(result)) = reader.next_event(WAIT).await.expect("event") else {
        panic!("a result expected");
    };

    assert_eq!(result.outcome, Outcome::Cancelled);
    assert_eq!(reader.info().await.expect("info").state, ReaderState::Idle);
}

#[tokio::test(start_paused = true)]
async fn silent_reader_times_out_and_is_asked_to_cancel() {
    let (_sim, mut reader) = reader(SimCard::NeverPresented, 23);
    reader.connect().await.expect("connected");

    let e = take_payment(&mut reader, &request(dec!(1000)), WAIT, |_| {})
        .await
        .expect_err("no card came");

    assert!(e.to_string().contains("waiting for the payment"), "{e}");
}

#[tokio::test(start_paused = true)]
async fn tip_chosen_on_the_reader_comes_back_in_the_result() {
    let (sim, mut reader) = reader(SimCard::Approve, 23);
    sim.with_device(|r| r.tip_choice = Some(1));
    reader.connect().await.expect("connected");
    let mut request = request(dec!(120000));
    request.tip_percents = vec![5, 10, 15];
    let mut prompts = Vec::new();

    let result = take_payment(&mut reader, &request, WAIT, |p| prompts.push(p))
        .await
        .expect("finished");

    // 10% of Rp 120,000.
    assert_eq!(result.tip, dec!(12000));
    assert!(prompts.contains(&Prompt::ChooseTip));
}

#[tokio::test(start_paused = true)]
async fn refund_is_approved_with_its_own_code() {
    let (sim, mut reader) = reader(SimCard::Approve, 23);
    reader.connect().await.expect("connected");

    let result = reader
        .refund(&RefundRequest {
            amount: dec!(12.50),
            currency: Currency::USD,
            approval_code: "A00001".into(),
        })
        .await
        .expect("refunded");

    assert_eq!(result.outcome, Outcome::Approved);
    assert!(result.approval_code.is_some());
    assert_eq!(
        sim.with_device(|r| r.refunds.clone()),
        vec![(1250, "A00001".to_string())]
    );
}

#[tokio::test(start_paused = true)]
async fn offline_approval_is_reported_as_such() {
    let (_sim, mut reader) = reader(SimCard::ApproveOffline, 23);
    reader.connect().await.expect("connected");

    let result = take_payment(&mut reader, &request(dec!(1000)), WAIT, |_| {})
        .await
        .expect("finished");

    assert_eq!(result.outcome, Outcome::ApprovedOffline);
}

#[tokio::test(start_paused = true)]
async fn bad_amount_is_refused_before_anything_reaches_the_reader() {
    let (sim, mut reader) = reader(SimCard::Approve, 23);
    reader.connect().await.expect("connected");

    let e = reader
        .start_payment(&request(dec!(10.5)))
        .await
        .expect_err("IDR has no cents");

    assert!(e.to_string().starts_with("amount"), "{e}");
    assert!(sim.with_device(|r| r.payments.is_empty()));
}
