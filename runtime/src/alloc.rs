//! The global allocator the binary and the profiling examples install: mimalloc, called as C's `malloc`
//! is whenever the layout allows.
//!
//! The runtime allocates many small, short-lived values (tuples, sets); glibc's allocator spent about
//! 15 % of a build in malloc and free. The `mimalloc` crate's allocator passes every request through
//! `mi_malloc_aligned`, which looks for a block of the right alignment before taking the plain path;
//! almost every layout the runtime asks for (8-byte aligned) is one `mi_malloc` serves as it is.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as mi;

/// The alignment `mi_malloc` gives every block of at least that size (`MI_MAX_ALIGN_SIZE`, C's
/// `max_align_t`); smaller blocks are aligned to their size class, a multiple of 8. A layout whose size
/// is a multiple of its alignment (every Rust layout's is) and whose alignment is at most this is thus
/// served aligned: the rule Rust's own `System` allocator applies to `malloc`.
const MALLOC_ALIGN: usize = 16;

/// Whether `mi_malloc` and `mi_realloc` already align a block of `size` bytes to `align`.
#[inline]
fn plain(size: usize, align: usize) -> bool {
    align <= MALLOC_ALIGN && align <= size
}

/// A block for `layout` from `plain` (`mi_malloc` or `mi_zalloc`) when it aligns it already, from
/// `aligned` (their aligned forms) otherwise.
///
/// # Safety
/// As the two functions: any size is valid, and null means out of memory.
#[inline(always)]
unsafe fn allocate(
    layout: Layout,
    plain_fn: unsafe extern "C" fn(usize) -> *mut c_void,
    aligned_fn: unsafe extern "C" fn(usize, usize) -> *mut c_void,
) -> *mut u8 {
    // SAFETY: the caller's contract.
    unsafe {
        if plain(layout.size(), layout.align()) {
            plain_fn(layout.size()) as *mut u8
        } else {
            aligned_fn(layout.size(), layout.align()) as *mut u8
        }
    }
}

pub struct Mimalloc;

// SAFETY: every method hands the request to mimalloc: a `plain` layout to the C-style entry points,
// whose blocks are aligned as `MALLOC_ALIGN` says, any other to the aligned ones. Each block is freed by
// `mi_free`, which takes blocks from either kind of entry point.
unsafe impl GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see the impl: mimalloc's allocation functions take any size and return null on failure.
        unsafe { allocate(layout, mi::mi_malloc, mi::mi_malloc_aligned) }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as `alloc`.
        unsafe { allocate(layout, mi::mi_zalloc, mi::mi_zalloc_aligned) }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` came from this allocator (the caller's contract), so from mimalloc.
        unsafe { mi::mi_free(ptr as *mut c_void) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` came from mimalloc; the new block keeps `layout.align()`, by `plain` or by the
        // aligned entry point.
        unsafe {
            if plain(new_size, layout.align()) {
                mi::mi_realloc(ptr as *mut c_void, new_size) as *mut u8
            } else {
                mi::mi_realloc_aligned(ptr as *mut c_void, new_size, layout.align()) as *mut u8
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_aligned_as_their_layout_asks() {
        for size in [1usize, 7, 8, 16, 24, 40, 48, 56, 100, 4096, 70_000] {
            for align in [1usize, 2, 4, 8, 16, 32, 64, 4096] {
                let Ok(layout) = Layout::from_size_align(size.next_multiple_of(align), align) else { continue };
                // SAFETY: a non-zero size; the block is freed by the same allocator.
                unsafe {
                    let p = Mimalloc.alloc(layout);
                    assert!(!p.is_null() && (p as usize).is_multiple_of(align), "{layout:?}");
                    let q = Mimalloc.realloc(p, layout, layout.size() * 3);
                    assert!(!q.is_null() && (q as usize).is_multiple_of(align), "{layout:?} grown");
                    Mimalloc.dealloc(q, Layout::from_size_align_unchecked(layout.size() * 3, align));
                    let z = Mimalloc.alloc_zeroed(layout);
                    assert!(std::slice::from_raw_parts(z, layout.size()).iter().all(|&b| b == 0));
                    Mimalloc.dealloc(z, layout);
                }
            }
        }
    }
}
