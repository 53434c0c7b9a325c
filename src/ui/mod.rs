//! Components, one per file, grouped by the area of the screen they draw.

pub mod app;
pub mod brokers;
pub mod choice_select;
pub mod consumers;
pub mod controls;
pub mod hash_stage;
pub mod help;
pub mod inspector;
pub mod instance_row;
pub mod narration;
pub mod palette;
pub mod partition_lane;
pub mod presets;
pub mod produce_form;
pub mod topic_controls;
pub mod topic_view;
