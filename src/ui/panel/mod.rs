//! The editing panel: everything a lecturer sets up but the class need not see all the time.
//! It opens and closes with its button or the `E` key; the stage keeps a quick produce.

pub mod group_admin;
pub mod produce_draft;
pub mod produce_settings;
pub mod session_admin;
pub mod side_panel;
pub mod stream_settings;
pub mod topic_admin;
