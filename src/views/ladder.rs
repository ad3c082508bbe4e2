//! Where a ladder's lanes go and how its labels fit: the one layout that
//! `--flow` and the call-flow screen both draw (the screen adds styles and
//! scrolling only).
//!
//! The space between two adjacent lanes is sized by the labels of the
//! arrows that cross it, not by the longest label of the call, so a long
//! reason phrase widens only the gap it is drawn in. Given a width, gaps
//! are capped until the lanes fit; labels and headings that no longer fit
//! are cut with `…` (the whole text is in the message pane and the JSON).

use super::escape::clean;

/// Narrowest gap between two lanes: an arrowhead and a few characters.
const MIN_GAP: usize = 10;
/// What an arrow needs besides its label, bar to bar: the bar it starts
/// from, a line character and a space each side, and the arrowhead.
const ARROW_EXTRA: usize = 6;

/// One arrow (or nothing, a row with lanes only) to lay out.
#[derive(Debug, Clone, Copy)]
pub struct LaneArrow<'a> {
    pub from: usize,
    pub to: usize,
    pub label: &'a str,
}

/// The characters a ladder is drawn with: ASCII for text output, box
/// drawing for the screens.
#[derive(Debug, Clone, Copy)]
pub struct Glyphs {
    pub lane: char,
    pub line: char,
    pub right: char,
    pub left: char,
}

impl Glyphs {
    pub const ASCII: Glyphs = Glyphs {
        lane: '|',
        line: '-',
        right: '>',
        left: '<',
    };
    pub const BOX: Glyphs = Glyphs {
        lane: '│',
        line: '─',
        right: '►',
        left: '◄',
    };
}

/// Lane positions and fitted headings of one ladder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LadderLayout {
    /// Column of each lane's bar.
    pub lanes: Vec<usize>,
    /// Characters a row takes.
    pub width: usize,
    /// Lane headings, cut in the middle to their room.
    pub headings: Vec<String>,
}

impl LadderLayout {
    /// Lays out lanes named `headings` for `arrows`; with `fit`, no wider
    /// than that when it can be (never below [`MIN_GAP`] per gap).
    pub fn new(headings: &[String], arrows: &[LaneArrow<'_>], fit: Option<usize>) -> Self {
        let n = headings.len().max(1);
        let names: Vec<String> = headings.iter().map(|h| clean(h).into_owned()).collect();
        let len = |i: usize| names.get(i).map_or(0, |h| h.chars().count());
        // Natural gaps: headings side by side, then each arrow's label over
        // the gaps it crosses, narrowest spans first.
        let mut gaps: Vec<usize> = (0..n - 1)
            .map(|i| MIN_GAP.max(len(i).div_ceil(2) + len(i + 1) / 2 + 2))
            .collect();
        let mut right = len(n - 1) / 2 + 1;
        let mut spans: Vec<&LaneArrow<'_>> =
            arrows.iter().filter(|a| a.from < n && a.to < n).collect();
        spans.sort_by_key(|a| a.from.abs_diff(a.to));
        for a in spans {
            let need = a.label.chars().count() + ARROW_EXTRA;
            let (lo, hi) = (a.from.min(a.to), a.from.max(a.to));
            if lo == hi {
                // A message to its own host loops back on the right.
                match gaps.get_mut(lo) {
                    Some(g) => *g = (*g).max(need),
                    None => right = right.max(need),
                }
                continue;
            }
            let have: usize = gaps[lo..hi].iter().sum();
            if have < need {
                let span = hi - lo;
                let more = (need - have).div_ceil(span);
                for g in &mut gaps[lo..hi] {
                    *g += more;
                }
            }
        }
        let natural = Self::place(&names, &gaps, right, usize::MAX);
        let Some(width) = fit.filter(|&w| natural.width > w) else {
            return natural;
        };
        // Cap every gap at the largest size that fits.
        let widest = gaps.iter().copied().chain([right]).max().unwrap_or(MIN_GAP);
        let (mut lo, mut hi) = (MIN_GAP, widest);
        while lo < hi {
            let cap = (lo + hi).div_ceil(2);
            if Self::place(&names, &gaps, right, cap).width <= width {
                lo = cap;
            } else {
                hi = cap - 1;
            }
        }
        Self::place(&names, &gaps, right, lo)
    }

    /// Lanes at `gaps` (each at most `cap`), headings cut to their room.
    fn place(names: &[String], gaps: &[usize], right: usize, cap: usize) -> Self {
        let gaps: Vec<usize> = gaps.iter().map(|&g| g.min(cap)).collect();
        let n = gaps.len() + 1;
        // A heading may take its gap less one space on either side.
        let room = |i: usize| {
            let left = i.checked_sub(1).and_then(|p| gaps.get(p)).copied();
            let right = gaps.get(i).copied();
            match (left, right) {
                (Some(l), Some(r)) => l.min(r) - 1,
                (Some(g), None) | (None, Some(g)) => g - 1,
                (None, None) => usize::MAX,
            }
        };
        let headings: Vec<String> = (0..n)
            .map(|i| cut_middle(names.get(i).map_or("", String::as_str), room(i)))
            .collect();
        let first = headings
            .first()
            .map_or(0, |h| h.chars().count().div_ceil(2));
        let mut lanes = Vec::with_capacity(n);
        let mut x = first;
        lanes.push(x);
        for g in &gaps {
            x += g;
            lanes.push(x);
        }
        let last_half = headings.last().map_or(0, |h| h.chars().count() / 2 + 1);
        let width = x + right.min(cap).max(last_half) + 1;
        LadderLayout {
            lanes,
            width,
            headings,
        }
    }

    /// The headings line, each centred over its lane.
    pub fn heading_line(&self) -> String {
        let mut row = vec![' '; self.width];
        for (x, h) in self.lanes.iter().zip(&self.headings) {
            put(&mut row, x.saturating_sub(h.chars().count() / 2), h);
        }
        row.into_iter().collect::<String>()
    }

    /// One row: the lane bars and, when given, the arrow with its label cut
    /// to the room it has.
    pub fn row(&self, arrow: Option<LaneArrow<'_>>, g: Glyphs) -> String {
        let mut row = vec![' '; self.width];
        for &x in &self.lanes {
            if let Some(slot) = row.get_mut(x) {
                *slot = g.lane;
            }
        }
        if let Some(a) = arrow {
            if let (Some(&from), Some(&to)) = (self.lanes.get(a.from), self.lanes.get(a.to)) {
                let room = match from.abs_diff(to) {
                    0 => self.width.saturating_sub(from + ARROW_EXTRA),
                    d => d.saturating_sub(ARROW_EXTRA),
                };
                draw_arrow(&mut row, from, to, &cut_end(a.label, room), g);
            }
        }
        row.into_iter().collect()
    }
}

/// `s` in at most `max` characters, ending in `…` when cut.
pub fn cut_end(s: &str, max: usize) -> String {
    super::escape::truncate(s, max).into_owned()
}

/// `s` in at most `max` characters, cut in the middle (`192.168.…200:5060`):
/// the start and the end of an address tell hosts apart.
pub fn cut_middle(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max {
        return s.to_owned();
    }
    if max < 3 {
        return cut_end(s, max);
    }
    let tail = (max - 1) / 2;
    let head = max - 1 - tail;
    let chars: Vec<char> = s.chars().collect();
    chars[..head]
        .iter()
        .chain(['…'].iter())
        .chain(chars[n - tail..].iter())
        .collect()
}

/// Writes `s` into `row` from `at`, cutting what does not fit.
pub fn put(row: &mut [char], at: usize, s: &str) {
    for (i, ch) in s.chars().enumerate() {
        if let Some(slot) = row.get_mut(at + i) {
            *slot = ch;
        }
    }
}

/// One arrow from lane `from` to lane `to` with its label in the middle;
/// a message to its own host is drawn as a short loop back.
fn draw_arrow(row: &mut [char], from: usize, to: usize, label: &str, g: Glyphs) {
    let label = match label.is_empty() {
        true => String::new(),
        false => format!(" {label} "),
    };
    if from == to {
        put(row, from + 1, &format!("{}{}{label}", g.left, g.line));
        return;
    }
    let (lo, hi) = (from.min(to), from.max(to));
    for slot in row.iter_mut().take(hi).skip(lo + 1) {
        *slot = g.line;
    }
    if to > from {
        if let Some(slot) = row.get_mut(hi - 1) {
            *slot = g.right;
        }
    } else if let Some(slot) = row.get_mut(lo + 1) {
        *slot = g.left;
    }
    // Centred on the line, a line character clear of the arrowhead and of
    // the far bar.
    let (start, end) = match to > from {
        true => (lo + 2, hi - 2),
        false => (lo + 3, hi - 1),
    };
    let len = label.chars().count();
    put(
        row,
        start + end.saturating_sub(start).saturating_sub(len) / 2,
        &label,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(n: &[&str]) -> Vec<String> {
        n.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_long_label_widens_only_the_gap_it_crosses() {
        let h = names(&["10.0.0.1:5060", "10.0.0.2:5060", "10.0.0.3:5060"]);
        let long = "480 Temporarily Unavailable (no registered contact)";
        let arrows = [
            LaneArrow {
                from: 0,
                to: 1,
                label: "INVITE",
            },
            LaneArrow {
                from: 2,
                to: 1,
                label: long,
            },
        ];
        let l = LadderLayout::new(&h, &arrows, None);
        let first = l.lanes[1] - l.lanes[0];
        let second = l.lanes[2] - l.lanes[1];
        assert!(first < 20, "{l:?}");
        assert!(second >= long.len() + ARROW_EXTRA, "{l:?}");
        assert!(l.row(Some(arrows[1]), Glyphs::ASCII).contains(long));
    }

    #[test]
    fn fitted_three_lanes_keep_their_arrowheads_in_61_columns() {
        let h = names(&[
            "192.168.100.200:5060",
            "192.168.100.1:5060",
            "10.10.10.10:5060",
        ]);
        let arrows = [
            LaneArrow {
                from: 0,
                to: 1,
                label: "INVITE (SDP PCMU 192.168.100.200:16384)",
            },
            LaneArrow {
                from: 1,
                to: 2,
                label: "INVITE (SDP PCMU 192.168.100.1:10000)",
            },
            LaneArrow {
                from: 2,
                to: 1,
                label: "200 OK (SDP PCMU 10.10.10.10:20000)",
            },
            LaneArrow {
                from: 1,
                to: 0,
                label: "486 Busy Here",
            },
        ];
        let l = LadderLayout::new(&h, &arrows, Some(61));
        assert!(l.width <= 61, "{l:?}");
        let heading = l.heading_line();
        for h in &l.headings {
            assert!(heading.contains(h.as_str()), "{heading}");
        }
        assert!(l.headings[0].contains('…') && l.headings[0].ends_with(":5060"));
        let right = l.row(Some(arrows[1]), Glyphs::ASCII);
        assert!(right.contains('>') && right.contains('…'), "{right}");
        let left = l.row(Some(arrows[3]), Glyphs::ASCII);
        assert!(left.contains('<') && left.contains("486"), "{left}");
        assert_eq!(right.chars().filter(|&c| c == '|').count(), 3, "{right}");
    }

    #[test]
    fn cuts_are_marked() {
        assert_eq!(cut_end("Temporarily Unavailable", 8), "Tempora…");
        assert_eq!(cut_end("OK", 8), "OK");
        assert_eq!(cut_middle("192.168.100.200:5060", 12), "192.16…:5060");
        assert_eq!(cut_middle("short", 12), "short");
    }
}
