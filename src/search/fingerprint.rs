//! Search: a fingerprint of one document's terms with their occurrences. The build cache
//! keeps it per document, so that when a report is edited, the terms it held before, counted
//! again from its text as the output holds it (`resume.rs`), are known to be those indexed:
//! the fingerprints must match, or the language is indexed from scratch.
//!
//! The hash is defined here (splitmix64's finalizer over the term's key and counts), not
//! taken from a hashing crate whose output may change between versions, because it is
//! stored from one build to the next.

use super::postings::{Occurrence, Term};

/// The fingerprint of a document's terms: the sum of each term's hash ([`add`]), so the order
/// they are counted in does not matter.
pub fn of(terms: &[(Term, Occurrence)]) -> u64 {
    terms.iter().fold(0, |sum, (term, occ)| add(sum, term, occ))
}

/// `sum` with one more term of the document (what [`of`] adds up, for a caller that counts
/// terms one by one).
pub fn add(sum: u64, term: &Term, occ: &Occurrence) -> u64 {
    sum.wrapping_add(term_hash(term, occ))
}

/// One term and its occurrence in the document, hashed.
fn term_hash(term: &Term, occ: &Occurrence) -> u64 {
    let key = match term {
        Term::Han(k) => mix(*k),
        Term::Word(w) => mix(fnv1a64(w.as_bytes()) ^ WORD),
    };
    let counts = u64::from(occ.tf) | (u64::from(occ.packs) << 32);
    mix(key ^ mix(counts ^ (u64::from(occ.fields) << 61)))
}

/// Keeps a word's key apart from a Han character's with the same number.
const WORD: u64 = 0x9e37_79b9_7f4a_7c15;

fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// splitmix64's finalizer: every input bit moves every output bit.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn occ(tf: u32) -> Occurrence {
        Occurrence {
            tf,
            packs: 1,
            fields: 4,
        }
    }

    #[test]
    fn the_order_of_terms_does_not_matter_but_every_count_does() {
        let a = (Term::Han(Term::bigram_key('复', '议')), occ(2));
        let b = (Term::Word("appeal".into()), occ(1));
        let forward = of(&[a.clone(), b.clone()]);
        assert_eq!(forward, of(&[b.clone(), a.clone()]));
        assert_eq!(forward, add(add(0, &b.0, &b.1), &a.0, &a.1));
        assert_ne!(forward, of(&[(a.0.clone(), occ(3)), b.clone()]));
        let other_pack = Occurrence { packs: 2, ..a.1 };
        assert_ne!(forward, of(&[(a.0.clone(), other_pack), b.clone()]));
        assert_ne!(forward, of(std::slice::from_ref(&a)));
    }

    #[test]
    fn the_hash_is_stable_across_builds() {
        // Stored in the build cache: a change here must bump the cache's format.
        let term = Term::Word("appeal".into());
        assert_eq!(term_hash(&term, &occ(1)), 2_857_336_902_785_304_602);
        assert_eq!(mix(0), 0);
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
