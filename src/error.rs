//! Why a command failed: the site's own problems (exit status 1), the output folder (1), or a
//! request that cannot be met as asked (2). Every stage's failure converts into it.

use crate::diagnostics::Diagnostics;
use crate::messages::Msg;
use crate::output::OutputError;
use crate::render::RenderError;
use crate::trust::TrustError;

/// Why a run failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Problems in the site's own files: content, config, templates.
    #[error("{0}")]
    Site(Diagnostics),
    #[error(transparent)]
    Output(#[from] OutputError),
    /// A signing key that cannot be used, or a copy that cannot be verified at all.
    #[error(transparent)]
    Trust(#[from] TrustError),
    /// A request that cannot be met as asked (a year without reports): exit status 2, said in
    /// the reader's language.
    #[error("{}", .0.english())]
    Usage(Msg),
    /// A command-line value that is not valid (`new --department` with no such key): exit
    /// status 2, with what to type instead, in the reader's language.
    #[error("{}", message.english())]
    BadArgument { message: Msg, hint: Option<Msg> },
}

impl From<Diagnostics> for Error {
    fn from(d: Diagnostics) -> Self {
        Error::Site(d)
    }
}

impl From<RenderError> for Error {
    fn from(e: RenderError) -> Self {
        match e {
            RenderError::Template(d) => Error::Site(d),
            RenderError::Output(o) => Error::Output(o),
        }
    }
}
