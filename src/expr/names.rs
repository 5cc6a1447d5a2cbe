//! The store's variable names: each name's text, the first 16 bytes of
//! its natural key (the order variables sort in) and, where it is longer,
//! the whole key, all kept end to end in a few arrays, and a table that finds a name's index by
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
//!
//! A new name whose text ends in a number larger than that of every name
//! before it with the same text in front (`t1`, `t2`, ... and `x1`, ...,
//! `x10000`, as programs and the parser make them) is known to be new
//! without a lookup: the largest such number is kept for each text in
//! front. It is appended, and joins the table only when a name comes that
//! must be looked up, all such names then at once, placed in the order of
//! the table's entries ([`Table::insert_many`]). A program of W3's size
//! would otherwise probe the table (4 MiB) at random for each new name,
//! nearly always a cache miss: 60% of `Store::sym`'s time, and it grew
//! 23-fold from N=1000 to N=10000.

use std::hash::BuildHasher;

use super::index::Table;
use rustc_hash::FxHashMap;

use super::{ExprId, Sym, order};

#[derive(Clone)]
pub(super) struct Names {
    /// Every name's text, end to end.
    text: String,
    /// Where each name's text ends in `text` (it starts where the one
    /// before it ends).
    ends: Vec<usize>,
    /// The [`order::natural_key`] of each name whose key is longer than
    /// its head (16 bytes), end to end; a shorter key is its head (`t1`
    /// to `t99999999`, `x1`: every name a program makes), and is not
    /// kept twice.
    keys: Vec<u8>,
    /// Where each name's key ends in `keys` (where the one before ended,
    /// for a short key).
    key_ends: Vec<usize>,
    /// Room for a new name's key, kept between names.
    scratch: Vec<u8>,
    /// The first 16 bytes of each name's key (zeros after a shorter key),
    /// big-endian: two names compare by these alone unless they are equal
    /// (`x12` against `x13`: always).
    heads: Vec<u128>,
    /// Each name's index (as an id) by the hash of its text, but for the
    /// last `pending.len()` names.
    table: Table,
    /// The newest names, not in the table yet: the hash of each, and its
    /// index.
    pending: Vec<(u32, ExprId)>,
    /// For each text in front of a name's last run of digits, the largest
    /// number such a run spells (`u64::MAX` for a longer run).
    suffixes: FxHashMap<Box<str>, u64>,
}

impl Default for Names {
    fn default() -> Names {
        Names {
            text: String::new(),
            ends: Vec::new(),
            keys: Vec::new(),
            key_ends: Vec::new(),
            scratch: Vec::new(),
            heads: Vec::new(),
            table: Table::with_capacity(0),
            pending: Vec::new(),
            suffixes: FxHashMap::default(),
        }
    }
}

/// 32 bits of the hash of a name's text.
fn hash(name: &str) -> u32 {
    let h = rustc_hash::FxBuildHasher.hash_one(name);
    (h >> 32) as u32 ^ h as u32
}

/// A name as the text in front of its last run of digits and the number
/// the run spells (`u64::MAX` past it); `None` where it ends in no digit.
fn split_suffix(name: &str) -> Option<(&str, u64)> {
    let digits = name.bytes().rev().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let (front, run) = name.split_at(name.len() - digits);
    Some((front, run.parse().unwrap_or(u64::MAX)))
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
        let is = |id: ExprId| self.get(Sym(id.0)) == name;
        self.table
            .find(h, is)
            .or_else(|| {
                // the pending names (none after an `intern` that looked up)
                self.pending
                    .iter()
                    .find(|&&(ph, id)| ph == h && is(id))
                    .map(|(_, id)| id)
            })
            .map(|id| Sym(id.0))
    }

    /// The index of `name`, if it is one of the names.
    pub(super) fn find(&self, name: &str) -> Option<Sym> {
        self.find_hashed(hash(name), name)
    }

    /// Whether `name` is new by its last number alone (see the module's
    /// comment); the number is then kept as the largest for its front.
    fn new_by_suffix(&mut self, name: &str) -> bool {
        let Some((front, n)) = split_suffix(name) else {
            return false;
        };
        match self.suffixes.get_mut(front) {
            Some(max) if *max < n => {
                *max = n;
                true
            }
            Some(_) => false,
            None => {
                self.suffixes.insert(front.into(), n);
                true
            }
        }
    }

    /// The index of `name`, added as the next name if it is new.
    pub(super) fn intern(&mut self, name: &str) -> Sym {
        let h = hash(name);
        let s = Sym(self.ends.len() as u32);
        if self.new_by_suffix(name) {
            self.pending.push((h, ExprId(s.0)));
        } else {
            if !self.pending.is_empty() {
                self.table.insert_many(&mut self.pending);
            }
            if let Some(s) = self.find_hashed(h, name) {
                return s;
            }
            self.table.insert(h, ExprId(s.0));
        }
        self.text.push_str(name);
        self.ends.push(self.text.len());
        self.scratch.clear();
        order::natural_key_into(name, &mut self.scratch);
        self.heads.push(key_head(&self.scratch));
        if self.scratch.len() > 16 {
            self.keys.extend_from_slice(&self.scratch);
        }
        self.key_ends.push(self.keys.len());
        s
    }

    /// The natural order of two names ([`order::natural_cmp`]), by their
    /// keys.
    pub(super) fn cmp(&self, a: Sym, b: Sym) -> std::cmp::Ordering {
        let (a, b) = (a.0 as usize, b.0 as usize);
        // heads that differ order as the keys do: at the first byte where
        // they differ either both keys have a byte, or the shorter key
        // ended, and is then a prefix of the other (the smaller). Equal
        // heads are two short keys, equal, or two long ones, compared as
        // kept: no key is a prefix of another (each run starts with a
        // byte 1 or 2, and the key ends at the first 0 in that place), so
        // a short key padded with zeros is no long key's head.
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
        // the newest names, known new by their numbers, are not in the
        // table yet, and are found all the same
        assert!(!n.pending.is_empty());
        for (i, t) in texts.iter().enumerate().rev().take(8) {
            assert_eq!(n.find(t), Some(Sym(i as u32)));
        }
        for (i, t) in texts.iter().enumerate() {
            assert_eq!(n.intern(t), Sym(i as u32));
            assert_eq!(n.find(t), Some(Sym(i as u32)));
            assert_eq!(n.get(Sym(i as u32)), t);
        }
        assert!(n.pending.is_empty());
        assert_eq!(n.find("x"), None);
        // a number spelled with leading zeros, or past u64, is a name of
        // its own
        for t in [
            "x0001",
            "x1",
            "x00",
            "x0",
            "x99999999999999999999999",
            "x99999999999999999999998",
        ] {
            let s = n.intern(t);
            assert_eq!(n.get(s), t);
            assert_eq!(n.intern(t), s);
        }
        assert_eq!(n.len(), texts.len() + 5);
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
