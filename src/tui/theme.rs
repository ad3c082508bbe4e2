//! Colours and text attributes of the screens, read from TOML theme files.
//!
//! The built-in themes live in `themes/` and are compiled into the binary, so
//! an installed sipview needs no data files. A user theme is a TOML file with
//! one table per style key; keys it leaves out come from the dark theme.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use toml::Spanned;

const DARK: &str = include_str!("../../themes/dark.toml");
const LIGHT: &str = include_str!("../../themes/light.toml");
const HIGH_CONTRAST: &str = include_str!("../../themes/high-contrast.toml");
const MONOCHROME: &str = include_str!("../../themes/monochrome.toml");

/// Declares the style keys once: the struct fields, the key list checked
/// against theme files and the key-to-field lookup cannot drift apart.
macro_rules! theme_styles {
    ($( $(#[$doc:meta])* $field:ident, )*) => {
        /// Every style the screens draw with. Build one with [`Theme::load`].
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct Theme {
            /// The built-in name, or the file stem of a user theme.
            pub name: String,
            $( $(#[$doc])* pub $field: Style, )*
        }

        impl Theme {
            /// The table names a theme file may use, in declaration order.
            pub const KEYS: &'static [&'static str] = &[$(stringify!($field)),*];

            fn style_mut(&mut self, key: &str) -> Option<&mut Style> {
                match key {
                    $( stringify!($field) => Some(&mut self.$field), )*
                    _ => None,
                }
            }

            /// Every style with its key, e.g. for a theme preview.
            pub fn styles(&self) -> impl Iterator<Item = (&'static str, Style)> {
                [$( (stringify!($field), self.$field), )*].into_iter()
            }

            fn uniform(name: &str, style: Style) -> Theme {
                Theme { name: name.to_owned(), $( $field: style, )* }
            }
        }
    };
}

theme_styles! {
    /// Background and ordinary text.
    base,
    /// Column titles of lists and tables.
    header,
    /// The row or message under the cursor.
    selected,
    /// Rows marked by the user (e.g. for comparing).
    marked,
    /// The status line.
    status,
    border,
    /// Border of the pane that has the keyboard.
    border_focused,
    title,
    dim,
    /// Key names in help and hint lines.
    key,
    // Ladder arrows and list rows.
    request,
    provisional,
    success,
    redirect,
    client_error,
    /// 5xx and 6xx.
    server_error,
    retransmission,
    /// The "(SDP)" mark on messages with a session description.
    sdp,
    // Call states and diagnosis.
    state_progress,
    state_ok,
    state_failed,
    problem,
    warning,
    normal,
    // Message text.
    header_name,
    /// Explanations printed beside headers.
    note,
    search_match,
    diff_changed,
    /// Lines present in only one of two compared messages.
    diff_only,
}

/// Why a theme could not be loaded. `file` is the path of a user theme or
/// the name given to [`Theme::from_toml`]; `line` is 1-based.
#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    #[error(
        "unknown theme `{name}`: built-in themes are {}; anything else is read as a path to a TOML file",
        Theme::BUILTIN.join(", ")
    )]
    Unknown { name: String },
    #[error("cannot read theme {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// TOML syntax, a value of the wrong type or an unknown field in a style.
    #[error("{}: {message}", at(file, *line))]
    Syntax {
        file: String,
        line: Option<usize>,
        message: String,
    },
    #[error("{}: unknown style `[{key}]`{}", at(file, Some(*line)), suggest(key))]
    UnknownKey {
        file: String,
        line: usize,
        key: String,
    },
    #[error(
        "{}: [{key}] {field} = \"{value}\" is not a colour: use a name (black, red, green, yellow, blue, magenta, cyan, gray, darkgray, lightred, ..., white, reset), \"#rrggbb\" or an index \"0\"..\"255\"",
        at(file, Some(*line))
    )]
    BadColor {
        file: String,
        line: usize,
        key: String,
        field: &'static str,
        value: String,
    },
    #[error(
        "{}: [{key}] modifier \"{value}\" is unknown: use bold, dim, italic, underlined, reversed or crossed_out",
        at(file, Some(*line))
    )]
    BadModifier {
        file: String,
        line: usize,
        key: String,
        value: String,
    },
}

/// `file:line`, or the file alone, for error messages.
pub(crate) fn at(file: &str, line: Option<usize>) -> String {
    match line {
        Some(line) => format!("{file}:{line}"),
        None => file.to_owned(),
    }
}

/// A did-you-mean for a misspelt style key: the closest key at most two
/// edits away.
fn suggest(key: &str) -> String {
    Theme::KEYS
        .iter()
        .map(|k| (edit_distance(key, k), k))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, k)| format!(" (did you mean `{k}`?)"))
        .unwrap_or_default()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (diag + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// 1-based line of a byte offset, for error messages.
pub(crate) fn line_at(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Line and one-line message of a TOML or serde error.
pub(crate) fn toml_error_parts(text: &str, e: &toml::de::Error) -> (Option<usize>, String) {
    let line = e.span().map(|s| line_at(text, s.start));
    // Parser messages can span lines; keep the error to one.
    let message = e.message().trim().replace('\n', "; ");
    (line, message)
}

/// One table of a theme file.
#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a style table with fg, bg or modifiers, like [selected]"
)]
struct StyleSpec {
    fg: Option<Spanned<String>>,
    bg: Option<Spanned<String>>,
    modifiers: Option<Vec<Spanned<String>>>,
}

impl Theme {
    /// Names of the themes compiled into the binary (`themes/*.toml`).
    pub const BUILTIN: &'static [&'static str] = &["dark", "light", "high-contrast", "monochrome"];

    /// NAME of a built-in theme or a PATH to a TOML file; None = "dark".
    /// no_color (NO_COLOR set) forces monochrome.
    ///
    /// A named theme is still loaded when `no_color` is set, so a broken
    /// `--theme` fails the same way whatever the environment.
    pub fn load(name_or_path: Option<&str>, no_color: bool) -> Result<Theme, ThemeError> {
        let theme = match name_or_path {
            None => Self::builtin("dark")?,
            Some(s) => match Self::BUILTIN.iter().find(|b| b.eq_ignore_ascii_case(s)) {
                Some(b) => Self::builtin(b)?,
                None => Self::load_file(s)?,
            },
        };
        Ok(if no_color { Self::monochrome() } else { theme })
    }

    /// A theme from the text of a TOML file; `name` names it in errors and
    /// in [`Theme::name`]. Styles the text leaves out are the dark theme's.
    pub fn from_toml(name: &str, text: &str) -> Result<Theme, ThemeError> {
        Self::parse_over(Self::builtin("dark")?, name, name, text)
    }

    /// Attributes only (bold, reversed, underlined, dim), no colour: the
    /// theme for NO_COLOR and terminals without colour.
    pub fn monochrome() -> Theme {
        // The embedded file is covered by the tests; should it ever fail to
        // parse, plain text with a reversed selection still works.
        Self::builtin("monochrome").unwrap_or_else(|_| {
            let mut theme = Self::uniform("monochrome", Style::new());
            theme.selected = Style::new().add_modifier(Modifier::REVERSED);
            theme
        })
    }

    /// Style of a response code's class (1xx..6xx); [`Theme::base`] outside.
    pub fn code_style(&self, code: u16) -> Style {
        match code {
            100..=199 => self.provisional,
            200..=299 => self.success,
            300..=399 => self.redirect,
            400..=499 => self.client_error,
            500..=699 => self.server_error,
            _ => self.base,
        }
    }

    /// Whether the environment asks for no colour: NO_COLOR set to a
    /// non-empty value (<https://no-color.org>).
    pub fn no_color_requested() -> bool {
        std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
    }

    /// Built-in themes are complete (the tests check it), so they are parsed
    /// over an empty theme: nothing of dark leaks into monochrome.
    fn builtin(name: &str) -> Result<Theme, ThemeError> {
        let text = match name {
            "dark" => DARK,
            "light" => LIGHT,
            "high-contrast" => HIGH_CONTRAST,
            "monochrome" => MONOCHROME,
            _ => {
                return Err(ThemeError::Unknown {
                    name: name.to_owned(),
                })
            }
        };
        let file = format!("themes/{name}.toml");
        Self::parse_over(Self::uniform(name, Style::new()), name, &file, text)
    }

    fn load_file(s: &str) -> Result<Theme, ThemeError> {
        let path = Path::new(s);
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            // A bare word is far more likely a misspelt built-in name than a
            // file in the current directory.
            Err(e)
                if e.kind() == std::io::ErrorKind::NotFound
                    && !s.contains(std::path::is_separator)
                    && path.extension().is_none() =>
            {
                return Err(ThemeError::Unknown { name: s.to_owned() })
            }
            Err(source) => {
                return Err(ThemeError::Read {
                    path: path.to_owned(),
                    source,
                })
            }
        };
        let name = path
            .file_stem()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| s.to_owned());
        Self::parse_over(
            Self::builtin("dark")?,
            &name,
            &path.display().to_string(),
            &text,
        )
    }

    /// Reads `text` and replaces each style it names in `theme`. A table
    /// replaces the whole style (not just the fields it sets), so what a
    /// theme file says is exactly what is drawn.
    fn parse_over(
        mut theme: Theme,
        name: &str,
        file: &str,
        text: &str,
    ) -> Result<Theme, ThemeError> {
        let tables: BTreeMap<Spanned<String>, StyleSpec> = toml::from_str(text).map_err(|e| {
            let (line, message) = toml_error_parts(text, &e);
            ThemeError::Syntax {
                file: file.to_owned(),
                line,
                message,
            }
        })?;
        theme.name = name.to_owned();
        for (key, spec) in tables {
            let line = line_at(text, key.span().start);
            let key = key.into_inner();
            let style = spec.to_style(file, &key, text)?;
            match theme.style_mut(&key) {
                Some(slot) => *slot = style,
                None => {
                    return Err(ThemeError::UnknownKey {
                        file: file.to_owned(),
                        line,
                        key,
                    })
                }
            }
        }
        Ok(theme)
    }
}

impl StyleSpec {
    fn to_style(&self, file: &str, key: &str, text: &str) -> Result<Style, ThemeError> {
        let color = |field: &'static str, value: &Spanned<String>| {
            Color::from_str(value.get_ref()).map_err(|_| ThemeError::BadColor {
                file: file.to_owned(),
                line: line_at(text, value.span().start),
                key: key.to_owned(),
                field,
                value: value.get_ref().clone(),
            })
        };
        let mut style = Style::new();
        if let Some(fg) = &self.fg {
            style = style.fg(color("fg", fg)?);
        }
        if let Some(bg) = &self.bg {
            style = style.bg(color("bg", bg)?);
        }
        for m in self.modifiers.iter().flatten() {
            let modifier = parse_modifier(m.get_ref()).ok_or_else(|| ThemeError::BadModifier {
                file: file.to_owned(),
                line: line_at(text, m.span().start),
                key: key.to_owned(),
                value: m.get_ref().clone(),
            })?;
            style = style.add_modifier(modifier);
        }
        Ok(style)
    }
}

fn parse_modifier(s: &str) -> Option<Modifier> {
    Some(match s.to_ascii_lowercase().replace('-', "_").as_str() {
        "bold" => Modifier::BOLD,
        "dim" => Modifier::DIM,
        "italic" => Modifier::ITALIC,
        "underlined" | "underline" => Modifier::UNDERLINED,
        "reversed" | "reverse" => Modifier::REVERSED,
        "crossed_out" | "strikethrough" => Modifier::CROSSED_OUT,
        "slow_blink" => Modifier::SLOW_BLINK,
        "rapid_blink" => Modifier::RAPID_BLINK,
        "hidden" => Modifier::HIDDEN,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin_text(name: &str) -> &'static str {
        match name {
            "dark" => DARK,
            "light" => LIGHT,
            "high-contrast" => HIGH_CONTRAST,
            "monochrome" => MONOCHROME,
            _ => panic!("no built-in {name}"),
        }
    }

    #[test]
    fn every_builtin_parses_and_sets_every_key() {
        for name in Theme::BUILTIN {
            let theme = Theme::load(Some(name), false).unwrap();
            assert_eq!(theme.name, *name);
            // Complete files: a missing table would silently inherit dark's
            // colours in user themes and be plain text in the built-in.
            let table: toml::Table = builtin_text(name).parse().unwrap();
            let mut keys: Vec<&str> = table.keys().map(String::as_str).collect();
            let mut want = Theme::KEYS.to_vec();
            keys.sort_unstable();
            want.sort_unstable();
            assert_eq!(keys, want, "themes/{name}.toml");
        }
    }

    #[test]
    fn default_is_dark_and_names_are_case_insensitive() {
        let dark = Theme::load(None, false).unwrap();
        assert_eq!(dark.name, "dark");
        assert_eq!(dark, Theme::load(Some("Dark"), false).unwrap());
        assert_eq!(
            dark.selected,
            Style::new()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD)
        );
    }

    #[test]
    fn the_themes_differ() {
        let themes: Vec<Theme> = Theme::BUILTIN
            .iter()
            .map(|n| Theme::load(Some(n), false).unwrap())
            .collect();
        for (i, a) in themes.iter().enumerate() {
            for b in &themes[i + 1..] {
                assert_ne!(a.selected, b.selected, "{} and {}", a.name, b.name);
            }
        }
        let hc = &themes[2];
        assert_eq!(hc.base.bg, Some(Color::Black));
        assert!(hc.selected.add_modifier.contains(Modifier::BOLD));
    }

    #[test]
    fn partial_user_theme_falls_back_to_dark() {
        let text =
            "[selected]\nfg = \"#ff8000\"\nmodifiers = [\"underlined\"]\n\n[sdp]\nbg = \"123\"\n";
        let theme = Theme::from_toml("mine", text).unwrap();
        let dark = Theme::load(None, false).unwrap();
        assert_eq!(theme.name, "mine");
        // A table replaces the whole style: no bg inherited from dark.
        assert_eq!(
            theme.selected,
            Style::new()
                .fg(Color::Rgb(0xff, 0x80, 0))
                .add_modifier(Modifier::UNDERLINED)
        );
        assert_eq!(theme.sdp, Style::new().bg(Color::Indexed(123)));
        assert_eq!(theme.header, dark.header);
        assert_eq!(theme.server_error, dark.server_error);
    }

    #[test]
    fn user_theme_file_loads_by_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sunny.toml");
        std::fs::write(&path, "[key]\nfg = \"lightmagenta\"\n").unwrap();
        let theme = Theme::load(path.to_str(), false).unwrap();
        assert_eq!(theme.name, "sunny");
        assert_eq!(theme.key, Style::new().fg(Color::LightMagenta));
    }

    #[test]
    fn unknown_key_names_the_key_line_and_a_suggestion() {
        let err = Theme::from_toml(
            "mine.toml",
            "[title]\nfg = \"red\"\n\n[selectd]\nfg = \"red\"\n",
        )
        .unwrap_err();
        assert!(matches!(&err, ThemeError::UnknownKey { key, line: 4, .. } if key == "selectd"));
        assert_eq!(
            err.to_string(),
            "mine.toml:4: unknown style `[selectd]` (did you mean `selected`?)"
        );
    }

    #[test]
    fn unknown_field_in_a_style_is_an_error() {
        let err = Theme::from_toml("mine.toml", "[title]\n\nfgg = \"red\"\n").unwrap_err();
        assert!(
            matches!(err, ThemeError::Syntax { line: Some(3), .. }),
            "{err:?}"
        );
        assert!(err.to_string().contains("fgg"), "{err}");
    }

    #[test]
    fn bad_colour_and_modifier_are_errors() {
        let err = Theme::from_toml("mine.toml", "[status]\nfg = \"black\"\nbg = \"blurple\"\n")
            .unwrap_err();
        assert!(
            matches!(&err, ThemeError::BadColor { key, field: "bg", value, line: 3, .. }
                if key == "status" && value == "blurple"),
            "{err:?}"
        );
        assert!(err
            .to_string()
            .starts_with("mine.toml:3: [status] bg = \"blurple\""));

        for bad in ["\"#12345\"", "\"256\"", "\"#gg0000\""] {
            let text = format!("[dim]\nfg = {bad}\n");
            assert!(
                matches!(
                    Theme::from_toml("t", &text),
                    Err(ThemeError::BadColor { .. })
                ),
                "{bad}"
            );
        }

        let err = Theme::from_toml("t", "[dim]\nmodifiers = [\"bold\", \"blinky\"]\n").unwrap_err();
        assert!(matches!(&err, ThemeError::BadModifier { value, .. } if value == "blinky"));
    }

    #[test]
    fn syntax_and_type_errors_name_the_line() {
        let err = Theme::from_toml("t.toml", "[dim]\nfg = red\n").unwrap_err();
        assert!(
            matches!(err, ThemeError::Syntax { line: Some(2), .. }),
            "{err:?}"
        );
        let err = Theme::from_toml("t.toml", "[dim]\nfg = 3\n").unwrap_err();
        assert!(
            matches!(err, ThemeError::Syntax { line: Some(2), .. }),
            "{err:?}"
        );
        let err = Theme::from_toml("t.toml", "dim = \"red\"\n").unwrap_err();
        assert!(
            matches!(err, ThemeError::Syntax { line: Some(1), .. }),
            "{err:?}"
        );
        assert!(!err.to_string().contains('\n'));
    }

    #[test]
    fn unknown_name_and_missing_file() {
        let err = Theme::load(Some("solarised"), false).unwrap_err();
        assert!(matches!(&err, ThemeError::Unknown { name } if name == "solarised"));
        assert!(err
            .to_string()
            .contains("dark, light, high-contrast, monochrome"));
        let err = Theme::load(Some("/nonexistent/mine.toml"), false).unwrap_err();
        assert!(matches!(err, ThemeError::Read { .. }), "{err:?}");
    }

    fn assert_colourless(theme: &Theme) {
        for (key, style) in theme.styles() {
            assert_eq!(style.fg, None, "{key} fg");
            assert_eq!(style.bg, None, "{key} bg");
            assert_eq!(style.underline_color, None, "{key} underline colour");
        }
    }

    #[test]
    fn no_color_gives_monochrome() {
        assert_colourless(&Theme::monochrome());
        for name in Theme::BUILTIN {
            let theme = Theme::load(Some(name), true).unwrap();
            assert_eq!(theme, Theme::monochrome());
            assert_colourless(&theme);
        }
        assert_colourless(&Theme::load(None, true).unwrap());
        // Monochrome still tells the selection apart.
        assert!(Theme::monochrome()
            .selected
            .add_modifier
            .contains(Modifier::REVERSED));
    }

    #[test]
    fn code_classes() {
        let t = Theme::load(None, false).unwrap();
        assert_eq!(t.code_style(100), t.provisional);
        assert_eq!(t.code_style(183), t.provisional);
        assert_eq!(t.code_style(200), t.success);
        assert_eq!(t.code_style(302), t.redirect);
        assert_eq!(t.code_style(486), t.client_error);
        assert_eq!(t.code_style(503), t.server_error);
        assert_eq!(t.code_style(603), t.server_error);
        assert_eq!(t.code_style(99), t.base);
        assert_eq!(t.code_style(700), t.base);
    }

    #[test]
    fn line_numbers() {
        assert_eq!(line_at("a\nb\nc", 0), 1);
        assert_eq!(line_at("a\nb\nc", 2), 2);
        assert_eq!(line_at("a\nb\nc", 99), 3);
    }
}
