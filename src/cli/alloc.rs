//! The binary's memory allocator on Linux: the system's (glibc's malloc),
//! except that a small block (up to 1 KiB) comes from a free list of its
//! thread's (`small.rs`), and a large block (1 MiB and more) is mapped on
//! its own, and its mapping is kept when the block is freed, for the next
//! large block.
//!
//! Why: a job at the sizes where deriv is measured against its peers (the
//! W3 gradient at N=10,000: 170,000 nodes) builds a few dozen tables of
//! 1 to 8 MiB (the store's nodes, operands and index, the differentiator's
//! work lists), frees them, and with `--repeat`, or a hash table that
//! grows, builds the next ones. glibc maps each such block afresh and
//! unmaps it when freed, so the kernel faults in and zeroes every page of
//! it again. Here a freed mapping is kept, up to [`KEPT`] bytes in
//! [`KEPT_MAPPINGS`] mappings, and handed out again, whole or in part, to
//! the next large block that fits ([`Kept`]), or to a block that grows
//! past its own mapping (copied over: about what zeroing fresh pages
//! costs, and its old mapping is kept in turn); a block that grows with
//! nothing kept to take is moved by `mremap` to a larger mapping without
//! copying. W3 gradient at N=10000 (`--repeat 5`): `compute_s` 66.2 ms
//! against 70.7 ms with glibc alone, medians of 8 alternating runs
//! (`bench/README.md`, session 21); homework-sized jobs, whose blocks are
//! all small, take the system's path as before.
//!
//! Mappings are made at a multiple of 2 MiB and span whole multiples of
//! it, so that kept mappings fit one another's blocks (and a system whose
//! transparent huge pages are always on may back them with huge pages).
//! They are not asked for huge pages (`MADV_HUGEPAGE`), which session 20
//! did: on a virtual machine whose free memory goes back to the host (a
//! balloon's free page reporting, as on the benchmark machines), a fresh
//! huge page costs the host's faults on first touch: 8 ms per 2 MiB in a
//! new process, against 1.5 ms for as much memory in base pages. One
//! `deriv grad` at N=10000 took 393 ms instead of 259 ms with glibc
//! alone, and `--repeat` gained nothing (72.1 against 70.7 ms).
//! The library itself does not depend on this: it is the binary's choice.

use std::alloc::{GlobalAlloc, Layout, System};
use std::ptr;

use super::small;

/// Blocks from this size on are mapped on their own.
const LARGE: usize = 1 << 20;

/// Large blocks start at a multiple of this (the huge page size on
/// x86-64 and arm64 with 4 KiB base pages) and span whole multiples of it.
const HUGE: usize = 2 << 20;

/// Sets glibc's malloc to keep what it frees: blocks under [`LARGE`]
/// come from its heap, never from a mapping of their own (a mapping is
/// faulted in again, page by page, each time), and freed heap is not given
/// back to the system until 64 MiB of it is free. The blocks from
/// [`LARGE`] on are this allocator's. A job that frees its tables and
/// builds the next ones (`--repeat`, a tidy pass's work lists, a table
/// that grows) then takes pages already in memory: the W3 gradient at
/// N=10000 faults 2,506 pages instead of 4,382, and 2,786 instead of
/// 11,073 with `--repeat 6`. Called once, before any other thread exists.
pub fn keep_freed_memory() {
    // SAFETY: `mallopt` sets two of malloc's parameters; nothing else runs
    // yet to allocate beside it.
    #[allow(unsafe_code)]
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, LARGE as libc::c_int);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 64 << 20);
    }
}

/// At most this many bytes of freed large blocks are kept for reuse.
/// A job at W3's N=10000 frees more than 32 MiB of them (`stats`, `grad
/// --cse`: the store's tables, the names, the differentiator's), and
/// with 32 MiB and 16 mappings kept the next `--repeat` faulted about
/// 5,000 pages in afresh (20 MB); with these figures about 1,000 to
/// 1,500 (trace: 9,200 instead of 13,300, its output strings being
/// glibc's). The peak stays what the job itself needs, but for the
/// mappings kept between repetitions: `deriv stats` at N=10000 with
/// `--repeat 10` 62 MiB instead of 53 (one run: 51 either way).
const KEPT: usize = 64 << 20;

/// At most this many freed mappings are kept.
const KEPT_MAPPINGS: usize = 32;

/// Freed mappings kept for the next large blocks: each a start (a multiple
/// of [`HUGE`]) and a length (a multiple of [`HUGE`]), whose pages are in
/// memory already, with whatever the last block left in them.
struct Kept {
    maps: [(usize, usize); KEPT_MAPPINGS],
    len: usize,
    bytes: usize,
}

static KEPT_MAPS: std::sync::Mutex<Kept> = std::sync::Mutex::new(Kept::new());

impl Kept {
    /// None kept.
    const fn new() -> Self {
        Kept {
            maps: [(0, 0); KEPT_MAPPINGS],
            len: 0,
            bytes: 0,
        }
    }

    /// The kept mappings, locked (a panic never holds the lock: nothing
    /// under it can fail).
    fn lock() -> std::sync::MutexGuard<'static, Kept> {
        KEPT_MAPS.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Keeps the mapping `(start, len)` if there is room; else gives it
    /// back to the caller.
    fn keep(&mut self, start: usize, len: usize) -> Result<(), ()> {
        if self.len == KEPT_MAPPINGS || self.bytes + len > KEPT {
            return Err(());
        }
        self.maps[self.len] = (start, len);
        self.len += 1;
        self.bytes += len;
        Ok(())
    }

    /// The start of `len` bytes from the smallest kept mapping that holds
    /// them, no longer kept; the rest of that mapping, past `len`, stays.
    fn take(&mut self, len: usize) -> Option<usize> {
        let (i, &(start, have)) = self.maps[..self.len]
            .iter()
            .enumerate()
            .filter(|(_, m)| m.1 >= len)
            .min_by_key(|(_, m)| m.1)?;
        if have > len {
            self.maps[i] = (start + len, have - len);
        } else {
            self.len -= 1;
            self.maps[i] = self.maps[self.len];
        }
        self.bytes -= len;
        Some(start)
    }
}

/// The allocator installed in `main.rs`.
pub struct Allocator;

/// Whether a block of this layout is one of ours (else the system's).
fn large(size: usize, align: usize) -> bool {
    size >= LARGE && align <= HUGE
}

/// The length mapped for a large block of `size` bytes.
fn span(size: usize) -> usize {
    size.next_multiple_of(HUGE)
}

/// A fresh mapping of `len` bytes (a multiple of [`HUGE`]) at a multiple
/// of [`HUGE`], zeroed, or null when the system has no room.
///
/// # Safety
/// Plain system calls; the result is owned by the caller.
#[allow(unsafe_code)]
unsafe fn map(len: usize) -> *mut u8 {
    let Some(padded) = len.checked_add(HUGE) else {
        return ptr::null_mut();
    };
    // SAFETY: an anonymous private mapping at an address of the kernel's
    // choice touches no existing memory.
    let p = unsafe {
        libc::mmap(
            ptr::null_mut(),
            padded,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        )
    };
    if p == libc::MAP_FAILED {
        return ptr::null_mut();
    }
    let start = p as usize;
    let aligned = start.next_multiple_of(HUGE);
    // SAFETY: both ranges lie within the mapping just made and outside the
    // aligned `len` bytes kept.
    unsafe {
        if aligned > start {
            libc::munmap(p, aligned - start);
        }
        let end = start + padded;
        if end > aligned + len {
            libc::munmap((aligned + len) as *mut libc::c_void, end - aligned - len);
        }
    }
    aligned as *mut u8
}

#[allow(unsafe_code)]
// SAFETY: the large blocks are distinct mappings, made and unmapped only
// through these functions with the layout's size; everything else is the
// system allocator's, called with the same contract as here.
unsafe impl GlobalAlloc for Allocator {
    // Each method is a size test in front of the system's, called, not
    // inlined: inlined at every allocation site, the tests made the binary
    // 8% larger (the default allocator is called too), and its start
    // slower (W8).
    #[inline(never)]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if small::small(layout.size(), layout.align()) {
            // SAFETY: see `small::alloc`.
            unsafe { small::alloc(layout.size()) }
        } else if large(layout.size(), layout.align()) {
            // SAFETY: see `map`.
            unsafe { map_large(layout.size(), false) }
        } else {
            // SAFETY: the caller's layout, passed on.
            unsafe { System.alloc(layout) }
        }
    }

    #[inline(never)]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if small::small(layout.size(), layout.align()) {
            // SAFETY: see `small::alloc`; the block is cleared within its
            // size (a reused one holds what it last held).
            unsafe {
                let p = small::alloc(layout.size());
                if !p.is_null() {
                    ptr::write_bytes(p, 0, layout.size());
                }
                p
            }
        } else if large(layout.size(), layout.align()) {
            // SAFETY: see `map`.
            unsafe { map_large(layout.size(), true) }
        } else {
            // SAFETY: the caller's layout, passed on.
            unsafe { System.alloc_zeroed(layout) }
        }
    }

    #[inline(never)]
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        if small::small(layout.size(), layout.align()) {
            // SAFETY: `p` came from `small::alloc` with this size (the
            // caller's contract: the layout it was allocated with).
            unsafe { small::free(p, layout.size()) }
        } else if large(layout.size(), layout.align()) {
            // SAFETY: `p` came from `map` with this size (the caller's
            // contract: the layout it was allocated with).
            unsafe { unmap_large(p, layout.size()) }
        } else {
            // SAFETY: the caller's block and layout, passed on.
            unsafe { System.dealloc(p, layout) }
        }
    }

    #[inline(never)]
    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let align = layout.align();
        let (was, will) = (
            small::small(layout.size(), align),
            small::small(new_size, align),
        );
        if was && will && small::same_class(layout.size(), new_size) {
            // the block already has the room
            p
        } else if was || will || large(layout.size(), align) || large(new_size, align) {
            // SAFETY: the caller's contract for `realloc`, passed on.
            unsafe { realloc_across(p, layout, new_size) }
        } else {
            // SAFETY: the caller's block and layout, passed on.
            unsafe { System.realloc(p, layout, new_size) }
        }
    }
}

/// A large block of `size` bytes: a kept mapping that holds it (cleared
/// first when `zeroed`), or a fresh one, [`map`] of its span (which reads
/// as zeros).
///
/// # Safety
/// See [`map`].
#[cold]
#[inline(never)]
#[allow(unsafe_code)]
unsafe fn map_large(size: usize, zeroed: bool) -> *mut u8 {
    let len = span(size);
    let kept = Kept::lock().take(len);
    if let Some(start) = kept {
        let p = start as *mut u8;
        if zeroed {
            // SAFETY: the start of a kept mapping, now the caller's.
            unsafe { ptr::write_bytes(p, 0, size) };
        }
        return p;
    }
    // SAFETY: see `map`.
    unsafe { map(len) }
}

/// Frees a large block of `size` bytes at `p`.
///
/// # Safety
/// `p` came from [`map_large`] (or [`realloc_across`]) with this size.
#[cold]
#[inline(never)]
#[allow(unsafe_code)]
unsafe fn unmap_large(p: *mut u8, size: usize) {
    let len = span(size);
    if Kept::lock().keep(p as usize, len).is_err() {
        // SAFETY: the caller's contract: our mapping of this span.
        unsafe {
            libc::munmap(p.cast(), len);
        }
    }
}

/// `realloc` where the old block or the new one is large.
///
/// # Safety
/// `GlobalAlloc::realloc`'s contract.
#[cold]
#[inline(never)]
#[allow(unsafe_code)]
unsafe fn realloc_across(p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
    let align = layout.align();
    if large(layout.size(), align) && large(new_size, align) {
        let (old, new) = (span(layout.size()), span(new_size));
        if new == old {
            return p;
        }
        if new < old {
            // SAFETY: the tail of our own mapping, past the new span.
            unsafe {
                libc::munmap(p.add(new).cast(), old - new);
            }
            return p;
        }
        // A kept mapping's pages are in memory: copying the block there
        // costs about what the kernel would spend zeroing the new pages of
        // a moved one, and the old mapping is kept in turn.
        let kept = Kept::lock().take(new);
        if let Some(start) = kept {
            let q = start as *mut u8;
            // SAFETY: two distinct mappings of ours, the old block read
            // within its size; the old one is then freed (or kept).
            unsafe {
                ptr::copy_nonoverlapping(p, q, layout.size());
                unmap_large(p, layout.size());
            }
            return q;
        }
        // SAFETY: a fresh aligned mapping is made as the target, and the
        // old pages are moved over it (MREMAP_FIXED replaces it), so the
        // block keeps its contents uncopied.
        return unsafe {
            let target = map(new);
            if target.is_null() {
                return ptr::null_mut();
            }
            let moved = libc::mremap(
                p.cast(),
                old,
                new,
                libc::MREMAP_MAYMOVE | libc::MREMAP_FIXED,
                target.cast::<libc::c_void>(),
            );
            if moved == libc::MAP_FAILED {
                libc::munmap(target.cast(), new);
                return ptr::null_mut();
            }
            target
        };
    }
    // across a threshold (small, the system's, large): a new block, the
    // contents copied
    // SAFETY: `Layout` rules for `new_size` are the caller's contract for
    // `realloc`.
    let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, align) };
    // SAFETY: allocate, copy what both hold, free the old.
    unsafe {
        let q = Allocator.alloc(new_layout);
        if !q.is_null() {
            ptr::copy_nonoverlapping(p, q, layout.size().min(new_size));
            Allocator.dealloc(p, layout);
        }
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes a pattern over `len` bytes from `p`.
    #[allow(unsafe_code)]
    fn fill(p: *mut u8, len: usize) {
        for i in (0..len).step_by(4093) {
            // SAFETY: within the block.
            unsafe { *p.add(i) = (i % 251) as u8 };
        }
    }

    /// Whether the pattern of `fill` is there over `len` bytes.
    #[allow(unsafe_code)]
    fn holds(p: *const u8, len: usize) -> bool {
        // SAFETY: within the block.
        (0..len)
            .step_by(4093)
            .all(|i| unsafe { *p.add(i) } == (i % 251) as u8)
    }

    /// A block that grows from small to large, within its mapping, past
    /// it (moved by `mremap`), shrinks back and is freed keeps its
    /// contents at every step, and large blocks are aligned to 2 MiB.
    #[test]
    #[allow(unsafe_code)]
    fn blocks_keep_their_contents_through_every_kind_of_growth() {
        let a = Allocator;
        let sizes = [
            4096,
            LARGE - 1,
            LARGE,
            LARGE + 12345,
            HUGE,
            3 * HUGE + 1,
            9 * HUGE,
            HUGE + 7,
            100,
        ];
        // SAFETY: each block is used within its size and freed once.
        unsafe {
            let mut layout = Layout::from_size_align(sizes[0], 8).unwrap();
            let mut p = a.alloc(layout);
            assert!(!p.is_null());
            fill(p, layout.size());
            for &n in &sizes[1..] {
                let kept = layout.size().min(n);
                p = a.realloc(p, layout, n);
                assert!(!p.is_null());
                assert!(holds(p, kept), "contents lost growing to {n}");
                layout = Layout::from_size_align(n, 8).unwrap();
                if large(n, 8) {
                    assert_eq!(p as usize % HUGE, 0);
                }
                fill(p, n);
            }
            a.dealloc(p, layout);
        }
    }

    /// Freed mappings are kept within both limits, and handed out from
    /// the smallest that holds the block, the rest of it kept.
    #[test]
    fn kept_mappings_are_reused_smallest_first_within_their_limits() {
        let mut k = Kept::new();
        assert_eq!(k.take(HUGE), None);
        assert!(k.keep(100 * HUGE, 4 * HUGE).is_ok());
        assert!(k.keep(200 * HUGE, 2 * HUGE).is_ok());
        assert!(k.keep(300 * HUGE, 3 * HUGE).is_ok());
        assert_eq!(k.bytes, 9 * HUGE);
        // 2 MiB from the 4 MiB one would leave the smallest fit unused.
        assert_eq!(k.take(HUGE), Some(200 * HUGE));
        assert_eq!(k.take(HUGE), Some(201 * HUGE));
        assert_eq!(k.take(4 * HUGE), Some(100 * HUGE));
        assert_eq!(k.take(4 * HUGE), None);
        assert_eq!(k.take(2 * HUGE), Some(300 * HUGE));
        assert_eq!((k.len, k.bytes), (1, HUGE));
        assert_eq!(k.take(HUGE), Some(302 * HUGE));
        assert_eq!((k.len, k.bytes), (0, 0));
        // the limits: bytes, then count
        assert!(k.keep(0, KEPT + HUGE).is_err());
        for i in 0..KEPT_MAPPINGS {
            assert!(k.keep(i * 10 * HUGE, HUGE).is_ok());
        }
        assert!(k.keep(999 * HUGE, HUGE).is_err());
        assert_eq!(k.bytes, KEPT_MAPPINGS * HUGE);
    }

    /// A large block freed and asked for again, zeroed, reads as zeros,
    /// whether its pages were kept or fresh; one grown into a kept
    /// mapping keeps its contents.
    #[test]
    #[allow(unsafe_code)]
    fn reused_blocks_are_zeroed_when_asked_and_keep_contents_when_grown() {
        let a = Allocator;
        let layout = Layout::from_size_align(3 * LARGE, 8).unwrap();
        // SAFETY: each block is used within its size and freed once.
        unsafe {
            let p = a.alloc(layout);
            assert!(!p.is_null());
            ptr::write_bytes(p, 0xa5, layout.size());
            a.dealloc(p, layout);
            let q = a.alloc_zeroed(layout);
            assert!(!q.is_null());
            assert!((0..layout.size()).step_by(613).all(|i| *q.add(i) == 0));
            // free a larger one, so that the next growth finds it kept
            let big = Layout::from_size_align(9 * LARGE, 8).unwrap();
            let r = a.alloc(big);
            a.dealloc(r, big);
            fill(q, layout.size());
            let grown = a.realloc(q, layout, 8 * LARGE);
            assert!(!grown.is_null());
            assert!(holds(grown, layout.size()));
            a.dealloc(grown, Layout::from_size_align(8 * LARGE, 8).unwrap());
        }
    }

    /// A large zeroed block reads as zeros, and large blocks of the
    /// largest alignment the system path would not give are aligned.
    #[test]
    #[allow(unsafe_code)]
    fn large_blocks_are_zeroed_and_aligned() {
        let a = Allocator;
        let layout = Layout::from_size_align(5 * LARGE + 3, 1 << 16).unwrap();
        // SAFETY: the block is read within its size and freed once.
        unsafe {
            let p = a.alloc_zeroed(layout);
            assert!(!p.is_null());
            assert_eq!(p as usize % (1 << 16), 0);
            assert!((0..layout.size()).step_by(997).all(|i| *p.add(i) == 0));
            a.dealloc(p, layout);
        }
    }
}
