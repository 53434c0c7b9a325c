//! Producer input: the records of a batch as lines for `kafka-console-producer.sh` and `kcat -P`.
//!
//! The console producer (`LineMessageReader`) splits a line at the first `key.separator`, so the
//! separator must occur in no key (values may contain it). With `parse.headers=true` a line starts
//! with `key:value,key:value` and a tab; `null.marker` stands for a null key, value or header list.
//! kcat splits at the first `-K` delimiter; a line without one has a null key, and `-Z` turns an
//! empty key or value into null (so with `-Z` an empty, non-null key or value cannot be sent).
//! Both read one record per line, so a value spanning lines cannot be sent, nor bytes that are not
//! UTF-8 text.

use super::{SentRecord, BOOTSTRAP_SERVER};
use crate::acknowledgement::{Acks, ProducerConfig};
use crate::partitioner::{java_partition, HashAlgorithm, PartitionChoice};
use crate::record::Header;
use crate::setting::Setting;

/// Separators tried in order: the first that occurs in no key is used.
const SEPARATORS: [&str; 12] = ["|", ":", "#", ";", "~", "^", "=", "@", "%", "!", "+", "*"];
/// Null markers tried in order: the first equal to no key or value is used.
const NULL_MARKERS: [&str; 4] = ["<null>", "<NULL>", "<nil>", "<none>"];
/// Most per-record notes a batch lists before summing up the rest.
const MAX_NOTES: usize = 8;

/// A tool's command line and what to type (or pipe) into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolInput {
    pub command: String,
    pub input: String,
    /// The key separator the input uses.
    pub separator: String,
}

impl ToolInput {
    /// The command fed by a shell heredoc.
    pub fn heredoc(&self) -> String {
        let end = ["EOF", "END_OF_RECORDS", "KAFKASCOPE_EOF"].into_iter().find(|e| !self.input.lines().any(|l| l == *e)).unwrap_or("KAFKASCOPE_EOF");
        format!("{} <<'{end}'\n{}{end}\n", self.command, self.input)
    }
}

fn utf8(bytes: &[u8]) -> Option<&str> {
    std::str::from_utf8(bytes).ok().filter(|t| !t.contains(['\n', '\r']))
}

pub(crate) fn describe(record: &SentRecord) -> String {
    let key = record.key.as_deref().map_or("a null key".to_string(), |k| format!("key '{}'", crate::goal_check::text(k)));
    format!("The record at offset {} of partition {} ({key})", record.offset, record.partition)
}

/// Notes on records a real producer would send elsewhere, given the partition count.
pub(crate) fn partition_notes(records: &[SentRecord], partitions: u32) -> Vec<String> {
    let mut notes = Vec::new();
    for r in records {
        let how = match &r.choice {
            // A key hashed as Java hashes it lands where a console producer puts it; a null key
            // that librdkafka's murmur2 hashed as zero bytes does not.
            PartitionChoice::KeyHash(t) if t.algorithm == HashAlgorithm::Murmur2 && !t.null_key => continue,
            PartitionChoice::KeyHash(t) if t.null_key => format!("librdkafka's {} hash of a null key as zero bytes", t.algorithm.name()),
            PartitionChoice::KeyHash(t) => format!("librdkafka's {} hash", t.algorithm.name()),
            PartitionChoice::Explicit { .. } => "an explicit partition".to_string(),
            PartitionChoice::Sticky { .. } => "the sticky partitioner".to_string(),
            PartitionChoice::RoundRobin { .. } => "round-robin".to_string(),
            PartitionChoice::Random { .. } => "a random pick".to_string(),
        };
        let real = match r.key.as_deref() {
            Some(k) => format!("a console producer hashes its key to partition {}", java_partition(k, partitions)),
            None => "a real producer picks a partition for a null key itself".to_string(),
        };
        notes.push(format!("{} got there by {how}; {real}.", describe(r)));
    }
    cap(notes)
}

fn cap(mut notes: Vec<String>) -> Vec<String> {
    if notes.len() > MAX_NOTES {
        let more = notes.len() - MAX_NOTES;
        notes.truncate(MAX_NOTES);
        notes.push(format!("... and {more} more records like these."));
    }
    notes
}

fn separator(records: &[SentRecord]) -> Option<&'static str> {
    SEPARATORS.into_iter().find(|s| records.iter().all(|r| r.key.as_deref().is_none_or(|k| !k.windows(s.len()).any(|w| w == s.as_bytes()))))
}

fn null_marker(records: &[SentRecord]) -> &'static str {
    let used = |m: &str| records.iter().any(|r| r.key.as_deref() == Some(m.as_bytes()) || r.value.as_deref() == Some(m.as_bytes()));
    NULL_MARKERS.into_iter().find(|m| !used(m)).unwrap_or(NULL_MARKERS[0])
}

/// Flags that give a run of records its producer's `acks` and `enable.idempotence`, for the
/// console producer and for kcat, where they differ from each tool's default. The Java producer
/// defaults to acks=all with idempotence (and drops idempotence by itself under acks 0 or 1);
/// librdkafka, under kcat, defaults to acks=all without it.
pub(crate) fn settings_flags(config: ProducerConfig) -> (String, String) {
    let (mut java, mut librdkafka) = (String::new(), String::new());
    if config.acks != Acks::All {
        java = format!(" --producer-property acks={}", config.acks.name());
        librdkafka = format!(" -X acks={}", config.acks.name());
    } else if config.enable_idempotence {
        librdkafka = " -X enable.idempotence=true".to_string();
    } else {
        java = " --producer-property enable.idempotence=false".to_string();
    }
    (java, librdkafka)
}

/// The console producer's input for the batch; records it cannot express get a note.
pub fn console_producer(topic: &str, records: &[SentRecord], notes: &mut Vec<String>) -> Option<ToolInput> {
    let Some(sep) = separator(records) else {
        notes.push(format!("Every key separator ({}) occurs in some key, so the console producer cannot tell key from value here.", SEPARATORS.join(" ")));
        return None;
    };
    let marker = null_marker(records);
    let headers = records.iter().any(|r| !r.headers.is_empty());
    let (mut lines, mut skipped, mut needs_marker) = (String::new(), Vec::new(), false);
    for r in records {
        match console_line(r, sep, marker, headers) {
            Ok((line, marked)) => {
                lines.push_str(&line);
                lines.push('\n');
                needs_marker |= marked;
            }
            Err(why) => skipped.push(format!("{} is left out of the console producer's input: {why}.", describe(r))),
        }
    }
    notes.extend(cap(skipped));
    if lines.is_empty() {
        return None;
    }
    let mut command = format!(
        "kafka-console-producer.sh --bootstrap-server {BOOTSTRAP_SERVER} --topic {topic} --property parse.key=true --property key.separator='{sep}'"
    );
    if headers {
        command.push_str(" --property parse.headers=true");
    }
    if needs_marker {
        command.push_str(&format!(" --property null.marker='{marker}'"));
    }
    Some(ToolInput { command, input: lines, separator: sep.to_string() })
}

/// One line, and whether it used the null marker.
fn console_line(r: &SentRecord, sep: &str, marker: &str, with_headers: bool) -> Result<(String, bool), String> {
    let mut marked = false;
    let mut field = |bytes: Option<&[u8]>, what: &str| -> Result<String, String> {
        match bytes {
            None => {
                marked = true;
                Ok(marker.to_string())
            }
            Some(b) => match utf8(b) {
                Some(t) if t == marker => Err(format!("its {what} is the null marker '{marker}'")),
                Some(t) => Ok(t.to_string()),
                None => Err(format!("its {what} is not a single line of UTF-8 text")),
            },
        }
    };
    let key = field(r.key.as_deref(), "key")?;
    let value = field(r.value.as_deref(), "value")?;
    let prefix = if with_headers { format!("{}\t", header_text(&r.headers, marker).ok_or("a header holds ',', ':', a tab or a line break")?) } else { String::new() };
    Ok((format!("{prefix}{key}{sep}{value}"), marked || (with_headers && r.headers.is_empty())))
}

/// `k:v,k:v` (`headers.separator` `,`, `headers.key.separator` `:`), or the marker for none.
fn header_text(headers: &[Header], marker: &str) -> Option<String> {
    if headers.is_empty() {
        return Some(marker.to_string());
    }
    let clean = |t: &str| !t.contains([',', ':', '\t', '\n', '\r']) && t != marker;
    let parts: Option<Vec<String>> = headers
        .iter()
        .map(|h| {
            let value = match h.value.as_deref() {
                None => marker.to_string(),
                Some(v) => utf8(v).filter(|t| clean(t))?.to_string(),
            };
            clean(&h.key).then(|| format!("{}:{value}", h.key))
        })
        .collect();
    parts.map(|p| p.join(","))
}

/// kcat runs for the batch: one per stretch of records with the same headers.
pub fn kcat(topic: &str, records: &[SentRecord], notes: &mut Vec<String>) -> Vec<ToolInput> {
    let Some(sep) = separator(records) else { return Vec::new() };
    let mut runs: Vec<(Vec<Header>, Vec<&SentRecord>)> = Vec::new();
    for r in records {
        match runs.last_mut() {
            Some((headers, run)) if *headers == r.headers => run.push(r),
            _ => runs.push((r.headers.clone(), vec![r])),
        }
    }
    let mut skipped = Vec::new();
    let out = runs.into_iter().filter_map(|(headers, run)| kcat_run(topic, sep, &headers, &run, &mut skipped)).collect();
    notes.extend(cap(skipped));
    out
}

fn kcat_run(topic: &str, sep: &str, headers: &[Header], run: &[&SentRecord], skipped: &mut Vec<String>) -> Option<ToolInput> {
    let null_z = run.iter().any(|r| r.value.is_none() || (r.key.is_none() && r.value.as_deref().is_some_and(|v| v.windows(sep.len()).any(|w| w == sep.as_bytes()))));
    let mut flags = String::new();
    for h in headers {
        match h.value.as_deref().and_then(utf8) {
            Some(v) if !h.key.contains('=') => flags.push_str(&format!(" -H '{}={}'", h.key.replace('\'', "'\\''"), v.replace('\'', "'\\''"))),
            _ => {
                skipped.push(format!("kcat cannot send header '{}' (a null value, or '=' in its name), so {} records are left out of kcat's input.", h.key, run.len()));
                return None;
            }
        }
    }
    let mut input = String::new();
    for r in run {
        match kcat_line(r, sep, null_z) {
            Ok(line) => input.push_str(&format!("{line}\n")),
            Err(why) => skipped.push(format!("{} is left out of kcat's input: {why}.", describe(r))),
        }
    }
    if input.is_empty() {
        return None;
    }
    let z = if null_z { " -Z" } else { "" };
    let command = format!("kcat -P -b {BOOTSTRAP_SERVER} -t {topic} -K '{sep}'{z}{flags} -X topic.partitioner=murmur2_random");
    Some(ToolInput { command, input, separator: sep.to_string() })
}

fn kcat_line(r: &SentRecord, sep: &str, null_z: bool) -> Result<String, String> {
    let text = |b: &[u8], what: &str| utf8(b).map(str::to_string).ok_or(format!("its {what} is not a single line of UTF-8 text"));
    let value = match r.value.as_deref() {
        None => String::new(),
        Some(v) if v.is_empty() && null_z => return Err("with -Z an empty value would become null".into()),
        Some(v) => text(v, "value")?,
    };
    match r.key.as_deref() {
        Some(k) if k.is_empty() && null_z => Err("with -Z an empty key would become null".into()),
        Some(k) => Ok(format!("{}{sep}{value}", text(k, "key")?)),
        None if null_z => Ok(format!("{sep}{value}")),
        None if value.is_empty() => Err("kcat skips empty lines".into()),
        None => Ok(value),
    }
}
