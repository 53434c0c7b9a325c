//! The editing panel: everything a lecturer sets up but the class need not see all the time.
//! It opens and closes with its button or the `E` key; the stage keeps a quick produce.

pub mod group_admin;
pub mod produce_draft;
pub mod produce_settings;
pub mod session_admin;
pub mod side_panel;
pub mod stream_settings;
pub mod topic_admin;

/// The `node_ref` of a number field that shows `text` and never rewrites what is being typed. A
/// `type="number"` field reports half-typed input ("-", "2.") as "", and a plain `bind:value`
/// wrote that "" back, erasing the "-" (so "-2" became "2" and "2.5" became "52"). The text is
/// written only when it differs from what the field reports, which typing never makes it do.
/// Use with `on:input` setting the signal `text` reads.
pub(crate) fn number_field(text: impl Fn() -> String + Send + Sync + 'static) -> leptos::prelude::NodeRef<leptos::html::Input> {
    use leptos::prelude::*;
    let field = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        let text = text();
        if let Some(el) = field.get() {
            if el.value() != text {
                el.set_value(&text);
            }
        }
    });
    field
}

/// Reads a number field as a count: digits only, so blank, negative, fractional and exponent
/// text ("1e3") is `None`. A count past `u32::MAX` ("4294967296") saturates, so that the engine's
/// own limit ("at most 1024 partitions") explains it rather than a wrong "not a whole number".
/// (Reading "1e3" would link the float parser and its tables: 13 KB gzipped for a rare input.)
pub(crate) fn parse_count(text: &str) -> Option<u32> {
    crate::format::whole_number(text.trim(), u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::parse_count;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn counts_are_whole_non_negative_numbers_and_saturate() {
        assert_eq!(parse_count(" 12 "), Some(12));
        assert_eq!(parse_count("4294967296"), Some(u32::MAX));
        assert_eq!(parse_count("99999999999999999999999"), Some(u32::MAX));
        for bad in ["", "2.5", "-1", "+1", "abc", "1e3", "inf", "NaN"] {
            assert_eq!(parse_count(bad), None, "{bad:?}");
        }
    }
}
