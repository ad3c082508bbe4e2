//! The `sipview` command: the binary edge, where library errors become
//! one-line messages and exit codes.

use anyhow::{bail, Context, Result};
use clap::{Parser, ValueEnum};
use sipview::capture::{
    check_filter, drop_root, expand_inputs, set_inflate_cap, LiveCapture, REOPEN_OUTPUT,
};
use sipview::decode::{TunnelPorts, MAX_TUNNEL_PORTS};
use sipview::export;
use sipview::hep::{parse_endpoint, HepListener, HepSender, ReceiveStats, SendStats};
use sipview::limit::{default_memory_budget, ByteSize};
use sipview::live;
use sipview::load::{hep_tap, load_files_tapped, Capture, Limit, MessageTap};
use sipview::tui::{self, config::Config, theme::Theme, App, Session};
use sipview::views::columns::Column;
use sipview::views::filter::Filter;
use sipview::views::report::{self, Report};
use sipview::views::selection::Selection;
use sipview::views::{escape, streams, summary, Format};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Text,
    Json,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SaveFormat {
    Pcap,
    Text,
}

/// Terminal SIP call-flow browser: calls grouped by Call-ID, ladders, explanations.
#[derive(Debug, Parser)]
#[command(name = "sipview", version, about, after_help = SNGREP_OPTIONS)]
struct Args {
    /// Read packets from a pcap or pcapng file (optionally gzip-compressed).
    /// Give -I again, a directory or a quoted pattern ('dir/*.pcap') to read
    /// several files as one capture, in time order (a tcpdump -C / -G
    /// rotation, captures of several boxes).
    #[arg(
        short = 'I',
        long = "input",
        value_name = "FILE",
        conflicts_with = "interface"
    )]
    input: Vec<PathBuf>,

    /// Capture live on a device, `any`, or a comma-separated list (the
    /// default when no -I is given is `any`, like sngrep).
    /// (`-d DEV`, sngrep's spelling, works too.)
    #[arg(short = 'i', short_alias = 'd', long = "interface", value_name = "DEV")]
    interface: Option<String>,

    /// A capture filter in tcpdump syntax, for -i and -I alike:
    /// `sipview -i eth0 port 5060 or port 5080`.
    #[arg(value_name = "BPF", trailing_var_arg = true)]
    bpf: Vec<String>,

    /// Read UDP to PORT as VXLAN (default 4789); give it again for more
    /// ports (at most 4), e.g. Linux's old default 8472.
    #[arg(long = "vxlan-port", value_name = "PORT")]
    vxlan_port: Vec<u16>,

    /// Read UDP to PORT as Geneve (default 6081), as --vxlan-port.
    #[arg(long = "geneve-port", value_name = "PORT")]
    geneve_port: Vec<u16>,

    /// Live: also write every captured packet to FILE (pcap) as it arrives;
    /// SIGUSR1 closes and reopens it (log rotation).
    #[arg(
        short = 'O',
        long = "output",
        value_name = "FILE",
        requires = "interface"
    )]
    output: Option<PathBuf>,

    /// Keep at most N SIP messages; then new packets are ignored (or, with
    /// -R, the oldest calls are forgotten). Default: 200000 live, no limit
    /// for files.
    #[arg(short = 'l', long = "limit", value_name = "N")]
    limit: Option<usize>,

    /// Hold at most SIZE (e.g. 512M, 2G) of messages, calls, media and
    /// reassembly buffers, live and from files; at it, as at -l. The
    /// default is a quarter of this machine's memory.
    #[arg(long = "max-memory", value_name = "SIZE", default_value_t = ByteSize(default_memory_budget()))]
    max_memory: ByteSize,

    /// At -l or --max-memory, forget the oldest calls (keep the newest)
    /// instead of ignoring what comes next (keep the oldest).
    #[arg(short = 'R', long = "rotate")]
    rotate: bool,

    /// Live, no screens: print one line per SIP message as it is seen.
    #[arg(short = 'N', long = "no-interface")]
    no_interface: bool,

    /// Only INVITE dialogs (calls), as sngrep's -c: on the screens and in
    /// every headless view, as --filter.
    #[arg(short = 'c', long = "calls-only")]
    calls_only: bool,

    /// Quiet, as sngrep's -q: with -N no line per message; notes and
    /// warnings on stderr are left out too (errors are not).
    #[arg(short = 'q', long = "quiet")]
    quiet: bool,

    /// Live: stop after SECONDS (then --list, --summary, ... print).
    #[arg(long, value_name = "SECONDS")]
    stop_after: Option<f64>,

    /// Live, when started as root: the user to switch to once the capture
    /// is open (default `nobody` when it exists).
    #[arg(long, value_name = "USER")]
    run_as: Option<String>,

    /// Receive HEP v3/v2 on udp:ADDR:PORT (from heplify, Kamailio's
    /// siptrace, sipview -H) and show the SIP in it like a live capture.
    #[arg(
        short = 'L',
        long = "hep-listen",
        value_name = "udp:ADDR:PORT",
        conflicts_with_all = ["input", "interface"]
    )]
    hep_listen: Option<String>,

    /// Send every SIP message read (file, device or HEP) as HEP v3 to
    /// udp:ADDR:PORT, such as a HOMER collector.
    #[arg(short = 'H', long = "hep-send", value_name = "udp:ADDR:PORT")]
    hep_send: Option<String>,

    /// With -H: the capture agent id sent in each HEP packet.
    #[arg(long, value_name = "N", default_value_t = 2001, requires = "hep_send")]
    hep_id: u32,

    /// With -H: the HEP authentication key (sent in clear, as HEP does).
    #[arg(long, value_name = "PASSWORD", requires = "hep_send")]
    hep_password: Option<String>,

    /// Print one row per call and exit.
    #[arg(long, group = "mode")]
    list: bool,

    /// With --list: the columns, comma-separated, by the names of the
    /// settings file (index, from, to, src, dst, state, verdict, mos, ...);
    /// text shows IDX to CALL-ID by default, CSV every column.
    #[arg(long, value_name = "COLUMNS", value_parser = parse_columns)]
    columns: Option<Columns>,

    /// Print the ladder of a call (Call-ID, or its index in --list) and
    /// exit; several, comma-separated, are drawn as one ladder (as marked
    /// calls on the screens); none: a ladder per call --filter keeps.
    #[arg(long, value_name = "CALL_ID", group = "mode", num_args = 0..=1, default_missing_value = "")]
    flow: Option<String>,

    /// Explain every message of a call (Call-ID or index) and exit; several
    /// and none as --flow.
    #[arg(long, value_name = "CALL_ID", group = "mode", num_args = 0..=1, default_missing_value = "")]
    explain: Option<String>,

    /// Only calls whose diagnosis found a problem or a warning, in every
    /// view (as the list's `!`).
    #[arg(long)]
    problems: bool,

    /// Only calls matching EXPR, in every view: --list, --flow, --explain,
    /// --streams, --registrations, --summary, --save; on the screens, the
    /// list starts filtered (see --help for the grammar)
    ///
    /// Terms side by side are ANDed, `or` between terms ORs (AND binds
    /// tighter), `!` or `not` negates a term, parentheses group.
    /// Case is ignored everywhere unless a regex starts with (?-i).
    ///   alice, "two words"   text in From, To, Call-ID, User-Agent/Server, addresses
    ///   /REGEX/              a regex over the same fields
    ///   FIELD OP VALUE       OP: = != > >= < <= ~ (regex) !~
    ///                        text: method from to callid src dst ua state verdict transport
    ///                        numbers: code (486 or 4xx) msgs duration (s, or 500ms) index
    ///                        media: rtp (packets) loss (%) jitter (ms) codec dtmf
    ///                        severity=problem|warning|info|normal|ok
    ///   payload~/REGEX/, payload:TEXT   the call's messages as text
    ///   problems             the diagnosis found a problem or a warning
    /// Example: --filter 'method=INVITE (code>=400 or state=cancelled) !from=alice'
    #[arg(long, value_name = "EXPR", verbatim_doc_comment)]
    filter: Option<String>,

    /// Save every call (or those --filter, --problems, -c keep) to FILE and exit: the
    /// original packets as pcap if FILE ends in .pcap, the messages as text
    /// otherwise.
    #[arg(long, value_name = "FILE", group = "mode")]
    save: Option<PathBuf>,

    /// Format of --save, whatever FILE's name.
    #[arg(long, value_enum, value_name = "FORMAT", requires = "save")]
    save_format: Option<SaveFormat>,

    /// Print every address of record with the timeline of its REGISTERs and exit.
    #[arg(long, group = "mode")]
    registrations: bool,

    /// Print every RTP stream (addresses, SSRC, codec, packets, loss,
    /// jitter, DTMF digits, call) and exit.
    #[arg(long, group = "mode")]
    streams: bool,

    /// Write the audio of one call (Call-ID or index) as a WAV file (-o):
    /// stereo, the caller's direction left and the callee's right, placed on
    /// the call's timeline (silence for loss, gaps and hold). G.711, G.722, Opus.
    #[arg(long, value_name = "CALL_ID", group = "mode", requires = "audio_out")]
    audio: Option<String>,

    /// With --audio: the WAV file to write.
    #[arg(
        short = 'o',
        long = "audio-out",
        value_name = "FILE",
        requires = "audio"
    )]
    audio_out: Option<PathBuf>,

    /// With --audio: only this stream (its IDX in --streams), mono.
    #[arg(long, value_name = "N", requires = "audio")]
    stream: Option<usize>,

    /// Print packet, message and call counts and exit.
    #[arg(long, group = "mode")]
    summary: bool,

    /// Theme of the screens: dark, light, high-contrast, monochrome, or a TOML file.
    #[arg(long, value_name = "NAME|PATH")]
    theme: Option<String>,

    /// Settings file (default: $XDG_CONFIG_HOME/sipview/config.toml); `-f`
    /// as sngrep, but the file is sipview's TOML (--print-config-template),
    /// not a sngreprc.
    #[arg(short = 'f', long, value_name = "PATH", conflicts_with = "no_config")]
    config: Option<PathBuf>,

    /// Do not read the default settings file, as sngrep's -F.
    #[arg(short = 'F', long)]
    no_config: bool,

    /// Print the settings in effect (file, columns, keys that differ) and
    /// exit, as sngrep's -D.
    #[arg(short = 'D', long)]
    dump_config: bool,

    /// Live: the kernel's capture buffer per device, in MiB (sngrep's -B;
    /// default 32, sngrep's 2 drops packets at a few thousand calls/s).
    #[arg(short = 'B', long = "buffer", value_name = "MB", default_value_t = 32,
          value_parser = clap::value_parser!(u32).range(1..=2047))]
    buffer_mb: u32,

    /// Accepted for sngrep's -r (capture RTP): sipview always follows the
    /// calls' RTP and --save / S write it with the calls.
    #[arg(short = 'r', long = "rtp", hide_short_help = true)]
    rtp: bool,

    /// Print a commented default settings file and exit.
    #[arg(long)]
    print_config_template: bool,

    /// Exit with 3 (after the output) when the capture is damaged and was
    /// read only up to the damage; without it such a run exits 0 with a
    /// warning on stderr.
    #[arg(long)]
    strict: bool,

    /// The most a gzip-compressed capture may inflate to, in bytes (K, M, G
    /// suffixes); the default is the free space of the temporary folder
    /// less 1 GiB.
    #[arg(long = "max-inflate", value_name = "BYTES", value_parser = parse_size)]
    max_inflate: Option<u64>,

    /// Output format of --list (text, json, csv), --flow, --streams and --summary (text, json).
    #[arg(long, value_enum, default_value = "text")]
    format: FormatArg,
}

/// Where sngrep's options mean something else here, for `--help`.
const SNGREP_OPTIONS: &str = "\
sngrep's options: -I -O -d -c -l -R -N -q -H -L -f -F -D -B -r work as in sngrep, with these differences:
  -i DEV   is the capture device (tcpdump's spelling); sngrep's -i (ignore case) is not needed: filters ignore case unless a regex starts with (?-i)
  -l N     counts SIP messages, not dialogs (and --max-memory bounds bytes)
  -v and a <match expression>: use --filter ('!payload~/REGEX/' inverts); words after the options are a BPF filter, as in tcpdump
  -E (HEP inside a capture) and -k (TLS keyfile) are not supported: receive HEP with -L, and capture SIP where it is in clear (behind the TLS proxy)";

/// Set when the capture file was damaged (reading stopped early), for
/// `--strict`'s exit code.
static DAMAGED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn main() -> ExitCode {
    let args = Args::parse();
    // clap's `requires` does not see a flag that is off by default.
    if args.columns.is_some() && !args.list {
        use clap::CommandFactory;
        Args::command()
            .error(
                clap::error::ErrorKind::MissingRequiredArgument,
                "--columns picks the columns of --list: give --list too",
            )
            .exit();
    }
    match run(&args) {
        Ok(()) if args.strict && DAMAGED.load(std::sync::atomic::Ordering::Relaxed) => {
            ExitCode::from(3)
        }
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line, the causes joined: never a backtrace.
            let _ = writeln!(std::io::stderr(), "sipview: {}", one_line(&e));
            ExitCode::FAILURE
        }
    }
}

/// `--columns`' list.
#[derive(Debug, Clone)]
struct Columns(Vec<Column>);

fn parse_columns(s: &str) -> Result<Columns, String> {
    sipview::views::columns::parse_list(s).map(Columns)
}

/// A size in bytes, with an optional K, M or G (powers of 1024).
fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (digits, shift) = match s.char_indices().last() {
        Some((i, 'k' | 'K')) => (&s[..i], 10),
        Some((i, 'm' | 'M')) => (&s[..i], 20),
        Some((i, 'g' | 'G')) => (&s[..i], 30),
        _ => (s, 0),
    };
    let n: u64 = digits.parse().map_err(|_| format!("not a size: {s:?}"))?;
    n.checked_mul(1u64 << shift)
        .ok_or_else(|| format!("too large: {s:?}"))
}

fn one_line(e: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in e.chain() {
        let s = cause.to_string();
        if !parts.iter().any(|p| p.contains(&s)) {
            parts.push(s);
        }
    }
    sipview::views::escape::clean(&parts.join(": ")).into_owned()
}

fn run(args: &Args) -> Result<()> {
    let format = match args.format {
        FormatArg::Text => Format::Text,
        FormatArg::Json => Format::Json,
        FormatArg::Csv => Format::Csv,
    };
    if args.print_config_template {
        print!("{}", Config::template());
        return Ok(());
    }
    if args.dump_config {
        let config = load_config(args)?;
        for line in config.describe().lines() {
            println!("{}", escape::clean(line));
        }
        return Ok(());
    }
    let ports = TunnelPorts::new(&args.vxlan_port, &args.geneve_port).with_context(|| {
        format!("bad --vxlan-port / --geneve-port: at most {MAX_TUNNEL_PORTS} of each, none 0")
    })?;
    ports.configure();
    if let Some(cap) = args.max_inflate {
        set_inflate_cap(cap);
    }
    // A bad expression is reported before the capture is read.
    let selection = Selection {
        filter: args
            .filter
            .as_deref()
            .map(Filter::parse)
            .transpose()
            .context("bad filter")?,
        method: args.calls_only.then(|| "INVITE".to_owned()),
        problems_only: args.problems,
        hidden_methods: Vec::new(),
    };
    let bpf = (!args.bpf.is_empty()).then(|| args.bpf.join(" "));
    if let Some(f) = &bpf {
        check_filter(f)?;
    }
    let headless = args.list
        || args.save.is_some()
        || args.summary
        || args.registrations
        || args.streams
        || args.audio.is_some()
        || args.flow.is_some()
        || args.explain.is_some()
        || args.no_interface
        || !std::io::stdout().is_terminal();
    let (tap, sent) = hep_sender(args)?;
    let mut received = None;
    // Never dropped: freeing a store of 100,000 calls piece by piece took
    // about a tenth of the run, and the process ends right after printing.
    let inputs = expand_inputs(&args.input)?;
    let capture = std::mem::ManuallyDrop::new(match inputs.is_empty() {
        false if !headless => {
            let screens = Screens::load(args, selection)?;
            let limit = capture_limit(args, false);
            return run_tui(screens, Session::open_tapped(&inputs, bpf, tap, limit)?);
        }
        false => load_files_tapped(&inputs, bpf.as_deref(), tap, capture_limit(args, false))?,
        true => {
            // Read before root is given up: the files are in root's home.
            let screens = (!headless)
                .then(|| Screens::load(args, selection.clone()))
                .transpose()?;
            let session = match &args.hep_listen {
                Some(spec) => {
                    let (session, stats) = start_hep(args, spec, bpf, tap, headless)?;
                    received = Some(stats);
                    session
                }
                None => start_live(args, bpf.as_deref(), tap)?,
            };
            if let Some(screens) = screens {
                return run_tui(screens, session);
            }
            run_live_headless(args, session)?
        }
    });
    if !args.quiet {
        report_hep(received.as_deref(), sent.as_ref());
    }
    if let Some(stop) = &capture.summary.stopped {
        DAMAGED.store(true, std::sync::atomic::Ordering::Relaxed);
        eprintln!("sipview: warning: {}", summary::truncation_note(stop));
    }
    if let Some(line) = capture.summary.left_out.line() {
        eprintln!("sipview: warning: {line}");
    }
    if args.no_interface
        && !(args.list || args.summary || args.registrations || args.save.is_some())
    {
        return Ok(());
    }
    if let Some(file) = &args.save {
        return save(&capture, args, &selection, file);
    }
    if let (Some(id), Some(file)) = (&args.audio, &args.audio_out) {
        return audio(&capture, id, args.stream, file);
    }
    let report = if args.summary {
        Report::Summary
    } else if args.registrations {
        Report::Registrations
    } else if args.streams {
        Report::Streams
    } else if let Some(ids) = &args.flow {
        Report::Flow(Some(ids.clone()).filter(|s| !s.is_empty()))
    } else if let Some(ids) = &args.explain {
        Report::Explain(Some(ids.clone()).filter(|s| !s.is_empty()))
    } else {
        Report::List(args.columns.clone().map(|c| c.0).unwrap_or_default())
    };
    let out = report::render(&capture, &report, &selection, format)?;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(out.as_bytes()) {
        // A closed pipe (`| head`) is not an error worth a message.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.context("cannot write output"),
    }
}

/// The interactive screens; the file loads (or the capture runs) while
/// the list is already up.
fn run_tui(screens: Screens, session: Arc<Session>) -> Result<()> {
    let Screens {
        config,
        theme,
        selection,
        filter_text,
    } = screens;
    let mut app = App::new(Arc::clone(&session), config, theme);
    app.list.start_with(selection, filter_text);
    let result = tui::terminal::run(app);
    session.stop.store(true, Ordering::Relaxed);
    result.context("terminal error")
}

/// The settings and theme of the screens.
struct Screens {
    config: Config,
    theme: Theme,
    /// `-c`, `--filter`, `--problems`: what the list starts with.
    selection: Selection,
    filter_text: String,
}

impl Screens {
    fn load(args: &Args, selection: Selection) -> Result<Screens> {
        let config = load_config(args)?;
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let theme_name = args.theme.as_deref().or(config.theme.as_deref());
        let theme = Theme::load(theme_name, no_color)?;
        Ok(Screens {
            config,
            theme,
            selection,
            filter_text: args.filter.clone().unwrap_or_default(),
        })
    }
}

/// The settings: `--config FILE`, none with `-F`, else the default file.
fn load_config(args: &Args) -> Result<Config> {
    if args.no_config {
        return Ok(Config::default());
    }
    Ok(Config::load(args.config.as_deref())?)
}

/// Opens the devices, gives up root, and starts the capture threads.
fn start_live(args: &Args, bpf: Option<&str>, tap: Option<MessageTap>) -> Result<Arc<Session>> {
    let devices: Vec<String> = args
        .interface
        .as_deref()
        .unwrap_or("any")
        .split(',')
        .map(|d| d.trim().to_owned())
        .filter(|d| !d.is_empty())
        .collect();
    let buffer = args.buffer_mb.saturating_mul(1 << 20);
    let live = LiveCapture::open(&devices, bpf, args.output.as_deref(), buffer)?;
    // Packets are parsed from here on: not as root.
    if let Some(user) = drop_root(args.run_as.as_deref())? {
        if args.no_interface && !args.quiet {
            eprintln!("sipview: capturing on {} as user {user}", devices.join(","));
        }
    }
    let limit = capture_limit(args, true);
    // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
    unsafe {
        signal_hook::low_level::register(signal_hook::consts::SIGUSR1, || {
            REOPEN_OUTPUT.store(true, Ordering::Relaxed)
        })
    }
    .context("cannot handle SIGUSR1")?;
    Session::live_tapped(live.into_readers(), limit, tap).context("cannot start capture threads")
}

/// What a capture may hold: `-l` (by default only live), `--max-memory`, `-R`.
fn capture_limit(args: &Args, live: bool) -> Limit {
    const LIVE_MESSAGES: usize = 200_000;
    let messages = match (args.limit, live) {
        (Some(n), _) => n.max(1),
        (None, true) => LIVE_MESSAGES,
        (None, false) => usize::MAX,
    };
    Limit {
        messages,
        bytes: args.max_memory.0.max(1),
        rotate: args.rotate,
    }
}

/// Live without screens: `-N` lines while capturing, then the views.
fn run_live_headless(args: &Args, session: Arc<Session>) -> Result<Capture> {
    let interrupted = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(sig, Arc::clone(&interrupted))
            .context("cannot handle signals")?;
    }
    let watcher = Arc::clone(&session);
    let stopper = std::thread::spawn(move || {
        while !interrupted.load(Ordering::Relaxed) && watcher.is_loading() {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        watcher.stop.store(true, Ordering::Relaxed);
    });
    let stop_after = args
        .stop_after
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(std::time::Duration::from_secs_f64);
    let mut stdout = std::io::stdout();
    let lines = match (args.no_interface && !args.quiet, args.format) {
        (false, _) => live::Lines::None,
        (true, FormatArg::Json) => live::Lines::Json,
        (true, _) => live::Lines::Text,
    };
    live::watch(&session, stop_after, lines, &mut stdout).context("cannot write output")?;
    let _ = stopper.join();
    {
        let pipeline = session.lock();
        let stats = session
            .live_stats
            .lock()
            .map(|s| s.clone())
            .unwrap_or_default();
        let kernel: u32 = stats.iter().map(|s| s.dropped + s.if_dropped).sum();
        if !args.quiet {
            eprintln!(
            "sipview: captured {} packets on {}: {} SIP messages, {} calls; kernel dropped {kernel}; {} dropped with sipview behind; {} ignored at the limit, {} calls rotated out",
            session.progress.packets.load(Ordering::Relaxed),
            session.origin.devices().join(","),
            pipeline.store.messages().len(),
            pipeline.store.calls().len(),
            session.queue_dropped(),
            pipeline.dropped_packets,
            pipeline.rotated_calls,
            );
        }
    }
    live::into_capture(session).map_err(|_| anyhow::anyhow!("capture threads did not stop"))
}

/// `--save`: one line on stderr says what was written.
fn save(capture: &Capture, args: &Args, selection: &Selection, file: &Path) -> Result<()> {
    let view = capture.view();
    let calls = selection.calls(&view);
    let format = match args.save_format {
        Some(SaveFormat::Pcap) => export::SaveAs::Pcap,
        Some(SaveFormat::Text) => export::SaveAs::Text,
        None => export::SaveAs::from_name(file),
    };
    let line = export::save_calls(&view, &calls, file, format)?;
    eprintln!("sipview: {line}");
    Ok(())
}

/// `--audio`: the WAV written, one line on stderr (and one per stream left out).
fn audio(capture: &Capture, id: &str, stream: Option<usize>, file: &Path) -> Result<()> {
    let call = report::find_call(&capture.view(), id)?;
    let streams = streams::numbered_of_call(&capture.media, call);
    let selection = match stream {
        Some(n) if !streams.iter().any(|(i, _)| *i == n) => {
            bail!("stream {n} is not one of call {id:?}'s streams (see --streams)")
        }
        Some(n) => export::AudioSelection::Stream(n),
        None => export::AudioSelection::Call,
    };
    if streams.is_empty() {
        bail!("call {id:?} has no RTP stream in {}", capture.origin.name());
    }
    let r = export::save_audio(
        &capture.source,
        &capture.media,
        call,
        &streams,
        selection,
        file,
    )?;
    for line in &r.left_out {
        eprintln!("sipview: {line}");
    }
    let name = file.display().to_string();
    eprintln!(
        "sipview: wrote {:.1} s of audio ({}, {} Hz) from {} packets of stream(s) {} to {}",
        r.seconds(),
        if r.channels == 2 {
            "stereo: left the caller, right the callee"
        } else {
            "mono"
        },
        r.sample_rate,
        r.packets_written,
        r.streams_written
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        escape::clean(&name)
    );
    if r.streams_written.is_empty() {
        bail!("no stream of call {id:?} could be decoded");
    }
    Ok(())
}

/// Where `-H` sends, and its counters.
type HepSent = (String, Arc<SendStats>);

/// `-H`: a tap sending every message, and where it sends with its counters.
fn hep_sender(args: &Args) -> Result<(Option<MessageTap>, Option<HepSent>)> {
    let Some(spec) = &args.hep_send else {
        return Ok((None, None));
    };
    let dest = parse_endpoint(spec)?;
    let sender = HepSender::new(dest, args.hep_id, args.hep_password.as_deref())?;
    let stats = sender.stats();
    Ok((Some(hep_tap(sender)), Some((spec.clone(), stats))))
}

/// `-L`: binds the socket, gives up root, and starts the receiving thread.
fn start_hep(
    args: &Args,
    spec: &str,
    bpf: Option<String>,
    tap: Option<MessageTap>,
    headless: bool,
) -> Result<(Arc<Session>, Arc<ReceiveStats>)> {
    let listener = HepListener::bind(parse_endpoint(spec)?)?;
    let at = listener.local_addr();
    // HEP packets are parsed from here on: not as root.
    drop_root(args.run_as.as_deref())?;
    let stats = listener.stats();
    let limit = capture_limit(args, true);
    let session =
        Session::hep(listener, bpf, limit, tap).context("cannot start the HEP receiver")?;
    if headless && !args.quiet {
        eprintln!("sipview: listening for HEP on udp:{at}");
    }
    Ok((session, stats))
}

/// One line on stderr each for what -L received and -H sent.
fn report_hep(received: Option<&ReceiveStats>, sent: Option<&HepSent>) {
    if let Some(r) = received {
        let bad = r.bad.load(Ordering::Relaxed);
        let last = r.last_error().filter(|_| bad > 0);
        eprintln!(
            "sipview: HEP received: {} datagrams, {} SIP, {} of other types skipped, {bad} not HEP or damaged{}",
            r.datagrams.load(Ordering::Relaxed),
            r.sip.load(Ordering::Relaxed),
            r.other_types.load(Ordering::Relaxed),
            last.map(|e| format!(" (last: {})", escape::clean(&e))).unwrap_or_default(),
        );
    }
    if let Some((to, s)) = sent {
        let failed = s.failed.load(Ordering::Relaxed);
        let last = s.last_error().filter(|_| failed > 0);
        eprintln!(
            "sipview: HEP sent to {to}: {} SIP messages, {failed} failed{}",
            s.sent.load(Ordering::Relaxed),
            last.map(|e| format!(" (last: {e})")).unwrap_or_default(),
        );
    }
}
