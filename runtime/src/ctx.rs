//! The evaluation context: the step budget (fuel), the value-size cap and the call depth.
//!
//! Every primitive receives a [`Ctx`]. Each call charges `prims::CALL_COST` plus the size of its result
//! (the table row's wrapper does, see `prims::prim!`); primitives whose work is larger than their output
//! (`objects`, `occurrences`, `manhattan`, …) charge the extra with [`Ctx::charge`]. Fuel is deterministic:
//! the same program on the same input always stops at the same step, whatever the machine or thread count.

use crate::error::{Error, Result};
use crate::memo::Memo;

/// The bounds a program runs under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Limits {
    /// Steps a single run may take. The default is about three times what the most demanding of arc-dsl's
    /// 400 reference solvers needs on its own task (`a64e4611`, `d22278a0`: 2–3 million).
    pub fuel: u64,
    /// The largest container (elements, or grid cells) a run may build.
    pub max_len: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { fuel: 10_000_000, max_len: 1 << 20 }
    }
}

/// Python's default recursion limit, less the frames a solver call itself takes.
pub const MAX_DEPTH: u32 = 990;

/// Per-run state handed to every primitive.
#[derive(Debug)]
pub struct Ctx {
    fuel: u64,
    max_len: usize,
    pub(crate) depth: u32,
    /// Expensive closure calls of this evaluation (see [`crate::memo`]); made at the first one.
    pub(crate) memo: Option<Box<Memo>>,
    /// Steps charged for remembered calls instead of running them.
    pub(crate) replayed: usize,
    /// Whether expensive closure calls are remembered (they always are, but in tests that compare).
    pub(crate) remember: bool,
}

impl Ctx {
    /// A fresh context with the given limits.
    pub fn new(limits: Limits) -> Ctx {
        Ctx { fuel: limits.fuel, max_len: limits.max_len, depth: 0, memo: None, replayed: 0, remember: true }
    }

    /// A context that never remembers a call: every outcome and every step charged is the same as with
    /// [`Ctx::new`], only slower where calls repeat.
    pub fn without_memo(limits: Limits) -> Ctx {
        Ctx { remember: false, ..Ctx::new(limits) }
    }

    /// Spends `steps` of fuel; a `fuel` error when the budget is gone.
    #[inline]
    pub fn charge(&mut self, steps: usize) -> Result<()> {
        match self.fuel.checked_sub(steps as u64) {
            Some(left) => {
                self.fuel = left;
                Ok(())
            }
            None => {
                self.fuel = 0;
                Err(Error::fuel())
            }
        }
    }

    /// Checks that a container of `len` elements may be built; a `memory` error otherwise.
    #[inline]
    pub fn check_len(&self, len: usize) -> Result<()> {
        if len > self.max_len { Err(Error::memory()) } else { Ok(()) }
    }

    /// Fuel left.
    pub fn fuel_left(&self) -> u64 {
        self.fuel
    }
}

impl Default for Ctx {
    fn default() -> Ctx {
        Ctx::new(Limits::default())
    }
}
