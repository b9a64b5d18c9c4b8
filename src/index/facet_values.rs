//! Global numbers for facet values: every person, place, organisation and source an
//! article names, and every day it was published on or mentions, gets one number for the
//! whole index, kept in `facet-values.tsv` next to Tantivy's files (line N, from 0, is
//! number N: `kind<TAB>value`). Each article stores its numbers in one multi-valued fast
//! field, so counting facets over a result set reads one column per document and names
//! the winners by line, with no per-segment dictionaries to search and no merging of
//! per-segment counts.
//!
//! The file only grows. The writer appends the values it numbered and syncs them before
//! each Tantivy commit, so every number a committed article holds is on a complete line;
//! a line cut short by an interruption belongs to no committed article and is dropped
//! the next time a writer opens the file.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rustc_hash::FxHashMap;

use crate::error::{Error, Result};
use crate::model::EntityKind;

/// The file's name inside the index folder.
pub const FACET_VALUES_FILE: &str = "facet-values.tsv";

/// The fast field holding each article's numbers.
pub const NUMBERS_FIELD: &str = "facet_values";

/// The highest number any article of the searcher holds, plus one: how many values the
/// names must cover.
pub fn numbers_in_use(searcher: &tantivy::Searcher) -> tantivy::Result<usize> {
    let mut most = 0;
    for segment in searcher.segment_readers() {
        let column = segment.fast_fields().u64(NUMBERS_FIELD)?;
        if column.values.num_vals() > 0 {
            most = most.max(column.max_value() as usize + 1);
        }
    }
    Ok(most)
}

/// What a facet value is. Days are written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FacetKind {
    Entity(EntityKind),
    Source,
    /// The day an article was published.
    Published,
    /// A day an article mentions.
    Mentioned,
}

impl FacetKind {
    /// Every kind, in the order of [`FacetKind::code`].
    pub const ALL: [FacetKind; 6] = [
        FacetKind::Entity(EntityKind::Person),
        FacetKind::Entity(EntityKind::Place),
        FacetKind::Entity(EntityKind::Org),
        FacetKind::Source,
        FacetKind::Published,
        FacetKind::Mentioned,
    ];

    /// The kind's place in [`FacetKind::ALL`].
    pub fn code(self) -> u8 {
        match self {
            FacetKind::Entity(EntityKind::Person) => 0,
            FacetKind::Entity(EntityKind::Place) => 1,
            FacetKind::Entity(EntityKind::Org) => 2,
            FacetKind::Source => 3,
            FacetKind::Published => 4,
            FacetKind::Mentioned => 5,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            FacetKind::Entity(kind) => kind.as_str(),
            FacetKind::Source => "source",
            FacetKind::Published => "published",
            FacetKind::Mentioned => "mentioned",
        }
    }

    fn parse(text: &str) -> Option<FacetKind> {
        match text {
            "source" => Some(FacetKind::Source),
            "published" => Some(FacetKind::Published),
            "mentioned" => Some(FacetKind::Mentioned),
            _ => EntityKind::ALL
                .into_iter()
                .find(|k| k.as_str() == text)
                .map(FacetKind::Entity),
        }
    }
}

/// The numbered values, for naming counts (read side).
#[derive(Debug, Default)]
pub struct FacetValues {
    text: String,
    /// Where each complete line starts, and one past the end of the last.
    starts: Vec<u32>,
    /// Each line's kind as its [`FacetKind::code`]; [`FacetValues::NO_KIND`] for a line
    /// that is not `kind<TAB>value`.
    kinds: Vec<u8>,
    /// For each line of a day, the day as the number YYYYMMDD (0 for other lines):
    /// sorting and bucketing days needs no text.
    days: Vec<u32>,
    /// Zeroed arrays of one count per value, kept from one search to the next.
    spare_counts: Mutex<Vec<Vec<u32>>>,
}

impl FacetValues {
    /// The kind code of a line that names no kind.
    pub const NO_KIND: u8 = u8::MAX;

    /// Reads the values of the index in `dir` (none when the file does not exist yet).
    pub fn load(dir: &Path) -> Result<FacetValues> {
        let path = dir.join(FACET_VALUES_FILE);
        let text = match std::fs::read(&path) {
            Ok(bytes) => String::from_utf8(bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(Error::io(path, e)),
        };
        if text.len() >= u32::MAX as usize {
            return Err(Error::IndexDamaged {
                path: dir.to_path_buf(),
                detail: format!("{FACET_VALUES_FILE} is larger than 4 GB"),
            });
        }
        let mut starts = vec![0];
        let mut kinds = Vec::new();
        let mut days = Vec::new();
        // Only complete lines count: a writer may be appending the last one right now.
        for line in text.split_inclusive('\n').filter(|l| l.ends_with('\n')) {
            let (kind, value) = line.split_once('\t').unwrap_or_default();
            let kind = FacetKind::parse(kind);
            let day = match kind {
                Some(FacetKind::Published | FacetKind::Mentioned) => day_number(value.trim_end()),
                _ => 0,
            };
            kinds.push(kind.map_or(Self::NO_KIND, FacetKind::code));
            days.push(day);
            starts.push(starts[starts.len() - 1] + line.len() as u32);
        }
        Ok(FacetValues {
            text,
            starts,
            kinds,
            days,
            spare_counts: Mutex::default(),
        })
    }

    /// How many values are numbered.
    pub fn len(&self) -> usize {
        self.kinds.len()
    }

    pub fn is_empty(&self) -> bool {
        self.kinds.is_empty()
    }

    /// The bytes of the complete lines.
    fn complete(&self) -> usize {
        self.starts.last().map_or(0, |&end| end as usize)
    }

    /// The kind of value `number` (`None` past the end or on a line that is not
    /// `kind<TAB>value`).
    pub fn kind(&self, number: u64) -> Option<FacetKind> {
        let code = *self.kinds.get(usize::try_from(number).ok()?)?;
        FacetKind::ALL.get(usize::from(code)).copied()
    }

    /// The kind code of every value, by number.
    pub fn kind_codes(&self) -> &[u8] {
        &self.kinds
    }

    /// An array of one zero count per value, to count a search's facets in.
    pub fn counts_array(&self) -> Vec<u32> {
        let spare = self
            .spare_counts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop();
        spare.unwrap_or_else(|| vec![0; self.len()])
    }

    /// Keeps an array from [`FacetValues::counts_array`] for the next search; it must be
    /// all zero again.
    pub fn give_back(&self, counts: Vec<u32>) {
        if counts.len() == self.len() {
            debug_assert!(counts.iter().all(|&c| c == 0));
            let mut spare = self.spare_counts.lock().unwrap_or_else(|e| e.into_inner());
            spare.push(counts);
        }
    }

    /// The day of value `number` as YYYYMMDD, when it is a day written `YYYY-MM-DD`.
    pub fn day(&self, number: u64) -> Option<u32> {
        let day = *self.days.get(usize::try_from(number).ok()?)?;
        (day > 0).then_some(day)
    }

    /// The kind and text of value `number`.
    pub fn get(&self, number: u64) -> Option<(FacetKind, &str)> {
        let kind = self.kind(number)?;
        let n = number as usize;
        let start = self.starts[n] as usize + kind.as_str().len() + 1;
        let end = self.starts[n + 1] as usize - 1;
        Some((kind, &self.text[start..end]))
    }
}

/// Numbers values for the writer: known values keep their number, new ones get the next.
pub struct FacetNumbering {
    path: PathBuf,
    state: Mutex<Numbering>,
}

struct Numbering {
    /// Per kind code, the number of each value.
    numbers: [FxHashMap<Box<str>, u64>; 6],
    /// The number the next new value gets.
    next: u64,
    /// Lines numbered since the last save.
    unsaved: String,
}

impl FacetNumbering {
    /// Opens the values of the index in `dir` for numbering. Call only while holding the
    /// index's writer lock: a cut-short last line is removed here.
    pub fn open(dir: &Path) -> Result<FacetNumbering> {
        let path = dir.join(FACET_VALUES_FILE);
        let values = FacetValues::load(dir)?;
        let complete = values.complete();
        if complete < values.text.len() {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(&path)
                .map_err(|e| Error::io(&path, e))?;
            file.set_len(complete as u64)
                .map_err(|e| Error::io(&path, e))?;
        }
        let mut numbers: [FxHashMap<Box<str>, u64>; 6] = Default::default();
        for n in 0..values.len() as u64 {
            let Some((kind, value)) = values.get(n) else {
                return Err(Error::IndexDamaged {
                    path: dir.to_path_buf(),
                    detail: format!("{FACET_VALUES_FILE} line {} is not `kind<TAB>value`", n + 1),
                });
            };
            numbers[usize::from(kind.code())]
                .entry(value.into())
                .or_insert(n);
        }
        Ok(FacetNumbering {
            path,
            state: Mutex::new(Numbering {
                numbers,
                next: values.len() as u64,
                unsaved: String::new(),
            }),
        })
    }

    /// Numbering from zero, the old file removed: only for a rebuild, which deletes
    /// every article holding an old number.
    pub fn start_over(dir: &Path) -> Result<FacetNumbering> {
        let path = dir.join(FACET_VALUES_FILE);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(path, e)),
        }
        FacetNumbering::open(dir)
    }

    /// The numbers of `values`, numbering the new ones.
    pub fn numbers<'v>(&self, values: impl IntoIterator<Item = (FacetKind, &'v str)>) -> Vec<u64> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let Numbering {
            numbers,
            next,
            unsaved,
        } = &mut *state;
        values
            .into_iter()
            .map(|(kind, value)| {
                let value = one_line(value);
                let known = &mut numbers[usize::from(kind.code())];
                if let Some(&n) = known.get(value.as_ref()) {
                    return n;
                }
                let n = *next;
                *next += 1;
                unsaved.push_str(kind.as_str());
                unsaved.push('\t');
                unsaved.push_str(&value);
                unsaved.push('\n');
                known.insert(value.into(), n);
                n
            })
            .collect()
    }

    /// Appends the values numbered since the last save and syncs them to disk: call
    /// before every commit of articles that hold their numbers.
    pub fn save(&self) -> Result<()> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if state.unsaved.is_empty() && self.path.exists() {
            return Ok(());
        }
        let io = |e| Error::io(&self.path, e);
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .map_err(io)?;
        file.write_all(state.unsaved.as_bytes()).map_err(io)?;
        file.sync_data().map_err(io)?;
        state.unsaved.clear();
        Ok(())
    }
}

/// `YYYY-MM-DD` as the number YYYYMMDD; 0 for text of another shape.
fn day_number(text: &str) -> u32 {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return 0;
    }
    let mut number = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if i == 4 || i == 7 {
            continue;
        }
        if !b.is_ascii_digit() {
            return 0;
        }
        number = number * 10 + u32::from(b - b'0');
    }
    number
}

/// A value as one line of the file: tabs and line breaks become spaces.
fn one_line(value: &str) -> std::borrow::Cow<'_, str> {
    if value.contains(['\t', '\n', '\r']) {
        value.replace(['\t', '\n', '\r'], " ").into()
    } else {
        value.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_survive_a_reopen_and_a_cut_short_line() {
        let dir = tempfile::tempdir().unwrap();
        let numbering = FacetNumbering::open(dir.path()).unwrap();
        let person = FacetKind::Entity(EntityKind::Person);
        assert_eq!(
            numbering.numbers([(person, "Ana Lind"), (FacetKind::Source, "Harbour\tNews")]),
            [0, 1]
        );
        assert_eq!(numbering.numbers([(person, "Ana Lind")]), [0]);
        numbering.save().unwrap();
        // An interrupted append leaves half a line behind.
        let path = dir.path().join(FACET_VALUES_FILE);
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        file.write_all(b"place\tHalf").unwrap();
        let values = FacetValues::load(dir.path()).unwrap();
        assert_eq!(values.len(), 2);
        assert_eq!(values.get(1), Some((FacetKind::Source, "Harbour News")));
        assert_eq!(values.get(2), None);
        let again = FacetNumbering::open(dir.path()).unwrap();
        let place = FacetKind::Entity(EntityKind::Place);
        assert_eq!(
            again.numbers([(place, "Tallinn"), (person, "Ana Lind")]),
            [2, 0]
        );
        again.save().unwrap();
        let values = FacetValues::load(dir.path()).unwrap();
        assert_eq!(values.get(2), Some((place, "Tallinn")));
        assert_eq!(values.day(2), None);
    }

    #[test]
    fn days_are_read_as_numbers() {
        assert_eq!(day_number("2022-02-24"), 20220224);
        assert_eq!(day_number("+10000-01-01"), 0);
        assert_eq!(day_number("2022-0a-24"), 0);
    }
}
