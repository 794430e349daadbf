//! [`Elements`]: the shared, immutable items of a tuple or a frozenset.
//!
//! A thin `Arc<[Value]>`: one pointer to an allocation that holds the reference count, the length and the
//! items. With the items behind one pointer a [`Value`] is two words instead of three, and so is a
//! `Result<Value>` (errors are boxed): sets of points take a third less memory, and every value a call
//! returns, moves and copies is smaller (`06df4c85`'s and `d22278a0`'s solvers run a fifth faster).
//!
//! It frees a slice of inline values (points, cells, ints: most of the sets a program builds) without
//! dropping them one by one: the compiler's drop of a slice calls the value's drop for every item, which
//! was a twentieth of a build's time (sets of thousands of points made and freed in every closure call).
//! A bit of the header, set when the items are written, says whether any item owns heap data.

use std::alloc::{Layout, alloc, dealloc, handle_alloc_error};
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicUsize, Ordering, fence};

use crate::value::Value;

/// What precedes the items in an allocation: the reference count, and the number of items with
/// [`OWNS`] set when some item owns heap data.
struct Header {
    count: AtomicUsize,
    len: usize,
}

/// The bit of [`Header::len`] that says some item owns heap data (is not inline). It is decided when
/// the items are written, while they are in the cache: the last owner frees a set of inline values
/// without reading its items again (that scan, of memory long gone cold, was a third of the drop).
const OWNS: usize = 1 << (usize::BITS - 1);

/// The items of a tuple or a frozenset: a reference-counted, immutable slice of values, held by one
/// pointer (the count and the length live in the allocation), so that a value, and a call's
/// `Result<Value>`, fit in two words.
pub struct Elements(NonNull<Header>);

// SAFETY: an `Elements` is a shared reference to immutable items with an atomic reference count, as an
// `Arc<[Value]>` is, and `Value` is `Send` and `Sync` (its other heap parts are `Arc`s of `Sync` data).
unsafe impl Send for Elements {}
// SAFETY: as above: shared access only reads the items and updates the count atomically.
unsafe impl Sync for Elements {}

/// Where the items start in an allocation: after the header, at the items' alignment.
const ITEMS: usize = std::mem::size_of::<Header>().next_multiple_of(std::mem::align_of::<Value>());

/// The layout of an allocation of `len` items (which start at [`ITEMS`]).
fn layout(len: usize) -> Layout {
    let items = Layout::array::<Value>(len).unwrap_or_else(|_| capacity_overflow());
    let (layout, offset) = Layout::new::<Header>().extend(items).unwrap_or_else(|_| capacity_overflow());
    debug_assert_eq!(offset, ITEMS);
    layout.pad_to_align()
}

#[cold]
fn capacity_overflow() -> ! {
    panic!("capacity overflow")
}

impl Elements {
    /// No items, shared: each thread keeps one, so the many empty results (`connect` of two unaligned
    /// points, a filter that keeps nothing) cost a reference count, not an allocation.
    pub fn empty() -> Elements {
        thread_local! {
            static EMPTY: Elements = Elements::from(Vec::new());
        }
        EMPTY.with(Elements::clone)
    }

    /// Whether `a` and `b` are the same allocation.
    #[inline]
    pub fn ptr_eq(a: &Elements, b: &Elements) -> bool {
        a.0 == b.0
    }

    /// The address of the allocation (what the memo recognises a big argument by).
    #[inline]
    pub fn address(&self) -> usize {
        self.0.as_ptr() as usize
    }

    /// How many `Elements` share these items.
    #[inline]
    pub fn strong_count(&self) -> usize {
        self.header().count.load(Ordering::Acquire)
    }

    #[inline]
    fn header(&self) -> &Header {
        // SAFETY: the pointer is to a live allocation whose header was written when it was made, and
        // this `Elements` keeps it alive.
        unsafe { self.0.as_ref() }
    }

    /// An allocation for `len` items with a count of one, `owns` saying whether some item will own heap
    /// data; the caller writes the items.
    fn allocate(len: usize, owns: bool) -> (NonNull<Header>, *mut Value) {
        let layout = layout(len);
        // SAFETY: the layout has a non-zero size (the header's).
        let raw = unsafe { alloc(layout) };
        let Some(header) = NonNull::new(raw as *mut Header) else { handle_alloc_error(layout) };
        // SAFETY: the allocation is fresh, aligned for the header and big enough for it; the items start
        // `ITEMS` bytes in, within the allocation.
        unsafe {
            header.as_ptr().write(Header { count: AtomicUsize::new(1), len: len | if owns { OWNS } else { 0 } });
            (header, raw.add(ITEMS) as *mut Value)
        }
    }
}

impl Drop for Elements {
    fn drop(&mut self) {
        // As `Arc`: release our count, and the last owner, having seen every other owner's release
        // (the fence), frees the items.
        if self.header().count.fetch_sub(1, Ordering::Release) != 1 {
            return;
        }
        fence(Ordering::Acquire);
        let (len, owns) = (self.header().len & !OWNS, self.header().len & OWNS != 0);
        let base = self.0.as_ptr() as *mut u8;
        // SAFETY: this was the last owner, so nothing else reads the items or the header any more; the
        // items were written at `ITEMS` when the allocation was made, and are dropped exactly once,
        // here. A slice of inline values (points, cells, ints: most of the sets a program builds) owns
        // nothing, and is freed without visiting the items one by one: the compiler's drop of a slice
        // calls the value's drop for every item, which was a twentieth of a build's time.
        unsafe {
            let items = std::ptr::slice_from_raw_parts_mut(base.add(ITEMS) as *mut Value, len);
            if owns {
                std::ptr::drop_in_place(items);
            }
            dealloc(base, layout(len));
        }
    }
}

impl Clone for Elements {
    #[inline]
    fn clone(&self) -> Elements {
        // As `Arc::clone`: a relaxed increment, since the new owner comes from an existing one. A count
        // about to overflow aborts, as `Arc` does, rather than free the items while they are in use.
        if self.header().count.fetch_add(1, Ordering::Relaxed) > isize::MAX as usize {
            std::process::abort();
        }
        Elements(self.0)
    }
}

impl Deref for Elements {
    type Target = [Value];

    #[inline]
    fn deref(&self) -> &[Value] {
        let len = self.header().len & !OWNS;
        // SAFETY: `len` items were written at `ITEMS` when the allocation was made and are never changed
        // while it is shared; this `Elements` keeps them alive for the borrow.
        unsafe { std::slice::from_raw_parts((self.0.as_ptr() as *const u8).add(ITEMS) as *const Value, len) }
    }
}

impl From<Vec<Value>> for Elements {
    #[inline]
    fn from(mut items: Vec<Value>) -> Elements {
        let owns = !items.iter().all(Value::is_inline);
        let (header, first) = Elements::allocate(items.len(), owns);
        // SAFETY: the items move bitwise into the new allocation, which has room for them, and the
        // vector forgets them (its length set to 0) so that they are not dropped twice.
        unsafe {
            std::ptr::copy_nonoverlapping(items.as_ptr(), first, items.len());
            items.set_len(0);
        }
        Elements(header)
    }
}

impl<const N: usize> From<[Value; N]> for Elements {
    #[inline]
    fn from(items: [Value; N]) -> Elements {
        let owns = !items.iter().all(Value::is_inline);
        let (header, first) = Elements::allocate(N, owns);
        // SAFETY: the array moves bitwise into the allocation, which has room for `N` items.
        unsafe { (first as *mut [Value; N]).write(items) };
        Elements(header)
    }
}

impl FromIterator<Value> for Elements {
    #[inline]
    fn from_iter<I: IntoIterator<Item = Value>>(items: I) -> Elements {
        Elements::from(items.into_iter().collect::<Vec<Value>>())
    }
}

impl PartialEq for Elements {
    #[inline]
    fn eq(&self, other: &Elements) -> bool {
        Elements::ptr_eq(self, other) || **self == **other
    }
}

impl Eq for Elements {}

impl Hash for Elements {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (**self).hash(state)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_shared_compared_by_content_and_freed_with_what_they_hold() {
        let inner = Elements::from(vec![Value::Int(1), Value::Point(2, 3)]);
        assert_eq!(&inner[..], &[Value::Int(1), Value::Point(2, 3)]);
        let copy: Elements = inner.iter().cloned().collect();
        assert!(!Elements::ptr_eq(&inner, &copy) && inner == copy);
        assert!(Elements::ptr_eq(&inner, &inner.clone()));
        assert!(Elements::empty().is_empty() && Elements::ptr_eq(&Elements::empty(), &Elements::empty()));
        // An outer set holding the inner one: freeing it releases the inner set's reference (not inline).
        let shared = Value::Set(inner.clone());
        let outer = Elements::from([shared, Value::Int(0)]);
        let Value::Set(held) = &outer[0] else { panic!("not a set") };
        assert!(Elements::ptr_eq(held, &inner));
        drop(outer);
        assert_eq!(inner.strong_count(), 1, "the outer set's reference was released");
        // The same through a vector, the heap item last: the header records that some item owns data.
        let outer = Elements::from(vec![Value::Int(0), Value::Point(1, 1), Value::Tuple(inner.clone())]);
        assert_eq!(inner.strong_count(), 2);
        assert_eq!(outer.len(), 3);
        drop(outer);
        assert_eq!(inner.strong_count(), 1, "the vector-built set's reference was released");
    }

    #[test]
    fn a_value_and_a_result_of_one_are_two_words() {
        assert_eq!(std::mem::size_of::<Value>(), 16);
        assert_eq!(std::mem::size_of::<crate::error::Result<Value>>(), 16);
    }
}
