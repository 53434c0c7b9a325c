//! Records travelling across the stage. After each step the layer reads what the step did
//! ([`Recent`]) and sends a token along each path: a produced record from its producer through
//! the hash stage to its slot at the tail of its lane; a fetched record from its lane cell to each
//! instance that read it, all groups at once; a partition chip from its old owner to its new one
//! after a rebalance.
//!
//! The engine says *what* moved in which step; the view decides *how*. Each token is positioned
//! by CSS keyframes between points measured on screen, over most of one step at the current
//! speed, so the browser interpolates between ticks as RaftScope draws a message at
//! `(now - send) / (recv - send)`. Stepping back clears the tokens: nothing plays backwards.
//! With `prefers-reduced-motion` no token is drawn; the landed cells and the reading instances
//! light up instead (see the lane and instance styles).

use std::collections::HashMap;
use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::state::use_sim;
use crate::ui::palette::with_partition;
use crate::ui::stage::recent::{use_recent, Recent};

/// Most tokens of one kind drawn per step; a fast stream would otherwise flood the stage (and
/// each token costs the browser a layer while it flies).
pub const MAX_TOKENS: usize = 8;

/// A point on screen (viewport pixels).
type Point = (f64, f64);

#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub id: String,
    pub class: &'static str,
    pub label: String,
    pub text: String,
    pub partition: u32,
    pub path: [Point; 3],
}

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

fn anchor(name: &str) -> Option<web_sys::Element> {
    let escaped = name.replace('\\', "\\\\").replace('"', "\\\"");
    document()?.query_selector(&format!("[data-anchor=\"{escaped}\"]")).ok()?
}

/// The centre of an element, if it is on screen.
fn centre(el: &web_sys::Element) -> Option<Point> {
    let r = el.get_bounding_client_rect();
    let window = web_sys::window()?;
    let (w, h) = (window.inner_width().ok()?.as_f64()?, window.inner_height().ok()?.as_f64()?);
    let visible = r.width() > 0.0 && r.bottom() > 0.0 && r.right() > 0.0 && r.top() < h && r.left() < w;
    visible.then(|| (r.left() + r.width() / 2.0, r.top() + r.height() / 2.0))
}

/// Where offset `offset` of a partition sits on screen: its slot in the lane's track.
fn slot_centre(topic: &str, partition: u32, offset: u64) -> Option<Point> {
    let track = anchor(&format!("lane:{topic}:{partition}"))?;
    let cells = track.get_attribute("data-cells")?.parse::<u32>().ok()? as f64;
    let leo = track.get_attribute("data-leo")?.parse::<u64>().ok()? as f64;
    let (_, y) = centre(&track)?;
    let r = track.get_bounding_client_rect();
    let slot = offset as f64 - leo + cells;
    let width = r.width() / (cells + 1.0);
    (slot >= 0.0).then(|| (r.left() + width * (slot + 0.5), y))
}

/// A record sent by a Produce command (the Produce button, a lesson's send) may land in a lane
/// the lanes' area has scrolled out of sight (past 32 partitions it scrolls): that area scrolls
/// just enough to show the lane, before the token's path is measured, so the send is seen
/// landing. A stream's records leave the scroll alone: following each would jump the lanes about.
fn bring_lane_into_view(recent: &Recent) {
    let Some(a) = recent.appended.first() else { return };
    let Some(lane) = anchor(&format!("lane:{}:{}", a.topic, a.partition)).and_then(|t| t.closest(".lane").ok().flatten()) else { return };
    let Some(area) = document().and_then(|d| d.query_selector("[data-scroll-area=\"lanes\"]").ok().flatten()) else { return };
    let (lane, shown) = (lane.get_bounding_client_rect(), area.get_bounding_client_rect());
    let by = if lane.top() < shown.top() {
        lane.top() - shown.top()
    } else if lane.bottom() > shown.bottom() {
        lane.bottom() - shown.bottom()
    } else {
        return;
    };
    area.set_scroll_top(area.scroll_top() + by.round() as i32);
}

fn midpoint(a: Point, b: Point) -> Point {
    ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0)
}

fn produce_tokens(recent: &Recent) -> Vec<Token> {
    let hash = anchor("hash").and_then(|h| centre(&h));
    recent
        .appended
        .iter()
        .take(MAX_TOKENS)
        .enumerate()
        .filter_map(|(i, a)| {
            let from = anchor(&format!("producer:{}", a.producer)).or_else(|| anchor("producer:console-producer"))?;
            let from = centre(&from)?;
            let to = slot_centre(&a.topic, a.partition, a.offset)?;
            let via = hash.unwrap_or_else(|| midpoint(from, to));
            Some(Token {
                id: format!("{}-p{i}", recent.serial),
                class: "token produce",
                label: format!("Record key {} travelling to partition {}, offset {}", if a.key.is_empty() { "null" } else { &a.key }, a.partition, a.offset),
                text: format!("P{}", a.partition),
                partition: a.partition,
                path: [from, via, to],
            })
        })
        .collect()
}

fn fetch_tokens(recent: &Recent, client_of: impl Fn(&str) -> Option<String>) -> Vec<Token> {
    recent
        .reads
        .iter()
        .take(MAX_TOKENS)
        .enumerate()
        .filter_map(|(i, r)| {
            let first = *r.offsets.first()?;
            let from = slot_centre(&r.partition.topic, r.partition.partition, first)?;
            let to = centre(&anchor(&format!("member:{}", r.member_id))?)?;
            let who = client_of(&r.member_id).unwrap_or_else(|| r.member_id.clone());
            Some(Token {
                id: format!("{}-f{i}", recent.serial),
                class: "token fetch",
                label: format!("Record P{}@{first} read by {who}", r.partition.partition),
                text: format!("{first}"),
                partition: r.partition.partition,
                path: [from, midpoint(from, to), to],
            })
        })
        .collect()
}

fn copy_tokens(recent: &Recent) -> Vec<Token> {
    recent
        .copied
        .iter()
        .take(MAX_TOKENS)
        .enumerate()
        .filter_map(|(i, c)| {
            let from = slot_centre(&c.topic, c.partition, c.from)?;
            let to = centre(&anchor(&format!("broker:{}", c.broker))?)?;
            Some(Token {
                id: format!("{}-r{i}", recent.serial),
                class: "token replica-copy",
                label: format!("Record P{}@{} copied by the follower on broker {}", c.partition, c.from, c.broker),
                text: format!("{}", c.from),
                partition: c.partition,
                path: [from, midpoint(from, to), to],
            })
        })
        .collect()
}

fn move_tokens(recent: &Recent, chips: &HashMap<String, Point>) -> Vec<Token> {
    recent
        .assigned
        .iter()
        .take(MAX_TOKENS)
        .enumerate()
        .filter_map(|(i, m)| {
            let from = *chips.get(&format!("{}:{}", m.group, m.partition))?;
            let to = centre(&anchor(&format!("member:{}", m.member_id))?)?;
            (from != to).then(|| Token {
                id: format!("{}-m{i}", recent.serial),
                class: "token chip-move",
                label: format!("Partition {} moving to a new owner", m.partition.partition),
                text: format!("P{}", m.partition.partition),
                partition: m.partition.partition,
                path: [from, midpoint(from, to), to],
            })
        })
        .collect()
}

/// Where every owned partition's chip is now, by `group:topic-partition`, for the next rebalance.
fn chip_positions() -> HashMap<String, Point> {
    let mut out = HashMap::new();
    let Some(list) = document().and_then(|d| d.query_selector_all("[data-chip]").ok()) else { return out };
    for i in 0..list.length() {
        let Some(el) = list.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) else { continue };
        if let (Some(key), Some(point)) = (el.get_attribute("data-chip"), centre(&el)) {
            out.insert(key, point);
        }
    }
    out
}

fn reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-reduced-motion: reduce)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// The overlay the tokens fly in; `step_ms` is how long one step lasts at the current speed.
#[component]
pub fn FlightLayer(#[prop(into)] step_ms: Signal<u32>) -> impl IntoView {
    let sim = use_sim();
    let recent = use_recent();
    let tokens = RwSignal::new(Vec::<Token>::new());
    let chips = StoredValue::new(HashMap::<String, Point>::new());
    Effect::new(move |_| {
        let activity = recent.get();
        // Measure after this step's DOM changes are laid out.
        request_animation_frame(move || {
            if sim.with_state_untracked(|s| matches!(s.last_command(), Some(kafkascope_engine::Command::Produce(_)))) {
                bring_lane_into_view(&activity);
            }
            let mut next = Vec::new();
            if !reduced_motion() {
                next.extend(produce_tokens(&activity));
                next.extend(fetch_tokens(&activity, |id| sim.with_untracked(|s| s.client_id_of(id).map(str::to_string))));
                next.extend(chips.with_value(|c| move_tokens(&activity, c)));
                next.extend(copy_tokens(&activity));
            }
            chips.set_value(chip_positions());
            let serial = activity.serial;
            let had_tokens = !next.is_empty();
            tokens.set(next);
            if had_tokens {
                let linger = Duration::from_millis(u64::from(step_ms.get_untracked()) + 100);
                // Land this step's tokens, unless a later step has already replaced them.
                let ours = move |t: &Vec<Token>| t.first().is_some_and(|x| x.id.starts_with(&format!("{serial}-")));
                set_timeout(move || if tokens.try_with_untracked(ours) == Some(true) { tokens.set(Vec::new()) }, linger);
            }
        });
    });
    // Each step replaces every token, so the list is drawn afresh inside a closure rather than
    // by one long-lived `For`: Leptos 0.8's `For` remembers every row it ever made in its owner
    // until the `For` itself goes, about 80 bytes a token, megabytes in a long top-speed run.
    // Re-running the closure lets go of the previous step's rows.
    view! {
        <div class="flight-layer">
            {move || { let now = tokens.get(); view! { <For each=move || now.clone() key=|t| t.id.clone() children=|t| {
                let [a, b, c] = t.path;
                let px = |v: f64| format!("{}px", v.round() as i64);
                view! {
                    <div class=with_partition(t.class, t.partition) role="img" aria-label=t.label
                        style=("--x0", px(a.0)) style=("--y0", px(a.1)) style=("--x1", px(b.0))
                        style=("--y1", px(b.1)) style=("--x2", px(c.0)) style=("--y2", px(c.1))>
                        {t.text}
                    </div>
                }
            }/> } }}
        </div>
    }
}
