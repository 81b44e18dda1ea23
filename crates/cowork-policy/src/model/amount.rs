//! Money: a monthly spend limit per member, in the org's billing currency. The currency is not
//! part of the format, so amounts print without a symbol: `1,234.50/month`.

use std::fmt;

/// A monthly spend limit per member. `Unlimited` is distinct from zero and above every finite
/// amount, so "most restrictive wins" is simply the minimum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Spend {
    /// An amount in minor units (cents) of the org's billing currency.
    Cents(u64),
    /// No limit at all: above every amount.
    Unlimited,
}

/// The name the rest of the crate knows [`Spend`] by.
pub(crate) type Amount = Spend;

impl Spend {
    pub(crate) fn is_zero(self) -> bool {
        self == Spend::Cents(0)
    }
}

/// `1,234.50/month`, or `unlimited`.
impl fmt::Display for Spend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Spend::Unlimited => f.write_str("unlimited"),
            Spend::Cents(cents) => {
                let units = cents / 100;
                let mut grouped = String::new();
                let digits = units.to_string();
                for (i, c) in digits.chars().enumerate() {
                    if i > 0 && (digits.len() - i) % 3 == 0 {
                        grouped.push(',');
                    }
                    grouped.push(c);
                }
                write!(f, "{grouped}.{:02}/month", cents % 100)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Amount;

    #[test]
    fn displays_with_thousands_and_cents() {
        assert_eq!(Amount::Cents(0).to_string(), "0.00/month");
        assert_eq!(Amount::Cents(15_050).to_string(), "150.50/month");
        assert_eq!(Amount::Cents(123_456_789).to_string(), "1,234,567.89/month");
        assert_eq!(Amount::Unlimited.to_string(), "unlimited");
        assert!(Amount::Unlimited > Amount::Cents(u64::MAX));
    }
}
