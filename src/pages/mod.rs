//! One page per file.

pub mod disk_list;
pub mod not_found;
