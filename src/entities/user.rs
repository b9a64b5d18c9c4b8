//! A user's entity file (`dossier index --entities FILE`): entities and aliases to add,
//! entities to merge or rename, false positives to drop. One instruction per line,
//! fields separated by tabs; `#` starts a comment:
//!
//! ```text
//! add     person  Jen Psaki       Psaki|Jennifer Psaki
//! alias   Vladimir Putin          VVP
//! merge   Dmitri Peskov           Dmitry Peskov
//! rename  Kremlin                 Moscow Kremlin
//! drop    Reading
//! ```
//!
//! `add KIND NAME [ALIASES]` lists a new entity; `alias NAME ALIASES` gives a listed
//! entity more names; `merge FROM INTO` files every mention of FROM under INTO;
//! `rename OLD NEW` changes a canonical name; `drop NAME` removes every mention of NAME.

use std::collections::{HashMap, HashSet};

use super::extract::Mention;
use super::gazetteer::{alias_key, Form, Gazetteer};
use crate::model::EntityKind;

/// The parsed file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserEntities {
    additions: Vec<(EntityKind, String, Vec<String>)>,
    aliases: Vec<(String, Vec<String>)>,
    /// Canonical (normalised) -> new canonical name.
    renames: HashMap<String, String>,
    drops: HashSet<String>,
}

impl UserEntities {
    /// Parses an entity file; errors name the line and what is wrong.
    pub fn parse(text: &str) -> Result<UserEntities, String> {
        let mut user = UserEntities::default();
        for (number, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim_end();
            if line.trim().is_empty() {
                continue;
            }
            let cells: Vec<&str> = line
                .split('\t')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect();
            let at = |message: &str| format!("line {}: {message}", number + 1);
            let list = |cell: Option<&&str>| -> Vec<String> {
                cell.map(|c| {
                    c.split('|')
                        .map(|a| a.trim().to_string())
                        .filter(|a| !a.is_empty())
                        .collect()
                })
                .unwrap_or_default()
            };
            match cells.as_slice() {
                ["add", kind, name, rest @ ..] => {
                    let kind = match *kind {
                        "person" => EntityKind::Person,
                        "place" => EntityKind::Place,
                        "org" => EntityKind::Org,
                        other => {
                            return Err(at(&format!(
                                "unknown kind \"{other}\" (use person, place or org)"
                            )))
                        }
                    };
                    user.additions
                        .push((kind, name.to_string(), list(rest.first())));
                }
                ["alias", name, aliases] => {
                    user.aliases.push((name.to_string(), list(Some(aliases))))
                }
                ["merge", from, into] | ["rename", from, into] => {
                    user.renames.insert(alias_key(from), into.to_string());
                }
                ["drop", name] => {
                    user.drops.insert(alias_key(name));
                }
                _ => {
                    return Err(at(&format!(
                    "cannot read \"{}\"; use add/alias/merge/rename/drop with tab-separated fields",
                    line.trim()
                )))
                }
            }
        }
        Ok(user)
    }

    /// Adds the file's entities and aliases to an alias table.
    pub fn apply_to(&self, gazetteer: &mut Gazetteer) -> Result<(), String> {
        for (kind, name, aliases) in &self.additions {
            let id = match gazetteer.find(*kind, name) {
                Some(id) => id,
                None => {
                    gazetteer.entries.push(super::gazetteer::Entry {
                        kind: *kind,
                        name: name.clone(),
                        place_kind: None,
                        country: None,
                    });
                    gazetteer.entries.len() as u32 - 1
                }
            };
            for alias in std::iter::once(name).chain(aliases) {
                gazetteer
                    .add_alias(id, alias, Form::Name)
                    .map_err(|e| format!("entity file: {e}"))?;
            }
        }
        for (name, aliases) in &self.aliases {
            let Some((entry, _)) = gazetteer.lookup(name) else {
                return Err(format!("entity file: alias for \"{name}\", which is not a listed entity (add it first)"));
            };
            let id = gazetteer.find(entry.kind, &entry.name.clone()).unwrap_or(0);
            for alias in aliases {
                gazetteer
                    .add_alias(id, alias, Form::Name)
                    .map_err(|e| format!("entity file: {e}"))?;
            }
        }
        for dropped in &self.drops {
            gazetteer.remove_alias(dropped);
        }
        Ok(())
    }

    /// Applies merges, renames and drops to extracted mentions.
    pub fn apply_to_mentions(&self, mentions: &mut Vec<Mention>) {
        if self.renames.is_empty() && self.drops.is_empty() {
            return;
        }
        mentions.retain(|m| !self.drops.contains(&alias_key(&m.name)));
        for mention in mentions.iter_mut() {
            if let Some(new) = self.renames.get(&alias_key(&mention.name)) {
                mention.name = new.clone();
            }
        }
    }

    /// The canonical name a query name ends up under (after merges and renames).
    pub fn renamed(&self, name: &str) -> Option<&str> {
        self.renames.get(&alias_key(name)).map(String::as_str)
    }

    /// Is this name dropped?
    pub fn is_dropped(&self, name: &str) -> bool {
        self.drops.contains(&alias_key(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::extract::EntityExtractor;

    fn extractor(file: &str) -> EntityExtractor {
        EntityExtractor::new(UserEntities::parse(file).unwrap()).unwrap()
    }

    fn names(extractor: &EntityExtractor, text: &str) -> Vec<String> {
        extractor
            .extract(text)
            .into_iter()
            .map(|m| m.name)
            .collect()
    }

    #[test]
    fn adds_entities_and_aliases() {
        let e = extractor(
            "add\tperson\tMarta Kowalczyk\tKowalczyk|M. Kowalczyk\nalias\tVladimir Putin\tVVP\n",
        );
        assert!(names(&e, "Union leader Kowalczyk spoke on Monday.")
            .contains(&"Marta Kowalczyk".to_string()));
        assert_eq!(
            e.gazetteer().lookup("VVP").map(|(x, _)| x.name.as_str()),
            Some("Vladimir Putin")
        );
    }

    #[test]
    fn merges_renames_and_drops() {
        let e = extractor("merge\tHenrik Aalto\tHenrik Aalto-Berg\nrename\tKremlin\tMoscow Kremlin\ndrop\tPortmere\n");
        let found = names(
            &e,
            "Port director Henrik Aalto met the Kremlin envoy in Portmere on Monday.",
        );
        assert!(
            found.contains(&"Henrik Aalto-Berg".to_string()),
            "{found:?}"
        );
        assert!(found.contains(&"Moscow Kremlin".to_string()), "{found:?}");
        assert!(!found.iter().any(|n| n == "Portmere"), "{found:?}");
    }

    #[test]
    fn errors_name_the_line() {
        let error = UserEntities::parse("add\tperson\tA\nadd\tcity\tB\n").unwrap_err();
        assert!(
            error.starts_with("line 2: unknown kind \"city\""),
            "{error}"
        );
        assert!(UserEntities::parse("frobnicate x\n")
            .unwrap_err()
            .contains("line 1"));
    }
}
