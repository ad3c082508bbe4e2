//! The call list's columns, in one table: a column's name (settings file,
//! `--columns`, filter field), title, width on the screens, cell, sort
//! order, filter field and CSV fields are one row of [`TABLE`]. `--list`
//! text / CSV, the screens' list, sorting, the column chooser, the
//! settings file and the filter's field list all read it, so a new column
//! is one row here.

use super::escape::clean;
use super::list::{CallMedia, CallRow};
use super::time;
use std::cmp::Ordering;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    Index,
    Method,
    From,
    To,
    Source,
    Destination,
    Messages,
    State,
    Verdict,
    Start,
    Duration,
    UserAgent,
    CallId,
    FinalCode,
    Transport,
    Rtp,
    Loss,
    Jitter,
    Mos,
    Codec,
    Dtmf,
}

/// What a filter term `FIELD OP VALUE` compares with.
#[derive(Clone, Copy)]
pub enum Field {
    /// Text: `=` one of the values whole, `~` a regex over them.
    Text(fn(&CallRow) -> [Option<&str>; 3]),
    /// The state: a name or label, compared without case or separators,
    /// and checked against the known states.
    State,
    /// A number, with what its values are written in.
    Number(fn(&CallRow) -> Option<f64>, Unit),
}

/// How a number in a filter term is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A response code, or a class: `486`, `4xx`.
    Code,
    /// A whole number.
    Count,
    /// Seconds: `30`, `1.5`, `500ms`.
    Seconds,
    /// A percent, a number of milliseconds or a score: `5%`, `30ms`, `3.6`.
    Measure,
}

/// A CSV field: its header and its value, written for machines (plain
/// numbers, RFC 3339 times).
pub type CsvField = (&'static str, fn(&CallRow) -> String);

/// One column.
pub struct Spec {
    pub column: Column,
    /// The name in the settings file, `--columns` and filter terms.
    pub name: &'static str,
    /// Other names it is known by there (besides its title).
    pub aliases: &'static [&'static str],
    /// The heading above it, on the screens and in `--list`.
    pub title: &'static str,
    /// Width on the screens; a flexible column also shares what is left.
    pub width: u16,
    pub flexible: bool,
    /// Narrow terminals keep the columns of the lowest numbers.
    pub priority: u8,
    /// `--list` text may cut it (ending in …); a Call-ID or an address is
    /// never cut.
    pub cut: bool,
    /// It reads the call's RTP ([`CallRow::media`]).
    pub media: bool,
    /// The cell's text (control characters escaped by [`Column::cell`]).
    pub cell: fn(&CallRow) -> String,
    /// Sort order; `None` sorts by the cell's text.
    pub sort: Option<fn(&CallRow, &CallRow) -> Ordering>,
    /// The filter field of the same name, if it has one.
    pub field: Option<Field>,
    /// Its fields in `--list --format csv`.
    pub csv: &'static [CsvField],
}

/// Filter fields that are no column.
pub const OTHER_FIELDS: &str = "severity, payload";

/// The screens' columns when the settings name none.
pub const DEFAULT: [Column; 11] = [
    Column::Index,
    Column::Method,
    Column::From,
    Column::To,
    Column::Source,
    Column::Destination,
    Column::Messages,
    Column::State,
    Column::Verdict,
    Column::Start,
    Column::Duration,
];

/// `--list`'s columns when `--columns` names none.
pub const LIST_TEXT: [Column; 13] = [
    Column::Index,
    Column::Method,
    Column::From,
    Column::To,
    Column::Source,
    Column::Destination,
    Column::Transport,
    Column::Messages,
    Column::State,
    Column::Verdict,
    Column::Start,
    Column::Duration,
    Column::CallId,
];

fn media<T: Default>(r: &CallRow, f: impl Fn(&CallMedia) -> T) -> T {
    r.media.as_ref().map(f).unwrap_or_default()
}

fn by_number(a: Option<f64>, b: Option<f64>) -> Ordering {
    a.unwrap_or(f64::MIN).total_cmp(&b.unwrap_or(f64::MIN))
}

fn opt(s: &Option<String>) -> String {
    clean(s.as_deref().unwrap_or("")).into_owned()
}

fn start_text(r: &CallRow) -> String {
    r.start.replace('T', " ").trim_end_matches('Z').to_owned()
}

fn index(r: &CallRow) -> Option<f64> {
    Some(f64::from(r.index))
}
fn messages(r: &CallRow) -> Option<f64> {
    Some(r.messages as f64)
}
fn duration(r: &CallRow) -> Option<f64> {
    Some(r.duration_ms as f64 / 1000.0)
}
fn code(r: &CallRow) -> Option<f64> {
    r.answer_code().map(f64::from)
}
fn rtp_packets(r: &CallRow) -> Option<f64> {
    Some(media(r, |m| m.packets as f64))
}
fn loss(r: &CallRow) -> Option<f64> {
    r.media.as_ref().map(|m| m.loss_percent)
}
fn jitter(r: &CallRow) -> Option<f64> {
    r.media.as_ref().map(|m| m.max_jitter_ms)
}
fn mos(r: &CallRow) -> Option<f64> {
    r.media.as_ref().and_then(|m| m.mos)
}

/// The address without its port (`10.0.0.1:5060` -> `10.0.0.1`,
/// `[::1]:5060` -> `::1`), so `src=10.0.0.1` needs no port.
fn host(addr: &str) -> Option<&str> {
    let (host, port) = addr.rsplit_once(':')?;
    if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match host.strip_prefix('[') {
        Some(v6) => v6.strip_suffix(']'),
        None if host.contains(':') => None,
        None => Some(host),
    }
}

fn codecs(r: &CallRow) -> [Option<&str>; 3] {
    let nth = |n: usize| {
        r.media
            .as_ref()
            .and_then(|m| m.codecs.get(n))
            .map(String::as_str)
    };
    [nth(0), nth(1), nth(2)]
}

/// Every column, in [`Column`]'s order.
pub static TABLE: [Spec; 21] = [
    Spec {
        column: Column::Index,
        name: "index",
        aliases: &["idx"],
        title: "IDX",
        width: 5,
        flexible: false,
        priority: 0,
        cut: false,
        media: false,
        cell: |r| r.index.to_string(),
        sort: Some(|a, b| a.index.cmp(&b.index)),
        field: Some(Field::Number(index, Unit::Count)),
        csv: &[("index", |r| r.index.to_string())],
    },
    Spec {
        column: Column::Method,
        name: "method",
        aliases: &[],
        title: "METHOD",
        width: 9,
        flexible: false,
        priority: 1,
        cut: true,
        media: false,
        cell: |r| r.method.clone(),
        sort: None,
        field: Some(Field::Text(|r| [Some(&r.method), None, None])),
        csv: &[("method", |r| clean(&r.method).into_owned())],
    },
    Spec {
        column: Column::From,
        name: "from",
        aliases: &[],
        title: "FROM",
        width: 10,
        flexible: true,
        priority: 2,
        cut: true,
        media: false,
        cell: |r| r.from_address().to_owned(),
        sort: None,
        field: Some(Field::Text(|r| {
            [
                Some(&r.from_user),
                r.from_display.as_deref(),
                Some(&r.from_uri),
            ]
        })),
        csv: &[
            ("from_user", |r| clean(&r.from_user).into_owned()),
            ("from_display", |r| opt(&r.from_display)),
            ("from_uri", |r| clean(&r.from_uri).into_owned()),
        ],
    },
    Spec {
        column: Column::To,
        name: "to",
        aliases: &[],
        title: "TO",
        width: 10,
        flexible: true,
        priority: 3,
        cut: true,
        media: false,
        cell: |r| r.to_address().to_owned(),
        sort: None,
        field: Some(Field::Text(|r| {
            [Some(&r.to_user), r.to_display.as_deref(), Some(&r.to_uri)]
        })),
        csv: &[
            ("to_user", |r| clean(&r.to_user).into_owned()),
            ("to_display", |r| opt(&r.to_display)),
            ("to_uri", |r| clean(&r.to_uri).into_owned()),
        ],
    },
    Spec {
        column: Column::Source,
        name: "src",
        aliases: &["source"],
        title: "SOURCE",
        width: 21,
        flexible: false,
        priority: 7,
        cut: false,
        media: false,
        cell: |r| r.src.clone(),
        sort: None,
        field: Some(Field::Text(|r| [Some(&r.src), host(&r.src), None])),
        csv: &[("src", |r| r.src.clone())],
    },
    Spec {
        column: Column::Destination,
        name: "dst",
        aliases: &["destination"],
        title: "DESTINATION",
        width: 21,
        flexible: false,
        priority: 8,
        cut: false,
        media: false,
        cell: |r| r.dst.clone(),
        sort: None,
        field: Some(Field::Text(|r| [Some(&r.dst), host(&r.dst), None])),
        csv: &[("dst", |r| r.dst.clone())],
    },
    Spec {
        column: Column::Messages,
        name: "msgs",
        aliases: &["messages"],
        title: "MSGS",
        width: 5,
        flexible: false,
        priority: 6,
        cut: false,
        media: false,
        cell: |r| r.messages.to_string(),
        sort: Some(|a, b| a.messages.cmp(&b.messages)),
        field: Some(Field::Number(messages, Unit::Count)),
        csv: &[
            ("messages", |r| r.messages.to_string()),
            ("retransmissions", |r| r.retransmissions.to_string()),
            ("malformed", |r| r.malformed.to_string()),
        ],
    },
    Spec {
        column: Column::State,
        name: "state",
        aliases: &[],
        title: "STATE",
        width: 13,
        flexible: false,
        priority: 4,
        cut: true,
        media: false,
        cell: CallRow::state_text,
        sort: None,
        field: Some(Field::State),
        csv: &[("state", |r| r.state.unwrap_or("").to_owned())],
    },
    Spec {
        column: Column::Verdict,
        name: "verdict",
        aliases: &[],
        title: "VERDICT",
        width: 15,
        flexible: false,
        priority: 5,
        cut: true,
        media: false,
        cell: CallRow::verdict_text,
        // Problems first, then warnings, information, normal endings.
        sort: Some(|a, b| {
            let key = |r: &CallRow| {
                r.verdict
                    .map(|v| (v.severity.map_or(3, |s| s as u8), v.word))
            };
            key(a).cmp(&key(b))
        }),
        field: Some(Field::Text(|r| [r.verdict.map(|v| v.word), None, None])),
        csv: &[
            ("verdict", |r| r.verdict.map_or("", |v| v.word).to_owned()),
            ("severity", |r| {
                r.verdict
                    .and_then(|v| v.severity)
                    .map_or("", crate::explain::Severity::name)
                    .to_owned()
            }),
        ],
    },
    Spec {
        column: Column::Start,
        name: "start",
        aliases: &[],
        title: "START",
        width: 26,
        flexible: false,
        priority: 10,
        cut: false,
        media: false,
        cell: start_text,
        sort: Some(|a, b| a.start.cmp(&b.start)),
        field: None,
        csv: &[("start", |r| r.start.clone()), ("last", |r| r.last.clone())],
    },
    Spec {
        column: Column::Duration,
        name: "duration",
        aliases: &[],
        title: "DURATION",
        width: 11,
        flexible: false,
        priority: 9,
        cut: false,
        media: false,
        cell: |r| time::duration(r.duration_ms * 1000),
        sort: Some(|a, b| a.duration_ms.cmp(&b.duration_ms)),
        field: Some(Field::Number(duration, Unit::Seconds)),
        csv: &[("duration_ms", |r| r.duration_ms.to_string())],
    },
    Spec {
        column: Column::UserAgent,
        name: "ua",
        aliases: &["user-agent", "server"],
        title: "USER-AGENT",
        width: 16,
        flexible: true,
        priority: 19,
        cut: true,
        media: false,
        cell: |r| r.user_agent.clone().unwrap_or_default(),
        sort: None,
        field: Some(Field::Text(|r| {
            [r.user_agent.as_deref(), r.server.as_deref(), None]
        })),
        csv: &[
            ("user_agent", |r| opt(&r.user_agent)),
            ("server", |r| opt(&r.server)),
        ],
    },
    Spec {
        column: Column::CallId,
        name: "callid",
        aliases: &["call-id", "call_id"],
        title: "CALL-ID",
        width: 24,
        flexible: true,
        priority: 20,
        cut: false,
        media: false,
        cell: |r| r.call_id.clone(),
        sort: None,
        field: Some(Field::Text(|r| [Some(&r.call_id), None, None])),
        csv: &[
            ("call_id", |r| clean(&r.call_id).into_owned()),
            ("related", |r| clean(&r.related.join(" ")).into_owned()),
        ],
    },
    Spec {
        column: Column::FinalCode,
        name: "code",
        aliases: &[],
        title: "CODE",
        width: 5,
        flexible: false,
        priority: 11,
        cut: false,
        media: false,
        cell: |r| r.answer_code().map(|c| c.to_string()).unwrap_or_default(),
        sort: Some(|a, b| a.answer_code().cmp(&b.answer_code())),
        field: Some(Field::Number(code, Unit::Code)),
        csv: &[("final_code", |r| {
            r.final_code.map(|c| c.to_string()).unwrap_or_default()
        })],
    },
    Spec {
        column: Column::Transport,
        name: "transport",
        aliases: &["proto"],
        title: "PROTO",
        width: 5,
        flexible: false,
        priority: 12,
        cut: false,
        media: false,
        cell: |r| r.transport.to_owned(),
        sort: None,
        field: Some(Field::Text(|r| [Some(r.transport), None, None])),
        csv: &[("transport", |r| r.transport.to_owned())],
    },
    Spec {
        column: Column::Rtp,
        name: "rtp",
        aliases: &[],
        title: "RTP",
        width: 10,
        flexible: false,
        priority: 13,
        cut: false,
        media: true,
        cell: |r| media(r, CallMedia::rtp_text),
        sort: Some(|a, b| media(a, |m| m.packets).cmp(&media(b, |m| m.packets))),
        field: Some(Field::Number(rtp_packets, Unit::Count)),
        csv: &[
            ("rtp_streams", |r| media(r, |m| m.streams.to_string())),
            ("rtp_packets", |r| media(r, |m| m.packets.to_string())),
            ("rtp_lost", |r| media(r, |m| m.lost.to_string())),
        ],
    },
    Spec {
        column: Column::Loss,
        name: "loss",
        aliases: &[],
        title: "LOSS",
        width: 6,
        flexible: false,
        priority: 14,
        cut: false,
        media: true,
        cell: |r| media(r, CallMedia::loss_text),
        sort: Some(|a, b| by_number(loss(a), loss(b))),
        field: Some(Field::Number(loss, Unit::Measure)),
        csv: &[("loss_percent", |r| {
            media(r, |m| match m.streams {
                0 => String::new(),
                _ => format!("{:.2}", m.loss_percent),
            })
        })],
    },
    Spec {
        column: Column::Jitter,
        name: "jitter",
        aliases: &[],
        title: "JITTER",
        width: 8,
        flexible: false,
        priority: 15,
        cut: false,
        media: true,
        cell: |r| {
            media(r, |m| match m.streams {
                0 => String::new(),
                _ => format!("{:.1}ms", m.max_jitter_ms),
            })
        },
        sort: Some(|a, b| by_number(jitter(a), jitter(b))),
        field: Some(Field::Number(jitter, Unit::Measure)),
        csv: &[("max_jitter_ms", |r| {
            media(r, |m| match m.streams {
                0 => String::new(),
                _ => format!("{:.3}", m.max_jitter_ms),
            })
        })],
    },
    Spec {
        column: Column::Mos,
        name: "mos",
        aliases: &[],
        title: "MOS",
        width: 5,
        flexible: false,
        priority: 16,
        cut: false,
        media: true,
        cell: |r| media(r, CallMedia::mos_text),
        // Calls without a score after every scored one.
        sort: Some(|a, b| {
            mos(a)
                .unwrap_or(f64::MAX)
                .total_cmp(&mos(b).unwrap_or(f64::MAX))
        }),
        field: Some(Field::Number(mos, Unit::Measure)),
        csv: &[("mos", |r| media(r, CallMedia::mos_text))],
    },
    Spec {
        column: Column::Codec,
        name: "codec",
        aliases: &[],
        title: "CODEC",
        width: 10,
        flexible: true,
        priority: 17,
        cut: true,
        media: true,
        cell: |r| media(r, |m| m.codecs.join(",")),
        sort: None,
        field: Some(Field::Text(codecs)),
        csv: &[("codecs", |r| {
            media(r, |m| clean(&m.codecs.join(" ")).into_owned())
        })],
    },
    Spec {
        column: Column::Dtmf,
        name: "dtmf",
        aliases: &[],
        title: "DTMF",
        width: 8,
        flexible: true,
        priority: 18,
        cut: true,
        media: true,
        cell: |r| media(r, |m| m.dtmf.clone()),
        sort: None,
        field: Some(Field::Text(|r| {
            [r.media.as_ref().map(|m| m.dtmf.as_str()), None, None]
        })),
        csv: &[("dtmf", |r| media(r, |m| m.dtmf.clone()))],
    },
];

impl Column {
    /// Every column, in the table's order.
    pub fn all() -> impl Iterator<Item = Column> {
        TABLE.iter().map(|s| s.column)
    }

    /// The screens' columns when the settings name none.
    pub fn default_set() -> Vec<Column> {
        DEFAULT.to_vec()
    }

    pub fn spec(self) -> &'static Spec {
        &TABLE[self as usize]
    }

    pub fn name(self) -> &'static str {
        self.spec().name
    }

    pub fn title(self) -> &'static str {
        self.spec().title
    }

    /// A column by its name, an alias or its title, ignoring case
    /// ("src", "source", "SOURCE").
    pub fn parse(s: &str) -> Option<Column> {
        TABLE
            .iter()
            .find(|c| {
                c.name.eq_ignore_ascii_case(s)
                    || c.title.eq_ignore_ascii_case(s)
                    || c.aliases.iter().any(|a| a.eq_ignore_ascii_case(s))
            })
            .map(|c| c.column)
    }

    /// The names, for error messages and help.
    pub fn names() -> String {
        TABLE.iter().map(|c| c.name).collect::<Vec<_>>().join(", ")
    }

    /// The names of the columns with a filter field, and the other fields.
    pub fn filter_fields() -> String {
        let mut names: Vec<&str> = TABLE
            .iter()
            .filter(|c| c.field.is_some())
            .map(|c| c.name)
            .collect();
        names.push(OTHER_FIELDS);
        names.join(", ")
    }

    /// The cell's text, control characters escaped.
    pub fn cell(self, row: &CallRow) -> String {
        let text = (self.spec().cell)(row);
        match clean(&text) {
            std::borrow::Cow::Borrowed(_) => text,
            std::borrow::Cow::Owned(s) => s,
        }
    }

    /// Rows in this column's order (ascending).
    pub fn compare(self, a: &CallRow, b: &CallRow) -> Ordering {
        match self.spec().sort {
            Some(f) => f(a, b),
            None => (self.spec().cell)(a).cmp(&(self.spec().cell)(b)),
        }
    }

    /// The column reads the call's RTP.
    pub fn is_media(self) -> bool {
        self.spec().media
    }
}

/// A comma-separated column list as `--columns` and the settings take it.
pub fn parse_list(s: &str) -> Result<Vec<Column>, String> {
    let mut out = Vec::new();
    for name in s.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let c = Column::parse(name).ok_or_else(|| {
            format!(
                "unknown column `{name}`; known columns: {}",
                Column::names()
            )
        })?;
        if out.contains(&c) {
            return Err(format!("column `{name}` is listed twice"));
        }
        out.push(c);
    }
    if out.is_empty() {
        return Err("no column named; list at least one".to_owned());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_in_column_order_and_names_are_unique() {
        for (i, spec) in TABLE.iter().enumerate() {
            assert_eq!(spec.column as usize, i, "{}", spec.name);
            assert_eq!(Column::parse(spec.name), Some(spec.column));
            assert_eq!(Column::parse(spec.title), Some(spec.column));
            for a in spec.aliases {
                assert_eq!(Column::parse(a), Some(spec.column), "{a}");
            }
            assert!(!spec.csv.is_empty(), "{} has no CSV field", spec.name);
        }
        let mut priorities: Vec<u8> = TABLE.iter().map(|s| s.priority).collect();
        priorities.sort_unstable();
        priorities.dedup();
        assert_eq!(priorities.len(), TABLE.len(), "priorities are unique");
        assert_eq!(
            parse_list("idx, FROM,mos"),
            Ok(vec![Column::Index, Column::From, Column::Mos])
        );
        assert!(parse_list("idx,nope")
            .unwrap_err()
            .contains("known columns: index,"));
        assert!(parse_list("idx,IDX").is_err());
    }
}
