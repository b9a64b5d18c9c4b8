//! Plain-text and Markdown articles: first non-empty line is the title, the rest the body.

use crate::clean::Boilerplate;
use crate::model::RawArticle;

/// Reads a `.txt` or `.md` article.
pub fn read_text(text: &str, markdown: bool) -> RawArticle {
    let clean = Boilerplate::shipped().split_text(text);
    let title = if markdown {
        clean.title.trim_start_matches('#').trim().to_string()
    } else {
        clean.title
    };
    RawArticle {
        title,
        body: clean.body,
        header_lines: clean.header,
        ..RawArticle::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_is_first_line_and_body_the_rest() {
        let article = read_text("Harbour strike ends\n\nDockers returned to work.\n", false);
        assert_eq!(article.title, "Harbour strike ends");
        assert_eq!(article.body, "Dockers returned to work.");
    }

    #[test]
    fn markdown_heading_marks_are_removed_from_title() {
        let article = read_text("# Harbour strike ends\n\nDockers returned.", true);
        assert_eq!(article.title, "Harbour strike ends");
    }

    #[test]
    fn empty_text_gives_empty_article() {
        let article = read_text("\n\n  \n", false);
        assert!(article.title.is_empty() && article.body.is_empty());
    }
}
