//! A fixed-seed random source and the mutations that turn a seed file into a test case.
//!
//! Insertions land on character boundaries most of the time: a byte dropped inside a Chinese
//! character makes the file invalid UTF-8, which the loader refuses before any parsing, so
//! mostly-valid text reaches further.

/// splitmix64: small, fast and the same on every machine, so case `n` is always the same input.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `1/n`.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// [`Rng::pick`] for small values (`&str`, `&[u8]`), copied out.
    pub fn choose<T: Copy>(&mut self, items: &[T]) -> T {
        *self.pick(items)
    }
}

/// What YAML and Markdown give meaning to, and what a Chinese office machine adds to a file.
const SPECIAL: &[&[u8]] = &[
    b":",
    b": ",
    b"-",
    b"- ",
    b"\n- ",
    b"\n  - ",
    b"[",
    b"]",
    b"{",
    b"}",
    b"&a ",
    b"*a",
    b"!",
    b"!!str ",
    b"|",
    b"|\n",
    b">",
    b"> ",
    b"'",
    b"\"",
    b"%",
    b"@",
    b"`",
    b"```",
    b"#",
    b"# ",
    b"---",
    b"\n---\n",
    b"...",
    b"?",
    b",",
    b"\t",
    b"\r",
    b"\r\n",
    b"\n",
    b"\n\n",
    b"\\",
    b"\\u",
    b"\0",
    b"\xEF\xBB\xBF",
    b"\xFF",
    b"\xC3",
    b"\xE4\xB8",
    "：".as_bytes(),
    "，".as_bytes(),
    "　".as_bytes(),
    "“".as_bytes(),
    "【".as_bytes(),
    b"*",
    b"**",
    b"_",
    b"~~",
    b"[^1]",
    b"[^1]: ",
    b"](../2021/justice-bureau.md)",
    b"](../2021/nowhere.md#x)",
    b"<b>",
    b"<script>",
    b"&#0;",
    b"&amp;",
    b"|---|",
    b"| a |",
    b"    ",
    b"1. ",
    b"![",
    b"<http://x",
    b"title: ",
    b"department: ",
    b"themes: ",
    b"date: ",
    b"figures:\n  ",
    b"revisions:\n  - ",
    b"note: ",
    b"year: ",
    b"languages: ",
    b"taxonomies:\n",
    b"departments:",
    b"zh: ",
    b"en: ",
    b"2022-03-01",
    b"2022-02-30",
    b".nan",
    b".inf",
    b"~",
    b"null",
    b"true",
    b"<<: *a",
];

/// A seed changed by one to four mutations, chosen by `rng`.
pub fn mutate(rng: &mut Rng, seed: &[u8], others: &[Vec<u8>]) -> Vec<u8> {
    let mut data = seed.to_vec();
    for _ in 0..1 + rng.below(4) {
        mutate_once(rng, &mut data, others);
    }
    data
}

fn mutate_once(rng: &mut Rng, data: &mut Vec<u8>, others: &[Vec<u8>]) {
    match rng.below(12) {
        0 if !data.is_empty() => {
            let i = rng.below(data.len());
            data[i] ^= 1 << rng.below(8);
        }
        1..=3 => {
            let i = position(rng, data);
            let token = rng.choose(SPECIAL);
            data.splice(i..i, token.iter().copied());
        }
        4 => {
            let i = position(rng, data);
            let j = (i + rng.below(64)).min(data.len());
            data.drain(i..j);
        }
        5 => {
            let i = position(rng, data);
            data.truncate(i);
        }
        6 => {
            // Splice: this file's start with another's end.
            let other = rng.pick(others);
            let i = position(rng, data);
            let j = position(rng, other);
            data.truncate(i);
            data.extend_from_slice(&other[j..]);
        }
        7 => {
            // A stretch repeated, e.g. a list item or a key written twice.
            let i = position(rng, data);
            let j = (i + rng.below(200)).min(data.len());
            let copy = data[i..j].to_vec();
            let at = position(rng, data);
            data.splice(at..at, copy);
        }
        8 => {
            // A line of another file, e.g. a key that belongs elsewhere.
            let other = rng.pick(others);
            let lines: Vec<&[u8]> = other.split_inclusive(|&b| b == b'\n').collect();
            if !lines.is_empty() {
                let line = rng.pick(&lines).to_vec();
                let i = line_start(data, position(rng, data));
                data.splice(i..i, line);
            }
        }
        9 => {
            // Indentation changed at the start of a line: YAML structure shifts.
            let i = line_start(data, position(rng, data));
            let indent = rng.choose(&[b"  ".as_slice(), b"\t", b" ", b"    - "]);
            data.splice(i..i, indent.iter().copied());
        }
        10 if rng.one_in(4) => *data = reencode(rng, data),
        _ if !data.is_empty() => {
            let i = position(rng, data);
            let j = (i + 1).min(data.len());
            let token = rng.choose(SPECIAL);
            data.splice(i..j, token.iter().copied());
        }
        _ => data.extend_from_slice(rng.choose(SPECIAL)),
    }
}

/// The whole file saved the way another editor would.
fn reencode(rng: &mut Rng, data: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(data);
    match rng.below(4) {
        0 => {
            let mut out = vec![0xFF, 0xFE];
            out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            out
        }
        1 => encoding_rs::GBK.encode(&text).0.into_owned(),
        2 => text.replace('\n', "\r\n").into_bytes(),
        _ => [b"\xEF\xBB\xBF".as_slice(), data].concat(),
    }
}

/// A random offset, on a character boundary nine times in ten.
fn position(rng: &mut Rng, data: &[u8]) -> usize {
    let mut i = rng.below(data.len() + 1);
    if !rng.one_in(10) {
        while i < data.len() && (data[i] & 0xC0) == 0x80 {
            i += 1;
        }
    }
    i
}

fn line_start(data: &[u8], i: usize) -> usize {
    data[..i]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1)
}
