//! [`Elements`]: the shared, immutable items of a tuple or a frozenset.
//!
//! An `Arc<[Value]>` that frees a slice of inline values (points, cells, ints: most of the sets a program
//! builds) without dropping them one by one: the compiler's drop of a slice calls the value's drop for
//! every item, which was a twentieth of a build's time (sets of thousands of points made and freed in
//! every closure call). A quick scan of the items' tags decides instead.

use std::hash::{Hash, Hasher};
use std::mem::ManuallyDrop;
use std::ops::Deref;
use std::sync::Arc;

use crate::value::Value;

/// The items of a tuple or a frozenset: a reference-counted, immutable slice of values.
pub struct Elements(ManuallyDrop<Arc<[Value]>>);

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
        Arc::ptr_eq(&a.0, &b.0)
    }

    /// The address of the allocation (what the memo recognises a big argument by).
    #[inline]
    pub fn address(&self) -> usize {
        Arc::as_ptr(&self.0) as *const Value as usize
    }
}

impl Drop for Elements {
    fn drop(&mut self) {
        // SAFETY: the field is taken once, here, and never used again.
        let mut items = unsafe { ManuallyDrop::take(&mut self.0) };
        // A shared allocation (most drops: a set handed on, a tuple read by a closure) is released with one
        // atomic decrement; `get_mut` alone would first lock the count with a compare-and-swap. The plain
        // read may see another owner that is just leaving: then the usual drop frees the items one by one.
        let last_of_inline = Arc::strong_count(&items) == 1
            && Arc::get_mut(&mut items).is_some_and(|items| items.iter().all(Value::is_inline));
        if last_of_inline {
            // The last reference to items that own nothing: free the allocation without visiting them.
            // SAFETY: `ManuallyDrop<Value>` is `repr(transparent)` over `Value`, so `[ManuallyDrop<Value>]`
            // has the layout of `[Value]` and `Arc::from_raw` may take the pointer back as such (its
            // documented condition: same size and alignment). Its drop skips the items, which is sound
            // because they are inline values, which have nothing to release.
            let raw = Arc::into_raw(items) as *const [ManuallyDrop<Value>];
            drop(unsafe { Arc::from_raw(raw) });
        }
    }
}

impl Clone for Elements {
    #[inline]
    fn clone(&self) -> Elements {
        Elements(ManuallyDrop::new(Arc::clone(&self.0)))
    }
}

impl Deref for Elements {
    type Target = [Value];

    #[inline]
    fn deref(&self) -> &[Value] {
        &self.0
    }
}

impl From<Vec<Value>> for Elements {
    #[inline]
    fn from(items: Vec<Value>) -> Elements {
        Elements(ManuallyDrop::new(items.into()))
    }
}

impl<const N: usize> From<[Value; N]> for Elements {
    #[inline]
    fn from(items: [Value; N]) -> Elements {
        Elements(ManuallyDrop::new(Arc::new(items)))
    }
}

impl FromIterator<Value> for Elements {
    /// Straight into the allocation when the iterator knows its length.
    #[inline]
    fn from_iter<I: IntoIterator<Item = Value>>(items: I) -> Elements {
        Elements(ManuallyDrop::new(items.into_iter().collect()))
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
        let mut alone = inner;
        assert!(Arc::get_mut(&mut alone.0).is_some(), "the outer set's reference was released");
    }
}
