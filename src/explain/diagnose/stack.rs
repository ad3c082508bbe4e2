//! Which software answered: read from Server / User-Agent and the marks a
//! stack leaves in tags and branches, so advice names the right settings
//! (sip.conf for chan_sip, pjsip.conf for PJSIP, plain SIP otherwise).

use super::call_view::CallView;
use super::evidence::CaptureEvidence;
use serde::Serialize;

/// The SIP stack of the answering side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "version", rename_all = "snake_case")]
pub enum Stack {
    /// Asterisk with chan_sip (up to 11 always; later when its tags show).
    ChanSip(String),
    /// Asterisk with chan_pjsip.
    Pjsip(String),
    /// Asterisk 12 or later, channel driver not told by the capture.
    Asterisk(String),
    /// Kamailio, OpenSER, SER, sip-router.
    Kamailio(String),
    OpenSips(String),
    FreeSwitch(String),
    /// Any other named server, proxy or SBC (repro, a provider's box).
    Other(String),
    /// Nothing in the capture names it.
    Unknown,
}

/// The words of an Asterisk version ("11.7.0" -> 11).
fn major(version: &str) -> Option<u32> {
    version.split(['.', '-', ' ']).next()?.parse().ok()
}

/// The first version-looking word after `name` in `s`.
fn version_after(s: &str, name: &str) -> String {
    let lower = s.to_ascii_lowercase();
    let Some(at) = lower.find(name) else {
        return String::new();
    };
    s[at + name.len()..]
        .split(|c: char| c.is_whitespace() || c == '/' || c == '(' || c == ')')
        .find(|w| w.starts_with(|c: char| c.is_ascii_digit()))
        .unwrap_or("")
        .to_owned()
}

/// chan_sip's tags: `as` and eight hex digits.
fn chan_sip_tag(tag: &str) -> bool {
    tag.len() == 10 && tag.starts_with("as") && tag[2..].bytes().all(|b| b.is_ascii_hexdigit())
}

impl Stack {
    /// Names a stack from a Server or User-Agent value alone.
    pub fn from_software(s: &str) -> Stack {
        let lower = s.to_ascii_lowercase();
        if let Some(rest) = lower.strip_prefix("fpbx-") {
            // FreePBX: `FPBX-14.0.13(13.27.0)`, the Asterisk version in brackets.
            let asterisk = rest
                .split_once('(')
                .map(|(_, v)| v.trim_end_matches(')').to_owned())
                .unwrap_or_default();
            return Self::asterisk(&asterisk);
        }
        if lower.contains("asterisk") {
            return Self::asterisk(&version_after(s, "asterisk"));
        }
        for (name, make) in [
            ("kamailio", Stack::Kamailio as fn(String) -> Stack),
            ("openser", Stack::Kamailio),
            ("sip-router", Stack::Kamailio),
            ("sip express router", Stack::Kamailio),
            ("opensips", Stack::OpenSips),
            ("freeswitch", Stack::FreeSwitch),
        ] {
            if lower.contains(name) {
                return make(version_after(s, name));
            }
        }
        if lower.starts_with("ser ") || lower == "ser" || lower.starts_with("ser (") {
            return Stack::Kamailio(version_after(s, "ser"));
        }
        Stack::Other(s.trim().to_owned())
    }

    fn asterisk(version: &str) -> Stack {
        match major(version) {
            // 1.x and up to 11: chan_sip only.
            Some(m) if m <= 11 => Stack::ChanSip(version.to_owned()),
            _ => Stack::Asterisk(version.to_owned()),
        }
    }

    /// The answering stack of a call: the software of the side the first
    /// request went to (its own messages first, then what the capture says
    /// of its address), refined by chan_sip's or PJSIP's marks.
    pub fn of_call(v: &CallView<'_>, evidence: &CaptureEvidence) -> Stack {
        let server = v.call.dst;
        let ip = v.addr(server).ip();
        // Its own messages only (by address and port: on one host, the
        // other side shares the IP).
        let mut software = None;
        let mut chan_sip_marks = false;
        let mut pjsip_marks = false;
        for (k, &(_, m)) in v.msgs.iter().enumerate() {
            if m.src != server {
                continue;
            }
            let Some(f) = v.facts(k) else { continue };
            // A relayed request carries its originator's User-Agent.
            let own = CallView::code(m).is_some() || f.vias <= 1;
            if software.is_none() && own {
                software.clone_from(&f.software);
            }
            let own_tag = if CallView::code(m).is_some() {
                &f.to_tag
            } else {
                &f.from_tag
            };
            chan_sip_marks |= chan_sip_tag(own_tag);
            // PJSIP's branches start z9hG4bKPj; its challenges carry qop.
            pjsip_marks |= CallView::code(m).is_none() && f.branch.starts_with("z9hG4bKPj");
            if let Some(ch) = &f.challenge {
                pjsip_marks |= ch.qop.is_some() && ch.opaque.is_some();
            }
        }
        let stack = match software.as_deref().or_else(|| evidence.software(ip)) {
            Some(s) => Stack::from_software(s),
            None => return Stack::Unknown,
        };
        match stack {
            Stack::Asterisk(version) if chan_sip_marks => Stack::ChanSip(version),
            Stack::Asterisk(version) if pjsip_marks => Stack::Pjsip(version),
            other => other,
        }
    }

    /// One line for the explain pane.
    pub fn describe(&self) -> String {
        let v = |s: &str| {
            if s.is_empty() {
                String::new()
            } else {
                format!(" {s}")
            }
        };
        match self {
            Stack::ChanSip(ver) => format!("Asterisk{} (chan_sip)", v(ver)),
            Stack::Pjsip(ver) => format!("Asterisk{} (chan_pjsip)", v(ver)),
            Stack::Asterisk(ver) => {
                format!(
                    "Asterisk{} (chan_sip or chan_pjsip: the capture does not tell)",
                    v(ver)
                )
            }
            Stack::Kamailio(ver) => format!("Kamailio / SER{}", v(ver)),
            Stack::OpenSips(ver) => format!("OpenSIPS{}", v(ver)),
            Stack::FreeSwitch(ver) => format!("FreeSWITCH{}", v(ver)),
            Stack::Other(name) => name.clone(),
            Stack::Unknown => "not named in the capture".into(),
        }
    }

    pub fn is_asterisk(&self) -> bool {
        matches!(
            self,
            Stack::ChanSip(_) | Stack::Pjsip(_) | Stack::Asterisk(_)
        )
    }

    /// The advice for this stack.
    pub fn pick(&self, a: &Advice) -> String {
        match self {
            Stack::ChanSip(_) => a.chan_sip.into(),
            Stack::Pjsip(_) => a.pjsip.into(),
            Stack::Asterisk(_) => format!("chan_pjsip: {} chan_sip: {}", a.pjsip, a.chan_sip),
            _ => a.plain.into(),
        }
    }
}

/// The answering stack of one call, worked out when a rule first needs it
/// (reading the server's messages costs a read each; most calls need no
/// advice at all).
pub struct LazyStack<'v> {
    view: &'v CallView<'v>,
    evidence: &'v CaptureEvidence,
    stack: std::cell::OnceCell<Stack>,
}

impl<'v> LazyStack<'v> {
    pub fn new(view: &'v CallView<'v>, evidence: &'v CaptureEvidence) -> Self {
        LazyStack {
            view,
            evidence,
            stack: std::cell::OnceCell::new(),
        }
    }

    pub fn get(&self) -> &Stack {
        self.stack
            .get_or_init(|| Stack::of_call(self.view, self.evidence))
    }

    pub fn pick(&self, a: &Advice) -> String {
        self.get().pick(a)
    }

    /// The stack, if a rule has worked it out already.
    pub fn known(&self) -> Option<&Stack> {
        self.stack.get()
    }
}

/// What to check, said three ways.
pub struct Advice {
    pub pjsip: &'static str,
    pub chan_sip: &'static str,
    /// For any other software, in plain SIP terms.
    pub plain: &'static str,
}

/// Words that belong to chan_pjsip's configuration or CLI.
const PJSIP_WORDS: [&str; 14] = [
    "pjsip",
    "res_pjsip",
    "max_contacts",
    "remove_existing",
    "rewrite_contact",
    "endpoint",
    "identify",
    "aor",
    "md5_cred",
    "external_signaling_address",
    "external_media_address",
    "contact_acl",
    "default_realm",
    "endpoint_identifier_order",
];

/// Keeps the sentences of a general text that fit the stack: PJSIP's
/// settings are dropped for anything that is not (or may not be) PJSIP.
pub fn fit_text(text: &str, stack: &Stack) -> String {
    if matches!(stack, Stack::Pjsip(_) | Stack::Asterisk(_)) {
        return text.to_owned();
    }
    let kept: Vec<&str> = text
        .split_inclusive(". ")
        .filter(|sentence| {
            let lower = sentence.to_ascii_lowercase();
            !PJSIP_WORDS.iter().any(|w| {
                lower
                    .match_indices(w)
                    .any(|(at, _)| word_at(&lower, at, w.len()))
            })
        })
        .collect();
    kept.concat().trim().to_owned()
}

/// True when `s[at..at+len]` is a whole word (not inside another).
fn word_at(s: &str, at: usize, len: usize) -> bool {
    let before = s[..at].chars().next_back();
    let after = s[at + len..].chars().next();
    let part = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    !part(before) && !part(after)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_stacks_of_the_field() {
        assert_eq!(
            Stack::from_software("Asterisk PBX 11.7.0"),
            Stack::ChanSip("11.7.0".into())
        );
        assert_eq!(
            Stack::from_software("Asterisk PBX 1.6.2.13"),
            Stack::ChanSip("1.6.2.13".into())
        );
        assert_eq!(
            Stack::from_software("FPBX-14.0.13(13.27.0)"),
            Stack::Asterisk("13.27.0".into())
        );
        assert_eq!(
            Stack::from_software("repro/1.9.7"),
            Stack::Other("repro/1.9.7".into())
        );
        assert_eq!(
            Stack::from_software("kamailio (5.6.3 (x86_64/linux))"),
            Stack::Kamailio("5.6.3".into())
        );
        assert_eq!(
            Stack::from_software("Sip EXpress router (0.9.6 (i386/linux))"),
            Stack::Kamailio("0.9.6".into())
        );
        assert!(chan_sip_tag("as5c4bd1e1"));
        assert!(!chan_sip_tag("1928301774"));
    }

    #[test]
    fn pjsip_sentences_leave_for_other_stacks() {
        let t = "The dialplan has no such extension. pjsip show endpoint alice for its context. Check the context.";
        assert_eq!(
            fit_text(t, &Stack::ChanSip("11".into())),
            "The dialplan has no such extension. Check the context."
        );
        assert_eq!(fit_text(t, &Stack::Pjsip("18".into())), t);
    }
}
