//! How values read to people: capacities, times, statuses.

use disk_api::{DiskStatus, SnapshotStatus};

/// `16,000 GiB`.
pub fn capacity_gib(gib: u32) -> String {
    format!("{} GiB", thousands(u64::from(gib)))
}

/// `12,345`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `2021-08-11T15:20:10+08:00` → `2021-08-11 15:20`, the region's wall time. Anything else unchanged.
pub fn short_time(wire: &str) -> String {
    match (wire.get(0..10), wire.get(10..11), wire.get(11..16)) {
        (Some(date), Some("T"), Some(time)) => format!("{date} {time}"),
        _ => wire.to_owned(),
    }
}

/// How a status looks: the visual tone of its badge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Ok,
    Busy,
    Bad,
    Neutral,
}

impl Tone {
    pub fn class(self) -> &'static str {
        match self {
            Self::Ok => "dc-badge dc-badge--ok",
            Self::Busy => "dc-badge dc-badge--busy",
            Self::Bad => "dc-badge dc-badge--bad",
            Self::Neutral => "dc-badge dc-badge--neutral",
        }
    }
}

/// A readable label and tone for a disk status.
pub fn disk_status(s: &DiskStatus) -> (String, Tone) {
    let label = match s {
        DiskStatus::Creating => "Creating",
        DiskStatus::Available => "Available",
        DiskStatus::Attaching => "Attaching",
        DiskStatus::InUse => "In use",
        DiskStatus::Detaching => "Detaching",
        DiskStatus::Extending => "Extending",
        DiskStatus::Restoring => "Restoring",
        DiskStatus::Deleting => "Deleting",
        DiskStatus::Deleted => "Deleted",
        DiskStatus::ErrorCreate => "Creation failed",
        DiskStatus::ErrorDelete => "Deletion failed",
        DiskStatus::ErrorRestore => "Restore failed",
        DiskStatus::ErrorExtend => "Extension failed",
        DiskStatus::InRecycleBin => "In recycle bin",
        DiskStatus::Unknown(other) => other.as_str(),
    };
    let tone = if s.is_transitional() {
        Tone::Busy
    } else if s.is_error() {
        Tone::Bad
    } else if matches!(s, DiskStatus::Available | DiskStatus::InUse) {
        Tone::Ok
    } else {
        Tone::Neutral
    };
    (label.to_owned(), tone)
}

/// A readable label and tone for a snapshot status.
pub fn snapshot_status(s: &SnapshotStatus) -> (String, Tone) {
    let label = match s {
        SnapshotStatus::Creating => "Creating",
        SnapshotStatus::Available => "Available",
        SnapshotStatus::InUse => "In use",
        SnapshotStatus::Copying => "Copying",
        SnapshotStatus::Deleting => "Deleting",
        SnapshotStatus::ErrorCreate => "Creation failed",
        SnapshotStatus::ErrorDelete => "Deletion failed",
        SnapshotStatus::Unknown(other) => other.as_str(),
    };
    let tone = if s.is_transitional() {
        Tone::Busy
    } else if s.is_error() {
        Tone::Bad
    } else {
        Tone::Ok
    };
    (label.to_owned(), tone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capacities() {
        assert_eq!(capacity_gib(40), "40 GiB");
        assert_eq!(capacity_gib(16000), "16,000 GiB");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(0), "0");
    }

    #[test]
    fn times() {
        assert_eq!(short_time("2021-08-11T15:20:10+08:00"), "2021-08-11 15:20");
        assert_eq!(short_time("2018-05-28 16:31:38"), "2018-05-28 16:31:38");
        assert_eq!(short_time(""), "");
    }

    #[test]
    fn statuses_read_as_words() {
        assert_eq!(disk_status(&DiskStatus::InUse), ("In use".into(), Tone::Ok));
        assert_eq!(disk_status(&DiskStatus::ErrorExtend), ("Extension failed".into(), Tone::Bad));
        assert_eq!(disk_status(&DiskStatus::Attaching).1, Tone::Busy);
        assert_eq!(disk_status(&DiskStatus::parse("frozen")), ("frozen".into(), Tone::Neutral));
        assert_eq!(snapshot_status(&SnapshotStatus::Creating), ("Creating".into(), Tone::Busy));
        assert_eq!(snapshot_status(&SnapshotStatus::ErrorCreate).1, Tone::Bad);
        for s in DiskStatus::KNOWN {
            assert!(!disk_status(s).0.contains('_'), "{s} has a wire-looking label");
        }
    }
}
