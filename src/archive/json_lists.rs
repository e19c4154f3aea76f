//! Archive stage: a JSON object pretty-printed as serde_json prints it, with its two last fields,
//! long lists, printed in parallel: each element on its own, by serde_json's printer set to
//! the element's depth, which gives serde_json's bytes exactly (`manifest.rs` compares them for
//! `manifest.json`, 19 MB at 10,000 pairs).

use rayon::prelude::*;
use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};

/// Elements printed per task.
const CHUNK: usize = 1024;

/// How deep the lists' elements are: two levels of two spaces.
const ELEMENT_INDENT: &[u8] = b"    ";

/// `head` (the object with its two last fields empty) printed with those fields, `first` and
/// `second` (name, elements), filled, and a final line break; `None` when `head` does not end
/// with them empty (then serde_json should print the whole).
pub fn with_lists<A, B>(
    head: &impl Serialize,
    (first, a): (&str, &[A]),
    (second, b): (&str, &[B]),
) -> Option<Vec<u8>>
where
    A: Serialize + Sync,
    B: Serialize + Sync,
{
    let mut out = pretty(head);
    let empty = format!("\"{first}\": [],\n  \"{second}\": []\n}}");
    if !out.ends_with(empty.as_bytes()) {
        return None;
    }
    out.truncate(out.len() - empty.len());
    out.extend_from_slice(format!("\"{first}\": ").as_bytes());
    print_list(&mut out, a);
    out.extend_from_slice(format!(",\n  \"{second}\": ").as_bytes());
    print_list(&mut out, b);
    out.extend_from_slice(b"\n}\n");
    Some(out)
}

/// serde_json's pretty printer as it stands `depth` levels into a value, so what it prints
/// next is indented as there.
fn at_depth(depth: usize) -> PrettyFormatter<'static> {
    let mut formatter = PrettyFormatter::new();
    for _ in 0..depth {
        formatter
            .begin_array(&mut std::io::sink())
            .expect("printing nowhere");
    }
    formatter
}

fn pretty(value: &impl Serialize) -> Vec<u8> {
    serde_json::to_vec_pretty(value).expect("serialising to memory")
}

/// A list at the object's top level, as serde_json's pretty printer prints it there.
fn print_list<T: Serialize + Sync>(out: &mut Vec<u8>, items: &[T]) {
    if items.is_empty() {
        out.extend_from_slice(b"[]");
        return;
    }
    let parts: Vec<Vec<u8>> = (items.par_chunks(CHUNK))
        .map(|chunk| {
            let mut part = Vec::new();
            for item in chunk {
                part.extend_from_slice(b",\n");
                part.extend_from_slice(ELEMENT_INDENT);
                let mut printer = serde_json::Serializer::with_formatter(&mut part, at_depth(2));
                item.serialize(&mut printer).expect("serialising to memory");
            }
            part
        })
        .collect();
    // 19 MB at 10,000 pairs: grown once rather than doubling its way there.
    out.reserve(parts.iter().map(Vec::len).sum::<usize>() + 8);
    out.push(b'[');
    // The first element's separator is the line break alone.
    out.extend_from_slice(&parts[0][1..]);
    for part in &parts[1..] {
        out.extend_from_slice(part);
    }
    out.extend_from_slice(b"\n  ]");
}
