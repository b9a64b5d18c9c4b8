//! A time limit on a search: [`DeadlineQuery`] wraps a query so that its scorers stop
//! handing out documents once a deadline has passed, and says so. The search then ends
//! at its next step instead of pinning a core for as long as a pathological query takes;
//! the caller turns the flag into an error (a server must answer every request).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED};

/// Documents a scorer hands out between two looks at the clock.
const CHECK_EVERY_DOCS: u32 = 1024;

/// A query that stops matching once `deadline` has passed.
#[derive(Debug)]
pub struct DeadlineQuery {
    inner: Box<dyn Query>,
    deadline: Instant,
    expired: Arc<AtomicBool>,
}

impl DeadlineQuery {
    /// Wraps `inner`; [`DeadlineQuery::expired`] tells afterwards whether it was cut.
    pub fn new(inner: Box<dyn Query>, deadline: Instant) -> DeadlineQuery {
        DeadlineQuery {
            inner,
            deadline,
            expired: Arc::default(),
        }
    }

    /// Did a scorer stop early because the deadline passed?
    pub fn expired(&self) -> bool {
        self.expired.load(Ordering::Relaxed)
    }
}

impl Clone for DeadlineQuery {
    fn clone(&self) -> Self {
        DeadlineQuery {
            inner: self.inner.box_clone(),
            deadline: self.deadline,
            expired: Arc::clone(&self.expired),
        }
    }
}

impl Query for DeadlineQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        if Instant::now() >= self.deadline {
            self.expired.store(true, Ordering::Relaxed);
        }
        Ok(Box::new(DeadlineWeight {
            inner: self.inner.weight(scoring)?,
            deadline: self.deadline,
            expired: Arc::clone(&self.expired),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a tantivy::Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct DeadlineWeight {
    inner: Box<dyn Weight>,
    deadline: Instant,
    expired: Arc<AtomicBool>,
}

impl Weight for DeadlineWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let inner = self.inner.scorer(reader, boost)?;
        let mut scorer = DeadlineScorer {
            inner,
            deadline: self.deadline,
            expired: Arc::clone(&self.expired),
            until_check: CHECK_EVERY_DOCS,
            stopped: false,
        };
        scorer.check_clock();
        Ok(Box::new(scorer))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.inner.explain(reader, doc)
    }
}

struct DeadlineScorer {
    inner: Box<dyn Scorer>,
    deadline: Instant,
    expired: Arc<AtomicBool>,
    until_check: u32,
    stopped: bool,
}

impl DeadlineScorer {
    /// Looks at the clock (or at another segment's verdict) and stops when time is up.
    fn check_clock(&mut self) {
        self.until_check = CHECK_EVERY_DOCS;
        if self.expired.load(Ordering::Relaxed) || Instant::now() >= self.deadline {
            self.expired.store(true, Ordering::Relaxed);
            self.stopped = true;
        }
    }

    fn step(&mut self, doc: DocId) -> DocId {
        self.until_check -= 1;
        if self.until_check == 0 {
            self.check_clock();
        }
        if self.stopped {
            TERMINATED
        } else {
            doc
        }
    }
}

impl DocSet for DeadlineScorer {
    fn advance(&mut self) -> DocId {
        if self.stopped {
            return TERMINATED;
        }
        let doc = self.inner.advance();
        self.step(doc)
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.stopped {
            return TERMINATED;
        }
        let doc = self.inner.seek(target);
        self.step(doc)
    }

    fn doc(&self) -> DocId {
        if self.stopped {
            TERMINATED
        } else {
            self.inner.doc()
        }
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }

    fn cost(&self) -> u64 {
        self.inner.cost()
    }
}

impl Scorer for DeadlineScorer {
    fn score(&mut self) -> Score {
        self.inner.score()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::Count;
    use tantivy::query::AllQuery;
    use tantivy::schema::{Schema, STRING};
    use tantivy::{doc, Index};

    fn index_of(docs: usize) -> Index {
        let mut schema = Schema::builder();
        let field = schema.add_text_field("f", STRING);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for _ in 0..docs {
            writer.add_document(doc!(field => "x")).unwrap();
        }
        writer.commit().unwrap();
        index
    }

    #[test]
    fn a_passed_deadline_stops_the_search_and_says_so() {
        let index = index_of(5_000);
        let searcher = index.reader().unwrap().searcher();
        let past = Instant::now() - std::time::Duration::from_secs(1);
        let query = DeadlineQuery::new(Box::new(AllQuery), past);
        let count = searcher.search(&query, &Count).unwrap();
        assert!(query.expired());
        assert_eq!(count, 0);
    }

    #[test]
    fn a_far_deadline_changes_nothing() {
        let index = index_of(5_000);
        let searcher = index.reader().unwrap().searcher();
        let later = Instant::now() + std::time::Duration::from_secs(3600);
        let query = DeadlineQuery::new(Box::new(AllQuery), later);
        assert_eq!(searcher.search(&query, &Count).unwrap(), 5_000);
        assert!(!query.expired());
    }
}
