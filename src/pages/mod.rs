//! One page per file.

pub mod disk_detail;
pub mod disk_list;
pub mod not_found;
pub mod snapshot_list;
