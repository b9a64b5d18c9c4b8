//! Days an article's text talks about, normalised against its publication day.

use jiff::civil::Date;
use jiff::ToSpan;

use super::expressions::{find_all, DateExpression, Direction};

/// A date without a year up to this many days after the anchor is an upcoming event;
/// otherwise it is the nearest past occurrence (news reports what happened).
const UPCOMING_WINDOW_DAYS: i64 = 60;

/// A day the text mentions, with where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMention {
    pub day: Date,
    pub start: usize,
    pub end: usize,
}

/// Every day `text` mentions. Complete dates are always taken; dates without a year,
/// weekdays and "yesterday" need an `anchor` (a trusted publication day) and are
/// skipped without one.
pub fn mentioned_dates(text: &str, anchor: Option<Date>) -> Vec<DateMention> {
    find_all(text)
        .into_iter()
        .filter_map(|found| {
            let day = resolve(found.expression, anchor)?;
            Some(DateMention {
                day,
                start: found.start,
                end: found.end,
            })
        })
        .collect()
}

/// The calendar day of an expression.
pub fn resolve(expression: DateExpression, anchor: Option<Date>) -> Option<Date> {
    match expression {
        DateExpression::Full(day) => Some(day),
        DateExpression::MonthDay { month, day } => year_for(month, day, anchor?),
        DateExpression::Offset(days) => anchor?.checked_add((days as i64).days()).ok(),
        DateExpression::Weekday { weekday, direction } => {
            let anchor = anchor?;
            let back = (anchor.weekday().to_monday_zero_offset() - weekday.to_monday_zero_offset())
                .rem_euclid(7) as i64;
            let offset = match direction {
                Direction::LatestOnOrBefore => -back,
                Direction::Before => -(if back == 0 { 7 } else { back }),
                Direction::OnOrAfter => (7 - back) % 7,
                Direction::After => {
                    let ahead = (7 - back) % 7;
                    if ahead == 0 {
                        7
                    } else {
                        ahead
                    }
                }
            };
            anchor.checked_add(offset.days()).ok()
        }
    }
}

/// The year for a month and day: upcoming within the window, else the nearest past.
fn year_for(month: i8, day: i8, anchor: Date) -> Option<Date> {
    let horizon = anchor.checked_add(UPCOMING_WINDOW_DAYS.days()).ok()?;
    [anchor.year() + 1, anchor.year(), anchor.year() - 1]
        .into_iter()
        .filter_map(|year| Date::new(year, month, day).ok())
        .find(|candidate| *candidate <= horizon)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days(text: &str, anchor: Option<Date>) -> Vec<String> {
        mentioned_dates(text, anchor)
            .into_iter()
            .map(|m| m.day.to_string())
            .collect()
    }

    #[test]
    fn partial_dates_take_the_nearest_past_year() {
        let anchor = Some(Date::constant(2022, 2, 22));
        assert_eq!(
            days("on February 21 and on December 7", anchor),
            vec!["2022-02-21", "2021-12-07"]
        );
    }

    #[test]
    fn near_future_dates_stay_in_the_coming_weeks() {
        let anchor = Some(Date::constant(2022, 2, 21));
        assert_eq!(days("will talk on February 24", anchor), vec!["2022-02-24"]);
        assert_eq!(
            days("talks on January 3", Some(Date::constant(2021, 12, 20))),
            vec!["2022-01-03"]
        );
    }

    #[test]
    fn weekdays_resolve_against_the_anchor() {
        // 2022-02-21 was a Monday.
        let anchor = Some(Date::constant(2022, 2, 21));
        assert_eq!(days("on Monday", anchor), vec!["2022-02-21"]);
        assert_eq!(days("on Thursday", anchor), vec!["2022-02-17"]);
        assert_eq!(days("last Monday", anchor), vec!["2022-02-14"]);
        assert_eq!(days("next Monday", anchor), vec!["2022-02-28"]);
        assert_eq!(
            days("they will meet on Thursday", anchor),
            vec!["2022-02-24"]
        );
        assert_eq!(days("they will meet on Monday", anchor), vec!["2022-02-21"]);
        assert_eq!(
            days("yesterday and tomorrow", anchor),
            vec!["2022-02-20", "2022-02-22"]
        );
    }

    #[test]
    fn without_an_anchor_only_complete_dates_count() {
        assert_eq!(
            days("on February 21 and on December 7, 2021, and Monday", None),
            vec!["2021-12-07"]
        );
    }

    #[test]
    fn spans_point_at_the_text() {
        let text = "Biden said on Feb. 18 that";
        let found = mentioned_dates(text, Some(Date::constant(2022, 2, 20)));
        assert_eq!(&text[found[0].start..found[0].end], "Feb. 18");
    }
}
