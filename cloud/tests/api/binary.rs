//! The real `kasir-cloud` binary: the operator creates a merchant, `serve` listens on the port
//! it prints, and the owner token it gave opens a store.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_kasir-cloud");

/// One HTTP/1.1 request on a fresh connection; returns the status line and the body.
fn http(address: &str, request: &str) -> (String, String) {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let status = answer.lines().next().unwrap_or("").to_string();
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn merchant_create_then_serve_then_open_a_store() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("cloud.db").display());
    let created = Command::new(BIN)
        .args([
            "--database",
            &database,
            "merchant",
            "create",
            "Warung Sari",
            "--json",
        ])
        .env("KASIR_CLOUD_LOG", "warn")
        .output()
        .unwrap();
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let merchant: serde_json::Value = serde_json::from_slice(&created.stdout).unwrap();
    let token = merchant["owner_token"].as_str().unwrap().to_string();
    assert!(token.starts_with("kco_"));

    let mut server = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--database", &database])
        .env("KASIR_CLOUD_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let address = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("{line}"))
        .to_string();

    let (health, body) = http(
        &address,
        "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    let store = r#"{"name":"Warung Sari"}"#;
    let (created, store_body) = http(
        &address,
        &format!(
            "POST /v1/owner/stores HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\
             kasir-protocol: 1\r\nAuthorization: Bearer {token}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{store}",
            store.len()
        ),
    );
    server.kill().unwrap();
    server.wait().unwrap();

    assert_eq!(health, "HTTP/1.1 200 OK");
    assert!(body.contains(r#""status":"ok""#), "{body}");
    assert_eq!(created, "HTTP/1.1 201 Created", "{store_body}");
    assert!(
        store_body.contains(r#""timezone":"Asia/Jakarta""#),
        "{store_body}"
    );
}

#[test]
fn an_unsupported_database_url_is_refused_by_name() {
    let output = Command::new(BIN)
        .args(["--database", "mysql://localhost/kasir", "migrate"])
        .output()
        .unwrap();

    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("unsupported database URL `mysql://localhost/kasir`"),
        "{stderr}"
    );
}
