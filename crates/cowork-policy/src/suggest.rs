//! "Did you mean": the nearest known name to a misspelt one.

/// The candidate closest to `word` by edit distance, if it is close enough to be a likely typo:
/// at most a third of the word's length, and never more than 3 edits.
pub(crate) fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    nearest(word, candidates, (word.chars().count() / 3).clamp(1, 3))
}

/// The candidate closest to `word`, at most `limit` edits away.
pub(crate) fn nearest<'a, I>(word: &str, candidates: I, limit: usize) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (distance(&lower, &c.to_lowercase()), c))
        .filter(|&(d, _)| d <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

/// Levenshtein distance over characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::{did_you_mean, distance};

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(distance("kitten", "sitting"), 3);
        let known = ["members", "memberGroups", "name", "scim"];
        assert_eq!(did_you_mean("membrs", known), Some("members"));
        assert_eq!(did_you_mean("Members", known), Some("members"));
        assert_eq!(did_you_mean("owner", known), None);
        assert_eq!(
            did_you_mean("engineerng", ["engineering", "sales"]),
            Some("engineering")
        );
    }
}
