//! The `sipview` command: the binary edge, where library errors become
//! one-line messages and exit codes.

use anyhow::{bail, Context, Result};
use clap::{Parser, ValueEnum};
use sipview::export;
use sipview::load::{load_file, Capture};
use sipview::tui::{self, config::Config, theme::Theme, App, Session};
use sipview::views::filter::Filter;
use sipview::views::{
    escape, explain, flow::Ladder, list, registrations, streams, summary, Format,
};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

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
#[command(name = "sipview", version, about)]
struct Args {
    /// Read packets from a pcap or pcapng file (optionally gzip-compressed).
    #[arg(short = 'I', long = "input", value_name = "FILE")]
    input: Option<PathBuf>,

    /// Print one row per call and exit.
    #[arg(long, group = "mode")]
    list: bool,

    /// Print the ladder of one call (Call-ID, or its index in --list) and exit.
    #[arg(long, value_name = "CALL_ID", group = "mode")]
    flow: Option<String>,

    /// Explain every message of one call (Call-ID or index) and exit.
    #[arg(long, value_name = "CALL_ID", group = "mode")]
    explain: Option<String>,

    /// With --list or --save: only calls whose diagnosis found a problem or a warning.
    #[arg(long)]
    problems: bool,

    /// With --list: only calls matching EXPR (see --help for the grammar)
    ///
    /// Terms side by side are ANDed, `or` between terms ORs (AND binds
    /// tighter), `!` or `not` negates a term, parentheses group.
    /// Case is ignored everywhere unless a regex starts with (?-i).
    ///   alice, "two words"   text in From, To, Call-ID, User-Agent/Server, addresses
    ///   /REGEX/              a regex over the same fields
    ///   FIELD OP VALUE       OP: = != > >= < <= ~ (regex) !~
    ///                        text: method from to callid src dst ua state verdict transport
    ///                        numbers: code (486 or 4xx) msgs duration (s, or 500ms) index
    ///                        severity=problem|warning|normal|ok
    ///   payload~/REGEX/, payload:TEXT   the call's messages as text
    ///   problems             the diagnosis found a problem or a warning
    /// Example: --filter 'method=INVITE (code>=400 or state=cancelled) !from=alice'
    #[arg(
        long,
        value_name = "EXPR",
        verbatim_doc_comment,
        conflicts_with_all = ["flow", "explain", "registrations", "streams", "summary"]
    )]
    filter: Option<String>,

    /// Save every call (or those --problems keeps) to FILE and exit: the
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

    /// Print packet, message and call counts and exit.
    #[arg(long, group = "mode")]
    summary: bool,

    /// Theme of the screens: dark, light, high-contrast, monochrome, or a TOML file.
    #[arg(long, value_name = "NAME|PATH")]
    theme: Option<String>,

    /// Settings file (default: $XDG_CONFIG_HOME/sipview/config.toml).
    #[arg(long, value_name = "PATH")]
    config: Option<PathBuf>,

    /// Print a commented default settings file and exit.
    #[arg(long)]
    print_config_template: bool,

    /// Output format of --list (text, json, csv), --flow, --streams and --summary (text, json).
    #[arg(long, value_enum, default_value = "text")]
    format: FormatArg,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line, the causes joined: never a backtrace.
            let _ = writeln!(std::io::stderr(), "sipview: {}", one_line(&e));
            ExitCode::FAILURE
        }
    }
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
    // A bad expression is reported before the capture is read.
    let filter = match &args.filter {
        Some(expr) => Some(Filter::parse(expr).context("bad filter")?),
        None => None,
    };
    let Some(input) = &args.input else {
        bail!("no capture given: use -I FILE (live capture is not available in this build)");
    };
    let headless = args.list
        || filter.is_some()
        || args.save.is_some()
        || args.summary
        || args.registrations
        || args.streams
        || args.flow.is_some()
        || args.explain.is_some()
        || !std::io::stdout().is_terminal();
    if !headless {
        return run_tui(args, input);
    }
    let capture = load_file(input)?;
    if let Some(stop) = &capture.summary.stopped {
        eprintln!("sipview: warning: {}", summary::truncation_note(stop));
    }
    if let Some(file) = &args.save {
        return save(&capture, args, filter.as_ref(), file);
    }
    let out = if args.summary {
        render_summary(&capture, format)?
    } else if args.registrations {
        let aors = registrations::build(&capture.store, &capture.source);
        match format {
            Format::Json => json(&aors)?,
            Format::Text => registrations::to_text(&aors),
            Format::Csv => bail!("--registrations prints text or json, not csv"),
        }
    } else if args.streams {
        let rows = streams::rows(&capture.media, &capture.store);
        match format {
            Format::Json => json(&rows)?,
            Format::Text => streams::to_text(&rows),
            Format::Csv => bail!("--streams prints text or json, not csv"),
        }
    } else if let Some(id) = &args.flow {
        render_flow(&capture, id, format)?
    } else if let Some(id) = &args.explain {
        render_explain(&capture, id, format)?
    } else {
        render_list(&capture, args.problems, filter.as_ref(), format)?
    };
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(out.as_bytes()) {
        // A closed pipe (`| head`) is not an error worth a message.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.context("cannot write output"),
    }
}

/// The interactive screens; the file loads while the list is already up.
fn run_tui(args: &Args, input: &std::path::Path) -> Result<()> {
    let config = Config::load(args.config.as_deref())?;
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let theme_name = args.theme.as_deref().or(config.theme.as_deref());
    let theme = Theme::load(theme_name, no_color)?;
    let session = Session::open(input)?;
    tui::terminal::run(App::new(session, config, theme)).context("terminal error")
}

fn json<T: serde::Serialize>(value: &T) -> Result<String> {
    Ok(serde_json::to_string_pretty(value)? + "\n")
}

fn render_summary(capture: &Capture, format: Format) -> Result<String> {
    let s = summary::Summary::of(capture);
    match format {
        Format::Json => json(&s),
        Format::Text => Ok(s.to_text()),
        Format::Csv => bail!("--summary prints text or json, not csv"),
    }
}

/// The rows `--problems` and `--filter` keep, with their verdicts.
fn selected_rows(capture: &Capture, problems: bool, filter: Option<&Filter>) -> Vec<list::CallRow> {
    let (store, source) = (&capture.store, &capture.source);
    let mut rows = list::rows_with_media_verdicts(store, Some(&capture.media), source);
    if problems {
        rows.retain(list::CallRow::needs_a_look);
    }
    if let Some(filter) = filter.filter(|f| !f.is_empty()) {
        rows.retain(|row| {
            // The call's messages, read back only if a payload term asks.
            let call = row.index.saturating_sub(1);
            filter.matches(row, &mut || export::call_text(source, store, &[call]))
        });
    }
    rows
}

fn render_list(
    capture: &Capture,
    problems: bool,
    filter: Option<&Filter>,
    format: Format,
) -> Result<String> {
    let rows = selected_rows(capture, problems, filter);
    match format {
        Format::Json => json(&rows),
        Format::Text => Ok(list::to_text(&rows)),
        Format::Csv => Ok(list::to_csv(&rows)?),
    }
}

/// A call by Call-ID, or by its 1-based index in the list.
fn find_call(capture: &Capture, id: &str) -> Result<u32> {
    let store = &capture.store;
    let call = store.call_index(id.as_bytes()).or_else(|| {
        id.parse::<u32>()
            .ok()
            .filter(|&n| n >= 1 && (n as usize) <= store.calls().len())
            .map(|n| n - 1)
    });
    match call {
        Some(c) => Ok(c),
        None => bail!(
            "no call with Call-ID {:?} in {} (see --list)",
            id,
            capture.source.path().display()
        ),
    }
}

fn render_explain(capture: &Capture, id: &str, format: Format) -> Result<String> {
    let call = find_call(capture, id)?;
    let explained = explain::explain_calls_with_media(
        &capture.store,
        Some(&capture.media),
        &capture.source,
        &[call],
    );
    match format {
        Format::Json => json(&explained),
        Format::Text => Ok(explain::to_text(&explained)),
        Format::Csv => bail!("--explain prints text or json, not csv"),
    }
}

fn render_flow(capture: &Capture, id: &str, format: Format) -> Result<String> {
    let store = &capture.store;
    let call = find_call(capture, id)?;
    let ladder = Ladder::build(store, &[call]).with_media(store, &capture.media, &[call]);
    match format {
        Format::Json => json(&ladder),
        Format::Text => Ok(ladder.to_text()),
        Format::Csv => bail!("--flow prints text or json, not csv"),
    }
}

/// `--save`: one line on stderr says what was written.
fn save(capture: &Capture, args: &Args, filter: Option<&Filter>, file: &Path) -> Result<()> {
    let (store, source) = (&capture.store, &capture.source);
    let calls: Vec<u32> = if args.problems || filter.is_some() {
        selected_rows(capture, args.problems, filter)
            .iter()
            .map(|r| r.index.saturating_sub(1))
            .collect()
    } else {
        (0..store.calls().len() as u32).collect()
    };
    let format = args.save_format.unwrap_or_else(|| {
        let pcap = file
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("pcap"));
        if pcap {
            SaveFormat::Pcap
        } else {
            SaveFormat::Text
        }
    });
    let name = file.display().to_string();
    let name = escape::clean(&name);
    let line = match format {
        SaveFormat::Pcap => {
            let r = export::save_pcap(source, store, &calls, file)?;
            let mut line = format!(
                "saved {} packets of {} calls to {name}",
                r.packets_written,
                calls.len()
            );
            if r.skipped_other_link > 0 {
                line += &format!(
                    "; skipped {} packets of another link type (a pcap file holds one; \
                     save as text to keep them)",
                    r.skipped_other_link
                );
            }
            if r.partial_messages > 0 {
                line += &format!(
                    "; {} messages were reassembled from several packets, \
                     only the packet that completed each was saved",
                    r.partial_messages
                );
            }
            line
        }
        SaveFormat::Text => {
            let r = export::save_text(source, store, &calls, file)?;
            format!(
                "saved {} messages of {} calls to {name}",
                r.messages,
                calls.len()
            )
        }
    };
    eprintln!("sipview: {line}");
    Ok(())
}
