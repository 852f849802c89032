//! The connection layer: how many connections are served at once, how long a client may take to
//! send its request, and how large its headers may be (docs/request-signatures.md, "Connection
//! limits"). Alexa sends each request whole and waits at most about 8 seconds for the answer, so
//! a client that takes seconds to send its headers or body is not Alexa, and is cut off.

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tokio_rustls::TlsAcceptor;

/// Longest a client may take to send a request's headers, counted from when the connection
/// starts waiting for a request: right after it is accepted (or after the TLS handshake), and
/// after each answer on a kept-alive connection. So it is also the idle timeout of a kept-alive
/// connection.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Longest a request's body may take to arrive after its headers; the request then gets 408 and
/// its connection is closed.
pub const BODY_READ_TIMEOUT: Duration = Duration::from_secs(5);

/// Longest a TLS handshake may take.
pub const TLS_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(5);

/// Most connections served at once; more wait in the kernel's accept queue until one closes.
pub const MAX_CONNECTIONS: usize = 512;

/// Largest request line and headers together; a larger request gets 431.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;

/// Most header fields in one request.
pub const MAX_HEADERS: usize = 64;

/// The limits of [`crate::Server`]; [`Limits::default`] holds the constants of this module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    pub header_read_timeout: Duration,
    pub body_read_timeout: Duration,
    pub tls_handshake_timeout: Duration,
    pub max_connections: usize,
    /// At least 8 KiB (hyper's smallest read buffer); a smaller value counts as 8 KiB.
    pub max_header_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            header_read_timeout: HEADER_READ_TIMEOUT,
            body_read_timeout: BODY_READ_TIMEOUT,
            tls_handshake_timeout: TLS_HANDSHAKE_TIMEOUT,
            max_connections: MAX_CONNECTIONS,
            max_header_bytes: MAX_HEADER_BYTES,
        }
    }
}

/// Accepts connections until `shutdown` completes, then lets every open connection finish its
/// request in flight and close.
pub(crate) async fn serve(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let connections = Arc::new(Semaphore::new(limits.max_connections));
    let (stop_sender, stop) = watch::channel(false);
    // HTTP/1 only, as Alexa speaks it: no HTTP/2 code in the binary.
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_buf_size(limits.max_header_bytes.max(8 * 1024))
        .max_headers(MAX_HEADERS);
    let builder = Arc::new(builder);
    let service = TowerToHyperService::new(router);
    tokio::pin!(shutdown);
    loop {
        // A free slot first, then a connection: over the cap, clients wait in the accept queue.
        let permit = tokio::select! {
            () = &mut shutdown => break,
            permit = connections.clone().acquire_owned() => permit.expect("the semaphore is never closed"),
        };
        let stream = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => stream,
                Err(error) => {
                    // Out of file descriptors, or a connection reset before it was accepted.
                    tracing::warn!(%error, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        // Answers are small and written at once: send them without waiting for more.
        let _ = stream.set_nodelay(true);
        let builder = builder.clone();
        let service = service.clone();
        let stop = stop.clone();
        let tls = tls.clone();
        let handshake_timeout = limits.tls_handshake_timeout;
        tokio::spawn(async move {
            match tls {
                None => serve_connection(TokioIo::new(stream), &builder, service, stop).await,
                Some(acceptor) => {
                    match tokio::time::timeout(handshake_timeout, acceptor.accept(stream)).await {
                        Ok(Ok(stream)) => {
                            serve_connection(TokioIo::new(stream), &builder, service, stop).await;
                        }
                        Ok(Err(error)) => tracing::debug!(%error, "TLS handshake failed"),
                        Err(_) => tracing::debug!("TLS handshake timed out"),
                    }
                }
            }
            drop(permit);
        });
    }
    let _ = stop_sender.send(true);
    // Every connection holds a slot until it closes: having them all back means all are done.
    let all = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    let _ = connections.acquire_many(all).await;
    Ok(())
}

async fn serve_connection<I>(
    io: TokioIo<I>,
    builder: &http1::Builder,
    service: TowerToHyperService<Router>,
    mut stop: watch::Receiver<bool>,
) where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let connection = builder.serve_connection(io, service);
    tokio::pin!(connection);
    tokio::select! {
        result = connection.as_mut() => {
            if let Err(error) = result {
                // Timeouts, oversized headers, clients that went away: the client's problem.
                tracing::debug!(%error, "connection ended with an error");
            }
            return;
        }
        _ = stop.wait_for(|stop| *stop) => connection.as_mut().graceful_shutdown(),
    }
    let _ = connection.await;
}
