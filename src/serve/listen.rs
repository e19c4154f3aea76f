//! Preview: accepting connections. Guarantees that no client can hold the server's resources
//! for long: at most [`MAX_CONNECTIONS`] connections are open at once (beyond that, new ones
//! wait in the kernel's queue until one closes), a request whose head has not fully arrived
//! after [`HEAD_TIMEOUT`] is dropped (so is a kept-alive connection idle that long), and a
//! response that makes no progress for [`WRITE_STALL`] (a client that stopped reading) ends
//! its connection (README, "Previewing").
//!
//! HTTP/1.1 only, served by hyper directly rather than `axum::serve`, which has no head
//! timeout and no bound on connections.

use std::io;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tokio::time::Sleep;

use super::ServeError;

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
    loop {
        // A slot first: while all are taken, connections wait unaccepted (no descriptor used).
        let permit = tokio::select! {
            p = slots.clone().acquire_owned() => p.map_err(io::Error::other)?,
            _ = stopped(&mut stop) => break,
        };
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
        tokio::spawn(connection(stream, permit, app.clone(), stop.clone()));
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

/// One connection, holding its slot until it ends.
async fn connection(
    stream: tokio::net::TcpStream,
    _slot: OwnedSemaphorePermit,
    app: Router,
    mut stop: watch::Receiver<bool>,
) {
    let _ = stream.set_nodelay(true);
    let io = TokioIo::new(Stalling::new(stream, WRITE_STALL));
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEAD_TIMEOUT);
    let conn = builder.serve_connection(io, TowerToHyperService::new(app));
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => return,
        _ = stopped(&mut stop) => {}
    }
    conn.as_mut().graceful_shutdown();
    let _ = conn.await;
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
