//! Copy to the clipboard: the system clipboard (arboard) when a display is
//! reachable, else the OSC 52 escape, which the terminal (and tmux with
//! `set-clipboard on`) turns into a clipboard write on the user's side of SSH.

use crossterm::clipboard::CopyToClipboard;
use std::cell::RefCell;
use std::io::Write;

thread_local! {
    // On X11 the copied text lives as long as its owner: keep the clipboard
    // open for the whole session.
    static SYSTEM: RefCell<Option<arboard::Clipboard>> = const { RefCell::new(None) };
}

/// How the text was copied, said on screen.
pub fn copy(text: &str) -> Result<&'static str, String> {
    let display =
        std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some();
    if display {
        let copied = SYSTEM.with(|slot| {
            let mut slot = slot.borrow_mut();
            if slot.is_none() {
                *slot = arboard::Clipboard::new().ok();
            }
            slot.as_mut()
                .is_some_and(|cb| cb.set_text(text.to_owned()).is_ok())
        });
        if copied {
            return Ok("system clipboard");
        }
    }
    let mut out = std::io::stdout();
    crossterm::execute!(out, CopyToClipboard::to_clipboard_from(text.as_bytes()))
        .and_then(|()| out.flush())
        .map(|()| "OSC 52 (terminal clipboard)")
        .map_err(|e| format!("could not copy: {e}"))
}
