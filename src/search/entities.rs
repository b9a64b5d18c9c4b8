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

    /// Canonical names in the index equal to `key` ignoring case, or (for people)
    /// ending with it as a surname.
    fn names_in_index(&self, kind: EntityKind, key: &str) -> Vec<String> {
        let mut found = Vec::new();
        for segment in self.searcher.segment_readers() {
            let Ok(inverted) = segment.inverted_index(self.field(kind)) else {
                continue;
            };
            let Ok(mut stream) = inverted.terms().stream() else {
                continue;
            };
            while stream.advance() {
                let Ok(name) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                let name_key = alias_key(name);
                let surname = kind == EntityKind::Person
                    && name_key.rsplit(' ').next() == Some(key)
                    && name_key != key;
                if (name_key == key || surname) && !found.iter().any(|f| f == name) {
                    found.push(name.to_string());
                }
            }
        }
        found
    }
}

impl EntityResolver for IndexEntities<'_> {
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
