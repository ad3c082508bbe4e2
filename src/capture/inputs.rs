//! What `-I` names, made a list of capture files: a file as it is, a
//! directory as the capture files in it (a tcpdump `-C` / `-G` rotation,
//! captures gathered from several boxes), a quoted pattern (`'dir/*.pcap'`)
//! as the files it matches, in name order.

use super::CaptureError;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The first bytes of the files a directory contributes: pcap (both byte
/// orders, micro- and nanosecond), pcapng, gzip.
const MAGICS: [&[u8]; 6] = [
    &[0xd4, 0xc3, 0xb2, 0xa1],
    &[0xa1, 0xb2, 0xc3, 0xd4],
    &[0x4d, 0x3c, 0xb2, 0xa1],
    &[0xa1, 0xb2, 0x3c, 0x4d],
    &[0x0a, 0x0d, 0x0d, 0x0a],
    &[0x1f, 0x8b],
];

/// The capture files `-I` arguments name, each once, in the order given
/// (a directory's or a pattern's files in name order).
pub fn expand_inputs(args: &[PathBuf]) -> Result<Vec<PathBuf>, CaptureError> {
    let mut out: Vec<PathBuf> = Vec::new();
    for arg in args {
        let found = if arg.is_dir() {
            directory(arg)?
        } else if !arg.exists() && is_pattern(arg) {
            matches(arg)?
        } else {
            vec![arg.clone()]
        };
        for f in found {
            if !out.contains(&f) {
                out.push(f);
            }
        }
    }
    Ok(out)
}

fn is_pattern(p: &Path) -> bool {
    p.to_string_lossy().contains(['*', '?', '['])
}

fn matches(pattern: &Path) -> Result<Vec<PathBuf>, CaptureError> {
    let text = pattern.to_string_lossy().into_owned();
    let paths = glob::glob(&text).map_err(|e| CaptureError::BadPattern {
        pattern: text.clone(),
        reason: e.msg.to_owned(),
    })?;
    let mut files: Vec<PathBuf> = paths.flatten().filter(|p| p.is_file()).collect();
    files.sort();
    if files.is_empty() {
        return Err(CaptureError::NoMatch { pattern: text });
    }
    Ok(files)
}

/// The capture files directly in a directory, by name; other files (a
/// README, a checksum list) are passed over.
fn directory(dir: &Path) -> Result<Vec<PathBuf>, CaptureError> {
    let entries = std::fs::read_dir(dir).map_err(|source| CaptureError::Open {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && looks_like_capture(p))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(CaptureError::EmptyDirectory {
            path: dir.to_path_buf(),
        });
    }
    Ok(files)
}

/// True when `head` starts like a pcap or pcapng file (not gzip).
pub(super) fn starts_like_capture(head: &[u8]) -> bool {
    MAGICS[..5].iter().any(|m| head.starts_with(m))
}

fn looks_like_capture(path: &Path) -> bool {
    let mut head = [0u8; 4];
    let Ok(mut f) = std::fs::File::open(path) else {
        return false;
    };
    let mut n = 0;
    while n < head.len() {
        match f.read(&mut head[n..]) {
            Ok(0) | Err(_) => break,
            Ok(k) => n += k,
        }
    }
    MAGICS.iter().any(|m| head[..n].starts_with(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_gives_its_captures_in_name_order_and_passes_other_files_over() {
        let dir = tempfile::tempdir().expect("temp dir");
        let write = |name: &str, bytes: &[u8]| std::fs::write(dir.path().join(name), bytes);
        write("b.pcap", &[0xd4, 0xc3, 0xb2, 0xa1, 0, 0]).expect("write");
        write("a.pcapng", &[0x0a, 0x0d, 0x0d, 0x0a, 0, 0]).expect("write");
        write("README", b"notes").expect("write");
        write("c.pcap.gz", &[0x1f, 0x8b, 8, 0]).expect("write");
        let got = expand_inputs(&[dir.path().to_path_buf()]).expect("expanded");
        let names: Vec<_> = got.iter().filter_map(|p| p.file_name()?.to_str()).collect();
        assert_eq!(names, ["a.pcapng", "b.pcap", "c.pcap.gz"]);
        let pattern = dir.path().join("*.pcap*");
        let got = expand_inputs(&[pattern, dir.path().join("b.pcap")]).expect("expanded");
        assert_eq!(got.len(), 3, "each file once: {got:?}");
        let none = expand_inputs(&[dir.path().join("*.cap")]);
        assert!(matches!(none, Err(CaptureError::NoMatch { .. })));
    }
}
