//! Parse-don't-validate newtypes for profile fields. The same code runs in the browser
//! (so the form shows these messages before sending) and on the server (422 per field).

use serde::{Deserialize, Serialize};
use std::fmt;
use unicode_normalization::UnicodeNormalization;

/// Longest accepted full name, in characters.
pub const FULL_NAME_MAX_CHARS: usize = 150;
/// Longest accepted word of a name, in letters.
pub const NAME_WORD_MAX_LETTERS: usize = 50;

/// What is wrong with a profile field. Its `Display` is the API's English message (the
/// `fields` of a 422 body); the UI shows each kind in the page's language instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldError {
    /// Fewer than 2 or more than 3 words.
    NameWords,
    /// More than [`FULL_NAME_MAX_CHARS`] characters.
    NameTooLong,
    /// A hyphen or apostrophe at a word's edge or beside another one (the word).
    NameJoiner(String),
    /// Digits in a word (the word).
    NameDigits(String),
    /// Something other than letters and joiners in a word (the word).
    NameCharacters(String),
    /// A word longer than [`NAME_WORD_MAX_LETTERS`] letters (the word).
    NameWordTooLong(String),
    /// Not `male` or `female`.
    Gender,
    /// Not `YYYY-MM-DD`.
    DateFormat,
    /// `YYYY-MM-DD` of a day that does not exist (as typed).
    DateNotReal(String),
    /// Before 1900-01-01.
    DateTooEarly,
    /// After today.
    DateInFuture,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NameWords => {
                f.write_str("enter 2 or 3 words: surname, given name and optional patronymic")
            }
            Self::NameTooLong => write!(f, "at most {FULL_NAME_MAX_CHARS} characters"),
            Self::NameJoiner(word) => write!(
                f,
                "“{word}”: a hyphen or apostrophe must stand between letters"
            ),
            Self::NameDigits(word) => write!(f, "“{word}”: digits are not allowed in a name"),
            Self::NameCharacters(word) => write!(
                f,
                "“{word}”: only letters, inner hyphens and apostrophes are allowed"
            ),
            Self::NameWordTooLong(word) => write!(
                f,
                "“{word}”: at most {NAME_WORD_MAX_LETTERS} letters per word"
            ),
            Self::Gender => f.write_str("must be `male` or `female`"),
            Self::DateFormat => f.write_str("use the format YYYY-MM-DD"),
            Self::DateNotReal(raw) => write!(f, "{raw} is not a real calendar date"),
            Self::DateTooEarly => f.write_str("must not be before 1900-01-01"),
            Self::DateInFuture => f.write_str("must not be in the future"),
        }
    }
}

/// The API's message for a field.
impl From<FieldError> for String {
    fn from(err: FieldError) -> Self {
        err.to_string()
    }
}

/// A person's full name: surname, given name and optional patronymic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct FullName(String);

impl FullName {
    /// Composes the text (Unicode NFC: "и" followed by a combining breve is "й"), normalises
    /// whitespace and checks: 2 or 3 words of 1–50 letters of any script each, hyphens and
    /// apostrophes only between letters, at most 150 characters in all.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let composed: String = raw.nfc().collect();
        let words: Vec<&str> = composed.split_whitespace().collect();
        if words.len() < 2 || words.len() > 3 {
            return Err(FieldError::NameWords);
        }
        for word in &words {
            check_name_word(word)?;
        }
        let name = words.join(" ");
        if name.chars().count() > FULL_NAME_MAX_CHARS {
            return Err(FieldError::NameTooLong);
        }
        Ok(Self(name))
    }

    /// The normalised name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn check_name_word(word: &str) -> Result<(), FieldError> {
    let chars: Vec<char> = word.chars().collect();
    let mut letters = 0;
    for (i, c) in chars.iter().enumerate() {
        if c.is_alphabetic() {
            letters += 1;
        } else if is_joiner(*c) {
            let inner = i > 0 && i + 1 < chars.len();
            if !inner || !chars[i - 1].is_alphabetic() || !chars[i + 1].is_alphabetic() {
                return Err(FieldError::NameJoiner(word.to_string()));
            }
        } else if c.is_numeric() {
            return Err(FieldError::NameDigits(word.to_string()));
        } else {
            return Err(FieldError::NameCharacters(word.to_string()));
        }
    }
    if letters > NAME_WORD_MAX_LETTERS {
        return Err(FieldError::NameWordTooLong(word.to_string()));
    }
    Ok(())
}

fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '\'' | '’')
}

impl TryFrom<String> for FullName {
    type Error = FieldError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<FullName> for String {
    fn from(name: FullName) -> Self {
        name.0
    }
}

impl fmt::Display for FullName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A person's gender as recorded by the access-control system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Gender {
    /// Male.
    Male,
    /// Female.
    Female,
}

impl Gender {
    /// Accepts exactly `male` or `female`.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        match raw {
            "male" => Ok(Self::Male),
            "female" => Ok(Self::Female),
            _ => Err(FieldError::Gender),
        }
    }

    /// The lowercase name used in JSON and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Male => "male",
            Self::Female => "female",
        }
    }
}

/// A calendar date as (year, month, day), comparable in time order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Ymd(pub i32, pub u8, pub u8);

/// The earliest accepted birth date.
pub const EARLIEST_BIRTH_DATE: Ymd = Ymd(1900, 1, 1);

/// A real calendar date between 1900-01-01 and today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct BirthDate(Ymd);

impl BirthDate {
    /// Parses `YYYY-MM-DD` and checks the date exists and lies in `[1900-01-01, today]`.
    pub fn parse(raw: &str, today: Ymd) -> Result<Self, FieldError> {
        let date = parse_ymd(raw).ok_or(FieldError::DateFormat)?;
        let Ymd(y, m, d) = date;
        if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
            return Err(FieldError::DateNotReal(raw.to_string()));
        }
        if date < EARLIEST_BIRTH_DATE {
            return Err(FieldError::DateTooEarly);
        }
        if date > today {
            return Err(FieldError::DateInFuture);
        }
        Ok(Self(date))
    }

    /// The date.
    pub fn ymd(self) -> Ymd {
        self.0
    }
}

impl fmt::Display for BirthDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Ymd(y, m, d) = self.0;
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

fn parse_ymd(raw: &str) -> Option<Ymd> {
    let bytes = raw.as_bytes();
    let shape_ok = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shape_ok {
        return None;
    }
    Some(Ymd(
        raw[0..4].parse().ok()?,
        raw[5..7].parse().ok()?,
        raw[8..10].parse().ok()?,
    ))
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: Ymd = Ymd(2026, 11, 26);

    #[test]
    fn full_names_of_any_script_with_inner_joiners_are_accepted_and_normalised() {
        for (raw, want) in [
            ("Иванов Иван Иванович", "Иванов Иван Иванович"),
            ("  Smith \t John  ", "Smith John"),
            ("Петрова Анна-Мария", "Петрова Анна-Мария"),
            ("O'Neil Shaquille", "O'Neil Shaquille"),
            ("D’Artagnan Charles", "D’Artagnan Charles"),
            ("李 小龙", "李 小龙"),
        ] {
            assert_eq!(FullName::parse(raw).unwrap().as_str(), want, "{raw}");
        }
    }

    #[test]
    fn names_typed_with_combining_marks_are_composed() {
        // "Йошкин Олег" typed as И + U+0306 (combining breve), as some keyboards send it.
        let decomposed = "\u{0418}\u{0306}ошкин Олег";
        let name = FullName::parse(decomposed).unwrap();
        assert_eq!(name.as_str(), "Йошкин Олег");
        assert_eq!(name.as_str().chars().count(), 11, "one character for Й");
        let e_umlaut = "Петрове\u{0308} Фёдор"; // ё typed as е + U+0308
        assert_eq!(FullName::parse(e_umlaut).unwrap().as_str(), "Петровё Фёдор");
    }

    #[test]
    fn bad_full_names_are_rejected_with_a_reason() {
        for raw in [
            "Madonna",
            "",
            "   ",
            "A B C D",
            "Smith J0hn",
            "Smith John!",
            "Smith -John",
            "Smith John-",
            "Smith Jo--hn",
            "Smith 'John",
            "Smith John_Paul",
        ] {
            assert!(FullName::parse(raw).is_err(), "{raw:?} should be rejected");
        }
        let long_word = "a".repeat(51);
        assert!(FullName::parse(&format!("Smith {long_word}")).is_err());
        let fifty = "б".repeat(50);
        assert!(FullName::parse(&format!("{fifty} {fifty}")).is_ok());
        assert!(
            FullName::parse(&format!("{fifty} {fifty} {fifty}")).is_err(),
            "152 characters"
        );
        assert!(FullName::parse("Smith 42")
            .unwrap_err()
            .to_string()
            .contains("digits"));
    }

    #[test]
    fn gender_is_male_or_female_only() {
        assert_eq!(Gender::parse("male"), Ok(Gender::Male));
        assert_eq!(Gender::parse("female"), Ok(Gender::Female));
        for raw in ["Male", "m", "other", ""] {
            assert!(Gender::parse(raw).is_err());
        }
    }

    #[test]
    fn birth_dates_must_be_real_and_in_range() {
        for raw in ["1900-01-01", "2000-02-29", "2026-11-26", "1985-12-31"] {
            assert_eq!(BirthDate::parse(raw, TODAY).unwrap().to_string(), raw);
        }
        assert!(BirthDate::parse("2023-02-30", TODAY)
            .unwrap_err()
            .to_string()
            .contains("real calendar date"));
        assert!(
            BirthDate::parse("1900-02-29", TODAY).is_err(),
            "1900 is not a leap year"
        );
        assert!(BirthDate::parse("1899-12-31", TODAY)
            .unwrap_err()
            .to_string()
            .contains("1900"));
        assert_eq!(
            BirthDate::parse("2026-11-27", TODAY).unwrap_err(),
            FieldError::DateInFuture
        );
        for raw in [
            "2023-2-3",
            "03.02.2023",
            "2023/02/03",
            "",
            "abcd-ef-gh",
            "2023-13-01",
            "2023-00-10",
        ] {
            assert!(BirthDate::parse(raw, TODAY).is_err(), "{raw:?}");
        }
    }
}
