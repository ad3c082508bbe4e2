use super::CaptureError;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
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
    /// No capture file behind it (see [`CaptureSource::live`]).
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
        let n = read_prefix(&mut file, &mut magic).map_err(read_err)?;
        file.seek(SeekFrom::Start(0)).map_err(read_err)?;
        let compressed = n == 2 && magic == GZIP_MAGIC;
        let mut inflate_damage = None;
        if compressed {
            let (inflated, damage) = inflate_to_temp(file).map_err(read_err)?;
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

    /// A source with no file behind it, for live capture: every message is
    /// kept in the store's arena, so nothing is ever read back from here.
    pub fn live(name: &str) -> io::Result<Self> {
        Ok(CaptureSource {
            parts: vec![Part {
                path: PathBuf::from(name),
                file: tempfile::tempfile()?,
                base: 0,
                len: 0,
                compressed: false,
                inflate_damage: None,
            }],
            live: true,
        })
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

fn read_prefix(file: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

fn inflate_to_temp(file: File) -> io::Result<(File, Option<String>)> {
    let mut out = tempfile::tempfile()?;
    let mut gz = flate2::read::MultiGzDecoder::new(io::BufReader::new(file));
    // A damaged gzip stream keeps what inflated before the damage: the capture
    // reader then reads up to there like any other cut file.
    let damage = match io::copy(&mut gz, &mut out) {
        Ok(_) => None,
        Err(e)
            if e.kind() == io::ErrorKind::InvalidInput
                || e.kind() == io::ErrorKind::InvalidData
                || e.kind() == io::ErrorKind::UnexpectedEof =>
        {
            Some(format!("gzip stream damaged: {e}"))
        }
        Err(e) => return Err(e),
    };
    out.seek(SeekFrom::Start(0))?;
    Ok((out, damage))
}
