//! Staff and their PINs: who may sign in at this device, as cashier or manager, and the
//! manager's PIN that refunds, voids, large discounts and opening the drawer ask for.
//!
//! PINs are 4 to 8 digits, kept only as salted PBKDF2-HMAC-SHA256 hashes, never logged.
//! Until the first staff member is added the till asks for nobody (a shop of one); the first
//! must be a manager, and from then on adding, disabling and the discount limit need one.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use kasir_domain::DomainError;
use rusqlite::{OptionalExtension, params};

use crate::{Store, StoreError, write_setting};

/// PBKDF2 rounds for new PINs.
const ROUNDS: u32 = 100_000;
const POLICY_KEY: &str = "staff_policy";
/// Wrong PINs in a row that lock a staff member out.
pub const PIN_TRIES: u32 = 5;

/// How long a member is locked out after `failed` wrong PINs in a row: not before
/// [`PIN_TRIES`]; from then on every wrong PIN locks again, for 5 minutes, 10 from twice
/// [`PIN_TRIES`], 20 from three times, at most an hour. So after the first lockout a guesser
/// gets one try per lockout. A manager can lift a lockout at once ([`Store::unlock_staff`]).
pub fn lockout_after(failed: u32) -> Option<jiff::SignedDuration> {
    if failed < PIN_TRIES {
        return None;
    }
    let doublings = (failed / PIN_TRIES - 1).min(4);
    let minutes = (5i64 << doublings).min(60);
    Some(jiff::SignedDuration::from_mins(minutes))
}

fn locked_message(name: &str, failed: u32, until: jiff::Timestamp, now: jiff::Timestamp) -> String {
    let minutes = ((until.duration_since(now).as_secs() + 59) / 60).max(1);
    format!(
        "{name} is locked out after {failed} wrong PINs: try again in {minutes} minute{}, or a manager lifts the lockout",
        if minutes == 1 { "" } else { "s" }
    )
}

/// What a staff member may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Rings sales.
    Cashier,
    /// Also approves refunds, voids, discounts over the limit and opening the drawer.
    Manager,
}

impl Role {
    /// `cashier` or `manager`.
    pub fn name(self) -> &'static str {
        match self {
            Role::Cashier => "cashier",
            Role::Manager => "manager",
        }
    }

    /// Parses `cashier` or `manager`.
    pub fn parse(text: &str) -> Result<Role, DomainError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "cashier" => Ok(Role::Cashier),
            "manager" => Ok(Role::Manager),
            other => Err(DomainError::invalid(
                "role",
                format!("`{other}` is not a role: cashier or manager"),
            )),
        }
    }
}

/// A staff member (never with the PIN).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaffMember {
    /// Id.
    pub id: String,
    /// Name, unique without regard to case; printed on receipts and reports.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Whether they may still sign in.
    pub active: bool,
    /// When added.
    pub created_at: String,
}

/// The store's rules for staff: the largest discount a cashier may give alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct StaffPolicy {
    /// A discount of more than this percentage of what it applies to needs a manager's PIN;
    /// `None`: any discount needs none.
    #[serde(default)]
    pub discount_limit_percent: Option<Decimal>,
}

fn check_pin(pin: &str) -> Result<(), DomainError> {
    if !(4..=8).contains(&pin.len()) || !pin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DomainError::invalid("pin", "must be 4 to 8 digits"));
    }
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

fn derive(pin: &str, salt: &[u8], rounds: u32) -> [u8; 32] {
    let mut out = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(pin.as_bytes(), salt, rounds, &mut out);
    out
}

/// The stored form of `pin`: a fresh salt (a new UUIDv7's bytes, unique per hash), the
/// rounds, and the hash.
pub fn hash_pin(pin: &str) -> Result<String, DomainError> {
    check_pin(pin)?;
    let salt = *uuid::Uuid::now_v7().as_bytes();
    Ok(format!(
        "pbkdf2-sha256${ROUNDS}${}${}",
        hex(&salt),
        hex(&derive(pin, &salt, ROUNDS))
    ))
}

/// Whether `pin` matches the stored `hash` (compared in constant time).
pub fn pin_matches(pin: &str, hash: &str) -> bool {
    let parts: Vec<&str> = hash.split('$').collect();
    let [scheme, rounds, salt, expected] = parts[..] else {
        return false;
    };
    let (Ok(rounds), Some(salt), Some(expected)) =
        (rounds.parse::<u32>(), unhex(salt), unhex(expected))
    else {
        return false;
    };
    if scheme != "pbkdf2-sha256" || expected.len() != 32 {
        return false;
    }
    let got = derive(pin, &salt, rounds);
    got.iter()
        .zip(&expected)
        .fold(0u8, |acc, (a, b)| acc | (a ^ b))
        == 0
}

fn member(r: &rusqlite::Row<'_>) -> rusqlite::Result<(StaffMember, String)> {
    let role: String = r.get(2)?;
    Ok((
        StaffMember {
            id: r.get(0)?,
            name: r.get(1)?,
            role: if role == "manager" {
                Role::Manager
            } else {
                Role::Cashier
            },
            active: r.get(3)?,
            created_at: r.get(4)?,
        },
        r.get(5)?,
    ))
}

impl Store {
    /// Whether anyone must sign in: true once a staff member is active.
    pub fn staff_required(&self) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM staff WHERE active = 1", [], |r| {
                r.get::<_, i64>(0)
            })?
            > 0)
    }

    /// Adds a staff member with `pin`. The first one must be a manager.
    pub fn add_staff(
        &mut self,
        name: &str,
        role: Role,
        pin: &str,
    ) -> Result<StaffMember, StoreError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 40 || name.chars().any(char::is_control) {
            return Err(
                DomainError::invalid("name", "must be 1 to 40 printable characters").into(),
            );
        }
        let pin_hash = hash_pin(pin)?;
        if role != Role::Manager && !self.staff_required()? {
            return Err(DomainError::not_allowed(
                "the first staff member must be a manager (so that someone can approve)",
            )
            .into());
        }
        let tx = self.write_tx()?;
        let taken: Option<String> = tx
            .query_row("SELECT name FROM staff WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()?;
        if let Some(taken) = taken {
            return Err(DomainError::invalid(
                "name",
                format!("`{taken}` is already a staff member"),
            )
            .into());
        }
        let member = StaffMember {
            id: uuid::Uuid::now_v7().to_string(),
            name: name.to_string(),
            role,
            active: true,
            created_at: jiff::Timestamp::now().to_string(),
        };
        tx.execute(
            "INSERT INTO staff (id, name, role, pin_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                member.id,
                member.name,
                role.name(),
                pin_hash,
                member.created_at
            ],
        )?;
        tx.commit()?;
        tracing::info!(role = role.name(), "staff member added");
        Ok(member)
    }

    /// Every staff member, active or not, by name.
    pub fn list_staff(&self) -> Result<Vec<StaffMember>, StoreError> {
        let mut statement = self.conn.prepare(
            "SELECT id, name, role, active, created_at, pin_hash FROM staff ORDER BY name",
        )?;
        let rows = statement.query_map([], member)?;
        Ok(rows.map(|r| r.map(|(m, _)| m)).collect::<Result<_, _>>()?)
    }

    /// Disables `name`: they can no longer sign in. The last active manager cannot be.
    pub fn disable_staff(&mut self, name: &str) -> Result<StaffMember, StoreError> {
        let (found, _) = self.find_staff(name)?;
        if !found.active {
            return Err(
                DomainError::not_allowed(format!("{} is already disabled", found.name)).into(),
            );
        }
        let tx = self.write_tx()?;
        if found.role == Role::Manager {
            let managers: i64 = tx.query_row(
                "SELECT count(*) FROM staff WHERE active = 1 AND role = 'manager'",
                [],
                |r| r.get(0),
            )?;
            if managers <= 1 {
                return Err(DomainError::not_allowed(format!(
                    "{} is the last manager: add another manager first",
                    found.name
                ))
                .into());
            }
        }
        tx.execute(
            "UPDATE staff SET active = 0, disabled_at = ?1 WHERE id = ?2",
            params![jiff::Timestamp::now().to_string(), found.id],
        )?;
        tx.commit()?;
        Ok(StaffMember {
            active: false,
            ..found
        })
    }

    fn find_staff(&self, name: &str) -> Result<(StaffMember, String), StoreError> {
        self.conn
            .query_row(
                "SELECT id, name, role, active, created_at, pin_hash FROM staff WHERE name = ?1",
                [name.trim()],
                member,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: "staff member",
                key: name.trim().to_string(),
            })
    }

    /// Signs `name` in with `pin`. A wrong PIN, an unknown or disabled name is refused, and so
    /// is a member locked after [`PIN_TRIES`] wrong PINs in a row (see [`lockout_after`]).
    pub fn sign_in(&self, name: &str, pin: &str) -> Result<StaffMember, StoreError> {
        self.sign_in_at(name, pin, jiff::Timestamp::now())
    }

    /// [`Store::sign_in`] as if the time were `now`.
    #[doc(hidden)]
    pub fn sign_in_at(
        &self,
        name: &str,
        pin: &str,
        now: jiff::Timestamp,
    ) -> Result<StaffMember, StoreError> {
        let (found, hash) = self.find_staff(name)?;
        if !found.active {
            return Err(DomainError::not_allowed(format!("{} is disabled", found.name)).into());
        }
        let (failed, locked_until): (u32, Option<String>) = self.conn.query_row(
            "SELECT failed_pins, locked_until FROM staff WHERE id = ?1",
            [&found.id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if let Some(until) = locked_until
            .as_deref()
            .and_then(|t| t.parse::<jiff::Timestamp>().ok())
            .filter(|until| *until > now)
        {
            return Err(
                DomainError::not_allowed(locked_message(&found.name, failed, until, now)).into(),
            );
        }
        if !pin_matches(pin, &hash) {
            let failed = failed.saturating_add(1);
            let until = lockout_after(failed).map(|wait| now + wait);
            // One statement: the count and the lock change together or not at all.
            self.conn.execute(
                "UPDATE staff SET failed_pins = ?1, locked_until = ?2 WHERE id = ?3",
                params![failed, until.map(|t| t.to_string()), found.id],
            )?;
            // An expected refusal the clerk is told about: not a warning on their console.
            tracing::info!(
                failed,
                locked = until.is_some(),
                "a sign-in was refused: wrong PIN"
            );
            return Err(match until {
                Some(until) => {
                    DomainError::not_allowed(locked_message(&found.name, failed, until, now))
                }
                None => DomainError::invalid(
                    "pin",
                    format!(
                        "wrong PIN for {} ({} of {PIN_TRIES} tries before a lockout)",
                        found.name,
                        failed.min(PIN_TRIES)
                    ),
                ),
            }
            .into());
        }
        if failed > 0 {
            self.conn.execute(
                "UPDATE staff SET failed_pins = 0, locked_until = NULL WHERE id = ?1",
                [&found.id],
            )?;
        }
        Ok(found)
    }

    /// Lifts `name`'s PIN lockout and forgets their wrong PINs (a manager's action).
    pub fn unlock_staff(&mut self, name: &str) -> Result<StaffMember, StoreError> {
        let (found, _) = self.find_staff(name)?;
        let tx = self.write_tx()?;
        tx.execute(
            "UPDATE staff SET failed_pins = 0, locked_until = NULL WHERE id = ?1",
            [&found.id],
        )?;
        tx.commit()?;
        tracing::info!("a staff member's PIN lockout was lifted");
        Ok(found)
    }

    /// Signs in `name` with `pin` and checks they are a manager, to `action`.
    pub fn approve(&self, name: &str, pin: &str, action: &str) -> Result<StaffMember, StoreError> {
        let member = self.sign_in(name, pin)?;
        if member.role != Role::Manager {
            return Err(DomainError::not_allowed(format!(
                "to {action} needs a manager's PIN: {} is a {}",
                member.name,
                member.role.name()
            ))
            .into());
        }
        Ok(member)
    }

    /// The store's staff rules.
    pub fn staff_policy(&self) -> Result<StaffPolicy, StoreError> {
        Ok(self.read_setting(POLICY_KEY)?.unwrap_or_default())
    }

    /// Replaces the store's staff rules.
    pub fn set_staff_policy(&mut self, policy: StaffPolicy) -> Result<(), StoreError> {
        if let Some(limit) = policy.discount_limit_percent
            && (limit.is_sign_negative() || limit > Decimal::ONE_HUNDRED)
        {
            return Err(DomainError::invalid("discount limit", "must be 0 to 100 percent").into());
        }
        let tx = self.write_tx()?;
        write_setting(&tx, POLICY_KEY, &policy)?;
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pin_hash_is_salted_and_checks_only_its_pin() {
        let one = hash_pin("1234").unwrap();
        let two = hash_pin("1234").unwrap();
        assert_ne!(one, two);
        assert!(!one.contains("1234$"));
        assert!(pin_matches("1234", &one));
        assert!(pin_matches("1234", &two));
        assert!(!pin_matches("1235", &one));
        assert!(!pin_matches("1234", "pbkdf2-sha256$1$00$00"));
        assert_eq!(
            hash_pin("12a4").unwrap_err().to_string(),
            "pin: must be 4 to 8 digits"
        );
    }

    fn store_with_manager() -> Store {
        let mut store = Store::open_in_memory().expect("a store");
        store
            .add_staff("Ana", Role::Manager, "1234")
            .expect("a manager");
        store
    }

    #[test]
    fn the_lockout_grows_with_wrong_pins_and_stops_at_an_hour() {
        assert_eq!(lockout_after(PIN_TRIES - 1), None);
        let minutes = |n| lockout_after(n).map(|d| d.as_secs() / 60);
        assert_eq!(minutes(PIN_TRIES), Some(5));
        assert_eq!(minutes(PIN_TRIES + 1), Some(5));
        assert_eq!(minutes(2 * PIN_TRIES), Some(10));
        assert_eq!(minutes(3 * PIN_TRIES), Some(20));
        assert_eq!(minutes(5 * PIN_TRIES), Some(60));
        assert_eq!(minutes(50 * PIN_TRIES), Some(60));
    }

    #[test]
    fn five_wrong_pins_lock_out_even_the_right_pin_until_the_time_passes() {
        let store = store_with_manager();
        let now: jiff::Timestamp = "2026-12-04T03:00:00Z".parse().unwrap();
        for n in 1..PIN_TRIES {
            let refused = store.sign_in_at("Ana", "9999", now).unwrap_err();
            assert_eq!(
                refused.to_string(),
                format!("pin: wrong PIN for Ana ({n} of {PIN_TRIES} tries before a lockout)")
            );
        }
        let locked = store.sign_in_at("Ana", "9999", now).unwrap_err();
        assert!(
            locked
                .to_string()
                .contains("Ana is locked out after 5 wrong PINs: try again in 5 minutes"),
            "{locked}"
        );
        let still = now + jiff::SignedDuration::from_mins(4);
        let refused = store.sign_in_at("Ana", "1234", still).unwrap_err();
        assert!(
            refused.to_string().contains("try again in 1 minute,"),
            "{refused}"
        );

        let later = now + jiff::SignedDuration::from_mins(5);
        assert_eq!(store.sign_in_at("Ana", "1234", later).unwrap().name, "Ana");
        // The right PIN forgets the wrong ones: four more are again only warnings.
        for n in 1..PIN_TRIES {
            let refused = store.sign_in_at("Ana", "9999", later).unwrap_err();
            assert!(
                refused
                    .to_string()
                    .contains(&format!("({n} of {PIN_TRIES}")),
                "{refused}"
            );
        }
    }

    #[test]
    fn further_wrong_pins_after_a_lockout_lock_for_longer_and_a_manager_lifts_it() {
        let mut store = store_with_manager();
        store.add_staff("Budi", Role::Cashier, "5678").unwrap();
        let mut now: jiff::Timestamp = "2026-12-04T03:00:00Z".parse().unwrap();
        for _ in 0..PIN_TRIES {
            let _ = store.sign_in_at("Budi", "0000", now);
        }
        // After the first lockout every wrong PIN locks again; the tenth locks for 10 minutes.
        for failed in PIN_TRIES + 1..2 * PIN_TRIES {
            now += jiff::SignedDuration::from_mins(6);
            let locked = store.sign_in_at("Budi", "0000", now).unwrap_err();
            assert!(
                locked.to_string().contains(&format!(
                    "after {failed} wrong PINs: try again in 5 minutes"
                )),
                "{locked}"
            );
        }
        now += jiff::SignedDuration::from_mins(6);
        let locked = store.sign_in_at("Budi", "0000", now).unwrap_err();
        assert!(
            locked
                .to_string()
                .contains("after 10 wrong PINs: try again in 10 minutes"),
            "{locked}"
        );
        // Others are not affected.
        assert_eq!(store.sign_in_at("Ana", "1234", now).unwrap().name, "Ana");

        store.unlock_staff("Budi").unwrap();
        assert_eq!(store.sign_in_at("Budi", "5678", now).unwrap().name, "Budi");
        assert!(matches!(
            store.unlock_staff("Nobody").unwrap_err(),
            StoreError::NotFound { .. }
        ));
    }
}
