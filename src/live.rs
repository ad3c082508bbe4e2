//! Drives the stages over live devices without a terminal: `-N` lines as
//! messages arrive, and the whole capture handed to the views at the end
//! (`--stop-after`, Ctrl-C).

use crate::calls::{CallStore, Kind};
use crate::load::Capture;
use crate::session::Session;
use crate::views::escape::clean;
use crate::views::time;
use std::io::Write;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One line per message, as `-N` prints it.
pub fn message_line(store: &CallStore, index: u32) -> Option<String> {
    let m = store.message(index)?;
    let label = match m.kind {
        Kind::Request(sym) => store.strings.get(sym).to_owned(),
        Kind::Response(code) => format!("{code} {}", m.reason.map_or("", |r| store.strings.get(r))),
    };
    let call = m
        .call
        .and_then(|c| store.calls().get(c as usize))
        .map(|c| c.call_id_lossy())
        .unwrap_or_default();
    Some(format!(
        "{} {} -> {} {} {}  {}{}",
        time::date_time(m.ts),
        store.endpoints.addr(m.src),
        store.endpoints.addr(m.dst),
        m.transport.as_str(),
        clean(label.trim_end()),
        clean(&call),
        if m.retransmission { "  [retrans]" } else { "" }
    ))
}

/// One message as a JSON object, for `-N --format json` (one per line).
pub fn message_json(store: &CallStore, index: u32) -> Option<String> {
    let m = store.message(index)?;
    let (method, code, reason) = match m.kind {
        Kind::Request(sym) => (Some(store.strings.get(sym)), None, None),
        Kind::Response(code) => (None, Some(code), m.reason.map(|r| store.strings.get(r))),
    };
    let call = m.call.and_then(|c| store.calls().get(c as usize));
    let value = serde_json::json!({
        "time": time::rfc3339(m.ts),
        "src": store.endpoints.addr(m.src).to_string(),
        "dst": store.endpoints.addr(m.dst).to_string(),
        "transport": m.transport.as_str(),
        "method": method,
        "code": code,
        "reason": reason,
        "call_id": call.map(|c| c.call_id_lossy()),
        "call_index": call.map(|c| c.index),
        "retransmission": m.retransmission,
        "sdp": m.has_sdp,
    });
    Some(value.to_string())
}

/// How `-N` prints each message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    None,
    Text,
    Json,
}

/// Watches a live session until `stop_after` has passed or the session is
/// stopped (a signal sets `session.stop`); with `lines`, writes one
/// line per new message to `out` as it arrives.
pub fn watch(
    session: &Session,
    stop_after: Option<Duration>,
    lines: Lines,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let started = Instant::now();
    let queue = Arc::new(Mutex::new(LineQueue::default()));
    if lines != Lines::None {
        // Lines are made as each message is added, under the pipeline's
        // lock: a rotation (-R) cannot take a message before its line is
        // made. What came before the hook is taken under the same lock.
        let mut pipeline = session.lock();
        if let Ok(mut q) = queue.lock() {
            for i in 0..pipeline.store.messages().len() {
                q.push(line(lines, &pipeline.store, i as u32));
            }
        }
        let q = Arc::clone(&queue);
        pipeline.set_added_hook(Box::new(move |store, index| {
            if let Ok(mut q) = q.lock() {
                q.push(line(lines, store, index));
            }
        }));
    }
    loop {
        let stopping = session.stop.load(Ordering::Relaxed)
            || stop_after.is_some_and(|d| started.elapsed() >= d);
        write_lines(&queue, out)?;
        if stopping {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    session.stop.store(true, Ordering::Relaxed);
    // Capture threads notice within their 200 ms read timeout.
    let waited = Instant::now();
    while session.is_loading() && waited.elapsed() < Duration::from_secs(3) {
        std::thread::sleep(Duration::from_millis(20));
    }
    // The messages that came while the threads stopped.
    write_lines(&queue, out)?;
    let dropped = queue.lock().map_or(0, |q| q.dropped);
    if dropped > 0 {
        eprintln!("sipview: {dropped} lines not printed: the output was too slow");
    }
    Ok(())
}

fn line(lines: Lines, store: &CallStore, index: u32) -> Option<String> {
    match lines {
        Lines::Json => message_json(store, index),
        _ => message_line(store, index),
    }
}

/// Lines made but not written yet; bounded, in case the output stalls.
#[derive(Default)]
struct LineQueue {
    lines: Vec<String>,
    dropped: u64,
}

/// At most this many lines wait for a slow output.
const MAX_WAITING_LINES: usize = 100_000;

impl LineQueue {
    fn push(&mut self, line: Option<String>) {
        let Some(line) = line else { return };
        if self.lines.len() >= MAX_WAITING_LINES {
            self.dropped += 1;
        } else {
            self.lines.push(line);
        }
    }
}

fn write_lines(queue: &Mutex<LineQueue>, out: &mut dyn Write) -> std::io::Result<()> {
    let lines = queue
        .lock()
        .map(|mut q| std::mem::take(&mut q.lines))
        .unwrap_or_default();
    if lines.is_empty() {
        return Ok(());
    }
    for l in lines {
        writeln!(out, "{l}")?;
    }
    out.flush()
}

/// The calls of a finished live session, as a file load gives them.
pub fn into_capture(mut session: Arc<Session>) -> Result<Capture, Arc<Session>> {
    // The threads mark the capture done just before they let go of it.
    let deadline = Instant::now() + Duration::from_secs(2);
    let session = loop {
        match Arc::try_unwrap(session) {
            Ok(s) => break s,
            Err(s) if Instant::now() < deadline => {
                session = s;
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(s) => return Err(s),
        }
    };
    let elapsed = session.started.elapsed();
    let packets = session.progress.packets.load(Ordering::Relaxed);
    let (origin, source, pipeline) = session.into_parts();
    let summary = pipeline.summary(packets, 0, None, elapsed);
    Ok(Capture {
        origin,
        source,
        store: pipeline.store,
        media: pipeline.media,
        summary,
    })
}
