use super::time;
use crate::calls::{Call, CallStore};
use crate::explain::{self, Severity, Verdict};
use crate::media::MediaTracker;
use serde::Serialize;

/// One call as the call list shows it.
#[derive(Debug, Clone, Serialize)]
pub struct CallRow {
    pub index: u32,
    pub call_id: String,
    pub method: String,
    pub from_user: String,
    pub from_display: Option<String>,
    pub from_uri: String,
    pub to_user: String,
    pub to_display: Option<String>,
    pub to_uri: String,
    pub src: String,
    pub dst: String,
    pub transport: &'static str,
    pub start: String,
    pub last: String,
    pub duration_ms: i64,
    pub messages: usize,
    pub state: Option<&'static str>,
    pub state_label: Option<String>,
    pub final_code: Option<u16>,
    pub user_agent: Option<String>,
    pub server: Option<String>,
    pub x_call_id: Option<String>,
    pub related: Vec<String>,
    pub dialogs: usize,
    pub retransmissions: u32,
    pub malformed: u32,
    /// One word from the diagnosis rules (see [`rows_of_view`]).
    pub verdict: Option<Verdict>,
    /// The call's RTP, when the capture has any (see [`CallMedia::of`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media: Option<CallMedia>,
}

/// The RTP of one call, summed over its streams, for the list's media
/// columns.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CallMedia {
    pub streams: usize,
    pub packets: u64,
    pub lost: u64,
    /// Lost of expected, over the voice streams (events left out).
    pub loss_percent: f64,
    /// The highest RFC 3550 jitter any voice stream reached.
    pub max_jitter_ms: f64,
    /// Codecs of the voice streams, in order of first packet, once each.
    pub codecs: Vec<String>,
    /// RFC 4733 digits of all its streams, in the order pressed.
    pub dtmf: String,
    /// The lower G.107 MOS of its two directions (see `media::mos`).
    pub mos: Option<f64>,
    /// The MOS of what the caller heard, and of what the callee heard.
    pub mos_to_caller: Option<f64>,
    pub mos_to_callee: Option<f64>,
}

impl CallMedia {
    /// `None` when the capture has no RTP at all, so SIP-only captures show
    /// empty cells rather than zeros.
    pub fn of(media: &MediaTracker, call: u32) -> Option<CallMedia> {
        if !media.has_rtp() {
            return None;
        }
        let mut streams: Vec<&crate::media::Stream> = media.call_streams(call).collect();
        streams.sort_by_key(|s| (s.first, s.first_packet));
        let mut out = CallMedia {
            streams: streams.len(),
            ..CallMedia::default()
        };
        let mut expected = 0u64;
        let mut digits = Vec::new();
        for s in &streams {
            out.packets += s.packets;
            digits.extend(s.dtmf.digits.iter().map(|d| (d.ts, d.digit)));
            if s.events_only() {
                continue;
            }
            out.lost += s.lost();
            expected += s.seq.expected();
            out.max_jitter_ms = out.max_jitter_ms.max(s.jitter.max * 1000.0);
            let codec = media.codec(s);
            if !out.codecs.contains(&codec) {
                out.codecs.push(codec);
            }
        }
        if expected > 0 {
            out.loss_percent = out.lost as f64 * 100.0 / expected as f64;
        }
        digits.sort_by_key(|d| d.0);
        out.dtmf = digits.into_iter().map(|d| d.1).collect();
        let quality = crate::media::mos::of_call(media, call);
        let round = |m: f64| (m * 100.0).round() / 100.0;
        out.mos = quality.worst_mos().map(round);
        out.mos_to_caller = quality.to_caller.map(|q| round(q.mos));
        out.mos_to_callee = quality.to_callee.map(|q| round(q.mos));
        Some(out)
    }

    /// The list's RTP cell: streams and packets, `2/472`.
    pub fn rtp_text(&self) -> String {
        format!("{}/{}", self.streams, self.packets)
    }

    /// The list's MOS cell.
    pub fn mos_text(&self) -> String {
        self.mos.map(|m| format!("{m:.2}")).unwrap_or_default()
    }

    /// The list's LOSS cell.
    pub fn loss_text(&self) -> String {
        if self.streams == 0 {
            return String::new();
        }
        format!("{:.1}%", self.loss_percent)
    }
}

impl CallRow {
    pub fn of(store: &CallStore, call: &Call) -> CallRow {
        let s = |sym| store.strings.get(sym).to_owned();
        CallRow {
            index: call.index,
            call_id: call.call_id_lossy(),
            method: s(call.first_method),
            from_user: call.from.user_or_uri().to_owned(),
            from_display: call.from.display.as_deref().map(str::to_owned),
            from_uri: call.from.uri.to_string(),
            to_user: call.to.user_or_uri().to_owned(),
            to_display: call.to.display.as_deref().map(str::to_owned),
            to_uri: call.to.uri.to_string(),
            src: store.endpoints.addr(call.src).to_string(),
            dst: store.endpoints.addr(call.dst).to_string(),
            transport: call.transport.as_str(),
            start: time::rfc3339(call.start),
            last: time::rfc3339(call.last),
            duration_ms: call.duration_micros() / 1000,
            messages: call.messages.len(),
            state: call.state.map(|st| st.name()),
            state_label: call.state.map(|st| st.label()),
            final_code: call.final_code,
            user_agent: call.user_agent.map(s),
            server: call.server.map(s),
            x_call_id: call
                .x_call_id
                .as_deref()
                .map(|x| String::from_utf8_lossy(x).into_owned()),
            related: call
                .related
                .iter()
                .filter_map(|&i| store.calls().get(i as usize))
                .map(Call::call_id_lossy)
                .collect(),
            dialogs: call.dialogs.len(),
            retransmissions: call.retransmissions,
            malformed: call.malformed,
            verdict: None,
            media: None,
        }
    }

    /// The final answer the STATE column shows: the code in a rejected or
    /// diverted call's state, else the final response of the first
    /// transaction. The `code` filter field and column read this, so
    /// `code=403` finds every row that says REJECTED 403.
    pub fn answer_code(&self) -> Option<u16> {
        let from_state = self.state_label.as_deref().and_then(|l| {
            let (word, code) = l.rsplit_once(' ')?;
            matches!(word, "REJECTED" | "DIVERTED").then(|| code.parse().ok())?
        });
        from_state.or(self.final_code)
    }

    /// The From column: `user@domain` of the From URI.
    pub fn from_address(&self) -> String {
        user_at_host(&self.from_uri).unwrap_or_else(|| self.from_user.clone())
    }

    /// The To column: `user@domain` of the To URI.
    pub fn to_address(&self) -> String {
        user_at_host(&self.to_uri).unwrap_or_else(|| self.to_user.clone())
    }

    /// State as the list shows it: sngrep's name for INVITE calls, the final
    /// code for others.
    pub fn state_text(&self) -> String {
        match (&self.state_label, self.final_code) {
            (Some(l), _) => l.clone(),
            (None, Some(code)) => code.to_string(),
            (None, None) => String::new(),
        }
    }
}

/// `user@host` of a SIP URI, without scheme, password, port, parameters
/// or headers (`sip:alice:pw@pbx.example.com:5060;transport=tcp` ->
/// `alice@pbx.example.com`); a URI without a user is its host, a tel URI
/// its number. `None` when there is nothing to show.
fn user_at_host(uri: &str) -> Option<String> {
    let s = uri.trim().trim_start_matches('<');
    let (scheme, rest) = s.split_once(':')?;
    let rest = match scheme.to_ascii_lowercase().as_str() {
        "sip" | "sips" => rest,
        "tel" => return Some(rest.split(';').next()?.to_owned()).filter(|t| !t.is_empty()),
        _ => return None,
    };
    let (user, host) = match rest.rsplit_once('@') {
        Some((u, h)) => (Some(u.split([':', ';']).next().unwrap_or(u)), h),
        None => (None, rest),
    };
    let host = host.split([';', '?', '>']).next().unwrap_or(host);
    let host = match host.strip_prefix('[') {
        Some(v6) => v6.split_once(']').map_or(host, |(a, _)| a),
        None => host.split(':').next().unwrap_or(host),
    };
    Some(match user.filter(|u| !u.is_empty()) {
        Some(u) => format!("{u}@{host}"),
        None => host.to_owned(),
    })
    .filter(|a| !a.is_empty())
}

pub fn rows(store: &CallStore) -> Vec<CallRow> {
    store
        .calls()
        .iter()
        .map(|c| CallRow::of(store, c))
        .collect()
}

/// Every call's row with its verdict (the diagnosis reads back the few
/// messages its rules need: SDP, challenges, failures) and RTP summary:
/// `--list`.
pub fn rows_of_view(view: &crate::load::CaptureView<'_>) -> Vec<CallRow> {
    let (store, source, media) = (view.store, view.source, view.media);
    let read = |rec: &crate::calls::MessageRecord| store.message_bytes(rec, source).ok();
    let evidence = explain::CaptureEvidence::build(store);
    let diagnoser = explain::Diagnoser::new(store, Some(media), &evidence, &read);
    store
        .calls()
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut row = CallRow::of(store, c);
            let findings = diagnoser.call(i as u32).findings;
            row.verdict = Some(Verdict::of(&findings));
            row.media = CallMedia::of(media, i as u32);
            for c in media.calls_sharing_media(i as u32) {
                let id = store.calls().get(c as usize).map(Call::call_id_lossy);
                if let Some(id) = id.filter(|id| !row.related.contains(id)) {
                    row.related.push(id);
                }
            }
            row
        })
        .collect()
}

impl CallRow {
    /// A problem or a warning was found (what `--problems` keeps).
    pub fn needs_a_look(&self) -> bool {
        self.verdict.is_some_and(|v| v.needs_a_look())
    }

    /// The verdict as the list shows it: `!` marks a problem, `?` a warning.
    pub fn verdict_text(&self) -> String {
        let Some(v) = self.verdict else {
            return String::new();
        };
        let mark = match v.severity {
            Some(Severity::Problem) => "!",
            Some(Severity::Warning) => "?",
            _ => "",
        };
        format!("{}{mark}", v.word)
    }
}

/// A row for unit tests: alice to bob, with the given method, state and code.
#[cfg(test)]
pub(crate) fn test_row(
    index: u32,
    method: &str,
    state: Option<(&'static str, &str)>,
    code: Option<u16>,
) -> CallRow {
    CallRow {
        index,
        call_id: format!("call-{index}@example.test"),
        method: method.to_owned(),
        from_user: "alice".to_owned(),
        from_display: Some("Alice Smith".to_owned()),
        from_uri: "sip:alice@example.test".to_owned(),
        to_user: "bob".to_owned(),
        to_display: None,
        to_uri: "sip:bob@example.test".to_owned(),
        src: "10.0.0.1:5060".to_owned(),
        dst: "[2001:db8::1]:5080".to_owned(),
        transport: "UDP",
        start: String::new(),
        last: String::new(),
        duration_ms: 31_500,
        messages: 7,
        state: state.map(|s| s.0),
        state_label: state.map(|s| s.1.to_owned()),
        final_code: code,
        user_agent: Some("Zoiper 5".to_owned()),
        server: Some("Asterisk PBX 20".to_owned()),
        x_call_id: None,
        media: None,
        related: Vec::new(),
        dialogs: 1,
        retransmissions: 0,
        malformed: 0,
        verdict: Some(Verdict {
            word: "busy",
            severity: Some(Severity::Normal),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::user_at_host;

    #[test]
    fn addresses_are_user_at_host() {
        let a = |u: &str| user_at_host(u);
        assert_eq!(
            a("sip:alice@example.com").as_deref(),
            Some("alice@example.com")
        );
        assert_eq!(
            a("sip:alice:secret@pbx.example.com:5060;transport=tcp").as_deref(),
            Some("alice@pbx.example.com")
        );
        assert_eq!(
            a("<sips:bob@[2001:db8::1]:5061>").as_deref(),
            Some("bob@2001:db8::1")
        );
        assert_eq!(a("sip:10.0.0.1:5060").as_deref(), Some("10.0.0.1"));
        assert_eq!(
            a("tel:+15551234;phone-context=x").as_deref(),
            Some("+15551234")
        );
        assert_eq!(a("urn:service:sos"), None);
        assert_eq!(a(""), None);
    }
}
