//! The persistent score cache: what makes CI builds incremental across processes.
//!
//! A redb file maps a [`Key`] (a hash of engine version, limits and task hash, then a hash of the program
//! hash) to that program's outcomes on every pair of that task. The key covers everything the outcomes
//! depend on, so an entry is never stale: a changed solver has a new hash, a changed task a new task
//! hash, and an edit to the engine (the runtime, or the stages that lower, run and judge programs) a new
//! engine version, which `build.rs` derives from those sources. redb commits are atomic and
//! copy-on-write, so the file survives `kill -9` at any point: a build killed half-way loses only what
//! it had not yet committed. Builds read from any thread (per task, one read transaction for its
//! outcomes, [`Cache::get_all`], and one for its differ scores, [`Cache::get_diffs`]) and commit
//! everything new in one transaction, at the end, with [`Cache::put`].
//!
//! A second table holds differ scores ([`crate::diff::PairScores`]) under the same key with the enabled
//! differ set folded into its first half ([`diff_key`]): editing, adding or removing a differ changes it.
//! A program has such an entry only when it produced a wrong output on the task.
//! In front of it, [`Memory`] keeps every score the process has read or computed, by task then program.
//! `batt build` looks each (task, program) up once, so it gains nothing there; `batt watch` re-runs a
//! task's score query whenever a program is added, and finds the unchanged programs' scores in memory
//! instead of reading them from disk again.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use batt_runtime::{ErrorKind, Limits};
use redb::{Database, Durability, ReadableDatabase, TableDefinition, TableHandle};
use rustc_hash::FxHashMap;

use crate::diff::PairScores;
use crate::score::{Graph, Outcome, Scores};

/// What computed a cached outcome: a hash of the engine's sources (`build.rs`), so that any change to
/// what a program computes (a primitive fix, fuel accounting, a differ) makes new keys. Bump the number
/// when the layout of the stored values changes.
pub const ENGINE_VERSION: &str = concat!("batt-engine-3/", env!("BATT_ENGINE_SOURCES"));

const SCORES: TableDefinition<Key, &[u8]> = TableDefinition::new("scores-v2");
/// The tables of the text-keyed layout before [`Key`], removed from a file that still has them.
const OLD_TABLES: [&str; 2] = ["scores", "diffs"];
/// Memory for redb's page cache. A build reads each page once and commits once, so the cache saves no
/// reads; redb's default (1 GiB) kept every page read, most of a no-op rebuild's memory, each page
/// zero-filled and faulted in (as huge pages) before it was read.
const CACHE_BYTES: usize = 16 << 20;
const DIFFS: TableDefinition<Key, &[u8]> = TableDefinition::new("diffs-v2");

/// An open cache file.
pub struct Cache {
    db: Database,
    /// Whether [`Cache::put_all`] waits for the disk (the default).
    durable: AtomicBool,
    /// Whether a commit since the last durable one did not wait for the disk.
    pending: AtomicBool,
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Cache")
    }
}

/// A cache key: the hash of what a task's entries share (engine version, limits, task content, and for
/// differ scores the differ set), then the hash of the program. Two fixed-size ints: a lookup compares 32
/// bytes, not a long shared prefix of text, and a task's entries sit side by side in the tree.
pub type Key = (u128, u128);

/// The first half of a task's keys: what its entries share (engine version, limits, task content).
pub fn task_scope(limits: Limits, task_hash: &str) -> u128 {
    let mut scope = xxhash_rust::xxh3::Xxh3::new();
    scope.update(ENGINE_VERSION.as_bytes());
    scope.update(&limits.fuel.to_le_bytes());
    scope.update(&(limits.max_len as u64).to_le_bytes());
    scope.update(task_hash.as_bytes());
    scope.digest128()
}

/// The key of one (program, task) entry, given its task's [`task_scope`].
pub fn key(scope: u128, program_hash: &str) -> Key {
    (scope, hash_str(program_hash))
}

/// A task's scope with a differ set folded in.
fn differs_scope(scope: u128, differs_key: &str) -> u128 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(&scope.to_le_bytes());
    hasher.update(differs_key.as_bytes());
    hasher.digest128()
}

/// The key of one (program, task, differ set) entry of differ scores: `key` (from [`key`]) with the set's
/// hash folded into its first half.
pub fn diff_key(key: Key, differs_key: &str) -> Key {
    (differs_scope(key.0, differs_key), key.1)
}

/// Scores and differ scores by task (with the limits and the differ set), then by program, for the life of
/// the process: what [`Cache`] holds, without its disk reads and decoding. Shared, not copied: a
/// task's records are handed out as `Arc`s, so a query re-run costs a reference count per program.
#[derive(Debug, Default)]
pub struct Memory {
    tasks: RwLock<HashMap<u128, TaskMemory>>,
    /// The last few graphs built, by the programs they merge: every task of a cold build runs the same
    /// programs, so they share one graph instead of each hash-consing it again.
    graphs: Mutex<Vec<(u128, SharedGraph)>>,
}

/// A graph built once, by whichever thread asks first.
type SharedGraph = Arc<OnceLock<Arc<Graph>>>;

/// Graphs [`Memory`] keeps: a build needs one (a watch rebuild one more, for its edited programs).
const GRAPHS_KEPT: usize = 4;

/// What is remembered of one program on one task: its outcomes, and what its differ scores add up to.
#[derive(Debug, PartialEq, Eq)]
pub struct Remembered {
    pub scores: Arc<Scores>,
    /// Whether the program's differ scores were found or computed (it produced a wrong grid and differs
    /// are on). The scores themselves are not kept: the report needs only their totals, and 156,400
    /// records' per-pair scores were most of a no-op rebuild's memory.
    pub scored_diffs: bool,
    /// Each differ's total on the task (see [`PairScores::total`]): one per differ, `None` where no pair
    /// contributed.
    pub totals: Vec<Option<i64>>,
}

/// The records of one task's programs, by [`hash_str`] of the program hash.
type TaskMemory = Arc<RwLock<HashMap<u128, Arc<Remembered>, BuildHasherDefault<KeyHasher>>>>;

fn hash_str(s: &str) -> u128 {
    xxhash_rust::xxh3::xxh3_128(s.as_bytes())
}

/// The hasher of keys that are already hashes: their low 64 bits.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u128(&mut self, n: u128) {
        self.0 ^= n as u64;
    }
}

impl Memory {
    /// The programs' records remembered for one task, created empty if there are none.
    fn task(&self, limits: Limits, task_hash: &str, differs_key: &str) -> Option<TaskMemory> {
        let key = differs_scope(task_scope(limits, task_hash), differs_key);
        if let Some(found) = self.tasks.read().ok()?.get(&key) {
            return Some(found.clone());
        }
        Some(self.tasks.write().ok()?.entry(key).or_default().clone())
    }

    /// The graph of `programs` (by hash, in the order given), built by `build` unless it was built before.
    pub fn graph(&self, programs: &[&str], build: impl FnOnce() -> Graph) -> Arc<Graph> {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        for p in programs {
            hasher.update(p.as_bytes());
            hasher.update(b"|");
        }
        let key = hasher.digest128();
        let slot = match self.graphs.lock() {
            Ok(mut graphs) => match graphs.iter().find(|(k, _)| *k == key) {
                Some((_, slot)) => slot.clone(),
                None => {
                    if graphs.len() == GRAPHS_KEPT {
                        graphs.remove(0);
                    }
                    graphs.push((key, SharedGraph::default()));
                    graphs[graphs.len() - 1].1.clone()
                }
            },
            Err(_) => SharedGraph::default(),
        };
        slot.get_or_init(|| Arc::new(build())).clone()
    }

    /// The records remembered for each of `programs` (by hash) on one task under one differ set.
    pub fn get_all(
        &self,
        limits: Limits,
        task_hash: &str,
        differs_key: &str,
        programs: &[&str],
    ) -> Vec<Option<Arc<Remembered>>> {
        let task = self.task(limits, task_hash, differs_key);
        match task.as_ref().and_then(|t| t.read().ok()) {
            Some(map) => programs.iter().map(|p| map.get(&hash_str(p)).cloned()).collect(),
            None => vec![None; programs.len()],
        }
    }

    /// Remembers programs' records (by program hash) on one task under one differ set.
    pub fn put_all<'a>(
        &self,
        limits: Limits,
        task_hash: &str,
        differs_key: &str,
        entries: impl IntoIterator<Item = (&'a str, Arc<Remembered>)>,
    ) {
        let task = self.task(limits, task_hash, differs_key);
        if let Some(mut map) = task.as_ref().and_then(|t| t.write().ok()) {
            map.extend(entries.into_iter().map(|(p, s)| (hash_str(p), s)));
        }
    }
}

impl Cache {
    /// Opens (or creates) the cache file at `path`.
    pub fn open(path: &Path) -> Result<Cache, redb::Error> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(redb::Error::Io)?;
        }
        let db = Database::builder().set_cache_size(CACHE_BYTES).create(path)?;
        // A file with this layout's tables and none of the old one's opens without a write transaction,
        // whose commit would be a disk sync on every build.
        let ready = db.begin_read().ok().and_then(|txn| {
            let names: Vec<String> = txn.list_tables().ok()?.map(|t| t.name().to_string()).collect();
            let has = |name: &str| names.iter().any(|n| n == name);
            Some(has(SCORES.name()) && has(DIFFS.name()) && !OLD_TABLES.iter().any(|old| has(old)))
        });
        if ready != Some(true) {
            let txn = db.begin_write()?;
            txn.open_table(SCORES)?;
            txn.open_table(DIFFS)?;
            // The tables of the text-keyed layout before `Key`, if this file has them: never read again.
            for old in OLD_TABLES {
                let _ = txn.delete_table(TableDefinition::<&str, &[u8]>::new(old));
            }
            txn.commit()?;
        }
        Ok(Cache { db, durable: AtomicBool::new(true), pending: AtomicBool::new(false) })
    }

    /// The cached scores under each of `keys`, read in one transaction. A read error counts as a miss.
    pub fn get_all(&self, keys: &[Key]) -> Vec<Option<Scores>> {
        let keys: Vec<Option<Key>> = keys.iter().copied().map(Some).collect();
        self.read(SCORES, &keys, decode)
    }

    /// The cached differ scores under each of `keys` (from [`diff_key`]); a read error counts as a miss.
    pub fn get_diffs(&self, keys: &[Option<Key>]) -> Vec<Option<PairScores>> {
        self.read(DIFFS, keys, PairScores::decode)
    }

    /// The entries of `table` under each of `keys`, decoded. A task's keys share their first half, so
    /// its entries lie side by side: they are read in one walk over that range rather than one descent
    /// of the tree per key.
    fn read<T>(
        &self,
        table: TableDefinition<Key, &[u8]>,
        keys: &[Option<Key>],
        decode: impl Fn(&[u8]) -> Option<T>,
    ) -> Vec<Option<T>> {
        let mut out: Vec<Option<T>> = keys.iter().map(|_| None).collect();
        let Some(scope) = keys.iter().flatten().next().map(|k| k.0) else { return out };
        let Some(table) = self.db.begin_read().ok().and_then(|txn| txn.open_table(table).ok()) else {
            return out;
        };
        if keys.iter().flatten().any(|k| k.0 != scope) {
            for (slot, key) in out.iter_mut().zip(keys) {
                *slot = key.and_then(|k| decode(table.get(&k).ok()??.value()));
            }
            return out;
        }
        let mut wanted: FxHashMap<u128, Vec<usize>> = FxHashMap::default();
        for (i, key) in keys.iter().enumerate() {
            if let Some(k) = key {
                wanted.entry(k.1).or_default().push(i);
            }
        }
        let Ok(range) = table.range((scope, 0)..=(scope, u128::MAX)) else { return out };
        for entry in range {
            let Ok((key, value)) = entry else { break };
            if let Some(slots) = wanted.get(&key.value().1) {
                for &i in slots {
                    out[i] = decode(value.value());
                }
            }
        }
        out
    }

    /// Stores all `entries` in one atomic commit, durable unless [`Cache::set_durable`] said otherwise.
    pub fn put_all(&self, entries: &[(Key, Scores)]) -> Result<(), redb::Error> {
        self.put(entries, [])
    }

    /// Stores outcomes and differ scores (as [`PairScores::encode`] bytes) in one atomic commit, durable
    /// unless [`Cache::set_durable`] said otherwise.
    pub fn put<'a>(
        &self,
        entries: &[(Key, Scores)],
        diffs: impl IntoIterator<Item = (Key, &'a [u8])>,
    ) -> Result<(), redb::Error> {
        let mut diffs = diffs.into_iter().peekable();
        if entries.is_empty() && diffs.peek().is_none() {
            return Ok(());
        }
        let mut txn = self.db.begin_write()?;
        if !self.durable.load(Ordering::SeqCst) {
            txn.set_durability(Durability::None)?;
            self.pending.store(true, Ordering::SeqCst);
        }
        {
            let mut table = txn.open_table(SCORES)?;
            for (key, scores) in entries {
                table.insert(key, encode(scores).as_slice())?;
            }
            let mut table = txn.open_table(DIFFS)?;
            for (key, bytes) in diffs {
                table.insert(&key, bytes)?;
            }
        }
        txn.commit()?;
        Ok(())
    }
}

impl Cache {
    /// With `false`, [`Cache::put`] and [`Cache::put_all`] commit without waiting for the disk: `batt watch` stores a
    /// rebuild's scores that way and makes them durable with [`Cache::flush`] once the rebuild is
    /// printed. A commit that never became durable is lost in a crash, and the file is left as the last
    /// durable commit made it (redb): a few scores to compute again, never a broken cache.
    pub fn set_durable(&self, durable: bool) {
        self.durable.store(durable, Ordering::SeqCst);
    }

    /// Makes every commit so far durable (nothing to do when they all are).
    pub fn flush(&self) -> Result<(), redb::Error> {
        if !self.pending.swap(false, Ordering::SeqCst) {
            return Ok(());
        }
        let txn = self.db.begin_write()?;
        txn.commit()?;
        Ok(())
    }
}

/// The stored byte of an outcome: 0 pass, 1 fail, 2 unchecked, 16 + `kind as u8` for an error (its
/// position in [`ErrorKind::ALL`]; a test pins the codes, and [`ENGINE_VERSION`] changes with them).
fn encode(scores: &Scores) -> Vec<u8> {
    scores
        .outcomes
        .iter()
        .map(|o| match o {
            Outcome::Pass => 0,
            Outcome::Fail => 1,
            Outcome::Unchecked => 2,
            Outcome::Error(kind) => 16 + *kind as u8,
        })
        .collect()
}

fn decode(bytes: &[u8]) -> Option<Scores> {
    let outcomes = bytes
        .iter()
        .map(|&b| match b {
            0 => Some(Outcome::Pass),
            1 => Some(Outcome::Fail),
            2 => Some(Outcome::Unchecked),
            b => ErrorKind::ALL.get(b.checked_sub(16)? as usize).map(|k| Outcome::Error(*k)),
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Scores { outcomes })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_persists() {
        let dir = std::env::temp_dir().join(format!("batt-cache-{}", std::process::id()));
        let path = dir.join("cache.redb");
        let scores = Scores {
            outcomes: vec![Outcome::Pass, Outcome::Fail, Outcome::Error(ErrorKind::Fuel), Outcome::Unchecked],
        };
        let k = key(task_scope(Limits::default(), "t"), "p");
        {
            let cache = Cache::open(&path).ok();
            assert!(cache.as_ref().is_some_and(|c| c.get_all(std::slice::from_ref(&k)) == vec![None]));
            assert!(cache.as_ref().is_some_and(|c| c.put_all(&[(k, scores.clone())]).is_ok()));
        }
        let cache = Cache::open(&path).ok();
        assert_eq!(cache.map(|c| c.get_all(std::slice::from_ref(&k))), Some(vec![Some(scores)]));
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_file_of_the_old_layout_loses_its_old_tables_and_keeps_working() {
        let dir = std::env::temp_dir().join(format!("batt-cache-old-{}", std::process::id()));
        std::fs::create_dir_all(&dir).ok();
        let path = dir.join("cache.redb");
        let tables = |db: &Database| -> Vec<String> {
            let txn = db.begin_read().expect("read transaction");
            txn.list_tables().expect("tables").map(|t| t.name().to_string()).collect()
        };
        {
            let db = Database::create(&path).expect("create");
            let txn = db.begin_write().expect("write transaction");
            txn.open_table(TableDefinition::<&str, &[u8]>::new("scores")).expect("old table");
            txn.commit().expect("commit");
        }
        let k = key(task_scope(Limits::default(), "t"), "p");
        let scores = Scores { outcomes: vec![Outcome::Pass] };
        {
            let cache = Cache::open(&path).expect("open");
            let mut names = tables(&cache.db);
            names.sort();
            assert_eq!(names, ["diffs-v2", "scores-v2"]);
            assert!(cache.put_all(&[(k, scores.clone())]).is_ok());
        }
        // Opened again: this layout's tables are found, nothing is rewritten, the scores are there.
        let cache = Cache::open(&path).expect("reopen");
        assert_eq!(cache.get_all(std::slice::from_ref(&k)), vec![Some(scores)]);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_task_is_read_in_one_range_and_other_tasks_stay_out() {
        let dir = std::env::temp_dir().join(format!("batt-cache-range-{}", std::process::id()));
        let cache = Cache::open(&dir.join("cache.redb")).ok();
        let limits = Limits::default();
        let scores = |n: usize| Scores { outcomes: vec![Outcome::Fail; n] };
        let entries: Vec<(Key, Scores)> = [("t", "p", 1), ("t", "q", 2), ("t", "r", 3), ("u", "p", 4)]
            .map(|(t, p, n)| (key(task_scope(limits, t), p), scores(n)))
            .into();
        assert!(cache.as_ref().is_some_and(|c| c.put_all(&entries).is_ok()));
        let wanted = [
            key(task_scope(limits, "t"), "r"),
            key(task_scope(limits, "t"), "x"),
            key(task_scope(limits, "t"), "p"),
            key(task_scope(limits, "t"), "p"),
        ];
        let got = cache.map(|c| c.get_all(&wanted));
        assert_eq!(got, Some(vec![Some(scores(3)), None, Some(scores(1)), Some(scores(1))]));
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn stored_outcome_codes_are_fixed() {
        let outcomes = [Outcome::Pass, Outcome::Fail, Outcome::Unchecked, Outcome::Error(ErrorKind::TypeError)];
        let scores = Scores { outcomes: [&outcomes[..], &ErrorKind::ALL.map(Outcome::Error)[1..]].concat() };
        let bytes = encode(&scores);
        assert_eq!(bytes, [0, 1, 2, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26]);
        assert_eq!(decode(&bytes), Some(scores));
        assert_eq!(decode(&[27]), None);
    }

    #[test]
    fn differ_scores_round_trip() {
        let dir = std::env::temp_dir().join(format!("batt-cache-diffs-{}", std::process::id()));
        let cache = Cache::open(&dir.join("cache.redb")).ok();
        let k = diff_key(key(task_scope(Limits::default(), "t"), "p"), "set");
        let diffs = PairScores { pairs: vec![vec![], vec![Some(500), None]] };
        let bytes = diffs.encode();
        assert!(cache.as_ref().is_some_and(|c| c.put(&[], [(k, bytes.as_slice())]).is_ok()));
        let other = diff_key(key(task_scope(Limits::default(), "t"), "p"), "other set");
        let got = cache.map(|c| c.get_diffs(&[Some(k), None, Some(other)]));
        assert_eq!(got, Some(vec![Some(diffs), None, None]));
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn memory_keeps_scores_by_limits_task_and_program() {
        let memory = Memory::default();
        let scores = Scores { outcomes: vec![Outcome::Pass, Outcome::Fail] };
        let limits = Limits::default();
        let record = Arc::new(Remembered { scores: Arc::new(scores), scored_diffs: false, totals: Vec::new() });
        memory.put_all(limits, "t", "d", [("p", record.clone())]);
        assert_eq!(memory.get_all(limits, "t", "d", &["p", "q"]), vec![Some(record), None]);
        assert_eq!(memory.get_all(limits, "u", "d", &["p"]), vec![None]);
        assert_eq!(memory.get_all(limits, "t", "other differs", &["p"]), vec![None]);
        let other = Limits { fuel: limits.fuel + 1, ..limits };
        assert_eq!(memory.get_all(other, "t", "d", &["p"]), vec![None]);
    }

    #[test]
    fn memory_builds_a_graph_once_per_program_list() {
        let memory = Memory::default();
        let first = memory.graph(&["p", "q"], Graph::default);
        let again = memory.graph(&["p", "q"], || panic!("built twice"));
        assert!(Arc::ptr_eq(&first, &again));
        // Another list (or another order) is another graph; only the last few are kept.
        let reordered = memory.graph(&["q", "p"], Graph::default);
        assert!(!Arc::ptr_eq(&first, &reordered));
        for k in 0..GRAPHS_KEPT {
            memory.graph(&[&k.to_string()], Graph::default);
        }
        let rebuilt = memory.graph(&["p", "q"], Graph::default);
        assert!(!Arc::ptr_eq(&first, &rebuilt));
    }

    #[test]
    fn commits_that_do_not_wait_are_kept_once_flushed() {
        let dir = std::env::temp_dir().join(format!("batt-cache-flush-{}", std::process::id()));
        let path = dir.join("cache.redb");
        let scores = Scores { outcomes: vec![Outcome::Fail] };
        let k = key(task_scope(Limits::default(), "t"), "q");
        {
            let Ok(cache) = Cache::open(&path) else { panic!("open") };
            cache.set_durable(false);
            assert!(cache.put_all(&[(k, scores.clone())]).is_ok());
            assert!(cache.flush().is_ok());
        }
        let cache = Cache::open(&path).ok();
        assert_eq!(cache.map(|c| c.get_all(std::slice::from_ref(&k))), Some(vec![Some(scores)]));
        std::fs::remove_dir_all(&dir).ok();
    }
}
