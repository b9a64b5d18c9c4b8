//! An article's publication day, best evidence first (SPEC §2): metadata, a JSON field,
//! a date line or dateline at the top of a text file, a date in the path, and last the
//! file's modification time.

use std::sync::LazyLock;

use jiff::civil::Date;
use regex::Regex;

use super::expressions::{find_all, full_date_line, DateExpression};
use super::{day_of_epoch_seconds, parse_published};
use crate::model::DateSource;

/// A dateline within this many days of the file time confirms the file time: the file
/// was saved when the story ran, and its time stamp is exact where a dateline carries
/// the reporter's local day, the day of the event, or now and then a typo.
const DATELINE_CONFIRMS_MTIME_DAYS: i32 = 62;

/// Time-zone slack when a dateline's year is inferred: a dateline may be a day ahead.
const TIME_ZONE_SLACK_DAYS: i64 = 1;

/// Everything that may date an article.
#[derive(Debug, Clone, Copy, Default)]
pub struct Evidence<'a> {
    /// A date from HTML metadata or a JSON field, with its source.
    pub hint: Option<&'a (String, DateSource)>,
    /// Lines above a text file's title (date lines such as "Monday, March 20, 2023").
    pub header_lines: &'a [String],
    /// The start of the body, where a dateline ("LOS ANGELES, Feb 26 -") stands.
    pub body: &'a str,
    /// The path as walked.
    pub path: &'a str,
    /// Modification time, epoch seconds; 0 when unknown.
    pub mtime: i64,
}

/// A publication day and where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Published {
    pub day: Date,
    pub source: DateSource,
    /// The day rests on more than the file time, so a date in the text without a year
    /// may take its year from it. A file's modification time alone says when it was
    /// saved, which for copied or archived folders can be years away.
    pub anchors_text: bool,
}

/// The publication day from the best evidence there is.
pub fn publication_date(evidence: &Evidence) -> Option<Published> {
    let found = |day, source| Published {
        day,
        source,
        anchors_text: true,
    };
    // A page's today widget is weaker evidence than a dateline or a path.
    let mut saved_hint = None;
    if let Some((text, source)) = evidence.hint {
        if let Some(day) = parse_published(text) {
            if *source == DateSource::Saved {
                saved_hint = Some(day);
            } else {
                return Some(found(day, *source));
            }
        }
    }
    let header_day = evidence.header_lines.iter().find_map(|l| full_date_line(l));
    let saved_day = match header_day {
        Some(day) if !is_today_widget(evidence.header_lines) => {
            return Some(found(day, DateSource::Text))
        }
        other => other.or(saved_hint),
    };
    let mtime_day = (evidence.mtime > 0)
        .then(|| day_of_epoch_seconds(evidence.mtime))
        .flatten();
    let path_day = path_date(evidence.path);
    if let Some(published) = dateline(evidence.body, path_day.or(mtime_day), mtime_day) {
        return Some(published);
    }
    if let Some(day) = path_day {
        return Some(found(day, DateSource::Path));
    }
    if let Some(day) = saved_day {
        return Some(Published {
            day,
            source: DateSource::Saved,
            anchors_text: false,
        });
    }
    mtime_day.map(|day| Published {
        day,
        source: DateSource::Mtime,
        anchors_text: false,
    })
}

/// Do the lines above a title hold a site header's today widget: a temperature
/// ("-0.6 C", "21°F") or a clock ("14:05") beside the date line? Then the date is the
/// day the page was saved.
fn is_today_widget(header_lines: &[String]) -> bool {
    static WIDGET: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)^(?:-?\d{1,3}(?:[.,]\d)?\s*°?\s*[cf]|\d{1,2}:\d{2}(?::\d{2})?\s*(?:am|pm)?)$",
        )
        .unwrap_or_else(|e| panic!("built-in widget pattern is invalid: {e}"))
    });
    header_lines.iter().any(|l| WIDGET.is_match(l.trim()))
}

/// "LOS ANGELES, Feb 26 -": a place, a comma, a date, a dash at the start of the body.
/// Without a year, the year comes from `year_evidence` (the nearest such day not after
/// it). A dateline near the file time confirms it, and the file time's day is kept.
fn dateline(body: &str, year_evidence: Option<Date>, mtime_day: Option<Date>) -> Option<Published> {
    static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^[A-Z][A-Za-z.' -]{1,40},\s+(?P<date>[^-–—]{3,30}?)\s*[-–—]")
            .unwrap_or_else(|e| panic!("built-in dateline pattern is invalid: {e}"))
    });
    let first_line = body.lines().next()?;
    let date_text = DATELINE.captures(first_line)?.name("date")?.as_str();
    let expression = find_all(date_text).into_iter().next()?.expression;
    let day = match expression {
        DateExpression::Full(day) => {
            return Some(Published {
                day,
                source: DateSource::Text,
                anchors_text: true,
            })
        }
        DateExpression::MonthDay { month, day } => nearest_not_after(month, day, year_evidence?)?,
        _ => return None,
    };
    if let Some(stamp) = mtime_day {
        let (month, day_of_month) = (day.month(), day.day());
        let closest = [stamp.year() - 1, stamp.year(), stamp.year() + 1]
            .into_iter()
            .filter_map(|year| Date::new(year, month, day_of_month).ok())
            .map(|candidate| (candidate - stamp).get_days().abs())
            .min()?;
        if closest <= DATELINE_CONFIRMS_MTIME_DAYS {
            let source = if closest == 0 {
                DateSource::Text
            } else {
                DateSource::Mtime
            };
            return Some(Published {
                day: stamp,
                source,
                anchors_text: true,
            });
        }
    }
    Some(Published {
        day,
        source: DateSource::Text,
        anchors_text: true,
    })
}

/// The month and day in the year that puts it on or before `limit` (plus a day of
/// time-zone slack), as close to it as possible.
fn nearest_not_after(month: i8, day: i8, limit: Date) -> Option<Date> {
    let slack = limit
        .checked_add(jiff::Span::new().days(TIME_ZONE_SLACK_DAYS))
        .ok()?;
    [limit.year(), limit.year() - 1]
        .into_iter()
        .filter_map(|year| Date::new(year, month, day).ok())
        .find(|candidate| *candidate <= slack)
}

/// A date in the path: `2022/02/21/...` or `2022-02-21-title.html`.
pub fn path_date(path: &str) -> Option<Date> {
    static PATH_DATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:^|[/\\_-])((?:19|20)\d\d)[/\\_-](\d\d)[/\\_-](\d\d)(?:[/\\_.-]|$)")
            .unwrap_or_else(|e| panic!("built-in path date pattern is invalid: {e}"))
    });
    PATH_DATE.captures_iter(path).find_map(|c| {
        let number = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<i32>().ok());
        Date::new(number(1)? as i16, number(2)? as i8, number(3)? as i8).ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn epoch(day: Date) -> i64 {
        super::super::day_to_epoch_seconds(day) + 13 * 3600
    }

    #[test]
    fn metadata_beats_everything() {
        let hint = ("2022-02-21T10:00:00+02:00".to_string(), DateSource::Meta);
        let header = vec!["Monday, March 20, 2023".to_string()];
        let evidence = Evidence {
            hint: Some(&hint),
            header_lines: &header,
            path: "2020/01/01/a.html",
            mtime: 1,
            ..Default::default()
        };
        let published = publication_date(&evidence).unwrap();
        assert_eq!(
            (published.day, published.source),
            (Date::constant(2022, 2, 21), DateSource::Meta)
        );
    }

    #[test]
    fn date_line_beside_the_weather_is_the_day_the_page_was_saved() {
        for widget in ["-0.6 C", "21°F", "14:05"] {
            let header = vec![widget.to_string(), "Monday, March 20, 2023".to_string()];
            let evidence = Evidence {
                header_lines: &header,
                mtime: epoch(Date::constant(2026, 1, 1)),
                ..Default::default()
            };
            let published = publication_date(&evidence).unwrap();
            assert_eq!(
                (published.day, published.source, published.anchors_text),
                (Date::constant(2023, 3, 20), DateSource::Saved, false)
            );
        }
        // A dateline or a path still outranks it.
        let header = vec!["-0.6 C".to_string(), "Monday, March 20, 2023".to_string()];
        let evidence = Evidence {
            header_lines: &header,
            path: "news/2022/02/21/talks.txt",
            ..Default::default()
        };
        assert_eq!(
            publication_date(&evidence).unwrap().source,
            DateSource::Path
        );
    }

    #[test]
    fn date_line_above_the_title() {
        let header = vec!["World".to_string(), "Monday, March 20, 2023".to_string()];
        let evidence = Evidence {
            header_lines: &header,
            mtime: epoch(Date::constant(2026, 1, 1)),
            ..Default::default()
        };
        let published = publication_date(&evidence).unwrap();
        assert_eq!(
            (published.day, published.source),
            (Date::constant(2023, 3, 20), DateSource::Text)
        );
    }

    #[test]
    fn dateline_takes_its_year_from_the_file_time() {
        let mtime = epoch(Date::constant(1987, 3, 9));
        let far = Evidence {
            body: "NEW YORK, Feb 26 - Prices rose.",
            mtime: epoch(Date::constant(1987, 9, 9)),
            ..Default::default()
        };
        let published = publication_date(&far).unwrap();
        assert_eq!(
            (published.day, published.source),
            (Date::constant(1987, 2, 26), DateSource::Text)
        );
        let stamp = epoch(Date::constant(1987, 3, 18));
        let typo = Evidence {
            body: "TOKYO, May 18 - An earthquake struck.",
            mtime: stamp,
            ..Default::default()
        };
        assert_eq!(
            publication_date(&typo).unwrap().day,
            Date::constant(1987, 3, 18)
        );
        let same = Evidence {
            body: "NEW YORK, March 9 - Prices rose.",
            mtime,
            ..Default::default()
        };
        assert_eq!(publication_date(&same).unwrap().source, DateSource::Text);
        // Tokyo is a day ahead of the UTC stamp: the stamp is kept.
        let ahead = Evidence {
            body: "TOKYO, March 10 - Prices rose.",
            mtime,
            ..Default::default()
        };
        let published = publication_date(&ahead).unwrap();
        assert_eq!(
            (published.day, published.source),
            (Date::constant(1987, 3, 9), DateSource::Mtime)
        );
        assert!(published.anchors_text);
    }

    #[test]
    fn dateline_in_early_january_belongs_to_the_year_before_a_late_stamp() {
        let mtime = epoch(Date::constant(1988, 6, 2));
        let evidence = Evidence {
            body: "LONDON, Dec 30 - Shares fell.",
            mtime,
            ..Default::default()
        };
        assert_eq!(
            publication_date(&evidence).unwrap().day,
            Date::constant(1987, 12, 30)
        );
        let new_year = Evidence {
            body: "LONDON, Dec 30 - Shares fell.",
            mtime: epoch(Date::constant(1988, 1, 2)),
            ..Default::default()
        };
        assert_eq!(
            publication_date(&new_year).unwrap().day,
            Date::constant(1988, 1, 2)
        );
    }

    #[test]
    fn path_dates() {
        assert_eq!(
            path_date("news/2022/02/21/story.html"),
            Some(Date::constant(2022, 2, 21))
        );
        assert_eq!(
            path_date("news/2022-02-21-story.html"),
            Some(Date::constant(2022, 2, 21))
        );
        assert_eq!(path_date("news/12022-02-21.html"), None);
        assert_eq!(path_date("news/2022-13-45-x.html"), None);
        let evidence = Evidence {
            path: "a/2023/11/02/chip.htm",
            mtime: 5,
            ..Default::default()
        };
        assert_eq!(
            publication_date(&evidence).unwrap().source,
            DateSource::Path
        );
    }

    #[test]
    fn file_time_alone_does_not_anchor_partial_dates() {
        let evidence = Evidence {
            body: "Talks went on.",
            mtime: epoch(Date::constant(2026, 11, 22)),
            ..Default::default()
        };
        let published = publication_date(&evidence).unwrap();
        assert_eq!(published.source, DateSource::Mtime);
        assert!(!published.anchors_text);
    }
}
