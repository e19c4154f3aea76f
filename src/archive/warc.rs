//! Archive stage: a year as a WARC 1.1 file (ISO 28500), the format web archives keep
//! (README, "Archiving"). `gongkai archive <year> --warc` writes the offline bundle's files
//! ([`super::bundle`], manifest and signature included) as if fetched from `base_url`: a
//! `warcinfo` record, then one `response` record per file (HTTP/1.1 200, `Content-Type` guessed
//! from the name, `Content-Length`), each record its own gzip member, with
//! `WARC-Payload-Digest` and `WARC-Block-Digest` (SHA-1 in base32, what archive tools check).
//! [`read`] reads such a file back for `gongkai verify`.
//!
//! Guarantees: the bytes depend only on the input (not even on the file's name) — records
//! sorted by path, `WARC-Date` the
//! newest report or revision date of the year (not the clock), record ids derived from each
//! record's content, gzip headers without time or name.

use std::collections::BTreeMap;
use std::io::{Read, Write};

use flate2::Compression;
use flate2::read::MultiGzDecoder;
use flate2::write::GzEncoder;
use sha1::{Digest, Sha1};
use sha2::Sha256;

use crate::messages::Msg;
use crate::model::Site;

/// What the `warcinfo` record says: who wrote it, for which site and year.
pub struct WarcInfo<'a> {
    pub base_url: &'a str,
    pub year: u16,
    /// `YYYY-MM-DD`: the newest report or revision date of the year.
    pub date: String,
}

/// The date a year's WARC records carry: the newest publication or revision date among its
/// reports, so the same input gives the same file.
pub fn year_date(part: &Site) -> String {
    part.reports
        .iter()
        .flat_map(|r| std::iter::once(r.date).chain(r.revisions.iter().map(|v| v.date)))
        .max()
        .map_or_else(|| "1980-01-01".to_string(), |d| d.to_string())
}

/// The WARC file of `files` (path from the site root → bytes).
pub fn write(info: &WarcInfo<'_>, files: &BTreeMap<String, Vec<u8>>) -> Vec<u8> {
    let date = format!("{}T00:00:00Z", info.date);
    let fields = format!(
        "software: gongkai {}\r\nformat: WARC File Format 1.1\r\n\
         conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n\
         gongkai-base-url: {}\r\ngongkai-year: {}\r\n",
        env!("CARGO_PKG_VERSION"),
        info.base_url,
        info.year
    );
    let info_id = record_id(&[b"warcinfo", fields.as_bytes()]);
    let head = [
        ("WARC-Type", "warcinfo".to_string()),
        ("WARC-Record-ID", info_id.clone()),
        ("WARC-Date", date.clone()),
        ("Content-Type", "application/warc-fields".to_string()),
    ];
    let mut out = member(&head, fields.as_bytes());
    for (path, payload) in files {
        let uri = format!("{}{}", info.base_url, path);
        let mut block = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\n\r\n",
            content_type(path),
            payload.len()
        )
        .into_bytes();
        block.extend_from_slice(payload);
        let head = [
            ("WARC-Type", "response".to_string()),
            ("WARC-Record-ID", record_id(&[uri.as_bytes(), &block])),
            ("WARC-Date", date.clone()),
            ("WARC-Target-URI", uri),
            ("WARC-Warcinfo-ID", info_id.clone()),
            ("WARC-Payload-Digest", sha1_base32(payload)),
            (
                "Content-Type",
                "application/http;msgtype=response".to_string(),
            ),
        ];
        out.extend(member(&head, &block));
    }
    out
}

/// One record as its own gzip member: header lines, `WARC-Block-Digest`, `Content-Length`,
/// the block, and the two line ends that close a record.
fn member(head: &[(&str, String)], block: &[u8]) -> Vec<u8> {
    let mut record = b"WARC/1.1\r\n".to_vec();
    for (name, value) in head {
        record.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    let tail = format!(
        "WARC-Block-Digest: {}\r\nContent-Length: {}\r\n\r\n",
        sha1_base32(block),
        block.len()
    );
    record.extend_from_slice(tail.as_bytes());
    record.extend_from_slice(block);
    record.extend_from_slice(b"\r\n\r\n");
    // GzEncoder writes no file name and a zero time: the member depends on the record only.
    let mut gz = GzEncoder::new(Vec::new(), Compression::new(6));
    gz.write_all(&record).expect("writing to memory");
    gz.finish().expect("writing to memory")
}

/// `Content-Type` as a web server would send it: guessed from the name, text in UTF-8.
fn content_type(path: &str) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let text =
        mime.type_() == "text" || matches!(mime.subtype().as_str(), "javascript" | "json" | "xml");
    if text {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

/// A `urn:uuid:` made from `parts`' SHA-256 (version 8: a name-based UUID of our own).
fn record_id(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_be_bytes());
        h.update(p);
    }
    let mut b: [u8; 16] = h.finalize()[..16].try_into().expect("16 of 32 bytes");
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "<urn:uuid:{}-{}-{}-{}-{}>",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// `sha1:` and the SHA-1 of `bytes` in RFC 4648 base32.
pub fn sha1_base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let digest = Sha1::digest(bytes);
    let mut out = String::from("sha1:");
    // 20 bytes are 160 bits: exactly 32 characters, no padding.
    for chunk in digest.chunks(5) {
        let n = chunk.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        for i in (0..8).rev() {
            out.push(ALPHABET[((n >> (i * 5)) & 31) as usize] as char);
        }
    }
    out
}

/// Whether `bytes` are a WARC file gongkai wrote: its first record is our `warcinfo`.
pub fn is_gongkai_warc(bytes: &[u8]) -> bool {
    let mut head = Vec::new();
    let first = flate2::read::GzDecoder::new(bytes)
        .take(4096)
        .read_to_end(&mut head);
    first.is_ok()
        && head.starts_with(b"WARC/1.1\r\nWARC-Type: warcinfo\r\n")
        && head.windows(17).any(|w| w == b"software: gongkai")
}

/// One record read back: its header fields and its block.
#[derive(Debug)]
pub struct Record {
    pub headers: Vec<(String, String)>,
    pub block: Vec<u8>,
}

impl Record {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The HTTP body of a `response` record (after the first empty line).
    pub fn payload(&self) -> Option<&[u8]> {
        let at = self.block.windows(4).position(|w| w == b"\r\n\r\n")?;
        Some(&self.block[at + 4..])
    }

    /// Whether the block (and for a response, the payload) still has its recorded digests.
    pub fn digests_match(&self) -> bool {
        let block = self
            .header("WARC-Block-Digest")
            .is_none_or(|d| d == sha1_base32(&self.block));
        let payload = match (self.header("WARC-Payload-Digest"), self.payload()) {
            (Some(d), Some(p)) => d == sha1_base32(p),
            (Some(_), None) => false,
            (None, _) => true,
        };
        block && payload
    }
}

/// Reads a WARC file, gzipped (per record or whole) or not. The error says which record is
/// broken and how; its text names the file read as `{target}` (`gongkai verify` fills it in).
pub fn read(bytes: &[u8]) -> Result<Vec<Record>, Msg> {
    let plain = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        MultiGzDecoder::new(bytes)
            .read_to_end(&mut out)
            .map_err(|e| Msg::new("archive.warc_not_gzip").arg("error", e))?;
        out
    } else {
        bytes.to_vec()
    };
    let mut records = Vec::new();
    let mut rest = plain.as_slice();
    while !rest.is_empty() {
        let n = records.len() + 1;
        let (record, after) = parse_record(rest).map_err(|why| why.arg("n", n))?;
        records.push(record);
        rest = after;
    }
    Ok(records)
}

fn parse_record(bytes: &[u8]) -> Result<(Record, &[u8]), Msg> {
    let end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| Msg::new("archive.warc_no_header_end"))?;
    let head =
        std::str::from_utf8(&bytes[..end]).map_err(|_| Msg::new("archive.warc_header_not_utf8"))?;
    let mut lines = head.split("\r\n");
    if !lines.next().is_some_and(|v| v.starts_with("WARC/1.")) {
        return Err(Msg::new("archive.warc_no_version"));
    }
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("Content-Length"))
        .and_then(|(_, v)| v.parse().ok())
        .ok_or_else(|| Msg::new("archive.warc_no_length"))?;
    let body = &bytes[end + 4..];
    if body.len() < len + 4 || &body[len..len + 4] != b"\r\n\r\n" {
        return Err(Msg::new("archive.warc_short_block"));
    }
    let record = Record {
        headers,
        block: body[..len].to_vec(),
    };
    Ok((record, &body[len + 4..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_digest_matches_a_known_value() {
        // SHA-1("abc") = a9993e36…, in base32 as `python3 -c "import base64,hashlib;…"` says.
        assert_eq!(sha1_base32(b"abc"), "sha1:VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE5");
    }

    #[test]
    fn written_records_read_back_with_their_digests() {
        let mut files = BTreeMap::new();
        files.insert("a/index.html".to_string(), b"<p>a</p>".to_vec());
        files.insert("static/x.css".to_string(), b"p{}".to_vec());
        let info = WarcInfo {
            base_url: "https://e.gov.cn/",
            year: 2022,
            date: "2023-03-28".into(),
        };
        let bytes = write(&info, &files);
        let records = read(&bytes).unwrap();
        assert_eq!(records.len(), 3);
        assert_eq!(records[0].header("WARC-Type"), Some("warcinfo"));
        assert_eq!(
            records[1].header("WARC-Target-URI"),
            Some("https://e.gov.cn/a/index.html")
        );
        assert_eq!(records[1].payload(), Some(&b"<p>a</p>"[..]));
        assert!(records.iter().all(Record::digests_match));
        assert!(read(&bytes[..bytes.len() - 10]).is_err());
    }
}
