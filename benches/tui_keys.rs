//! How fast the screens answer keys while a big capture loads and after:
//! each sample is one key handled plus one full redraw on a 160x40
//! TestBackend (the work a real terminal frame costs, minus the tty write).
//!
//! Usage: cargo bench --bench tui_keys -- FILE
//! (FILE defaults to $SIPVIEW_BENCH_FILE; make one with
//! scripts/bench/make-big-capture.sh).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use sipview::tui::config::Config;
use sipview::tui::theme::Theme;
use sipview::tui::{App, Session};
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i]
}

fn report(what: &str, mut samples: Vec<Duration>) {
    samples.sort();
    println!(
        "{what:<34} n={:<6} p50={:>8.2?} p95={:>8.2?} p99={:>8.2?} max={:>8.2?}",
        samples.len(),
        percentile(&samples, 0.5),
        percentile(&samples, 0.95),
        percentile(&samples, 0.99),
        samples.last().copied().unwrap_or_default()
    );
}

fn main() {
    let file = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("SIPVIEW_BENCH_FILE").map(PathBuf::from));
    let Some(file) = file.filter(|f| f.exists()) else {
        println!("tui_keys: no capture given (cargo bench --bench tui_keys -- FILE); skipped");
        return;
    };
    let started = Instant::now();
    let session = Session::open(&file, None).expect("capture opens");
    let mut app = App::new(session.clone(), Config::default(), Theme::monochrome());
    let mut term = Terminal::new(TestBackend::new(160, 40)).expect("terminal");
    let key = |app: &mut App, code: KeyCode| app.key(KeyEvent::new(code, KeyModifiers::NONE));

    let mut during = Vec::new();
    let mut first_calls = None;
    while session.is_loading() {
        let t = Instant::now();
        key(&mut app, KeyCode::Down);
        term.draw(|f| app.draw(f)).expect("draw");
        during.push(t.elapsed());
        if first_calls.is_none() && !app.list.order.is_empty() {
            first_calls = Some(started.elapsed());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let loaded = started.elapsed();
    let calls = session.lock().store.calls().len();
    println!(
        "file {} : {calls} calls loaded in {loaded:.2?}, first rows on screen after {:.2?}",
        file.display(),
        first_calls.unwrap_or_default()
    );
    report("key+draw while loading", during);

    let mut scroll = Vec::new();
    for i in 0..400 {
        let t = Instant::now();
        key(
            &mut app,
            if i % 2 == 0 {
                KeyCode::PageDown
            } else {
                KeyCode::Down
            },
        );
        term.draw(|f| app.draw(f)).expect("draw");
        scroll.push(t.elapsed());
    }
    report("scroll (PgDn/Down) after load", scroll);

    let t = Instant::now();
    for c in "/busy".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    term.draw(|f| app.draw(f)).expect("draw");
    println!(
        "{:<34} {:.2?} ({} of {calls} calls shown)",
        "type a 4-letter search + draw",
        t.elapsed(),
        app.list.order.len()
    );
    key(&mut app, KeyCode::Esc);

    let mut flow = Vec::new();
    for _ in 0..50 {
        let t = Instant::now();
        key(&mut app, KeyCode::Enter);
        term.draw(|f| app.draw(f)).expect("draw");
        key(&mut app, KeyCode::Char('q'));
        term.draw(|f| app.draw(f)).expect("draw");
        key(&mut app, KeyCode::Down);
        flow.push(t.elapsed());
    }
    report("open ladder + back + draw x2", flow);
}
