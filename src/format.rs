//! Pure formatting helpers shared by the views: how keys, values and bytes are shown.

/// A key or value as text: UTF-8 when it is, otherwise hex. `None` shows as `null`, and zero
/// bytes as `""`: an empty key is not a null key (it is hashed), so it must not look like nothing.
pub fn bytes_as_text(bytes: Option<&[u8]>) -> String {
    match bytes {
        None => "null".to_string(),
        Some([]) => "\"\"".to_string(),
        Some(b) => match std::str::from_utf8(b) {
            Ok(s) => s.to_string(),
            Err(_) => hex(b),
        },
    }
}

/// A record's key as text ([`bytes_as_text`]), with a key whose text is `null` quoted: the four
/// characters are a key like any other (hashed), the null key is no key at all, and a cell or
/// the inspector must not show them alike.
pub fn key_as_text(key: Option<&[u8]>) -> String {
    match key {
        Some(b"null") => "\"null\"".to_string(),
        _ => bytes_as_text(key),
    }
}

/// A key as a lane draws it ([`key_as_text`]), quoted and spelled out where plain text would
/// lose or misread it ([`key_spelled_out`]): a key of one space is not a blank cell, nor a
/// zero-width space the empty key. (The inspector shows the key as it is, beside its bytes.)
pub fn key_on_lane(key: Option<&[u8]>) -> String {
    let text = key_as_text(key);
    // Zero bytes are `""` already, "null" is quoted, and bytes that are not UTF-8 are hex.
    match key.filter(|k| !k.is_empty() && *k != b"null" && std::str::from_utf8(k).is_ok()).and(key_spelled_out(&text)) {
        Some(spelled) => format!("\"{spelled}\""),
        None => text,
    }
}

/// Reads text of ASCII digits only (no sign, point, exponent or spaces) as a number; digits past
/// `max` saturate to it. Anything else is `None`. One reading for number fields and URL steps.
pub fn whole_number<T: std::str::FromStr>(text: &str, max: T) -> Option<T> {
    let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    // With digits only, the one way parsing can fail is overflow.
    digits.then(|| text.parse().unwrap_or(max))
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

/// A key as a sentence must spell it, if plain text would lose or misread it: spaces at either
/// end, runs of them, tabs and newlines (HTML folds them all into one space, so `"  user-1  "`
/// read as `" user-1"`), characters that draw nothing (a zero-width space, a byte order mark, a
/// soft hyphen) or turn the text around (bidirectional overrides: `"\u202Eabc"` drew as
/// `cba`), a quote or a backslash. Spaces come out as `␣`, the rest escaped as in a Java string
/// literal (`\t`, `\"`, `\u200B`). `None` when the text reads as is. (A zero-width
/// joiner stays: it joins emoji such as 👩‍💻.)
pub fn key_spelled_out(text: &str) -> Option<String> {
    let unseen = |c: char| {
        (c.is_whitespace() && c != ' ')
            || c.is_control()
            || matches!(c, '\u{ad}' | '\u{200b}' | '\u{200c}' | '\u{200e}' | '\u{200f}' | '\u{2060}' | '\u{feff}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    let hidden = text.starts_with(char::is_whitespace)
        || text.ends_with(char::is_whitespace)
        || text.contains("  ")
        || text.contains(|c: char| unseen(c) || c == '"' || c == '\\');
    hidden.then(|| {
        text.chars()
            .map(|c| match c {
                ' ' => "␣".to_string(),
                // Java's escapes, as a Kafka engineer would type the key in a test.
                '"' | '\\' => format!("\\{c}"),
                '\t' => "\\t".to_string(),
                '\n' => "\\n".to_string(),
                '\r' => "\\r".to_string(),
                c if c.is_control() || unseen(c) => format!("\\u{:04X}", u32::from(c)),
                c => c.to_string(),
            })
            .collect()
    })
}

/// A key in a sentence of the narration, its first `n` characters: quoted where it is spelled
/// out (see [`key_spelled_out`]), empty, or the word `null` (a null key is another thing). A key
/// at most four characters longer stays whole: "iphone-1…" for "iphone-12" saves nothing and
/// reads like another key.
pub fn key_in_sentence(key: &[u8], n: usize) -> String {
    // Zero bytes are shown as `""` already.
    let text = bytes_as_text(Some(key));
    let cut = |t: &str| if t.chars().count() <= n + 4 { t.to_string() } else { short(t, n) };
    match key_spelled_out(&text) {
        _ if key.is_empty() => text,
        Some(spelled) => format!("\"{}\"", cut(&spelled)),
        None if text == "null" => "\"null\"".to_string(),
        // Right-to-left letters are isolated (U+2068 ... U+2069): else the sentence's own words
        // around the key are drawn reordered ("key שלום hashed" read back to front).
        None if text.contains(|c| matches!(c, '\u{590}'..='\u{8ff}' | '\u{fb1d}'..='\u{fdff}' | '\u{fe70}'..='\u{fefc}' | '\u{10800}'..='\u{10fff}' | '\u{1e800}'..='\u{1efff}')) => {
            format!("\u{2068}{}\u{2069}", cut(&text))
        }
        None => cut(&text),
    }
}

/// A key split for a narrow cell: a head, which CSS cuts with an ellipsis, and its end, always
/// drawn, so keys that differ only at their end still read apart. The end is the key's last
/// digits (up to three: "customer-42" and "customer-12" read "cu…42" and "cu…12", where one
/// character gave "cus…2" for both), else its last character ("pro…a", "pro…b"). Short keys,
/// and ends that are not plain ASCII (part of an emoji must not be drawn on its own), stay whole
/// in the head.
pub fn key_tail(key: &str) -> (&str, &str) {
    let digits = key.bytes().rev().take(3).take_while(u8::is_ascii_digit).count().max(1);
    let start = key.len().saturating_sub(digits);
    // A quoted key ("null") keeps its closing quote too: without it, it reads as the null key.
    let quoted = key.len() > 2 && key.starts_with('"') && key.ends_with('"');
    if (key.chars().count() <= 6 && !quoted) || !key.is_char_boundary(start) || !key[start..].bytes().all(|b| b.is_ascii_graphic()) {
        return (key, "");
    }
    key.split_at(start)
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

/// Milliseconds as seconds with one decimal (`1300` -> `1.3`), without the float formatting
/// machinery (it would weigh about 13 KB of the shipped wasm).
pub fn seconds(ms: u64) -> String {
    format!("{}.{}", ms / 1000, ms % 1000 / 100)
}

/// `part / whole` as a percentage with one decimal, at most 100 (`1, 8` -> `12.5`).
pub fn percent(part: u64, whole: u64) -> String {
    let permille = (part.saturating_mul(1000) / whole.max(1)).min(1000);
    format!("{}.{}", permille / 10, permille % 10)
}

/// A count and its noun: `1 older record`, `3 older records`.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
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
///
/// The JSON is checked by reading it as a `serde_json::Value` with the reader the page links
/// anyway (a check-only reader of bytes was a second copy, 1.4 KB), then re-indented as text,
/// which keeps the key order the producer wrote.
pub fn pretty_value(bytes: Option<&[u8]>) -> String {
    match bytes.and_then(|b| std::str::from_utf8(b).ok()) {
        Some(text) if serde_json::from_str::<serde_json::Value>(text).is_ok() => reindent_json(text),
        _ => bytes_as_text(bytes),
    }
}

/// Re-indents valid JSON text by two spaces per level, one member per line, as
/// `serde_json::to_string_pretty` prints it; strings are copied untouched.
pub fn reindent_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let mut chars = text.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.extend(std::iter::repeat_n("  ", depth));
    };
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                let close = if c == '{' { '}' } else { ']' };
                while chars.peek().is_some_and(|n| n.is_whitespace()) {
                    chars.next();
                }
                if chars.peek() == Some(&close) {
                    out.push(chars.next().expect("peeked"));
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

/// What a record's value says, in a word a cell can show under its key: for a JSON object, its
/// first field (by name) that is a string or a number and not an id (`userId`, `productId`, or the
/// key itself), so one user's updates read "Sergei", "Serjei", "Sergey" and a price change reads
/// "1129", then "1199"; for other text, the text. A null value is a tombstone, the record that
/// deletes its key from a compacted topic: it says "null", so its cell does not read like one
/// whose value is merely not yet committed. Bytes that are not text say nothing here: the
/// inspector tells them.
pub fn value_gist(value: Option<&[u8]>, key: Option<&[u8]>) -> Option<String> {
    let Some(value) = value else { return Some("null".to_string()) };
    let text = std::str::from_utf8(value).ok()?.trim();
    let Ok(serde_json::Value::Object(fields)) = serde_json::from_str::<serde_json::Value>(text) else {
        return (!text.is_empty()).then(|| text.to_string());
    };
    let key = key.and_then(|k| std::str::from_utf8(k).ok());
    fields.iter().find_map(|(name, field)| {
        let said = match field {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Number(n) => n.to_string(),
            _ => return None,
        };
        let id = name.ends_with("Id") || name.ends_with("_id") || name == "id" || Some(said.as_str()) == key;
        (!id && !said.is_empty()).then_some(said)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn shows_null_utf8_and_hex() {
        assert_eq!(bytes_as_text(None), "null");
        assert_eq!(key_as_text(None), "null");
        assert_eq!(key_as_text(Some(b"null")), "\"null\"");
        assert_eq!(key_as_text(Some(b"nullable")), "nullable");
        assert_eq!(bytes_as_text(Some(b"abc")), "abc");
        assert_eq!(bytes_as_text(Some(&[0xff, 0x00])), "ff 00");
        assert_eq!(short("16b77e26-6aac", 4), "16b7…");
        assert_eq!(short("ab", 4), "ab");
        assert_eq!(key_tail("product-1"), ("product-", "1"));
        assert_eq!(key_tail("customer-42"), ("customer-", "42"), "the last digits, so customer-12 reads apart");
        assert_eq!(key_tail("customer-1234"), ("customer-1", "234"), "three at most");
        assert_eq!(key_tail("product-a"), ("product-", "a"));
        assert_eq!(key_tail("16b77e26-6aac-4da5-bd17-ca1caeb91461"), ("16b77e26-6aac-4da5-bd17-ca1caeb91", "461"));
        assert_eq!(key_tail("user-1"), ("user-1", ""), "short keys stay whole");
        assert_eq!(key_tail("null"), ("null", ""));
        assert_eq!(key_tail("\"null\""), ("\"null", "\""));
        assert_eq!(key_tail("\"\""), ("\"\"", ""));
        assert_eq!(key_tail("clé-café"), ("clé-café", ""), "not plain ASCII");
        assert_eq!(key_tail("emoji-🙂🙂"), ("emoji-🙂🙂", ""));
    }

    #[wasm_bindgen_test]
    fn keys_a_sentence_would_misread_are_quoted_and_spelled_out() {
        assert_eq!(key_in_sentence(b"user-42", 8), "user-42");
        assert_eq!(key_in_sentence(b"user 42", 8), "user 42", "one inner space reads as it is");
        assert_eq!(key_in_sentence(b"  user-1  ", 12), "\"␣␣user-1␣␣\"");
        assert_eq!(key_in_sentence(b"  user-1  ", 8), "\"␣␣user-1␣␣\"", "two more characters: whole");
        assert_eq!(key_in_sentence(b"  user-12345  ", 8), "\"␣␣user-1…\"");
        assert_eq!(key_in_sentence(b"iphone-12", 8), "iphone-12");
        assert_eq!(key_in_sentence(b"16b77e26-6aac-4da5-bd17-ca1caeb91461", 8), "16b77e26…");
        assert_eq!(key_in_sentence(b"a\tb", 8), "\"a\\tb\"");
        assert_eq!(key_in_sentence(b"\"", 8), "\"\\\"\"");
        assert_eq!(key_in_sentence("שלום".as_bytes(), 8), "\u{2068}שלום\u{2069}", "isolated from the sentence's direction");
        assert_eq!(key_in_sentence("Сергей".as_bytes(), 8), "Сергей", "left-to-right letters need no isolation");
        assert_eq!(key_in_sentence(b"null", 8), "\"null\"");
        assert_eq!(key_in_sentence(b"", 8), "\"\"");
        assert_eq!(key_spelled_out("Zürich"), None);
        assert_eq!(key_in_sentence("\u{200b}".as_bytes(), 8), "\"\\u200B\"", "a zero-width space is not the empty key");
        assert_eq!(key_in_sentence("\u{feff}k".as_bytes(), 8), "\"\\uFEFFk\"");
        assert_eq!(key_in_sentence("\u{202e}abc".as_bytes(), 8), "\"\\u202Eabc\"", "an override does not turn the sentence around");
        assert_eq!(key_in_sentence("a\u{a0}b".as_bytes(), 8), "\"a\\u00A0b\"", "a no-break space is not a space");
        assert_eq!(key_spelled_out("👩\u{200d}💻"), None, "a zero-width joiner joins emoji");
        assert_eq!(key_on_lane(Some(b" ")), "\"␣\"", "a key of one space is not a blank cell");
        assert_eq!(key_as_text(Some(b" ")), " ", "the inspector shows it as it is");
        assert_eq!(key_on_lane(Some(b"a b")), "a b");
        assert_eq!(key_on_lane(Some(b"")), "\"\"", "the empty key stays two quotes");
        assert_eq!(key_on_lane(Some(b"null")), "\"null\"");
        assert_eq!(key_on_lane(None), "null");
        assert_eq!(key_on_lane(Some(&[0xff, 0x20])), "ff 20", "not UTF-8: hex, as it was");
    }

    #[wasm_bindgen_test]
    fn formats_epoch_millis_as_iso_utc() {
        assert_eq!(iso_time(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_time(1_767_225_600_123), "2026-01-01T00:00:00.123Z");
        assert_eq!(iso_time(951_782_400_000 + 3_723_004), "2000-02-29T01:02:03.004Z");
    }

    #[wasm_bindgen_test]
    fn seconds_and_percentages_keep_one_decimal() {
        assert_eq!(seconds(1_300), "1.3");
        assert_eq!(seconds(59), "0.0");
        assert_eq!(seconds(604_800_000), "604800.0");
        assert_eq!(percent(1, 8), "12.5");
        assert_eq!(percent(8, 3), "100.0");
        assert_eq!(percent(0, 0), "0.0");
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
        // Key order kept, nesting indented, strings (with escapes and separators) untouched.
        let value = br#"{"z":1, "a":{"list":[1, {"k":"v, \"q\" {x}"}], "e":{}},"b":[]}"#;
        let pretty = "{\n  \"z\": 1,\n  \"a\": {\n    \"list\": [\n      1,\n      {\n        \"k\": \"v, \\\"q\\\" {x}\"\n      }\n    ],\n    \"e\": {}\n  },\n  \"b\": []\n}";
        assert_eq!(pretty_value(Some(value)), pretty);
        assert_eq!(pretty_value(None), "null");
    }

    /// Export indents the compact JSON itself rather than link serde's pretty printer: the file
    /// must come out as that printer writes it, for every scene and lesson and a session of one.
    #[wasm_bindgen_test]
    fn an_exported_file_is_indented_as_serdes_pretty_printer_does() {
        for entry in crate::scene::SCENES.iter().chain(crate::scene::LESSONS.iter()) {
            let scenario = entry.scenario().expect("built in");
            assert_eq!(reindent_json(&scenario.to_compact_json()), scenario.to_json(), "{}", scenario.name);
        }
    }

    #[wasm_bindgen_test]
    fn a_value_gist_is_its_first_telling_field() {
        let user = br#"{"userId": "16b77e26", "firstName": "Sergei"}"#;
        assert_eq!(value_gist(Some(user), Some(b"16b77e26")).as_deref(), Some("Sergei"));
        let product = br#"{"productId": "852e", "title": "iPhone 15", "price": 1129, "quantity": 19}"#;
        assert_eq!(value_gist(Some(product), Some(b"852e")).as_deref(), Some("1129"), "fields by name: price first");
        assert_eq!(value_gist(Some(br#"{"name": "k1", "n": true}"#), Some(b"k1")), None, "the key and booleans say nothing new");
        assert_eq!(value_gist(Some(b" hello "), None).as_deref(), Some("hello"));
        assert_eq!(value_gist(None, Some(b"k")).as_deref(), Some("null"), "a tombstone");
        assert_eq!(value_gist(Some(&[0xff, 0xfe]), None), None, "not text");
        assert_eq!(value_gist(Some(b"[1, 2]"), None).as_deref(), Some("[1, 2]"));
    }
}
