//! `--registrations`: one block per address of record, with the timeline of
//! its REGISTERs and what the rules found.

use super::escape::clean;
use super::time;
use crate::calls::CallStore;
use crate::capture::CaptureSource;
use crate::explain::registrations::{registrations, RegisterAttempt};
use crate::explain::Finding;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct AorView {
    pub aor: String,
    pub call_ids: Vec<String>,
    pub registers: Vec<AttemptView>,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AttemptView {
    /// Message index (0-based, as in `evidence`).
    pub index: u32,
    pub time: String,
    pub src: String,
    pub dst: String,
    pub call_id: String,
    pub cseq: u32,
    pub contact: Option<String>,
    pub expires_asked: Option<u32>,
    pub resent: u32,
    pub code: Option<u16>,
    pub reason: Option<String>,
    pub expires_granted: Option<u32>,
    pub min_expires: Option<u32>,
    /// Seconds since the previous accepted REGISTER of the AoR.
    pub interval_s: Option<f64>,
    /// Seconds the refresh came after the previous binding expired.
    pub late_by_s: Option<f64>,
    pub contact_changed: bool,
    pub source_changed: bool,
    /// Another Call-ID than the AoR's REGISTER before it.
    pub new_call_id: bool,
}

fn view(store: &CallStore, a: &RegisterAttempt) -> AttemptView {
    let secs = |m: i64| (m as f64 / 1e3).round() / 1e3;
    AttemptView {
        index: a.request,
        time: time::rfc3339(a.ts),
        src: a.src.to_string(),
        dst: a.dst.to_string(),
        call_id: store
            .calls()
            .get(a.call as usize)
            .map(|c| c.call_id_lossy())
            .unwrap_or_default(),
        cseq: a.cseq,
        contact: a.contact.as_deref().map(|c| clean(c).into_owned()),
        expires_asked: a.expires_asked,
        resent: a.resent,
        code: a.answer.as_ref().map(|x| x.1),
        reason: a.answer.as_ref().map(|x| clean(&x.2).into_owned()),
        expires_granted: a.expires_granted,
        min_expires: a.min_expires,
        interval_s: a.since_previous.map(secs),
        late_by_s: a.late_by.map(secs),
        contact_changed: a.contact_changed,
        source_changed: a.source_changed,
        new_call_id: a.new_call_id,
    }
}

/// Every AoR of the capture.
pub fn build(store: &CallStore, source: &CaptureSource) -> Vec<AorView> {
    let read = |rec: &crate::calls::MessageRecord| store.message_bytes(rec, source).ok();
    registrations(store, &read)
        .into_iter()
        .map(|r| AorView {
            aor: clean(&r.aor).into_owned(),
            call_ids: r.call_ids,
            registers: r.attempts.iter().map(|a| view(store, a)).collect(),
            findings: r.findings,
        })
        .collect()
}

/// `Call-ID a, b`; past a handful, the first ones and how many in all.
fn call_ids(ids: &[String]) -> String {
    const SHOWN: usize = 4;
    let first = clean(&ids[..ids.len().min(SHOWN)].join(", ")).into_owned();
    match ids.len() {
        0 => "no Call-ID".into(),
        1 => format!("Call-ID {first}"),
        n if n <= SHOWN => format!("{n} Call-IDs: {first}"),
        n => format!("{n} Call-IDs: {first}, ..."),
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| "-".to_owned(), |x| x.to_string())
}

/// The registrations as text: a table per AoR, then its findings.
pub fn to_text(aors: &[AorView]) -> String {
    if aors.is_empty() {
        return "No REGISTER in this capture.\n".to_owned();
    }
    let mut out = String::new();
    for r in aors {
        out.push_str(&format!(
            "AoR {}  ({} REGISTER, {})\n",
            r.aor,
            r.registers.len(),
            call_ids(&r.call_ids)
        ));
        let header = [
            "TIME", "SOURCE", "CSEQ", "CONTACT", "ASKED", "ANSWER", "GRANTED", "INTERVAL", "NOTES",
        ];
        let rows: Vec<[String; 9]> = r
            .registers
            .iter()
            .map(|a| {
                let mut notes = Vec::new();
                if a.resent > 0 {
                    notes.push(format!("resent {}x", a.resent));
                }
                if let Some(m) = a.min_expires {
                    notes.push(format!("Min-Expires {m}"));
                }
                if let Some(l) = a.late_by_s {
                    notes.push(format!("LATE by {l:.1} s"));
                }
                if a.contact_changed {
                    notes.push("CONTACT CHANGED".into());
                }
                if a.source_changed {
                    notes.push("new source".into());
                }
                if a.new_call_id {
                    notes.push("new Call-ID".into());
                }
                let answer = match (a.code, &a.reason) {
                    (Some(c), Some(r)) => format!("{c} {r}"),
                    (Some(c), None) => c.to_string(),
                    _ => "NO ANSWER".into(),
                };
                [
                    a.time.get(11..23).unwrap_or(&a.time).to_owned(),
                    a.src.clone(),
                    a.cseq.to_string(),
                    super::escape::truncate(a.contact.as_deref().unwrap_or("-"), 40).into_owned(),
                    opt(a.expires_asked),
                    answer,
                    opt(a.expires_granted),
                    a.interval_s.map_or("-".into(), |s| format!("{s:.1} s")),
                    notes.join(", "),
                ]
            })
            .collect();
        out.push_str(&super::table::aligned(&header, &rows, "  "));
        if r.findings.is_empty() {
            out.push_str("  nothing to report\n");
        }
        for f in &r.findings {
            out.push_str(&format!("  [{}] {}\n", f.severity.label(), f.title));
            out.push_str(&format!("    {}\n", f.detail));
            out.push_str(&format!("    Check: {}\n", f.check));
            let refs: Vec<String> = f.sources.iter().map(ToString::to_string).collect();
            out.push_str(&format!("    Read more: {}\n", refs.join("; ")));
        }
        out.push('\n');
    }
    out
}
