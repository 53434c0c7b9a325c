//! Components, one per file, grouped by the area of the screen they draw:
//! - [`chrome`]: scenario buttons, playback, narration and the overlays around the stage;
//! - [`stage`]: the diagram itself, producers → Kafka cluster → consumer groups, and the records
//!   travelling between them;
//! - [`panel`]: the editing panel the lecturer opens when needed (produce settings, streams,
//!   topic and group administration).

pub mod app;
pub mod chrome;
pub mod choice_select;
pub mod modal;
pub mod palette;
pub mod panel;
pub mod simplified;
pub mod stage;
