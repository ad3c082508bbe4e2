//! The call list: states, parties, related legs, and untrusted text kept off the terminal.

mod common;

use common::sipview_ok as sipview;

fn list_json(file: &str) -> Vec<serde_json::Value> {
    let text = sipview(&[
        "-I",
        &format!("samples/{file}"),
        "--list",
        "--format",
        "json",
    ]);
    serde_json::from_str(&text).expect("json array")
}

#[test]
fn states_as_sngrep_names_them() {
    let rows = list_json("udp-invite-mix.pcap");
    let states: Vec<(&str, &str, Option<u64>)> = rows
        .iter()
        .map(|r| {
            (
                r["call_id"].as_str().unwrap_or(""),
                r["state_label"].as_str().unwrap_or(""),
                r["final_code"].as_u64(),
            )
        })
        .collect();
    assert_eq!(
        states,
        [
            ("udp-call-1@sipview.test", "COMPLETED", Some(200)),
            ("udp-auth-1@sipview.test", "COMPLETED", Some(200)),
            ("udp-busy-1@sipview.test", "BUSY", Some(486)),
            ("udp-cancel-1@sipview.test", "CANCELLED", Some(487)),
        ]
    );
    let first = &rows[0];
    assert_eq!(first["messages"], 7);
    assert_eq!(first["method"], "INVITE");
    assert_eq!(first["from_user"], "alice");
    assert_eq!(first["to_user"], "bob");
    assert_eq!(first["transport"], "UDP");
    assert_eq!(first["src"], "127.0.0.1:5063");
    assert_eq!(first["dst"], "127.0.0.1:5062");
}

#[test]
fn registrations_and_other_methods_show_their_final_code() {
    let rows = list_json("udp-register-auth.pcap");
    assert_eq!(rows.len(), 3);
    for r in &rows {
        assert_eq!(r["method"], "REGISTER");
        assert_eq!(r["messages"], 4);
        assert!(r["state"].is_null());
        assert_eq!(r["final_code"], 200);
        assert_eq!(
            r["from_user"], r["to_user"],
            "a REGISTER's To is its own AoR"
        );
    }
}

#[test]
fn b2bua_legs_are_related_by_x_call_id() {
    let rows = list_json("sip-parser-stress.pcap");
    let leg = |id: &str| rows.iter().find(|r| r["call_id"] == id).expect("leg");
    assert_eq!(
        leg("b2bua-leg-a@sipview.test")["related"],
        serde_json::json!(["b2bua-leg-b@sipview.test"])
    );
    assert_eq!(
        leg("b2bua-leg-b@sipview.test")["related"],
        serde_json::json!(["b2bua-leg-a@sipview.test"])
    );
    let v6 = leg("ipv6-1@sipview.test");
    assert_eq!(v6["src"], "[2001:db8::2]:6060");
    assert_eq!(v6["state_label"], "REJECTED 603");
    assert_eq!(leg("kdmq-1@sipview.test")["method"], "KDMQ");
}

#[test]
fn control_characters_from_packets_never_reach_the_terminal() {
    let file = "samples/sip-parser-stress.pcap";
    for args in [
        vec!["-I", file, "--list"],
        vec!["-I", file, "--list", "--format", "csv"],
        vec!["-I", file, "--list", "--format", "json"],
        vec!["-I", file, "--flow", "escape-1@sipview.test"],
    ] {
        let out = sipview(&args);
        let bad: Vec<char> = out
            .chars()
            .filter(|c| c.is_control() && *c != '\n')
            .collect();
        assert!(bad.is_empty(), "{args:?} printed {bad:?}");
    }
    let csv = sipview(&["-I", file, "--list", "--format", "csv"]);
    assert!(
        csv.contains(r"evil\e[31mRED\e[0m\e]0;pwned\x07 phone"),
        "escaped User-Agent in CSV"
    );
}

#[test]
fn text_list_has_a_row_per_call() {
    let text = sipview(&["-I", "samples/tcp-invite-mix.pcap", "--list"]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5);
    assert!(
        lines[0].starts_with("IDX  METHOD  FROM                TO                SOURCE"),
        "{}",
        lines[0]
    );
    assert!(lines[4].contains("CANCELLED") && lines[4].contains("tcp-cancel-1@sipview.test"));
    assert!(lines.iter().skip(1).all(|l| l.contains(" TCP ")));
    // From and To are user@domain.
    assert!(
        lines[1].contains("  alice@sipview.test  bob@sipview.test  "),
        "{}",
        lines[1]
    );
    // --columns picks and orders them, by the settings file's names.
    let picked = sipview(&[
        "-I",
        "samples/tcp-invite-mix.pcap",
        "--list",
        "--columns",
        "callid,idx,code",
    ]);
    let first: Vec<&str> = picked.lines().take(2).collect();
    assert_eq!(
        first[0].split_whitespace().collect::<Vec<_>>(),
        ["CALL-ID", "IDX", "CODE"]
    );
    assert_eq!(
        first[1].split_whitespace().collect::<Vec<_>>(),
        ["tcp-call-1@sipview.test", "1", "200"]
    );
}

#[test]
fn text_list_shows_duration_first_to_last_message() {
    let text = sipview(&["-I", "samples/udp-invite-mix.pcap", "--list"]);
    let busy = text
        .lines()
        .find(|l| l.contains("udp-busy-1@sipview.test"))
        .expect("busy row");
    assert!(
        busy.contains("  BUSY  ") && busy.contains("  0:00:00.104  "),
        "{busy}"
    );
    let rows = list_json("udp-invite-mix.pcap");
    assert_eq!(rows[2]["duration_ms"], 104);
}

/// (sample, verdict word per call, in list order)
const VERDICTS: &[(&str, &[&str])] = &[
    (
        "udp-invite-mix.pcap",
        &["completed", "completed", "busy", "cancelled"],
    ),
    ("diag-auth-repeat.pcap", &["auth-repeat"]),
    ("diag-codec.pcap", &["codec", "codec"]),
    ("diag-dtmf.pcap", &["dtmf"]),
    ("diag-nat.pcap", &["nat"]),
    ("diag-no-ack.pcap", &["no-ack"]),
    ("diag-not-found.pcap", &["not-found", "not-found"]),
    (
        "diag-timeouts.pcap",
        &[
            "timeout",
            "too-many-hops",
            "loop",
            "session-timer",
            "no-dialog",
        ],
    ),
    ("udp-no-answer.pcap", &["no-response", "no-ack"]),
    (
        "udp-register-auth.pcap",
        &["registered", "registered", "registered"],
    ),
    (
        "diag-register-timeline.pcap",
        &["register-late", "no-response"],
    ),
];

#[test]
fn every_call_gets_a_verdict_from_the_diagnosis() {
    for (file, expected) in VERDICTS {
        let rows = list_json(file);
        let words: Vec<&str> = rows
            .iter()
            .map(|r| r["verdict"]["word"].as_str().unwrap_or("?"))
            .collect();
        assert_eq!(&words, expected, "{file}");
    }
    let text = sipview(&["-I", "samples/diag-timeouts.pcap", "--list"]);
    let header = text.lines().next().unwrap_or("");
    assert!(
        header.contains(" STATE ") && header.contains(" VERDICT "),
        "{header}"
    );
    assert!(text.contains(" timeout! "), "{text}");
    let dtmf = sipview(&["-I", "samples/diag-dtmf.pcap", "--list"]);
    assert!(
        dtmf.contains(" dtmf? "),
        "a warning is marked with ?: {dtmf}"
    );
    let csv = sipview(&["-I", "samples/diag-codec.pcap", "--list", "--format", "csv"]);
    assert!(csv
        .lines()
        .next()
        .unwrap_or("")
        .contains(",verdict,severity,"));
    assert!(csv.contains(",codec,problem,"), "{csv}");
}

#[test]
fn problems_filter_keeps_calls_that_need_a_look() {
    let all = list_json("udp-invite-mix.pcap");
    assert_eq!(all.len(), 4);
    let ids = |file: &str| -> Vec<String> {
        let text = sipview(&[
            "-I",
            &format!("samples/{file}"),
            "--list",
            "--problems",
            "--format",
            "json",
        ]);
        let rows: Vec<serde_json::Value> = serde_json::from_str(&text).expect("json");
        rows.iter()
            .map(|r| r["call_id"].as_str().unwrap_or("").to_owned())
            .collect()
    };
    // Completed (after one digest challenge), busy and cancelled calls are
    // normal endings: nothing needs a look.
    assert!(ids("udp-invite-mix.pcap").is_empty());
    // The faults sample: everything but the two registrations.
    assert_eq!(
        ids("diag-invite-faults.pcap"),
        [
            "fault-silent@10.4.0.11",
            "fault-byecancel@10.4.0.11",
            "fault-forbidden@10.4.0.11",
            "fault-decline@10.4.0.11",
            "fault-absent@10.4.0.11",
            "fault-codec@10.4.0.11",
            "scan-1@203.0.113.66",
        ]
    );
    let none = sipview(&[
        "-I",
        "samples/udp-register-auth.pcap",
        "--list",
        "--problems",
    ]);
    assert_eq!(none.lines().count(), 1, "header only: {none}");
}
