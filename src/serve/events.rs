//! Preview: what open pages are told, as Server-Sent Events. Every stream starts with `hello`
//! (the version served and the error, if any) and ends when the server stops; at most
//! [`MAX_EVENT_STREAMS`] are open at once, each holding a slot until it ends.

use std::convert::Infallible;
use std::time::Duration;

use axum::response::sse::{self, KeepAlive, Sse};
use futures_util::Stream;
use serde_json::json;
use tokio::sync::{OwnedSemaphorePermit, broadcast, watch};

use super::overlay::BrokenText;
use super::published::{self, Shared};

/// Event streams open at once, at most: one per open page, and far fewer than the server's
/// connections (`listen::MAX_CONNECTIONS`), so pages left open never crowd out requests.
/// Beyond it, a new stream is answered 503.
pub const MAX_EVENT_STREAMS: usize = 64;

/// What open pages are told.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// Sent first on every connection: the version being served and the error, if any. A page
    /// of another version reloads (it missed an event while disconnected).
    Hello {
        version: u64,
        error: Option<BrokenText>,
    },
    /// Pages changed: reload.
    Reload { version: u64 },
    /// Only stylesheets changed: swap them without a reload.
    Css { version: u64, paths: Vec<String> },
    /// The latest edit broke the build: show this error over the page.
    Broken { message: BrokenText },
    /// The search index was brought up to date (pages need not reload).
    Index,
}

impl Event {
    pub fn name(&self) -> &'static str {
        match self {
            Event::Hello { .. } => "hello",
            Event::Reload { .. } => "reload",
            Event::Css { .. } => "css",
            Event::Broken { .. } => "broken",
            Event::Index => "index",
        }
    }

    fn data(&self) -> serde_json::Value {
        match self {
            Event::Hello { version, error } => {
                json!({ "version": version, "error": error.as_ref().map(BrokenText::to_json) })
            }
            Event::Reload { version } => json!({ "version": version }),
            Event::Css { version, paths } => json!({ "version": version, "paths": paths }),
            Event::Broken { message } => json!({ "message": message.to_json() }),
            Event::Index => json!({}),
        }
    }

    pub fn to_sse(&self) -> sse::Event {
        sse::Event::default()
            .event(self.name())
            .data(self.data().to_string())
    }
}

/// The event stream of one page: `hello`, then every event until the server stops. It holds
/// `slot` (one of [`MAX_EVENT_STREAMS`]) until it ends.
pub fn stream(
    published: &Shared,
    events: &broadcast::Sender<Event>,
    shutdown: &watch::Receiver<bool>,
    slot: OwnedSemaphorePermit,
) -> Sse<impl Stream<Item = Result<sse::Event, Infallible>> + use<>> {
    let rx = events.subscribe();
    let hello = {
        let p = published::read(published);
        Event::Hello {
            version: p.version,
            error: p.error.clone(),
        }
    };
    let shutdown = shutdown.clone();
    let stream = futures_util::stream::unfold(
        (Some(hello), rx, shutdown, slot),
        |(hello, mut rx, mut shutdown, slot)| async move {
            if let Some(h) = hello {
                return Some((Ok(h.to_sse()), (None, rx, shutdown, slot)));
            }
            if *shutdown.borrow() {
                return None;
            }
            let event = tokio::select! {
                _ = shutdown.changed() => return None,
                r = rx.recv() => match r {
                    Ok(e) => e,
                    // Missed events: reloading is always right.
                    Err(broadcast::error::RecvError::Lagged(_)) => Event::Reload { version: 0 },
                    Err(broadcast::error::RecvError::Closed) => return None,
                },
            };
            Some((Ok(event.to_sse()), (None, rx, shutdown, slot)))
        },
    );
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}
