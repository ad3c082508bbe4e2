//! The headless twins of the screens (`--list`, `--flow`, `--explain`,
//! `--streams`, `--registrations`, `--summary`): one capture and one
//! [`Selection`] in, text / JSON / CSV out. The binary only picks the
//! report and prints what comes back.

use super::columns::{Column, LIST_TEXT};
use super::explain;
use super::flow::Ladder;
use super::selection::Selection;
use super::{escape, list_table, registrations, streams, summary, Format};
use crate::load::{Capture, CaptureView};

/// Which report to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Report {
    /// `--list`, with `--columns` (text: [`LIST_TEXT`] when empty; CSV:
    /// every column).
    List(Vec<Column>),
    /// `--flow IDS`: one ladder of these calls (Call-IDs or list indices,
    /// comma-separated, as marked calls on the screens); `None`: a ladder
    /// per call the selection keeps.
    Flow(Option<String>),
    /// `--explain IDS`, as [`Report::Flow`].
    Explain(Option<String>),
    Streams,
    Registrations,
    Summary,
}

impl Report {
    fn flag(&self) -> &'static str {
        match self {
            Report::List(_) => "--list",
            Report::Flow(_) => "--flow",
            Report::Explain(_) => "--explain",
            Report::Streams => "--streams",
            Report::Registrations => "--registrations",
            Report::Summary => "--summary",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("no call with Call-ID {id:?} in {capture} (see --list)")]
    NoSuchCall { id: String, capture: String },
    #[error("call {id:?} is left out by {by} (see --list with the same options)")]
    NotSelected { id: String, by: String },
    #[error("{flag} prints text or json, not csv")]
    NoCsv { flag: &'static str },
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("cannot write CSV: {0}")]
    Csv(#[from] csv::Error),
}

/// The report as the text to print.
pub fn render(
    capture: &Capture,
    report: &Report,
    selection: &Selection,
    format: Format,
) -> Result<String, ReportError> {
    let view = capture.view();
    if format == Format::Csv && !matches!(report, Report::List(_)) {
        return Err(ReportError::NoCsv {
            flag: report.flag(),
        });
    }
    Ok(match report {
        Report::List(columns) => {
            let rows = selection.rows(&view);
            match format {
                Format::Json => json(&rows)?,
                Format::Text if columns.is_empty() => list_table::to_text(&rows, &LIST_TEXT),
                Format::Text => list_table::to_text(&rows, columns),
                Format::Csv if columns.is_empty() => {
                    list_table::to_csv(&rows, &Column::all().collect::<Vec<_>>())?
                }
                Format::Csv => list_table::to_csv(&rows, columns)?,
            }
        }
        Report::Flow(ids) => {
            let ladder = |calls: &[u32]| {
                Ladder::build(view.store, calls).with_media(view.store, view.media, calls)
            };
            match chosen(&view, ids.as_deref(), selection)? {
                Chosen::Marked(calls) => one_or_each(format, &[ladder(&calls)], Ladder::to_text)?,
                Chosen::Each(calls) => {
                    let all: Vec<Ladder> = calls.iter().map(|&c| ladder(&[c])).collect();
                    many(format, &all, Ladder::to_text)?
                }
            }
        }
        Report::Explain(ids) => {
            let explained = |calls: &[u32]| {
                explain::explain_calls_with_media(view.store, Some(view.media), view.source, calls)
            };
            match chosen(&view, ids.as_deref(), selection)? {
                Chosen::Marked(calls) => {
                    one_or_each(format, &[explained(&calls)], explain::to_text)?
                }
                Chosen::Each(calls) => {
                    let all: Vec<_> = calls.iter().map(|&c| (c, explained(&[c]))).collect();
                    match format {
                        Format::Json => json(&all.iter().map(|(_, e)| e).collect::<Vec<_>>())?,
                        // Each explanation under its Call-ID, as each ladder is.
                        _ => many(format, &all, |(c, e)| {
                            let id = view.store.calls().get(*c as usize);
                            let id = id.map(crate::calls::Call::call_id_lossy);
                            let id = escape::clean(id.as_deref().unwrap_or("")).into_owned();
                            format!("Call-ID: {id}\n\n{}", explain::to_text(e))
                        })?,
                    }
                }
            }
        }
        Report::Streams => {
            let rows = match selection.is_everything() {
                true => streams::rows(view.media, view.store),
                false => streams::rows_of_calls(view.media, view.store, &selection.calls(&view)),
            };
            match format {
                Format::Json => json(&rows)?,
                _ => streams::to_text(&rows),
            }
        }
        Report::Registrations => {
            let mut aors = registrations::build(view.store, view.source);
            if !selection.is_everything() {
                let ids: foldhash::HashSet<String> = selection
                    .calls(&view)
                    .iter()
                    .filter_map(|&c| view.store.calls().get(c as usize))
                    .map(crate::calls::Call::call_id_lossy)
                    .collect();
                aors.retain(|a| a.call_ids.iter().any(|id| ids.contains(id)));
            }
            match format {
                Format::Json => json(&aors)?,
                _ if aors.is_empty() && !selection.is_everything() => {
                    "No REGISTER among the calls the selection keeps.\n".to_owned()
                }
                _ => registrations::to_text(&aors),
            }
        }
        Report::Summary => {
            let mut s = summary::Summary::of(capture);
            if !selection.is_everything() {
                s.selected = Some(summary::Selected::of(&view, &selection.calls(&view)));
            }
            match format {
                Format::Json => json(&s)?,
                _ => s.to_text(),
            }
        }
    })
}

/// What a ladder or an explanation is about.
enum Chosen {
    /// Calls named on the command line, drawn together.
    Marked(Vec<u32>),
    /// Every call the selection keeps, each on its own.
    Each(Vec<u32>),
}

fn chosen(
    view: &CaptureView<'_>,
    ids: Option<&str>,
    selection: &Selection,
) -> Result<Chosen, ReportError> {
    let Some(ids) = ids.filter(|s| !s.trim().is_empty()) else {
        return Ok(Chosen::Each(selection.calls(view)));
    };
    // A Call-ID with a comma in it (hostile or broken) is still one call.
    let named: Vec<&str> = match find_call(view, ids) {
        Ok(_) => vec![ids],
        Err(_) => ids
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect(),
    };
    let mut calls = Vec::new();
    for id in named {
        let call = find_call(view, id)?;
        // Only the named calls are tested, not every call of the capture.
        if selection.keep(view, std::iter::once(call)).is_empty() {
            return Err(ReportError::NotSelected {
                id: id.to_owned(),
                by: selection_flags(selection),
            });
        }
        if !calls.contains(&call) {
            calls.push(call);
        }
    }
    Ok(Chosen::Marked(calls))
}

fn selection_flags(selection: &Selection) -> String {
    let mut by = Vec::new();
    if selection.filter.as_ref().is_some_and(|f| !f.is_empty()) {
        by.push("--filter");
    }
    if selection.problems_only {
        by.push("--problems");
    }
    if selection.method.is_some() {
        by.push("-c");
    }
    by.join(" and ")
}

/// A call by Call-ID, or by its 1-based index in the list.
pub fn find_call(view: &CaptureView<'_>, id: &str) -> Result<u32, ReportError> {
    let store = view.store;
    store
        .call_index(id.as_bytes())
        .or_else(|| {
            id.parse::<u32>()
                .ok()
                .filter(|&n| n >= 1 && (n as usize) <= store.calls().len())
                .map(|n| n - 1)
        })
        .ok_or_else(|| ReportError::NoSuchCall {
            id: id.to_owned(),
            capture: view.origin.name(),
        })
}

/// JSON with control characters escaped, as every report writes it.
pub fn json<T: serde::Serialize>(value: &T) -> Result<String, ReportError> {
    Ok(escape::json_safe(serde_json::to_string_pretty(value)?) + "\n")
}

/// One item: JSON is the object itself (what scripts of one call read).
fn one_or_each<T: serde::Serialize>(
    format: Format,
    items: &[T],
    text: fn(&T) -> String,
) -> Result<String, ReportError> {
    match (format, items) {
        (Format::Json, [one]) => json(one),
        _ => many(format, items, text),
    }
}

/// Several items: a JSON array, or the texts a blank line apart.
fn many<T: serde::Serialize>(
    format: Format,
    items: &[T],
    text: impl Fn(&T) -> String,
) -> Result<String, ReportError> {
    match format {
        Format::Json => json(&items),
        _ if items.is_empty() => Ok("No call is kept by the selection.\n".to_owned()),
        _ => Ok(items.iter().map(text).collect::<Vec<_>>().join("\n")),
    }
}
