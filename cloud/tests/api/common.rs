//! The harness: a kasir-cloud router over a fresh database (SQLite in a temporary folder, or a
//! new PostgreSQL database when `KASIR_TEST_POSTGRES_URL` is set), called in process; and
//! sales made with the real domain code, as a device would make them.

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use jiff::Timestamp;
use jiff::civil::Date;
use kasir_cloud::{Db, accounts, router};
use kasir_domain::cart::Cart;
use kasir_domain::catalog::{Item, Unit};
use kasir_domain::gtin::Gtin;
use kasir_domain::money::Currency;
use kasir_domain::payment::{Payment, TenderMethod};
use kasir_domain::sale::{Sale, SaleContext};
use kasir_domain::tax::TaxRules;
use kasir_sync::protocol::{Event, PROTOCOL_VERSION, VERSION_HEADER};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use tower::ServiceExt;
use uuid::Uuid;

/// Runs each scenario `async fn NAME(cloud: &Cloud)` twice, as the tests `NAME::sqlite` and
/// `NAME::postgres`. The PostgreSQL run passes without checking anything when
/// `KASIR_TEST_POSTGRES_URL` is unset (it says so on stderr); `scripts/test.sh` and CI always
/// set it.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let cloud = $crate::common::Cloud::sqlite().await;
                    super::$name(&cloud).await;
                    cloud.finish().await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    let Some(cloud) = $crate::common::Cloud::postgres().await else {
                        eprintln!("KASIR_TEST_POSTGRES_URL is not set: PostgreSQL not tested");
                        return;
                    };
                    super::$name(&cloud).await;
                    cloud.finish().await;
                }
            }
        )*
    };
}

/// An answer: status and JSON body (`Value::Null` when the body was empty, a string when it was
/// not JSON).
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: StatusCode,
    pub body: Value,
    pub version_header: Option<String>,
}

impl Reply {
    /// The ErrorBody's code.
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }

    /// The ErrorBody's message.
    pub fn message(&self) -> &str {
        self.body["message"].as_str().unwrap_or("")
    }

    /// Asserts the status, showing the body when it differs.
    #[track_caller]
    pub fn expect(&self, status: StatusCode) -> &Self {
        assert_eq!(self.status, status, "unexpected answer: {}", self.body);
        self
    }

    /// The statuses of a push's results, in order.
    pub fn statuses(&self) -> Vec<String> {
        self.body["results"]
            .as_array()
            .unwrap_or_else(|| panic!("not a push answer: {}", self.body))
            .iter()
            .map(|r| r["status"].as_str().unwrap().to_string())
            .collect()
    }
}

/// A device enrolled in a store.
#[derive(Debug, Clone)]
pub struct Till {
    pub device_id: Uuid,
    pub code: String,
    pub token: String,
}

/// A merchant with one store.
#[derive(Debug, Clone)]
pub struct Shop {
    pub merchant_id: Uuid,
    pub owner: String,
    pub store_id: Uuid,
}

/// A server over its own fresh database.
pub struct Cloud {
    pub db: Db,
    router: Router,
    _dir: Option<tempfile::TempDir>,
    postgres: Option<(String, String)>,
}

impl Cloud {
    /// Over a new SQLite file.
    pub async fn sqlite() -> Cloud {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("cloud.db").display());
        let db = Db::connect(&url).await.unwrap();
        Cloud {
            router: router(db.clone()),
            db,
            _dir: Some(dir),
            postgres: None,
        }
    }

    /// Over a new database on the PostgreSQL server of `KASIR_TEST_POSTGRES_URL`.
    pub async fn postgres() -> Option<Cloud> {
        let admin = std::env::var("KASIR_TEST_POSTGRES_URL").ok()?;
        let name = format!("kasir_test_{}", Uuid::now_v7().simple());
        sqlx::any::install_default_drivers();
        let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin)
            .await
            .unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut conn)
            .await
            .unwrap();
        sqlx::Connection::close(conn).await.unwrap();
        let (base, query) = admin.split_once('?').unwrap_or((&admin, ""));
        let cut = base
            .rfind('/')
            .filter(|&i| i > "postgres://".len())
            .unwrap_or(base.len());
        let mut url = format!("{}/{name}", &base[..cut]);
        if !query.is_empty() {
            url = format!("{url}?{query}");
        }
        let db = Db::connect(&url).await.unwrap();
        Some(Cloud {
            router: router(db.clone()),
            db,
            _dir: None,
            postgres: Some((admin, name)),
        })
    }

    /// Closes the database (and drops a PostgreSQL test database).
    pub async fn finish(self) {
        self.db.close().await;
        if let Some((admin, name)) = self.postgres {
            let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin)
                .await
                .unwrap();
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name}"
            )))
            .execute(&mut conn)
            .await
            .unwrap();
        }
    }

    /// Sends a request as it is.
    pub async fn send(&self, request: Request<Body>) -> Reply {
        send_to(self.router.clone(), request).await
    }

    /// Sends every request on its own task, all at once, and returns the answers in order.
    pub async fn send_concurrently(&self, requests: Vec<Request<Body>>) -> Vec<Reply> {
        let tasks: Vec<_> = requests
            .into_iter()
            .map(|r| tokio::spawn(send_to(self.router.clone(), r)))
            .collect();
        let mut replies = Vec::new();
        for task in tasks {
            replies.push(task.await.unwrap());
        }
        replies
    }

    /// A push request of `events` as `till`.
    pub fn push_request(till: &Till, events: &[Event]) -> Request<Body> {
        let body = json!({ "device_id": till.device_id, "events": events });
        Cloud::request(Method::POST, "/v1/events", Some(&till.token), Some(&body))
    }

    /// A request with the protocol header, the token if any, and the JSON body if any.
    pub fn request(
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Request<Body> {
        let mut builder = Request::builder()
            .method(method)
            .uri(path)
            .header(VERSION_HEADER, PROTOCOL_VERSION.to_string());
        if let Some(token) = token {
            builder = builder.header("authorization", format!("Bearer {token}"));
        }
        match body {
            Some(body) => builder
                .header("content-type", "application/json")
                .body(Body::from(body.to_string()))
                .unwrap(),
            None => builder.body(Body::empty()).unwrap(),
        }
    }

    /// Sends a request made by [`Cloud::request`].
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Reply {
        self.send(Cloud::request(method, path, token, body)).await
    }

    /// A merchant account with one store.
    pub async fn shop(&self, name: &str) -> Shop {
        let merchant = accounts::create_merchant(&self.db, name).await.unwrap();
        let store = self
            .call(
                Method::POST,
                "/v1/owner/stores",
                Some(&merchant.owner_token),
                Some(&json!({ "name": name })),
            )
            .await;
        store.expect(StatusCode::CREATED);
        Shop {
            merchant_id: merchant.merchant_id,
            owner: merchant.owner_token,
            store_id: store.body["store_id"].as_str().unwrap().parse().unwrap(),
        }
    }

    /// A fresh one-time enrolment code for the shop's store.
    pub async fn code(&self, shop: &Shop) -> String {
        let reply = self
            .call(
                Method::POST,
                &format!("/v1/owner/stores/{}/enrolments", shop.store_id),
                Some(&shop.owner),
                Some(&json!({})),
            )
            .await;
        reply.expect(StatusCode::CREATED);
        reply.body["code"].as_str().unwrap().to_string()
    }

    /// A new device enrolled in the shop's store.
    pub async fn till(&self, shop: &Shop, device_code: &str) -> Till {
        let code = self.code(shop).await;
        let device_id = Uuid::now_v7();
        let reply = self
            .call(
                Method::POST,
                "/v1/enrol",
                None,
                Some(&json!({ "code": code, "device_id": device_id, "device_code": device_code })),
            )
            .await;
        reply.expect(StatusCode::OK);
        Till {
            device_id,
            code: device_code.to_string(),
            token: reply.body["token"].as_str().unwrap().to_string(),
        }
    }

    /// Pushes `events` as `till`.
    pub async fn push(&self, till: &Till, events: &[Event]) -> Reply {
        let body = json!({ "device_id": till.device_id, "events": events });
        self.call(Method::POST, "/v1/events", Some(&till.token), Some(&body))
            .await
    }

    /// The number of rows in `table`.
    pub async fn count(&self, table: &str) -> i64 {
        use sqlx::Row;
        sqlx::query(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {table}")))
            .fetch_one(self.db.pool())
            .await
            .unwrap()
            .try_get(0)
            .unwrap()
    }

    /// Asserts that no event and nothing derived from one is stored.
    pub async fn assert_nothing_stored(&self) {
        for table in [
            "events",
            "sales",
            "sale_lines",
            "sale_taxes",
            "sale_tenders",
            "stock_moves",
        ] {
            assert_eq!(self.count(table).await, 0, "{table} should be empty");
        }
    }
}

/// A catalog item as the owner sends it, sold each.
pub fn catalog_item(gtin: &str, name: &str, price: &str, tax_category: &str) -> Value {
    json!({
        "gtin": gtin,
        "name": name,
        "price": price,
        "tax_category": tax_category,
        "unit": "each",
    })
}

/// `item` with `field` set to `value`.
pub fn with(mut item: Value, field: &str, value: &str) -> Value {
    item[field] = json!(value);
    item
}

/// An item of the sample catalog: `gtin`, its price in rupiah, its tax category.
pub fn item(gtin: &str, price: i64, tax_category: &str) -> Item {
    Item {
        gtin: Gtin::parse(gtin).unwrap(),
        sku: None,
        name: format!("Item {gtin}"),
        price: Decimal::from(price),
        tax_category: tax_category.into(),
        unit: Unit::Each,
        category: None,
        stock: Decimal::from(100),
    }
}

/// Kecap Manis: Rp 11.100 with PPN (12% of 11/12 of the net, so 11% on top: 10.000 + 1.100).
pub const KECAP: &str = "8990121011028";
/// Mie Sedaap: Rp 5.000, PPN-exempt.
pub const MIE: &str = "8998866200837";
/// Indomie Goreng: Rp 3.500 with PPN.
pub const INDOMIE: &str = "8992388101016";

/// The catalog the tests sell from.
pub fn catalog(gtin: &str) -> Item {
    match gtin {
        KECAP => item(KECAP, 11_100, "ppn"),
        MIE => item(MIE, 5_000, "exempt"),
        INDOMIE => item(INDOMIE, 3_500, "ppn"),
        other => panic!("no test item {other}"),
    }
}

/// How a sale is paid.
#[derive(Debug, Clone, Copy)]
pub enum Pay {
    /// Cash of this many rupiah.
    Cash(i64),
    /// A card for the exact total.
    Card,
}

/// A sale made on `till` on `day`: `lines` of (GTIN, quantity), in rupiah, Indonesian PPN.
pub fn sale(till: &Till, day: Date, lines: &[(&str, i64)], pay: Pay) -> Sale {
    let rules = TaxRules::indonesia_retail();
    let mut cart = Cart::new(Currency::IDR);
    for (gtin, quantity) in lines {
        cart.add(&catalog(gtin), Decimal::from(*quantity)).unwrap();
    }
    let total = cart.totals(&rules).unwrap().total;
    let mut payment = Payment::new(Currency::IDR, total, None);
    match pay {
        Pay::Cash(amount) => payment
            .add(TenderMethod::Cash, Decimal::from(amount))
            .unwrap(),
        Pay::Card => payment
            .add(TenderMethod::card("A1B2C3", "1234", "visa").unwrap(), total)
            .unwrap(),
    };
    let completed_at: Timestamp = format!("{day}T03:00:00Z").parse().unwrap();
    let context = SaleContext {
        id: Uuid::now_v7(),
        device_id: till.device_id.to_string(),
        completed_at,
        business_date: day,
    };
    let mut sale = Sale::complete(context, &cart, &rules, &payment).unwrap();
    sale.receipt_number = format!("{}-{:06}", till.code, 1);
    sale
}

/// The `SaleCompleted` event of `sale`, number `seq` of its device.
pub fn event(sale: &Sale, seq: i64) -> Event {
    Event {
        id: Uuid::now_v7(),
        seq,
        kind: "SaleCompleted".into(),
        occurred_at: sale.completed_at,
        payload: serde_json::to_value(sale).unwrap(),
    }
}

/// A day in March 2026.
pub fn march(day: i8) -> Date {
    Date::new(2026, 3, day).unwrap()
}

/// `n` sales of one Indomie each on `till`, as events numbered from `first_seq`.
pub fn indomie_events(till: &Till, n: usize, first_seq: i64) -> Vec<Event> {
    (0..n)
        .map(|i| {
            let sale = sale(till, march(3), &[(INDOMIE, 1)], Pay::Cash(5_000));
            event(&sale, first_seq + i64::try_from(i).unwrap())
        })
        .collect()
}

/// Sends `request` to `router`.
pub async fn send_to(router: Router, request: Request<Body>) -> Reply {
    let response = router.oneshot(request).await.unwrap();
    let status = response.status();
    let version_header = response
        .headers()
        .get(VERSION_HEADER)
        .map(|v| v.to_str().unwrap().to_string());
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()))
    };
    Reply {
        status,
        body,
        version_header,
    }
}
