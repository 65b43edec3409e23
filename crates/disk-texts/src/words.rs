//! How values read to people: capacities, times, statuses, types, regions. Each takes the text lookup to
//! use (`t`), so the console (which loads its second language on demand) and disk-server (which renders
//! the console's first view) word them the same way.

use crate::{fill, T};
use disk_api::{DiskStatus, DiskType, SnapshotStatus};

/// A text lookup: the console's `i18n::t`, or a locale's whole catalogue.
pub type Lookup<'a> = &'a dyn Fn(T) -> &'static str;

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

/// `16,000 GiB`.
pub fn capacity_gib(gib: u32, t: Lookup) -> String {
    fill(t(T::Gib), &[("n", &thousands(u64::from(gib)))])
}

/// `2021-08-11T15:20:10+08:00` → `2021-08-11 15:20`, the region's wall time. Anything else unchanged.
pub fn short_time(wire: &str) -> String {
    match (wire.get(0..10), wire.get(10..11), wire.get(11..16)) {
        (Some(date), Some("T"), Some(time)) => format!("{date} {time}"),
        _ => wire.to_owned(),
    }
}

/// The product name of a disk type.
pub fn disk_type(d: &DiskType, t: Lookup) -> String {
    let key = match d {
        DiskType::Ssd => T::TypeSsd,
        DiskType::PremiumHdd => T::TypePremiumHdd,
        DiskType::SsdGp1 => T::TypeSsdGp1,
        DiskType::SsdIo1 => T::TypeSsdIo1,
        DiskType::HddStd1 => T::TypeHddStd1,
        DiskType::SsdGp2 => T::TypeSsdGp2,
        DiskType::SsdIo2 => T::TypeSsdIo2,
        DiskType::Unknown(other) => return other.clone(),
    };
    t(key).to_owned()
}

/// A readable label and tone for a disk status.
pub fn disk_status(s: &DiskStatus, t: Lookup) -> (String, Tone) {
    let label = match s {
        DiskStatus::Creating => t(T::StCreating),
        DiskStatus::Available => t(T::StAvailable),
        DiskStatus::Attaching => t(T::StAttaching),
        DiskStatus::InUse => t(T::StInUse),
        DiskStatus::Detaching => t(T::StDetaching),
        DiskStatus::Extending => t(T::StExtending),
        DiskStatus::Restoring => t(T::StRestoring),
        DiskStatus::Deleting => t(T::StDeleting),
        DiskStatus::Deleted => t(T::StDeleted),
        DiskStatus::ErrorCreate => t(T::StErrorCreate),
        DiskStatus::ErrorDelete => t(T::StErrorDelete),
        DiskStatus::ErrorRestore => t(T::StErrorRestore),
        DiskStatus::ErrorExtend => t(T::StErrorExtend),
        DiskStatus::InRecycleBin => t(T::StInRecycleBin),
        DiskStatus::Unknown(other) => other.as_str(), // the cloud's own word
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
pub fn snapshot_status(s: &SnapshotStatus, t: Lookup) -> (String, Tone) {
    let label = match s {
        SnapshotStatus::Creating => t(T::StCreating),
        SnapshotStatus::Available => t(T::StAvailable),
        SnapshotStatus::InUse => t(T::StInUse),
        SnapshotStatus::Copying => t(T::StCopying),
        SnapshotStatus::Deleting => t(T::StDeleting),
        SnapshotStatus::ErrorCreate => t(T::StErrorCreate),
        SnapshotStatus::ErrorDelete => t(T::StErrorDelete),
        SnapshotStatus::Unknown(other) => other.as_str(), // the cloud's own word
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

/// Whether a snapshot can be taken of a disk in this status.
pub fn can_snapshot(status: &DiskStatus) -> bool {
    matches!(status, DiskStatus::Available | DiskStatus::InUse)
}

/// A region's name, when the console knows the region.
pub fn region_name(id: &str, t: Lookup) -> Option<&'static str> {
    let key = match id {
        "cn-north-1" => T::RegionCnNorth1,
        "cn-east-1" => T::RegionCnEast1,
        "cn-east-2" => T::RegionCnEast2,
        "cn-south-1" => T::RegionCnSouth1,
        _ => return None,
    };
    Some(t(key))
}

/// `华北-北京 · cn-north-1`, or the ID alone for a region the console does not know.
pub fn region_label(id: &str, t: Lookup) -> String {
    region_name(id, t).map_or_else(|| id.to_owned(), |name| format!("{name} · {id}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Locale;

    const EN: Lookup = &|m| Locale::En.text(m);

    #[test]
    fn capacities() {
        assert_eq!(capacity_gib(40, EN), "40 GiB");
        assert_eq!(capacity_gib(16000, EN), "16,000 GiB");
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
        assert_eq!(disk_status(&DiskStatus::InUse, EN), ("In use".into(), Tone::Ok));
        assert_eq!(disk_status(&DiskStatus::ErrorExtend, EN), ("Extension failed".into(), Tone::Bad));
        assert_eq!(disk_status(&DiskStatus::Attaching, EN).1, Tone::Busy);
        assert_eq!(disk_status(&DiskStatus::parse("frozen"), EN), ("frozen".into(), Tone::Neutral));
        assert_eq!(snapshot_status(&SnapshotStatus::Creating, EN), ("Creating".into(), Tone::Busy));
        assert_eq!(snapshot_status(&SnapshotStatus::ErrorCreate, EN).1, Tone::Bad);
        for s in DiskStatus::KNOWN {
            assert!(!disk_status(s, EN).0.contains('_'), "{s} has a wire-looking label");
        }
        assert_eq!(region_label("cn-east-2", &|m| Locale::ZhCn.text(m)), "华东-上海 · cn-east-2");
        assert_eq!(region_label("mars-1", EN), "mars-1");
    }
}
