//! The terminal side: raw mode, the alternate screen, the event loop. Kept
//! small so everything else can be tested without a terminal.

use super::app::App;
use crossterm::event::{self, DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;
use std::io::{self, Stdout};
use std::time::Duration;

/// Puts the terminal back as it was; safe to call twice.
fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(io::stdout(), LeaveAlternateScreen, DisableMouseCapture);
}

/// Runs the screens until the user quits.
pub fn run(mut app: App) -> io::Result<()> {
    // A panic must not leave the user's terminal in raw mode.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        default_hook(info);
    }));
    enable_raw_mode()?;
    let result = (|| {
        execute!(io::stdout(), EnterAlternateScreen, EnableMouseCapture)?;
        let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
        event_loop(&mut terminal, &mut app)
    })();
    restore();
    result
}

fn event_loop(terminal: &mut Terminal<CrosstermBackend<Stdout>>, app: &mut App) -> io::Result<()> {
    let mut redraw = true;
    let mut was_loading = true;
    let mut drawn_version = None;
    while !app.quit {
        let loading = app.session.is_loading();
        if was_loading && !loading {
            // The last batch may have come while a rebuild was held back.
            app.list.invalidate();
        }
        // While reading, draw only when something new arrived (an idle
        // live capture costs nothing); once more after it ends.
        let version = app.data_version();
        let grew = loading && drawn_version != Some(version) && !app.paused;
        if redraw || grew || (was_loading && !loading) {
            terminal.draw(|f| app.draw(f))?;
            drawn_version = Some(version);
        }
        was_loading = loading;
        // While a file loads the screen refreshes five times a second;
        // afterwards it sleeps until a key, a click or a resize.
        let wait = if loading {
            Duration::from_millis(200)
        } else {
            Duration::from_secs(3600)
        };
        redraw = false;
        if event::poll(wait)? {
            let ev = event::read()?;
            redraw = app.handle(&ev);
            // Drain what is already queued so held keys do not lag behind.
            while event::poll(Duration::ZERO)? {
                let ev = event::read()?;
                redraw |= app.handle(&ev);
                if app.quit {
                    break;
                }
            }
        }
    }
    Ok(())
}
