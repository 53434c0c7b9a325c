//! Components, one per file, grouped by the area of the screen they draw.

pub mod app;
pub mod hash_stage;
pub mod narration;
pub mod palette;
pub mod partition_lane;
pub mod produce_form;
pub mod topic_view;
