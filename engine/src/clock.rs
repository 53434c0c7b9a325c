//! The simulated clock: the only time the engine knows.
//!
//! Nothing in the engine reads the wall clock. Time advances only when the simulation steps, one
//! tick of `tick_ms` simulated milliseconds at a time, so the same seed and the same commands give
//! the same timestamps, retention decisions and session timeouts on every run. The view turns ticks
//! into animation; the engine knows nothing of real milliseconds.

use serde::{Deserialize, Serialize};

/// 2026-01-01T00:00:00Z: a fixed, readable start for record timestamps.
pub const DEFAULT_START_MS: u64 = 1_767_225_600_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    tick: u64,
    tick_ms: u64,
    start_ms: u64,
}

impl Clock {
    pub fn new(start_ms: u64, tick_ms: u64) -> Clock {
        Clock { tick: 0, tick_ms: tick_ms.max(1), start_ms }
    }
    /// Ticks since the start.
    pub fn tick(&self) -> u64 {
        self.tick
    }
    pub fn tick_ms(&self) -> u64 {
        self.tick_ms
    }
    /// Simulated epoch milliseconds now.
    pub fn now_ms(&self) -> u64 {
        self.start_ms + self.tick * self.tick_ms
    }
    /// Advances one tick and returns the new time.
    pub fn advance(&mut self) -> u64 {
        self.tick += 1;
        self.now_ms()
    }
    /// Whether a periodic job of `interval_ms` falls due in the tick that just ended.
    pub fn crossed(&self, interval_ms: u64) -> bool {
        if interval_ms == 0 || self.tick == 0 {
            return false;
        }
        let before = (self.now_ms() - self.tick_ms - self.start_ms) / interval_ms;
        let after = (self.now_ms() - self.start_ms) / interval_ms;
        after > before
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advances_in_whole_ticks_and_crosses_intervals() {
        let mut clock = Clock::new(1000, 100);
        assert_eq!(clock.now_ms(), 1000);
        let crossings: Vec<bool> = (0..6).map(|_| { clock.advance(); clock.crossed(250) }).collect();
        // 100, 200, 300 (crosses 250), 400, 500 (crosses 500), 600
        assert_eq!(crossings, vec![false, false, true, false, true, false]);
        assert_eq!(clock.tick(), 6);
    }
}
