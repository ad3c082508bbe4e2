//! Which calls a view shows. The screens (the list's filter prompt, `F7`
//! problems only, `m` method, `u` keepalives hidden) and the command line
//! (`--filter`, `--problems`, `-c`) fill the same [`Selection`], and every
//! view (list, ladders, explanations, streams, registrations, summary,
//! save) keeps the calls it passes, the same way.

use super::filter::Filter;
use super::list::{CallMedia, CallRow};
use crate::explain::{self, Verdict};
use crate::load::CaptureView;

#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// A display filter; `None` or an empty one keeps every call.
    pub filter: Option<Filter>,
    /// Only calls opened by this method (`-c` is INVITE; the list's `m`).
    pub method: Option<String>,
    /// Only calls whose diagnosis found a problem or a warning.
    pub problems_only: bool,
    /// Calls opened by one of these methods are left out (the list's `u`:
    /// the settings' keepalives, OPTIONS and NOTIFY by default).
    pub hidden_methods: Vec<String>,
}

impl Selection {
    /// Keeps every call.
    pub fn is_everything(&self) -> bool {
        self.filter.as_ref().is_none_or(Filter::is_empty)
            && self.method.is_none()
            && !self.problems_only
            && self.hidden_methods.is_empty()
    }

    /// The test needs each call's verdict (the diagnosis of every call).
    pub fn needs_verdict(&self) -> bool {
        self.problems_only || self.filter.as_ref().is_some_and(Filter::needs_verdict)
    }

    /// The test needs each call's RTP ([`CallRow::media`]).
    pub fn needs_media(&self) -> bool {
        self.filter.as_ref().is_some_and(Filter::needs_media)
    }

    /// The cheap first test, on the method that opened the call.
    pub fn passes_method(&self, method: &str) -> bool {
        self.method.as_deref().is_none_or(|want| want == method)
            && !self
                .hidden_methods
                .iter()
                .any(|h| h.eq_ignore_ascii_case(method))
    }

    /// The rest, on the call's row (the method was tested first): it must
    /// carry a verdict when [`Selection::needs_verdict`] and media when
    /// [`Selection::needs_media`]. `payload` (the call's messages as text)
    /// is read only if a filter term asks.
    pub fn passes_row(&self, row: &CallRow, payload: &mut dyn FnMut() -> String) -> bool {
        if self.problems_only && !row.needs_a_look() {
            return false;
        }
        self.filter
            .as_ref()
            .is_none_or(|f| f.is_empty() || f.matches(row, payload))
    }

    /// The calls of a capture it keeps, in capture order.
    pub fn calls(&self, view: &CaptureView<'_>) -> Vec<u32> {
        self.keep(view, 0..view.store.calls().len() as u32)
    }

    /// Those of `calls` it keeps, in their order. The diagnosis and the
    /// RTP summary are computed only for the calls the method passes, and
    /// only when the test needs them.
    pub fn keep(&self, view: &CaptureView<'_>, calls: impl Iterator<Item = u32>) -> Vec<u32> {
        if self.is_everything() {
            return calls.collect();
        }
        let store = view.store;
        let verdicts = self.needs_verdict().then(|| Verdicts::new(view));
        let mut kept = Vec::new();
        for i in calls {
            let Some(call) = store.calls().get(i as usize) else {
                continue;
            };
            if !self.passes_method(store.strings.get(call.first_method)) {
                continue;
            }
            let mut row = CallRow::of(store, call);
            if let Some(v) = &verdicts {
                row.verdict = Some(v.of(i));
            }
            if self.needs_media() {
                row.media = CallMedia::of(view.media, i);
            }
            if self.passes_row(&row, &mut || {
                super::raw::call_text(view.source, store, &[i])
            }) {
                kept.push(i);
            }
        }
        kept
    }

    /// The full rows (verdicts and RTP) of the calls it keeps: `--list`.
    pub fn rows(&self, view: &CaptureView<'_>) -> Vec<CallRow> {
        let mut rows = super::list::rows_of_view(view);
        if !self.is_everything() {
            rows.retain(|row| {
                let call = row.index.saturating_sub(1);
                self.passes_method(&row.method)
                    && self.passes_row(row, &mut || {
                        super::raw::call_text(view.source, view.store, &[call])
                    })
            });
        }
        rows
    }
}

/// The diagnosis of single calls, the capture-wide evidence built once.
struct Verdicts<'a> {
    view: CaptureView<'a>,
    evidence: explain::CaptureEvidence,
}

impl<'a> Verdicts<'a> {
    fn new(view: &CaptureView<'a>) -> Self {
        Verdicts {
            view: *view,
            evidence: explain::CaptureEvidence::build(view.store),
        }
    }

    fn of(&self, call: u32) -> Verdict {
        let view = self.view;
        let read =
            |rec: &crate::calls::MessageRecord| view.store.message_bytes(rec, view.source).ok();
        let diagnoser =
            explain::Diagnoser::new(view.store, Some(view.media), &self.evidence, &read);
        Verdict::of(&diagnoser.call(call).findings)
    }
}
