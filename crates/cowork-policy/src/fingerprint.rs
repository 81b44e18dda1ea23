//! The stable fingerprint of a finding, shared by the SARIF renderer (`partialFingerprints`),
//! the GitLab renderer (`fingerprint`) and baselines, so both systems track the same finding across commits.
//!
//! A fingerprint hashes the rule code, the file (relative to the policy root) and the entity
//! (`group/engineering`), never line numbers nor the message: adding lines above a finding, or
//! a user to the group it names, keeps its fingerprint. When several findings share all three
//! (two unknown groups in one role), the second and later ones also hash their rank among
//! them, in report order, so no two findings of a report share a fingerprint. Waived findings
//! take part in that ranking, so waiving one finding does not change another's fingerprint.
//!
//! The hash is 64-bit FNV-1a, written out as 16 lowercase hex digits: small, dependency-free,
//! and the same on every platform and Rust version (unlike `std`'s `DefaultHasher`).

use std::collections::HashMap;

use crate::diagnostic::{Finding, Waived};

const FNV_OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut hash = FNV_OFFSET_BASIS;
    for (i, part) in parts.iter().enumerate() {
        // A separator byte that never occurs in UTF-8 text keeps `ab`+`c` apart from `a`+`bc`.
        let separator: &[u8] = if i == 0 { &[] } else { &[0xff] };
        for &byte in separator.iter().chain(part.iter()) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(FNV_PRIME);
        }
    }
    hash
}

/// The FNV-1a hash of some strings, for identifiers that need not track a finding (load errors).
pub(crate) fn hash(parts: &[&str]) -> u64 {
    let parts: Vec<&[u8]> = parts.iter().map(|p| p.as_bytes()).collect();
    fnv1a(&parts)
}

/// The fingerprint of a finding that is the `rank`-th (from 0) of its code, file and entity.
fn fingerprint(finding: &Finding, rank: usize) -> String {
    let rank = rank.to_string();
    let mut parts: Vec<&[u8]> = vec![
        finding.code.as_bytes(),
        finding.location.file.as_bytes(),
        finding.entity.as_bytes(),
    ];
    if rank != "0" {
        parts.push(rank.as_bytes());
    }
    format!("{:016x}", fnv1a(&parts))
}

/// The fingerprints of findings in report order, as [`Report::every_finding`](crate::diagnostic::Report::every_finding) lists them: one per
/// finding, in the same order.
pub(crate) fn fingerprints(all: &[(&Finding, Option<&Waived>)]) -> Vec<String> {
    let mut seen: HashMap<(&str, &str, &str), usize> = HashMap::new();
    all.iter()
        .map(|(finding, _)| {
            let key = (
                finding.code,
                finding.location.file.as_str(),
                finding.entity.as_str(),
            );
            let rank = seen.entry(key).or_insert(0);
            let print = fingerprint(finding, *rank);
            *rank += 1;
            print
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::fnv1a;

    #[test]
    fn fnv1a_matches_the_reference_values() {
        // From the FNV reference test suite (draft-eastlake-fnv): FNV-1a 64 of "" and "a".
        assert_eq!(fnv1a(&[b""]), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(&[b"a"]), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(&[b"foobar"]), 0x8594_4171_f739_67e8);
        assert_ne!(fnv1a(&[b"ab", b"c"]), fnv1a(&[b"a", b"bc"]));
    }
}
