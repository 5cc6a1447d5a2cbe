//! The store's variable names: each name's text, its natural key (the
//! order variables sort in) and the first 16 bytes of that key, all kept
//! end to end in a few arrays, and a table that finds a name's index by
//! its hash.
//!
//! Why: a gradient program names every step (`t1`, ..., `g1`, ...): W3's
//! at N=10000 interns 290,000 names. Kept as a `String` each, a boxed key
//! each, and a hash map from a second copy of the text to the index, a
//! name took three blocks from the allocator (each a cold line when taken
//! from a free list), and each growth of the map read every name's text
//! again to hash it: `Store::sym` was a fifth of `grad --cse` there, and
//! grew faster than the names did. Here a name is appended to the text
//! and the keys, and the table ([`index::Table`]) keeps its index beside
//! 32 bits of its hash, so a growth reads the table alone, and a lookup
//! reads a name's text only where the hashes agree.

use std::hash::BuildHasher;

use super::index::Table;
use super::{ExprId, Sym, order};

#[derive(Clone)]
pub(super) struct Names {
    /// Every name's text, end to end.
    text: String,
    /// Where each name's text ends in `text` (it starts where the one
    /// before it ends).
    ends: Vec<usize>,
    /// Every name's [`order::natural_key`], end to end.
    keys: Vec<u8>,
    /// Where each name's key ends in `keys`.
    key_ends: Vec<usize>,
    /// The first 16 bytes of each name's key (zeros after a shorter key),
    /// big-endian: two names compare by these alone unless they are equal
    /// (`x12` against `x13`: always).
    heads: Vec<u128>,
    /// Each name's index (as an id) by the hash of its text.
    table: Table,
}

impl Default for Names {
    fn default() -> Names {
        Names {
            text: String::new(),
            ends: Vec::new(),
            keys: Vec::new(),
            key_ends: Vec::new(),
            heads: Vec::new(),
            table: Table::with_capacity(0),
        }
    }
}

/// 32 bits of the hash of a name's text.
fn hash(name: &str) -> u32 {
    let h = rustc_hash::FxBuildHasher.hash_one(name);
    (h >> 32) as u32 ^ h as u32
}

/// The first 16 bytes of a name's key, big-endian (so that integers
/// compare as the bytes do), zeros after a shorter key.
fn key_head(key: &[u8]) -> u128 {
    let mut head = [0u8; 16];
    let n = key.len().min(16);
    head[..n].copy_from_slice(&key[..n]);
    u128::from_be_bytes(head)
}

impl Names {
    /// How many names there are.
    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }

    /// The text of name `i`.
    pub(super) fn get(&self, s: Sym) -> &str {
        let i = s.0 as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    fn key(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.key_ends[i - 1] };
        &self.keys[start..self.key_ends[i]]
    }

    fn find_hashed(&self, h: u32, name: &str) -> Option<Sym> {
        self.table
            .find(h, |id| self.get(Sym(id.0)) == name)
            .map(|id| Sym(id.0))
    }

    /// The index of `name`, if it is one of the names.
    pub(super) fn find(&self, name: &str) -> Option<Sym> {
        self.find_hashed(hash(name), name)
    }

    /// The index of `name`, added as the next name if it is new.
    pub(super) fn intern(&mut self, name: &str) -> Sym {
        let h = hash(name);
        if let Some(s) = self.find_hashed(h, name) {
            return s;
        }
        let s = Sym(self.ends.len() as u32);
        self.text.push_str(name);
        self.ends.push(self.text.len());
        let start = self.keys.len();
        order::natural_key_into(name, &mut self.keys);
        self.heads.push(key_head(&self.keys[start..]));
        self.key_ends.push(self.keys.len());
        self.table.insert(h, ExprId(s.0));
        s
    }

    /// The natural order of two names ([`order::natural_cmp`]), by their
    /// keys.
    pub(super) fn cmp(&self, a: Sym, b: Sym) -> std::cmp::Ordering {
        let (a, b) = (a.0 as usize, b.0 as usize);
        // heads that differ order as the keys do: at the first byte where
        // they differ either both keys have a byte, or the shorter key
        // ended, and is then a prefix of the other (the smaller)
        self.heads[a]
            .cmp(&self.heads[b])
            .then_with(|| self.key(a).cmp(self.key(b)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Names come back by their index and their text, once each, through
    /// the table's growth, and order as `natural_cmp` orders their texts.
    #[test]
    fn interns_finds_and_orders_names() {
        let mut n = Names::default();
        let texts: Vec<String> = (0..3000)
            .map(|i| match i % 4 {
                0 => format!("x{i}"),
                1 => format!("t0{i}"),
                2 => format!("α_{}", 3000 - i),
                _ => format!("w{}_{}", i % 7, i),
            })
            .collect();
        for (i, t) in texts.iter().enumerate() {
            assert_eq!(n.find(t), None);
            assert_eq!(n.intern(t), Sym(i as u32));
        }
        assert_eq!(n.len(), texts.len());
        for (i, t) in texts.iter().enumerate() {
            assert_eq!(n.intern(t), Sym(i as u32));
            assert_eq!(n.find(t), Some(Sym(i as u32)));
            assert_eq!(n.get(Sym(i as u32)), t);
        }
        assert_eq!(n.find("x"), None);
        for i in (0..texts.len()).step_by(37) {
            for j in (0..texts.len()).step_by(41) {
                assert_eq!(
                    n.cmp(Sym(i as u32), Sym(j as u32)),
                    order::natural_cmp(&texts[i], &texts[j]),
                    "{} {}",
                    texts[i],
                    texts[j]
                );
            }
        }
    }
}
