//! Small blocks for the binary's allocator (`alloc.rs`): up to [`SMALL`]
//! bytes, aligned to at most [`GRAIN`], each thread keeps a free list per
//! size class (multiples of [`GRAIN`]) and cuts new blocks from slabs of
//! [`SLAB`] bytes that it takes from the system allocator, in order, so
//! that a short job touches as few pages as with the system's own heap.
//!
//! Why: the constructors and rewrite passes make and drop small tables by
//! the dozen per job (a number's box, a hash map, a walk's stack, a work
//! list that grows), and glibc's `malloc` and `free` (about 100
//! instructions a pair: the block's header, its bins, the checks) were a
//! tenth of W1's symbolic time. A block's size class is known from the
//! `Layout` that `GlobalAlloc` is given on both ends, so no header is
//! needed: a block is popped from, and pushed back on, a list, in about
//! ten instructions. mimalloc does the same and more, but spreads its
//! size classes over a page each, and the page faults cost a fresh process
//! 0.45 ms (`bench/README.md`); this keeps the system heap's locality.
//!
//! A block freed on another thread than the one that made it joins that
//! thread's list; blocks are never given back to the system (a job's
//! small blocks are a few MiB at the very most, and the next job, or the
//! next `--repeat`, takes them again).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::ptr;

/// The largest block served here.
pub(super) const SMALL: usize = 1024;

/// The step between size classes, and the alignment of every block.
pub(super) const GRAIN: usize = 16;

/// Size classes: `GRAIN`, `2 * GRAIN`, ..., `SMALL`.
const CLASSES: usize = SMALL / GRAIN;

/// The bytes a thread takes from the system at a time.
const SLAB: usize = 64 << 10;

/// One thread's free lists and the slab it is cutting.
struct Cache {
    /// The first free block of each class; each free block holds the
    /// address of the next in its first word.
    free: [Cell<*mut u8>; CLASSES],
    /// The slab's next uncut byte, and its end.
    next: Cell<usize>,
    end: Cell<usize>,
}

thread_local! {
    // const, without a destructor: a plain thread-local, never torn down
    static CACHE: Cache = const {
        Cache {
            free: [const { Cell::new(ptr::null_mut()) }; CLASSES],
            next: Cell::new(0),
            end: Cell::new(0),
        }
    };
}

/// Whether a block of this layout is served here.
#[inline]
pub(super) fn small(size: usize, align: usize) -> bool {
    size <= SMALL && align <= GRAIN
}

/// The size class of a block of `size` bytes (0 for an empty one).
#[inline]
fn class(size: usize) -> usize {
    size.saturating_sub(1) / GRAIN
}

/// The bytes of a block of class `c`.
#[inline]
fn class_size(c: usize) -> usize {
    (c + 1) * GRAIN
}

/// A block of `size` bytes (at most [`SMALL`]), aligned to [`GRAIN`];
/// null when the system has no room.
///
/// # Safety
/// Plain allocation; the block is the caller's, to be given back through
/// [`free`] with the same size.
#[inline]
#[allow(unsafe_code)]
pub(super) unsafe fn alloc(size: usize) -> *mut u8 {
    let c = class(size);
    let got = CACHE.try_with(|cache| {
        let head = cache.free[c].get();
        if !head.is_null() {
            // SAFETY: a free block of ours holds the next one's address.
            cache.free[c].set(unsafe { head.cast::<*mut u8>().read() });
            return head;
        }
        let n = class_size(c);
        let next = cache.next.get();
        if cache.end.get() - next >= n {
            cache.next.set(next + n);
            return next as *mut u8;
        }
        // SAFETY: see `refill`.
        unsafe { refill(cache, n) }
    });
    match got {
        Ok(p) => p,
        // no thread-local left (a thread's very end): a block of the whole
        // class from the system, so that it can join a list when freed
        // SAFETY: a valid layout of a nonzero size.
        Err(_) => unsafe { System.alloc(Layout::from_size_align_unchecked(class_size(c), GRAIN)) },
    }
}

/// A new slab for `cache`, its first `n` bytes the block returned (null
/// when the system has no room). What was left of the last slab, less than
/// a block, is not used.
///
/// # Safety
/// Plain allocation.
#[cold]
#[inline(never)]
#[allow(unsafe_code)]
unsafe fn refill(cache: &Cache, n: usize) -> *mut u8 {
    // SAFETY: a valid layout of a nonzero size.
    let slab = unsafe { System.alloc(Layout::from_size_align_unchecked(SLAB, GRAIN)) };
    if slab.is_null() {
        return slab;
    }
    cache.next.set(slab as usize + n);
    cache.end.set(slab as usize + SLAB);
    slab
}

/// Gives back a block of [`alloc`] of `size` bytes.
///
/// # Safety
/// `p` came from [`alloc`] with a size of the same class, and is not used
/// again.
#[inline]
#[allow(unsafe_code)]
pub(super) unsafe fn free(p: *mut u8, size: usize) {
    let c = class(size);
    // a thread at its very end keeps no list: the block is left
    let _ = CACHE.try_with(|cache| {
        // SAFETY: the block is ours now and holds at least a word.
        unsafe { p.cast::<*mut u8>().write(cache.free[c].get()) };
        cache.free[c].set(p);
    });
}

/// Whether blocks of `a` and `b` bytes are of one class (a block
/// reallocated between them stays where it is).
#[inline]
pub(super) fn same_class(a: usize, b: usize) -> bool {
    class(a) == class(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Blocks of every class are aligned, distinct, hold what is written
    /// in them, and come back from the list when freed.
    #[test]
    #[allow(unsafe_code)]
    fn blocks_are_aligned_distinct_and_reused() {
        // SAFETY: each block is used within its size and freed once.
        unsafe {
            let sizes: Vec<usize> = (0..=SMALL).step_by(7).collect();
            let blocks: Vec<*mut u8> = sizes.iter().map(|&n| alloc(n)).collect();
            for (&p, &n) in blocks.iter().zip(&sizes) {
                assert!(!p.is_null());
                assert_eq!(p as usize % GRAIN, 0);
                ptr::write_bytes(p, (n % 251) as u8, n);
            }
            let mut spans: Vec<(usize, usize)> = blocks
                .iter()
                .zip(&sizes)
                .map(|(&p, &n)| (p as usize, p as usize + n))
                .collect();
            spans.sort_unstable();
            assert!(spans.windows(2).all(|w| w[0].1 <= w[1].0), "blocks overlap");
            for (&p, &n) in blocks.iter().zip(&sizes) {
                assert!((0..n).all(|i| *p.add(i) == (n % 251) as u8));
                free(p, n);
            }
            // the last freed of a class is the next given out
            let n = *sizes.last().unwrap();
            assert_eq!(alloc(n), *blocks.last().unwrap());
        }
    }

    /// More blocks than a slab holds: a new slab is cut, and every block
    /// stays whole.
    #[test]
    #[allow(unsafe_code)]
    fn slabs_are_taken_as_they_fill() {
        let n = 48;
        let count = 3 * SLAB / n;
        // SAFETY: each block is used within its size and freed once.
        unsafe {
            let blocks: Vec<*mut u8> = (0..count).map(|_| alloc(n)).collect();
            for (i, &p) in blocks.iter().enumerate() {
                p.cast::<usize>().write(i);
                p.add(n - 1).write(i as u8);
            }
            for (i, &p) in blocks.iter().enumerate() {
                assert_eq!(p.cast::<usize>().read(), i);
                assert_eq!(p.add(n - 1).read(), i as u8);
            }
            for &p in &blocks {
                free(p, n);
            }
        }
        assert!(same_class(33, 48) && !same_class(48, 49) && same_class(0, 16));
    }
}
