//! Preview: why it could not start (a port in use, an unreadable site folder, a failed watch).
//! The texts live in the catalogue (`messages/serve.*.yaml`): `Display` is the English one,
//! [`ServeError::msg`] is rendered in the reader's language by the command line.

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use crate::messages::Msg;

/// Why the preview could not start. Its text lives in the catalogue (`serve.*`): `Display` is
/// the English one, [`ServeError::msg`] renders in the reader's language.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.msg().english())]
pub enum ServeError {
    PortInUse {
        bind: IpAddr,
        port: u16,
    },
    Bind {
        addr: SocketAddr,
        #[source]
        source: io::Error,
    },
    Root {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    Watch {
        path: PathBuf,
        #[source]
        source: notify::Error,
    },
    Runtime(#[source] io::Error),
}

impl ServeError {
    /// The message, with the system's own error text as its `{error}`.
    pub fn msg(&self) -> Msg {
        match self {
            ServeError::PortInUse { bind, port } => Msg::new("serve.port_in_use")
                .arg("port", port)
                .arg("bind", bind),
            ServeError::Bind { addr, source } => Msg::new("serve.cannot_listen")
                .arg("addr", addr)
                .arg("error", source),
            ServeError::Root { path, source } => Msg::new("serve.cannot_open_root")
                .arg("path", path.display())
                .arg("error", source),
            ServeError::Watch { path, source } => Msg::new("serve.cannot_watch")
                .arg("path", path.display())
                .arg("error", source),
            ServeError::Runtime(source) => Msg::new("serve.cannot_start").arg("error", source),
        }
    }
}
