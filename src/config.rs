//! Runtime configuration: where the API is and which region to show first. One place, read once.

use disk_api::region::DEFAULT_REGION;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// Prefix of every API path; empty for the same origin as the console.
    pub api_base: String,
    /// The region shown when the URL names none.
    pub default_region: String,
}

impl Default for Config {
    fn default() -> Self {
        Self { api_base: String::new(), default_region: DEFAULT_REGION.to_owned() }
    }
}

impl Config {
    /// The configuration of this page. Today the defaults: the API on the console's own origin.
    pub fn from_page() -> Self {
        Self::default()
    }
}
