//! Reusable pieces of the console.

pub mod error_view;
pub mod pager;
pub mod region_select;
pub mod status_badge;
