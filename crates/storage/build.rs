//! Rebuilds the crate when a migration is added or edited: `embed_migrations!`
//! alone does not notice a new migration directory.

fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
}
