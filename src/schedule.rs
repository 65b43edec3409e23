//! Pure timing rules of live updates: the polling backoff and the snapshot time estimate.

use crate::i18n::{t, tf, T};

/// The first and shortest polling interval.
pub const MIN_DELAY_MS: f64 = 2_000.0;
/// The longest interval while nothing changes.
pub const MAX_DELAY_MS: f64 = 15_000.0;
/// The longest interval between retries after errors.
pub const MAX_ERROR_DELAY_MS: f64 = 30_000.0;

/// The next interval: back to the start after a change, otherwise ×1.5 up to the maximum.
pub fn next_delay(current_ms: f64, changed: bool) -> f64 {
    if changed {
        MIN_DELAY_MS
    } else {
        (current_ms * 1.5).clamp(MIN_DELAY_MS, MAX_DELAY_MS)
    }
}

/// The interval after a failed poll: doubling up to 30 s.
pub fn error_delay(current_ms: f64) -> f64 {
    (current_ms * 2.0).clamp(MIN_DELAY_MS, MAX_ERROR_DELAY_MS)
}

/// Transient failures in a row (throttling, 5xx) that are waited out quietly (backing off) before the
/// user is told.
pub const QUIET_FAILED_POLLS: u32 = 3;

/// Whether a failed poll is shown to the user: an unreachable API at once; a transient failure (429, 5xx)
/// only once it lasts (`failures_in_row` counts this one).
pub fn shows_failure(transient: bool, failures_in_row: u32) -> bool {
    !transient || failures_in_row > QUIET_FAILED_POLLS
}

/// When to poll next, given the backoff interval and how long the soonest pending item is still expected
/// to take: no sooner than the backoff says, and no need to look much before anything can be done (but
/// never later than the maximum interval).
pub fn wait_ms(backoff_ms: f64, soonest_remaining_ms: Option<f64>) -> f64 {
    match soonest_remaining_ms {
        Some(rest) if rest > backoff_ms => rest.min(MAX_DELAY_MS).max(backoff_ms),
        _ => backoff_ms,
    }
}

/// What the console assumes until it has seen snapshots finish: 2.5 GiB a second
/// (500 GiB in about 3 minutes).
pub const DEFAULT_GIB_PER_SEC: f64 = 2.5;
/// The shortest any snapshot takes.
pub const MIN_SNAPSHOT_SECS: f64 = 2.0;

/// Expected seconds to snapshot `size_gib` at `gib_per_sec`.
pub fn estimate_secs(size_gib: u32, gib_per_sec: f64) -> f64 {
    let rate = if gib_per_sec.is_finite() && gib_per_sec > 0.0 { gib_per_sec } else { DEFAULT_GIB_PER_SEC };
    (f64::from(size_gib) / rate).max(MIN_SNAPSHOT_SECS)
}

/// The learned rate after seeing one more snapshot of `size_gib` take `secs`: an exponential moving average
/// (weight 0.3 for the new sample), so one odd sample does not swing the estimate.
pub fn learn_rate(previous: Option<f64>, size_gib: u32, secs: f64) -> Option<f64> {
    if secs <= 0.0 || size_gib == 0 {
        return previous;
    }
    let sample = f64::from(size_gib) / secs;
    Some(match previous {
        Some(p) if p.is_finite() && p > 0.0 => 0.7 * p + 0.3 * sample,
        _ => sample,
    })
}

/// "about 3 minutes", "about 40 seconds", "about 2 hours".
pub fn about(secs: f64) -> String {
    let secs = secs.max(1.0).round() as u64;
    if secs < 60 {
        if secs == 1 {
            t(T::AboutSecond).to_owned()
        } else {
            tf(T::AboutSeconds, &[("n", &secs.to_string())])
        }
    } else if secs < 3600 {
        let m = (secs as f64 / 60.0).round() as u64;
        if m == 1 {
            t(T::AboutMinute).to_owned()
        } else {
            tf(T::AboutMinutes, &[("n", &m.to_string())])
        }
    } else {
        // Tenths of an hour, formatted without floating point.
        let tenths = (secs * 10 + 1800) / 3600;
        let (whole, tenth) = (tenths / 10, tenths % 10);
        match (tenths, tenth) {
            (10, _) => t(T::AboutHour).to_owned(),
            (_, 0) => tf(T::AboutHours, &[("n", &whole.to_string())]),
            _ => tf(T::AboutHours, &[("n", &format!("{whole}.{tenth}"))]),
        }
    }
}

/// "12s", "3m 05s", "1h 02m".
pub fn elapsed(secs: f64) -> String {
    let s = secs.max(0.0) as u64;
    match s {
        0..=59 => tf(T::ElapsedS, &[("s", &s.to_string())]),
        60..=3599 => tf(T::ElapsedMs, &[("m", &(s / 60).to_string()), ("s", &format!("{:02}", s % 60))]),
        _ => tf(T::ElapsedHm, &[("h", &(s / 3600).to_string()), ("m", &format!("{:02}", s % 3600 / 60))]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_by_half_up_to_fifteen_seconds_and_resets_on_change() {
        let mut d = MIN_DELAY_MS;
        let mut seen = vec![d];
        for _ in 0..8 {
            d = next_delay(d, false);
            seen.push(d);
        }
        assert_eq!(seen[..6], [2000.0, 3000.0, 4500.0, 6750.0, 10125.0, 15000.0]);
        assert!(seen[6..].iter().all(|&x| x == MAX_DELAY_MS));
        assert_eq!(next_delay(15000.0, true), 2000.0);
    }

    #[test]
    fn transient_failures_are_shown_only_when_they_last() {
        assert!(!super::shows_failure(true, 1));
        assert!(!super::shows_failure(true, super::QUIET_FAILED_POLLS));
        assert!(super::shows_failure(true, super::QUIET_FAILED_POLLS + 1));
        assert!(super::shows_failure(false, 1));
    }

    #[test]
    fn errors_back_off_to_thirty_seconds() {
        assert_eq!(error_delay(2000.0), 4000.0);
        assert_eq!(error_delay(20000.0), 30000.0);
        assert_eq!(error_delay(30000.0), 30000.0);
    }

    #[test]
    fn big_disks_are_not_polled_long_before_they_can_be_done() {
        assert_eq!(wait_ms(2000.0, None), 2000.0);
        assert_eq!(wait_ms(2000.0, Some(500.0)), 2000.0);
        assert_eq!(wait_ms(2000.0, Some(9000.0)), 9000.0);
        assert_eq!(wait_ms(2000.0, Some(600_000.0)), 15000.0);
        assert_eq!(wait_ms(15000.0, Some(600_000.0)), 15000.0);
    }

    #[test]
    fn estimate_grows_with_capacity() {
        assert_eq!(estimate_secs(500, DEFAULT_GIB_PER_SEC), 200.0);
        assert_eq!(about(estimate_secs(500, DEFAULT_GIB_PER_SEC)), "about 3 minutes");
        assert_eq!(estimate_secs(1, 2.5), MIN_SNAPSHOT_SECS);
        assert_eq!(estimate_secs(40, 0.0), 16.0, "a broken rate falls back to the default");
        assert!(estimate_secs(4000, 2.5) == 100.0 * estimate_secs(40, 2.5));
    }

    #[test]
    fn the_estimate_learns_from_finished_snapshots() {
        let r = learn_rate(None, 40, 10.0).unwrap();
        assert_eq!(r, 4.0);
        let r2 = learn_rate(Some(r), 400, 50.0).unwrap();
        assert!((r2 - (0.7 * 4.0 + 0.3 * 8.0)).abs() < 1e-9);
        // Repeated samples converge on the true rate.
        let mut rate = Some(DEFAULT_GIB_PER_SEC);
        for _ in 0..30 {
            rate = learn_rate(rate, 100, 25.0);
        }
        assert!((rate.unwrap() - 4.0).abs() < 0.01);
        assert_eq!(learn_rate(Some(3.0), 0, 10.0), Some(3.0));
        assert_eq!(learn_rate(Some(3.0), 10, 0.0), Some(3.0));
    }

    #[test]
    fn human_durations() {
        assert_eq!(about(40.0), "about 40 seconds");
        assert_eq!(about(1.0), "about 1 second");
        assert_eq!(about(89.0), "about 1 minute");
        assert_eq!(about(7200.0), "about 2 hours");
        assert_eq!(about(3600.0), "about 1 hour");
        assert_eq!(about(5400.0), "about 1.5 hours");
        assert_eq!(elapsed(5.0), "5s");
        assert_eq!(elapsed(185.0), "3m 05s");
        assert_eq!(elapsed(3720.0), "1h 02m");
    }
}
