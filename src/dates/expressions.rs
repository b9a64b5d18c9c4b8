//! Finding date expressions in text: "February 21, 2022", "Feb. 18", "21 February",
//! "2022-02-21", "Thursday", "last Tuesday", "yesterday". Each comes with its byte span;
//! turning it into a calendar day is the caller's business (it may need an anchor).

use std::sync::LazyLock;

use jiff::civil::{Date, Weekday};
use regex::{Captures, Regex};

const MONTHS: &str = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)";
const WEEKDAYS: &str = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";

/// What an expression says about the day it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateExpression {
    /// A complete date.
    Full(Date),
    /// Month and day without a year.
    MonthDay { month: i8, day: i8 },
    /// A weekday, resolved relative to an anchor day.
    Weekday {
        weekday: Weekday,
        direction: Direction,
    },
    /// Days from the anchor: yesterday -1, today 0, tomorrow +1.
    Offset(i8),
}

/// Which occurrence of a weekday is meant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// The most recent one, the anchor day included ("on Monday" in news).
    LatestOnOrBefore,
    /// The most recent one before the anchor day ("last Monday").
    Before,
    /// The next one after the anchor day ("next Monday").
    After,
    /// The next one, the anchor day included ("will meet on Monday").
    OnOrAfter,
}

/// An expression and where it stands in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub expression: DateExpression,
}

static PATTERN: LazyLock<Regex> = LazyLock::new(|| {
    let pattern = format!(
        r"(?x)
        \b(?:(?P<wd1>{WEEKDAYS}),?\s+)?(?P<mon1>{MONTHS})\.?\s+(?P<day1>[0-9]{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year1>[0-9]{{4}})\b)?
      | \b(?P<day2>[0-9]{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon2>{MONTHS})\b\.?(?:,?\s+(?P<year2>[0-9]{{4}})\b)?
      | \b(?P<iso>(?P<y3>[0-9]{{4}})-(?P<m3>[0-9]{{2}})-(?P<d3>[0-9]{{2}}))\b
      | \b(?:(?P<mod>[Ll]ast|[Nn]ext|[Tt]his)\s+)?(?P<wd4>{WEEKDAYS})\b
      | \b(?P<rel>[Yy]esterday|[Tt]oday|[Tt]omorrow)\b"
    );
    // ASCII word boundaries and digits keep the fast matcher usable on any text: dates
    // are written in ASCII even in non-English articles.
    regex::RegexBuilder::new(&pattern)
        .unicode(false)
        .build()
        .unwrap_or_else(|e| panic!("built-in date pattern is invalid: {e}"))
});

/// Words just before a weekday that make it a future day ("will meet on Thursday").
const FUTURE_MARKERS: &[&str] = &[
    "will",
    "due",
    "scheduled",
    "expected",
    "set to",
    "plans to",
    "to be held",
];

/// Every date expression in `text`, in order.
pub fn find_all(text: &str) -> Vec<Found> {
    PATTERN
        .captures_iter(text)
        .filter_map(|captures| {
            let whole = captures.get(0)?;
            let expression = read(&captures, &text[..whole.start()])?;
            Some(Found {
                start: whole.start(),
                end: whole.end(),
                expression,
            })
        })
        .collect()
}

/// The date a whole line states, if the line is nothing but one complete date
/// ("Thursday, November 30, 2023"): a date line above a title.
pub fn full_date_line(line: &str) -> Option<Date> {
    let line = line.trim();
    let found = find_all(line);
    match found.as_slice() {
        [only] if only.start == 0 && only.end == line.len() => match only.expression {
            DateExpression::Full(day) => Some(day),
            _ => None,
        },
        _ => None,
    }
}

fn read(captures: &Captures, before: &str) -> Option<DateExpression> {
    let number = |name: &str| {
        captures
            .name(name)
            .and_then(|m| m.as_str().parse::<i32>().ok())
    };
    if let Some(month) = captures
        .name("mon1")
        .or(captures.name("mon2"))
        .and_then(|m| month_number(m.as_str()))
    {
        let day = number("day1").or(number("day2"))?;
        return Some(match number("year1").or(number("year2")) {
            Some(year) => DateExpression::Full(valid_date(year, month, day)?),
            None => {
                valid_date(2000, month, day)?; // 2000 is a leap year: accepts February 29
                DateExpression::MonthDay {
                    month,
                    day: day as i8,
                }
            }
        });
    }
    if captures.name("iso").is_some() {
        return Some(DateExpression::Full(valid_date(
            number("y3")?,
            number("m3")? as i8,
            number("d3")?,
        )?));
    }
    if let Some(weekday) = captures.name("wd4").and_then(|m| weekday(m.as_str())) {
        let direction = match captures
            .name("mod")
            .map(|m| m.as_str().to_ascii_lowercase())
        {
            Some(m) if m == "last" => Direction::Before,
            Some(m) if m == "next" => Direction::After,
            _ if speaks_of_future(before) => Direction::OnOrAfter,
            _ => Direction::LatestOnOrBefore,
        };
        return Some(DateExpression::Weekday { weekday, direction });
    }
    let relative = captures.name("rel")?.as_str().to_ascii_lowercase();
    Some(DateExpression::Offset(match relative.as_str() {
        "yesterday" => -1,
        "tomorrow" => 1,
        _ => 0,
    }))
}

/// Does the text just before a weekday announce something to come?
fn speaks_of_future(before: &str) -> bool {
    let start = before.len().saturating_sub(40);
    let start = (start..before.len())
        .find(|&i| before.is_char_boundary(i))
        .unwrap_or(before.len());
    let window = before[start..].to_ascii_lowercase();
    FUTURE_MARKERS
        .iter()
        .any(|m| window.contains(&format!("{m} ")))
}

fn valid_date(year: i32, month: i8, day: i32) -> Option<Date> {
    if !(1800..=2200).contains(&year) {
        return None;
    }
    Date::new(year as i16, month, i8::try_from(day).ok()?).ok()
}

fn month_number(name: &str) -> Option<i8> {
    let prefix = name.get(..3)?.to_ascii_lowercase();
    let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    months
        .iter()
        .position(|m| *m == prefix)
        .map(|i| i as i8 + 1)
}

fn weekday(name: &str) -> Option<Weekday> {
    Some(match name.get(..3)? {
        "Mon" => Weekday::Monday,
        "Tue" => Weekday::Tuesday,
        "Wed" => Weekday::Wednesday,
        "Thu" => Weekday::Thursday,
        "Fri" => Weekday::Friday,
        "Sat" => Weekday::Saturday,
        "Sun" => Weekday::Sunday,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expressions(text: &str) -> Vec<(String, DateExpression)> {
        find_all(text)
            .into_iter()
            .map(|f| (text[f.start..f.end].to_string(), f.expression))
            .collect()
    }

    #[test]
    fn absolute_forms() {
        let found =
            expressions("On February 21, 2022 and 21 February 2022 and 2022-02-21 they met.");
        let day = DateExpression::Full(Date::constant(2022, 2, 21));
        assert_eq!(
            found.iter().map(|f| f.1).collect::<Vec<_>>(),
            vec![day, day, day]
        );
        assert_eq!(found[0].0, "February 21, 2022");
        assert_eq!(found[1].0, "21 February 2022");
    }

    #[test]
    fn partial_forms_keep_month_and_day() {
        let found = expressions(
            "Biden said on Feb. 18 that talks on February 24th would go ahead; by 3 March...",
        );
        let kinds: Vec<_> = found.iter().map(|f| f.1).collect();
        assert_eq!(
            kinds,
            vec![
                DateExpression::MonthDay { month: 2, day: 18 },
                DateExpression::MonthDay { month: 2, day: 24 },
                DateExpression::MonthDay { month: 3, day: 3 },
            ]
        );
        assert_eq!(found[0].0, "Feb. 18");
    }

    #[test]
    fn weekdays_and_relative_words() {
        let found = expressions("Shelling resumed on Monday; last Tuesday was calm; talks will start on Thursday. Yesterday, next Friday.");
        let kinds: Vec<_> = found.iter().map(|f| f.1).collect();
        assert_eq!(
            kinds,
            vec![
                DateExpression::Weekday {
                    weekday: Weekday::Monday,
                    direction: Direction::LatestOnOrBefore
                },
                DateExpression::Weekday {
                    weekday: Weekday::Tuesday,
                    direction: Direction::Before
                },
                DateExpression::Weekday {
                    weekday: Weekday::Thursday,
                    direction: Direction::OnOrAfter
                },
                DateExpression::Offset(-1),
                DateExpression::Weekday {
                    weekday: Weekday::Friday,
                    direction: Direction::After
                },
            ]
        );
    }

    #[test]
    fn impossible_dates_and_words_that_look_like_months_are_ignored() {
        assert!(expressions("February 30, 2022").is_empty());
        assert!(expressions("They may decide. Troops march on. In May.").is_empty());
        assert!(expressions("2022-13-01").is_empty());
    }

    #[test]
    fn date_lines() {
        assert_eq!(
            full_date_line("Thursday, November 30, 2023"),
            Some(Date::constant(2023, 11, 30))
        );
        assert_eq!(
            full_date_line("February 21, 2022"),
            Some(Date::constant(2022, 2, 21))
        );
        assert_eq!(full_date_line("Talks on February 21, 2022"), None);
        assert_eq!(full_date_line("Monday"), None);
    }
}
