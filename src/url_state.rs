//! What a list view shows lives in its URL (the rules are shared with the server: `disk_api::console_url`).

pub use disk_api::console_url::*;
