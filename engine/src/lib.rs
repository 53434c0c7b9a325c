//! # kafkascope-engine
//!
//! A deterministic simulation of Apache Kafka's log, partitioning, replication across brokers and
//! consumer groups, written to teach. It is the functional core of Kafkascope: plain Rust with no web, clock or global-random
//! dependency, driven only by [`Command`]s through [`Simulation::apply`] (or a [`History`] that
//! can step back), and reporting what happened as [`Event`]s for a view to animate.
//!
//! Each module models one Kafka concept and says which upstream source it follows. Where the
//! engine simplifies Kafka, the module docs say so.

pub mod acknowledgement;
pub mod assignor;
pub mod broker;
pub mod budget;
pub mod clock;
pub mod cli;
pub mod cluster;
pub mod command;
pub mod compaction;
pub mod consumer;
pub mod consumer_group;
pub mod delivery;
pub mod election;
pub mod error;
pub mod event;
pub mod goal;
mod goal_check;
pub mod history;
pub mod link;
pub mod idempotence;
pub mod leader_epoch;
pub mod log;
pub mod membership;
pub mod metadata;
pub mod partition;
pub mod partitioner;
pub mod placement;
pub mod producer;
pub mod rebalance;
pub mod record;
pub mod replica;
pub mod replica_view;
pub mod replication;
pub mod retention;
pub mod scenario;
pub mod setting;
pub mod simplification;
pub mod simulation;
mod sorted;
pub mod topic;
pub mod view;

pub use acknowledgement::{Acks, ProducerConfig, SendError};
pub use bytes::Bytes;
pub use assignor::{AssignorKind, TopicPartition};
pub use command::{Command, ProduceRequest};
pub use consumer::{Member, MemberState, Read};
pub use consumer_group::{CommitMode, ConsumerGroup, GroupConfig, OffsetReset};
pub use error::EngineError;
pub use event::{Election, Event, HeldFor, IsrShrinkReason, OffsetRange, RebalanceReason};
pub use goal::{Goal, KeyRule, RecordGoal, Verdict};
pub use history::History;
pub use partitioner::Partitioner;
pub use producer::{KeyPattern, Producer, Stream};
pub use record::{Header, Record, TimestampType};
pub use scenario::{Chapter, Scenario, ScenarioError, Step, TryIt};
pub use setting::Setting;
pub use simplification::Simplification;
pub use simulation::{SimConfig, Simulation};
pub use partition::PartitionDescription;
pub use topic::{CleanupPolicy, TopicConfig};
pub use replica_view::{InFlightView, ProducerSessionView, ReplicaView, ReplicationView, TopicDescription};
pub use view::{ClusterView, GroupView, InstanceState, MemberView, PartitionView, TopicView};
