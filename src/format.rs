//! How values read to people: capacities, times, statuses.

use crate::i18n::{t, tf, T};
use disk_api::validate::{DescriptionProblem, NameProblem, DESCRIPTION_MAX_CHARS, NAME_MAX_CHARS};
use disk_api::{AttachmentStatus, ChargeMode, DiskStatus, DiskType, SnapshotStatus};

pub use disk_texts::words::{short_time, thousands, Tone};

/// `16,000 GiB`.
pub fn capacity_gib(gib: u32) -> String {
    disk_texts::words::capacity_gib(gib, &t)
}

/// The product name of a disk type.
pub fn disk_type(d: &DiskType) -> String {
    disk_texts::words::disk_type(d, &t)
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

/// A readable label and tone for a disk status.
pub fn disk_status(s: &DiskStatus) -> (String, Tone) {
    disk_texts::words::disk_status(s, &t)
}

/// A readable label and tone for a snapshot status.
pub fn snapshot_status(s: &SnapshotStatus) -> (String, Tone) {
    disk_texts::words::snapshot_status(s, &t)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The wording itself is tested in disk-texts; here, that the console's wrappers read its locale.
    #[test]
    fn words_in_the_console_s_language() {
        assert_eq!(capacity_gib(16000), "16,000 GiB");
        assert_eq!(disk_status(&DiskStatus::InUse), ("In use".into(), Tone::Ok));
        let owner = leptos::prelude::Owner::new();
        owner.with(|| {
            leptos::prelude::provide_context(crate::i18n::Locale::ZhCn);
            assert_eq!(disk_status(&DiskStatus::InUse).0, "使用中");
            assert_eq!(snapshot_status(&SnapshotStatus::Creating).0, "创建中");
        });
    }
}
