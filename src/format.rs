//! Pure formatting helpers shared by the views: how keys, values and bytes are shown.

/// A key or value as text: UTF-8 when it is, otherwise hex. `None` shows as `null`.
pub fn bytes_as_text(bytes: Option<&[u8]>) -> String {
    match bytes {
        None => "null".to_string(),
        Some(b) => match std::str::from_utf8(b) {
            Ok(s) => s.to_string(),
            Err(_) => hex(b),
        },
    }
}

/// Bytes as space-separated lowercase hex pairs.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" ")
}

/// A long key shortened for a small cell: its first `n` characters and an ellipsis.
pub fn short(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(n).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn shows_null_utf8_and_hex() {
        assert_eq!(bytes_as_text(None), "null");
        assert_eq!(bytes_as_text(Some(b"abc")), "abc");
        assert_eq!(bytes_as_text(Some(&[0xff, 0x00])), "ff 00");
        assert_eq!(short("16b77e26-6aac", 4), "16b7…");
        assert_eq!(short("ab", 4), "ab");
    }
}
