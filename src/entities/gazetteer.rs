//! The entity lists in `index-schema/entities/`: places (generated from GeoNames and
//! countryinfo), organisations, people and titles (written for dossier), merged into
//! one alias table. Every alias names one entity: a conflict is an error, caught by
//! the data test, never a silent choice.

use rustc_hash::FxHashMap;
use std::sync::LazyLock;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::model::EntityKind;

pub(crate) const PLACES: &str = include_str!("../../index-schema/entities/places.tsv");
pub(crate) const ORGS: &str = include_str!("../../index-schema/entities/orgs.tsv");
pub(crate) const PEOPLE: &str = include_str!("../../index-schema/entities/people.tsv");
pub(crate) const TITLES: &str = include_str!("../../index-schema/entities/titles.txt");

/// How a surface form names its entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Form {
    /// The canonical name or another name of the entity.
    Name,
    /// An adjective or demonym of a place ("Belarusian").
    Demonym,
}

/// One entity of the lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub kind: EntityKind,
    pub name: String,
    /// For places: country, city, town, state or region.
    pub place_kind: Option<String>,
    /// For places: the ISO code of the country they are in.
    pub country: Option<String>,
}

impl Entry {
    /// A place known only from a population list: used to name what the tagger marked as
    /// a place, never to find mentions by itself (many towns share a name with a word).
    pub fn is_town(&self) -> bool {
        self.place_kind.as_deref() == Some("town")
    }

    /// Is this a country?
    pub fn is_country(&self) -> bool {
        self.place_kind.as_deref() == Some("country")
    }

    /// A city, town or state, whose name may also be a club's or a team's ("Leeds",
    /// "Minnesota"); a country or region is a place whatever a sentence seems to say.
    /// A state is a team only under its full name: "Ill." and "ILL" are Illinois.
    pub fn may_be_a_club(&self) -> bool {
        matches!(self.place_kind.as_deref(), Some("city" | "town" | "state"))
    }
}

/// The merged alias table.
#[derive(Debug, Default, Clone)]
pub struct Gazetteer {
    pub entries: Vec<Entry>,
    aliases: FxHashMap<String, (u32, Form)>,
    /// Every alias cut after each of its words but the last: a run of words that is
    /// not among these cannot grow into an alias.
    prefixes: rustc_hash::FxHashSet<String>,
    titles: rustc_hash::FxHashSet<String>,
    /// The first word of every title: a word not among these starts no title.
    title_starts: rustc_hash::FxHashSet<String>,
    /// Countries by ISO code.
    countries: FxHashMap<String, u32>,
    /// The most words any alias has.
    pub longest_alias_words: usize,
    /// Keys added without their accents ("montreal" for "Montréal"), which give way to
    /// an alias listed as such.
    folded: rustc_hash::FxHashSet<String>,
}

/// Normalises a name for lookup: lower case, no dots, straight apostrophes, single
/// spaces, no leading "the". "U.S." and "US" meet; so do "The Kremlin" and "Kremlin".
pub fn alias_key(surface: &str) -> String {
    let mut key = String::with_capacity(surface.len());
    write_alias_key(surface, &mut key);
    key
}

/// Writes the alias key of `surface` into `key` (cleared first), as [`alias_key`].
pub fn write_alias_key(surface: &str, key: &mut String) {
    // Called for every span and part of a span: most are ASCII without a comma, read
    // in one pass.
    if surface.is_ascii() && !surface.as_bytes().contains(&b',') {
        write_ascii_alias_key(surface, key);
    } else {
        write_any_alias_key(surface, key);
    }
}

/// [`write_alias_key`] for ASCII without commas, byte by byte.
fn write_ascii_alias_key(surface: &str, key: &mut String) {
    key.clear();
    key.reserve(surface.len() + 2);
    // Where the word being read starts in the key, and the key's length before it.
    let mut word: Option<(usize, usize)> = None;
    for &byte in surface.as_bytes() {
        // What `split_whitespace` splits at, among ASCII bytes.
        if byte == b' ' || (b'\t'..=b'\r').contains(&byte) {
            if let Some((before, start)) = word.take() {
                end_alias_word(key, before, start);
            }
            continue;
        }
        if word.is_none() {
            let before = key.len();
            if before > 0 {
                key.push(' ');
            }
            word = Some((before, key.len()));
        }
        if byte != b'.' {
            key.push(char::from(byte.to_ascii_lowercase()));
        }
    }
    if let Some((before, start)) = word {
        end_alias_word(key, before, start);
    }
    if key.len() > 4 && key.starts_with("the ") {
        key.drain(..4);
    }
}

/// Ends a word of an alias key begun at `start` (`before` without its space).
fn end_alias_word(key: &mut String, before: usize, start: usize) {
    if key.len() == start {
        key.truncate(before); // a word of dots only
    } else if key.len() > start + 2 && key.ends_with("'s") {
        // "Moody's" as the tokenizer splits it, "moody 's": text and lists meet.
        key.insert(key.len() - 2, ' ');
    }
}

/// [`write_alias_key`] for any text.
fn write_any_alias_key(surface: &str, key: &mut String) {
    key.clear();
    // A comma is a word of its own, as the tokenizer has it ("Smith Barney , Harris").
    let spaced;
    let surface = if surface.contains(',') {
        spaced = surface.replace(',', " , ");
        spaced.as_str()
    } else {
        surface
    };
    key.reserve(surface.len() + 2);
    let ascii = surface.is_ascii();
    for word in surface.split_whitespace() {
        let before = key.len();
        if before > 0 {
            key.push(' ');
        }
        let word_start = key.len();
        if ascii {
            // Most names: copied and lower-cased in place, no character decoding.
            key.push_str(word);
            key[word_start..].make_ascii_lowercase();
            if word.contains('.') {
                let kept: String = key[word_start..].chars().filter(|&c| c != '.').collect();
                key.truncate(word_start);
                key.push_str(&kept);
            }
        } else {
            for c in word.chars() {
                match c {
                    '.' => {}
                    '’' => key.push('\''),
                    c if c.is_ascii() => key.push(c.to_ascii_lowercase()),
                    c => key.extend(c.to_lowercase()),
                }
            }
        }
        if key.len() == word_start {
            key.truncate(before); // a word of dots only
        } else if key.len() > word_start + 2 && key.ends_with("'s") {
            // "Moody's" as the tokenizer splits it, "moody 's": text and lists meet.
            key.insert(key.len() - 2, ' ');
        }
    }
    if key.len() > 4 && key.starts_with("the ") {
        key.drain(..4);
    }
}

impl Gazetteer {
    /// The shipped lists.
    pub fn shipped() -> &'static Gazetteer {
        static SHIPPED: LazyLock<Gazetteer> = LazyLock::new(|| {
            Gazetteer::parse(PLACES, ORGS, PEOPLE, TITLES)
                .unwrap_or_else(|e| panic!("index-schema/entities: {e}"))
        });
        &SHIPPED
    }

    /// Parses the four lists; an alias claimed by two entities is an error.
    pub fn parse(
        places: &str,
        orgs: &str,
        people: &str,
        titles: &str,
    ) -> Result<Gazetteer, String> {
        let mut gazetteer = Gazetteer::default();
        for (line, cells) in rows(places) {
            let [name, place_kind, country, aliases, demonyms] = cells_of::<5>(&cells);
            let id = gazetteer.add_entry(EntityKind::Place, name);
            let entry = &mut gazetteer.entries[id as usize];
            entry.place_kind = Some(place_kind.to_string());
            entry.country = (!country.is_empty()).then(|| country.to_string());
            if place_kind == "country" {
                gazetteer.countries.insert(country.to_string(), id);
            }
            gazetteer
                .add_names(id, name, aliases, Form::Name)
                .map_err(|e| format!("places.tsv line {line}: {e}"))?;
            gazetteer
                .add_names(id, "", demonyms, Form::Demonym)
                .map_err(|e| format!("places.tsv line {line}: {e}"))?;
        }
        for (file, text, kind) in [
            ("orgs.tsv", orgs, EntityKind::Org),
            ("people.tsv", people, EntityKind::Person),
        ] {
            for (line, cells) in rows(text) {
                let [name, aliases] = cells_of::<2>(&cells);
                let id = gazetteer.add_entry(kind, name);
                gazetteer
                    .add_names(id, name, aliases, Form::Name)
                    .map_err(|e| format!("{file} line {line}: {e}"))?;
            }
        }
        gazetteer.titles = titles
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(alias_key)
            .collect();
        gazetteer.title_starts = gazetteer
            .titles
            .iter()
            .map(|t| t.split(' ').next().unwrap_or(t).to_string())
            .collect();
        Ok(gazetteer)
    }

    fn add_entry(&mut self, kind: EntityKind, name: &str) -> u32 {
        self.entries.push(Entry {
            kind,
            name: name.to_string(),
            place_kind: None,
            country: None,
        });
        self.entries.len() as u32 - 1
    }

    fn add_names(&mut self, id: u32, name: &str, aliases: &str, form: Form) -> Result<(), String> {
        let names = std::iter::once(name)
            .chain(aliases.split('|'))
            .map(str::trim)
            .filter(|a| !a.is_empty());
        for alias in names {
            self.add_alias(id, alias, form)?;
            if !alias.is_ascii() {
                self.add_folded_alias(id, alias, form);
            }
        }
        Ok(())
    }

    /// "Montreal" for "Montréal", "Zurich" for "Zürich": news in English often drops
    /// the accents. The folded spelling is an alias unless it names something else.
    fn add_folded_alias(&mut self, id: u32, alias: &str, form: Form) {
        let folded: String = alias.nfd().filter(|c| !is_combining_mark(*c)).collect();
        let key = alias_key(&folded);
        if key.is_empty() || self.aliases.contains_key(&key) {
            return;
        }
        self.note_words(&key);
        self.folded.insert(key.clone());
        self.aliases.insert(key, (id, form));
    }

    fn note_words(&mut self, key: &str) {
        self.longest_alias_words = self.longest_alias_words.max(key.split(' ').count());
        for (i, _) in key.match_indices(' ') {
            self.prefixes.insert(key[..i].to_string());
        }
    }

    /// Adds one alias; it must not name another entity already.
    pub fn add_alias(&mut self, id: u32, alias: &str, form: Form) -> Result<(), String> {
        let key = alias_key(alias);
        if key.is_empty() {
            return Ok(());
        }
        if let Some(&(other, _)) = self.aliases.get(&key) {
            if self.folded.remove(&key) {
                // A spelling listed as such wins over another's accents dropped.
                self.aliases.insert(key, (id, form));
                return Ok(());
            }
            if other != id {
                let (a, b) = (&self.entries[other as usize], &self.entries[id as usize]);
                return Err(format!(
                    "\"{alias}\" names both {} ({}) and {} ({})",
                    a.name,
                    a.kind.as_str(),
                    b.name,
                    b.kind.as_str()
                ));
            }
            return Ok(());
        }
        self.note_words(&key);
        self.aliases.insert(key, (id, form));
        Ok(())
    }

    /// Removes an alias (the user entity file can drop one).
    pub fn remove_alias(&mut self, alias: &str) -> bool {
        self.aliases.remove(&alias_key(alias)).is_some()
    }

    /// The entity a surface form names, and how.
    pub fn lookup(&self, surface: &str) -> Option<(&Entry, Form)> {
        // Called for every span of every article: one key buffer per thread.
        thread_local! {
            static KEY: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
        }
        KEY.with_borrow_mut(|key| {
            write_alias_key(surface, key);
            self.lookup_key(key)
        })
    }

    /// Like [`Gazetteer::lookup`] for an already normalised key.
    pub fn lookup_key(&self, key: &str) -> Option<(&Entry, Form)> {
        self.aliases
            .get(key)
            .map(|&(id, form)| (&self.entries[id as usize], form))
    }

    /// The country a listed place lies in, when the place is not a country itself.
    pub fn country_of(&self, place: &str) -> Option<&Entry> {
        let (entry, _) = self.lookup(place)?;
        if entry.kind != EntityKind::Place || entry.is_country() {
            return None;
        }
        let id = *self.countries.get(entry.country.as_deref()?)?;
        Some(&self.entries[id as usize])
    }

    /// Could a longer alias start with these words?
    pub fn is_prefix(&self, key: &str) -> bool {
        self.prefixes.contains(key)
    }

    /// The id of the entity with this canonical name and kind.
    pub fn find(&self, kind: EntityKind, name: &str) -> Option<u32> {
        self.entries
            .iter()
            .position(|e| e.kind == kind && e.name == name)
            .map(|i| i as u32)
    }

    /// Is this word (or phrase) a title or honorific ("President", "Mr")?
    pub fn is_title(&self, words: &str) -> bool {
        self.is_title_key(&alias_key(words))
    }

    /// Like [`Gazetteer::is_title`] for an already normalised key.
    pub fn is_title_key(&self, key: &str) -> bool {
        self.titles.contains(key)
    }

    /// Could a title start with this normalised word?
    pub fn starts_a_title(&self, word_key: &str) -> bool {
        self.title_starts.contains(word_key)
    }

    /// Every alias key with its entity's id (an index into `entries`) and form.
    pub fn alias_ids(&self) -> impl Iterator<Item = (&str, u32, Form)> {
        self.aliases
            .iter()
            .map(|(k, &(id, form))| (k.as_str(), id, form))
    }

    /// Every alias with its entity (for validation and listing).
    pub fn aliases(&self) -> impl Iterator<Item = (&str, &Entry, Form)> {
        self.aliases
            .iter()
            .map(|(k, &(id, form))| (k.as_str(), &self.entries[id as usize], form))
    }
}

fn rows(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(i, l)| (i + 1, l.split('\t').collect()))
}

fn cells_of<'a, const N: usize>(cells: &[&'a str]) -> [&'a str; N] {
    std::array::from_fn(|i| cells.get(i).copied().unwrap_or("").trim())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_ascii_key_is_the_general_key() {
        for surface in [
            "U.S. Steel",
            "  The Kremlin ",
            "Moody's",
            "MOODY'S Investors",
            "...",
            "A. B.",
            "Sao  Paulo\tState",
            "the",
            "The Hague",
            "x's",
            "St. Louis Post-Dispatch",
            "'s",
        ] {
            let (mut fast, mut general) = (String::new(), String::new());
            write_ascii_alias_key(surface, &mut fast);
            write_any_alias_key(surface, &mut general);
            assert_eq!(fast, general, "{surface:?}");
        }
    }

    use super::*;
    use std::collections::HashSet;

    #[test]
    fn shipped_lists_load_without_conflicts() {
        // `shipped()` panics on a conflict; parse again to see the message as an error.
        let parsed = Gazetteer::parse(PLACES, ORGS, PEOPLE, TITLES);
        assert!(parsed.is_ok(), "{:?}", parsed.err());
    }

    #[test]
    fn every_entry_has_a_name_and_every_alias_one_entity() {
        let gazetteer = Gazetteer::shipped();
        let mut names = HashSet::new();
        for entry in &gazetteer.entries {
            assert!(!entry.name.trim().is_empty());
            assert!(
                names.insert((entry.kind, entry.name.clone())),
                "{} listed twice",
                entry.name
            );
        }
        for (alias, entry, _) in gazetteer.aliases() {
            assert!(!alias.is_empty(), "empty alias for {}", entry.name);
            assert_eq!(alias, alias_key(alias), "alias {alias} is not normalised");
        }
    }

    #[test]
    fn the_issue_aliases_resolve() {
        let g = Gazetteer::shipped();
        let name = |s: &str| g.lookup(s).map(|(e, _)| e.name.clone());
        assert_eq!(name("Kiev"), Some("Kyiv".into()));
        assert_eq!(name("Lugansk"), Some("Luhansk".into()));
        for us in ["US", "U.S.", "United States", "America"] {
            assert_eq!(name(us), Some("United States".into()), "{us}");
        }
        for z in ["Zelensky", "Zelenskyy", "Volodymyr Zelensky"] {
            assert_eq!(name(z), Some("Volodymyr Zelensky".into()));
        }
        assert_eq!(name("Sergey Lavrov"), name("Sergei Lavrov"));
        assert_eq!(name("EU"), Some("European Union".into()));
        assert_eq!(name("the Kremlin"), Some("Kremlin".into()));
        assert_eq!(
            g.lookup("Belarusian").map(|(e, f)| (e.name.as_str(), f)),
            Some(("Belarus", Form::Demonym))
        );
        assert!(g.is_title("President") && g.is_title("Mr."));
    }

    #[test]
    fn places_know_their_country() {
        let g = Gazetteer::shipped();
        assert_eq!(
            g.country_of("Kiev").map(|e| e.name.as_str()),
            Some("Ukraine")
        );
        assert_eq!(
            g.country_of("Calif.").map(|e| e.name.as_str()),
            Some("United States")
        );
        assert_eq!(g.country_of("Ukraine"), None);
        assert!(g.lookup("Cleveland").is_some_and(|(e, _)| e.is_town()));
    }

    #[test]
    fn longest_alias_wins_over_its_parts() {
        // "Security Council of Russia" is not the UN Security Council.
        let g = Gazetteer::shipped();
        let name = |s: &str| g.lookup(s).map(|(e, _)| e.name.clone());
        assert_eq!(name("Security Council"), Some("UN Security Council".into()));
        assert_eq!(
            name("Russian Security Council"),
            Some("Security Council of Russia".into())
        );
        assert_eq!(name("New York"), Some("New York City".into()));
    }

    #[test]
    fn a_conflicting_alias_is_an_error() {
        let error =
            Gazetteer::parse("Georgia\tcountry\tGE\t\t\n", "Georgia\t\n", "", "").unwrap_err();
        assert!(error.contains("names both"), "{error}");
    }
}
