//! The store's index: every node's id, found by the node's hash.
//!
//! A node is filed under its [`Key`]: 32 bits of its hash, and its
//! *anchor*, the id of one of its operands (the newest that is not a
//! sum's or product's number; a variable's name index; `0` for a number or
//! constant). The
//! index is one hash table per range of `2^SHARD_BITS` anchors, so a node
//! is kept beside the other nodes built on operands near its own. A
//! derivative, a tidying pass or the parser builds node after node from
//! operands that lie near each other in the store: their lookups stay in
//! a few small tables that the caches hold, where one table for the whole
//! store, once it outgrew the caches (a gradient of 10,000 variables:
//! 2 MiB), missed them on nearly every lookup of a node not yet stored.
//! (Many nodes on one anchor, such as every power of `x`, only make its
//! table larger: each is an ordinary hash table that grows.)
//!
//! Each table is open addressing with linear probing over one array of
//! 8-byte entries, a node's id beside its key's hash. A lookup reads the
//! entries from the one the hash places it at, usually within one cache
//! line, and tells nodes apart by their hashes before it reads a node.
//! Nodes are never removed, so there are no tombstones; a table doubles
//! when it is three quarters full, each entry placed again by its hash
//! alone (no node is hashed again).

use super::ExprId;

/// Where the index files a node (see the module's comment).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Key {
    /// 32 bits of the node's hash.
    hash: u32,
    /// The id of the operand the node is filed by.
    anchor: u32,
}

impl Key {
    /// The key of a node whose hash is `h`, filed by `anchor`.
    pub(super) fn new(h: u64, anchor: u32) -> Key {
        Key {
            hash: (h >> 32) as u32 ^ h as u32,
            anchor,
        }
    }
}

/// Anchors whose nodes share a table: `2^SHARD_BITS` of them. Smaller
/// ranges keep the tables of the nodes being built smaller, and cost a
/// table (at least 128 bytes) for each range; 256 was the fastest of 64,
/// 256, 1,024 and 4,096 for a W3 gradient of 1,000 and of 10,000
/// variables.
const SHARD_BITS: u32 = 8;

/// Node ids by [`Key`]: one [`Table`] for each range of anchors.
#[derive(Clone)]
pub(super) struct Index {
    shards: Vec<Table>,
}

impl Index {
    /// An index with room for `n` nodes on the first anchors.
    pub(super) fn with_capacity(n: usize) -> Index {
        Index {
            shards: vec![Table::with_capacity(n)],
        }
    }

    /// The id kept under `key` for which `is` holds, if any.
    #[inline]
    pub(super) fn find(&self, key: Key, is: impl FnMut(ExprId) -> bool) -> Option<&ExprId> {
        self.shards
            .get((key.anchor >> SHARD_BITS) as usize)?
            .find(key.hash, is)
    }

    /// Keeps `id` under `key`; `id` is not in the index yet.
    #[inline]
    pub(super) fn insert(&mut self, key: Key, id: ExprId) {
        let s = (key.anchor >> SHARD_BITS) as usize;
        if s >= self.shards.len() {
            self.add_shards(s);
        }
        self.shards[s].insert(key.hash, id);
    }

    /// Tables up to shard `s`, each with room for as many entries as the
    /// newest one holds so far: nodes built on neighbouring ranges of
    /// anchors are alike in number, and a table that starts near its size
    /// is copied fewer times as it grows.
    #[cold]
    fn add_shards(&mut self, s: usize) {
        let n = self.shards.last().map_or(0, |t| t.len);
        self.shards.resize_with(s + 1, || Table::with_capacity(n));
    }
}

#[derive(Clone, Copy)]
struct Entry {
    /// 32 bits of the node's hash ([`Key`]).
    hash: u32,
    /// [`ExprId::NONE`] where the entry is empty.
    id: ExprId,
}

const EMPTY: Entry = Entry {
    hash: 0,
    id: ExprId::NONE,
};

/// Entries of the smallest table.
const MIN_BUCKETS: usize = 16;

/// Node ids by hash: one shard of the [`Index`]; also the store's table
/// of variable names (`names.rs`), which keeps a name's index as the id.
#[derive(Clone)]
pub(super) struct Table {
    entries: Vec<Entry>,
    len: usize,
    /// `64 - log2(entries.len())`: a hash's home is the top bits of its
    /// product with a large odd constant (Fibonacci hashing).
    shift: u32,
}

impl Table {
    /// A table with room for `n` entries before it grows.
    pub(super) fn with_capacity(n: usize) -> Table {
        let buckets = (n + n / 3 + 1).next_power_of_two().max(MIN_BUCKETS);
        Table {
            entries: vec![EMPTY; buckets],
            len: 0,
            shift: 64 - buckets.trailing_zeros(),
        }
    }

    fn home(&self, hash: u32) -> usize {
        (u64::from(hash).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize
    }

    /// The id kept under `hash` for which `is` holds, if any.
    #[inline]
    pub(super) fn find(&self, hash: u32, mut is: impl FnMut(ExprId) -> bool) -> Option<&ExprId> {
        let mask = self.entries.len() - 1;
        let mut i = self.home(hash);
        loop {
            let e = &self.entries[i];
            if e.id == ExprId::NONE {
                return None;
            }
            if e.hash == hash && is(e.id) {
                return Some(&e.id);
            }
            i = (i + 1) & mask;
        }
    }

    /// Keeps `id` under `hash`; `id` is not in the table yet.
    #[inline]
    pub(super) fn insert(&mut self, hash: u32, id: ExprId) {
        if 4 * (self.len + 1) > 3 * self.entries.len() {
            self.grow();
        }
        self.place(Entry { hash, id });
        self.len += 1;
    }

    /// Keeps each `(hash, id)` of `items` (none of them in the table yet),
    /// `items` left empty. They are placed region by region of the table
    /// (a 4,096th of it each, found by a counting sort of the items: two
    /// passes over them), so that a table of any size is written from one
    /// end to the other, each entry near the last, not at random.
    pub(super) fn insert_many(&mut self, items: &mut Vec<(u32, ExprId)>) {
        let n = self.len + items.len();
        while 4 * n > 3 * self.entries.len() {
            self.grow();
        }
        let bits = self.entries.len().trailing_zeros();
        let region_bits = bits.min(12);
        let region = |h: u32| self.home(h) >> (bits - region_bits);
        let mut starts = vec![0usize; (1 << region_bits) + 1];
        for &(h, _) in items.iter() {
            starts[region(h) + 1] += 1;
        }
        for r in 1..starts.len() {
            starts[r] += starts[r - 1];
        }
        let mut sorted = vec![EMPTY; items.len()];
        for &(hash, id) in items.iter() {
            let at = &mut starts[region(hash)];
            sorted[*at] = Entry { hash, id };
            *at += 1;
        }
        items.clear();
        for e in sorted {
            self.place(e);
        }
        self.len = n;
    }

    fn place(&mut self, e: Entry) {
        let mask = self.entries.len() - 1;
        let mut i = self.home(e.hash);
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
        let mut t = Table::with_capacity(0);
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

    /// Entries kept all at once (into an empty table, and into one that
    /// holds some already, growing it) are found as those kept one by one.
    #[test]
    fn keeps_many_at_once() {
        let mut t = Table::with_capacity(0);
        let key = |i: u32| {
            if i.is_multiple_of(5) {
                11
            } else {
                i.wrapping_mul(2_654_435_761)
            }
        };
        let mut items: Vec<(u32, ExprId)> = (0..700).map(|i| (key(i), ExprId(i))).collect();
        t.insert_many(&mut items);
        assert!(items.is_empty());
        for i in 700..900 {
            t.insert(key(i), ExprId(i));
        }
        let mut items: Vec<(u32, ExprId)> = (900..20_000).map(|i| (key(i), ExprId(i))).collect();
        t.insert_many(&mut items);
        assert_eq!(t.len, 20_000);
        assert!(4 * t.len <= 3 * t.entries.len());
        for i in 0..20_000 {
            assert_eq!(t.find(key(i), |id| id.0 == i).map(|id| id.0), Some(i));
        }
        assert!(t.find(key(20_001), |_| true).is_none());
    }

    /// Half the nodes on one anchor, the others each on an anchor of its
    /// own across many shards: each is found under its own key, and a
    /// hash kept under one anchor is not found under another's shard,
    /// nor beyond the last shard.
    #[test]
    fn files_nodes_by_anchor() {
        let mut ix = Index::with_capacity(0);
        let keys: Vec<Key> = (0..3000u32)
            .map(|i| Key {
                hash: i.wrapping_mul(2_654_435_761),
                anchor: if i % 2 == 0 { 5 } else { 97 * i },
            })
            .collect();
        for (i, &k) in keys.iter().enumerate() {
            assert!(ix.find(k, |_| true).is_none());
            ix.insert(k, ExprId(i as u32));
        }
        assert_eq!(ix.shards.len(), ((97 * 2999) >> SHARD_BITS) + 1);
        for (i, &k) in keys.iter().enumerate() {
            assert_eq!(
                ix.find(k, |id| id.0 == i as u32).map(|id| id.0),
                Some(i as u32)
            );
        }
        let moved = Key {
            anchor: keys[1].anchor + (1 << SHARD_BITS),
            ..keys[1]
        };
        assert!(ix.find(moved, |_| true).is_none());
        let beyond = Key {
            anchor: u32::MAX,
            ..keys[1]
        };
        assert!(ix.find(beyond, |_| true).is_none());
    }
}
