//! What the browser keeps between visits: the session (so a reload restores it, with who did its
//! lesson tasks) and the timeline a load set aside (so its offer to come back survives a reload
//! too), the theme, and the partitioner chosen for records typed by hand (it decides which
//! partition a key shows).
//!
//! The session is stored in the same compressed form as a shared link, and restored through the
//! same checked path: a damaged or foreign value is refused with a sentence and forgotten.
//! Storage can be unavailable (private windows, blocked cookies); then nothing is kept and
//! nothing breaks.

pub(crate) const SESSION_KEY: &str = "kafkascope.session";
const SOURCE_KEY: &str = "kafkascope.source";
const CREDIT_KEY: &str = "kafkascope.credit";
const REPLACED_KEY: &str = "kafkascope.replaced";
const REPLACED_SOURCE_KEY: &str = "kafkascope.replaced-source";
const SCRIPT_KEY: &str = "kafkascope.script";
const THEME_KEY: &str = "kafkascope.theme";
const PARTITIONER_KEY: &str = "kafkascope.partitioner";
const DRAFT_TOPIC_KEY: &str = "kafkascope.draft-topic";
const DRAFT_KEY_KEY: &str = "kafkascope.draft-key";
const LETTER_KEYS_KEY: &str = "kafkascope.letter-keys";

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

/// Who did the saved session's Try-it tasks (see [`crate::credit::Credit`]), saved with it.
pub fn saved_credit() -> crate::credit::Credit {
    read(CREDIT_KEY).map(|saved| crate::credit::Credit::from_saved(&saved)).unwrap_or_default()
}

/// Keeps the credit of the session being saved (nothing, when it has none).
pub fn save_credit(credit: &crate::credit::Credit) {
    write(CREDIT_KEY, (!credit.is_empty()).then(|| credit.to_saved()).as_deref());
}

/// The timeline a scene button, a lesson, a file or Reset set aside, in the form of
/// [`saved_session`].
pub fn saved_replaced() -> Option<(String, Option<String>)> {
    Some((read(REPLACED_KEY)?, read(REPLACED_SOURCE_KEY)))
}

/// Keeps (or, given `None`, forgets) the timeline set aside.
pub fn save_replaced(kept: Option<(&str, Option<&str>)>) {
    write(REPLACED_KEY, kept.map(|k| k.0));
    write(REPLACED_SOURCE_KEY, kept.and_then(|k| k.1));
}

/// The script a step of the user's cut, in an opened file's, a link's or a restored session's
/// timeline (a built-in scene's or lesson's is its shipped file): a link payload whose cursor is
/// where the cut was.
pub fn saved_script() -> Option<String> {
    read(SCRIPT_KEY)
}

/// Keeps (or, given `None`, forgets) the script a step of the user's cut.
pub fn save_script(payload: Option<&str>) {
    write(SCRIPT_KEY, payload);
}

/// "Start over": forget the session.
pub fn forget_session() {
    write(SESSION_KEY, None);
    write(SOURCE_KEY, None);
    write(CREDIT_KEY, None);
    save_replaced(None);
    save_script(None);
}

pub fn projector_theme() -> bool {
    read(THEME_KEY).as_deref() == Some("projector")
}

pub fn save_projector_theme(on: bool) {
    write(THEME_KEY, on.then_some("projector"));
}

/// Whether the single-character shortcuts (N, B, E, …) act; on unless turned off in the help.
pub fn letter_keys() -> bool {
    read(LETTER_KEYS_KEY).as_deref() != Some("off")
}

pub fn save_letter_keys(on: bool) {
    write(LETTER_KEYS_KEY, (!on).then_some("off"));
}

/// The partitioner picked for records typed by hand, by its `Debug` name.
pub fn partitioner() -> Option<String> {
    read(PARTITIONER_KEY)
}

pub fn save_partitioner(name: &str) {
    write(PARTITIONER_KEY, Some(name));
}

/// The topic and key of the record being typed by hand: after a reload the next Produce goes
/// where the last one went, with the key the lecturer typed (not the default topic and a new id).
pub fn draft() -> (Option<String>, Option<String>) {
    (read(DRAFT_TOPIC_KEY), read(DRAFT_KEY_KEY))
}

pub fn save_draft(topic: &str, key: &str) {
    write(DRAFT_TOPIC_KEY, Some(topic));
    write(DRAFT_KEY_KEY, Some(key));
}
