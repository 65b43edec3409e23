//! How values read to people: capacities, times, statuses.

use crate::i18n::{t, tf, T};
use disk_api::validate::{DescriptionProblem, NameProblem, DESCRIPTION_MAX_CHARS, NAME_MAX_CHARS};
use disk_api::{AttachmentStatus, ChargeMode, DiskStatus, DiskType, SnapshotStatus};

/// `16,000 GiB`.
pub fn capacity_gib(gib: u32) -> String {
    tf(T::Gib, &[("n", &thousands(u64::from(gib)))])
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

/// The product name of a disk type.
pub fn disk_type(d: &DiskType) -> String {
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

/// How a disk is paid for.
pub fn charge_mode(c: &ChargeMode) -> String {
    let key = match c {
        ChargeMode::PrepaidByDuration => T::ChargePrepaid,
        ChargeMode::PostpaidByUsage => T::ChargeByUsage,
        ChargeMode::PostpaidByDuration => T::ChargeByDuration,
        ChargeMode::Unknown(other) => return other.clone(),
    };
    t(key).to_owned()
}

/// An attachment's status in words.
pub fn attachment_status(a: &AttachmentStatus) -> String {
    let key = match a {
        AttachmentStatus::Attaching => T::StAttaching,
        AttachmentStatus::Attached => T::StAttached,
        AttachmentStatus::Detaching => T::StDetaching,
        AttachmentStatus::Detached => T::StDetached,
        AttachmentStatus::Unknown(other) => return other.clone(),
    };
    t(key).to_owned()
}

/// What is wrong with a name, in words.
pub fn name_problem_text(p: &NameProblem) -> String {
    match p {
        NameProblem::Empty => t(T::NameEmpty).to_owned(),
        NameProblem::TooLong { chars } => {
            tf(T::NameTooLong, &[("max", &NAME_MAX_CHARS.to_string()), ("n", &chars.to_string())])
        }
        NameProblem::BadCharacter(c) => tf(T::NameBadChar, &[("c", &c.to_string())]),
    }
}

/// What is wrong with a description, in words.
pub fn description_problem_text(p: &DescriptionProblem) -> String {
    match p {
        DescriptionProblem::TooLong { chars } => tf(
            T::DescriptionTooLong,
            &[("max", &DESCRIPTION_MAX_CHARS.to_string()), ("n", &chars.to_string())],
        ),
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
        DiskStatus::Unknown(other) => other.as_str(), // i18n: not shown as ours (the cloud's own word)
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
        SnapshotStatus::Creating => t(T::StCreating),
        SnapshotStatus::Available => t(T::StAvailable),
        SnapshotStatus::InUse => t(T::StInUse),
        SnapshotStatus::Copying => t(T::StCopying),
        SnapshotStatus::Deleting => t(T::StDeleting),
        SnapshotStatus::ErrorCreate => t(T::StErrorCreate),
        SnapshotStatus::ErrorDelete => t(T::StErrorDelete),
        SnapshotStatus::Unknown(other) => other.as_str(), // i18n: not shown as ours (the cloud's own word)
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
