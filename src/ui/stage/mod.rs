//! The stage: one left-to-right diagram of the course's architecture. Producer services on the
//! left, the Kafka cluster in the middle (data centers and brokers, the hash stage, each topic's
//! partition lanes), consumer services on the right, and the records travelling between them.

pub mod consumer_groups;
pub mod data_centers;
pub mod flight;
pub mod hash_stage;
pub mod instance_box;
pub mod marks;
pub mod partition_lane;
pub mod producers;
pub mod recent;
pub mod row_signals;
pub mod topic_view;
