//! One colour per partition, from the Okabe-Ito palette (distinguishable with the common forms of
//! colour blindness), used alike on records, lanes and ownership markers.

const OKABE_ITO: [&str; 7] = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"];

/// The colour of partition `p`.
pub fn partition_color(p: u32) -> &'static str {
    OKABE_ITO[p as usize % OKABE_ITO.len()]
}
