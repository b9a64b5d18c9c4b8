//! Dates: parsing publication dates from metadata and turning days into index values.
//!
//! A date is a calendar day (no time of day): the day where the article was published,
//! so "2022-02-21T23:30:00-05:00" is 2022-02-21 even though it is the 22nd in UTC.

pub mod expressions;
pub mod mentioned;
pub mod publication;
pub mod written;

use jiff::civil::Date;

pub use mentioned::{mentioned_dates, DateMention};
pub use publication::{publication_date, Evidence, Published};
pub use written::{find_written_dates, written_date, DayMonthOrder, WrittenDate};

/// Parses a publication date string from metadata or a JSON field (see
/// [`parse_published_in`]); an ambiguous `11/01/2023` is not read.
pub fn parse_published(text: &str) -> Option<Date> {
    parse_published_in(text, DayMonthOrder::Unknown)
}

/// Unix times from before this (1975-01-01) are not taken for publication times: a
/// number that small is more likely a compact date or an id.
const FIRST_PLAUSIBLE_EPOCH_SECOND: i64 = 157_766_400;
/// Nor from after this (2100-01-01).
const LAST_PLAUSIBLE_EPOCH_SECOND: i64 = 4_102_444_800;

/// Parses a publication date string: an ISO 8601 date or timestamp (the calendar day as
/// written, whatever the offset), a compact `20231102`, epoch seconds or milliseconds
/// when they fall in a plausible span (UTC day), else a date written out
/// ([`written_date`]: "2022-1-26", "Sat, 19 Oct 2019", "11/01/2023" by `order`).
pub fn parse_published_in(text: &str, order: DayMonthOrder) -> Option<Date> {
    let text = text.trim();
    if let Some(day) = iso_day_prefix(text) {
        return Some(day);
    }
    if let Some(day) = compact_day(text) {
        return Some(day);
    }
    if let Ok(number) = text.parse::<i64>() {
        let seconds = if number.abs() >= 100_000_000_000 {
            number / 1000
        } else {
            number
        };
        return (FIRST_PLAUSIBLE_EPOCH_SECOND..=LAST_PLAUSIBLE_EPOCH_SECOND)
            .contains(&seconds)
            .then(|| day_of_epoch_seconds(seconds))
            .flatten();
    }
    written_date(text, order)
}

/// The time zone a site most likely writes in, for timestamps a page gives in UTC: the
/// day an article ran is the day where it ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SiteZone {
    /// Not known: a UTC timestamp keeps its UTC day.
    #[default]
    Unknown,
    /// Central European time (UTC+1, +2 in summer): German, French, Italian, Spanish
    /// (of Spain), Dutch, Polish, Czech, Scandinavian... pages.
    CentralEurope,
    /// US Eastern time (UTC-5, -4 in summer): `en-US` pages.
    UsEastern,
}

impl SiteZone {
    /// The zone a page's language tag implies.
    pub fn for_language_tag(tag: &str) -> SiteZone {
        let tag = tag.trim().to_ascii_lowercase().replace('_', "-");
        let primary = tag.split('-').next().unwrap_or("");
        const CENTRAL: &[&str] = &[
            "de", "fr", "it", "nl", "pl", "cs", "sk", "hu", "hr", "sl", "sv", "da", "no", "nb",
            "nn", "sr", "bs",
        ];
        if tag == "en-us" {
            SiteZone::UsEastern
        } else if CENTRAL.contains(&primary) || tag == "es" || tag == "es-es" {
            SiteZone::CentralEurope
        } else {
            SiteZone::Unknown
        }
    }

    /// Hours from UTC on a day (summer time approximated by the calendar: the few days
    /// around a switch may be an hour off, which moves a day only near midnight).
    fn offset_hours(self, day: Date) -> i64 {
        let (month, day_of_month) = (day.month(), day.day());
        match self {
            SiteZone::Unknown => 0,
            SiteZone::CentralEurope => {
                let summer = (4..=9).contains(&month)
                    || (month == 3 && day_of_month >= 25)
                    || (month == 10 && day_of_month < 25);
                if summer {
                    2
                } else {
                    1
                }
            }
            SiteZone::UsEastern => {
                let summer = (4..=10).contains(&month)
                    || (month == 3 && day_of_month >= 10)
                    || (month == 11 && day_of_month < 3);
                if summer {
                    -4
                } else {
                    -5
                }
            }
        }
    }
}

/// Like [`parse_published_in`], but a timestamp written in UTC (`Z`, `+00:00`) is
/// moved to the site's zone first.
pub fn parse_published_at(text: &str, order: DayMonthOrder, zone: SiteZone) -> Option<Date> {
    static UTC: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::\d{1,2}(?:\.\d+)?)?\s*(?:Z|[+-]00:?00)$",
        )
        .unwrap_or_else(|e| panic!("built-in UTC timestamp pattern is invalid: {e}"))
    });
    let text = text.trim();
    if zone != SiteZone::Unknown {
        if let Some(c) = UTC.captures(text) {
            let day = iso_day_prefix(&c[1])?;
            let hour: i64 = c[2].parse().ok()?;
            let local_hour = hour + zone.offset_hours(day);
            let shift = if local_hour >= 24 {
                1
            } else if local_hour < 0 {
                -1
            } else {
                0
            };
            return day.checked_add(jiff::Span::new().days(shift)).ok();
        }
    }
    parse_published_in(text, order)
}

/// `YYYYMMDD` (eight digits making a day from 1900 to 2099).
fn compact_day(text: &str) -> Option<Date> {
    if text.len() != 8 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i16 = text[..4].parse().ok()?;
    if !(1900..2100).contains(&year) {
        return None;
    }
    Date::new(year, text[4..6].parse().ok()?, text[6..8].parse().ok()?).ok()
}

/// The day of a `YYYY-MM-DD` prefix (followed by nothing, `T` or a space).
fn iso_day_prefix(text: &str) -> Option<Date> {
    let head = text.get(..10)?;
    let rest = &text[10..];
    if !(rest.is_empty() || rest.starts_with(['T', 't', ' '])) {
        return None;
    }
    let bytes = head.as_bytes();
    if bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year: i16 = head[..4].parse().ok()?;
    let month: i8 = head[5..7].parse().ok()?;
    let day: i8 = head[8..10].parse().ok()?;
    Date::new(year, month, day).ok()
}

/// The UTC calendar day of a Unix time.
pub fn day_of_epoch_seconds(seconds: i64) -> Option<Date> {
    let timestamp = jiff::Timestamp::from_second(seconds).ok()?;
    // A fixed offset converts by arithmetic, without a time zone lookup.
    Some(jiff::tz::Offset::UTC.to_datetime(timestamp).date())
}

/// Calendar bucket sizes for date facets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Interval {
    Day,
    #[default]
    Month,
    Year,
}

/// A day as Tantivy's date value (UTC midnight).
pub fn to_tantivy(day: Date) -> tantivy::DateTime {
    tantivy::DateTime::from_timestamp_secs(day_to_epoch_seconds(day))
}

/// The day of a Tantivy date value.
pub fn from_tantivy(value: tantivy::DateTime) -> Option<Date> {
    day_of_epoch_seconds(value.into_timestamp_secs())
}

/// The first day an index's date fields can hold (Tantivy counts nanoseconds in 64 bits:
/// about 292 years either side of 1970).
pub const FIRST_INDEXED_DAY: Date = Date::constant(1678, 1, 1);
/// The last day an index's date fields can hold.
pub const LAST_INDEXED_DAY: Date = Date::constant(2261, 12, 31);

/// A day moved into the span the index can hold: a range over 1000..2030 filters as
/// 1678..2030, which is the same articles.
pub fn clamp_to_index(day: Date) -> Date {
    day.clamp(FIRST_INDEXED_DAY, LAST_INDEXED_DAY)
}

/// Seconds since the epoch at UTC midnight of a day.
pub fn day_to_epoch_seconds(day: Date) -> i64 {
    let days = day
        .since(Date::constant(1970, 1, 1))
        .map(|span| span.get_days() as i64)
        .unwrap_or(0);
    days * 86_400
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_and_timestamps_keep_the_written_day() {
        assert_eq!(
            parse_published("2022-02-21"),
            Some(Date::constant(2022, 2, 21))
        );
        assert_eq!(
            parse_published("2022-02-21T23:30:00-05:00"),
            Some(Date::constant(2022, 2, 21))
        );
        assert_eq!(parse_published("2022-13-01"), None);
        assert_eq!(parse_published("yesterday"), None);
    }

    #[test]
    fn compact_and_written_dates_before_epochs() {
        assert_eq!(
            parse_published("20231102"),
            Some(Date::constant(2023, 11, 2))
        );
        assert_eq!(
            parse_published("2022-1-26"),
            Some(Date::constant(2022, 1, 26))
        );
        assert_eq!(
            parse_published("Sat, 19 Oct 2019 08:00:00 +0200"),
            Some(Date::constant(2019, 10, 19))
        );
        assert_eq!(parse_published("11/01/2023"), None);
        assert_eq!(
            parse_published_in("11/01/2023", DayMonthOrder::MonthFirst),
            Some(Date::constant(2023, 11, 1))
        );
        // Too small to be a publication time: not 1970.
        assert_eq!(parse_published("1234567"), None);
    }

    #[test]
    fn utc_timestamps_take_the_day_where_the_site_is() {
        let europe = SiteZone::for_language_tag("de-DE");
        let us = SiteZone::for_language_tag("en-US");
        let any = DayMonthOrder::Unknown;
        assert_eq!(
            parse_published_at("2020-12-05T23:15:00Z", any, europe),
            Some(Date::constant(2020, 12, 6))
        );
        assert_eq!(
            parse_published_at("2023-11-09T03:28:35Z", any, us),
            Some(Date::constant(2023, 11, 8))
        );
        assert_eq!(
            parse_published_at("2023-11-09T03:28:35Z", any, SiteZone::Unknown),
            Some(Date::constant(2023, 11, 9))
        );
        // A local offset is the local day already.
        assert_eq!(
            parse_published_at("2020-12-05T23:15:00+01:00", any, us),
            Some(Date::constant(2020, 12, 5))
        );
    }

    #[test]
    fn epoch_seconds_and_millis() {
        assert_eq!(
            parse_published("1645401600"),
            Some(Date::constant(2022, 2, 21))
        );
        assert_eq!(
            parse_published("1645401600000"),
            Some(Date::constant(2022, 2, 21))
        );
    }

    #[test]
    fn tantivy_round_trip() {
        let day = Date::constant(1987, 3, 9);
        assert_eq!(from_tantivy(to_tantivy(day)), Some(day));
    }
}
