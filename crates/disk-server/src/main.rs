use axum::serve::ListenerExt;
use clap::Parser;
use disk_server::clock::{Clock, SystemClock};
use disk_server::{app, seed, store::Store, AppState, Config};
use std::sync::Arc;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("DISK_SERVER_LOG")
                .unwrap_or_else(|_| "disk_server=info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let config = Config::parse();
    let store = Store::open(&config.db).map_err(|e| format!("cannot open database {}: {e}", config.db))?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    if config.seed == "demo" {
        let n = seed::demo_with(&store, clock.now_ms(), config.demo_disks)?;
        if n > 0 {
            tracing::info!("seeded the demo region with {n} disks");
        }
    }
    if !config.dist.join("index.html").is_file() {
        tracing::warn!("no console at {}: build it with `cargo xtask build`", config.dist.display());
    }
    // No Nagle delay: streamed files (headers, then body) would otherwise wait on delayed ACKs.
    let listener = tokio::net::TcpListener::bind(config.listen).await?.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    // Tools that start the server read this line to learn the port.
    println!("listening on http://{}", axum::serve::Listener::local_addr(&listener)?);
    let state = AppState::new(store, clock, config);
    axum::serve(listener, app(state)).with_graceful_shutdown(shutdown()).await?;
    Ok(())
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
