//! Incremental indexing recognises unchanged files by their size and times when those
//! had settled before the file was read, and reads (hashes) them otherwise; a rewrite
//! that keeps the size and puts the modification time back is still caught.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use dossier::index::{run_index, IndexRequest, IndexSummary, NoProgress};

const ARTICLES: [(&str, &str); 3] = [
    (
        "harbour.txt",
        "Harbour reopens\n\nThe old harbour at Velmora reopened on Monday after repairs.\n",
    ),
    (
        "bridge.txt",
        "Bridge closed\n\nThe river bridge at Tarsk closed for a week of inspections.\n",
    ),
    (
        "market.txt",
        "Market day\n\nFarmers filled the square at Lodden for the autumn market.\n",
    ),
];

struct Folder {
    _dir: tempfile::TempDir,
    articles: PathBuf,
    index: PathBuf,
}

impl Folder {
    fn new() -> Folder {
        let dir = tempfile::tempdir().unwrap();
        let articles = dir.path().join("articles");
        std::fs::create_dir(&articles).unwrap();
        for (name, text) in ARTICLES {
            std::fs::write(articles.join(name), text).unwrap();
        }
        // File times are taken from a clock that may run a tick behind: be past it.
        std::thread::sleep(Duration::from_millis(50));
        let index = dir.path().join("index");
        Folder {
            _dir: dir,
            articles,
            index,
        }
    }

    /// Indexes the folder, trusting times at least `settle` old.
    fn index(&self, settle: Duration) -> IndexSummary {
        let request = IndexRequest {
            roots: vec![self.articles.clone()],
            full: false,
            threads: 2,
            cancel: Arc::new(AtomicBool::new(false)),
            entities: None,
            limits: Default::default(),
            commit_every_bytes: 1 << 20,
            settle,
            extract_entities: true,
        };
        run_index(&self.index, &request, &NoProgress).unwrap()
    }

    fn file(&self, name: &str) -> PathBuf {
        self.articles.join(name)
    }
}

fn counts(summary: &IndexSummary) -> (u64, u64, u64, u64) {
    (
        summary.added,
        summary.updated,
        summary.unchanged,
        summary.files_hashed,
    )
}

/// Rewrites a file with other bytes of the same length and puts its modification time
/// back as it was.
fn rewrite_keeping_size_and_time(path: &Path, from: &str, to: &str) {
    assert_eq!(from.len(), to.len());
    let modified = std::fs::metadata(path).unwrap().modified().unwrap();
    let text = std::fs::read_to_string(path).unwrap().replace(from, to);
    std::fs::write(path, text).unwrap();
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(modified).unwrap();
    assert_eq!(
        std::fs::metadata(path).unwrap().modified().unwrap(),
        modified
    );
}

#[test]
fn settled_files_are_recognised_without_reading_them() {
    let folder = Folder::new();
    assert_eq!(counts(&folder.index(Duration::ZERO)), (3, 0, 0, 0));
    // Nothing moved: every file is known by its stamp, none is read.
    assert_eq!(counts(&folder.index(Duration::ZERO)), (0, 0, 3, 0));
}

#[test]
fn a_rewrite_that_keeps_size_and_modification_time_is_caught() {
    let folder = Folder::new();
    folder.index(Duration::ZERO);
    rewrite_keeping_size_and_time(&folder.file("bridge.txt"), "Tarsk", "Onvel");
    // The change time moved: the stamp differs, the bytes are read and differ.
    assert_eq!(counts(&folder.index(Duration::ZERO)), (0, 1, 2, 0));
    let store = dossier::index::IndexStore::open(&folder.index).unwrap();
    let searcher = store.reader().unwrap().searcher();
    let request = dossier::search::SearchRequest {
        query: "Onvel".to_string(),
        ..Default::default()
    };
    let found = dossier::search::search(&store, &searcher, &request).unwrap();
    assert_eq!(found.total, 1);
}

#[test]
fn a_file_touched_without_change_is_read_and_kept() {
    let folder = Folder::new();
    folder.index(Duration::ZERO);
    let path = folder.file("market.txt");
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    // Setting the same modification time again moves only the change time.
    let file = std::fs::File::options().write(true).open(&path).unwrap();
    file.set_modified(modified).unwrap();
    assert_eq!(counts(&folder.index(Duration::ZERO)), (0, 0, 3, 1));
}

#[test]
fn files_too_fresh_to_trust_are_read_every_time() {
    let folder = Folder::new();
    // Written less than an hour before the run: their stamps are not recorded.
    folder.index(Duration::from_secs(3600));
    assert_eq!(counts(&folder.index(Duration::ZERO)), (0, 0, 3, 3));
    assert_eq!(counts(&folder.index(Duration::ZERO)), (0, 0, 3, 3));
}

#[test]
fn an_index_analysed_by_other_entity_rules_reads_every_article_again() {
    let folder = Folder::new();
    assert_eq!(counts(&folder.index(Duration::ZERO)), (3, 0, 0, 0));
    let record = folder.index.join(dossier::index::store::EXTRACTION_FILE);
    let current = std::fs::read_to_string(&record).unwrap();
    assert_eq!(
        current.trim(),
        dossier::entities::extract::extraction_identity()
    );
    // As an index built by an earlier dossier (other rules, or no record at all) is
    // found: every article is analysed again, then the record is brought up to date.
    for earlier in [Some("entity rules 0; lists 0\n"), None] {
        match earlier {
            Some(text) => std::fs::write(&record, text).unwrap(),
            None => std::fs::remove_file(&record).unwrap(),
        }
        let (added, updated, unchanged, _) = counts(&folder.index(Duration::ZERO));
        assert_eq!((added, updated, unchanged), (0, 3, 0), "{earlier:?}");
        assert_eq!(std::fs::read_to_string(&record).unwrap(), current);
        assert_eq!(counts(&folder.index(Duration::ZERO)).2, 3);
    }
}
