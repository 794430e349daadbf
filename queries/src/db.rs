//! The database: the storage salsa needs, the persistent score cache, and the trait queries take.

use std::sync::Arc;

use crate::cache::{Cache, Memory};

/// What every query receives.
#[salsa::db]
pub trait Db: salsa::Database {
    /// The persistent score cache, if the build has one (`--no-cache` builds do not). Its entries are
    /// content-addressed, so reading it inside a query is deterministic.
    fn cache(&self) -> Option<&Cache>;

    /// The scores this process has read or computed, content-addressed like the cache (and present even
    /// without it), so that a query re-run by an edit finds its unchanged programs' scores in memory.
    fn memory(&self) -> &Memory;
}

/// The one concrete database. `clone()` gives another handle onto the same storage, for another thread.
#[salsa::db]
#[derive(Clone, Default)]
pub struct BattDb {
    storage: salsa::Storage<Self>,
    cache: Option<Arc<Cache>>,
    memory: Arc<Memory>,
}

impl BattDb {
    /// A database that reads scores from (and whose driver writes them to) `cache`.
    pub fn with_cache(cache: Option<Cache>) -> BattDb {
        BattDb { storage: salsa::Storage::default(), cache: cache.map(Arc::new), memory: Arc::default() }
    }

    /// The cache, for the driver to store fresh scores in.
    pub fn score_cache(&self) -> Option<&Cache> {
        self.cache.as_deref()
    }

    /// Takes the cache out of this database (to close it before the process exits).
    pub fn take_cache(&mut self) -> Option<Arc<Cache>> {
        self.cache.take()
    }

    /// The cache, shared (for a Ctrl-C handler to make durable).
    pub fn cache_handle(&self) -> Option<Arc<Cache>> {
        self.cache.clone()
    }
}

#[salsa::db]
impl salsa::Database for BattDb {}

#[salsa::db]
impl Db for BattDb {
    fn cache(&self) -> Option<&Cache> {
        self.cache.as_deref()
    }

    fn memory(&self) -> &Memory {
        &self.memory
    }
}
