//! Stage 6: calls in, what a person reads out (text, JSON, CSV).
//!
//! Every view is built as plain data first (rows, a ladder, a summary), then
//! rendered; the TUI and the headless output share the same data.

pub mod columns;
pub mod dtmf;
pub mod escape;
pub mod explain;
pub mod filter;
pub mod flow;
pub mod ladder;
pub mod list;
pub mod list_table;
pub mod raw;
pub mod registrations;
pub mod report;
pub mod selection;
pub mod stats;
pub mod streams;
pub mod summary;
pub mod table;
pub mod time;

/// Output format of the headless views.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Text,
    Json,
    Csv,
}
