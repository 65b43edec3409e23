use axum::serve::ListenerExt;
use clap::Parser;
use disk_server::clock::{Clock, SystemClock};
use disk_server::credentials::{self, Keyring, Sources};
use disk_server::gateway::{self, auth, ops::Role, upstream};
use disk_server::{app, gateway_app, seed, store::Store, AppState, Config};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

#[tokio::main]
async fn main() -> ExitCode {
    let config = Config::parse();
    let filter = tracing_subscriber::EnvFilter::try_from_env("DISK_SERVER_LOG")
        .unwrap_or_else(|_| "disk_server=info".into());
    let log = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if config.log_format == "json" {
        // One JSON object a line, for log shippers.
        log.json().with_current_span(false).init();
    } else {
        // Colours only for a person at a terminal, never in a file or a pipe.
        log.with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr())).init();
    }
    match run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("disk-server: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(config: Config) -> Result<(), String> {
    let gateway_mode = config.backend == "jdcloud";
    if gateway_mode && config.verify_signatures {
        return Err("--verify-signatures is for the emulator (it plays the cloud); the gateway signs".into());
    }
    // The account's keys: the gateway signs with them, a signature-checking emulator checks with them.
    let keyring =
        if gateway_mode || config.verify_signatures { Some(Arc::new(load_keys(&config)?)) } else { None };
    let app = if gateway_mode {
        let keyring = keyring.clone().expect("loaded above");
        let gw = gateway(&config, keyring.clone())?;
        reload_on_sighup(keyring, gw.auth.tokens.clone());
        gateway_app(Arc::new(gw), &config)
    } else {
        if let Some(k) = &keyring {
            reload_on_sighup(k.clone(), None);
        }
        let store =
            Store::open(&config.db).map_err(|e| format!("cannot open database {}: {e}", config.db))?;
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        if config.seed == "demo" {
            let n = seed::demo_with(&store, clock.now_ms(), config.demo_disks).map_err(|e| e.to_string())?;
            if n > 0 {
                tracing::info!("seeded the demo region with {n} disks");
            }
            if config.demo_snapshots {
                let n = seed::demo_snapshots(&store, clock.now_ms()).map_err(|e| e.to_string())?;
                if n > 0 {
                    tracing::info!("seeded the demo region with {n} snapshots");
                }
            }
        }
        let mut state = AppState::new(store, clock, config.clone());
        if let Some(k) = keyring {
            tracing::info!("checking every API request's signature");
            state = state.verifying(k);
        }
        app(state)
    };
    if !config.dist.join("index.html").is_file() {
        tracing::warn!("no console at {}: build it with `cargo xtask build`", config.dist.display());
    }
    // No Nagle delay: streamed files (headers, then body) would otherwise wait on delayed ACKs.
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?
        .tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
    // Tools that start the server read this line to learn the port.
    let addr = axum::serve::Listener::local_addr(&listener).map_err(|e| e.to_string())?;
    println!("listening on http://{addr}");
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown())
        .await
        .map_err(|e| e.to_string())
}

fn load_keys(config: &Config) -> Result<Keyring, String> {
    let sources = Sources {
        config_file: config.jdcloud_config.clone(),
        profile: config.jdcloud_profile.clone(),
        home: std::env::var_os("HOME").map(Into::into),
    };
    let (creds, warnings) =
        credentials::load(|k| std::env::var(k).ok(), &sources).map_err(|e| format!("not starting: {e}"))?;
    for w in warnings {
        tracing::warn!("{w}");
    }
    tracing::info!(
        "JD Cloud credentials from {} (access key {})",
        creds.source,
        masked(creds.access_key_id())
    );
    Ok(Keyring::new(creds, sources))
}

/// An access key ID shown in the log: its first four characters.
fn masked(id: &str) -> String {
    format!("{}…", id.chars().take(4).collect::<String>())
}

/// SIGHUP re-reads the keys (rotation without a restart; requests in flight finish with the old ones) and
/// the gateway's token file (a revoked token stops working).
fn reload_on_sighup(keyring: Arc<Keyring>, tokens: Option<Arc<auth::TokenFile>>) {
    #[cfg(unix)]
    tokio::spawn(async move {
        use tokio::signal::unix::{signal, SignalKind};
        let Ok(mut hup) = signal(SignalKind::hangup()) else { return };
        while hup.recv().await.is_some() {
            match keyring.reload() {
                Ok((c, warnings)) => {
                    for w in warnings {
                        tracing::warn!("{w}");
                    }
                    tracing::info!(
                        "SIGHUP: credentials re-read from {} (access key {})",
                        c.source,
                        masked(c.access_key_id())
                    );
                }
                Err(e) => tracing::error!("SIGHUP: keeping the credentials in force: {e}"),
            }
            if let Some(t) = &tokens {
                match t.reload() {
                    Ok(n) => tracing::info!("SIGHUP: token file re-read, {n} users"),
                    Err(e) => tracing::error!("SIGHUP: keeping the users in force: {e}"),
                }
            }
        }
    });
    #[cfg(not(unix))]
    let _ = (keyring, tokens);
}

/// The gateway's parts from the command line; refuses an open door (non-loopback without authentication).
fn gateway(config: &Config, keyring: Arc<Keyring>) -> Result<gateway::Gateway, String> {
    let tokens = match &config.auth_tokens {
        Some(path) => Some(Arc::new(auth::TokenFile::load(path)?)),
        None => None,
    };
    let trusted = match (&config.trusted_user_header, config.trusted_proxies.is_empty()) {
        (Some(header), false) => Some(auth::TrustedProxy {
            user_header: header.to_ascii_lowercase(),
            role_header: config.trusted_role_header.as_ref().map(|h| h.to_ascii_lowercase()),
            proxies: config.trusted_proxies.clone(),
            default_role: Role::parse(&config.default_role).unwrap_or(Role::Viewer),
        }),
        (Some(_), true) => {
            return Err("--trusted-user-header needs --trusted-proxy (the proxies' addresses)".into())
        }
        (None, false) => return Err("--trusted-proxy needs --trusted-user-header".into()),
        (None, true) => None,
    };
    let mut authn = auth::Authenticator { tokens, trusted, local_user: false, read_only: config.read_only };
    if !authn.has_mode() {
        if !config.listen.ip().is_loopback() {
            return Err(format!(
                "refusing to serve JD Cloud on {} without authentication: anyone who reaches it could use the \
                 account. Give --auth-tokens FILE, or --trusted-user-header with --trusted-proxy, or listen on \
                 a loopback address (one local user)",
                config.listen
            ));
        }
        authn.local_user = true;
        tracing::warn!("no authentication mode: serving one local user on {}", config.listen);
    }
    let endpoint = upstream::Endpoint::new(&config.jdcloud_endpoint)?;
    let secs = |s: f64| Duration::from_secs_f64(s.max(0.1));
    let upstream = upstream::Upstream::new(
        endpoint,
        secs(config.upstream_connect_timeout),
        secs(config.upstream_timeout),
    )?;
    let audit = match &config.audit_log {
        Some(path) => gateway::audit::Audit::file(path)?,
        None => gateway::audit::Audit::stderr(),
    };
    tracing::info!("backend: JD Cloud at {}", config.jdcloud_endpoint);
    Ok(gateway::Gateway { keyring, upstream, auth: authn, audit })
}

async fn shutdown() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("SIGTERM handler");
        tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}
