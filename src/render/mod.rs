//! Render stage: [`Site`] + [`Theme`] → files, through minijinja. Pages are independent of each
//! other, so they render in parallel and can be re-rendered one at a time (preview).

pub mod chart;
mod context;
pub mod deps;
pub mod escape;
mod pages;
pub mod shown;
mod theme;
mod views;

use std::collections::BTreeMap;

use minijinja::Environment;
use rayon::prelude::*;

pub use pages::{Page, all_pages};
pub use theme::{LOADED, Theme};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::messages::Msg;
use crate::model::{Bodies, Site};
use crate::output::{OutputError, Sink};
use crate::urls::LinkStyle;

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("{0}")]
    Template(Diagnostics),
    #[error(transparent)]
    Output(#[from] OutputError),
}

/// A theme compiled for one site, ready to render any of its pages.
pub struct Renderer<'s> {
    site: &'s Site,
    bodies: &'s dyn Bodies,
    env: Environment<'s>,
    theme: &'s Theme,
    style: LinkStyle,
    /// Each language's UI strings as one template value, made once: every page carries them
    /// (`page.t`), and converting the map for each page was a twentieth of a cold build.
    strings: BTreeMap<String, minijinja::Value>,
}

impl<'s> Renderer<'s> {
    pub fn new(
        site: &'s Site,
        bodies: &'s dyn Bodies,
        theme: &'s Theme,
        style: LinkStyle,
    ) -> Result<Self, RenderError> {
        let mut env = Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        env.set_formatter(escape_text);
        let mut problems = Diagnostics::default();
        for (name, source) in &theme.templates {
            if let Err(e) = env.add_template(name, source) {
                problems.push(template_diagnostic(&e, theme));
            }
        }
        problems
            .into_result(Renderer {
                site,
                bodies,
                env,
                theme,
                style,
                strings: (theme.strings.iter())
                    .map(|(lang, s)| (lang.clone(), minijinja::Value::from(s.clone())))
                    .collect(),
            })
            .map_err(RenderError::Template)
    }

    /// Renders one page to bytes.
    pub fn render(&self, page: &Page) -> Result<Vec<u8>, RenderError> {
        let (template, ctx) = views::view(
            self.site,
            self.bodies,
            (self.theme, &self.strings),
            self.style,
            page,
        );
        let tmpl = self
            .env
            .get_template(template)
            .map_err(|e| RenderError::Template(template_diagnostic(&e, self.theme).into()))?;
        tmpl.render(ctx)
            .map(String::into_bytes)
            .map_err(|e| RenderError::Template(template_diagnostic(&e, self.theme).into()))
    }

    /// Renders every page and the theme's static files into `sink`, in parallel; `on_page` is
    /// called after each file (for progress).
    pub fn render_all(
        &self,
        sink: &dyn Sink,
        on_page: &(dyn Fn() + Sync),
    ) -> Result<usize, RenderError> {
        self.render_pages(&all_pages(self.site), sink, on_page)
    }

    /// [`render_all`](Self::render_all) for `pages` only, with every static file.
    pub fn render_pages(
        &self,
        pages: &[Page],
        sink: &dyn Sink,
        on_page: &(dyn Fn() + Sync),
    ) -> Result<usize, RenderError> {
        for (path, bytes) in self.theme.static_files() {
            sink.put(&path, bytes.clone())?;
        }
        // Short runs of pages: rayon otherwise hands each thread a quarter of the site and
        // splits no further unless work is stolen, so one thread can finish the last quarter
        // of a second alone (bench/README "Idle cores").
        pages.par_iter().with_max_len(64).try_for_each(|page| {
            let bytes = self.render(page)?;
            sink.put(&page.file(), bytes)?;
            on_page();
            Ok::<(), RenderError>(())
        })?;
        Ok(pages.len() + self.theme.statics.len())
    }
}

/// Escapes `& < > " '` in strings written into HTML and XML, and nothing else: minijinja's
/// default also escapes `/`, which would make every relative link three times longer.
fn escape_text(
    out: &mut minijinja::Output,
    state: &mut minijinja::State,
    value: &minijinja::Value,
) -> Result<(), minijinja::Error> {
    let escaping = !matches!(state.auto_escape(), minijinja::AutoEscape::None);
    match value.as_str() {
        Some(text) if escaping && !value.is_safe() => {
            escape::write_escaped(out, text).map_err(minijinja::Error::from)
        }
        _ => minijinja::escape_formatter(out, state, value),
    }
}

fn template_diagnostic(e: &minijinja::Error, theme: &Theme) -> Diagnostic {
    let name = e.name().unwrap_or("template").to_string();
    // minijinja's own words (kind and detail) are passed through, as a library's are.
    let mut error = e.kind().to_string();
    if let Some(detail) = e.detail() {
        error = format!("{error}: {detail}");
    }
    let message = Msg::new("theme.template").arg("error", error);
    let path = format!("templates/{name}");
    match (theme.templates.get(&name), e.line()) {
        (Some(source), Some(line)) => {
            let source = std::sync::Arc::from(source.as_str());
            Diagnostic::at_line_col(path, &source, line, 1, 1, message)
        }
        _ => Diagnostic::at_file(path, message),
    }
}
