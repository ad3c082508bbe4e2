//! pcap / pcapng reading from arbitrary bytes, through the pipeline into the
//! call list.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sipview::capture::CaptureReader;
use sipview::load::Pipeline;
use sipview::views::{list, list_table};
use std::hint::black_box;
use std::io::Cursor;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(reader) = CaptureReader::from_read(Cursor::new(data.to_vec()), Path::new("fuzz")) else {
        return;
    };
    let mut pipeline = Pipeline::new();
    let outcome = reader.read_all(|p| {
        black_box((p.number, p.ts, p.link, p.orig_len, p.file_offset));
        pipeline.push(p)
    });
    black_box(&outcome.stopped);
    let rows = list::rows(&pipeline.store);
    black_box(list_table::to_text(
        &rows,
        &sipview::views::columns::LIST_TEXT,
    ));
});
