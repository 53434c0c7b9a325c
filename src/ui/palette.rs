//! One colour per partition, from the Okabe-Ito palette (distinguishable with the common forms of
//! colour blindness), used alike on records, lanes, ownership chips and leaders.
//!
//! The colours themselves live in the style sheet as classes `p0` to `p6`, each setting
//! `--partition-color` and the `--partition-ink` that reads on it at 4.5:1 or better. Classes,
//! not inline styles, so the page runs under a Content-Security-Policy without `'unsafe-inline'`.

/// Colours in the palette; partition `p` gets colour `p % PALETTE_SIZE`.
pub const PALETTE_SIZE: u32 = 7;

const CLASSES: [&str; PALETTE_SIZE as usize] = ["p0", "p1", "p2", "p3", "p4", "p5", "p6"];

/// The class that colours partition `p`.
pub fn partition_class(p: u32) -> &'static str {
    CLASSES[(p % PALETTE_SIZE) as usize]
}

/// `base` plus the class that colours partition `p`.
pub fn with_partition(base: &str, p: u32) -> String {
    format!("{base} {}", partition_class(p))
}
