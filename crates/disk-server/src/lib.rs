//! disk-server: serves the Cloud Disk Console and JD Cloud's disk API (v1), backed by an emulated region
//! stored in SQLite.

pub mod clock;
pub mod config;
pub mod engine;
pub mod error;
pub mod extract;
pub mod openapi;
pub mod routes;
pub mod security;
pub mod seed;
pub mod static_files;
pub mod stats;
pub mod store;

use std::sync::Arc;

pub use config::Config;
pub use error::ApiError;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<store::Store>,
    pub clock: Arc<dyn clock::Clock>,
    pub config: Arc<Config>,
    pub stats: Arc<stats::RequestStats>,
}

impl AppState {
    pub fn new(store: store::Store, clock: Arc<dyn clock::Clock>, config: Config) -> Self {
        Self { store: Arc::new(store), clock, config: Arc::new(config), stats: Arc::default() }
    }
}

/// The whole HTTP surface: the disk API under `/v1`, the console everywhere else.
pub fn app(state: AppState) -> axum::Router {
    routes::router(state)
}
