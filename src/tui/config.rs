//! User settings of the interactive screens, read from a TOML file.
//!
//! Every key is optional; [`Config::template`] is the commented default
//! file that `--print-config-template` prints.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::theme::{at, line_at, toml_error_parts, Theme};

pub use crate::views::columns::Column;

/// How the ladder shows message times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeFormat {
    /// Wall-clock time of each message.
    Absolute,
    /// Time since the previous message of the call.
    SincePrevious,
    /// Time since the call's first message.
    SinceFirst,
}

impl TimeFormat {
    /// The config file's word: "absolute", "delta" or "first".
    pub fn name(self) -> &'static str {
        match self {
            TimeFormat::Absolute => "absolute",
            TimeFormat::SincePrevious => "delta",
            TimeFormat::SinceFirst => "first",
        }
    }

    pub fn parse(s: &str) -> Option<TimeFormat> {
        [
            TimeFormat::Absolute,
            TimeFormat::SincePrevious,
            TimeFormat::SinceFirst,
        ]
        .into_iter()
        .find(|t| t.name().eq_ignore_ascii_case(s))
    }
}

/// Settings of the interactive screens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Theme name or path, as for `--theme`; None = the default theme.
    pub theme: Option<String>,
    pub columns: Vec<Column>,
    pub time_format: TimeFormat,
    /// user names for addresses: "10.0.0.5" or "10.0.0.5:5060" -> "pbx"
    pub host_names: Vec<(String, String)>,
    /// methods hidden from ladders and the list by default, e.g. ["OPTIONS"]
    pub hide_methods: Vec<String>,
    /// merge addresses into one ladder column: ("pbx", ["10.0.0.5", "192.0.2.7"])
    pub merge_hosts: Vec<(String, Vec<String>)>,
    /// ladder/detail split, default 55
    pub split_percent: u16,
    /// ask before quitting a live capture, default true
    pub confirm_quit: bool,
    /// The file these settings were read from; None: the defaults.
    pub file: Option<PathBuf>,
}

/// The range accepted for `split`: beyond it one pane is too narrow to use.
const SPLIT_RANGE: std::ops::RangeInclusive<u16> = 10..=90;

/// Why a config file could not be used. `file` is its path (or "config"
/// for [`Config::from_toml`]); `line` is 1-based.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// TOML syntax, a value of the wrong type or an unknown key.
    #[error("{}: {message}", at(file, *line))]
    Syntax {
        file: String,
        line: Option<usize>,
        message: String,
    },
    #[error(
        "{file}:{line}: unknown column `{name}` in columns; known columns: {}",
        column_names()
    )]
    UnknownColumn {
        file: String,
        line: usize,
        name: String,
    },
    #[error("{file}:{line}: column `{name}` is listed twice in columns")]
    DuplicateColumn {
        file: String,
        line: usize,
        name: String,
    },
    #[error("{file}:{line}: columns is empty; list at least one column")]
    NoColumns { file: String, line: usize },
    #[error("{file}:{line}: time_format = \"{value}\" is unknown: use \"absolute\", \"delta\" or \"first\"")]
    TimeFormat {
        file: String,
        line: usize,
        value: String,
    },
    #[error("{file}:{line}: split = {value} is out of range: give the ladder's share in percent, {} to {}", SPLIT_RANGE.start(), SPLIT_RANGE.end())]
    Split {
        file: String,
        line: usize,
        value: i64,
    },
    #[error("{file}:{line}: hide_methods entry \"{value}\" is not a SIP method name")]
    Method {
        file: String,
        line: usize,
        value: String,
    },
    #[error("{file}:{line}: [{table}] \"{value}\" is not an address: use an IP (10.0.0.5, 2001:db8::1) or IP:port (10.0.0.5:5060, [2001:db8::1]:5060)")]
    Address {
        file: String,
        line: usize,
        table: &'static str,
        value: String,
    },
    #[error("{file}:{line}: [merge] {addr} is in both `{first}` and `{second}`")]
    MergedTwice {
        file: String,
        line: usize,
        addr: String,
        first: String,
        second: String,
    },
}

fn column_names() -> String {
    Column::names()
}

/// The file as written; checked and converted by [`RawConfig::check`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    theme: Option<String>,
    columns: Option<Spanned<Vec<Spanned<String>>>>,
    time_format: Option<Spanned<String>>,
    split: Option<Spanned<i64>>,
    hide_methods: Option<Vec<Spanned<String>>>,
    hosts: Option<BTreeMap<Spanned<String>, String>>,
    merge: Option<BTreeMap<String, Vec<Spanned<String>>>>,
    confirm_quit: Option<bool>,
}

const TEMPLATE: &str = r#"# sipview settings. Save as ~/.config/sipview/config.toml (or
# $XDG_CONFIG_HOME/sipview/config.toml) and edit; every key is optional and
# the values below are the defaults.

# Colours: dark, light, high-contrast, monochrome, or the path of a theme
# file (~/ works; a relative path is taken from this file's folder). The
# NO_COLOR environment variable forces monochrome.
# theme = "dark"

# Call-list columns, in order. All of them: index method from to src dst
# msgs state verdict start duration ua callid code transport, and for
# captures with RTP: rtp (streams/packets) loss jitter mos codec
columns = ["index", "method", "from", "to", "src", "dst", "msgs", "state", "verdict", "start", "duration"]

# Ladder times: "absolute" (clock time), "delta" (since the previous
# message) or "first" (since the call's first message).
time_format = "absolute"

# The ladder's share of the screen in percent (10 to 90); the message
# detail gets the rest.
split = 55

# Ask before q / Esc quits a live capture.
confirm_quit = true

# Methods hidden from the ladders and the list, e.g. keep-alive pings:
# hide_methods = ["OPTIONS", "NOTIFY"]
hide_methods = []

# Names shown instead of addresses. An IP matches every port; IP:port
# matches only that port and wins over the IP.
[hosts]
# "10.0.0.5" = "pbx"
# "192.0.2.10:5060" = "carrier"

# Addresses drawn as one ladder column, under the name on the left.
[merge]
# pbx = ["10.0.0.5", "192.0.2.7"]
"#;

impl Default for Config {
    fn default() -> Config {
        Config {
            theme: None,
            columns: Column::default_set(),
            time_format: TimeFormat::Absolute,
            host_names: Vec::new(),
            hide_methods: Vec::new(),
            merge_hosts: Vec::new(),
            split_percent: 55,
            confirm_quit: true,
            file: None,
        }
    }
}

impl Config {
    /// path None = $XDG_CONFIG_HOME/sipview/config.toml or
    /// ~/.config/sipview/config.toml; a missing default file is
    /// Ok(default), a missing explicit path is an error.
    pub fn load(path: Option<&Path>) -> Result<Config, ConfigError> {
        let (path, explicit) = match path {
            Some(p) => (p.to_owned(), true),
            None => match Self::default_path() {
                Some(p) => (p, false),
                None => return Ok(Config::default()),
            },
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            // The default file may be absent, or behind a HOME that is not
            // ours (sudo keeps /root): neither stops the screens.
            Err(e)
                if !explicit
                    && matches!(
                        e.kind(),
                        std::io::ErrorKind::NotFound
                            | std::io::ErrorKind::PermissionDenied
                            | std::io::ErrorKind::NotADirectory
                    ) =>
            {
                return Ok(Config::default())
            }
            Err(source) => return Err(ConfigError::Read { path, source }),
        };
        let mut config = Self::parse(&text, &path.display().to_string())?;
        if let Some(theme) = &mut config.theme {
            *theme = theme_path(theme, path.parent());
        }
        config.file = Some(path);
        Ok(config)
    }

    pub fn default_path() -> Option<PathBuf> {
        config_path(std::env::var_os("XDG_CONFIG_HOME"), home())
    }

    /// Settings from the text of a config file; errors name it "config".
    pub fn from_toml(text: &str) -> Result<Config, ConfigError> {
        Self::parse(text, "config")
    }

    /// commented default config, valid TOML that parses back to Config::default()
    pub fn template() -> &'static str {
        TEMPLATE
    }

    /// The settings in effect, for the settings screen (F8 / `o`).
    pub fn describe(&self) -> String {
        let path = match (&self.file, Self::default_path()) {
            (Some(read), _) => read.display().to_string(),
            (None, Some(default)) => format!("none read ({} is where one goes)", default.display()),
            (None, None) => "none read (no HOME)".to_owned(),
        };
        let mut out = format!(
            "Config file: {path}\n(sipview --print-config-template prints a commented one)\n\n"
        );
        let columns: Vec<&str> = self.columns.iter().map(|c| c.name()).collect();
        out.push_str(&format!(
            "theme          {}\n",
            self.theme.as_deref().unwrap_or("dark")
        ));
        out.push_str(&format!("columns        {}\n", columns.join(" ")));
        out.push_str(&format!("time_format    {}\n", self.time_format.name()));
        out.push_str(&format!("split          {}\n", self.split_percent));
        out.push_str(&format!("confirm_quit   {}\n", self.confirm_quit));
        out.push_str(&format!("hide_methods   {}\n", self.hide_methods.join(" ")));
        for (addr, name) in &self.host_names {
            out.push_str(&format!("hosts          {addr} = {name}\n"));
        }
        for (name, addrs) in &self.merge_hosts {
            out.push_str(&format!("merge          {name} = {}\n", addrs.join(" ")));
        }
        out
    }

    /// the user name for an address (exact ip:port first, then ip), if any
    pub fn host_name(&self, addr: &SocketAddr) -> Option<&str> {
        // Parsed on each call, so entries built in code need not be in the
        // canonical form `load` writes.
        let find = |hit: &dyn Fn(&str) -> bool| {
            self.host_names
                .iter()
                .find(|(a, _)| hit(a))
                .map(|(_, n)| n.as_str())
        };
        find(&|a| a.parse::<SocketAddr>().ok() == Some(*addr))
            .or_else(|| find(&|a| parse_ip(a) == Some(addr.ip())))
    }

    fn parse(text: &str, file: &str) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let (line, message) = toml_error_parts(text, &e);
            ConfigError::Syntax {
                file: file.to_owned(),
                line,
                message,
            }
        })?;
        raw.check(text, file)
    }
}

impl RawConfig {
    fn check(self, text: &str, file: &str) -> Result<Config, ConfigError> {
        let line = |span: std::ops::Range<usize>| line_at(text, span.start);
        let file = file.to_owned();
        let mut config = Config {
            theme: self.theme,
            confirm_quit: self.confirm_quit.unwrap_or(true),
            ..Config::default()
        };

        if let Some(list) = self.columns {
            if list.get_ref().is_empty() {
                return Err(ConfigError::NoColumns {
                    file,
                    line: line(list.span()),
                });
            }
            let mut columns = Vec::new();
            for name in list.into_inner() {
                let line = line(name.span());
                let name = name.into_inner();
                let Some(column) = Column::parse(&name) else {
                    return Err(ConfigError::UnknownColumn { file, line, name });
                };
                if columns.contains(&column) {
                    return Err(ConfigError::DuplicateColumn { file, line, name });
                }
                columns.push(column);
            }
            config.columns = columns;
        }

        if let Some(value) = self.time_format {
            config.time_format =
                TimeFormat::parse(value.get_ref()).ok_or_else(|| ConfigError::TimeFormat {
                    file: file.clone(),
                    line: line(value.span()),
                    value: value.get_ref().clone(),
                })?;
        }

        if let Some(value) = self.split {
            config.split_percent = u16::try_from(*value.get_ref())
                .ok()
                .filter(|v| SPLIT_RANGE.contains(v))
                .ok_or_else(|| ConfigError::Split {
                    file: file.clone(),
                    line: line(value.span()),
                    value: *value.get_ref(),
                })?;
        }

        for method in self.hide_methods.into_iter().flatten() {
            let name = method.get_ref().trim();
            // A SIP method is an RFC 3261 token; anything else is a typo.
            if name.is_empty() || !name.chars().all(is_token_char) {
                return Err(ConfigError::Method {
                    file,
                    line: line(method.span()),
                    value: method.into_inner(),
                });
            }
            // Methods are case-sensitive on the wire but always upper case
            // in practice; accept "options".
            let name = name.to_ascii_uppercase();
            if !config.hide_methods.contains(&name) {
                config.hide_methods.push(name);
            }
        }

        for (addr, name) in self.hosts.into_iter().flatten() {
            let addr = canonical_addr(&addr, "hosts", text, &file)?;
            config.host_names.push((addr, name));
        }

        // Which group each address went to, to refuse an address in two.
        let mut owner: BTreeMap<String, String> = BTreeMap::new();
        for (group, addrs) in self.merge.into_iter().flatten() {
            let mut list = Vec::new();
            for a in addrs {
                let addr = canonical_addr(&a, "merge", text, &file)?;
                if let Some(first) = owner.insert(addr.clone(), group.clone()) {
                    if first != group {
                        return Err(ConfigError::MergedTwice {
                            file,
                            line: line(a.span()),
                            addr,
                            first,
                            second: group,
                        });
                    }
                }
                if !list.contains(&addr) {
                    list.push(addr);
                }
            }
            config.merge_hosts.push((group, list));
        }

        Ok(config)
    }
}

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-.!%*_+`'~".contains(c)
}

/// An IP, also in the bracketed form "[2001:db8::1]".
fn parse_ip(s: &str) -> Option<IpAddr> {
    let s = s.trim();
    let s = s
        .strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .unwrap_or(s);
    s.parse().ok()
}

/// "IP" or "IP:port" in the form `SocketAddr`/`IpAddr` print, so the same
/// address written two ways is one entry.
fn canonical_addr(
    value: &Spanned<String>,
    table: &'static str,
    text: &str,
    file: &str,
) -> Result<String, ConfigError> {
    let s = value.get_ref().trim();
    if let Ok(sock) = s.parse::<SocketAddr>() {
        return Ok(sock.to_string());
    }
    parse_ip(s)
        .map(|ip| ip.to_string())
        .ok_or_else(|| ConfigError::Address {
            file: file.to_owned(),
            line: line_at(text, value.span().start),
            table,
            value: value.get_ref().clone(),
        })
}

fn config_path(xdg_config_home: Option<OsString>, home: Option<PathBuf>) -> Option<PathBuf> {
    // The XDG spec says to ignore a relative XDG_CONFIG_HOME.
    let base = xdg_config_home
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| home.map(|h| h.join(".config")))?;
    Some(base.join("sipview").join("config.toml"))
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}

/// A theme path from a config file as `Theme::load` needs it: `~/` expanded
/// (no shell does it inside TOML) and a relative path taken from the config
/// file's folder, not the directory sipview was started in. Built-in names
/// and bare words are left alone.
fn theme_path(theme: &str, config_dir: Option<&Path>) -> String {
    if Theme::BUILTIN.iter().any(|b| b.eq_ignore_ascii_case(theme)) {
        return theme.to_owned();
    }
    if let Some(rest) = theme.strip_prefix("~/") {
        return match home() {
            Some(home) => home.join(rest).display().to_string(),
            None => theme.to_owned(),
        };
    }
    let path = Path::new(theme);
    let looks_like_path = theme.contains(std::path::is_separator) || path.extension().is_some();
    match config_dir {
        Some(dir) if looks_like_path && path.is_relative() => dir.join(path).display().to_string(),
        _ => theme.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_parses_back_to_default() {
        assert_eq!(
            Config::from_toml(Config::template()).unwrap(),
            Config::default()
        );
        // ...and so does an empty file.
        assert_eq!(Config::from_toml("").unwrap(), Config::default());
    }

    #[test]
    fn template_examples_are_valid_when_uncommented() {
        let uncommented: String = Config::template()
            .lines()
            .map(|l| match l.strip_prefix("# ") {
                Some(rest) if rest.contains(" = ") => rest,
                _ => l,
            })
            .filter(|l| !l.starts_with("hide_methods = []"))
            .collect::<Vec<_>>()
            .join("\n");
        let config = Config::from_toml(&uncommented).unwrap();
        assert_eq!(config.theme.as_deref(), Some("dark"));
        assert_eq!(config.hide_methods, ["OPTIONS", "NOTIFY"]);
        assert_eq!(config.host_names.len(), 2);
        assert_eq!(config.merge_hosts.len(), 1);
    }

    #[test]
    fn full_config_parses() {
        let text = r#"
theme = "light"
columns = ["index", "callid", "CODE", "ua", "transport", "Source"]
time_format = "delta"
split = 40
hide_methods = ["options", "NOTIFY", "OPTIONS"]

[hosts]
"10.0.0.5" = "pbx"
"10.0.0.5:5080" = "pbx-trunk"
"[2001:db8::1]" = "v6"

[merge]
pbx = ["10.0.0.5", "192.0.2.7:5060"]
"#;
        let c = Config::from_toml(text).unwrap();
        assert_eq!(c.theme.as_deref(), Some("light"));
        assert_eq!(
            c.columns,
            [
                Column::Index,
                Column::CallId,
                Column::FinalCode,
                Column::UserAgent,
                Column::Transport,
                Column::Source
            ]
        );
        assert_eq!(c.time_format, TimeFormat::SincePrevious);
        assert_eq!(c.split_percent, 40);
        assert_eq!(c.hide_methods, ["OPTIONS", "NOTIFY"]);
        assert_eq!(
            c.merge_hosts,
            [(
                "pbx".to_owned(),
                vec!["10.0.0.5".to_owned(), "192.0.2.7:5060".to_owned()]
            )]
        );

        let sock = |s: &str| s.parse::<SocketAddr>().unwrap();
        assert_eq!(c.host_name(&sock("10.0.0.5:5060")), Some("pbx"));
        assert_eq!(c.host_name(&sock("10.0.0.5:5080")), Some("pbx-trunk"));
        assert_eq!(c.host_name(&sock("[2001:db8::1]:5060")), Some("v6"));
        assert_eq!(c.host_name(&sock("10.0.0.6:5060")), None);
    }

    #[test]
    fn host_name_prefers_the_port_whatever_the_order() {
        let c = Config {
            host_names: vec![
                ("192.0.2.1".into(), "any".into()),
                ("192.0.2.1:5061".into(), "tls".into()),
            ],
            ..Config::default()
        };
        let a: SocketAddr = "192.0.2.1:5061".parse().unwrap();
        assert_eq!(c.host_name(&a), Some("tls"));
        let a: SocketAddr = "192.0.2.1:5060".parse().unwrap();
        assert_eq!(c.host_name(&a), Some("any"));
    }

    #[test]
    fn unknown_column_errors_with_its_name() {
        let err = Config::from_toml("split = 50\ncolumns = [\"index\", \"frm\"]\n").unwrap_err();
        assert!(
            matches!(&err, ConfigError::UnknownColumn { name, line: 2, .. } if name == "frm"),
            "{err:?}"
        );
        let msg = err.to_string();
        assert!(msg.starts_with("config:2: unknown column `frm`"), "{msg}");
        assert!(msg.contains("callid"), "{msg}");
    }

    #[test]
    fn unknown_key_errors_with_its_name() {
        let err = Config::from_toml("theme = \"dark\"\ncolums = [\"index\"]\n").unwrap_err();
        assert!(
            matches!(err, ConfigError::Syntax { line: Some(2), .. }),
            "{err:?}"
        );
        assert!(err.to_string().contains("colums"), "{err}");
        let err = Config::from_toml("[hosts]\n\"10.0.0.1\" = \"a\"\n[mrege]\n").unwrap_err();
        assert!(err.to_string().contains("mrege"), "{err}");
    }

    #[test]
    fn bad_values_are_errors() {
        type Check = fn(&ConfigError) -> bool;
        let cases: &[(&str, Check)] = &[
            ("columns = []", |e| {
                matches!(e, ConfigError::NoColumns { .. })
            }),
            ("columns = [\"to\", \"TO\"]", |e| {
                matches!(e, ConfigError::DuplicateColumn { .. })
            }),
            (
                "time_format = \"relative\"",
                |e| matches!(e, ConfigError::TimeFormat { value, .. } if value == "relative"),
            ),
            ("split = 95", |e| {
                matches!(e, ConfigError::Split { value: 95, .. })
            }),
            ("split = -1", |e| matches!(e, ConfigError::Split { .. })),
            ("split = \"half\"", |e| {
                matches!(e, ConfigError::Syntax { .. })
            }),
            ("hide_methods = [\"OPTIONS BYE\"]", |e| {
                matches!(e, ConfigError::Method { .. })
            }),
            ("[hosts]\n\"pbx.local\" = \"pbx\"", |e| {
                matches!(
                    e,
                    ConfigError::Address {
                        table: "hosts",
                        line: 2,
                        ..
                    }
                )
            }),
            ("[merge]\na = [\"10.0.0.1:99999\"]", |e| {
                matches!(e, ConfigError::Address { table: "merge", .. })
            }),
            (
                "[merge]\na = [\"10.0.0.1\"]\nb = [\"10.0.0.2\", \"10.0.0.1\"]",
                |e| {
                    matches!(e, ConfigError::MergedTwice { addr, first, second, line: 3, .. }
                    if addr == "10.0.0.1" && first == "a" && second == "b")
                },
            ),
            ("columns = [\"index\"", |e| {
                matches!(e, ConfigError::Syntax { line: Some(1), .. })
            }),
        ];
        for (text, want) in cases {
            let err = Config::from_toml(text).unwrap_err();
            assert!(want(&err), "{text}: {err:?}");
            assert!(!err.to_string().contains('\n'), "{text}: {err}");
        }
    }

    #[test]
    fn column_names_and_titles() {
        for c in Column::all() {
            assert_eq!(Column::parse(c.name()), Some(c));
            assert_eq!(Column::parse(c.title()), Some(c));
        }
        assert_eq!(Column::parse("nope"), None);
        assert_eq!(
            Column::default_set()
                .iter()
                .map(|c| c.name())
                .collect::<Vec<_>>(),
            [
                "index", "method", "from", "to", "src", "dst", "msgs", "state", "verdict", "start",
                "duration"
            ]
        );
    }

    #[test]
    fn load_files() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.toml");
        assert!(matches!(
            Config::load(Some(&missing)),
            Err(ConfigError::Read { .. })
        ));

        let path = dir.path().join("config.toml");
        std::fs::write(&path, "theme = \"themes/mine.toml\"\nsplit = 30\n").unwrap();
        let c = Config::load(Some(&path)).unwrap();
        assert_eq!(c.split_percent, 30);
        let theme = dir.path().join("themes/mine.toml").display().to_string();
        assert_eq!(c.theme, Some(theme));

        std::fs::write(&path, "split = 3\n").unwrap();
        let err = Config::load(Some(&path)).unwrap_err();
        assert!(
            err.to_string()
                .starts_with(&format!("{}:1:", path.display())),
            "{err}"
        );
    }

    #[test]
    fn default_paths() {
        let home = Some(PathBuf::from("/home/ops"));
        assert_eq!(
            config_path(None, home.clone()),
            Some(PathBuf::from("/home/ops/.config/sipview/config.toml"))
        );
        assert_eq!(
            config_path(Some("/xdg".into()), home.clone()),
            Some(PathBuf::from("/xdg/sipview/config.toml"))
        );
        assert_eq!(
            config_path(Some("relative".into()), home),
            Some(PathBuf::from("/home/ops/.config/sipview/config.toml"))
        );
        assert_eq!(config_path(None, None), None);
    }

    #[test]
    fn theme_paths() {
        let dir = Path::new("/etc/sv");
        assert_eq!(theme_path("light", Some(dir)), "light");
        assert_eq!(theme_path("High-Contrast", Some(dir)), "High-Contrast");
        assert_eq!(theme_path("solarised", Some(dir)), "solarised");
        assert_eq!(theme_path("mine.toml", Some(dir)), "/etc/sv/mine.toml");
        assert_eq!(theme_path("/abs/mine.toml", Some(dir)), "/abs/mine.toml");
    }
}
