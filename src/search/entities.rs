//! Resolving the entity names a query uses: through the alias lists (with the index's
//! user entity file), then through the names the index actually holds (any letter
//! case, or a surname of a full name), so `person:Zelensky` and `person:kuleba` work.

use tantivy::Searcher;

use crate::entities::extract::EntityExtractor;
use crate::entities::gazetteer::alias_key;
use crate::model::EntityKind;
use crate::query::compile::EntityResolver;
use crate::schema::Fields;

/// Names as one index knows them.
pub struct IndexEntities<'a> {
    pub extractor: &'a EntityExtractor,
    pub searcher: &'a Searcher,
    pub fields: &'a Fields,
}

impl IndexEntities<'_> {
    fn field(&self, kind: EntityKind) -> tantivy::schema::Field {
        match kind {
            EntityKind::Person => self.fields.person,
            EntityKind::Place => self.fields.place,
            EntityKind::Org => self.fields.org,
        }
    }

    /// Calls `visit` with every canonical name of `kind` in the index, as bytes (once
    /// per segment that holds it).
    fn each_name(&self, kind: EntityKind, mut visit: impl FnMut(&[u8])) {
        for segment in self.searcher.segment_readers() {
            let Ok(inverted) = segment.inverted_index(self.field(kind)) else {
                continue;
            };
            let Ok(mut stream) = inverted.terms().stream() else {
                continue;
            };
            while stream.advance() {
                visit(stream.key());
            }
        }
    }

    /// Canonical names in the index equal to `key` ignoring case, or (for people)
    /// ending with it as a surname.
    fn names_in_index(&self, kind: EntityKind, key: &str) -> Vec<String> {
        let mut found: Vec<String> = Vec::new();
        self.each_name(kind, |bytes| {
            // Cheap test first: a match ends with the key, ignoring ASCII case.
            let ends_with_key = bytes.len() >= key.len()
                && bytes[bytes.len() - key.len()..].eq_ignore_ascii_case(key.as_bytes());
            if !ends_with_key {
                return;
            }
            let Ok(name) = std::str::from_utf8(bytes) else {
                return;
            };
            let name_key = alias_key(name);
            let surname = kind == EntityKind::Person
                && name_key.rsplit(' ').next() == Some(key)
                && name_key != key;
            if (name_key == key || surname) && !found.iter().any(|f| f == name) {
                found.push(name.to_string());
            }
        });
        found
    }
}

/// How alike a suggested name must be (Jaro-Winkler, 0..1).
const SUGGESTION_SIMILARITY: f64 = 0.88;

impl IndexEntities<'_> {
    /// The canonical name (in the index or the lists) or surname most like `name`.
    fn closest(&self, kind: Option<EntityKind>, name: &str) -> Option<String> {
        let key = alias_key(name);
        let kinds = match kind {
            Some(kind) => vec![kind],
            None => vec![EntityKind::Person, EntityKind::Place, EntityKind::Org],
        };
        let mut best: Option<(f64, String)> = None;
        let mut consider = |candidate: &str, shown: &str| {
            let score = strsim::jaro_winkler(&key, &alias_key(candidate));
            if score >= SUGGESTION_SIMILARITY && best.as_ref().is_none_or(|(b, _)| score > *b) {
                best = Some((score, shown.to_string()));
            }
        };
        for &kind in &kinds {
            self.each_name(kind, |bytes| {
                let Ok(full) = std::str::from_utf8(bytes) else {
                    return;
                };
                consider(full, full);
                if let Some((_, surname)) = full.rsplit_once(' ') {
                    consider(surname, full);
                }
            });
        }
        for (alias, entry, _) in self.extractor.gazetteer().aliases() {
            if kinds.contains(&entry.kind) {
                consider(alias, &entry.name);
            }
        }
        best.map(|(_, name)| name)
    }

    /// Is this exact canonical name in the index, as a `kind`?
    fn in_index(&self, kind: EntityKind, name: &str) -> bool {
        let term = tantivy::Term::from_field_text(self.field(kind), name);
        self.searcher.segment_readers().iter().any(|segment| {
            segment
                .inverted_index(self.field(kind))
                .ok()
                .and_then(|i| i.get_term_info(&term).ok().flatten())
                .is_some()
        })
    }
}

/// "kuleba" -> "Kuleba", "new york" -> "New York".
fn title_case(name: &str) -> String {
    name.split(' ')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        })
        .collect::<Vec<String>>()
        .join(" ")
}

impl EntityResolver for IndexEntities<'_> {
    fn suggest(&self, kind: Option<EntityKind>, name: &str) -> Option<String> {
        self.closest(kind, name)
    }

    fn named(&self, name: &str) -> Vec<(EntityKind, String)> {
        if let Some((entry, _)) = self.extractor.gazetteer().lookup(name) {
            let user = self.extractor.user();
            return vec![(
                entry.kind,
                user.renamed(&entry.name).unwrap_or(&entry.name).to_string(),
            )];
        }
        // A one-word name found in articles but on no list (a tagger find such as
        // "Minister") is mentioned only as that very word, which the operand matches
        // anyway: standing for its mentions would add nothing but work.
        if !name.contains(char::is_whitespace) {
            return Vec::new();
        }
        let mut found = Vec::new();
        for candidate in [name.to_string(), title_case(name)] {
            for kind in EntityKind::ALL {
                if self.in_index(kind, &candidate) && !found.contains(&(kind, candidate.clone())) {
                    found.push((kind, candidate.clone()));
                }
            }
        }
        found
    }

    fn resolve(&self, kind: Option<EntityKind>, name: &str) -> Vec<(EntityKind, String)> {
        let user = self.extractor.user();
        if user.is_dropped(name) {
            return Vec::new();
        }
        let wanted = |k: EntityKind| kind.is_none_or(|w| w == k);
        if let Some((entry, _)) = self.extractor.gazetteer().lookup(name) {
            if wanted(entry.kind) {
                let canonical = user.renamed(&entry.name).unwrap_or(&entry.name).to_string();
                return vec![(entry.kind, canonical)];
            }
        }
        let name = user.renamed(name).unwrap_or(name);
        let key = alias_key(name);
        EntityKind::ALL
            .into_iter()
            .filter(|k| wanted(*k))
            .flat_map(|k| {
                self.names_in_index(k, &key)
                    .into_iter()
                    .map(move |n| (k, n))
            })
            .collect()
    }
}
