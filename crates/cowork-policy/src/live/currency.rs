//! How many decimals a currency's amounts have (its ISO 4217 "minor unit"), so that an amount
//! the API gives in minor units (`"5000"`) compares with the policy's amounts, which are written
//! in the currency's major unit with at most two decimals (`5000` yen, `50.00` dollars).

/// The currencies whose minor unit is not a hundredth, with their number of decimals. Every
/// other currency has two. Source: ISO 4217 list one ("Current currency & funds code list",
/// maintained by SIX Financial Information for ISO), as it stood on 2026-12-06; the copies the
/// project's search tool holds confirm JPY (0) and BHD (3), not the whole list.
const DECIMALS: &[(&str, u32)] = &[
    ("BHD", 3),
    ("BIF", 0),
    ("CLF", 4),
    ("CLP", 0),
    ("DJF", 0),
    ("GNF", 0),
    ("IQD", 3),
    ("ISK", 0),
    ("JOD", 3),
    ("JPY", 0),
    ("KMF", 0),
    ("KRW", 0),
    ("KWD", 3),
    ("LYD", 3),
    ("OMR", 3),
    ("PYG", 0),
    ("RWF", 0),
    ("TND", 3),
    ("UGX", 0),
    ("UYI", 0),
    ("UYW", 4),
    ("VND", 0),
    ("VUV", 0),
    ("XAF", 0),
    ("XOF", 0),
    ("XPF", 0),
];

/// The number of decimals of `currency` (two when it is not given or not in the list).
pub(crate) fn decimals(currency: Option<&str>) -> u32 {
    currency
        .and_then(|code| {
            DECIMALS
                .iter()
                .find(|(c, _)| c.eq_ignore_ascii_case(code.trim()))
        })
        .map_or(2, |&(_, d)| d)
}

/// An amount in minor units of `currency` as hundredths of its major unit (the policy's unit),
/// or `None` when it has a finer fraction than a hundredth (`"12345"` fils is 12.345 dinars:
/// no amount of the policy equals it) or does not fit.
pub(crate) fn hundredths(minor: u64, currency: Option<&str>) -> Option<u64> {
    match decimals(currency) {
        d if d <= 2 => minor.checked_mul(10u64.pow(2 - d)),
        d => {
            let per = 10u64.pow(d - 2);
            minor.is_multiple_of(per).then_some(minor / per)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{decimals, hundredths};

    #[test]
    fn minor_units_as_hundredths() {
        assert_eq!(hundredths(5000, Some("USD")), Some(5000));
        assert_eq!(hundredths(5000, None), Some(5000));
        assert_eq!(hundredths(5000, Some("JPY")), Some(500_000));
        assert_eq!(hundredths(5000, Some("jpy")), Some(500_000));
        assert_eq!(hundredths(12_340, Some("BHD")), Some(1234));
        assert_eq!(hundredths(12_345, Some("BHD")), None);
        assert_eq!(hundredths(u64::MAX, Some("JPY")), None);
        assert_eq!(decimals(Some("CLF")), 4);
        assert_eq!(decimals(Some("EUR")), 2);
    }
}
