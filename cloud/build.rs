//! Builds again when a migration is added: `sqlx::migrate!` embeds the migration folders.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
