//! "Save as text": the calls' messages as the raw view shows them
//! ([`call_text`]), written to a file.

use super::{discard, refuse_the_capture, ExportError, TextReport};
use crate::calls::CallStore;
use crate::capture::CaptureSource;
use crate::views::raw::call_text;
use std::io::Write as _;
use std::path::Path;

/// Writes [`call_text`] to `path`.
pub fn save_text(
    source: &CaptureSource,
    store: &CallStore,
    calls: &[u32],
    path: &Path,
) -> Result<TextReport, ExportError> {
    refuse_the_capture(source, path)?;
    let messages = store.messages_of_calls(calls).len();
    let text = call_text(source, store, calls);
    let mut file = std::fs::File::create(path).map_err(|e| ExportError::Create {
        path: path.to_path_buf(),
        source: e,
    })?;
    if let Err(e) = file.write_all(text.as_bytes()) {
        drop(file);
        discard(path);
        return Err(ExportError::Write {
            path: path.to_path_buf(),
            source: e,
        });
    }
    Ok(TextReport {
        path: path.to_path_buf(),
        messages,
    })
}
