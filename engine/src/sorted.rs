//! Building the engine's sorted maps and sets.
//!
//! Kafka keeps topics, members and partitions in sorted order wherever order is visible (an
//! assignor's input, `kafka-topics.sh --describe`), and so does the engine, with `BTreeMap` and
//! `BTreeSet`. `collect()` into one of them first sorts a buffer of all the items, and that sort
//! is compiled afresh for every key and value type: about 4.6 KB of shipped wasm each. Inserting
//! the items one at a time reuses the tree's own `insert`, which those types compile anyway.

/// A sorted map or set built from `items` one insertion at a time. An equal key met again keeps
/// the later value, as `collect()` would.
pub(crate) fn by_insertion<C: Default + Extend<T>, T>(items: impl IntoIterator<Item = T>) -> C {
    let mut sorted = C::default();
    sorted.extend(items);
    sorted
}

#[cfg(test)]
mod tests {
    use super::by_insertion;
    use std::collections::{BTreeMap, BTreeSet};

    #[test]
    fn items_come_out_sorted_and_a_repeated_key_keeps_its_later_value() {
        let map: BTreeMap<&str, u32> = by_insertion([("b", 1), ("a", 2), ("b", 3)]);
        assert_eq!(map.into_iter().collect::<Vec<_>>(), vec![("a", 2), ("b", 3)]);
        let set: BTreeSet<u32> = by_insertion([3, 1, 3, 2]);
        assert_eq!(set.into_iter().collect::<Vec<_>>(), vec![1, 2, 3]);
    }
}
