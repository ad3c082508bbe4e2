use super::CaptureError;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

/// The files packets are read from and re-read later by offset.
///
/// Several files (`-I a -I b`, a rotation's directory) are one capture: each
/// file has a range of its own in one offset space, in the order given, so a
/// message's offset names its file too. A gzip-compressed capture is
/// inflated once into an anonymous temporary file, so offsets stay valid and
/// the payloads stay out of the heap.
#[derive(Debug)]
pub struct CaptureSource {
    parts: Vec<Part>,
    /// No capture file behind it (see [`CaptureSource::none`]).
    live: bool,
}

/// One file of a capture.
#[derive(Debug)]
pub struct Part {
    path: PathBuf,
    file: File,
    /// Where the file's bytes start in the capture's offset space.
    base: u64,
    len: u64,
    compressed: bool,
    /// Set when the gzip stream itself was damaged: the file ends there.
    inflate_damage: Option<String>,
}

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

impl Part {
    fn open(path: &Path, base: u64) -> Result<Part, CaptureError> {
        let open_err = |source| CaptureError::Open {
            path: path.to_path_buf(),
            source,
        };
        let read_err = |source| CaptureError::Read {
            path: path.to_path_buf(),
            source,
        };
        if path.is_dir() {
            return Err(CaptureError::IsDirectory {
                path: path.to_path_buf(),
            });
        }
        let mut file = File::open(path).map_err(open_err)?;
        let mut magic = [0u8; 2];
        let n = read_prefix_from(&mut file, &mut magic).map_err(read_err)?;
        file.seek(SeekFrom::Start(0)).map_err(read_err)?;
        let compressed = n == 2 && magic == GZIP_MAGIC;
        let mut inflate_damage = None;
        if compressed {
            let (inflated, damage) = inflate_to_temp(file, inflate_cap()).map_err(|e| match e {
                Inflate::Io(e) => read_err(e),
                Inflate::NotACapture(head) => match super::error::other_format(&head) {
                    Some(format) => CaptureError::OtherFormat {
                        path: path.to_path_buf(),
                        format,
                    },
                    None => CaptureError::NotACapture {
                        path: path.to_path_buf(),
                    },
                },
                Inflate::TooBig(cap) => CaptureError::InflatesTooMuch {
                    path: path.to_path_buf(),
                    cap,
                },
            })?;
            file = inflated;
            inflate_damage = damage;
        }
        let len = file.metadata().map_err(read_err)?.len();
        if len == 0 {
            return Err(CaptureError::Empty {
                path: path.to_path_buf(),
            });
        }
        Ok(Part {
            path: path.to_path_buf(),
            file,
            base,
            len,
            compressed,
            inflate_damage,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Where the file's bytes start in the capture's offset space.
    pub fn base(&self) -> u64 {
        self.base
    }

    /// The gzip error that cut the decompressed file short, if any.
    pub fn inflate_damage(&self) -> Option<&str> {
        self.inflate_damage.as_deref()
    }

    /// A fresh reader positioned at the start of the file. It gets its own
    /// file position (a new open of the same file), so a second reader (a
    /// save while the screens still load) never moves the first one.
    pub fn reader(&self) -> io::Result<File> {
        use std::os::fd::AsRawFd;
        let own = File::open(format!("/proc/self/fd/{}", self.file.as_raw_fd()));
        let mut f = match own {
            Ok(f) => f,
            Err(_) => self.file.try_clone()?,
        };
        f.seek(SeekFrom::Start(0))?;
        Ok(f)
    }
}

impl CaptureSource {
    pub fn open(path: &Path) -> Result<Self, CaptureError> {
        Self::open_all(std::slice::from_ref(&path.to_path_buf()))
    }

    /// Opens several files as one capture (at least one).
    pub fn open_all(paths: &[PathBuf]) -> Result<Self, CaptureError> {
        let mut parts: Vec<Part> = Vec::with_capacity(paths.len());
        for path in paths {
            let base = parts.last().map_or(0, |p| p.base + p.len);
            parts.push(Part::open(path, base)?);
        }
        if parts.is_empty() {
            return Err(CaptureError::NoFiles);
        }
        Ok(CaptureSource { parts, live: false })
    }

    /// The first file's path (the only one, mostly).
    pub fn path(&self) -> &Path {
        self.parts
            .first()
            .map_or(Path::new(""), |p| p.path.as_path())
    }

    /// The files, in the order of their offsets.
    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// The capture's name for titles and summaries: the file, or the first
    /// file and how many more.
    pub fn name(&self) -> String {
        match self.parts.len() {
            0 | 1 => self.path().display().to_string(),
            n => format!("{} (+{} files)", self.path().display(), n - 1),
        }
    }

    /// Size in bytes of the (decompressed) capture, all files.
    pub fn len(&self) -> u64 {
        self.parts.iter().map(|p| p.len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn is_compressed(&self) -> bool {
        self.parts.iter().any(|p| p.compressed)
    }

    /// A source with no file behind it, for live capture and HEP: every
    /// message is kept in the store's arena, so nothing is ever read back
    /// from here (where the packets came from is the session's
    /// [`super::Origin`]).
    pub fn none() -> Self {
        CaptureSource {
            parts: Vec::new(),
            live: true,
        }
    }

    /// True for live capture and HEP: no packet can be read back.
    pub fn is_live(&self) -> bool {
        self.live
    }

    /// Reads `len` bytes at `offset`; used to show a message long after it was parsed.
    pub fn read_at(&self, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        let i = self.parts.partition_point(|p| p.base <= offset);
        let part = i
            .checked_sub(1)
            .and_then(|i| self.parts.get(i))
            .ok_or_else(|| {
                io::Error::new(io::ErrorKind::InvalidInput, "offset before the capture")
            })?;
        let mut buf = vec![0u8; len];
        part.file.read_exact_at(&mut buf, offset - part.base)?;
        Ok(buf)
    }
}

/// The most a gzip capture may inflate to: set once (`--max-inflate`),
/// else the free space of the temporary folder less a margin, so a small
/// file that inflates to gigabytes of zeros cannot fill the disk.
static INFLATE_CAP: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
/// Free space left to the rest of the system when the cap is not set.
const FREE_SPACE_MARGIN: u64 = 1 << 30;

/// Sets the inflate cap for this process; false when it was set already.
pub fn set_inflate_cap(bytes: u64) -> bool {
    INFLATE_CAP.set(bytes).is_ok()
}

fn inflate_cap() -> u64 {
    if let Some(&cap) = INFLATE_CAP.get() {
        return cap;
    }
    free_space(&std::env::temp_dir()).map_or(u64::MAX, |f| f.saturating_sub(FREE_SPACE_MARGIN))
}

/// Bytes free for an unprivileged writer in the file system of `dir`.
fn free_space(dir: &Path) -> Option<u64> {
    let st = rustix::fs::statvfs(dir).ok()?;
    Some(st.f_bavail.saturating_mul(st.f_frsize))
}

/// Why a gzip capture was not inflated.
enum Inflate {
    Io(io::Error),
    /// The inflated bytes do not start like a capture.
    NotACapture(Vec<u8>),
    /// Inflating went past the cap.
    TooBig(u64),
}

impl From<io::Error> for Inflate {
    fn from(e: io::Error) -> Self {
        Inflate::Io(e)
    }
}

/// Inflates into an anonymous temporary file: the first bytes are checked
/// to be a capture's before anything is written, and inflating stops at the
/// cap.
fn inflate_to_temp(file: File, cap: u64) -> Result<(File, Option<String>), Inflate> {
    let mut gz = flate2::read::MultiGzDecoder::new(io::BufReader::new(file));
    let mut head = [0u8; 24];
    let n = match read_prefix_from(&mut gz, &mut head) {
        Ok(n) => n,
        Err(e) if is_damage(&e) => 0,
        Err(e) => return Err(Inflate::Io(e)),
    };
    if !super::inputs::starts_like_capture(&head[..n]) {
        return Err(Inflate::NotACapture(head[..n].to_vec()));
    }
    let mut out = tempfile::tempfile()?;
    out.write_all(&head[..n])?;
    // One byte past the cap tells a file that exceeds it from one that
    // fills it exactly.
    let room = cap.saturating_sub(n as u64).saturating_add(1);
    let mut limited = io::Read::take(&mut gz, room);
    // A damaged gzip stream keeps what inflated before the damage: the capture
    // reader then reads up to there like any other cut file.
    let damage = match io::copy(&mut limited, &mut out) {
        Ok(copied) if copied + n as u64 > cap => return Err(Inflate::TooBig(cap)),
        Ok(_) => None,
        Err(e) if is_damage(&e) => Some(format!("gzip stream damaged: {e}")),
        Err(e) => return Err(Inflate::Io(e)),
    };
    out.seek(SeekFrom::Start(0))?;
    Ok((out, damage))
}

fn is_damage(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData | io::ErrorKind::UnexpectedEof
    )
}

fn read_prefix_from(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match r.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}
