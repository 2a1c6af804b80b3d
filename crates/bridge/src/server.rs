//! Listening on 127.0.0.1 and serving connections until told to stop.

use std::convert::Infallible;
use std::net::Ipv4Addr;
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tokio::task::JoinSet;

use crate::config::{BridgeConfig, PORT_FALLBACKS, normalize_origin};
use crate::handler::BridgeHandler;
use crate::pairing::{AnswerError, Pairings};
use crate::routes::{self, Shared};
use crate::tokens::{TokenStore, TokenStoreError};

/// Connections served at once; more wait in the kernel's queue. The extension makes one or
/// two; this bounds what a misbehaving local program can make the app hold (bodies of up to
/// 30 MB each).
const MAX_CONNECTIONS: usize = 16;

/// How long a client may take to send its request's headers.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Why the service did not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("ports {first} to {last} on 127.0.0.1 are all taken; close what uses them")]
    NoFreePort { first: u16, last: u16 },
    #[error("could not listen on 127.0.0.1: {0}")]
    Listen(std::io::Error),
    #[error(transparent)]
    Tokens(#[from] TokenStoreError),
}

impl StartError {
    /// A stable code for the UI.
    pub fn code(&self) -> &'static str {
        match self {
            StartError::NoFreePort { .. } => "no_free_port",
            StartError::Listen(_) => "listen_failed",
            StartError::Tokens(e) => e.code(),
        }
    }
}

/// The local clipper service. See the crate's documentation.
pub struct Bridge;

impl Bridge {
    /// Listens on 127.0.0.1 (the configured port or one of the next ten) and serves until
    /// [`RunningBridge::stop`]. Must be called inside a tokio runtime.
    pub async fn start(
        config: BridgeConfig,
        handler: Arc<dyn BridgeHandler>,
    ) -> Result<RunningBridge, StartError> {
        let tokens = Arc::new(TokenStore::open(config.token_file.clone())?);
        let listener = bind(config.port).await?;
        let port = listener.local_addr().map_err(StartError::Listen)?.port();
        let web_origins = config
            .allowed_web_origins
            .iter()
            .map(|o| normalize_origin(o))
            .collect();
        let shared = Arc::new(Shared {
            web_origins: std::sync::RwLock::new(web_origins),
            pairings: Pairings::new(config.pairing_ttl, config.pairing_per_minute),
            config,
            port,
            tokens: Arc::clone(&tokens),
            handler,
        });
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(serve(listener, Arc::clone(&shared), stopped));
        Ok(RunningBridge {
            port,
            shared,
            tokens,
            stop,
            task: Some(task),
        })
    }
}

/// The service, running. Dropping it stops it too (without waiting).
pub struct RunningBridge {
    port: u16,
    shared: Arc<Shared>,
    tokens: Arc<TokenStore>,
    stop: watch::Sender<bool>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl RunningBridge {
    /// The port it listens on, on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The user's answer to a [`crate::PairingRequest`]. Accepting saves the new pairing
    /// before the extension hears of it.
    pub fn answer_pairing(&self, id: &str, accepted: bool) -> Result<(), AnswerError> {
        self.shared.pairings.answer(id, accepted, &self.tokens)
    }

    /// Replaces the web origins allowed to pair (the bookmarklet's sites). Pairings already
    /// made stay until revoked.
    pub fn set_allowed_web_origins(&self, origins: &[String]) {
        let origins = origins.iter().map(|o| normalize_origin(o)).collect();
        *self
            .shared
            .web_origins
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = origins;
    }

    /// The paired browsers, for a settings screen (list, revoke).
    pub fn tokens(&self) -> &TokenStore {
        &self.tokens
    }

    /// Stops listening and ends the open connections; the port is free when this returns.
    pub async fn stop(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RunningBridge {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// Binds 127.0.0.1 (never every interface) on `first` or one of the next ports.
async fn bind(first: u16) -> Result<TcpListener, StartError> {
    if first == 0 {
        return TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .map_err(StartError::Listen);
    }
    let last = first.saturating_add(PORT_FALLBACKS);
    for port in first..=last {
        match TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await {
            Ok(listener) => return Ok(listener),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => continue,
            Err(e) => return Err(StartError::Listen(e)),
        }
    }
    Err(StartError::NoFreePort { first, last })
}

async fn serve(listener: TcpListener, shared: Arc<Shared>, mut stopped: watch::Receiver<bool>) {
    let mut connections = JoinSet::new();
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let permit = tokio::select! {
            _ = stopped.changed() => break,
            permit = Arc::clone(&slots).acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
        };
        let accepted = tokio::select! {
            _ = stopped.changed() => break,
            accepted = listener.accept() => accepted,
        };
        while connections.try_join_next().is_some() {}
        match accepted {
            Ok((stream, _)) => {
                connections.spawn(serve_connection(stream, Arc::clone(&shared), permit));
            }
            // Out of file descriptors and the like: wait a little rather than spin.
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
    connections.shutdown().await;
}

async fn serve_connection(stream: TcpStream, shared: Arc<Shared>, _permit: OwnedSemaphorePermit) {
    let service = service_fn(move |req| {
        let shared = Arc::clone(&shared);
        async move { Ok::<_, Infallible>(routes::handle(shared, req).await) }
    });
    // A failed connection (the client went away, sent garbage) concerns that client only.
    let _ = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .serve_connection(TokioIo::new(stream), service)
        .await;
}
