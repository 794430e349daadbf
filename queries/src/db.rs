//! The database: the storage salsa needs and the trait queries take.

/// What every query receives.
#[salsa::db]
pub trait Db: salsa::Database {}

/// The one concrete database. `clone()` gives another handle onto the same storage, for another thread.
#[salsa::db]
#[derive(Clone, Default)]
pub struct BattDb {
    storage: salsa::Storage<Self>,
}

#[salsa::db]
impl salsa::Database for BattDb {}

#[salsa::db]
impl Db for BattDb {}
