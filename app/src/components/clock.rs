//! Today's date, for the birth date check. The browser's local calendar day is what the
//! person typing sees, so the form uses it; the server build falls back to UTC.

use crate::validate::Ymd;

/// Today's date: local time in the browser, UTC elsewhere.
pub fn today() -> Ymd {
    #[cfg(feature = "hydrate")]
    {
        let now = js_sys::Date::new_0();
        Ymd(
            now.get_full_year() as i32,
            now.get_month() as u8 + 1,
            now.get_date() as u8,
        )
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        civil_from_days((secs / 86_400) as i64)
    }
}

/// `YYYY-MM-DD`, as `<input type=date>` wants it.
pub fn iso(date: Ymd) -> String {
    let Ymd(y, m, d) = date;
    format!("{y:04}-{m:02}-{d:02}")
}

/// The calendar date `days` after 1970-01-01 (proleptic Gregorian; H. Hinnant's algorithm).
#[cfg_attr(feature = "hydrate", allow(dead_code))]
fn civil_from_days(days: i64) -> Ymd {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let y = (yoe + era * 400 + i64::from(m <= 2)) as i32;
    Ymd(y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_since_epoch_become_dates() {
        assert_eq!(civil_from_days(0), Ymd(1970, 1, 1));
        assert_eq!(civil_from_days(11_016), Ymd(2000, 2, 29));
        assert_eq!(civil_from_days(20_418), Ymd(2025, 11, 26));
        assert_eq!(civil_from_days(-1), Ymd(1969, 12, 31));
        assert_eq!(iso(Ymd(1985, 4, 2)), "1985-04-02");
    }
}
