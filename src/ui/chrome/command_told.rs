//! What a step changed when none of its events has a sentence of its own: a setting changed in
//! the editing panel (a stream's rate, a producer's acks, a group's commit mode), a group created
//! with nobody in it yet, a log cleaner or a leader election that found nothing to do. The
//! narration tells these from the command the step applied, so a change is never met by silence.

use kafkascope_engine::setting::Setting;
use kafkascope_engine::Command;

/// A sentence for a step whose events told nothing, from the command it applied.
pub fn command_told(command: &Command) -> Option<String> {
    Some(match command {
        Command::StartProducer { client_id, topic } => format!("{client_id} starts publishing to {topic}."),
        Command::SetStream { producer, stream } if stream.rate_per_sec == 0 => format!("{producer}'s stream is off: it sends only what you produce by hand."),
        Command::SetStream { producer, stream } => {
            format!("{producer} streams {} records/s, keys: {}, partitioner: {}.", stream.rate_per_sec, stream.keys.name(), stream.partitioner.name())
        }
        Command::CreateGroup { group, config } if config.auto_offset_reset == kafkascope_engine::OffsetReset::Earliest => {
            format!("Group {group} is created with auto.offset.reset=earliest: with nothing committed, it reads from the oldest record once a consumer joins.")
        }
        Command::CreateGroup { group, .. } => format!("Group {group} is created: it reads nothing until a consumer joins it."),
        Command::DeleteGroup { group } => format!("Group {group} is deleted, and its committed offsets with it."),
        Command::SetCommitMode { group, mode } => format!("{group} commits now: {}.", mode.name()),
        Command::SetProcessingRate { group, rate: Some(rate) } => format!("Each instance of {group} now processes up to {rate} records/s."),
        Command::SetProcessingRate { group, rate: None } => format!("{group} now processes every record as soon as it reads it."),
        Command::CleanLogs => "The log cleaner ran and found nothing to remove.".to_string(),
        Command::ElectPreferredLeaders => "Preferred leader election: every partition is already led by its preferred replica, or that replica is not in sync.".to_string(),
        Command::LoseAcknowledgement { producer } => format!("The next answer to {producer} will be lost on its way back: the record is written, but the producer never hears that it was."),
        Command::ConfigureProducer { producer, config } => {
            format!("{producer} now sends with acks={} and enable.idempotence={}.", config.acks.name(), config.enable_idempotence)
        }
        _ => return None,
    })
}
