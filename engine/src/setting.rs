//! Settings with a fixed list of values, each named the way Kafka or its clients name it.
//!
//! A lecturer picks an assignor, a commit mode, a cleanup policy or a partitioner from a list. The
//! engine owns those lists and their names (`RangeAssignor`, `compact,delete`, librdkafka's
//! `consistent_random`), so every view shows the same words and none relabels an engine enum.

/// A setting whose values can be listed and named.
pub trait Setting: Copy + PartialEq + std::fmt::Debug + Send + Sync + 'static {
    /// Every value, in the order a menu offers them.
    const ALL: &'static [Self];
    /// The value's name, as Kafka's configuration or client documentation spells it.
    fn name(self) -> &'static str;
}
