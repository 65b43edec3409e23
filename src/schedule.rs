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

/// How long after the console first sees an item pending its polls follow the backoff alone: an estimate
/// (which may be wrong, or not yet learned) never delays the first polls, so a snapshot that is done in 2 s
/// shows it within a tick.
pub const EARLY_PHASE_MS: f64 = 30_000.0;

/// When to poll next, given the backoff interval and how long the soonest pending item is still expected
/// to take (`None` while any item is in its early phase, or nothing has an estimate): no sooner than the
/// backoff says, and no need to look much before anything can be done (but never later than the maximum
/// interval).
pub fn wait_ms(backoff_ms: f64, soonest_remaining_ms: Option<f64>) -> f64 {
    match soonest_remaining_ms {
        Some(rest) if rest > backoff_ms => rest.min(MAX_DELAY_MS).max(backoff_ms),
        _ => backoff_ms,
    }
}

/// What the estimate may say about the next poll, from every pending item as (when the console first saw
/// it pending, how long it is still expected to take), ms: the soonest expected end, or `None` while any
/// item is in its early phase or has no estimate (then the backoff alone decides).
pub fn soonest_remaining(now_ms: f64, items: impl IntoIterator<Item = (f64, Option<f64>)>) -> Option<f64> {
    items
        .into_iter()
        .map(|(seen_ms, rest)| if now_ms - seen_ms < EARLY_PHASE_MS { None } else { rest })
        .try_fold(f64::INFINITY, |soonest, rest| rest.map(|r| soonest.min(r)))
        .filter(|s| s.is_finite())
}

/// The shortest any snapshot takes.
pub const MIN_SNAPSHOT_SECS: f64 = 2.0;

/// Snapshot speeds learned from completions this browser has seen, per region and disk type (speeds differ
/// between both). Nothing is assumed: without a completion of that region and type there is no estimate.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rates(std::collections::BTreeMap<String, f64>);

impl Rates {
    fn key(region: &str, disk_type: &str) -> String {
        format!("{region}/{disk_type}")
    }

    /// Reads the stored form (`region/type=MiB per second;…`); entries that do not parse are skipped.
    pub fn parse(stored: &str) -> Self {
        let map = stored
            .split(';')
            .filter_map(|entry| {
                let (key, mib) = entry.split_once('=')?;
                let mib: u32 = mib.trim().parse().ok().filter(|&m| m > 0)?;
                key.contains('/').then(|| (key.trim().to_owned(), f64::from(mib) / 1024.0))
            })
            .collect();
        Self(map)
    }

    /// The stored form (whole MiB per second).
    pub fn to_stored(&self) -> String {
        self.0
            .iter()
            .map(|(k, gib)| format!("{k}={}", (gib * 1024.0).round().max(1.0) as u32))
            .collect::<Vec<_>>()
            .join(";")
    }

    /// The learned speed, GiB/s.
    pub fn get(&self, region: &str, disk_type: &str) -> Option<f64> {
        self.0.get(&Self::key(region, disk_type)).copied()
    }

    /// Learns from one more snapshot of `size_gib` that took `secs`: an exponential moving average (weight 0.3
    /// for the new sample), so one odd sample does not swing the estimate. Returns whether anything changed.
    pub fn learn(&mut self, region: &str, disk_type: &str, size_gib: u32, secs: f64) -> bool {
        if !(secs.is_finite() && secs > 0.0) || size_gib == 0 {
            return false;
        }
        let sample = f64::from(size_gib) / secs;
        let rate = match self.get(region, disk_type) {
            Some(p) => 0.7 * p + 0.3 * sample,
            None => sample,
        };
        self.0.insert(Self::key(region, disk_type), rate);
        true
    }

    /// Expected seconds to snapshot `size_gib` of this region and type, once a completion has been seen.
    pub fn estimate_secs(&self, region: &str, disk_type: &str, size_gib: u32) -> Option<f64> {
        let rate = self.get(region, disk_type)?;
        Some((f64::from(size_gib) / rate).max(MIN_SNAPSHOT_SECS))
    }
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
    fn early_polls_are_never_delayed_by_an_estimate() {
        let now = 100_000.0;
        // Seen 1 s ago, expected to take 10 minutes: the backoff decides (a 2 s snapshot shows within a tick).
        let young = (now - 1_000.0, Some(600_000.0));
        assert_eq!(soonest_remaining(now, [young]), None);
        assert_eq!(wait_ms(MIN_DELAY_MS, soonest_remaining(now, [young])), MIN_DELAY_MS);
        // Past the early phase the estimate spaces polls out, up to the maximum interval.
        let old = (now - EARLY_PHASE_MS, Some(600_000.0));
        assert_eq!(soonest_remaining(now, [old]), Some(600_000.0));
        assert_eq!(wait_ms(MIN_DELAY_MS, soonest_remaining(now, [old])), MAX_DELAY_MS);
        // One young item, or one without an estimate, keeps every poll on the backoff.
        assert_eq!(soonest_remaining(now, [old, young]), None);
        assert_eq!(soonest_remaining(now, [old, (now - EARLY_PHASE_MS, None)]), None);
        assert_eq!(soonest_remaining(now, [old, (now - EARLY_PHASE_MS, Some(5_000.0))]), Some(5_000.0));
        assert_eq!(soonest_remaining(now, []), None);
    }

    #[test]
    fn nothing_is_estimated_before_a_completion_of_that_region_and_type() {
        let mut r = Rates::default();
        assert_eq!(r.estimate_secs("cn-north-1", "ssd.gp1", 40), None);
        assert!(r.learn("cn-north-1", "ssd.gp1", 40, 10.0));
        assert_eq!(r.estimate_secs("cn-north-1", "ssd.gp1", 40), Some(10.0));
        assert_eq!(r.estimate_secs("cn-north-1", "ssd.gp1", 400), Some(100.0), "grows with capacity");
        assert_eq!(r.estimate_secs("cn-north-1", "ssd.gp1", 1), Some(MIN_SNAPSHOT_SECS));
        assert_eq!(r.estimate_secs("cn-north-1", "hdd.std1", 40), None, "another type is not assumed alike");
        assert_eq!(r.estimate_secs("cn-east-2", "ssd.gp1", 40), None, "nor another region");
    }

    #[test]
    fn the_estimate_learns_from_finished_snapshots() {
        let mut r = Rates::default();
        r.learn("cn-north-1", "ssd.gp1", 40, 10.0);
        assert_eq!(r.get("cn-north-1", "ssd.gp1"), Some(4.0));
        r.learn("cn-north-1", "ssd.gp1", 400, 50.0);
        assert!((r.get("cn-north-1", "ssd.gp1").unwrap() - (0.7 * 4.0 + 0.3 * 8.0)).abs() < 1e-9);
        // Repeated samples converge on the true rate; each region and type learns on its own.
        for _ in 0..30 {
            r.learn("cn-north-1", "ssd.gp1", 100, 25.0);
            r.learn("cn-north-1", "hdd.std1", 100, 100.0);
        }
        assert!((r.get("cn-north-1", "ssd.gp1").unwrap() - 4.0).abs() < 0.01);
        assert!((r.get("cn-north-1", "hdd.std1").unwrap() - 1.0).abs() < 0.01);
        // Samples that say nothing are ignored.
        let before = r.clone();
        assert!(!r.learn("cn-north-1", "ssd.gp1", 0, 10.0));
        assert!(!r.learn("cn-north-1", "ssd.gp1", 10, 0.0));
        assert!(!r.learn("cn-north-1", "ssd.gp1", 10, f64::NAN));
        assert_eq!(r, before);
    }

    #[test]
    fn learned_rates_survive_storage_and_bad_entries_are_skipped() {
        let mut r = Rates::default();
        r.learn("cn-north-1", "ssd.gp1", 40, 10.0);
        r.learn("cn-east-2", "premium-hdd", 10, 10.0);
        let stored = r.to_stored();
        assert_eq!(stored, "cn-east-2/premium-hdd=1024;cn-north-1/ssd.gp1=4096");
        assert_eq!(Rates::parse(&stored), r);
        let odd =
            Rates::parse("garbage;cn-north-1/ssd=x;=5;cn-north-1/ssd.io1=0;cn-north-1/ssd.gp1=2048;4096");
        assert_eq!(odd.get("cn-north-1", "ssd.gp1"), Some(2.0));
        assert_eq!(odd.0.len(), 1);
        assert_eq!(Rates::parse(""), Rates::default());
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
