//! The whole pipeline (decode, defragment, reassemble, WebSocket, framing,
//! call grouping) and the views on a sequence of crafted packets.
//!
//! Input format (see scripts/pcap2seed.py):
//!   byte 0            link type selector (index into LINKS, modulo)
//!   then repeated:    u16 big-endian length N, then N bytes of packet data
//! A short last packet takes whatever bytes remain.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sipview::capture::{LinkType, Packet, Timestamp};
use sipview::load::Pipeline;
use sipview::views::{flow::Ladder, list, list_table};
use std::hint::black_box;

const LINKS: [LinkType; 8] = [
    LinkType::ETHERNET,
    LinkType::LINUX_SLL,
    LinkType::LINUX_SLL2,
    LinkType::RAW,
    LinkType::NULL,
    LinkType::LOOP,
    LinkType::IPV4,
    LinkType::IPV6,
];

fuzz_target!(|data: &[u8]| {
    let Some((&sel, mut rest)) = data.split_first() else {
        return;
    };
    let link = LINKS[sel as usize % LINKS.len()];
    let mut pipeline = Pipeline::new();
    let mut number = 0u64;
    while rest.len() >= 2 {
        let len = u16::from_be_bytes([rest[0], rest[1]]) as usize;
        rest = &rest[2..];
        let take = len.min(rest.len());
        let (pkt, tail) = rest.split_at(take);
        rest = tail;
        number += 1;
        let packet = Packet {
            number,
            ts: Timestamp(number * 1000),
            link,
            data: pkt,
            orig_len: len as u32,
            file_offset: None,
        };
        pipeline.push(&packet);
    }
    black_box((
        pipeline.packets(),
        pipeline.decode_stats(),
        pipeline.stream_bytes_skipped(),
    ));

    let rows = list::rows(&pipeline.store);
    black_box(list_table::to_text(
        &rows,
        &sipview::views::columns::LIST_TEXT,
    ));
    black_box(
        list_table::to_csv(
            &rows,
            &sipview::views::columns::Column::all().collect::<Vec<_>>(),
        )
        .ok(),
    );
    for r in &rows {
        black_box(r.state_text());
    }
    let calls = pipeline.store.calls().len() as u32;
    for i in 0..calls {
        black_box(Ladder::build(&pipeline.store, &[i]).to_text());
    }
    if calls > 1 {
        black_box(Ladder::build(&pipeline.store, &[0, calls - 1]).to_text());
    }
});
