//! The two time formats of the wire (one implementation for the server and the console): resource times in ISO 8601 with the region's offset
//! (`2021-08-11T15:20:10+08:00`) and charge times in UTC (`2021-08-11T07:20:38Z`).

/// JD's regions are all in China Standard Time.
const CST_OFFSET_SECS: i64 = 8 * 3600;

/// `2021-08-11T15:20:10+08:00` for a Unix time in milliseconds.
pub fn resource_time(unix_ms: i64) -> String {
    iso(unix_ms.div_euclid(1000) + CST_OFFSET_SECS, "+08:00")
}

/// `2021-08-11T07:20:38Z` for a Unix time in milliseconds.
pub fn utc_time(unix_ms: i64) -> String {
    iso(unix_ms.div_euclid(1000), "Z")
}

/// The civil date and time of `secs` (seconds since the epoch, already in the zone), then `zone`, in one
/// allocation (list pages format three times a disk).
fn iso(secs: i64, zone: &str) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's days-from-civil inverse.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}{zone}", rem / 3600, rem % 3600 / 60, rem % 60)
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats() {
        // 2021-08-11T07:20:38Z
        let ms = 1_628_666_438_000;
        assert_eq!(super::utc_time(ms), "2021-08-11T07:20:38Z");
        assert_eq!(super::resource_time(ms), "2021-08-11T15:20:38+08:00");
        assert_eq!(super::utc_time(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::resource_time(951_825_600_000), "2000-02-29T20:00:00+08:00");
        assert_eq!(super::utc_time(253_402_300_799_000), "9999-12-31T23:59:59Z");
        assert_eq!(super::utc_time(-1_000), "1969-12-31T23:59:59Z");
        assert_eq!(super::utc_time(253_402_300_800_000), "10000-01-01T00:00:00Z");
        assert_eq!(super::utc_time(-62_167_219_201_000), "-001-12-31T23:59:59Z");
    }
}
