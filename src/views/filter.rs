//! Display filter for the call list: `--filter` now, the TUI's filter prompt
//! later. An expression is parsed once into a [`Filter`] and then tested
//! against each [`CallRow`].
//!
//! Grammar (keywords, field names and text comparisons ignore case):
//!
//! ```text
//! expr    = and ("or" and)*                  AND binds tighter than OR
//! and     = unary (["and"] unary)*           terms side by side are ANDed
//! unary   = ("!" | "not") unary | primary
//! primary = "(" expr ")" | term
//! term    = TEXT | "TEXT WITH SPACES"        substring of the call's text fields
//!         | /REGEX/                          regex over the same fields
//!         | problems                         verdict is a problem or a warning
//!         | FIELD OP VALUE                   e.g. code>=400, state=busy, from~^al
//!         | payload~/REGEX/ | payload:TEXT   the call's messages as text
//! OP      = "=" | "!=" | ">" | ">=" | "<" | "<=" | "~" (regex) | "!~"
//! ```
//!
//! The text fields of free text are From and To (user, display name, URI),
//! Call-ID, User-Agent and Server, source and destination address, and the
//! method and state label as the list shows them (so typing `busy` finds
//! busy calls, as in sngrep's search). The verdict is not among them: it
//! needs the diagnosis of every call; `verdict=no-ack` asks for it.
//!
//! Fields: `method`, `from`, `to`, `callid` (`call-id`), `src`, `dst`, `ua`
//! (User-Agent or Server), `transport`, `verdict`, `state` (name or label:
//! `busy`, `in_call`, `"in call"`, `rejected`, `"rejected 486"`) take `=`
//! (whole value, any of the field's parts; `src=10.0.0.1` ignores the port)
//! or `~`; `severity` (`problem`, `warning`, `info`, `normal`, `ok` for no finding)
//! takes `=`; `code` (final response, also as a
//! class: `4xx`), `msgs`, `duration` (seconds: `30`, `1.5`, `500ms`) and
//! `index` take the six comparisons. `!=` and `!~` are the negations of `=`
//! and `~`, so `code!=200` also keeps calls without a final code. Regexes use
//! the `regex` crate's syntax and ignore case unless they start with `(?-i)`
//! (other flags go inside too: `payload~/(?m)^CANCEL /`); inside `/.../`,
//! write `\/` for a slash, inside quotes `\"` for a quote. Operators and
//! parentheses end a bare word: quote text that contains them.

use super::columns::{Column, Field, Unit};
use super::list::CallRow;
use crate::explain::Severity;
use regex::{Regex, RegexBuilder};

const STATES: &str =
    "call_setup, ringing, in_call, completed, cancelled, rejected [CODE], busy, diverted [CODE]";
const SEVERITIES: &str = "problem, warning, info, normal, ok";

/// Why an expression could not be parsed; each message names the term.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    #[error("unclosed quote in `{term}`")]
    UnclosedQuote { term: String },
    #[error("unclosed regex `{term}`: end it with `/` (write `\\/` for a slash inside)")]
    UnclosedRegex { term: String },
    #[error("unclosed `(`: add the matching `)`")]
    UnclosedParen,
    #[error("`)` without a matching `(`")]
    UnmatchedParen,
    #[error("expected a term {place}")]
    MissingTerm { place: String },
    #[error("`{op}` needs a field before it, as in `code{op}486`")]
    MissingField { op: &'static str },
    #[error("`{term}` needs a value after `{op}` (quote one with spaces or parentheses)")]
    MissingValue { term: String, op: &'static str },
    #[error("unknown field `{field}` in `{term}` (fields: {fields}); to search for the text, quote it: \"{term}\"", fields = Column::filter_fields())]
    UnknownField { field: String, term: String },
    #[error("bad number `{value}` in `{term}`: {hint}")]
    BadNumber {
        term: String,
        value: String,
        hint: &'static str,
    },
    #[error("bad regex in `{term}`: {reason}")]
    BadRegex { term: String, reason: String },
    #[error("`{op}` does not apply in `{term}`: {hint}")]
    BadOperator {
        term: String,
        op: &'static str,
        hint: &'static str,
    },
    #[error("unknown {what} `{value}` in `{term}` ({what}s: {known})")]
    BadValue {
        term: String,
        what: &'static str,
        value: String,
        known: &'static str,
    },
}

/// A parsed filter expression; cheap to test against many rows.
#[derive(Debug, Clone)]
pub struct Filter {
    root: Node,
}

impl Default for Filter {
    /// The empty filter: keeps every call.
    fn default() -> Filter {
        Filter {
            root: Node::And(Vec::new()),
        }
    }
}

impl Filter {
    pub fn parse(expr: &str) -> Result<Filter, FilterError> {
        let toks = lex(expr)?;
        if toks.is_empty() {
            return Ok(Filter::default());
        }
        let mut p = Parser { expr, toks, pos: 0 };
        let root = p.or()?;
        if p.pos < p.toks.len() {
            // `or()` stops only at a `)` it did not open.
            return Err(FilterError::UnmatchedParen);
        }
        Ok(Filter { root })
    }

    /// No terms: every call matches.
    pub fn is_empty(&self) -> bool {
        matches!(&self.root, Node::And(v) if v.is_empty())
    }

    /// `payload` is called at most once, and only when a payload term has to
    /// be tested (other terms are tested first); it returns the call's
    /// messages as text.
    pub fn matches(&self, row: &CallRow, payload: &mut dyn FnMut() -> String) -> bool {
        let mut ctx = Ctx {
            payload,
            text: None,
        };
        self.root.eval(row, &mut ctx)
    }

    /// Some term reads the messages' text (reading them costs I/O).
    pub fn needs_payload(&self) -> bool {
        self.root.needs_payload()
    }

    /// True when a term reads the calls' RTP (`rtp`, `loss`, `jitter`,
    /// `codec`, `dtmf`): the caller fills [`CallRow::media`] first.
    pub fn needs_media(&self) -> bool {
        self.root.needs_media()
    }

    /// True when a term reads the diagnosis (`verdict`, `severity`,
    /// `problems`): only then must the caller run it for every call.
    pub fn needs_verdict(&self) -> bool {
        self.root.needs_verdict()
    }
}

// ---------------------------------------------------------------- evaluation

#[derive(Debug, Clone)]
enum Node {
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    /// Free text (as an escaped regex) or `/regex/` over the text fields.
    Text(Regex),
    Payload(Regex),
    Problems,
    /// Whole-value comparison; `value` is already folded.
    StrEq {
        field: Column,
        value: String,
    },
    StrRe {
        field: Column,
        re: Regex,
    },
    /// `lo..=hi` is the value (a range for a class such as `4xx`).
    Num {
        field: Column,
        value: fn(&CallRow) -> Option<f64>,
        op: Op,
        lo: f64,
        hi: f64,
    },
    Severity(Option<Severity>),
}

struct Ctx<'a> {
    payload: &'a mut dyn FnMut() -> String,
    text: Option<String>,
}

impl Node {
    fn needs_payload(&self) -> bool {
        match self {
            Node::And(v) | Node::Or(v) => v.iter().any(Node::needs_payload),
            Node::Not(n) => n.needs_payload(),
            Node::Payload(_) => true,
            _ => false,
        }
    }

    fn needs_media(&self) -> bool {
        match self {
            Node::And(v) | Node::Or(v) => v.iter().any(Node::needs_media),
            Node::Not(n) => n.needs_media(),
            Node::StrEq { field, .. } | Node::StrRe { field, .. } | Node::Num { field, .. } => {
                field.is_media()
            }
            _ => false,
        }
    }

    fn needs_verdict(&self) -> bool {
        match self {
            Node::And(v) | Node::Or(v) => v.iter().any(Node::needs_verdict),
            Node::Not(n) => n.needs_verdict(),
            Node::Problems | Node::Severity(_) => true,
            Node::StrEq { field, .. } | Node::StrRe { field, .. } => *field == Column::Verdict,
            _ => false,
        }
    }

    fn eval(&self, row: &CallRow, ctx: &mut Ctx<'_>) -> bool {
        match self {
            Node::And(v) => v.iter().all(|n| n.eval(row, ctx)),
            Node::Or(v) => v.iter().any(|n| n.eval(row, ctx)),
            Node::Not(n) => !n.eval(row, ctx),
            Node::Text(re) => text_fields(row)
                .into_iter()
                .flatten()
                .any(|f| re.is_match(f)),
            Node::Payload(re) => {
                let text = ctx.text.get_or_insert_with(|| (ctx.payload)());
                re.is_match(text)
            }
            Node::Problems => row.needs_a_look(),
            Node::StrEq { field, value } => {
                let fold_sep = *field == Column::State;
                str_values(row, *field)
                    .into_iter()
                    .flatten()
                    .any(|f| fold(f, fold_sep).eq(value.chars()))
            }
            Node::StrRe { field, re } => str_values(row, *field)
                .into_iter()
                .flatten()
                .any(|f| re.is_match(f)),
            Node::Num {
                value, op, lo, hi, ..
            } => {
                let Some(x) = value(row) else {
                    return false;
                };
                match op {
                    Op::Gt => x > *hi,
                    Op::Ge => x >= *lo,
                    Op::Lt => x < *lo,
                    Op::Le => x <= *hi,
                    // `!=` is parsed as `!(=)`.
                    _ => *lo <= x && x <= *hi,
                }
            }
            Node::Severity(want) => row.verdict.is_some_and(|v| v.severity == *want),
        }
    }
}

fn text_fields(row: &CallRow) -> [Option<&str>; 13] {
    [
        Some(&row.from_user),
        row.from_display.as_deref(),
        Some(&row.from_uri),
        Some(&row.to_user),
        row.to_display.as_deref(),
        Some(&row.to_uri),
        Some(&row.call_id),
        row.user_agent.as_deref(),
        row.server.as_deref(),
        Some(&row.src),
        Some(&row.dst),
        Some(&row.method),
        row.state_label.as_deref(),
    ]
}

/// The values a text field term compares with.
fn str_values(row: &CallRow, field: Column) -> [Option<&str>; 3] {
    match field.spec().field {
        Some(Field::Text(values)) => values(row),
        Some(Field::State) => [row.state, row.state_label.as_deref(), None],
        _ => [None; 3],
    }
}

/// Lower case; for states also without separators, so `in_call`, `"in
/// call"` and `IN CALL` compare equal.
fn fold(s: &str, drop_sep: bool) -> impl Iterator<Item = char> + '_ {
    s.chars()
        .flat_map(char::to_lowercase)
        .filter(move |c| !(drop_sep && matches!(c, ' ' | '_' | '-')))
}

// --------------------------------------------------------------------- lexer

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    Match,
    NotMatch,
    /// `payload:TEXT`.
    Contains,
}

impl Op {
    fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Match => "~",
            Op::NotMatch => "!~",
            Op::Contains => ":",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    LParen,
    RParen,
    Bang,
    Op(Op),
    Word(String),
    Quoted(String),
    Regex(String),
}

#[derive(Debug, Clone)]
struct Tok {
    kind: Kind,
    /// Byte span in the expression, to quote the term in errors.
    start: usize,
    end: usize,
}

fn is_op_char(c: char) -> bool {
    matches!(c, '=' | '!' | '<' | '>' | '~')
}

fn lex(expr: &str) -> Result<Vec<Tok>, FilterError> {
    let chars: Vec<(usize, char)> = expr.char_indices().collect();
    let at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let offset = |i: usize| chars.get(i).map_or(expr.len(), |&(o, _)| o);
    let mut toks = Vec::new();
    let mut i = 0;
    while let Some(c) = at(i) {
        let start = i;
        let kind = match c {
            c if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '(' => {
                i += 1;
                Kind::LParen
            }
            ')' => {
                i += 1;
                Kind::RParen
            }
            '"' | '/' => {
                // Quoted text or a regex: `\` escapes the closing character
                // (and, in quotes, itself); other escapes reach the regex.
                let close = c;
                let mut s = String::new();
                i += 1;
                loop {
                    match at(i) {
                        None => {
                            let term = expr[offset(start)..].to_owned();
                            return Err(if close == '"' {
                                FilterError::UnclosedQuote { term }
                            } else {
                                FilterError::UnclosedRegex { term }
                            });
                        }
                        Some(ch) if ch == close => break,
                        Some('\\') if at(i + 1) == Some(close) => {
                            s.push(close);
                            i += 1;
                        }
                        Some('\\') if close == '"' && at(i + 1) == Some('\\') => {
                            s.push('\\');
                            i += 1;
                        }
                        Some(ch) => s.push(ch),
                    }
                    i += 1;
                }
                i += 1;
                if close == '"' {
                    Kind::Quoted(s)
                } else {
                    Kind::Regex(s)
                }
            }
            c if is_op_char(c) => {
                let next = at(i + 1);
                let (kind, len) = match (c, next) {
                    ('=', Some('=')) => (Kind::Op(Op::Eq), 2),
                    ('=', _) => (Kind::Op(Op::Eq), 1),
                    ('!', Some('=')) => (Kind::Op(Op::Ne), 2),
                    ('!', Some('~')) => (Kind::Op(Op::NotMatch), 2),
                    ('!', _) => (Kind::Bang, 1),
                    ('>', Some('=')) => (Kind::Op(Op::Ge), 2),
                    ('>', _) => (Kind::Op(Op::Gt), 1),
                    ('<', Some('=')) => (Kind::Op(Op::Le), 2),
                    ('<', _) => (Kind::Op(Op::Lt), 1),
                    _ => (Kind::Op(Op::Match), 1),
                };
                i += len;
                kind
            }
            _ => {
                let mut s = String::new();
                while let Some(ch) = at(i) {
                    if ch.is_whitespace() || matches!(ch, '(' | ')' | '"') || is_op_char(ch) {
                        break;
                    }
                    // `payload:` is an operator; elsewhere `:` is text
                    // (addresses, URIs).
                    if ch == ':' && s.eq_ignore_ascii_case("payload") {
                        break;
                    }
                    s.push(ch);
                    i += 1;
                }
                if at(i) == Some(':') && s.eq_ignore_ascii_case("payload") {
                    toks.push(Tok {
                        kind: Kind::Word(s),
                        start: offset(start),
                        end: offset(i),
                    });
                    toks.push(Tok {
                        kind: Kind::Op(Op::Contains),
                        start: offset(i),
                        end: offset(i + 1),
                    });
                    i += 1;
                    continue;
                }
                Kind::Word(s)
            }
        };
        toks.push(Tok {
            kind,
            start: offset(start),
            end: offset(i),
        });
    }
    Ok(toks)
}

// -------------------------------------------------------------------- parser

struct Parser<'a> {
    expr: &'a str,
    toks: Vec<Tok>,
    pos: usize,
}

fn is_keyword(kind: Option<&Kind>, kw: &str) -> bool {
    matches!(kind, Some(Kind::Word(w)) if w.eq_ignore_ascii_case(kw))
}

/// Children without payload terms first, so a payload is read only when the
/// cheap terms did not decide.
fn group(mut nodes: Vec<Node>, and: bool) -> Node {
    if nodes.len() == 1 {
        return nodes.remove(0);
    }
    nodes.sort_by_key(Node::needs_payload);
    if and {
        Node::And(nodes)
    } else {
        Node::Or(nodes)
    }
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Kind> {
        self.toks.get(self.pos).map(|t| &t.kind)
    }

    fn peek_at(&self, ahead: usize) -> Option<&Kind> {
        self.toks.get(self.pos + ahead).map(|t| &t.kind)
    }

    fn text(&self, from: usize, to: usize) -> String {
        let (Some(a), Some(b)) = (self.toks.get(from), self.toks.get(to)) else {
            return String::new();
        };
        self.expr.get(a.start..b.end).unwrap_or_default().to_owned()
    }

    fn or(&mut self) -> Result<Node, FilterError> {
        let mut terms = vec![self.and()?];
        while is_keyword(self.peek(), "or") {
            self.pos += 1;
            terms.push(self.and()?);
        }
        Ok(group(terms, false))
    }

    fn and(&mut self) -> Result<Node, FilterError> {
        let mut terms = vec![self.unary()?];
        loop {
            match self.peek() {
                None | Some(Kind::RParen) => break,
                k if is_keyword(k, "or") => break,
                k if is_keyword(k, "and") => self.pos += 1,
                _ => {}
            }
            terms.push(self.unary()?);
        }
        Ok(group(terms, true))
    }

    fn unary(&mut self) -> Result<Node, FilterError> {
        let negate = match self.peek() {
            Some(Kind::Bang) => true,
            // `not` followed by an operator is a (bad) field name.
            k => is_keyword(k, "not") && !matches!(self.peek_at(1), Some(Kind::Op(_))),
        };
        if negate {
            self.pos += 1;
            return Ok(Node::Not(Box::new(self.unary()?)));
        }
        self.primary()
    }

    fn missing_term(&self) -> FilterError {
        let place = match (self.pos.checked_sub(1), self.pos < self.toks.len()) {
            (Some(prev), _) => format!("after `{}`", self.text(prev, prev)),
            (None, true) => format!("before `{}`", self.text(self.pos, self.pos)),
            (None, false) => "in the expression".to_owned(),
        };
        FilterError::MissingTerm { place }
    }

    fn primary(&mut self) -> Result<Node, FilterError> {
        let Some(kind) = self.peek().cloned() else {
            return Err(self.missing_term());
        };
        if is_keyword(Some(&kind), "or") || is_keyword(Some(&kind), "and") {
            return Err(self.missing_term());
        }
        match kind {
            Kind::LParen => {
                self.pos += 1;
                if self.peek() == Some(&Kind::RParen) {
                    return Err(FilterError::MissingTerm {
                        place: "inside `()`".to_owned(),
                    });
                }
                let inner = self.or()?;
                if self.peek() != Some(&Kind::RParen) {
                    return Err(FilterError::UnclosedParen);
                }
                self.pos += 1;
                Ok(inner)
            }
            Kind::RParen | Kind::Bang => Err(self.missing_term()),
            Kind::Op(op) => Err(FilterError::MissingField { op: op.as_str() }),
            Kind::Quoted(s) => {
                self.pos += 1;
                let term = self.text(self.pos - 1, self.pos - 1);
                Ok(Node::Text(regex(&regex::escape(&s), &term)?))
            }
            Kind::Regex(s) => {
                self.pos += 1;
                let term = self.text(self.pos - 1, self.pos - 1);
                Ok(Node::Text(regex(&s, &term)?))
            }
            Kind::Word(w) => {
                if let Some(Kind::Op(op)) = self.peek_at(1) {
                    let op = *op;
                    return self.field_term(&w, op);
                }
                self.pos += 1;
                if w.eq_ignore_ascii_case("problems") {
                    return Ok(Node::Problems);
                }
                let term = self.text(self.pos - 1, self.pos - 1);
                Ok(Node::Text(regex(&regex::escape(&w), &term)?))
            }
        }
    }

    /// `FIELD OP VALUE`, with `pos` on FIELD.
    fn field_term(&mut self, field: &str, op: Op) -> Result<Node, FilterError> {
        let first = self.pos;
        let value = match self.peek_at(2) {
            Some(Kind::Word(s) | Kind::Quoted(s)) => Value::Text(s.clone()),
            Some(Kind::Regex(s)) => Value::Regex(s.clone()),
            _ => {
                return Err(FilterError::MissingValue {
                    term: self.text(first, first + 1),
                    op: op.as_str(),
                })
            }
        };
        self.pos += 3;
        let term = self.text(first, first + 2);
        build_field(&field.to_ascii_lowercase(), op, value, &term)
    }
}

enum Value {
    /// A bare word or quoted text.
    Text(String),
    Regex(String),
}

enum FieldKind {
    Str(Column),
    Num(Column, fn(&CallRow) -> Option<f64>, Unit),
    Severity,
    Payload,
}

/// A column's filter field (by its name, an alias or its title), or one
/// of the fields that are no column.
fn field_kind(name: &str) -> Option<FieldKind> {
    match name {
        "severity" => return Some(FieldKind::Severity),
        "payload" => return Some(FieldKind::Payload),
        _ => {}
    }
    let column = Column::parse(name)?;
    Some(match column.spec().field? {
        Field::Text(_) | Field::State => FieldKind::Str(column),
        Field::Number(value, unit) => FieldKind::Num(column, value, unit),
    })
}

fn build_field(name: &str, op: Op, value: Value, term: &str) -> Result<Node, FilterError> {
    let Some(kind) = field_kind(name) else {
        return Err(FilterError::UnknownField {
            field: name.to_owned(),
            term: term.to_owned(),
        });
    };
    let bad_op = |hint| FilterError::BadOperator {
        term: term.to_owned(),
        op: op.as_str(),
        hint,
    };
    let node = match (kind, op, value) {
        (FieldKind::Str(field), Op::Eq | Op::Ne, Value::Text(v)) => {
            let is_state = field == Column::State;
            let value: String = fold(&v, is_state).collect();
            if is_state && !known_state(&value) {
                return Err(FilterError::BadValue {
                    term: term.to_owned(),
                    what: "state",
                    value: v,
                    known: STATES,
                });
            }
            Node::StrEq { field, value }
        }
        (FieldKind::Str(field), Op::Match | Op::NotMatch, Value::Text(p))
        | (FieldKind::Str(field), Op::Eq | Op::Ne | Op::Match | Op::NotMatch, Value::Regex(p)) => {
            Node::StrRe {
                field,
                re: regex(&p, term)?,
            }
        }
        (FieldKind::Str(_), ..) => return Err(bad_op("a text field takes =, !=, ~ or !~")),
        (
            FieldKind::Num(field, value, unit),
            Op::Eq | Op::Ne | Op::Gt | Op::Ge | Op::Lt | Op::Le,
            Value::Text(v),
        ) => {
            let (lo, hi) = number(unit, &v, term)?;
            Node::Num {
                field,
                value,
                op,
                lo,
                hi,
            }
        }
        (FieldKind::Num(..), ..) => {
            return Err(bad_op("a number takes =, !=, <, <=, > or >= and a number"))
        }
        (FieldKind::Severity, Op::Eq | Op::Ne, Value::Text(v)) => {
            let want = match v.to_ascii_lowercase().as_str() {
                "problem" => Some(Severity::Problem),
                "warning" => Some(Severity::Warning),
                "info" => Some(Severity::Info),
                "normal" => Some(Severity::Normal),
                "ok" => None,
                _ => {
                    return Err(FilterError::BadValue {
                        term: term.to_owned(),
                        what: "severity",
                        value: v,
                        known: SEVERITIES,
                    })
                }
            };
            Node::Severity(want)
        }
        (FieldKind::Severity, ..) => return Err(bad_op("severity takes = or != and a level")),
        (FieldKind::Payload, Op::Contains, Value::Text(t)) => {
            Node::Payload(regex(&regex::escape(&t), term)?)
        }
        (
            FieldKind::Payload,
            Op::Contains | Op::Match | Op::NotMatch,
            Value::Text(p) | Value::Regex(p),
        ) => Node::Payload(regex(&p, term)?),
        (FieldKind::Payload, ..) => return Err(bad_op("write payload~/REGEX/ or payload:TEXT")),
    };
    Ok(match op {
        Op::Ne | Op::NotMatch => Node::Not(Box::new(node)),
        _ => node,
    })
}

/// Folded state names, with a code after `rejected` / `diverted`.
fn known_state(folded: &str) -> bool {
    const NAMES: [&str; 8] = [
        "callsetup",
        "ringing",
        "incall",
        "completed",
        "cancelled",
        "rejected",
        "busy",
        "diverted",
    ];
    if NAMES.contains(&folded) {
        return true;
    }
    ["rejected", "diverted"].iter().any(|p| {
        folded
            .strip_prefix(p)
            .is_some_and(|code| code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// A number as the range it stands for: `486` is 486..=486, `4xx` is
/// 400..=499, `500ms` is 0.5 s.
fn number(unit: Unit, v: &str, term: &str) -> Result<(f64, f64), FilterError> {
    let bad = |hint| FilterError::BadNumber {
        term: term.to_owned(),
        value: v.to_owned(),
        hint,
    };
    match unit {
        Unit::Code => {
            const HINT: &str = "code takes a number like 486 or a class like 4xx";
            let digits = v.trim_end_matches(['x', 'X']);
            let wild = (v.len() - digits.len()) as u32;
            if wild > 0 && (v.len() != 3 || digits.is_empty()) {
                return Err(bad(HINT));
            }
            let n: u32 = digits.parse().map_err(|_| bad(HINT))?;
            let scale = 10u32.pow(wild);
            let lo = n.checked_mul(scale).ok_or_else(|| bad(HINT))?;
            Ok((f64::from(lo), f64::from(lo + (scale - 1))))
        }
        Unit::Seconds => {
            const HINT: &str = "duration takes seconds, like 30, 1.5 or 500ms";
            let (num, per_second) = match v.strip_suffix("ms") {
                Some(n) => (n, 1000.0),
                None => (v.strip_suffix('s').unwrap_or(v), 1.0),
            };
            let x: f64 = num.parse().map_err(|_| bad(HINT))?;
            if !x.is_finite() {
                return Err(bad(HINT));
            }
            // Divided like the row's own milliseconds, so `=` can hold.
            Ok((x / per_second, x / per_second))
        }
        Unit::Count => {
            let n: u64 = v.parse().map_err(|_| bad("takes a whole number"))?;
            Ok((n as f64, n as f64))
        }
        Unit::Measure => {
            const HINT: &str = "loss takes a percent (5 or 5%), jitter milliseconds (30 or 30ms), mos a number (3.6)";
            let num = v.trim_end_matches('%').trim_end_matches("ms");
            let x: f64 = num.parse().map_err(|_| bad(HINT))?;
            if !x.is_finite() {
                return Err(bad(HINT));
            }
            Ok((x, x))
        }
    }
}

/// Case-insensitive unless the pattern says `(?-i)`.
fn regex(pattern: &str, term: &str) -> Result<Regex, FilterError> {
    RegexBuilder::new(pattern)
        .case_insensitive(true)
        .build()
        .map_err(|e| FilterError::BadRegex {
            term: term.to_owned(),
            reason: regex_reason(&e),
        })
}

/// The regex crate's message spans lines (pattern, caret, error); keep the
/// one line that says what is wrong.
fn regex_reason(e: &regex::Error) -> String {
    let text = e.to_string();
    text.lines()
        .find_map(|l| l.trim().strip_prefix("error: "))
        .or_else(|| text.lines().map(str::trim).rfind(|l| !l.is_empty()))
        .unwrap_or("invalid pattern")
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::Verdict;

    use crate::views::list::test_row as row;

    fn busy() -> CallRow {
        row(1, "INVITE", Some(("busy", "BUSY")), Some(486))
    }

    fn m(expr: &str, r: &CallRow) -> bool {
        let f = Filter::parse(expr).unwrap_or_else(|e| panic!("{expr}: {e}"));
        f.matches(r, &mut || "INVITE sip:bob SIP/2.0\r\nContent-Type: application/sdp\r\n\r\na=rtpmap:101 telephone-event/8000".to_owned())
    }

    fn err(expr: &str) -> String {
        match Filter::parse(expr) {
            Ok(f) => panic!("{expr} parsed: {f:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn empty_matches_everything() {
        for e in ["", "   "] {
            let f = Filter::parse(e).expect("parse");
            assert!(f.is_empty());
            assert!(!f.needs_payload());
            assert!(m(e, &busy()));
        }
        assert!(!Filter::parse("alice").expect("parse").is_empty());
    }

    #[test]
    fn free_text_over_the_text_fields() {
        let r = busy();
        for yes in [
            "alice",
            "ALICE",
            "\"alice smith\"",
            "bob",
            "call-1@",
            "zoiper",
            "asterisk",
            "10.0.0.1",
            "2001:db8",
            "sip:alice@example.test",
            "busy",
            "invite",
        ] {
            assert!(m(yes, &r), "{yes}");
        }
        for no in ["carol", "\"smith alice\"", "cancelled"] {
            assert!(!m(no, &r), "{no}");
        }
    }

    #[test]
    fn regex_terms() {
        let r = busy();
        assert!(m("/^ali/", &r));
        assert!(m("/ALI.E/", &r));
        assert!(!m("/(?-i)ALICE/", &r));
        assert!(m(r"/example\.test$/", &r));
        assert!(m(r"/a\/b/ or alice", &r));
        assert!(m("/two words|alice/", &r));
    }

    #[test]
    fn precedence_and_binds_tighter_than_or() {
        let r = busy();
        // alice AND carol fails, OR bob holds.
        assert!(m("alice carol or bob", &r));
        // carol OR bob holds, but AND dave fails.
        assert!(!m("(carol or bob) dave", &r));
        assert!(m("carol or bob alice", &r));
        assert!(!m("carol or bob dave", &r));
        assert!(m("alice and bob", &r));
        assert!(m("carol OR alice", &r));
        assert!(m("((alice))", &r));
    }

    #[test]
    fn negation() {
        let r = busy();
        assert!(!m("!alice", &r));
        assert!(m("!carol", &r));
        assert!(m("not carol", &r));
        assert!(m("NOT carol alice", &r));
        assert!(m("!!alice", &r));
        assert!(!m("!(alice or carol)", &r));
        assert!(m("not(carol)", &r));
        // Negation binds to the next term only.
        assert!(m("!carol or carol", &r));
        assert!(!m("!alice bob", &r));
    }

    #[test]
    fn quotes_keep_keywords_and_operators_as_text() {
        let mut r = busy();
        r.from_display = Some("code=486 or not".to_owned());
        assert!(m("\"code=486 or not\"", &r));
        assert!(m("\"or\"", &r));
        assert!(m("\"not\"", &r));
        assert!(!m("\"problems\"", &r));
        r.to_display = Some("say \"hi\"".to_owned());
        assert!(m(r#""say \"hi\"""#, &r));
        assert!(m(r#"to="say \"hi\"""#, &r));
    }

    #[test]
    fn text_fields_compare_whole_values() {
        let r = busy();
        assert!(m("method=invite", &r));
        assert!(m("method==INVITE", &r));
        assert!(!m("method=inv", &r));
        assert!(m("method~inv", &r));
        assert!(m("method!=register", &r));
        assert!(m("method!~^reg", &r));
        assert!(m(
            "from=alice from=\"alice smith\" from=sip:alice@example.test",
            &r
        ));
        assert!(!m("from=bob", &r));
        assert!(m("to=bob", &r));
        assert!(m("callid=call-1@example.test call-id~^call-1", &r));
        assert!(m("src=10.0.0.1 src=10.0.0.1:5060", &r));
        assert!(m("dst=2001:db8::1 dst=[2001:db8::1]:5080", &r));
        assert!(!m("src=10.0.0.10", &r));
        assert!(m("ua~zoiper ua~asterisk ua=\"Zoiper 5\"", &r));
        assert!(m("transport=udp !transport=tcp", &r));
        assert!(m("verdict=busy", &r));
        assert!(m("method = INVITE", &r), "spaces around the operator");
        assert!(m("from=/^al/", &r), "a regex value with =");
    }

    #[test]
    fn states_by_name_or_label() {
        let r = busy();
        assert!(m("state=busy state=BUSY", &r));
        assert!(!m("state=completed", &r));
        let rej = row(2, "INVITE", Some(("rejected", "REJECTED 403")), Some(403));
        assert!(m("state=rejected", &rej));
        assert!(m("state=\"rejected 403\"", &rej));
        assert!(!m("state=\"rejected 404\"", &rej));
        let talk = row(3, "INVITE", Some(("in_call", "IN CALL")), Some(200));
        assert!(m("state=in_call", &talk));
        assert!(m("state=\"in call\"", &talk));
        assert!(m("state=incall", &talk));
        assert!(m("state~call", &talk));
        // A REGISTER has no state: `=` fails, `!=` holds.
        let reg = row(4, "REGISTER", None, Some(200));
        assert!(!m("state=completed", &reg));
        assert!(m("state!=completed", &reg));
    }

    #[test]
    fn numbers_and_classes() {
        let r = busy();
        assert!(m("code=486 code>=400 code<500 code>485 code<=486", &r));
        assert!(!m("code>486", &r));
        assert!(m(
            "code=4xx code=48x code!=5xx code>=4xx code<5xx code<=4xx",
            &r
        ));
        assert!(!m("code>4xx", &r));
        assert!(m("msgs=7 msgs>6 index=1 idx<2", &r));
        assert!(m(
            "duration>30 duration<32 duration=31.5 duration>=31500ms duration<32s",
            &r
        ));
        let none = row(5, "INVITE", Some(("call_setup", "CALL SETUP")), None);
        assert!(!m("code>=0", &none));
        assert!(!m("code=200", &none));
        assert!(m("code!=200", &none));
    }

    #[test]
    fn verdicts() {
        let mut r = busy();
        assert!(!m("problems", &r));
        assert!(m("severity=normal !severity=ok severity!=problem", &r));
        r.verdict = Some(Verdict {
            word: "auth-check",
            severity: Some(Severity::Warning),
        });
        assert!(m("problems", &r));
        assert!(m("PROBLEMS severity=warning verdict~auth", &r));
        r.verdict = Some(Verdict {
            word: "ok",
            severity: None,
        });
        assert!(m("severity=ok verdict=ok !problems", &r));
        // Rows built without verdicts match no verdict term.
        r.verdict = None;
        assert!(!m("problems", &r));
        assert!(!m("severity=ok", &r));
    }

    #[test]
    fn payload_is_read_lazily_and_once() {
        let r = busy();
        let calls = std::cell::Cell::new(0);
        let mut read = || {
            calls.set(calls.get() + 1);
            "a=rtpmap:101 telephone-event/8000\r\nUser-Agent: Zoiper".to_owned()
        };
        let f = Filter::parse("payload~/telephone-event/ payload:ZOIPER").expect("parse");
        assert!(f.needs_payload());
        assert!(f.matches(&r, &mut read));
        assert_eq!(calls.get(), 1);

        // Cheap terms decide first, even when written after the payload term.
        let f = Filter::parse("payload:zoiper carol").expect("parse");
        assert!(!f.matches(&r, &mut read));
        assert_eq!(calls.get(), 1);
        let f = Filter::parse("alice or payload:zoiper").expect("parse");
        assert!(f.matches(&r, &mut read));
        assert_eq!(calls.get(), 1);
        assert!(!Filter::parse("alice code=486")
            .expect("parse")
            .needs_payload());

        assert!(m("payload:\"application/sdp\"", &r));
        assert!(m("payload~\"rtpmap:101\"", &r));
        assert!(m("payload!~/g729/", &r));
        assert!(m("payload: telephone-event", &r));
        assert!(!m("payload:g729", &r));
    }

    proptest::proptest! {
        /// Any input parses or fails with an error; it never panics, and a
        /// parsed filter evaluates.
        #[test]
        fn never_panics(expr in r#"[ a-z0-9()!=<>~:/\\"x.é-]{0,30}"#) {
            if let Ok(f) = Filter::parse(&expr) {
                let _ = f.matches(&busy(), &mut String::new);
            }
        }
    }

    #[test]
    fn errors_name_the_bad_term() {
        let cases = [
            ("foo=1", "unknown field `foo` in `foo=1`"),
            ("tag=abc", "quote it: \"tag=abc\""),
            ("code>=abc", "bad number `abc` in `code>=abc`"),
            ("code=4x", "bad number `4x`"),
            ("code=xxx", "bad number `xxx`"),
            ("duration>nan", "bad number `nan`"),
            ("msgs>1.5", "bad number `1.5`"),
            ("/(/", "bad regex in `/(/`: unclosed group"),
            ("from~\"(\"", "bad regex in `from~\"(\"`"),
            ("from~(", "`from~` needs a value after `~`"),
            ("\"open", "unclosed quote in `\"open`"),
            ("alice /open", "unclosed regex `/open`"),
            ("(alice", "unclosed `(`"),
            ("alice)", "`)` without a matching `(`"),
            ("()", "expected a term inside `()`"),
            ("alice or", "expected a term after `or`"),
            ("or alice", "expected a term before `or`"),
            ("alice or or bob", "expected a term after `or`"),
            ("!", "expected a term after `!`"),
            ("alice not", "expected a term after `not`"),
            ("=alice", "`=` needs a field before it"),
            ("code>=", "`code>=` needs a value after `>=`"),
            ("code> )", "needs a value"),
            ("code~4", "`~` does not apply in `code~4`"),
            ("from>a", "`>` does not apply in `from>a`"),
            ("payload=x", "write payload~/REGEX/ or payload:TEXT"),
            ("state=in call", "unknown state `in` in `state=in`"),
            ("severity=bad", "unknown severity `bad`"),
        ];
        for (expr, needle) in cases {
            let e = err(expr);
            assert!(e.contains(needle), "{expr}: {e:?} lacks {needle:?}");
            assert!(!e.contains('\n'), "{expr}: not one line: {e:?}");
        }
    }
}
