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

/// Epoch milliseconds as an ISO 8601 UTC time with milliseconds.
pub fn iso_time(ms: u64) -> String {
    let (secs, millis) = (ms / 1000, ms % 1000);
    let (days, rem) = ((secs / 86_400) as i64, secs % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{millis:03}Z", rem / 3600, rem / 60 % 60, rem % 60)
}

/// A duration in the largest whole unit that fits: `7 days`, `5 min`, `300 ms`.
pub fn duration(ms: u64) -> String {
    const UNITS: [(u64, &str, &str); 4] = [(86_400_000, "day", "days"), (3_600_000, "hour", "hours"), (60_000, "min", "min"), (1_000, "s", "s")];
    for (size, one, many) in UNITS {
        if ms >= size && ms % size == 0 {
            let n = ms / size;
            return format!("{n} {}", if n == 1 { one } else { many });
        }
    }
    format!("{ms} ms")
}

/// A value for the inspector: pretty JSON when it parses as JSON, else text (or hex).
pub fn pretty_value(bytes: Option<&[u8]>) -> String {
    match bytes.map(serde_json::from_slice::<serde_json::Value>) {
        Some(Ok(json)) => serde_json::to_string_pretty(&json).unwrap_or_else(|_| bytes_as_text(bytes)),
        _ => bytes_as_text(bytes),
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

    #[wasm_bindgen_test]
    fn formats_epoch_millis_as_iso_utc() {
        assert_eq!(iso_time(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_time(1_767_225_600_123), "2026-01-01T00:00:00.123Z");
        assert_eq!(iso_time(951_782_400_000 + 3_723_004), "2000-02-29T01:02:03.004Z");
    }

    #[wasm_bindgen_test]
    fn durations_use_the_largest_whole_unit() {
        assert_eq!(duration(604_800_000), "7 days");
        assert_eq!(duration(86_400_000), "1 day");
        assert_eq!(duration(300_000), "5 min");
        assert_eq!(duration(1_500), "1500 ms");
    }

    #[wasm_bindgen_test]
    fn pretty_prints_json_values_only() {
        assert_eq!(pretty_value(Some(br#"{"a":1}"#)), "{\n  \"a\": 1\n}");
        assert_eq!(pretty_value(Some(b"<b>x</b>")), "<b>x</b>");
        assert_eq!(pretty_value(None), "null");
    }
}
