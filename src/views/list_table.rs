//! The call list as `--list` prints it: an aligned text table or CSV,
//! the columns taken from [`super::columns`].

use super::columns::{Column, CsvField};
use super::list::CallRow;

/// Widest a cut column gets in `--list` text; longer values end in `…`.
const MAX_COLUMN: usize = 40;

/// `--list` text: the columns asked for (default
/// [`super::columns::LIST_TEXT`]), as wide
/// as their widest cell; only text columns such as From or User-Agent are
/// cut, never a Call-ID or an address.
pub fn to_text(rows: &[CallRow], columns: &[Column]) -> String {
    let headers: Vec<&str> = columns.iter().map(|c| c.title()).collect();
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            columns
                .iter()
                .map(|c| {
                    let text = c.cell(r);
                    match c.spec().cut && text.len() > MAX_COLUMN {
                        true => super::escape::truncate(&text, MAX_COLUMN).into_owned(),
                        false => text,
                    }
                })
                .collect()
        })
        .collect();
    super::table::aligned(&headers, &cells, "")
}

/// `--list --format csv`: every CSV field of the columns asked for
/// (default every column), values for machines.
pub fn to_csv(rows: &[CallRow], columns: &[Column]) -> Result<String, csv::Error> {
    let fields: Vec<&CsvField> = columns.iter().flat_map(|c| c.spec().csv).collect();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(fields.iter().map(|f| f.0))?;
    for r in rows {
        w.write_record(fields.iter().map(|f| (f.1)(r)))?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::to_text;
    use crate::views::columns::LIST_TEXT;
    use crate::views::list::test_row;

    #[test]
    fn text_never_cuts_a_call_id_or_an_address() {
        let mut r = test_row(1, "INVITE", Some(("busy", "BUSY")), Some(486));
        r.call_id = format!("{}@very-long-host.example.test", "a".repeat(60));
        r.src = "[2001:db8:1234:5678:9abc:def0:1234:5678]:5060".to_owned();
        r.from_uri = format!("sip:{}@example.test", "x".repeat(60));
        let text = to_text(&[r.clone()], &LIST_TEXT);
        assert!(text.contains(&r.call_id), "{text}");
        assert!(text.contains(&r.src), "{text}");
        // From is text: cut at 40 with a mark.
        let from = text
            .lines()
            .nth(1)
            .and_then(|l| l.split_whitespace().nth(2));
        assert_eq!(from.map(|f| f.chars().count()), Some(40), "{text}");
        assert!(from.is_some_and(|f| f.ends_with('…')), "{text}");
    }
}
