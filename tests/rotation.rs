//! `-R` rotation: forgetting the oldest calls in place must leave exactly
//! the store that adding the kept calls' messages again would build.

use sipview::calls::{CallStore, MessageBytes, MessageRecord, Observation};
use sipview::capture::CaptureSource;
use sipview::load::load_file;
use sipview::sip;
use std::path::Path;

/// The reference: a store built again from the kept calls' messages.
fn rebuilt(
    store: &CallStore,
    drop_calls: usize,
    read: impl Fn(&MessageRecord) -> Option<Vec<u8>>,
) -> CallStore {
    let mut fresh = CallStore::new();
    let first_kept = drop_calls.min(store.calls().len()) as u32;
    for rec in store.messages() {
        if rec.call.is_none_or(|c| c < first_kept) {
            continue;
        }
        let Some(bytes) = read(rec) else { continue };
        let Some(msg) = sip::parse(&bytes) else {
            continue;
        };
        let file_offset = match rec.bytes {
            MessageBytes::File { offset, .. } => Some(offset),
            MessageBytes::Arena { .. } => None,
        };
        let seen = Observation {
            packet_number: rec.packet_number,
            ts: rec.ts,
            src: store.endpoints.addr(rec.src),
            dst: store.endpoints.addr(rec.dst),
            transport: rec.transport,
            file_offset,
            bytes: &bytes,
        };
        fresh.add(&seen, &msg);
    }
    fresh
}

/// Everything a view reads of a store, with addresses spelled out.
fn looks(store: &CallStore, source: &CaptureSource) -> String {
    let mut out = String::new();
    for c in store.calls() {
        out.push_str(&format!(
            "call {} {} {}->{} {:?} {:?} msgs {:?} related {:?} dialogs {} rtx {} from {:?} to {:?}\n",
            c.index,
            c.call_id_lossy(),
            store.endpoints.addr(c.src),
            store.endpoints.addr(c.dst),
            c.state,
            c.final_code,
            c.messages,
            c.related,
            c.dialogs.len(),
            c.retransmissions,
            c.from.uri,
            c.to.uri,
        ));
    }
    for (i, m) in store.messages().iter().enumerate() {
        out.push_str(&format!(
            "msg {i} call {:?} {}->{} {:?} req {:?} rtx {} sdp {} bytes {:?}\n",
            m.call,
            store.endpoints.addr(m.src),
            store.endpoints.addr(m.dst),
            m.ts,
            m.request,
            m.retransmission,
            m.has_sdp,
            store.message_bytes(m, source).ok(),
        ));
    }
    out.push_str(&format!("{:?}\n", store.stats()));
    out
}

#[test]
fn compacting_in_place_gives_the_store_a_rebuild_gives() {
    // UDP (bytes in the file), TCP and WebSocket (bytes in the arena),
    // related legs, retransmissions, messages without a Call-ID.
    for sample in [
        "udp-invite-mix.pcap",
        "tcp-invite-mix.pcap",
        "websocket-sip.pcap",
        "sip-parser-stress.pcap",
        "diag-timeouts.pcap",
    ] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("samples")
            .join(sample);
        let Ok(capture) = load_file(&path) else {
            panic!("{sample} loads");
        };
        let calls = capture.store.calls().len();
        for drop_calls in [0, 1, calls / 2, calls.saturating_sub(1), calls, calls + 3] {
            let store = &capture.store;
            let want = rebuilt(store, drop_calls, |r| {
                store.message_bytes(r, &capture.source).ok()
            });
            let Ok(mut got) = load_file(&path).map(|c| c.store) else {
                panic!("{sample} loads again");
            };
            got.forget_oldest(drop_calls);
            assert_eq!(
                looks(&got, &capture.source),
                looks(&want, &capture.source),
                "{sample}, {drop_calls} of {calls} calls dropped"
            );
        }
    }
}
