//! The store's index: every node's id, found by the node's hash.
//!
//! Open addressing with linear probing over one array of 8-byte entries,
//! each a node's id beside 32 bits of its hash ([`key`]). A lookup reads
//! the entries from the one its key places it at, usually within one cache
//! line, and tells nodes apart by their keys before it reads a node: the
//! table alone answers for every entry that is not the one sought. (A
//! general-purpose table keeps a separate array of control bytes and so
//! reads two lines at two random places for each lookup: once the index
//! outgrows the caches, as it does for a gradient of 10,000 variables,
//! that is two misses per node built instead of one.)
//!
//! Nodes are never removed, so there are no tombstones; the table doubles
//! when it is three quarters full, each entry placed again by its key
//! alone (no node is hashed again).

use super::ExprId;

/// The 32 bits of a node's hash that its entry keeps.
pub(super) fn key(h: u64) -> u32 {
    (h >> 32) as u32 ^ h as u32
}

#[derive(Clone, Copy)]
struct Entry {
    key: u32,
    /// [`ExprId::NONE`] where the entry is empty.
    id: ExprId,
}

const EMPTY: Entry = Entry {
    key: 0,
    id: ExprId::NONE,
};

/// Entries of the smallest table.
const MIN_BUCKETS: usize = 16;

/// Node ids by hash (see the module's comment).
#[derive(Clone)]
pub(super) struct Index {
    entries: Vec<Entry>,
    len: usize,
    /// `64 - log2(entries.len())`: a key's home is the top bits of its
    /// product with a large odd constant (Fibonacci hashing).
    shift: u32,
}

impl Index {
    /// A table with room for `n` entries before it grows.
    pub(super) fn with_capacity(n: usize) -> Index {
        let buckets = (n + n / 3 + 1).next_power_of_two().max(MIN_BUCKETS);
        Index {
            entries: vec![EMPTY; buckets],
            len: 0,
            shift: 64 - buckets.trailing_zeros(),
        }
    }

    fn home(&self, key: u32) -> usize {
        (u64::from(key).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize
    }

    /// The id kept under `key` for which `is` holds, if any.
    #[inline]
    pub(super) fn find(&self, key: u32, mut is: impl FnMut(ExprId) -> bool) -> Option<&ExprId> {
        let mask = self.entries.len() - 1;
        let mut i = self.home(key);
        loop {
            let e = &self.entries[i];
            if e.id == ExprId::NONE {
                return None;
            }
            if e.key == key && is(e.id) {
                return Some(&e.id);
            }
            i = (i + 1) & mask;
        }
    }

    /// Keeps `id` under `key`; `id` is not in the table yet.
    #[inline]
    pub(super) fn insert(&mut self, key: u32, id: ExprId) {
        if 4 * (self.len + 1) > 3 * self.entries.len() {
            self.grow();
        }
        self.place(Entry { key, id });
        self.len += 1;
    }

    fn place(&mut self, e: Entry) {
        let mask = self.entries.len() - 1;
        let mut i = self.home(e.key);
        while self.entries[i].id != ExprId::NONE {
            i = (i + 1) & mask;
        }
        self.entries[i] = e;
    }

    #[cold]
    fn grow(&mut self) {
        let buckets = 2 * self.entries.len();
        let old = std::mem::replace(&mut self.entries, vec![EMPTY; buckets]);
        self.shift = 64 - buckets.trailing_zeros();
        for e in old {
            if e.id != ExprId::NONE {
                self.place(e);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys that all land on one home and keys spread out: every id is
    /// found under its own key by its own test, none under another's, and
    /// growth keeps them all.
    #[test]
    fn finds_what_it_keeps_through_growth() {
        let mut t = Index::with_capacity(0);
        let keys: Vec<u32> = (0..5000u32)
            .map(|i| {
                if i % 3 == 0 {
                    7
                } else {
                    i.wrapping_mul(2_654_435_761)
                }
            })
            .collect();
        for (i, &k) in keys.iter().enumerate() {
            assert!(t.find(k, |id| id.0 == i as u32).is_none());
            t.insert(k, ExprId(i as u32));
        }
        assert!(t.entries.len() >= 4 * 5000 / 3);
        for (i, &k) in keys.iter().enumerate() {
            assert_eq!(
                t.find(k, |id| id.0 == i as u32).map(|id| id.0),
                Some(i as u32)
            );
            assert!(t.find(k, |id| id.0 == i as u32 + 5000).is_none());
        }
        // a key never kept: nothing, whatever the test of a node says
        assert!(!keys.contains(&8));
        assert!(t.find(8, |_| true).is_none());
    }
}
