//! "Copy link": a scenario and a cursor in a URL fragment, and what a damaged link says.

use std::path::PathBuf;

use kafkascope_engine::scenario::MAX_SCENARIO_BYTES;
use kafkascope_engine::{History, Scenario, ScenarioError};

fn lesson(file: &str) -> Scenario {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../assets/lessons").join(file);
    Scenario::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn a_link_restores_the_scenario_and_the_cursor() {
    let scenario = lesson("key-ordering.json");
    let payload = scenario.to_link_payload(9);
    assert!(payload.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'), "{payload}");
    assert!(payload.len() < 4_000, "a lesson fits a short link: {} characters", payload.len());
    let (back, cursor) = Scenario::from_link_payload(&payload).unwrap();
    assert_eq!((&back, cursor), (&scenario, 9));
    let (mut a, mut b) = (History::from_scenario(&scenario).unwrap(), History::from_scenario(&back).unwrap());
    a.seek(9);
    b.seek(cursor);
    assert_eq!(a.current().fingerprint(), b.current().fingerprint());
}

fn refused(payload: &str) -> ScenarioError {
    let err = Scenario::from_link_payload(payload).expect_err("must be refused");
    assert!(err.to_string().len() > 20, "{err}");
    err
}

#[test]
fn tampered_truncated_and_foreign_links_are_refused_with_a_sentence() {
    let payload = lesson("fan-out.json").to_link_payload(3);
    assert!(matches!(refused(""), ScenarioError::DamagedLink(_)));
    assert!(matches!(refused("not a link!"), ScenarioError::BadLink(_)));
    // Said in the reader's words, not the decoder's ("Invalid symbol 37, offset 0.").
    let said = refused("%%%").to_string();
    assert!(said.contains("letters, digits, - and _") && !said.contains("symbol") && !said.contains(".)"), "{said}");
    assert!(matches!(refused("https://example.com/#/x"), ScenarioError::BadLink(_)));
    for cut in [1, 5, 12, payload.len() / 2, payload.len() - 1] {
        let err = refused(&payload[..cut]);
        assert!(matches!(err, ScenarioError::DamagedLink(_) | ScenarioError::BadLink(_)), "cut at {cut}: {err:?}");
    }
    let original_scenario = lesson("fan-out.json");
    let mut chars: Vec<char> = payload.chars().collect();
    for i in [0, 3, 9, 20, chars.len() / 2, chars.len() - 2] {
        let original = chars[i];
        chars[i] = if original == 'A' { 'B' } else { 'A' };
        let tampered: String = chars.iter().collect();
        // A flip is refused, unless it only touched bits the DEFLATE stream ignores (padding at
        // the end of a block): then the link still says exactly the same thing.
        match Scenario::from_link_payload(&tampered) {
            Err(err) => assert!(matches!(err, ScenarioError::DamagedLink(_) | ScenarioError::BadLink(_)), "flip at {i}: {err:?}"),
            Ok((scenario, cursor)) => assert_eq!((&scenario, cursor), (&original_scenario, 3), "flip at {i} changed the content unnoticed"),
        }
        chars[i] = original;
    }
    // A first byte that is no format of ours is not read as a version (a page of "A"s is 0s).
    let said = refused(&"A".repeat(400)).to_string();
    assert!(said.contains("does not begin as a Kafkascope link does") && !said.contains("format 0"), "{said}");
    let mut newer: Vec<char> = payload.chars().collect();
    newer[0] = 'B'; // the first byte's top 6 bits: format 5
    assert!(refused(&newer.iter().collect::<String>()).to_string().contains("newer than this Kafkascope reads"));
    let too_far = lesson("fan-out.json").to_link_payload(99);
    assert!(matches!(refused(&too_far), ScenarioError::CursorOutOfRange { cursor: 99, .. }));
}

#[test]
fn a_zip_bomb_stops_at_one_megabyte() {
    use base64::Engine;
    let bomb = vec![b' '; 20 * MAX_SCENARIO_BYTES];
    let mut bytes = vec![1, 0, 0, 0, 0, 0, 0, 0, 0];
    bytes.extend(miniz_oxide::deflate::compress_to_vec(&bomb, 9));
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes);
    assert!(payload.len() < 100_000, "{}", payload.len());
    assert_eq!(refused(&payload), ScenarioError::LinkTooLarge);
}
