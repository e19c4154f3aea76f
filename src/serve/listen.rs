//! Preview: accepting connections. Guarantees that no client can hold the server's resources
//! for long: at most [`MAX_CONNECTIONS`] connections are open at once; when all are taken, a
//! new connection replaces the oldest one that has not sent a request yet, or else waits in the
//! kernel's queue until one closes; a request whose head has not fully arrived after
//! [`HEAD_TIMEOUT`] is dropped (so is a kept-alive connection idle that long); and a response
//! that makes no progress for [`WRITE_STALL`] (a client that stopped reading) ends its
//! connection (README, "Previewing").
//!
//! HTTP/1.1 only, served by hyper directly rather than `axum::serve`, which has no head
//! timeout and no bound on connections.

use std::collections::VecDeque;
use std::io;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore, watch};
use tokio::time::Sleep;

use super::error::ServeError;

/// Open connections at most; event streams count too (they have their own, smaller bound:
/// `events::MAX_EVENT_STREAMS`), so plain requests always have room.
pub const MAX_CONNECTIONS: usize = 256;
/// A request head (request line and headers) must arrive within this long of the connection
/// being ready for it.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(5);
/// A write that makes no progress for this long ends the connection. Event streams send a
/// keep-alive every 15 s, so a page that stopped reading is found too.
pub const WRITE_STALL: Duration = Duration::from_secs(30);

/// Binds `ip:port` (non-blocking, for tokio); a port in use is its own error.
pub fn bind(ip: IpAddr, port: u16) -> Result<TcpListener, ServeError> {
    let listener = TcpListener::bind((ip, port)).map_err(|source| match source.kind() {
        io::ErrorKind::AddrInUse => ServeError::PortInUse { bind: ip, port },
        _ => ServeError::Bind {
            addr: SocketAddr::new(ip, port),
            source,
        },
    })?;
    listener
        .set_nonblocking(true)
        .map_err(ServeError::Runtime)?;
    Ok(listener)
}

/// Serves `app` on `listener` until `stop` turns true, then lets each connection finish its
/// response and waits for all of them.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    mut stop: watch::Receiver<bool>,
) -> io::Result<()> {
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let waiting = Arc::new(Waiting::default());
    loop {
        let stream = tokio::select! {
            r = listener.accept() => match r {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of descriptors or a connection reset before it was accepted: wait a
                    // little rather than spin, and keep serving.
                    if !is_connection_error(&e) {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                    continue;
                }
            },
            _ = stopped(&mut stop) => break,
        };
        let slot = match slots.clone().try_acquire_owned() {
            Ok(slot) => slot,
            Err(_) => {
                // Full: make room by closing the connection that has waited longest without
                // sending a request, if any; otherwise wait for one to end. Meanwhile the
                // rest wait unaccepted in the kernel's queue, using no descriptor.
                waiting.shed_oldest();
                tokio::select! {
                    p = slots.clone().acquire_owned() => p.map_err(io::Error::other)?,
                    _ = stopped(&mut stop) => break,
                }
            }
        };
        let conn = Connection {
            _slot: slot,
            stop: stop.clone(),
            before_request: waiting.add(),
        };
        tokio::spawn(conn.serve(stream, app.clone()));
    }
    drop(listener);
    // Every connection holds a slot until it ends.
    let _all = slots.acquire_many(MAX_CONNECTIONS as u32).await;
    Ok(())
}

async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await;
}

fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// A connection that has not sent a complete request yet.
#[derive(Default)]
struct BeforeRequest {
    /// Its first request head arrived: it is no longer shed.
    requested: AtomicBool,
    shed: Notify,
}

/// Connections that have not sent a request, oldest first: the first to go when the server is
/// full, so that half-sent requests cannot keep a page waiting for their head timeout.
#[derive(Default)]
struct Waiting {
    queue: Mutex<VecDeque<Weak<BeforeRequest>>>,
}

impl Waiting {
    fn add(&self) -> Arc<BeforeRequest> {
        let conn = Arc::new(BeforeRequest::default());
        let mut queue = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        // Ended or requested connections leave the queue lazily; keep it near the bound.
        if queue.len() >= 2 * MAX_CONNECTIONS {
            queue.retain(|w| {
                w.upgrade()
                    .is_some_and(|c| !c.requested.load(Ordering::Relaxed))
            });
        }
        queue.push_back(Arc::downgrade(&conn));
        conn
    }

    /// Closes the oldest connection that has not sent a request; none if all have.
    fn shed_oldest(&self) {
        let mut queue = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        while let Some(w) = queue.pop_front() {
            if let Some(conn) = w.upgrade()
                && !conn.requested.load(Ordering::Relaxed)
            {
                conn.shed.notify_one();
                return;
            }
        }
    }
}

/// One accepted connection: its slot, held until it ends.
struct Connection {
    _slot: OwnedSemaphorePermit,
    stop: watch::Receiver<bool>,
    before_request: Arc<BeforeRequest>,
}

impl Connection {
    async fn serve(mut self, stream: tokio::net::TcpStream, app: Router) {
        let _ = stream.set_nodelay(true);
        let io = TokioIo::new(Stalling::new(stream, WRITE_STALL));
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(HEAD_TIMEOUT);
        let app = TowerToHyperService::new(app);
        let marker = self.before_request.clone();
        let service = hyper::service::service_fn(move |req| {
            marker.requested.store(true, Ordering::Relaxed);
            hyper::service::Service::call(&app, req)
        });
        let conn = builder.serve_connection(io, service);
        tokio::pin!(conn);
        tokio::select! {
            _ = conn.as_mut() => return,
            _ = self.before_request.shed.notified() => return,
            _ = stopped(&mut self.stop) => {}
        }
        conn.as_mut().graceful_shutdown();
        let _ = conn.await;
    }
}

/// A stream whose writes fail once they have made no progress for `limit`.
struct Stalling<S> {
    inner: S,
    limit: Duration,
    /// Started when a write first could not proceed; cleared when one does.
    stalled: Option<Pin<Box<Sleep>>>,
}

impl<S> Stalling<S> {
    fn new(inner: S, limit: Duration) -> Stalling<S> {
        Stalling {
            inner,
            limit,
            stalled: None,
        }
    }

    /// What a write that could not proceed returns: still pending, or an error once stalled
    /// for too long.
    fn pending<T>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        let limit = self.limit;
        let sleep = self
            .stalled
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        match sleep.as_mut().poll(cx) {
            Poll::Ready(()) => {
                self.stalled = None;
                Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "the client stopped reading",
                )))
            }
            Poll::Pending => Poll::Pending,
        }
    }

    fn progress<T>(&mut self, r: Poll<io::Result<T>>, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        match r {
            Poll::Pending => self.pending(cx),
            ready => {
                self.stalled = None;
                ready
            }
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Stalling<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Stalling<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.progress(r, cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.progress(r, cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let r = Pin::new(&mut self.inner).poll_flush(cx);
        self.progress(r, cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncWriteExt;

    #[test]
    fn the_oldest_connection_without_a_request_is_shed_first() {
        use futures_util::FutureExt;
        let shed = |c: &BeforeRequest| c.shed.notified().now_or_never().is_some();
        let waiting = Waiting::default();
        let requested = waiting.add();
        let gone = waiting.add();
        let oldest = waiting.add();
        let younger = waiting.add();
        requested.requested.store(true, Ordering::Relaxed);
        drop(gone);
        waiting.shed_oldest();
        assert!(shed(&oldest));
        assert!(!shed(&requested) && !shed(&younger));
        waiting.shed_oldest();
        assert!(shed(&younger));
        waiting.shed_oldest();
        assert!(
            !shed(&requested),
            "a connection that sent a request is never shed"
        );
    }

    #[tokio::test]
    async fn a_write_that_never_proceeds_fails_after_the_limit() {
        // A pipe of 64 bytes that nobody reads: the second write cannot proceed.
        let (mut reader, writer) = tokio::io::duplex(64);
        let mut s = Stalling::new(writer, Duration::from_millis(50));
        s.write_all(&[0; 64]).await.unwrap();
        let err = s.write_all(&[0; 64]).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        // Reading makes room: writes proceed again.
        let mut buf = [0; 64];
        tokio::io::AsyncReadExt::read_exact(&mut reader, &mut buf)
            .await
            .unwrap();
        s.write_all(&[0; 32]).await.unwrap();
    }
}
