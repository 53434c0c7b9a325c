//! One colour per partition, from the Okabe-Ito palette (distinguishable with the common forms of
//! colour blindness), used alike on records, lanes, ownership chips and leaders.

/// (background, ink): each colour with the text colour that reads on it at 4.5:1 or better.
const OKABE_ITO: [(&str, &str); 7] = [
    ("#E69F00", "#0b0f13"),
    ("#56B4E9", "#0b0f13"),
    ("#009E73", "#0b0f13"),
    ("#F0E442", "#0b0f13"),
    ("#0072B2", "#ffffff"),
    ("#D55E00", "#0b0f13"),
    ("#CC79A7", "#0b0f13"),
];

/// Inline CSS setting `--partition-color` and `--partition-ink` for partition `p`.
pub fn partition_style(p: u32) -> String {
    let (color, ink) = OKABE_ITO[p as usize % OKABE_ITO.len()];
    format!("--partition-color: {color}; --partition-ink: {ink}")
}
