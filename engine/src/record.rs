//! Records: the unit of data in Kafka.
//!
//! A record (what the course calls a *message*, carrying an *event*) is a key-value pair with a
//! timestamp and headers. Key and value are plain bytes to Kafka: strings, JSON, Avro or `null`;
//! serializers turn them into bytes (`StringSerializer` uses UTF-8). A `null` key and an empty key
//! are different: `""` is zero bytes and is hashed like any other key.
//!
//! Headers are an *ordered list* of (string key, nullable bytes value) and may repeat a key
//! (`common/header/Headers.java`), so they are a `Vec`, not a map.
//!
//! The broker gives the record its partition and offset when it is appended; the offset is the
//! record's permanent address in that partition and is never reused.

use bytes::Bytes;
use serde::{Deserialize, Serialize};

use crate::idempotence::ProducerSequence;

/// One header of a record. Kafka allows duplicate header keys and keeps their order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    pub key: String,
    #[serde(with = "text_bytes")]
    pub value: Option<Bytes>,
}

/// Whose clock stamped the record (`message.timestamp.type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum TimestampType {
    /// The producer's clock at send time (Kafka's default).
    #[default]
    CreateTime,
    /// The broker's clock when it appended the record; overrides the producer's timestamp.
    LogAppendTime,
}

impl TimestampType {
    /// Kafka's config value.
    pub fn config_name(self) -> &'static str {
        match self {
            TimestampType::CreateTime => "CreateTime",
            TimestampType::LogAppendTime => "LogAppendTime",
        }
    }
}

/// A record as stored in a partition's log. Key, value and header values are reference-counted
/// `Bytes`: the history's snapshots share them instead of copying.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub partition: u32,
    pub offset: u64,
    pub timestamp_ms: u64,
    pub timestamp_type: TimestampType,
    /// `None` is a null key. Keyless records cannot go to compacted topics.
    pub key: Option<Bytes>,
    /// `None` is a null value: on a compacted topic that is a *tombstone* (delete this key).
    pub value: Option<Bytes>,
    pub headers: Vec<Header>,
    /// The idempotent producer's id, epoch and sequence number (Kafka's batch header fields);
    /// `None` for a producer without `enable.idempotence`.
    #[serde(default)]
    pub sequence: Option<ProducerSequence>,
}

impl Record {
    /// The record's size as this simulation counts it: key bytes + value bytes + for each header
    /// its key's UTF-8 bytes and its value bytes. Kafka's on-disk size adds per-record varint
    /// framing and a per-batch header of 61 bytes; those are left out so the numbers stay easy to
    /// follow on screen. `batch.size`, `segment.bytes`, `retention.bytes` and `max.message.bytes`
    /// are all compared against this size.
    pub fn size_bytes(&self) -> u64 {
        payload_size(self.key.as_deref(), self.value.as_deref(), &self.headers)
    }

    /// A null value marks a tombstone on compacted topics.
    pub fn is_tombstone(&self) -> bool {
        self.value.is_none()
    }
}

/// Size of a record's payload, shared by produce-time checks and stored records.
pub fn payload_size(key: Option<&[u8]>, value: Option<&[u8]>, headers: &[Header]) -> u64 {
    let header_bytes: usize = headers
        .iter()
        .map(|h| h.key.len() + h.value.as_ref().map_or(0, Bytes::len))
        .sum();
    (key.map_or(0, <[u8]>::len) + value.map_or(0, <[u8]>::len) + header_bytes) as u64
}

/// Payload bytes (keys, values, header values) in scenario files: bytes that are UTF-8 text are
/// written as a JSON string (`"key": "16b77e26-..."`), anything else as an array of byte values
/// (`[255, 0]`); both are read back, and `null` is a null key or value. Text keeps scenario files
/// readable and their links short.
pub mod text_bytes {
    use bytes::Bytes;
    use serde::de::{self, SeqAccess, Visitor};
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(payload: &Option<Bytes>, serializer: S) -> Result<S::Ok, S::Error> {
        match payload {
            None => serializer.serialize_none(),
            Some(bytes) => match std::str::from_utf8(bytes) {
                Ok(text) => serializer.serialize_some(text),
                Err(_) => serializer.serialize_some(&bytes.to_vec()),
            },
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Bytes>, D::Error> {
        deserializer.deserialize_option(PayloadVisitor)
    }

    struct PayloadVisitor;

    impl<'de> Visitor<'de> for PayloadVisitor {
        type Value = Option<Bytes>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("null, a string, or an array of byte values from 0 to 255")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
        fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
            Ok(Some(Bytes::copy_from_slice(text.as_bytes())))
        }
        fn visit_bytes<E: de::Error>(self, bytes: &[u8]) -> Result<Self::Value, E> {
            Ok(Some(Bytes::copy_from_slice(bytes)))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut bytes = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
            while let Some(byte) = seq.next_element::<u8>()? {
                bytes.push(byte);
            }
            Ok(Some(Bytes::from(bytes)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_are_text_when_they_can_be_and_byte_arrays_otherwise() {
        let text = Header { key: "eventType".into(), value: Some(Bytes::from_static(b"ProductCreatedEvent")) };
        let raw = Header { key: "blob".into(), value: Some(Bytes::from_static(&[0xff, 0x00])) };
        let none = Header { key: "n".into(), value: None };
        for (header, json) in [
            (&text, r#"{"key":"eventType","value":"ProductCreatedEvent"}"#),
            (&raw, r#"{"key":"blob","value":[255,0]}"#),
            (&none, r#"{"key":"n","value":null}"#),
        ] {
            assert_eq!(serde_json::to_string(header).unwrap(), json);
            assert_eq!(&serde_json::from_str::<Header>(json).unwrap(), header);
        }
        assert!(serde_json::from_str::<Header>(r#"{"key":"k","value":[256]}"#).is_err());
        assert!(serde_json::from_str::<Header>(r#"{"key":"k","value":7}"#).is_err());
    }

    #[test]
    fn size_counts_key_value_and_headers() {
        let record = Record {
            partition: 0,
            offset: 0,
            timestamp_ms: 0,
            timestamp_type: TimestampType::CreateTime,
            key: Some(Bytes::from_static(b"abc")),
            value: Some(Bytes::from_static(b"12345")),
            headers: vec![
                Header { key: "h".into(), value: Some(Bytes::from_static(b"xy")) },
                Header { key: "h".into(), value: None },
            ],
            sequence: None,
        };
        assert_eq!(record.size_bytes(), 3 + 5 + (1 + 2) + 1);
        assert!(!record.is_tombstone());
    }
}
