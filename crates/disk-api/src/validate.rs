//! Validation rules, one implementation for the server (which answers with JD's messages) and the browser
//! (which shows a human sentence under the field before any request is sent).

use std::fmt;

pub const NAME_MAX_CHARS: usize = 32;
pub const DESCRIPTION_MAX_CHARS: usize = 256;
pub const CLIENT_TOKEN_MAX_CHARS: usize = 64;

/// What is wrong with a name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NameProblem {
    Empty,
    TooLong { chars: usize },
    BadCharacter(char),
}

impl fmt::Display for NameProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("Enter a name."),
            Self::TooLong { chars } => {
                write!(f, "Use at most {NAME_MAX_CHARS} characters ({chars} entered).")
            }
            Self::BadCharacter(c) => {
                write!(f, "“{c}” is not allowed. Use Chinese characters, letters, digits, “_” and “-”.")
            }
        }
    }
}

/// The `\p{Han}` blocks JD's name rule allows (CJK unified and compatibility ideographs), inclusive.
pub const HAN_RANGES: [(u32, u32); 6] = [
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x2A6DF),
    (0x2A700, 0x2EBEF),
    (0x30000, 0x3134F),
];

/// A CJK ideograph of [`HAN_RANGES`].
pub fn is_han(c: char) -> bool {
    HAN_RANGES.iter().any(|&(lo, hi)| (lo..=hi).contains(&(c as u32)))
}

/// Disk and snapshot names: 1–32 characters of Chinese characters, ASCII letters, digits, `_` and `-`.
pub fn check_name(name: &str) -> Result<(), NameProblem> {
    if name.is_empty() {
        return Err(NameProblem::Empty);
    }
    if let Some(c) = name.chars().find(|&c| !(c.is_ascii_alphanumeric() || c == '_' || c == '-' || is_han(c)))
    {
        return Err(NameProblem::BadCharacter(c));
    }
    let chars = name.chars().count();
    if chars > NAME_MAX_CHARS {
        return Err(NameProblem::TooLong { chars });
    }
    Ok(())
}

/// What is wrong with a description.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DescriptionProblem {
    TooLong { chars: usize },
}

impl fmt::Display for DescriptionProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLong { chars } => {
                write!(f, "Use at most {DESCRIPTION_MAX_CHARS} characters ({chars} entered).")
            }
        }
    }
}

/// Descriptions: any text of at most 256 characters.
pub fn check_description(description: &str) -> Result<(), DescriptionProblem> {
    let chars = description.chars().count();
    if chars > DESCRIPTION_MAX_CHARS {
        return Err(DescriptionProblem::TooLong { chars });
    }
    Ok(())
}

/// What is wrong with a new disk's capacity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SizeProblem {
    /// Below the type's minimum.
    TooSmall { min: u32 },
    /// Above the type's maximum.
    TooLarge { max: u32 },
    /// Not a multiple of the type's step.
    NotStep { step: u32 },
    /// Smaller than the snapshot it starts from.
    BelowSnapshot { snapshot: u32 },
}

impl fmt::Display for SizeProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooSmall { min } => write!(f, "Use at least {min} GiB."),
            Self::TooLarge { max } => write!(f, "Use at most {max} GiB."),
            Self::NotStep { step } => write!(f, "Use a multiple of {step} GiB."),
            Self::BelowSnapshot { snapshot } => write!(f, "Use at least the snapshot's {snapshot} GiB."),
        }
    }
}

/// A new disk's capacity for its type (the limits of [`crate::DiskType::size_limits_gib`]) and, when it
/// starts from a snapshot, no smaller than the snapshot.
pub fn check_disk_size(
    disk_type: &crate::DiskType,
    size_gib: u32,
    snapshot_gib: Option<u32>,
) -> Result<(), SizeProblem> {
    let (min, max, step) = disk_type.size_limits_gib();
    if let Some(snapshot) = snapshot_gib.filter(|&s| size_gib < s) {
        return Err(SizeProblem::BelowSnapshot { snapshot });
    }
    if size_gib < min {
        return Err(SizeProblem::TooSmall { min });
    }
    if size_gib > max {
        return Err(SizeProblem::TooLarge { max });
    }
    if !size_gib.is_multiple_of(step) {
        return Err(SizeProblem::NotStep { step });
    }
    Ok(())
}

/// How many disks one createDisks may ask for.
pub const MAX_COUNT_RANGE: (u32, u32) = (1, 100);

/// Idempotency tokens: 1–64 characters of `[A-Za-z0-9_-]`.
pub fn is_client_token(token: &str) -> bool {
    (1..=CLIENT_TOKEN_MAX_CHARS).contains(&token.len())
        && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// The ID rules below as regular expressions, for the server's OpenAPI document (a test checks that each
/// pattern and its function agree).
pub const DISK_ID_PATTERN: &str = "^vol-[a-z0-9]{10}$";
pub const SNAPSHOT_ID_PATTERN: &str = "^snapshot-[a-z0-9]{10}$";
pub const INSTANCE_ID_PATTERN: &str = "^i-[a-z0-9]{10}$";
pub const CLIENT_TOKEN_PATTERN: &str = "^[A-Za-z0-9_-]{1,64}$";
/// [`is_expire_time`]: empty, or `YYYY-MM-DDTHH:MM:SS` with `Z` or `±HH:MM`.
pub const EXPIRE_TIME_PATTERN: &str =
    "^$|^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})$";

/// [`check_name`] as a regular expression (the Han blocks written as literal characters).
pub fn name_pattern() -> String {
    let han: String = HAN_RANGES
        .iter()
        .filter_map(|&(lo, hi)| Some(format!("{}-{}", char::from_u32(lo)?, char::from_u32(hi)?)))
        .collect();
    format!("^[A-Za-z0-9_{han}-]{{1,{NAME_MAX_CHARS}}}$")
}

/// `prefix` followed by exactly 10 lower-case letters or digits, as JD's resource IDs are.
fn is_resource_id(id: &str, prefix: &str) -> bool {
    id.strip_prefix(prefix).is_some_and(|rest| {
        rest.len() == 10 && rest.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    })
}

/// `vol-` + 10 characters.
pub fn is_disk_id(id: &str) -> bool {
    is_resource_id(id, "vol-")
}

/// `snapshot-` + 10 characters.
pub fn is_snapshot_id(id: &str) -> bool {
    is_resource_id(id, "snapshot-")
}

/// `i-` + 10 characters.
pub fn is_instance_id(id: &str) -> bool {
    is_resource_id(id, "i-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disk_sizes_follow_the_type_and_the_snapshot() {
        use crate::DiskType;
        assert_eq!(check_disk_size(&DiskType::SsdGp1, 40, None), Ok(()));
        assert_eq!(check_disk_size(&DiskType::SsdGp1, 10, None), Err(SizeProblem::TooSmall { min: 20 }));
        assert_eq!(check_disk_size(&DiskType::Ssd, 1010, None), Err(SizeProblem::TooLarge { max: 1000 }));
        assert_eq!(check_disk_size(&DiskType::PremiumHdd, 3000, None), Ok(()));
        assert_eq!(check_disk_size(&DiskType::SsdGp1, 16000, None), Ok(()));
        assert_eq!(check_disk_size(&DiskType::SsdGp1, 45, None), Err(SizeProblem::NotStep { step: 10 }));
        assert_eq!(
            check_disk_size(&DiskType::SsdGp1, 40, Some(50)),
            Err(SizeProblem::BelowSnapshot { snapshot: 50 })
        );
        assert_eq!(check_disk_size(&DiskType::SsdGp1, 50, Some(50)), Ok(()));
        assert_eq!(
            SizeProblem::BelowSnapshot { snapshot: 50 }.to_string(),
            "Use at least the snapshot's 50 GiB."
        );
    }

    #[test]
    fn names() {
        let cases: &[(&str, Result<(), NameProblem>)] = &[
            ("data-1", Ok(())),
            ("备份_2024-01", Ok(())),
            ("A", Ok(())),
            (&"x".repeat(32), Ok(())),
            (&"盘".repeat(32), Ok(())),
            ("", Err(NameProblem::Empty)),
            (&"x".repeat(33), Err(NameProblem::TooLong { chars: 33 })),
            (&"盘".repeat(33), Err(NameProblem::TooLong { chars: 33 })),
            ("has space", Err(NameProblem::BadCharacter(' '))),
            ("dot.name", Err(NameProblem::BadCharacter('.'))),
            ("<img>", Err(NameProblem::BadCharacter('<'))),
            ("café", Err(NameProblem::BadCharacter('é'))),
            ("ｆｕｌｌ", Err(NameProblem::BadCharacter('ｆ'))),
            ("emoji😀", Err(NameProblem::BadCharacter('😀'))),
        ];
        for (name, want) in cases {
            assert_eq!(&check_name(name), want, "{name:?}");
        }
    }

    #[test]
    fn name_messages_are_sentences() {
        assert_eq!(NameProblem::Empty.to_string(), "Enter a name.");
        assert!(NameProblem::BadCharacter(' ').to_string().contains("“ ”"));
        assert!(NameProblem::TooLong { chars: 40 }.to_string().contains("40 entered"));
    }

    #[test]
    fn descriptions() {
        assert_eq!(check_description(""), Ok(()));
        assert_eq!(check_description(&"描".repeat(256)), Ok(()));
        assert_eq!(check_description(&"a".repeat(257)), Err(DescriptionProblem::TooLong { chars: 257 }));
        assert_eq!(check_description("<img src=x onerror=alert(1)>"), Ok(()));
    }

    #[test]
    fn client_tokens() {
        assert!(is_client_token("Snapshot-123456789"));
        assert!(is_client_token(&"a".repeat(64)));
        assert!(!is_client_token(""));
        assert!(!is_client_token(&"a".repeat(65)));
        assert!(!is_client_token("with space"));
        assert!(!is_client_token("ümlaut"));
    }

    #[test]
    fn ids() {
        assert!(is_disk_id("vol-9dya7e5rdi"));
        assert!(!is_disk_id("vol-9dya7e5rd"));
        assert!(!is_disk_id("vol-9DYA7E5RDI"));
        assert!(!is_disk_id("snapshot-9dya7e5rdi"));
        assert!(is_snapshot_id("snapshot-h8u1abcd36"));
        assert!(!is_snapshot_id("snapshot-h8u1****36"));
        assert!(is_instance_id("i-6za0ovr24v"));
        assert!(!is_instance_id("i-6za0ovr24"));
    }
}

/// `expireTime` of modifySnapshotAttribute: `""` (no expiry) or ISO 8601 with a zone,
/// `2026-12-31T23:59:59+08:00` / `…Z`.
pub fn is_expire_time(s: &str) -> bool {
    if s.is_empty() {
        return true;
    }
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let head = b.len() >= 19
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19);
    // Bytes, not `&str` slices: byte 19 may fall inside a multi-byte character.
    let zone = &b[19.min(b.len())..];
    let zone_ok = zone == b"Z"
        || (zone.len() == 6
            && matches!(zone[0], b'+' | b'-')
            && digits(20..22)
            && zone[3] == b':'
            && digits(23..25));
    head && zone_ok
}

#[cfg(test)]
mod expire_tests {
    #[test]
    fn expire_times() {
        for ok in ["", "2026-12-31T23:59:59+08:00", "2026-12-31T23:59:59Z", "2027-01-01T00:00:00-05:00"] {
            assert!(super::is_expire_time(ok), "{ok}");
        }
        for bad in [
            "tomorrow",
            "2026-12-31",
            "2026-12-31 23:59:59",
            "2026-12-31T23:59:59",
            "2026-12-31T23:59:59+0800",
            // Multi-byte characters where the zone starts or inside it (once a panic).
            "2026-12-31T23:59:5é",
            "2026-12-31T23:59:59é",
            "2026-12-31T23:59:59+é:00",
            "２０２６-12-31T23:59:59Z",
        ] {
            assert!(!super::is_expire_time(bad), "{bad}");
        }
    }
}
