//! Network printing against a local TCP listener standing in for a port-9100 printer.

use std::time::Duration;

use kasir_devices::DeviceError;
use kasir_devices::tcp::{TcpPrinter, TcpTimeouts};
use kasir_devices::transport::Transport;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

#[tokio::test]
async fn job_arrives_whole_and_the_connection_is_closed() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bound");
    let port = listener.local_addr().expect("address").port();
    let printer = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("accepted");
        let mut received = Vec::new();
        socket.read_to_end(&mut received).await.expect("read");
        received
    });
    let job: Vec<u8> = (0..20_000u32).map(|i| (i % 256) as u8).collect();

    TcpPrinter::new("127.0.0.1", port)
        .send(&job)
        .await
        .expect("sent");

    // The printer did not answer `DLE EOT 2`, so the job followed it.
    let received = printer.await.expect("printer task");
    assert_eq!(received[..3], [0x10, 0x04, 0x02]);
    assert_eq!(received[3..], job);
}

#[tokio::test]
async fn nobody_listening_is_a_connect_error_naming_the_printer() {
    // Bind and drop to find a port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bound")
        .local_addr()
        .expect("address")
        .port();

    let e = TcpPrinter::new("127.0.0.1", port)
        .send(b"x")
        .await
        .expect_err("refused");

    assert!(matches!(e, DeviceError::Connect { .. }), "{e}");
    assert!(
        e.to_string().contains(&format!("tcp:127.0.0.1:{port}")),
        "{e}"
    );
    assert!(!e.is_uncertain());
}

#[tokio::test]
async fn printer_that_stops_reading_is_uncertain_after_the_write_timeout() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bound");
    let port = listener.local_addr().expect("address").port();
    // Accepts and never reads, like a printer out of paper with a full buffer.
    let holder = tokio::spawn(async move {
        let (socket, _) = listener.accept().await.expect("accepted");
        tokio::time::sleep(Duration::from_secs(5)).await;
        drop(socket);
    });
    let timeouts = TcpTimeouts {
        write: Duration::from_millis(300),
        ask_status: false,
        ..TcpTimeouts::default()
    };
    let job = vec![0u8; 64 * 1024 * 1024];

    let e = TcpPrinter::new("127.0.0.1", port)
        .with_timeouts(timeouts)
        .send(&job)
        .await
        .expect_err("stalled");

    assert!(e.is_uncertain(), "{e}");
    holder.abort();
}

#[tokio::test]
async fn status_answers_report_paper_out() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bound");
    let port = listener.local_addr().expect("address").port();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("accepted");
        let mut request = [0u8; 3];
        for answer in [0x32u8, 0x72] {
            socket.read_exact(&mut request).await.expect("request");
            assert_eq!(request[..2], [0x10, 0x04]);
            socket.write_all(&[answer]).await.expect("answer");
        }
    });

    let status = TcpPrinter::new("127.0.0.1", port)
        .status()
        .await
        .expect("asked")
        .expect("answered");

    assert!(status.paper_out);
    assert!(matches!(status.ready(), Err(DeviceError::PaperOut)));
}

#[tokio::test]
async fn printer_that_does_not_answer_status_is_unknown_not_fine() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bound");
    let port = listener.local_addr().expect("address").port();
    tokio::spawn(async move {
        let (socket, _) = listener.accept().await.expect("accepted");
        tokio::time::sleep(Duration::from_secs(3)).await;
        drop(socket);
    });
    let timeouts = TcpTimeouts {
        status: Duration::from_millis(100),
        ..TcpTimeouts::default()
    };

    let status = TcpPrinter::new("127.0.0.1", port)
        .with_timeouts(timeouts)
        .status()
        .await
        .expect("asked");

    assert_eq!(status, None);
}

#[tokio::test]
async fn paper_out_answer_fails_the_job_before_any_of_it_is_sent() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bound");
    let port = listener.local_addr().expect("address").port();
    let printer = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("accepted");
        let mut request = [0u8; 3];
        for answer in [0x32u8, 0x72] {
            socket.read_exact(&mut request).await.expect("request");
            socket.write_all(&[answer]).await.expect("answer");
        }
        let mut rest = Vec::new();
        socket.read_to_end(&mut rest).await.expect("read");
        rest
    });

    let e = TcpPrinter::new("127.0.0.1", port)
        .send(b"\x1b@receipt")
        .await
        .expect_err("paper out");

    assert!(matches!(e, DeviceError::PaperOut), "{e}");
    assert!(printer.await.expect("printer task").is_empty());
}

#[tokio::test]
async fn silent_printer_gets_one_status_request_then_the_job_on_the_same_connection() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bound");
    let port = listener.local_addr().expect("address").port();
    let printer = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("accepted");
        let mut received = Vec::new();
        socket.read_to_end(&mut received).await.expect("read");
        received
    });

    TcpPrinter::new("127.0.0.1", port)
        .send(b"\x1b@receipt")
        .await
        .expect("sent");

    assert_eq!(
        printer.await.expect("printer task"),
        b"\x10\x04\x02\x1b@receipt"
    );
}
