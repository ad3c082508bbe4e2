//! `--filter` and the other selections: the rows kept on the shipped
//! samples, the same calls in every view, and a bad
//! expression as a one-line error.

mod common;

use common::sipview_ok as sipview;
use common::sipview_status as run;

/// Call-IDs of the rows `--list --filter EXPR` keeps, in list order.
fn kept(file: &str, expr: &str) -> Vec<String> {
    let text = sipview(&[
        "-I",
        &format!("samples/{file}"),
        "--list",
        "--format",
        "json",
        "--filter",
        expr,
    ]);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&text).expect("json array");
    rows.iter()
        .map(|r| r["call_id"].as_str().unwrap_or("").to_owned())
        .collect()
}

fn ids(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| format!("{n}@sipview.test")).collect()
}

const MIX: &str = "udp-invite-mix.pcap";
const TIMEOUTS: &str = "diag-timeouts.pcap";
const REGISTER: &str = "udp-register-auth.pcap";

#[test]
fn by_method() {
    let regs = ids(&["reg-alice-1", "reg-bob-1", "reg-carol-1"]);
    assert_eq!(kept(REGISTER, "method=REGISTER"), regs);
    assert_eq!(kept(REGISTER, "method=register"), regs);
    assert_eq!(kept(MIX, "method=REGISTER"), ids(&[]));
    assert_eq!(
        kept(TIMEOUTS, "method!=INVITE"),
        ids(&["diag-timeouts-483-1", "diag-timeouts-481-1"])
    );
}

#[test]
fn by_final_code() {
    let all = ids(&[
        "diag-timeouts-408-1",
        "diag-timeouts-483-1",
        "diag-timeouts-482-1",
        "diag-timeouts-422-1",
        "diag-timeouts-481-1",
    ]);
    assert_eq!(kept(TIMEOUTS, "code>=400"), all);
    assert_eq!(kept(TIMEOUTS, "code=4xx"), all);
    assert_eq!(
        kept(TIMEOUTS, "code>=482 code<=483"),
        ids(&["diag-timeouts-483-1", "diag-timeouts-482-1"])
    );
    assert_eq!(kept(MIX, "code>=400"), ids(&["udp-busy-1", "udp-cancel-1"]));
    assert_eq!(
        kept(TIMEOUTS, "method=INVITE code=48x"),
        ids(&["diag-timeouts-482-1"])
    );
}

#[test]
fn by_state_with_or_and_negation() {
    let ended_early = ids(&["udp-busy-1", "udp-cancel-1"]);
    assert_eq!(kept(MIX, "state=busy or state=cancelled"), ended_early);
    assert_eq!(kept(MIX, "!state=completed"), ended_early);
    assert_eq!(kept(MIX, "not state=COMPLETED"), ended_early);
    assert_eq!(kept(MIX, "state!=completed"), ended_early);
    assert_eq!(
        kept(MIX, "state=completed"),
        ids(&["udp-call-1", "udp-auth-1"])
    );
    // AND binds tighter than OR; parentheses regroup.
    assert_eq!(
        kept(MIX, "state=busy or state=cancelled code=487"),
        ended_early
    );
    assert_eq!(
        kept(MIX, "(state=busy or state=cancelled) code=487"),
        ids(&["udp-cancel-1"])
    );
    assert_eq!(
        kept(
            TIMEOUTS,
            "state=\"rejected 408\" or state=rejected code=422"
        ),
        ids(&["diag-timeouts-408-1", "diag-timeouts-422-1"])
    );
}

#[test]
fn free_text_regex_and_numbers() {
    assert_eq!(kept(MIX, "busy-1"), ids(&["udp-busy-1"]));
    assert_eq!(
        kept(MIX, "/(auth|cancel)-1@/"),
        ids(&["udp-auth-1", "udp-cancel-1"])
    );
    assert_eq!(kept(MIX, "ALICE bob 127.0.0.1:5062").len(), 4);
    assert_eq!(kept(MIX, "carol"), ids(&[]));
    assert_eq!(
        kept(MIX, "duration>0.5"),
        ids(&["udp-call-1", "udp-auth-1"])
    );
    assert_eq!(
        kept(MIX, "msgs>=7 index>1"),
        ids(&["udp-auth-1", "udp-cancel-1"])
    );
    assert_eq!(kept(MIX, "ua~uac transport=udp src=127.0.0.1").len(), 4);
    // The cancelled call never got a Server header.
    assert_eq!(
        kept(MIX, "ua~uas"),
        ids(&["udp-call-1", "udp-auth-1", "udp-busy-1"])
    );
}

#[test]
fn by_verdict() {
    // One digest challenge answered well is no problem.
    assert!(kept(MIX, "problems").is_empty());
    assert_eq!(kept(MIX, "severity=normal").len(), 4);
    assert_eq!(kept(MIX, "verdict=busy"), ids(&["udp-busy-1"]));
    assert_eq!(kept(TIMEOUTS, "problems").len(), 5);
    assert_eq!(
        kept(REGISTER, "severity=normal verdict=registered").len(),
        3
    );
    assert!(kept(REGISTER, "severity=ok").is_empty());
}

#[test]
fn by_payload() {
    assert_eq!(kept(MIX, "payload~/telephone-event/"), ids(&["udp-call-1"]));
    assert_eq!(kept(MIX, "payload:TELEPHONE-EVENT"), ids(&["udp-call-1"]));
    assert_eq!(
        kept(
            MIX,
            "payload:\"SIP/2.0 486 Busy Here\" or payload~/(?m)^CANCEL /"
        ),
        ids(&["udp-busy-1", "udp-cancel-1"])
    );
}

#[test]
fn with_problems_and_csv() {
    let out = sipview(&[
        "-I",
        &format!("samples/{TIMEOUTS}"),
        "--list",
        "--problems",
        "--format",
        "csv",
        "--filter",
        "method=INVITE code<422 or code=422",
    ]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "header and two rows: {out}");
    assert!(
        lines[1].contains("diag-timeouts-408-1@sipview.test"),
        "{out}"
    );
    assert!(
        lines[2].contains("diag-timeouts-422-1@sipview.test"),
        "{out}"
    );
    // --filter "" keeps every call.
    assert_eq!(kept(MIX, "").len(), 4);
}

#[test]
fn bad_expression_is_one_line_exit_1() {
    let cases = [
        (
            "foo=1",
            "sipview: bad filter: unknown field `foo` in `foo=1`",
        ),
        (
            "code>=abc",
            "sipview: bad filter: bad number `abc` in `code>=abc`",
        ),
        (
            "/(/",
            "sipview: bad filter: bad regex in `/(/`: unclosed group",
        ),
        (
            "\"alice",
            "sipview: bad filter: unclosed quote in `\"alice`",
        ),
        ("(alice", "sipview: bad filter: unclosed `(`"),
    ];
    for (expr, start) in cases {
        let (code, out, err) = run(&["-I", &format!("samples/{MIX}"), "--list", "--filter", expr]);
        assert_eq!(code, 1, "{expr}: {err}");
        assert!(out.is_empty(), "{expr}: {out}");
        assert_eq!(err.lines().count(), 1, "{expr}: {err:?}");
        assert!(err.starts_with(start), "{expr}: {err:?}");
    }
    // Reported before the capture is opened.
    let (code, _, err) = run(&["-I", "/nonexistent.pcap", "--list", "--filter", "foo=1"]);
    assert_eq!(code, 1);
    assert!(err.contains("bad filter"), "{err}");
}

#[test]
fn every_view_keeps_the_same_calls() {
    let mix = format!("samples/{MIX}");
    let args = |extra: &[&str]| {
        let mut a = vec![
            "-I",
            mix.as_str(),
            "--filter",
            "state=busy or state=cancelled",
        ];
        a.extend_from_slice(extra);
        sipview(&a)
    };
    // A ladder per kept call, in capture order, each under its Call-ID.
    let ladders = args(&["--flow"]);
    let ids: Vec<&str> = ladders
        .lines()
        .filter_map(|l| l.strip_prefix("Call-ID: "))
        .collect();
    assert_eq!(
        ids,
        ["udp-busy-1@sipview.test", "udp-cancel-1@sipview.test"]
    );
    assert!(ladders.contains("486 Busy Here") && ladders.contains("CANCEL"));
    let json: serde_json::Value =
        serde_json::from_str(&args(&["--flow", "--format", "json"])).unwrap();
    assert_eq!(json.as_array().map(Vec::len), Some(2), "{json}");
    let explained = args(&["--explain"]);
    let heads = explained.lines().filter(|l| l.starts_with("Call-ID: "));
    assert_eq!(heads.count(), 2, "{explained}");
    assert!(explained.contains("Callee busy"), "{explained}");
    // Calls named on the command line must pass the selection too.
    let (code, _, err) = run(&["-I", &mix, "--flow", "1", "--filter", "state=busy"]);
    assert_eq!(code, 1);
    assert!(err.contains("call \"1\" is left out by --filter"), "{err}");
    let one = sipview(&["-I", &mix, "--flow", "3", "--filter", "state=busy"]);
    assert!(one.starts_with("Call-ID: udp-busy-1@sipview.test"), "{one}");
    // Several calls named: one ladder, as marked calls on the screens.
    let merged = sipview(&["-I", &mix, "--flow", "3,4", "--format", "json"]);
    let merged: serde_json::Value = serde_json::from_str(&merged).unwrap();
    assert_eq!(
        merged["call_ids"].as_array().map(Vec::len),
        Some(2),
        "{merged}"
    );
    // The summary counts what the selection keeps, beside the capture.
    let summary = args(&["--summary"]);
    assert!(summary.contains("calls              4"), "{summary}");
    assert!(
        summary.contains("selected           2 calls, 11 sip messages, 0 rtp streams"),
        "{summary}"
    );
    // -c keeps INVITE dialogs in every view; --problems keeps none here.
    let regs = sipview(&[
        "-I",
        "samples/diag-register-timeline.pcap",
        "--registrations",
        "-c",
    ]);
    assert!(regs.starts_with("No REGISTER among the calls"), "{regs}");
    let regs = sipview(&[
        "-I",
        "samples/diag-register-timeline.pcap",
        "--registrations",
        "--filter",
        "from=bob",
    ]);
    assert!(regs.contains("bob") && !regs.contains("alice"), "{regs}");
    let streams = sipview(&[
        "-I",
        "samples/rtp-shared-port.pcap",
        "--streams",
        "--filter",
        "index=2",
    ]);
    let rows: Vec<&str> = streams.lines().skip(1).collect();
    assert_eq!(rows.len(), 3, "{streams}");
    assert!(
        rows.iter()
            .all(|r| r.contains("rtp-shared-b-1") && !r.contains("rtp-shared-a-1")),
        "{streams}"
    );
    let help = sipview(&["--help"]);
    for needle in [
        "--filter <EXPR>",
        "payload~/REGEX/",
        "code (486 or 4xx)",
        "in every view",
    ] {
        assert!(help.contains(needle), "--help lacks {needle:?}");
    }
}

#[test]
fn by_the_calls_rtp() {
    const ONE_WAY: &str = "rtp-one-way.pcap";
    let (talking, silent) = ("rtp-one-way-1", "rtp-silent-1");
    assert_eq!(kept(ONE_WAY, "rtp=0"), ids(&[silent]));
    assert_eq!(kept(ONE_WAY, "rtp>100"), ids(&[talking]));
    assert_eq!(kept(ONE_WAY, "codec=pcma"), ids(&[talking]));
    assert_eq!(kept(ONE_WAY, "codec=PCMU"), ids(&[]));
    assert_eq!(kept(ONE_WAY, "dtmf=1"), ids(&[talking]));
    assert_eq!(kept(ONE_WAY, "loss>1"), ids(&[]));
    assert_eq!(kept(ONE_WAY, "jitter<30ms rtp>0"), ids(&[talking]));
    // A SIP-only capture has no RTP figures at all: nothing has loss.
    assert_eq!(kept(MIX, "loss>=0"), ids(&[]));
    let out = run(&[
        "-I",
        "samples/rtp-one-way.pcap",
        "--list",
        "--filter",
        "loss>lots",
    ]);
    assert_eq!(out.0, 1);
    assert!(
        out.2.contains("bad number `lots` in `loss>lots`"),
        "{}",
        out.2
    );
}
