//! The date histogram: one SVG bar per calendar bucket between the first and last day
//! counted, each bar a link that narrows the search to its bucket. Articles dated only
//! by a file time or a saved page's "today" are drawn apart, on top and hatched, so the
//! timeline never passes a copy's date off as a publication day.

use jiff::civil::Date;
use maud::{html, Markup};

use super::state::{interval_name, PageState};
use crate::dates::Interval;
use crate::query::ast::DateField;
use crate::query::edit::with_date_range;
use crate::search::stats::Count;

/// More bars than this and the next coarser interval is drawn instead.
const MAX_BARS: usize = 400;
/// The histogram's height in SVG units.
const HEIGHT: f64 = 100.0;
/// A bar's width and the gap after it, in SVG units.
const BAR: f64 = 10.0;
const GAP: f64 = 2.0;

/// One bucket of the histogram.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bucket {
    /// `2022`, `2022-02` or `2022-02-21`: the date filter value too.
    pub key: String,
    pub first: Date,
    pub last: Date,
    pub count: u64,
    /// Of `count`, the articles dated by a file time or a saved page only.
    pub uncertain: u64,
}

/// Day counts (`YYYY-MM-DD`) as buckets of `interval` (or one that fits), every bucket
/// from the first to the last, empty ones too.
pub fn buckets(
    days: &[Count],
    uncertain: &[Count],
    interval: Option<Interval>,
) -> (Interval, Vec<Bucket>) {
    let parsed: Vec<(Date, u64)> = days
        .iter()
        .filter_map(|c| Some((c.value.parse::<Date>().ok()?, c.count)))
        .collect();
    let (Some(first), Some(last)) = (
        parsed.iter().map(|d| d.0).min(),
        parsed.iter().map(|d| d.0).max(),
    ) else {
        return (interval.unwrap_or(Interval::Month), Vec::new());
    };
    let mut chosen = interval.unwrap_or_else(|| fitting(first, last));
    while bar_count(first, last, chosen) > MAX_BARS && chosen != Interval::Year {
        chosen = coarser(chosen);
    }
    let mut out: Vec<Bucket> = Vec::new();
    let mut at = start_of(first, chosen);
    while at <= last {
        let end = end_of(at, chosen);
        out.push(Bucket {
            key: key_of(at, chosen),
            first: at,
            last: end,
            count: 0,
            uncertain: 0,
        });
        match end.tomorrow() {
            Ok(next) => at = next,
            Err(_) => break,
        }
    }
    for (day, count) in parsed {
        let i = out.partition_point(|b| b.last < day);
        if let Some(bucket) = out.get_mut(i) {
            bucket.count += count;
        }
    }
    for count in uncertain {
        if let Ok(day) = count.value.parse::<Date>() {
            let i = out.partition_point(|b| b.last < day);
            if let Some(bucket) = out.get_mut(i) {
                bucket.uncertain += count.count;
            }
        }
    }
    (chosen, out)
}

/// An interval that draws the span in a readable number of bars.
fn fitting(first: Date, last: Date) -> Interval {
    let days = (last - first).get_days();
    if days <= 62 {
        Interval::Day
    } else if days <= 366 * 6 {
        Interval::Month
    } else {
        Interval::Year
    }
}

fn coarser(interval: Interval) -> Interval {
    match interval {
        Interval::Day => Interval::Month,
        _ => Interval::Year,
    }
}

fn bar_count(first: Date, last: Date, interval: Interval) -> usize {
    let years = (last.year() - first.year()) as usize;
    match interval {
        Interval::Day => (last - first).get_days().max(0) as usize + 1,
        Interval::Month => years * 12 + last.month() as usize + 1 - first.month() as usize,
        Interval::Year => years + 1,
    }
}

fn start_of(day: Date, interval: Interval) -> Date {
    match interval {
        Interval::Day => day,
        Interval::Month => day.first_of_month(),
        Interval::Year => day.first_of_year(),
    }
}

fn end_of(start: Date, interval: Interval) -> Date {
    match interval {
        Interval::Day => start,
        Interval::Month => start.last_of_month(),
        Interval::Year => start.last_of_year(),
    }
}

fn key_of(day: Date, interval: Interval) -> String {
    match interval {
        Interval::Day => day.to_string(),
        Interval::Month => format!("{:04}-{:02}", day.year(), day.month()),
        Interval::Year => format!("{:04}", day.year()),
    }
}

/// The histogram with its controls.
pub fn render(state: &PageState, interval: Interval, buckets: &[Bucket]) -> Markup {
    let field = state.dates;
    let (filter, what) = match field {
        DateField::Published => ("date", "Published"),
        DateField::Mentioned => ("mentioned", "Days mentioned"),
    };
    let highest = buckets.iter().map(|b| b.count).max().unwrap_or(0).max(1) as f64;
    let width = (buckets.len() as f64 * (BAR + GAP)).max(BAR + GAP);
    let uncertain: u64 = buckets.iter().map(|b| b.uncertain).sum();
    let range_href = state
        .with_query(with_date_range(&state.query, field, "__RANGE__"))
        .url();
    html! {
        section.timeline aria-labelledby="timeline-heading" {
            div.timeline-head {
                h2 #timeline-heading { (what) " by " (interval_name(interval)) }
                nav.switches aria-label="Timeline options" {
                    span { "Count: " }
                    (switch(state, "Published", PageState { dates: DateField::Published, ..state.clone() }, field == DateField::Published))
                    (switch(state, "Mentioned", PageState { dates: DateField::Mentioned, ..state.clone() }, field == DateField::Mentioned))
                    span { " Bars: " }
                    @for (label, option) in [("day", Interval::Day), ("month", Interval::Month), ("year", Interval::Year)] {
                        (switch(state, label, PageState { interval: Some(option), ..state.clone() }, interval == option))
                    }
                }
            }
            @if buckets.is_empty() {
                p.empty { "No dates to draw." }
            } @else {
                svg.bars viewBox=(format!("0 0 {width} {HEIGHT}")) preserveAspectRatio="none" width="100%" height="120" role="group" aria-label=(format!("{what}: one link per {}; drag across bars to pick a range", interval_name(interval))) data-range-href=(range_href) data-filter=(filter) {
                    defs {
                        pattern #hatch patternUnits="userSpaceOnUse" width="4" height="4" patternTransform="rotate(45)" {
                            rect width="2" height="4" class="hatch-stripe" {}
                        }
                    }
                    @for (i, bucket) in buckets.iter().enumerate() {
                        (bar(state, field, i, bucket, highest))
                    }
                }
                div.axis {
                    span { (buckets[0].key) }
                    span { (buckets[buckets.len() - 1].key) }
                }
                @if uncertain > 0 {
                    p.legend {
                        span.swatch.sure aria-hidden="true" {}
                        " dated by the article  "
                        span.swatch.unsure aria-hidden="true" {}
                        " " (uncertain) " dated only by a file time or a saved page's date (uncertain)"
                    }
                }
            }
        }
    }
}

fn switch(_state: &PageState, label: &str, target: PageState, current: bool) -> Markup {
    html! {
        @if current {
            span.switch aria-current="true" { (label) }
        } @else {
            a.switch href=(target.at(0).url()) { (label) }
        }
        " "
    }
}

fn bar(state: &PageState, field: DateField, i: usize, bucket: &Bucket, highest: f64) -> Markup {
    let x = i as f64 * (BAR + GAP);
    let sure = bucket.count.saturating_sub(bucket.uncertain) as f64;
    let sure_height = sure / highest * HEIGHT;
    let unsure_height = bucket.uncertain as f64 / highest * HEIGHT;
    let label = if bucket.uncertain > 0 {
        format!(
            "{}: {} articles ({} with uncertain dates)",
            bucket.key, bucket.count, bucket.uncertain
        )
    } else {
        format!("{}: {} articles", bucket.key, bucket.count)
    };
    let href = state
        .with_query(with_date_range(&state.query, field, &bucket.key))
        .url();
    html! {
        @if bucket.count == 0 {
            rect.gap x=(x) y=(HEIGHT - 1.0) width=(BAR) height="1" {}
        } @else {
            a href=(href) data-bucket=(bucket.key) data-count=(bucket.count) data-from=(bucket.first.to_string()) data-to=(bucket.last.to_string()) aria-label=(label) {
                title { (label) }
                rect.hitbox x=(x) y="0" width=(BAR + GAP) height=(HEIGHT) {}
                rect.sure x=(x) y=(HEIGHT - sure_height) width=(BAR) height=(sure_height) {}
                @if bucket.uncertain > 0 {
                    rect.unsure x=(x) y=(HEIGHT - sure_height - unsure_height) width=(BAR) height=(unsure_height) {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(value: &str, count: u64) -> Count {
        Count {
            value: value.to_string(),
            count,
        }
    }

    #[test]
    fn days_fill_every_month_between_first_and_last() {
        let days = [
            count("2022-01-05", 2),
            count("2022-03-30", 1),
            count("2022-03-01", 4),
        ];
        let (interval, bars) = buckets(&days, &[count("2022-03-01", 1)], None);
        assert_eq!(interval, Interval::Month);
        let keys: Vec<(&str, u64, u64)> = bars
            .iter()
            .map(|b| (b.key.as_str(), b.count, b.uncertain))
            .collect();
        assert_eq!(
            keys,
            vec![("2022-01", 2, 0), ("2022-02", 0, 0), ("2022-03", 5, 1)]
        );
    }

    #[test]
    fn the_interval_fits_the_span_and_a_chosen_one_holds() {
        let short = [count("2022-02-01", 1), count("2022-02-20", 1)];
        assert_eq!(buckets(&short, &[], None).0, Interval::Day);
        let long = [count("1990-02-01", 1), count("2022-02-20", 1)];
        assert_eq!(buckets(&long, &[], None).0, Interval::Year);
        assert_eq!(
            buckets(&long, &[], Some(Interval::Month)).0,
            Interval::Month
        );
        // Thirty years of days is too many bars: months instead.
        assert_eq!(buckets(&long, &[], Some(Interval::Day)).0, Interval::Month);
    }
}
