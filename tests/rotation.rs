//! `-R` rotation: forgetting the oldest calls in place must leave exactly
//! the store that adding the kept calls' messages again would build.

use sipview::calls::{CallStore, MessageBytes, MessageRecord, Observation};
use sipview::capture::{CaptureReader, CaptureSource};
use sipview::load::{load_file, Limit, Pipeline};
use sipview::sip;
use sipview::views::streams;
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

/// Every packet of the samples, in turn, through one pipeline that keeps
/// at most `limit` messages and rotates.
fn pipeline_over(samples: &[&str], limit: usize) -> Pipeline {
    let mut pipeline = Pipeline::new();
    pipeline.set_limit(Limit {
        messages: limit,
        rotate: true,
        ..Limit::default()
    });
    for sample in samples {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("samples")
            .join(sample);
        let source = CaptureSource::open(&path).expect("sample opens");
        let reader = CaptureReader::new(&source).expect("sample reads");
        reader.read_all(|p| {
            pipeline.push(p);
            pipeline.enforce_limit();
        });
    }
    pipeline
}

/// A stream's figures as `--streams` gives them, without the call's index.
fn figures(rows: &[streams::StreamRow]) -> Vec<String> {
    rows.iter()
        .map(|r| {
            format!(
                "{} -> {} {} {} pkts {} lost {} jitter {} max {} dtmf {} call {:?} rtcp {:?}",
                r.src,
                r.dst,
                r.ssrc,
                r.codec,
                r.packets,
                r.lost,
                r.jitter_ms,
                r.max_jitter_ms,
                r.dtmf,
                r.call_id,
                r.rtcp
                    .as_ref()
                    .map(|x| (x.sender_reports, x.receiver_reports, x.cumulative_lost)),
            )
        })
        .collect()
}

#[test]
fn a_kept_calls_rtp_keeps_its_counters_through_a_rotation() {
    // udp-invite-mix.pcap has 4 calls and 28 messages; then the RTP call:
    // INVITE, 180, 200, ACK, its 482 RTP packets, and the BYE as the 33rd
    // message, which rotates the oldest call out after all the RTP came.
    let p = pipeline_over(&["udp-invite-mix.pcap", "rtp-g711-dtmf.pcap"], 33);
    assert_eq!(p.rotated_calls, 1);
    assert_eq!(p.store.calls().len(), 4);
    let direct =
        load_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/rtp-g711-dtmf.pcap"))
            .expect("loads");
    let want = figures(&streams::rows(&direct.media, &direct.store));
    assert_eq!(want.len(), 3);
    assert_eq!(figures(&streams::rows(&p.media, &p.store)), want);
    // The call the streams belong to is the renumbered one, with its SDP.
    let call = p
        .store
        .call_index(b"rtp-g711-dtmf-1@sipview.test")
        .expect("kept");
    assert_eq!(call, 3);
    assert_eq!(p.media.call_streams(call).count(), 3);
    assert_eq!(p.media.call_announcements(call).count(), 2);

    // With RTCP: the BYE (34th message) rotates a call out between the
    // caller's last report and the callee's, which lands in the renumbered
    // flow.
    let p = pipeline_over(&["udp-invite-mix.pcap", "rtp-rtcp.pcap"], 34);
    assert_eq!(p.rotated_calls, 1);
    let direct = load_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/rtp-rtcp.pcap"))
        .expect("loads");
    let want = figures(&streams::rows(&direct.media, &direct.store));
    assert!(want.iter().all(|f| f.contains("rtcp Some")), "{want:?}");
    assert_eq!(figures(&streams::rows(&p.media, &p.store)), want);
    assert_eq!(p.media.rtcp_flows().len(), direct.media.rtcp_flows().len());

    // The RTP call itself rotated out: its streams go with it.
    let p = pipeline_over(&["rtp-g711-dtmf.pcap", "udp-invite-mix.pcap"], 30);
    assert!(p.rotated_calls >= 1);
    assert!(p
        .store
        .call_index(b"rtp-g711-dtmf-1@sipview.test")
        .is_none());
    assert!(
        p.media.streams().is_empty(),
        "{:?}",
        figures(&streams::rows(&p.media, &p.store))
    );
}
