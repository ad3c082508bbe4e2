//! A capture being read while it is looked at: a pipeline filled by a
//! loader thread (a file) or capture threads (live devices) while the
//! screens or the headless live output read it.

use crate::calls::{CallStore, MessageRecord};
use crate::capture::queue::{
    self, packet_queue, Next, PacketReceiver, PacketSender, QueueCounters,
};
use crate::capture::{
    CaptureError, CaptureReader, CaptureSource, DeviceReader, FileFilter, LiveStats, Origin,
    StopReason,
};
use crate::hep::HepListener;
use crate::load::{CaptureView, Limit, MessageTap, Pipeline};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How far the loader got.
#[derive(Debug, Default)]
pub struct Progress {
    pub bytes_read: AtomicU64,
    pub packets: AtomicU64,
    pub done: AtomicBool,
    pub stopped: Mutex<Option<StopReason>>,
}

/// A capture being read (or read) into calls, from a file or live.
pub struct Session {
    pub source: CaptureSource,
    pipeline: Mutex<Pipeline>,
    pub progress: Progress,
    pub started: Instant,
    /// Set while the screens wait for the pipeline: the loader steps aside
    /// (a mutex is not fair, and the loader would take it back at once).
    wanted: AtomicBool,
    /// Where the packets come from: files, devices or a HEP listener.
    pub origin: Origin,
    /// Asks the capture threads to end.
    pub stop: AtomicBool,
    /// Kernel counters per device, updated when a capture thread ends.
    pub live_stats: Mutex<Vec<LiveStats>>,
    /// Packets the kernel dropped, per device, while the capture runs.
    pub kernel_dropped: Vec<AtomicU64>,
    /// The live queue's counters (see [`Session::queue_dropped`]).
    queue_counters: Mutex<Option<Arc<QueueCounters>>>,
}

/// Packets read between two releases of the lock, so the screens never
/// wait long for the store while a big file loads.
const BATCH: u64 = 512;

impl Session {
    fn new(source: CaptureSource, origin: Origin, tap: Option<MessageTap>) -> Session {
        let mut pipeline = Pipeline::new();
        if let Some(tap) = tap {
            pipeline.set_tap(tap);
        }
        Session {
            source,
            pipeline: Mutex::new(pipeline),
            progress: Progress::default(),
            started: Instant::now(),
            wanted: AtomicBool::new(false),
            origin,
            stop: AtomicBool::new(false),
            live_stats: Mutex::new(Vec::new()),
            kernel_dropped: Vec::new(),
            queue_counters: Mutex::new(None),
        }
    }

    /// Opens a capture and starts reading it on a thread of its own;
    /// `filter` is a BPF expression (already checked) packets must pass.
    pub fn open(path: &Path, filter: Option<String>) -> Result<Arc<Session>, CaptureError> {
        Session::open_tapped(&[path.to_path_buf()], filter, None, Limit::default())
    }

    /// [`Session::open`] of several files read as one capture, with every
    /// SIP message also given to `tap`, holding what `limit` allows.
    pub fn open_tapped(
        paths: &[PathBuf],
        filter: Option<String>,
        tap: Option<MessageTap>,
        limit: Limit,
    ) -> Result<Arc<Session>, CaptureError> {
        let source = CaptureSource::open_all(paths)?;
        let reader = CaptureReader::new(&source)?;
        let origin = Origin::Files(paths.to_vec());
        let session = Arc::new(Session::new(source, origin, tap));
        session.lock().set_limit(limit);
        let loader = Arc::clone(&session);
        std::thread::Builder::new()
            .name("sipview-loader".into())
            .spawn(move || {
                // Compiled on this thread: libpcap programs stay where they are made.
                let filter = filter.and_then(|f| FileFilter::new(&f).ok());
                loader.load(reader, filter)
            })
            .map_err(|e| CaptureError::Read {
                path: session.source.path().to_path_buf(),
                source: e,
            })?;
        Ok(session)
    }

    /// Reads the whole capture before returning (tests, snapshots).
    pub fn open_loaded(path: &Path) -> Result<Arc<Session>, CaptureError> {
        let source = CaptureSource::open(path)?;
        let reader = CaptureReader::new(&source)?;
        let origin = Origin::Files(vec![path.to_path_buf()]);
        let session = Arc::new(Session::new(source, origin, None));
        session.load(reader, None);
        Ok(session)
    }

    /// Starts one capture thread per device; packets go into the store
    /// under `limit` until [`Session::stop`] is set.
    pub fn live(readers: Vec<DeviceReader>, limit: Limit) -> std::io::Result<Arc<Session>> {
        Session::live_tapped(readers, limit, None)
    }

    /// [`Session::live`], with every SIP message also given to `tap`.
    pub fn live_tapped(
        readers: Vec<DeviceReader>,
        limit: Limit,
        tap: Option<MessageTap>,
    ) -> std::io::Result<Arc<Session>> {
        let devices: Vec<String> = readers.iter().map(|r| r.device.clone()).collect();
        let mut session = Session::new(CaptureSource::none(), Origin::Devices(devices), tap);
        session.kernel_dropped = readers.iter().map(|_| AtomicU64::new(0)).collect();
        let session = Arc::new(session);
        session.lock().set_limit(limit);
        let (tx, rx) = session.queue();
        for (n, reader) in readers.into_iter().enumerate() {
            let s = Arc::clone(&session);
            let tx = tx.clone();
            std::thread::Builder::new()
                .name(format!("sipview-capture-{}", reader.device))
                .spawn(move || {
                    let no_counter = AtomicU64::new(0);
                    let dropped = s.kernel_dropped.get(n).unwrap_or(&no_counter);
                    let stats = reader.run(&s.stop, dropped, |p| {
                        tx.push(p);
                    });
                    if let Ok(mut all) = s.live_stats.lock() {
                        all.push(stats);
                    }
                })?;
        }
        drop(tx);
        Session::feed(&session, rx)?;
        Ok(session)
    }

    /// The queue between the device threads and the pipeline; its drop
    /// counter becomes the session's.
    fn queue(&self) -> (PacketSender, PacketReceiver) {
        let (tx, rx, counters) = packet_queue(queue::MAX_PACKETS, queue::MAX_BYTES);
        if let Ok(mut slot) = self.queue_counters.lock() {
            *slot = Some(counters);
        }
        (tx, rx)
    }

    /// Packets dropped because the pipeline fell behind (queue full).
    pub fn queue_dropped(&self) -> u64 {
        self.queue_counters
            .lock()
            .ok()
            .and_then(|c| c.as_ref().map(|c| c.dropped.load(Ordering::Relaxed)))
            .unwrap_or(0)
    }

    /// Starts the thread that takes packets off the queue into the
    /// pipeline, a batch per lock, and marks the capture done once every
    /// device thread has ended and the queue is empty.
    fn feed(session: &Arc<Session>, rx: PacketReceiver) -> std::io::Result<()> {
        let s = Arc::clone(session);
        std::thread::Builder::new()
            .name("sipview-pipeline".into())
            .spawn(move || loop {
                let first = match rx.next(Duration::from_millis(100)) {
                    Next::Packet(p) => p,
                    Next::Idle => continue,
                    Next::Closed => {
                        s.progress.done.store(true, Ordering::Release);
                        return;
                    }
                };
                let mut pipeline = s.lock();
                let mut n = 0u64;
                let mut next = Some(first);
                while let Some(p) = next {
                    pipeline.push(&p.packet());
                    pipeline.enforce_limit();
                    n += 1;
                    next = if n < BATCH { rx.try_next() } else { None };
                }
                s.progress.packets.fetch_add(n, Ordering::Relaxed);
                drop(pipeline);
                // A short batch means the queue ran dry: wait a little for
                // more instead of waking for every packet (at 2,000 packets/s
                // the wake-ups cost more than the packets).
                if n < BATCH {
                    std::thread::sleep(Duration::from_millis(10));
                }
            })?;
        Ok(())
    }

    /// Receives HEP on a thread of its own, like a live device; `filter` is a BPF expression (already checked)
    /// the rebuilt packets must pass.
    pub fn hep(
        listener: HepListener,
        filter: Option<String>,
        limit: Limit,
        tap: Option<MessageTap>,
    ) -> std::io::Result<Arc<Session>> {
        let origin = Origin::Hep(listener.local_addr());
        let session = Arc::new(Session::new(CaptureSource::none(), origin, tap));
        session.lock().set_limit(limit);
        let (tx, rx) = session.queue();
        let s = Arc::clone(&session);
        std::thread::Builder::new()
            .name("sipview-hep".into())
            .spawn(move || {
                let mut filter = filter.and_then(|f| FileFilter::new(&f).ok());
                listener.run(&s.stop, |p| {
                    if filter.as_mut().is_some_and(|f| !f.matches(p)) {
                        return;
                    }
                    tx.push(p);
                });
            })?;
        Session::feed(&session, rx)?;
        Ok(session)
    }

    /// The origin, source and pipeline, once every reader thread has ended.
    pub fn into_parts(self) -> (Origin, CaptureSource, Pipeline) {
        let pipeline = self
            .pipeline
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        (self.origin, self.source, pipeline)
    }

    pub fn is_live(&self) -> bool {
        self.origin.is_live()
    }

    /// What the views read, from a locked pipeline.
    pub fn view<'a>(&'a self, pipeline: &'a Pipeline) -> CaptureView<'a> {
        CaptureView {
            origin: &self.origin,
            source: &self.source,
            store: &pipeline.store,
            media: &pipeline.media,
        }
    }

    fn load(&self, reader: CaptureReader, mut filter: Option<FileFilter>) {
        let mut guard = Some(self.lock_for_loader());
        let mut n = 0u64;
        let outcome = reader.read_all(|p| {
            if filter.as_mut().is_some_and(|f| !f.matches(p)) {
                return;
            }
            let pipeline = guard.get_or_insert_with(|| self.lock_for_loader());
            pipeline.push(p);
            pipeline.enforce_limit();
            n += 1;
            if n.is_multiple_of(BATCH) {
                if let Some(off) = p.file_offset {
                    self.progress.bytes_read.store(off, Ordering::Relaxed);
                }
                self.progress.packets.store(n, Ordering::Relaxed);
                // Let the screens in between batches.
                guard = None;
                while self.wanted.load(Ordering::Acquire) {
                    std::thread::yield_now();
                }
            }
        });
        drop(guard);
        self.progress.packets.store(n, Ordering::Relaxed);
        self.progress
            .bytes_read
            .store(self.source.len(), Ordering::Relaxed);
        if let Ok(mut s) = self.progress.stopped.lock() {
            *s = outcome.stopped;
        }
        self.progress.done.store(true, Ordering::Release);
    }

    /// The pipeline, for reading the store. A loader that panicked leaves
    /// the data as it was; it is still worth showing.
    pub fn lock(&self) -> MutexGuard<'_, Pipeline> {
        self.wanted.store(true, Ordering::Release);
        let guard = self.pipeline.lock().unwrap_or_else(|e| e.into_inner());
        self.wanted.store(false, Ordering::Release);
        guard
    }

    /// The loader's own lock, which does not make itself wanted.
    fn lock_for_loader(&self) -> MutexGuard<'_, Pipeline> {
        self.pipeline.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn is_loading(&self) -> bool {
        !self.progress.done.load(Ordering::Acquire)
    }

    /// Where and why reading the file stopped early, once it has.
    pub fn stopped(&self) -> Option<StopReason> {
        self.progress.stopped.lock().ok().and_then(|s| s.clone())
    }

    /// A message's bytes read back (file or arena).
    pub fn bytes(&self, store: &CallStore, rec: &MessageRecord) -> Option<Vec<u8>> {
        store.message_bytes(rec, &self.source).ok()
    }
}
