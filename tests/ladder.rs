//! Ladders asserted exactly, as the text the TUI will draw.

mod common;

fn flow(file: &str, call: &str, format: &str) -> String {
    common::sipview_ok(&[
        "-I",
        &format!("samples/{file}"),
        "--flow",
        call,
        "--format",
        format,
    ])
}

#[test]
fn tcp_cancel_over_tcp_on_port_5080() {
    let expected = r#"Call-ID: tcp-cancel-1@sipview.test
Date: 2026-11-23 (UTC)

                              127.0.0.1:5081              127.0.0.1:5080
                                     |                           |
11:18:42.651960  +0.000000           |------ INVITE (SDP) ------>|
11:18:42.652226  +0.000266           |<------- 100 Trying -------|
11:18:42.704851  +0.052625           |<------ 180 Ringing -------|
11:18:43.108405  +0.403554           |--------- CANCEL --------->|
11:18:43.108538  +0.000133           |<--------- 200 OK ---------|
11:18:43.109683  +0.001145           |<- 487 Request Terminated -|
11:18:43.109723  +0.000040           |---------- ACK ----------->|
"#;
    assert_eq!(
        flow("tcp-invite-mix.pcap", "tcp-cancel-1@sipview.test", "text"),
        expected
    );
}

#[test]
fn websocket_register_with_challenge() {
    let expected = r#"Call-ID: ws-reg-1@sipview.test
Date: 2026-01-01 (UTC)

                              192.0.2.50:52000      198.51.100.80:80
                                      |                     |
00:00:00.015800  +0.000000            |----- REGISTER ----->|
00:00:00.016000  +0.000200            |<- 401 Unauthorized -|
00:00:00.016200  +0.000200            |----- REGISTER ----->|
00:00:00.016400  +0.000200            |<------ 200 OK ------|
"#;
    assert_eq!(
        flow("websocket-sip.pcap", "ws-reg-1@sipview.test", "text"),
        expected
    );
}

#[test]
fn ok_retransmitted_when_the_ack_never_comes() {
    let expected = r#"Call-ID: noack-1@sipview.test
Date: 2026-11-23 (UTC)

                              127.0.0.1:6061              127.0.0.1:6060
                                     |                           |
11:19:01.008201  +0.000000           |------ INVITE (SDP) ------>|
11:19:01.008388  +0.000187           |<------- 100 Trying -------|
11:19:01.009576  +0.001188           |<------ 200 OK (SDP) ------|
11:19:01.259893  +0.250317           |<- 200 OK (SDP) [retrans] -|
11:19:01.762878  +0.502985           |<- 200 OK (SDP) [retrans] -|
11:19:02.767255  +1.004377           |<- 200 OK (SDP) [retrans] -|
"#;
    assert_eq!(
        flow("udp-no-answer.pcap", "noack-1@sipview.test", "text"),
        expected
    );
}

#[test]
fn invite_with_digest_challenge() {
    let expected = r#"Call-ID: udp-auth-1@sipview.test
Date: 2026-11-23 (UTC)

                              127.0.0.1:5063        127.0.0.1:5062
                                     |                     |
11:18:32.824046  +0.000000           |--- INVITE (SDP) --->|
11:18:32.824217  +0.000171           |<- 401 Unauthorized -|
11:18:32.824290  +0.000073           |------- ACK -------->|
11:18:32.825479  +0.001189           |--- INVITE (SDP) --->|
11:18:32.826784  +0.001305           |<---- 100 Trying ----|
11:18:32.880210  +0.053426           |<--- 180 Ringing ----|
11:18:33.084154  +0.203944           |<--- 200 OK (SDP) ---|
11:18:33.084224  +0.000070           |------- ACK -------->|
11:18:33.388753  +0.304529           |------- BYE -------->|
11:18:33.388813  +0.000060           |<------ 200 OK ------|
"#;
    assert_eq!(
        flow("udp-invite-mix.pcap", "udp-auth-1@sipview.test", "text"),
        expected
    );
}

#[test]
fn flow_json_matches_responses_to_requests() {
    let v: serde_json::Value = serde_json::from_str(&flow(
        "udp-invite-mix.pcap",
        "udp-auth-1@sipview.test",
        "json",
    ))
    .expect("json");
    let arrows = v["arrows"].as_array().expect("arrows");
    assert_eq!(arrows.len(), 10);
    assert_eq!(
        v["columns"],
        serde_json::json!(["127.0.0.1:5063", "127.0.0.1:5062"])
    );
    let labels: Vec<&str> = arrows.iter().filter_map(|a| a["label"].as_str()).collect();
    assert_eq!(
        labels,
        [
            "INVITE (SDP)",
            "401 Unauthorized",
            "ACK",
            "INVITE (SDP)",
            "100 Trying",
            "180 Ringing",
            "200 OK (SDP)",
            "ACK",
            "BYE",
            "200 OK"
        ]
    );
    // The 401 answers the first INVITE, the 200 OK (SDP) the second (CSeq 2).
    assert_eq!(arrows[1]["answers"], arrows[0]["index"]);
    assert_eq!(arrows[6]["answers"], arrows[3]["index"]);
    assert_eq!(arrows[6]["cseq"], "2 INVITE");
    assert_eq!(arrows[9]["answers"], arrows[8]["index"]);
    assert!(arrows[2]["answers"].is_null(), "ACK answers nothing");
    assert!(arrows.iter().all(|a| a["retransmission"] == false));
}

#[test]
fn retransmissions_are_marked_once_each() {
    let v: serde_json::Value = serde_json::from_str(&flow(
        "udp-no-answer.pcap",
        "noanswer-1@sipview.test",
        "json",
    ))
    .expect("json");
    let arrows = v["arrows"].as_array().expect("arrows");
    let retrans: Vec<bool> = arrows.iter().map(|a| a["retransmission"] == true).collect();
    assert_eq!(
        retrans,
        [false, true, true, true, true],
        "one INVITE then four resends"
    );
}

/// A call with RTP: each stream is one arrow between the media addresses at
/// its first packet, the key pressed a line of its own; the SIP arrows are
/// drawn as without media.
#[test]
fn rtp_streams_and_dtmf_on_the_ladder() {
    let text = flow("rtp-g711-dtmf.pcap", "rtp-g711-dtmf-1@sipview.test", "text");
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[3].trim_start().starts_with("127.0.0.1:5131"),
        "{text}"
    );
    // The media addresses share the parties' IP: RTP is drawn between
    // the two parties' lanes, not on lanes of its own.
    assert!(lines[3].trim_end().ends_with("127.0.0.1:5130"), "{text}");
    assert_eq!(lines[4].matches('|').count(), 2, "{text}");
    let labels: Vec<String> = lines[5..]
        .iter()
        .map(|l| {
            let arrow = &l[30..];
            arrow
                .trim_matches(|c: char| " |-<>".contains(c))
                .split(" -")
                .next()
                .unwrap_or("")
                .to_owned()
        })
        .collect();
    assert_eq!(
        labels,
        [
            "INVITE (SDP)",
            "180 Ringing",
            "200 OK (SDP)",
            "ACK",
            "RTP PCMA 236 pkts",
            "RTP PCMA 236 pkts",
            "RTP telephone-event 10 pkts",
            "DTMF 1",
            "BYE",
            "200 OK",
        ]
    );
    // Callee to caller first (its audio starts 0.2 ms after the ACK),
    // drawn right to left; the caller's audio and key left to right.
    assert!(
        lines[9].contains("|<------ RTP PCMA 236 pkts ------|"),
        "{text}"
    );
    assert!(
        lines[10].contains("|------ RTP PCMA 236 pkts ------>|"),
        "{text}"
    );
    assert!(
        lines[12].contains("|----------- DTMF 1 ------------>|"),
        "{text}"
    );
    assert!(
        lines[13].starts_with("23:02:01.640853  +1.003658"),
        "{text}"
    );

    let json: serde_json::Value = serde_json::from_str(&flow(
        "rtp-g711-dtmf.pcap",
        "rtp-g711-dtmf-1@sipview.test",
        "json",
    ))
    .expect("json");
    let media = json["media"].as_array().expect("media");
    assert_eq!(media.len(), 4);
    assert_eq!(media[2]["kind"], "rtp");
    assert_eq!(media[2]["ssrc"], "0x0e05384e");
    assert_eq!(media[2]["dtmf"], "1");
    assert_eq!(media[3]["kind"], "dtmf");
    // The SIP arrows are the same as without media.
    assert_eq!(json["arrows"].as_array().map(Vec::len), Some(6));
}

/// No RTP in the capture: no media in the JSON either.
#[test]
fn ladder_without_rtp_has_no_media_key() {
    let json: serde_json::Value = serde_json::from_str(&flow(
        "udp-invite-mix.pcap",
        "udp-call-1@sipview.test",
        "json",
    ))
    .expect("json");
    assert!(json.get("media").is_none());
}
