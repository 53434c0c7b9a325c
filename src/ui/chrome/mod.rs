//! Around the stage: scenarios, playback, narration, keyboard help and the record inspector.

pub mod command_told;
pub mod controls;
pub mod help;
pub mod inspector;
pub mod lesson_bar;
pub mod narration;
pub mod notice;
pub mod presets;
pub mod script_aside;
pub mod session;
