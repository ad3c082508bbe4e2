//! The statistics screen (`i`) as tables: messages by method, responses by
//! code, calls by state, the busiest addresses and the RTP in one view.

use super::escape::clean;
use crate::calls::{CallStore, Kind};
use crate::media::MediaTracker;

/// Addresses listed under "Top talkers".
const TOP_TALKERS: usize = 10;

/// Counts of a key, most first, then by name.
fn ranked<K: Ord + Clone>(items: impl Iterator<Item = K>) -> Vec<(K, usize)> {
    let mut counts: std::collections::BTreeMap<K, usize> = std::collections::BTreeMap::new();
    for k in items {
        *counts.entry(k).or_default() += 1;
    }
    let mut out: Vec<(K, usize)> = counts.into_iter().collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}

fn table(out: &mut String, title: &str, rows: &[(String, usize)], total: usize) {
    out.push_str(&format!("\n{title}\n"));
    if rows.is_empty() {
        out.push_str("  (none)\n");
    }
    for (name, n) in rows {
        let pct = match total {
            0 => 0.0,
            t => *n as f64 * 100.0 / t as f64,
        };
        out.push_str(&format!("  {:<28} {n:>8} {pct:>6.1}%\n", clean(name)));
    }
}

/// The statistics of what the store and the tracker hold, as text.
pub fn to_text(name: &str, packets: u64, store: &CallStore, media: &MediaTracker) -> String {
    let messages = store.messages();
    let mut out = format!(
        "File             {}\nPackets          {packets}\nSIP messages     {}\nCalls (Call-IDs) {}\nRetransmissions  {}\nMalformed        {}\n",
        clean(name),
        messages.len(),
        store.calls().len(),
        messages.iter().filter(|m| m.retransmission).count(),
        messages.iter().filter(|m| !m.malformed.is_empty()).count(),
    );
    let requests: Vec<(String, usize)> = ranked(messages.iter().filter_map(|m| match m.kind {
        Kind::Request(s) => Some(store.strings.get(s).to_owned()),
        Kind::Response(_) => None,
    }));
    let n_requests = requests.iter().map(|r| r.1).sum();
    table(&mut out, "Requests by method", &requests, n_requests);
    let responses: Vec<(String, usize)> = ranked(messages.iter().filter_map(|m| match m.kind {
        Kind::Response(code) => Some(match m.reason {
            Some(r) => format!("{code} {}", store.strings.get(r)),
            None => code.to_string(),
        }),
        Kind::Request(_) => None,
    }));
    let n_responses = responses.iter().map(|r| r.1).sum();
    table(&mut out, "Responses by code", &responses, n_responses);
    let states: Vec<(String, usize)> = ranked(store.calls().iter().map(|c| match c.state {
        Some(s) => s.label(),
        None => format!("{} (not a call)", store.strings.get(c.first_method)),
    }));
    table(&mut out, "Dialogs by state", &states, store.calls().len());
    let mut talkers = ranked(
        messages
            .iter()
            .map(|m| store.endpoints.addr(m.src).to_string()),
    );
    talkers.truncate(TOP_TALKERS);
    table(
        &mut out,
        "Top talkers (messages sent)",
        &talkers,
        messages.len(),
    );

    let streams = media.streams();
    let rtp: u64 = streams.iter().map(|s| s.packets).sum();
    let lost: u64 = streams.iter().map(|s| s.lost()).sum();
    out.push_str(&format!(
        "\nRTP\n  streams {:>8}\n  packets {rtp:>8}\n  lost    {lost:>8}\n  RTCP    {:>8}\n",
        streams.len(),
        media.stats().rtcp_packets
    ));
    let codecs = ranked(streams.iter().map(|s| media.codec(s)));
    table(&mut out, "RTP streams by codec", &codecs, streams.len());
    out
}
