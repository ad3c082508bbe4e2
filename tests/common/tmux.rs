//! The real binary in a real terminal: tmux sessions driven with send-keys
//! and read with capture-pane.
#![allow(dead_code)]

use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

pub struct Tmux {
    session: String,
}

impl Tmux {
    pub fn start(args: &[&str]) -> Tmux {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let session = format!("sipview-test-{}-{n}", std::process::id());
        let bin = env!("CARGO_BIN_EXE_sipview");
        let mut cmd = vec![bin.to_owned()];
        cmd.extend(args.iter().map(|s| s.to_string()));
        let status = Command::new("tmux")
            .args(["new-session", "-d", "-s", &session, "-x", "160", "-y", "40"])
            .arg(cmd.join(" "))
            .env("TERM", "xterm-256color")
            .status()
            .expect("tmux must be installed (scripts/test.sh installs it)");
        assert!(status.success(), "tmux new-session failed");
        // Let programs set tmux's clipboard with OSC 52, as over SSH.
        let _ = Command::new("tmux")
            .args(["set-option", "-g", "set-clipboard", "on"])
            .status();
        Tmux { session }
    }

    /// What the session's terminal put on tmux's clipboard (OSC 52, with
    /// `set-clipboard on`), as `tmux show-buffer` prints it.
    pub fn clipboard(&self) -> String {
        let out = Command::new("tmux")
            .args(["show-buffer"])
            .output()
            .expect("tmux show-buffer");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn keys(&self, keys: &[&str]) {
        let status = Command::new("tmux")
            .args(["send-keys", "-t", &self.session])
            .args(keys)
            .status()
            .expect("tmux send-keys");
        assert!(status.success());
    }

    /// Literal text (no key names).
    pub fn type_text(&self, text: &str) {
        let status = Command::new("tmux")
            .args(["send-keys", "-l", "-t", &self.session, text])
            .status()
            .expect("tmux send-keys");
        assert!(status.success());
    }

    pub fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &self.session])
            .output()
            .expect("tmux capture-pane");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits until the screen shows `text` (the binary draws asynchronously).
    pub fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(text) {
                return s;
            }
            if start.elapsed() > Duration::from_secs(10) {
                panic!("screen never showed {text:?}:\n{s}");
            }
            sleep(Duration::from_millis(50));
        }
    }

    pub fn alive(&self) -> bool {
        Command::new("tmux")
            .args(["has-session", "-t", &self.session])
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.session])
            .stderr(std::process::Stdio::null())
            .status();
    }
}
