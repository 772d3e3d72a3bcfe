#![allow(clippy::unwrap_used, clippy::expect_used)]
//! kasir-cloud's API tests, each run against SQLite and against PostgreSQL.

mod common;

mod accounts;
mod bad_input;
mod binary;
mod erasure;
mod giftcards;
mod loyalty;
mod openapi;
mod pull;
mod push;
mod qris;
mod receipts;
mod refunds;
mod reports;
