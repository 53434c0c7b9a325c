//! The editing panel: everything a lecturer sets up but the class need not see all the time.
//! It opens and closes with its button or the `E` key; the stage keeps a quick produce.

pub mod group_admin;
pub mod produce_draft;
pub mod produce_settings;
pub mod session_admin;
pub mod side_panel;
pub mod stream_settings;
pub mod topic_admin;

/// Reads a number field as a count. Browsers hand `type=number` fields over as typed, so "1e3"
/// and "4294967296" arrive as text: an exponent form counts if it is whole, and a count past
/// `u32::MAX` saturates, so that the engine's own limit ("at most 1024 partitions") explains it
/// rather than a wrong "not a whole number". Blank, negative and fractional text is `None`.
pub(crate) fn parse_count(text: &str) -> Option<u32> {
    let text = text.trim();
    if let Ok(n) = text.parse::<u32>() {
        return Some(n);
    }
    let x: f64 = text.parse().ok()?;
    // `as` saturates at u32::MAX; -0 reads as 0.
    (x.is_finite() && x >= 0.0 && x.fract() == 0.0).then_some(x as u32)
}

#[cfg(test)]
mod tests {
    use super::parse_count;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn counts_are_whole_non_negative_numbers_and_saturate() {
        assert_eq!(parse_count(" 12 "), Some(12));
        assert_eq!(parse_count("1e3"), Some(1000));
        assert_eq!(parse_count("4294967296"), Some(u32::MAX));
        assert_eq!(parse_count("99999999999999999999999"), Some(u32::MAX));
        for bad in ["", "2.5", "-1", "abc", "inf", "NaN", "1e400"] {
            assert_eq!(parse_count(bad), None, "{bad:?}");
        }
    }
}
