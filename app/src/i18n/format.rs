//! Numbers and dates as each language writes them: `1,055.5` and `2025-11-26` in English,
//! `1 055,5` (a narrow no-break space groups thousands) and `26.11.2025` in Russian. Pure
//! functions, so the server and the browser render the same text (hydration compares them).

use super::Lang;

/// What groups thousands in Russian: a no-break space, so a number never wraps.
const RU_GROUP: char = '\u{a0}';

impl Lang {
    /// An integer with thousands separators: `1,055` / `1 055`.
    pub fn count(self, n: i64) -> String {
        let separator = match self {
            Lang::En => ',',
            Lang::Ru => RU_GROUP,
        };
        let digits = n.unsigned_abs().to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
        if n < 0 {
            out.push('-');
        }
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(separator);
            }
            out.push(c);
        }
        out
    }

    /// A number with at most `decimals` decimals and no useless zeros: `29.97` / `29,97`.
    pub fn decimal(self, value: f64, decimals: usize) -> String {
        let plain = trimmed(value, decimals);
        match self {
            Lang::En => plain,
            Lang::Ru => plain.replace('.', ","),
        }
    }

    /// A calendar date given as `YYYY-MM-DD`: as it is in English, `DD.MM.YYYY` in Russian.
    /// Anything else is shown as it is.
    pub fn date(self, iso: &str) -> String {
        let parts = (iso.get(..4), iso.get(5..7), iso.get(8..10));
        match (self, parts) {
            (Lang::Ru, (Some(y), Some(m), Some(d))) if iso.len() == 10 => format!("{d}.{m}.{y}"),
            _ => iso.to_string(),
        }
    }

    /// A moment from an RFC 3339 UTC string, to the minute: `2025-11-26 03:17 UTC` /
    /// `26.11.2025 03:17 UTC`. Shown in UTC so that the server and the browser agree.
    pub fn timestamp(self, rfc3339: &str) -> String {
        match (rfc3339.get(..10), rfc3339.get(11..16)) {
            (Some(date), Some(time)) => format!("{} {time} UTC", self.date(date)),
            _ => rfc3339.to_string(),
        }
    }
}

/// `value` with at most `decimals` decimals, a point, and no trailing zeros: `12.5`, `0`.
pub fn trimmed(value: f64, decimals: usize) -> String {
    let s = format!("{value:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Which Russian plural form a count takes: 1 файл, 2 файла, 5 файлов (21 файл, 11 файлов).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuPlural {
    /// 1, 21, 101…
    One,
    /// 2–4, 22–24…
    Few,
    /// 0, 5–20, 25–30…
    Many,
}

/// The Russian plural form of `n`.
pub fn ru_plural(n: u64) -> RuPlural {
    match (n % 10, n % 100) {
        (1, m) if m != 11 => RuPlural::One,
        (2..=4, m) if !(12..=14).contains(&m) => RuPlural::Few,
        _ => RuPlural::Many,
    }
}

/// `n` and the Russian word for it in the right form: `ru_count(3, ["файл", "файла", "файлов"])`.
pub fn ru_count(n: u64, forms: [&str; 3]) -> String {
    let word = match ru_plural(n) {
        RuPlural::One => forms[0],
        RuPlural::Few => forms[1],
        RuPlural::Many => forms[2],
    };
    format!("{} {word}", Lang::Ru.count(n as i64))
}

/// `n` and the English word, with an `s` unless it is one: `1 file`, `2 files`.
pub fn en_count(n: u64, one: &str, many: &str) -> String {
    format!(
        "{} {}",
        Lang::En.count(n as i64),
        if n == 1 { one } else { many }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_per_language() {
        assert_eq!(Lang::En.count(1_234_567), "1,234,567");
        assert_eq!(Lang::Ru.count(1_234_567), "1\u{a0}234\u{a0}567");
        assert_eq!(Lang::Ru.count(-1055), "-1\u{a0}055");
        assert_eq!(Lang::Ru.count(999), "999");
        assert_eq!(Lang::En.decimal(29.97003, 2), "29.97");
        assert_eq!(Lang::Ru.decimal(29.97003, 2), "29,97");
        assert_eq!(Lang::Ru.decimal(25.0, 2), "25");
        assert_eq!(trimmed(120.0, 0), "120");
    }

    #[test]
    fn dates_are_day_first_in_russian() {
        assert_eq!(Lang::En.date("1985-04-12"), "1985-04-12");
        assert_eq!(Lang::Ru.date("1985-04-12"), "12.04.1985");
        assert_eq!(Lang::Ru.date("bad"), "bad");
        assert_eq!(
            Lang::En.timestamp("2025-11-26T03:17:08.123Z"),
            "2025-11-26 03:17 UTC"
        );
        assert_eq!(
            Lang::Ru.timestamp("2025-11-26T03:17:08.123Z"),
            "26.11.2025 03:17 UTC"
        );
        assert_eq!(Lang::Ru.timestamp("bad"), "bad");
    }

    #[test]
    fn russian_plurals() {
        let forms = ["файл", "файла", "файлов"];
        for (n, want) in [
            (1, "1 файл"),
            (2, "2 файла"),
            (5, "5 файлов"),
            (11, "11 файлов"),
            (21, "21 файл"),
            (22, "22 файла"),
            (112, "112 файлов"),
            (0, "0 файлов"),
        ] {
            assert_eq!(ru_count(n, forms), want);
        }
        assert_eq!(en_count(1, "file", "files"), "1 file");
        assert_eq!(en_count(1200, "file", "files"), "1,200 files");
    }
}
