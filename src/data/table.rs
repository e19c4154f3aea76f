//! Data stage: one table of figures as CSV and as JSON (README, "Figures as open data").
//!
//! Guarantees: CSV is UTF-8 with a byte order mark (so Excel reads Chinese as Chinese), RFC
//! 4180 (CRLF line ends, fields with `,` `"` or line breaks quoted, quotes doubled) and every
//! free-text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is written
//! with a `'` before it, so a spreadsheet shows it as text instead of running it as a formula.
//! JSON is an array of objects, one per line, keys in column order, values as typed: no guard
//! is needed there, and none is applied.

use serde::ser::{SerializeMap, Serializer};

use super::{Cell, Column, Kind};

const BOM: &[u8] = "\u{feff}".as_bytes();

/// Every row encoded once, so the site's file and each department's are made by copying bytes
/// (a 10,000-report site has 40,000 rows, each in two files).
pub struct Encoded {
    head: Vec<u8>,
    /// Row `i` is `body[ends[i - 1]..ends[i]]`.
    body: Vec<u8>,
    ends: Vec<usize>,
    tail: &'static [u8],
    /// Between two rows (JSON's `,`).
    separator: &'static [u8],
}

impl Encoded {
    pub fn csv(columns: &[Column], rows: &[&[Cell]]) -> Encoded {
        let mut head = BOM.to_vec();
        head.extend(record(columns.iter().map(|c| c.name.clone())));
        let mut w = writer(Vec::new());
        let mut ends = Vec::with_capacity(rows.len());
        for row in rows {
            let fields = columns
                .iter()
                .zip(row.iter())
                .map(|(c, cell)| field(c, cell));
            // Writing to memory fails only if a row has another number of fields: the rows
            // are made from `columns` by `super::rows`, so they cannot.
            let _ = w.write_record(fields.collect::<Vec<_>>());
            let _ = w.flush();
            ends.push(w.get_ref().len());
        }
        Encoded {
            head,
            body: w.into_inner().unwrap_or_default(),
            ends,
            tail: b"",
            separator: b"",
        }
    }

    pub fn json(columns: &[Column], rows: &[&[Cell]]) -> Encoded {
        let mut body = Vec::new();
        let mut ends = Vec::with_capacity(rows.len());
        for row in rows {
            let mut ser = serde_json::Serializer::new(&mut body);
            let _ = write_object(&mut ser, columns, row);
            ends.push(body.len());
        }
        Encoded {
            head: b"[\n".to_vec(),
            body,
            ends,
            tail: b"\n]\n",
            separator: b",\n",
        }
    }

    /// The file holding rows `picked` (indexes, ascending).
    pub fn file(&self, picked: impl IntoIterator<Item = usize>) -> Vec<u8> {
        let mut out = self.head.clone();
        for (n, i) in picked.into_iter().enumerate() {
            if n > 0 {
                out.extend_from_slice(self.separator);
            }
            let start = if i == 0 { 0 } else { self.ends[i - 1] };
            out.extend_from_slice(&self.body[start..self.ends[i]]);
        }
        if out == b"[\n" {
            // An empty JSON table: `[` and `]` on their own lines all the same.
            out.truncate(1);
        }
        out.extend_from_slice(self.tail);
        out
    }
}

/// RFC 4180: CRLF after every record, quotes only where needed.
fn writer(into: Vec<u8>) -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(into)
}

/// One record (the header) as CSV bytes.
fn record(fields: impl Iterator<Item = String>) -> Vec<u8> {
    let mut w = writer(Vec::new());
    let _ = w.write_record(fields.collect::<Vec<_>>());
    w.into_inner().unwrap_or_default()
}

/// A cell as CSV text.
fn field(column: &Column, cell: &Cell) -> String {
    match cell {
        Cell::Year(y) => y.to_string(),
        Cell::Number(v) => number(*v),
        Cell::Text(t) if column.kind == Kind::Text => guarded(t),
        Cell::Text(t) => t.clone(),
    }
}

/// Free text that a spreadsheet would take for a formula gets a `'` first.
pub fn guarded(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// A value as written: `231`, `12.5`, never an exponent (values are at most 10¹⁵).
fn number(v: f64) -> String {
    if v == 0.0 {
        "0".to_string()
    } else {
        format!("{v}")
    }
}

fn write_object<S: Serializer>(
    ser: S,
    columns: &[Column],
    row: &[Cell],
) -> Result<S::Ok, S::Error> {
    let mut map = ser.serialize_map(Some(columns.len()))?;
    for (c, cell) in columns.iter().zip(row) {
        match cell {
            Cell::Year(y) => map.serialize_entry(&c.name, y)?,
            // Whole values as integers (`231`, not `231.0`); values are at most 10¹⁵, which
            // an i64 holds exactly.
            Cell::Number(v) if v.fract() == 0.0 && v.abs() <= 1e15 => {
                map.serialize_entry(&c.name, &(*v as i64))?
            }
            Cell::Number(v) => map.serialize_entry(&c.name, v)?,
            Cell::Text(t) => map.serialize_entry(&c.name, t)?,
        }
    }
    map.end()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table as CSV bytes.
    fn csv(columns: &[Column], rows: &[&[Cell]]) -> Vec<u8> {
        let encoded = Encoded::csv(columns, rows);
        encoded.file(0..rows.len())
    }

    /// The table as JSON bytes: `[`, one object per line, `]`.
    fn json(columns: &[Column], rows: &[&[Cell]]) -> Vec<u8> {
        let encoded = Encoded::json(columns, rows);
        encoded.file(0..rows.len())
    }

    fn cols() -> Vec<Column> {
        vec![
            super::super::col("figure_en", Kind::Text, ""),
            super::super::col("value", Kind::Number, ""),
        ]
    }

    #[test]
    fn hostile_text_is_quoted_and_guarded() {
        let rows = [
            vec![Cell::Text("=HYPERLINK(\"x\")".into()), Cell::Number(-3.0)],
            vec![Cell::Text("a, \"b\"\nc".into()), Cell::Number(0.5)],
        ];
        let rows: Vec<&[Cell]> = rows.iter().map(Vec::as_slice).collect();
        let bytes = csv(&cols(), &rows);
        assert!(bytes.starts_with(BOM));
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert_eq!(
            text,
            "figure_en,value\r\n\"'=HYPERLINK(\"\"x\"\")\",-3\r\n\"a, \"\"b\"\"\nc\",0.5\r\n"
        );
        let json = String::from_utf8(json(&cols(), &rows)).unwrap();
        assert!(
            json.contains(r#"{"figure_en":"=HYPERLINK(\"x\")","value":-3}"#),
            "{json}"
        );
        assert!(json.contains(r#""value":0.5"#), "{json}");
    }

    #[test]
    fn every_formula_start_is_guarded() {
        for start in ["=", "+", "-", "@", "\t", "\r"] {
            assert_eq!(guarded(&format!("{start}1")), format!("'{start}1"));
        }
        assert_eq!(guarded("出具法律意见"), "出具法律意见");
        assert_eq!(guarded("a=b"), "a=b");
    }
}
