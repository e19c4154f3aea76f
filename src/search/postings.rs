//! Search: the index's vocabulary — terms, how a term occurs in a document, and postings
//! encoded as the browser script reads them (LEB128 varints). A leaf of the search module:
//! the counting (`collect.rs`), the build (`index.rs`) and the preview's live index all share
//! it, and it imports none of them.

pub const FIELD_TITLE: u8 = 1;
pub const FIELD_HEAD: u8 = 2;
pub const FIELD_BODY: u8 = 4;
/// Packs beyond this share the last mask bit.
pub const MAX_PACKS_IN_MASK: usize = 32;

/// How a term occurs in one document.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Occurrence {
    pub tf: u32,
    pub packs: u32,
    pub fields: u8,
}

/// A term: a Han character, a Han bigram (both packed into a number), or a stemmed word.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Term {
    Han(u64),
    Word(String),
}

const BIGRAM: u64 = 1 << 42;

impl Term {
    pub fn char_key(c: char) -> u64 {
        u64::from(c)
    }
    pub fn bigram_key(a: char, b: char) -> u64 {
        BIGRAM | (u64::from(a) << 21) | u64::from(b)
    }
    fn bigram(a: char, b: char) -> Term {
        Term::Han(Term::bigram_key(a, b))
    }
    /// The term a name stands for (`b:复议` → the bigram), the inverse of [`Term::name`].
    pub fn parse(name: &str) -> Option<Term> {
        let (kind, rest) = name.split_once(':')?;
        let mut chars = rest.chars();
        match (kind, chars.next(), chars.next(), chars.next()) {
            ("h", Some(c), None, _) => Some(Term::Han(u64::from(c))),
            ("b", Some(a), Some(b), None) => Some(Term::bigram(a, b)),
            ("w", _, _, _) => Some(Term::Word(rest.to_string())),
            _ => None,
        }
    }

    /// The name the browser script asks for: `h:法`, `b:复议`, `w:appeal`.
    pub fn name(&self) -> String {
        let ch = |v: u64| char::from_u32((v & 0x1f_ffff) as u32).unwrap_or('\u{fffd}');
        match self {
            Term::Han(k) if k & BIGRAM != 0 => format!("b:{}{}", ch(k >> 21), ch(*k)),
            Term::Han(k) => format!("h:{}", ch(*k)),
            Term::Word(w) => format!("w:{w}"),
        }
    }
    pub fn is_char(&self) -> bool {
        matches!(self, Term::Han(k) if k & BIGRAM == 0)
    }
}

/// One term's postings, encoded as they are added (LEB128 varints, documents in order):
/// for a single Han character `doc delta`; for other terms `doc delta, tf << 3 | fields,
/// pack mask`. A document's themes are listed once, in `meta.js`, not in every term's
/// postings.
#[derive(Debug, Default, Clone)]
pub struct Postings {
    last: Option<u32>,
    pub bytes: Vec<u8>,
}

impl Postings {
    /// Encodes postings given in document order, exactly as [`build`] encodes them.
    pub fn encode(term: &Term, entries: &[(u32, Occurrence)]) -> Postings {
        let mut p = Postings::default();
        for (doc, occ) in entries {
            p.push(*doc, *occ, !term.is_char());
        }
        p
    }

    /// Every entry: document and occurrence (tf, packs and fields; empty for single
    /// characters).
    pub fn entries(&self, term: &Term) -> Vec<(u32, Occurrence)> {
        let full = !term.is_char();
        let mut values = Vec::new();
        let mut rest = &self.bytes[..];
        while let Some((v, len)) = read_varint(rest) {
            values.push(v);
            rest = &rest[len..];
        }
        let mut doc = 0u32;
        values
            .chunks(if full { 3 } else { 1 })
            .map(|c| {
                doc += c[0] as u32;
                let occ = if full {
                    Occurrence {
                        tf: (c[1] >> 3) as u32,
                        fields: (c[1] & 7) as u8,
                        packs: c[2] as u32,
                    }
                } else {
                    Occurrence::default()
                };
                (doc, occ)
            })
            .collect()
    }

    /// Postings read back to be looked at, not appended to (the last document is not known
    /// until [`Postings::entries`] decodes them).
    pub fn read_only(bytes: Vec<u8>) -> Postings {
        Postings { last: None, bytes }
    }

    /// The documents listed, decoded (for tests and tools; the browser decodes its own).
    pub fn doc_ids(&self, term: &Term) -> Vec<u32> {
        self.entries(term).into_iter().map(|(doc, _)| doc).collect()
    }

    /// Appends postings of later documents whose first entry counts from document 0, as a
    /// block's postings do: that entry is re-encoded to count from our last document.
    pub fn append(&mut self, later: Postings) {
        let Some(last) = self.last else {
            *self = later;
            return;
        };
        let (Some(later_last), Some((first, first_len))) = (later.last, read_varint(&later.bytes))
        else {
            return;
        };
        varint(&mut self.bytes, first - u64::from(last));
        self.bytes.extend_from_slice(&later.bytes[first_len..]);
        self.last = Some(later_last);
    }

    /// Adds the next document's entry (documents in increasing order).
    pub fn push(&mut self, doc: u32, occ: Occurrence, full: bool) {
        let delta = doc - self.last.unwrap_or(0);
        self.last = Some(doc);
        varint(&mut self.bytes, u64::from(delta));
        if full {
            varint(
                &mut self.bytes,
                (u64::from(occ.tf) << 3) | u64::from(occ.fields),
            );
            varint(&mut self.bytes, u64::from(occ.packs));
        }
    }
}

/// The first LEB128 varint of `bytes` and its length in bytes; `None` when `bytes` holds no
/// whole varint.
fn read_varint(bytes: &[u8]) -> Option<(u64, usize)> {
    let len = bytes.iter().position(|b| b & 0x80 == 0)? + 1;
    let v = bytes[..len]
        .iter()
        .rev()
        .fold(0u64, |v, b| (v << 7) | u64::from(b & 0x7f));
    Some((v, len))
}

pub fn varint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_decode_as_they_were_encoded() {
        let bigram = Term::Han(Term::bigram_key('执', '法'));
        let occ = Occurrence {
            tf: 300,
            packs: 1 << 20,
            fields: 4,
        };
        let entries: Vec<(u32, Occurrence)> =
            [0, 5, 200, 70_000].into_iter().map(|d| (d, occ)).collect();
        let p = Postings::encode(&bigram, &entries);
        assert_eq!(Postings::read_only(p.bytes).entries(&bigram), entries);
        // A single character's postings list documents only.
        let single = Term::Han(u64::from('法'));
        let p = Postings::encode(&single, &entries);
        let docs = Postings::read_only(p.bytes).doc_ids(&single);
        assert_eq!(docs, [0, 5, 200, 70_000]);
    }
}
