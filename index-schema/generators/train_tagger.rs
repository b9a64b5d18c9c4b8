//! Trains dossier's named-entity tagger on CoNLL-2003 and writes its weights.
//!
//!   cargo run --release --example train_tagger -- CONLL_DIR [OUT] [EPOCHS]
//!
//! CONLL_DIR holds eng.train and eng.testa (unpack ../shared/corpora/conll2003-en).
//! Trains on eng.train only, reports span F1 per kind on eng.testa (the development
//! set used for choosing features and epochs), and writes the model to OUT (default
//! index-schema/ner/tagger.bin.gz). eng.testb is never read here: it is the held-out
//! test, scored through `dossier extract` by benches/conll_eval.py.

use std::collections::HashMap;

use dossier::entities::gazetteer::Gazetteer;
use dossier::entities::lexicon::Lexicon;
use dossier::entities::tagger::{iob2_tags, spans, Sentence, Tagger};

type Tagged = (Vec<String>, Vec<u8>);

fn read_conll(path: &str) -> Vec<Tagged> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut sentences = Vec::new();
    let (mut words, mut labels): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
    for line in text.lines().chain(std::iter::once("")) {
        let cells: Vec<&str> = line.split_whitespace().collect();
        if cells.is_empty() || cells[0] == "-DOCSTART-" {
            if !words.is_empty() {
                let tags = iob2_tags(&labels.iter().map(String::as_str).collect::<Vec<_>>());
                sentences.push((std::mem::take(&mut words), tags));
                labels.clear();
            }
            continue;
        }
        words.push(cells[0].to_string());
        labels.push(cells[cells.len() - 1].to_string());
    }
    sentences
}

fn evaluate(tagger: &Tagger, lexicon: &Lexicon, sentences: &[Tagged]) -> f64 {
    let mut counts: HashMap<&str, (usize, usize, usize)> = HashMap::new(); // correct, predicted, gold
    for (words, gold) in sentences {
        let sentence = Sentence::new(words.iter().map(String::as_str).collect(), lexicon);
        let predicted = spans(&tagger.tag(&sentence));
        let truth = spans(gold);
        for span in &predicted {
            let entry = counts.entry(span.2).or_default();
            entry.1 += 1;
            if truth.contains(span) {
                entry.0 += 1;
            }
        }
        for span in &truth {
            counts.entry(span.2).or_default().2 += 1;
        }
    }
    let (mut c, mut p, mut g) = (0, 0, 0);
    for kind in ["PER", "LOC", "ORG"] {
        let (kc, kp, kg) = counts.get(kind).copied().unwrap_or_default();
        let (precision, recall) = (kc as f64 / kp.max(1) as f64, kc as f64 / kg.max(1) as f64);
        let f1 = 2.0 * precision * recall / (precision + recall).max(f64::MIN_POSITIVE);
        println!("  {kind}: precision {precision:.3} recall {recall:.3} F1 {f1:.3}");
        (c, p, g) = (c + kc, p + kp, g + kg);
    }
    let (precision, recall) = (c as f64 / p.max(1) as f64, c as f64 / g.max(1) as f64);
    let f1 = 2.0 * precision * recall / (precision + recall).max(f64::MIN_POSITIVE);
    println!("  PER+LOC+ORG micro: precision {precision:.3} recall {recall:.3} F1 {f1:.3}");
    f1
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = args
        .get(1)
        .expect("usage: train_tagger CONLL_DIR [OUT] [EPOCHS]");
    let out = args
        .get(2)
        .cloned()
        .unwrap_or_else(|| "index-schema/ner/tagger.bin.gz".to_string());
    let epochs: usize = args.get(3).and_then(|e| e.parse().ok()).unwrap_or(8);
    let train = read_conll(&format!("{dir}/eng.train"));
    let dev = read_conll(&format!("{dir}/eng.testa"));
    let lexicon = Lexicon::new(Gazetteer::shipped());
    println!(
        "training on {} sentences of eng.train, {epochs} epochs",
        train.len()
    );
    let tagger = Tagger::train(&train, &lexicon, epochs, 2003);
    println!("eng.testa (development set), exact spans:");
    evaluate(&tagger, &lexicon, &dev);
    let file = std::fs::File::create(&out).unwrap_or_else(|e| panic!("{out}: {e}"));
    tagger
        .write(std::io::BufWriter::new(file))
        .unwrap_or_else(|e| panic!("{out}: {e}"));
    println!("wrote {out}");
}
