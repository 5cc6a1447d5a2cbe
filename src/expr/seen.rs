//! Finding a key in a short list kept in order of first occurrence.

use rustc_hash::FxHashMap;

use super::ExprId;

/// Up to this many entries, a list is searched from the start: most sums
/// and products have a few terms, and a hash map for them costs more than
/// it saves.
const LINEAR: usize = 16;

/// The positions of the keys of a list that grows at its end, each key
/// once (the like terms of a sum, the bases of a product): a linear search
/// among few entries, a hash map from the key to its position past
/// [`LINEAR`], built the first time it is needed.
#[derive(Debug, Default)]
pub(crate) struct FirstSeen {
    at: FxHashMap<ExprId, usize>,
}

impl FirstSeen {
    /// The position of `k` in `list`, whose entries have the keys `key`.
    pub(crate) fn find<T>(
        &mut self,
        list: &[T],
        key: impl Fn(&T) -> ExprId,
        k: ExprId,
    ) -> Option<usize> {
        if list.len() <= LINEAR {
            return list.iter().position(|x| key(x) == k);
        }
        if self.at.is_empty() {
            self.at
                .extend(list.iter().enumerate().map(|(i, x)| (key(x), i)));
        }
        self.at.get(&k).copied()
    }

    /// Notes that `k` was pushed at position `i` of the list.
    pub(crate) fn pushed(&mut self, k: ExprId, i: usize) {
        if !self.at.is_empty() {
            self.at.insert(k, i);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_key_before_and_past_the_linear_search() {
        let mut list: Vec<ExprId> = Vec::new();
        let mut seen = FirstSeen::default();
        for round in 0..2 {
            for k in 0..40u32 {
                let id = ExprId(k * 7 % 40);
                match seen.find(&list, |x| *x, id) {
                    Some(i) => {
                        assert_eq!(list[i], id);
                        assert_eq!(round, 1, "{k} found before it was pushed");
                    }
                    None => {
                        assert_eq!(round, 0, "{k} lost");
                        list.push(id);
                        seen.pushed(id, list.len() - 1);
                    }
                }
            }
        }
        assert_eq!(list.len(), 40);
    }
}
