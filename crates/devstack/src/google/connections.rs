//! The twin's own HTTP server loop: one hyper connection per accepted socket, with the two
//! controls a fault needs below HTTP — resetting a connection (TCP RST) and closing idle
//! keep-alive connections.
//!
//! `axum::serve` hides the socket, so the twin accepts connections itself (as the S3 twin does)
//! and wraps each socket in a [`ControlledStream`]. A handler reaches its connection through the
//! [`ConnectionControl`] request extension: after [`ConnectionControl::reset`] the next write
//! fails, hyper drops the connection, and the socket closes with `SO_LINGER` 0, which makes the
//! kernel send RST instead of FIN — what a client sees when a load balancer or a dead peer tears
//! the connection down.

use std::{
    io,
    pin::Pin,
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    task::{Context, Poll},
};

use axum::{Extension, Router};
use hyper_util::{
    rt::{TokioExecutor, TokioIo},
    server::conn::auto::Builder as ConnectionBuilder,
    service::TowerToHyperService,
};
use tokio::{
    io::{AsyncRead, AsyncWrite, ReadBuf},
    net::{TcpListener, TcpStream},
    sync::watch,
};

/// Counters and the close signal shared by every connection of one listener.
#[derive(Debug)]
pub(crate) struct Connections {
    accepted: AtomicU64,
    /// Bumped to ask every open connection to close once idle.
    close_idle: watch::Sender<u64>,
}

impl Connections {
    pub(crate) fn new() -> Self {
        Connections {
            accepted: AtomicU64::new(0),
            close_idle: watch::Sender::new(0),
        }
    }

    /// Connections accepted so far: a client that reconnects shows up here.
    pub(crate) fn accepted(&self) -> u64 {
        self.accepted.load(Ordering::SeqCst)
    }

    /// Closes every idle keep-alive connection now, and every busy one after its response.
    pub(crate) fn close_idle(&self) {
        self.close_idle.send_modify(|generation| *generation += 1);
    }
}

/// A request's handle on the connection it arrived on.
#[derive(Debug, Default)]
pub(crate) struct ConnectionControl {
    reset: AtomicBool,
}

impl ConnectionControl {
    /// Makes the connection fail its next write and close with a TCP reset.
    pub(crate) fn reset(&self) {
        self.reset.store(true, Ordering::SeqCst);
    }

    fn is_reset(&self) -> bool {
        self.reset.load(Ordering::SeqCst)
    }
}

/// Serves `router` on every connection `listener` accepts, until the task is aborted.
pub(crate) async fn serve(listener: TcpListener, router: Router, connections: Arc<Connections>) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _peer)) => stream,
            Err(error) => {
                // Accept fails transiently (e.g. too many open files); keep serving, after a
                // pause so a persistent failure does not spin a core.
                tracing::warn!(%error, "google twin could not accept a connection");
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                continue;
            }
        };
        connections.accepted.fetch_add(1, Ordering::SeqCst);
        let control = Arc::new(ConnectionControl::default());
        let service =
            TowerToHyperService::new(router.clone().layer(Extension(Arc::clone(&control))));
        let io = TokioIo::new(ControlledStream {
            inner: stream,
            control,
        });
        let mut close_idle = connections.close_idle.subscribe();
        tokio::spawn(async move {
            let builder = ConnectionBuilder::new(TokioExecutor::new());
            let connection = builder.serve_connection(io, service);
            tokio::pin!(connection);
            let mut closing = false;
            loop {
                tokio::select! {
                    result = connection.as_mut() => {
                        if let Err(error) = result {
                            tracing::debug!(%error, "google twin connection ended with an error");
                        }
                        break;
                    }
                    changed = close_idle.changed(), if !closing => {
                        // A dropped sender means the emulator is gone: close as well.
                        let _ = changed;
                        closing = true;
                        connection.as_mut().graceful_shutdown();
                    }
                }
            }
        });
    }
}

/// A socket that can be told to fail and reset (see [`ConnectionControl::reset`]).
struct ControlledStream {
    inner: TcpStream,
    control: Arc<ConnectionControl>,
}

fn reset_error() -> io::Error {
    io::Error::new(io::ErrorKind::ConnectionReset, "injected connection reset")
}

impl AsyncRead for ControlledStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
        buffer: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.control.is_reset() {
            return Poll::Ready(Err(reset_error()));
        }
        Pin::new(&mut self.inner).poll_read(context, buffer)
    }
}

impl AsyncWrite for ControlledStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
        buffer: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.control.is_reset() {
            return Poll::Ready(Err(reset_error()));
        }
        Pin::new(&mut self.inner).poll_write(context, buffer)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
        buffers: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        if self.control.is_reset() {
            return Poll::Ready(Err(reset_error()));
        }
        Pin::new(&mut self.inner).poll_write_vectored(context, buffers)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.control.is_reset() {
            return Poll::Ready(Err(reset_error()));
        }
        Pin::new(&mut self.inner).poll_flush(context)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.control.is_reset() {
            return Poll::Ready(Err(reset_error()));
        }
        Pin::new(&mut self.inner).poll_shutdown(context)
    }
}

impl Drop for ControlledStream {
    fn drop(&mut self) {
        if self.control.is_reset() {
            // Linger 0: closing sends RST and discards unsent data. Zero never blocks the thread,
            // unlike the non-zero lingers tokio warns about.
            if let Err(error) = self.inner.set_zero_linger() {
                tracing::debug!(%error, "could not arm the injected connection reset");
            }
        }
    }
}
