//! Links: a scenario and a history cursor, packed into the fragment of a URL.
//!
//! "Copy link" must restore the exact state on another machine, with no server: the link carries
//! the whole scenario. [`Scenario::to_link_payload`] writes its compact JSON, compresses it with
//! DEFLATE (`miniz_oxide`) and encodes it with URL-safe base64 without padding (`base64`), behind a
//! 9-byte header: the link format (1), the cursor (big-endian `u32`) and a CRC-32 of the cursor and
//! the JSON. A
//! lesson of a few hundred steps becomes a couple of kilobytes.
//!
//! [`Scenario::from_link_payload`] refuses, each with a sentence, anything that is not such a
//! link: characters outside base64, a payload cut short, a checksum that does not match (a
//! changed or lost character), a payload that inflates past 1 MB (a "zip bomb" stops at the limit
//! instead of freezing the page), and then everything [`Scenario::from_json`] refuses, and a
//! cursor past the end of the timeline.

use base64::alphabet::URL_SAFE;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use miniz_oxide::inflate::TINFLStatus;

use crate::scenario::{Scenario, ScenarioError, MAX_SCENARIO_BYTES};

/// The link format this build writes and reads.
pub const LINK_FORMAT: u8 = 1;
const HEADER_BYTES: usize = 9;
/// Longest payload read: base64 of a scenario that compressed to no more than it was.
pub const MAX_LINK_CHARS: usize = (MAX_SCENARIO_BYTES + HEADER_BYTES) * 4 / 3 + 4;

/// URL-safe base64; padding is not written and is accepted if present.
const BASE64: GeneralPurpose =
    GeneralPurpose::new(&URL_SAFE, GeneralPurposeConfig::new().with_encode_padding(false).with_decode_padding_mode(DecodePaddingMode::Indifferent));

impl Scenario {
    /// The scenario and the cursor as the text of a URL fragment (URL-safe, no `=`, `+` or `/`).
    pub fn to_link_payload(&self, cursor: usize) -> String {
        Scenario::link_payload_of(&self.to_compact_json(), cursor)
    }

    /// The link payload of a scenario already written as compact JSON ([`Scenario::to_compact_json`]),
    /// for a caller that measured the JSON first: a link to more than [`MAX_SCENARIO_BYTES`]
    /// would not open again.
    pub fn link_payload_of(json: &str, cursor: usize) -> String {
        let mut bytes = Vec::with_capacity(HEADER_BYTES + json.len() / 4);
        bytes.push(LINK_FORMAT);
        let cursor = u32::try_from(cursor).unwrap_or(u32::MAX).to_be_bytes();
        bytes.extend_from_slice(&cursor);
        bytes.extend_from_slice(&checksum(cursor, json.as_bytes()).to_be_bytes());
        bytes.extend_from_slice(&miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 9));
        BASE64.encode(bytes)
    }

    /// Reads a link payload back into the scenario and the cursor, checking everything.
    pub fn from_link_payload(payload: &str) -> Result<(Scenario, usize), ScenarioError> {
        let payload = payload.trim();
        if payload.len() > MAX_LINK_CHARS {
            return Err(ScenarioError::BadLink(format!("it is {} characters long, longer than any scenario of up to 1 MB", payload.len())));
        }
        // The decoder's own words ("Invalid symbol 37, offset 0.") tell a reader nothing.
        let bytes = BASE64
            .decode(payload)
            .map_err(|_| ScenarioError::BadLink("it has characters or a length that no Kafkascope link has (they are letters, digits, - and _)".into()))?;
        if bytes.len() < HEADER_BYTES {
            return Err(ScenarioError::DamagedLink("it is too short to hold a scenario".into()));
        }
        // Only a higher number is a version to speak of: anything else is not a link of ours.
        if bytes[0] > LINK_FORMAT {
            return Err(ScenarioError::DamagedLink(format!("it says link format {}, newer than this Kafkascope reads (format {LINK_FORMAT}): open it in the Kafkascope it came from", bytes[0])));
        }
        if bytes[0] != LINK_FORMAT {
            return Err(ScenarioError::DamagedLink("it does not begin as a Kafkascope link does, so it was cut or changed, or it is not one".into()));
        }
        let cursor = [bytes[1], bytes[2], bytes[3], bytes[4]];
        let expected = u32::from_be_bytes([bytes[5], bytes[6], bytes[7], bytes[8]]);
        let json = inflate(&bytes[HEADER_BYTES..])?;
        if checksum(cursor, &json) != expected {
            return Err(ScenarioError::DamagedLink("its checksum does not match, so part of it was changed or lost".into()));
        }
        let text = String::from_utf8(json).map_err(|_| ScenarioError::DamagedLink("it does not hold text".into()))?;
        let scenario = Scenario::from_json(&text)?;
        let cursor = u32::from_be_bytes(cursor) as usize;
        if cursor > scenario.len() {
            return Err(ScenarioError::CursorOutOfRange { cursor, steps: scenario.len() });
        }
        Ok((scenario, cursor))
    }
}

/// CRC-32 of the cursor and the JSON: a changed step number is as damaged as a changed command.
fn checksum(cursor: [u8; 4], json: &[u8]) -> u32 {
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(&cursor);
    hasher.update(json);
    hasher.finalize()
}

/// Inflates at most [`MAX_SCENARIO_BYTES`]; a payload that would inflate further is refused.
fn inflate(deflated: &[u8]) -> Result<Vec<u8>, ScenarioError> {
    miniz_oxide::inflate::decompress_to_vec_with_limit(deflated, MAX_SCENARIO_BYTES).map_err(|e| match e.status {
        TINFLStatus::HasMoreOutput => ScenarioError::LinkTooLarge,
        _ => ScenarioError::DamagedLink("its compressed data is corrupt or cut short".into()),
    })
}
