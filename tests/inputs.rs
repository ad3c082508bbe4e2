//! Several files read as one capture: a rotation (consecutive pieces, as
//! tcpdump -C writes them) and captures of two boxes (packets dealt
//! between two files) must read exactly as the whole file does, given as
//! repeated -I, as a directory or as a quoted pattern, in any order.

mod common;

use std::path::{Path, PathBuf};

fn sample(file: &str) -> String {
    format!("{}/samples/{file}", env!("CARGO_MANIFEST_DIR"))
}

/// The records of a classic pcap file, after its 24-byte header.
fn records(bytes: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut at = 24;
    while at + 16 <= bytes.len() {
        let caplen =
            u32::from_le_bytes(bytes[at + 8..at + 12].try_into().expect("4 bytes")) as usize;
        let end = at + 16 + caplen;
        out.push(&bytes[at..end]);
        at = end;
    }
    out
}

/// Writes the records of `file` into `pieces` files in `dir`, record `i`
/// going to the piece `piece_of(i)`; returns the paths.
fn split(
    file: &str,
    dir: &Path,
    pieces: usize,
    piece_of: impl Fn(usize, usize) -> usize,
) -> Vec<PathBuf> {
    let bytes = std::fs::read(sample(file)).expect("sample");
    let recs = records(&bytes);
    let mut out: Vec<Vec<u8>> = vec![bytes[..24].to_vec(); pieces];
    for (i, r) in recs.iter().enumerate() {
        out[piece_of(i, recs.len())].extend_from_slice(r);
    }
    out.iter()
        .enumerate()
        .map(|(k, b)| {
            let p = dir.join(format!("piece-{k}.pcap"));
            std::fs::write(&p, b).expect("write piece");
            p
        })
        .collect()
}

fn views(inputs: &[String]) -> [String; 4] {
    let run = |extra: &[&str]| {
        let mut args: Vec<&str> = Vec::new();
        for i in inputs {
            args.extend(["-I", i.as_str()]);
        }
        args.extend(extra);
        common::sipview_ok(&args)
    };
    [
        run(&["--list", "--format", "json"]),
        run(&["--streams", "--format", "json"]),
        run(&["--flow", "1"]),
        run(&["--explain", "2"]),
    ]
}

#[test]
fn a_rotation_and_two_boxes_read_as_the_whole_capture() {
    let file = "rtp-shared-port.pcap";
    let whole = views(&[sample(file)]);
    assert!(whole[0].contains("rtp-shared-b-1@sipview.test"));

    let dir = tempfile::tempdir().expect("temp dir");
    // A rotation: five consecutive pieces, the calls spanning them.
    let rotation = dir.path().join("rotation");
    std::fs::create_dir(&rotation).expect("mkdir");
    let pieces = split(file, &rotation, 5, |i, n| i * 5 / n);
    std::fs::write(rotation.join("README"), "not a capture").expect("write");
    let given_backwards: Vec<String> = pieces
        .iter()
        .rev()
        .map(|p| p.display().to_string())
        .collect();
    assert_eq!(views(&given_backwards), whole, "files given newest first");
    assert_eq!(
        views(&[rotation.display().to_string()]),
        whole,
        "a directory"
    );
    let pattern = rotation.join("piece-*.pcap").display().to_string();
    assert_eq!(views(&[pattern]), whole, "a pattern");

    // Two boxes: every other packet in each file, the same times.
    let boxes = dir.path().join("boxes");
    std::fs::create_dir(&boxes).expect("mkdir");
    let two = split(file, &boxes, 2, |i, _| i % 2);
    let two: Vec<String> = two.iter().map(|p| p.display().to_string()).collect();
    assert_eq!(views(&two), whole, "packets dealt between two files");

    // --save writes one file with every packet of the call, from both.
    let out = dir.path().join("saved.pcap");
    let out_s = out.display().to_string();
    let said = common::sipview_ok(&["-I", &two[0], "-I", &two[1], "--save", &out_s]);
    let whole_saved = dir.path().join("whole.pcap");
    let whole_s = whole_saved.display().to_string();
    common::sipview_ok(&["-I", &sample(file), "--save", &whole_s]);
    let saved = std::fs::read(&out).expect("saved");
    let reference = std::fs::read(&whole_saved).expect("saved");
    assert_eq!(records(&saved).len(), 976, "{said}");
    assert_eq!(
        saved, reference,
        "the same file as saving the whole capture"
    );

    let summary = common::sipview_ok(&[
        "-I",
        &two[1],
        "-I",
        &two[0],
        "--summary",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&summary).expect("summary json");
    assert_eq!(v["packets"], 976);
    assert_eq!(v["files"].as_array().map(Vec::len), Some(2));
}

#[test]
fn inputs_that_name_no_capture_say_so_in_one_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("notes.txt"), "no capture here").expect("write");
    let d = dir.path().display().to_string();
    let (code, _, err) = common::sipview_status(&["-I", &d, "--list"]);
    assert_eq!(code, 1);
    assert_eq!(
        err.trim(),
        format!("sipview: {d} holds no pcap, pcapng or gzip capture file")
    );
    let pattern = format!("{d}/*.pcap");
    let (code, _, err) = common::sipview_status(&["-I", &pattern, "--list"]);
    assert_eq!(code, 1);
    assert_eq!(err.trim(), format!("sipview: no file matches {pattern}"));
}
