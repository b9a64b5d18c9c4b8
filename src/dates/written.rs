//! Complete dates as pages write them, in the languages of the index's stemmers:
//! "19 October 2019", "October 19, 2019", "19. Oktober 2019", "19 de octubre de 2019",
//! "19 października 2019", "19 октября 2019", "2022-1-26", "26.01.2022", "11/01/2023".
//!
//! Only complete days are read (day, month and year). A numeric date whose day and month
//! could be swapped (`11/01/2023`) is read by the page's [`DayMonthOrder`], and left
//! unread when the order is unknown.

use std::collections::HashMap;
use std::sync::LazyLock;

use jiff::civil::Date;
use regex::{Captures, Regex};

/// How a page writes a numeric date whose first two numbers could both be a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DayMonthOrder {
    /// Not known: an ambiguous date is not read.
    #[default]
    Unknown,
    /// `11/01/2023` is 11 January (most of the world).
    DayFirst,
    /// `11/01/2023` is 1 November (the United States).
    MonthFirst,
}

impl DayMonthOrder {
    /// The order a page's language tag implies (`en-US` month first; other English
    /// variants and other languages day first; plain `en` or none unknown).
    pub fn for_language_tag(tag: &str) -> DayMonthOrder {
        let tag = tag.trim().to_ascii_lowercase().replace('_', "-");
        match tag.as_str() {
            "" | "en" => DayMonthOrder::Unknown,
            "en-us" => DayMonthOrder::MonthFirst,
            _ => DayMonthOrder::DayFirst,
        }
    }
}

/// Month names and their usual abbreviations, lower-case, by language: facts of each
/// language written out for dossier (English, German, French, Spanish, Italian,
/// Portuguese, Dutch, Swedish, Danish/Norwegian, Polish, Finnish, Russian, Ukrainian,
/// Turkish; declined forms where a date declines the month).
const MONTH_NAMES: &[[&str; 12]] = &[
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ],
    [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ],
    [
        "januar",
        "februar",
        "märz",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "dezember",
    ],
    [
        "jänner", "feber", "mrz", "apr", "mai", "jun", "jul", "aug", "sept", "okt", "nov", "dez",
    ],
    [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    [
        "janv", "févr", "mars", "avr", "mai", "juin", "juil", "aout", "sept", "oct", "nov", "déc",
    ],
    [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    [
        "ene",
        "fév",
        "mär",
        "abr",
        "mayo",
        "jun",
        "jul",
        "ago",
        "setiembre",
        "oct",
        "nov",
        "dic",
    ],
    [
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ],
    [
        "gen", "febr", "marzo", "aprile", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic",
    ],
    [
        "janeiro",
        "fevereiro",
        "março",
        "abril",
        "maio",
        "junho",
        "julho",
        "agosto",
        "setembro",
        "outubro",
        "novembro",
        "dezembro",
    ],
    [
        "jan", "fev", "marco", "abr", "maio", "jun", "jul", "ago", "setembro", "out", "nov", "dez",
    ],
    [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
    [
        "januari", "februari", "mrt", "apr", "mei", "jun", "jul", "augusti", "sep", "okt", "nov",
        "dec",
    ],
    [
        "januar",
        "februar",
        "marts",
        "april",
        "maj",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "desember",
    ],
    [
        "stycznia",
        "lutego",
        "marca",
        "kwietnia",
        "maja",
        "czerwca",
        "lipca",
        "sierpnia",
        "września",
        "października",
        "listopada",
        "grudnia",
    ],
    [
        "styczeń",
        "luty",
        "marzec",
        "kwiecień",
        "maj",
        "czerwiec",
        "lipiec",
        "sierpień",
        "wrzesień",
        "październik",
        "listopad",
        "grudzień",
    ],
    [
        "tammikuuta",
        "helmikuuta",
        "maaliskuuta",
        "huhtikuuta",
        "toukokuuta",
        "kesäkuuta",
        "heinäkuuta",
        "elokuuta",
        "syyskuuta",
        "lokakuuta",
        "marraskuuta",
        "joulukuuta",
    ],
    [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ],
    [
        "січня",
        "лютого",
        "березня",
        "квітня",
        "травня",
        "червня",
        "липня",
        "серпня",
        "вересня",
        "жовтня",
        "листопада",
        "грудня",
    ],
    [
        "ocak", "şubat", "mart", "nisan", "mayıs", "haziran", "temmuz", "ağustos", "eylül", "ekim",
        "kasım", "aralık",
    ],
];

static MONTHS: LazyLock<HashMap<&'static str, i8>> = LazyLock::new(|| {
    let mut months = HashMap::new();
    for names in MONTH_NAMES {
        for (index, name) in names.iter().enumerate() {
            months.entry(*name).or_insert(index as i8 + 1);
        }
    }
    months
});

static PATTERN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)
        \b(?P<y1>\d{4})[-/.](?P<m1>\d{1,2})[-/.](?P<d1>\d{1,2})(?:T|\b)
      | \b(?P<d2>\d{1,2})\.\s?(?P<m2>\d{1,2})\.\s?(?P<y2>\d{4})\b
      | \b(?P<a3>\d{1,2})(?P<s3>[/-])(?P<b3>\d{1,2})[/-](?P<y3>\d{4})\b
      | \b(?P<d4>\d{1,2})(?:\.|st|nd|rd|th|er|º|°)?\s*(?:de\s+|of\s+)?(?P<mon4>\p{L}{3,12})\.?,?\s*(?:de\s+|del\s+)?(?P<y4>\d{4})\b
      | \b(?P<mon5>\p{L}{3,12})\.?\s+(?P<d5>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y5>\d{4})\b",
    )
    .unwrap_or_else(|e| panic!("built-in written date pattern is invalid: {e}"))
});

/// A complete date written in `text` and where it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WrittenDate {
    pub start: usize,
    pub end: usize,
    pub day: Date,
}

/// Every complete date in `text`, in order.
pub fn find_written_dates(text: &str, order: DayMonthOrder) -> Vec<WrittenDate> {
    PATTERN
        .captures_iter(text)
        .filter_map(|c| {
            let whole = c.get(0)?;
            Some(WrittenDate {
                start: whole.start(),
                end: whole.end(),
                day: read(&c, order)?,
            })
        })
        .collect()
}

/// The first complete date written in `text`.
pub fn written_date(text: &str, order: DayMonthOrder) -> Option<Date> {
    PATTERN.captures_iter(text).find_map(|c| read(&c, order))
}

fn read(c: &Captures, order: DayMonthOrder) -> Option<Date> {
    let number = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<i32>().ok());
    if let Some(year) = number("y1") {
        return calendar_day(year, number("m1")?, number("d1")?);
    }
    if let Some(year) = number("y2") {
        return calendar_day(year, number("m2")?, number("d2")?);
    }
    if let Some(year) = number("y3") {
        let (a, b) = (number("a3")?, number("b3")?);
        let (day, month) = match order {
            _ if a > 12 => (a, b),
            _ if b > 12 => (b, a),
            _ if a == b => (a, b),
            DayMonthOrder::DayFirst => (a, b),
            DayMonthOrder::MonthFirst => (b, a),
            DayMonthOrder::Unknown => return None,
        };
        return calendar_day(year, month, day);
    }
    let (month, day, year) = if let Some(year) = number("y4") {
        (c.name("mon4")?.as_str(), number("d4")?, year)
    } else {
        (c.name("mon5")?.as_str(), number("d5")?, number("y5")?)
    };
    let month = *MONTHS.get(month.to_lowercase().as_str())?;
    calendar_day(year, i32::from(month), day)
}

fn calendar_day(year: i32, month: i32, day: i32) -> Option<Date> {
    if !(1800..=2200).contains(&year) {
        return None;
    }
    Date::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
    )
    .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str, order: DayMonthOrder) -> Option<Date> {
        written_date(text, order)
    }

    #[test]
    fn numeric_forms() {
        let unknown = DayMonthOrder::Unknown;
        assert_eq!(day("2022-1-26", unknown), Some(Date::constant(2022, 1, 26)));
        assert_eq!(
            day("2022-1-26T08:00", unknown),
            Some(Date::constant(2022, 1, 26))
        );
        assert_eq!(
            day("2022/01/26", unknown),
            Some(Date::constant(2022, 1, 26))
        );
        assert_eq!(
            day("26.01.2022", unknown),
            Some(Date::constant(2022, 1, 26))
        );
        assert_eq!(
            day("am 6. 5. 2014", unknown),
            Some(Date::constant(2014, 5, 6))
        );
        assert_eq!(
            day("26/01/2022", unknown),
            Some(Date::constant(2022, 1, 26))
        );
        assert_eq!(
            day("01/26/2022", unknown),
            Some(Date::constant(2022, 1, 26))
        );
        assert_eq!(day("11/01/2023", unknown), None);
        assert_eq!(
            day("11/01/2023", DayMonthOrder::DayFirst),
            Some(Date::constant(2023, 1, 11))
        );
        assert_eq!(
            day("11/01/2023", DayMonthOrder::MonthFirst),
            Some(Date::constant(2023, 11, 1))
        );
        assert_eq!(day("2022-13-45", unknown), None);
    }

    #[test]
    fn month_names_in_several_languages() {
        let unknown = DayMonthOrder::Unknown;
        let oct19 = Some(Date::constant(2019, 10, 19));
        for text in [
            "Sat, 19 Oct 2019 10:00:00 GMT",
            "October 19, 2019",
            "19th of October, 2019",
            "19. Oktober 2019",
            "le 19 octobre 2019",
            "19 de octubre de 2019",
            "19 ottobre 2019",
            "19 de outubro de 2019",
            "19 oktober 2019",
            "19 października 2019",
            "19 октября 2019",
            "19 жовтня 2019",
        ] {
            assert_eq!(day(text, unknown), oct19, "{text}");
        }
        assert_eq!(
            day("Am 6. Mai 2014", unknown),
            Some(Date::constant(2014, 5, 6))
        );
        assert_eq!(
            day("3 März 2021", unknown),
            Some(Date::constant(2021, 3, 3))
        );
    }

    #[test]
    fn words_that_are_not_months_and_impossible_days() {
        let unknown = DayMonthOrder::Unknown;
        assert_eq!(day("12 people 2019", unknown), None);
        assert_eq!(day("February 30, 2022", unknown), None);
        assert_eq!(day("room 12 of 2019", unknown), None);
        let found = find_written_dates("Posted 3 May 2020, updated 4 May 2020", unknown);
        assert_eq!(found.len(), 2);
        assert_eq!(found[1].day, Date::constant(2020, 5, 4));
    }
}
