//! Counting a camera's repeated reads of one code once.
//!
//! A camera decodes the same barcode in frame after frame while the clerk holds the pack in
//! view. The [`Debouncer`] lets the first read through and swallows the same code until it has
//! been out of sight for the quiet time; then scanning it again on purpose counts again. Each
//! code has its own quiet time, so two packs in view at once do not re-add each other. The
//! clock is passed in (time since any fixed start, for example the camera's frame timestamps),
//! so the behaviour is the same on every platform and in tests.

use std::collections::HashMap;
use std::time::Duration;

/// The default quiet time: long enough to bridge dropped frames, short enough that a clerk
/// who lifts the pack away and back adds one more.
pub const DEFAULT_QUIET_TIME: Duration = Duration::from_millis(1_000);

/// Decides which reads of a stream count.
#[derive(Debug, Clone)]
pub struct Debouncer {
    quiet: Duration,
    last_seen: HashMap<String, Duration>,
}

impl Default for Debouncer {
    fn default() -> Self {
        Debouncer::new(DEFAULT_QUIET_TIME)
    }
}

impl Debouncer {
    /// A debouncer that swallows a code seen again within `quiet` of its last sighting.
    pub fn new(quiet: Duration) -> Debouncer {
        Debouncer {
            quiet,
            last_seen: HashMap::new(),
        }
    }

    /// The quiet time.
    pub fn quiet_time(&self) -> Duration {
        self.quiet
    }

    /// Records a read of `code` at `now` and says whether it counts. Every sighting, counted
    /// or not, restarts that code's quiet time. `now` must not go backwards; if it does, the
    /// read is treated as continuous with the last one.
    pub fn accept(&mut self, code: &str, now: Duration) -> bool {
        self.last_seen
            .retain(|_, seen| now.saturating_sub(*seen) < self.quiet);
        match self.last_seen.get_mut(code) {
            Some(seen) => {
                *seen = now.max(*seen);
                false
            }
            None => {
                self.last_seen.insert(code.to_string(), now);
                true
            }
        }
    }

    /// Forgets every code, so the next read of any counts (for example after the sale).
    pub fn reset(&mut self) {
        self.last_seen.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn consecutive_frames_count_once() {
        let mut d = Debouncer::new(ms(500));
        let counted: Vec<bool> = [0, 33, 66, 100, 400, 800, 1200]
            .iter()
            .map(|t| d.accept("4006381333931", ms(*t)))
            .collect();
        // Every frame is within 500 ms of the previous sighting.
        assert_eq!(
            counted,
            vec![true, false, false, false, false, false, false]
        );
    }

    #[test]
    fn scanning_again_after_the_quiet_time_counts_again() {
        let mut d = Debouncer::new(ms(500));
        assert!(d.accept("4006381333931", ms(0)));
        assert!(!d.accept("4006381333931", ms(499)));
        // Out of view from 499 ms to 999 ms: exactly the quiet time.
        assert!(d.accept("4006381333931", ms(999)));
    }

    #[test]
    fn two_codes_in_view_do_not_readd_each_other() {
        let mut d = Debouncer::new(ms(500));
        assert!(d.accept("A", ms(0)));
        assert!(d.accept("B", ms(30)));
        assert!(!d.accept("A", ms(60)));
        assert!(!d.accept("B", ms(90)));
    }

    #[test]
    fn reset_forgets_everything() {
        let mut d = Debouncer::new(ms(500));
        assert!(d.accept("A", ms(0)));
        d.reset();
        assert!(d.accept("A", ms(10)));
    }

    #[test]
    fn a_clock_going_backwards_does_not_count_twice() {
        let mut d = Debouncer::new(ms(500));
        assert!(d.accept("A", ms(1000)));
        assert!(!d.accept("A", ms(900)));
    }
}
