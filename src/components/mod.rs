//! Reusable pieces of the console.

pub mod after_snapshot;
pub mod create_snapshot;
pub mod error_view;
pub mod freshness;
pub mod menu;
pub mod modal;
pub mod pager;
pub mod quota;
pub mod region_select;
pub mod snapshot_table;
pub mod status_badge;
pub mod toasts;
