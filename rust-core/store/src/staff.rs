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

    /// Signs `name` in with `pin`. A wrong PIN, an unknown or disabled name is refused.
    pub fn sign_in(&self, name: &str, pin: &str) -> Result<StaffMember, StoreError> {
        let (found, hash) = self.find_staff(name)?;
        if !found.active {
            return Err(DomainError::not_allowed(format!("{} is disabled", found.name)).into());
        }
        if !pin_matches(pin, &hash) {
            // An expected refusal the clerk is told about: not a warning on their console.
            tracing::info!("a sign-in was refused: wrong PIN");
            return Err(
                DomainError::invalid("pin", format!("wrong PIN for {}", found.name)).into(),
            );
        }
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
}
