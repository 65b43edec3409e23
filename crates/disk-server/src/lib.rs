//! disk-server: serves the Cloud Disk Console and JD Cloud's disk API (v1), backed by an emulated region
//! stored in SQLite (`app`) or by the account's real region through a signing gateway (`gateway_app`).
//! The backend is chosen once, at start.

pub mod clock;
pub mod config;
pub mod credentials;
pub mod engine;
pub mod error;
pub mod extract;
pub mod failures;
pub mod faults;
pub mod gateway;
pub mod openapi;
pub mod prerender;
pub mod routes;
pub mod security;
pub mod seed;
pub mod sign;
pub mod static_files;
pub mod stats;
pub mod store;
pub mod verify;

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
    /// With `--verify-signatures`: the account's keys, to check requests as JD Cloud does.
    pub verifier: Option<Arc<credentials::Keyring>>,
    /// Injected faults and latency (`--fault-rate`, `--latency-ms`, `--fault-route`); off by default.
    pub faults: Arc<faults::Faults>,
    /// The failure knob (`/_emulator/failures`); nothing armed by default.
    pub failures: Arc<failures::Failures>,
}

impl AppState {
    pub fn new(store: store::Store, clock: Arc<dyn clock::Clock>, config: Config) -> Self {
        let faults = Arc::new(faults::Faults {
            rate: config.fault_rate,
            latency_ms: config.latency_ms,
            route: config.fault_route.clone(),
        });
        Self {
            store: Arc::new(store),
            clock,
            config: Arc::new(config),
            stats: Arc::default(),
            verifier: None,
            faults,
            failures: Arc::default(),
        }
    }

    /// Checks every API request's signature with these keys.
    pub fn verifying(mut self, keyring: Arc<credentials::Keyring>) -> Self {
        self.verifier = Some(keyring);
        self
    }
}

/// The whole HTTP surface over the emulated region: the disk API under `/v1`, the console everywhere else.
pub fn app(state: AppState) -> axum::Router {
    routes::router(state)
}

/// The whole HTTP surface over JD Cloud: the gateway's API under `/v1`, the console everywhere else.
pub fn gateway_app(gw: gateway::Shared, config: &Config) -> axum::Router {
    let session = if gw.auth.trusted.is_some() {
        let g = gw.clone();
        static_files::PageSession::PerRequest(Arc::new(move |headers, peer| {
            g.auth.identify(headers, peer).ok().map(|id| gateway::session_json(&id))
        }))
    } else if gw.auth.has_mode() {
        static_files::PageSession::Ask
    } else {
        match gw.auth.identify(&axum::http::HeaderMap::new(), None) {
            Ok(id) => static_files::PageSession::Fixed(gateway::session_json(&id)),
            Err(_) => static_files::PageSession::Ask,
        }
    };
    with_console(gateway::api(gw, &config.base_path), config, session)
}

/// What both backends serve around their API: the console's files (with what the page says about its
/// session), compression, the base path and CORS.
pub fn with_console(api: axum::Router, config: &Config, session: static_files::PageSession) -> axum::Router {
    let app = api
        .clone()
        .merge(static_files::router(config, session, Some(api)))
        .layer(tower_http::compression::CompressionLayer::new());
    let base = config.base_path.clone();
    let app = if base.is_empty() {
        app
    } else {
        // Everything lives below the base path; the root (and the base path with a slash) lead there.
        let to = base.clone();
        let redirect = move || {
            let to = to.clone();
            async move { axum::response::Redirect::temporary(&to) }
        };
        axum::Router::new()
            .nest(&base, app)
            .route("/", axum::routing::get(redirect.clone()))
            .route(&format!("{base}/"), axum::routing::get(redirect))
    };
    match security::cors(&config.cors_origins, &config.cors_headers) {
        Some(cors) => app.layer(cors),
        None => app,
    }
}
