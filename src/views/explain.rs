//! `--explain`: every message of a call with what its start line means, its
//! headers as sent, and the sources to read more. The TUI's explain pane
//! shows the same notes beside the ladder.

use super::escape::clean_bytes;
use super::flow::{Arrow, Ladder};
use crate::calls::{CallStore, Kind};
use crate::capture::CaptureSource;
use crate::explain::{self, SourceRef};
use crate::media::MediaTracker;
use crate::sip;
use serde::Serialize;

/// One explained line (start line now; headers and diagnosis build on it).
#[derive(Debug, Clone, Serialize)]
pub struct Note {
    pub title: String,
    pub lines: Vec<String>,
    pub sources: Vec<String>,
}

/// A call explained: the diagnosis first, then every message.
#[derive(Debug, Clone, Serialize)]
pub struct ExplainedCall {
    /// The software that answered, as the diagnosis read it.
    pub stack: explain::Stack,
    /// [`explain::Stack::describe`] of it, for the pane's first line.
    pub answered_by: String,
    pub diagnosis: Vec<explain::Finding>,
    /// Every DTMF key of the calls (SIP INFO and RFC 4733), with its mode.
    pub dtmf: Vec<super::dtmf::DtmfKey>,
    pub messages: Vec<ExplainedMessage>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExplainedMessage {
    pub arrow: Arrow,
    pub start_line: Note,
    /// The headers as sent (control characters escaped), each explained.
    pub headers: Vec<ExplainedHeader>,
    /// The SDP body line by line, when there is one.
    pub sdp: Vec<ExplainedHeader>,
    /// Why the bytes could not be shown, if they could not.
    pub unreadable: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExplainedHeader {
    pub raw: String,
    pub note: explain::headers::HeaderNote,
}

fn sources(refs: &[SourceRef]) -> Vec<String> {
    refs.iter().map(ToString::to_string).collect()
}

/// Diagnoses the calls and explains every message, in ladder order.
pub fn explain_calls(store: &CallStore, source: &CaptureSource, calls: &[u32]) -> ExplainedCall {
    explain_calls_with_media(store, None, source, calls)
}

/// [`explain_calls`], the diagnosis reading the calls' RTP too.
pub fn explain_calls_with_media(
    store: &CallStore,
    media: Option<&MediaTracker>,
    source: &CaptureSource,
    calls: &[u32],
) -> ExplainedCall {
    let read = |rec: &crate::calls::MessageRecord| store.message_bytes(rec, source).ok();
    let evidence = explain::CaptureEvidence::build(store);
    let diagnoser = explain::Diagnoser::new(store, media, &evidence, &read);
    let mut stacks: Vec<explain::Stack> = Vec::new();
    let mut diagnosis: Vec<explain::Finding> = Vec::new();
    for &c in calls {
        let d = diagnoser.explain(c);
        if !stacks.contains(&d.stack) {
            stacks.push(d.stack);
        }
        diagnosis.extend(d.findings);
    }
    diagnosis.sort_by_key(|f| f.severity);
    let stack = stacks
        .iter()
        .find(|s| **s != explain::Stack::Unknown)
        .cloned()
        .unwrap_or(explain::Stack::Unknown);
    ExplainedCall {
        answered_by: stack.describe(),
        dtmf: super::dtmf::call_keys(store, media, calls),
        messages: explain_messages(store, source, calls, &stack),
        stack,
        diagnosis,
    }
}

fn explain_messages(
    store: &CallStore,
    source: &CaptureSource,
    calls: &[u32],
    stack: &explain::Stack,
) -> Vec<ExplainedMessage> {
    let ladder = Ladder::build(store, calls);
    // A challenge repeats when the request it answers already carried
    // credentials (per transaction, not any two challenges of a call).
    let carried_credentials = |request: Option<u32>| {
        let Some(bytes) = request
            .and_then(|r| store.message(r))
            .and_then(|r| store.message_bytes(r, source).ok())
        else {
            return false;
        };
        sip::parse(&bytes).is_some_and(|m| {
            m.header("Authorization").is_some() || m.header("Proxy-Authorization").is_some()
        })
    };
    ladder
        .arrows
        .into_iter()
        .map(|arrow| {
            let rec = store.message(arrow.index);
            let start_line = match rec.map(|r| r.kind) {
                Some(Kind::Request(m)) => {
                    let mut note = method_note(store.strings.get(m), stack);
                    if let Some(key) =
                        rec.and_then(|r| super::flow::info_key(store, arrow.index, r))
                    {
                        note.lines.push(info_key_note(&key));
                    }
                    note
                }
                Some(Kind::Response(code)) => {
                    let repeated = matches!(code, 401 | 407)
                        && carried_credentials(rec.and_then(|r| r.request));
                    code_note(code, arrow.reason.as_deref().unwrap_or(""), repeated, stack)
                }
                None => Note {
                    title: String::new(),
                    lines: Vec::new(),
                    sources: Vec::new(),
                },
            };
            let ((headers, sdp), unreadable) =
                match rec.map(|r| (r, store.message_bytes(r, source))) {
                    Some((r, Ok(bytes))) => {
                        let from = store.endpoints.addr(r.src).ip();
                        (header_notes(&bytes, from), None)
                    }
                    Some((_, Err(e))) => (Default::default(), Some(e.to_string())),
                    None => (Default::default(), Some("no such message".into())),
                };
            ExplainedMessage {
                arrow,
                start_line,
                headers,
                sdp,
                unreadable,
            }
        })
        .collect()
}

type Notes = (Vec<ExplainedHeader>, Vec<ExplainedHeader>);

/// The headers explained, and the SDP body line by line.
fn header_notes(bytes: &[u8], from: std::net::IpAddr) -> Notes {
    let Some(msg) = sip::parse(bytes) else {
        return Notes::default();
    };
    let mut lines = msg.header_lines();
    let headers: Vec<_> = lines.by_ref().collect();
    let ctx = explain::headers::HeaderContext {
        source: Some(from),
        body_len: lines.remainder().len(),
        is_request: msg.is_request(),
    };
    let headers = headers
        .iter()
        .map(|h| ExplainedHeader {
            raw: clean_bytes(h.raw),
            note: explain::headers::explain_header(
                h.name,
                &String::from_utf8_lossy(&h.value),
                &ctx,
            ),
        })
        .collect();
    let sdp = if msg.has_sdp() {
        explain::sdp::explain_sdp(msg.body, Some(from))
            .into_iter()
            .map(|(raw, note)| ExplainedHeader {
                raw: super::escape::clean(&raw).into_owned(),
                note,
            })
            .collect()
    } else {
        Vec::new()
    };
    (headers, sdp)
}

/// What a DTMF INFO request carried, in one line.
fn info_key_note(key: &sip::InfoKey) -> String {
    let duration = key
        .duration_ms
        .map(|d| format!(", held {d} ms"))
        .unwrap_or_default();
    format!(
        "DTMF key {} sent as SIP INFO ({}){duration}: the key travels in the signalling, not in the RTP, \
         so the far end must take DTMF as INFO (dtmf_mode=info) to hear it.",
        key.key,
        key.format.content_type()
    )
}

fn method_note(name: &str, stack: &explain::Stack) -> Note {
    let m = explain::method_or_generic(name);
    let mut lines = vec![
        m.summary().to_owned(),
        explain::fit_text(m.explanation(), stack),
    ];
    lines.retain(|l| !l.is_empty());
    match m.creates_dialog() {
        Some(true) => lines.push("Creates a dialog.".into()),
        Some(false) => lines.push("Does not create a dialog.".into()),
        None => {}
    }
    Note {
        title: super::escape::clean(name).into_owned(),
        lines,
        sources: sources(m.sources()),
    }
}

fn code_note(code: u16, reason: &str, repeated_challenge: bool, stack: &explain::Stack) -> Note {
    let e = explain::explain_code(code);
    let fit = |t: &str| explain::fit_text(t, stack);
    let mut lines = vec![fit(e.meaning())];
    if let Some(ch) = e.challenge() {
        lines.push(fit(if repeated_challenge {
            ch.repeated
        } else {
            ch.first
        }));
    }
    if let Some((cause, basis)) = e.cause() {
        let label = basis.label();
        let cause = fit(cause);
        if !cause.is_empty() {
            lines.push(if label.is_empty() {
                format!("Usual cause: {cause}")
            } else {
                format!("Usual cause ({label}): {cause}")
            });
        }
    }
    let check = fit(e.check());
    if !check.is_empty() {
        lines.push(format!("Check: {check}"));
    }
    lines.retain(|l| !l.is_empty());
    let mut refs = sources(e.sources());
    if let Some(v) = explain::vendor_phrase(code, reason) {
        lines.push(format!(
            "Reason phrase \"{}\": {} Check: {}",
            v.phrase, v.meaning, v.check
        ));
        refs.extend(sources(v.sources));
    }
    refs.dedup();
    Note {
        title: e.title(),
        lines,
        sources: refs,
    }
}

/// The explanation as plain text: diagnosis, then the messages.
pub fn to_text(call: &ExplainedCall) -> String {
    let mut out = String::from("Diagnosis\n");
    if call.stack != explain::Stack::Unknown {
        out.push_str(&format!("  Answering side: {}\n", call.answered_by));
    }
    if call.diagnosis.is_empty() {
        out.push_str("  nothing to report\n");
    }
    let position = |index: u32| {
        call.messages
            .iter()
            .position(|m| m.arrow.index == index)
            .map_or_else(|| "?".to_owned(), |p| format!("#{}", p + 1))
    };
    for f in &call.diagnosis {
        // A normal ending says so in one line.
        if f.severity == explain::Severity::Normal {
            let at: Vec<String> = f.evidence.iter().map(|&i| position(i)).collect();
            out.push_str(&format!("  [OK] {} ({})\n", f.title, at.join(", ")));
            continue;
        }
        out.push_str(&format!("  [{}] {}\n", f.severity.label(), f.title));
        out.push_str(&format!("    {}\n", f.detail));
        if !f.check.is_empty() {
            out.push_str(&format!("    Check: {}\n", f.check));
        }
        // Media findings rest on RTP and RTCP, not on messages.
        if !f.evidence.is_empty() {
            let evidence: Vec<String> = f.evidence.iter().map(|&i| position(i)).collect();
            out.push_str(&format!("    Seen in: {}\n", evidence.join(", ")));
        }
        let refs: Vec<String> = f.sources.iter().map(ToString::to_string).collect();
        out.push_str(&format!("    Read more: {}\n", refs.join("; ")));
    }
    if !call.dtmf.is_empty() {
        out.push_str(&format!(
            "\nDTMF keys: {}\n",
            call.dtmf.iter().map(|k| k.digit).collect::<String>()
        ));
        out.push_str(&super::dtmf::to_text(&call.dtmf));
    }
    out.push('\n');
    for (i, m) in call.messages.iter().enumerate() {
        let a = &m.arrow;
        out.push_str(&format!(
            "#{} {} {} -> {} {}  {}\n",
            i + 1,
            a.time.replace('T', " ").trim_end_matches('Z'),
            a.src,
            a.dst,
            a.transport,
            a.label
        ));
        out.push_str(&format!("  {}\n", m.start_line.title));
        for line in &m.start_line.lines {
            out.push_str(&format!("    {line}\n"));
        }
        if !m.start_line.sources.is_empty() {
            out.push_str(&format!(
                "    Read more: {}\n",
                m.start_line.sources.join("; ")
            ));
        }
        if let Some(why) = &m.unreadable {
            out.push_str(&format!("  (message bytes unreadable: {why})\n"));
        }
        for h in &m.headers {
            out.push_str(&format!("  | {}\n", h.raw));
            if h.note.name.contains("(compact") {
                out.push_str(&format!("  |     {}\n", h.note.name));
            }
            for line in &h.note.lines {
                out.push_str(&format!("  |     {}\n", super::escape::clean(line)));
            }
        }
        if !m.sdp.is_empty() {
            out.push_str("  SDP body\n");
        }
        for l in &m.sdp {
            out.push_str(&format!("  : {}\n", l.raw));
            for line in &l.note.lines {
                out.push_str(&format!("  :     {}\n", super::escape::clean(line)));
            }
        }
        out.push('\n');
    }
    out
}
