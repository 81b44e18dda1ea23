//! Money: a monthly spend limit per member, in the org's billing currency. The currency is not
//! part of the format, so amounts print without a symbol: `1,234.50/month`.

use std::fmt;

/// A spend limit amount. `Unlimited` is distinct from zero and above every finite amount, so
/// "most restrictive wins" is simply the minimum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Amount {
    /// Minor units (cents).
    Cents(u64),
    Unlimited,
}

impl Amount {
    pub fn is_zero(self) -> bool {
        self == Amount::Cents(0)
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Amount::Unlimited => f.write_str("unlimited"),
            Amount::Cents(cents) => {
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
