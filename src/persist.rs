//! What the browser keeps between visits: the session (so a reload restores it), the theme, and
//! the partitioner chosen for records typed by hand (it decides which partition a key shows).
//!
//! The session is stored in the same compressed form as a shared link, and restored through the
//! same checked path: a damaged or foreign value is refused with a sentence and forgotten.
//! Storage can be unavailable (private windows, blocked cookies); then nothing is kept and
//! nothing breaks.

const SESSION_KEY: &str = "kafkascope.session";
const SOURCE_KEY: &str = "kafkascope.source";
const THEME_KEY: &str = "kafkascope.theme";
const PARTITIONER_KEY: &str = "kafkascope.partitioner";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn read(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

fn write(key: &str, value: Option<&str>) {
    if let Some(s) = storage() {
        let _ = match value {
            Some(v) => s.set_item(key, v),
            None => s.remove_item(key),
        };
    }
}

/// The saved session: a link payload, and the built-in scene or lesson it started from
/// (`scene:<slug>` or `lesson:<slug>`), if any.
pub fn saved_session() -> Option<(String, Option<String>)> {
    Some((read(SESSION_KEY)?, read(SOURCE_KEY)))
}

pub fn save_session(payload: &str, source: Option<&str>) {
    write(SESSION_KEY, Some(payload));
    write(SOURCE_KEY, source);
}

/// "Start over": forget the session.
pub fn forget_session() {
    write(SESSION_KEY, None);
    write(SOURCE_KEY, None);
}

pub fn projector_theme() -> bool {
    read(THEME_KEY).as_deref() == Some("projector")
}

pub fn save_projector_theme(on: bool) {
    write(THEME_KEY, on.then_some("projector"));
}

/// The partitioner picked for records typed by hand, by its `Debug` name.
pub fn partitioner() -> Option<String> {
    read(PARTITIONER_KEY)
}

pub fn save_partitioner(name: &str) {
    write(PARTITIONER_KEY, Some(name));
}
